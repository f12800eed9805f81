package web_test

import (
	"database/sql"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/store"
	"vanguard/web/views"
)

var auditChainRe = regexp.MustCompile(`(?s)<div id="audit-chain" class="notice (ok|error)" role="(?:status|alert)">(.*?)</div>`)

// auditChainNotice returns the class and the text of the chain's notice at
// the top of the audit page.
func auditChainNotice(t *testing.T, r *response) (class, text string) {
	t.Helper()
	if r.StatusCode != http.StatusOK {
		t.Fatalf("/admin/audit: got %d, want 200", r.StatusCode)
	}
	m := auditChainRe.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("/admin/audit shows no audit chain notice:\n%s", r.body)
	}
	return m[1], html.UnescapeString(strings.TrimSpace(tagRe.ReplaceAllString(m[2], "")))
}

// TestAuditPageShowsChain: the audit page says, in the clerk's words, that
// the log is whole; after a row is edited behind the program (triggers
// dropped), it names the time, the person and the action of the first
// changed record and links to it.
func TestAuditPageShowsChain(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		// No job runner: the tampering below is a second writer to the file.
		a := startApp(t, app.Config{DB: db, Demo: true, JobWorkers: -1})
		admin := a.login(t, "admin")
		class, text := auditChainNotice(t, admin.get(t, "/admin/audit"))
		if class != "ok" || !strings.HasPrefix(text, "审计记录完整，未被改动") {
			t.Fatalf("intact log: notice %s %q; want ok 审计记录完整，未被改动…", class, text)
		}

		// Whoever holds the database edits a middle row.
		es, err := a.Store.ListAudit(t.Context(), domain.AuditFilter{Limit: 500})
		if err != nil || len(es) < 10 {
			t.Fatalf("audit rows: %d, %v", len(es), err)
		}
		e := es[len(es)/2]
		tamper(t, a.Store, db,
			"UPDATE audit_log SET after_json = '{}' WHERE id = "+strconv.FormatInt(e.ID, 10))

		b := a.login(t, "admin") // a fresh look, as another clerk
		r := b.get(t, "/admin/audit")
		class, text = auditChainNotice(t, r)
		want := "自 " + views.FormatTime(e.At) + " " + e.Username + " 的“" + e.Action + "”操作那条记录起，审计记录被改动或删除"
		if class != "error" || !strings.Contains(text, want) {
			t.Fatalf("edited row %d: notice %s %q; want error containing %q", e.ID, class, text, want)
		}
		link := "/admin/audit?before=" + strconv.FormatInt(e.ID+1, 10)
		if !strings.Contains(r.body, `href="`+link+`"`) {
			t.Errorf("the notice does not link to the changed record (%s)", link)
		}
		// The link lists the log from that record.
		if rows := auditActions(b.get(t, link)); len(rows) == 0 || rows[0] != e.Action {
			t.Errorf("%s lists %v first; want %s", link, rows, e.Action)
		}
	})
}

// tamper drops the audit log's triggers and runs q on the database, as its
// owner could.
func tamper(t *testing.T, s *store.Store, db, q string) {
	t.Helper()
	driver, dsn, drops := "sqlite", "file:"+db+"?_pragma=busy_timeout(10000)", []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
	if store.IsPostgres(db) {
		driver, dsn, drops = "pgx", db, []string{"DROP TRIGGER audit_log_no_update ON audit_log", "DROP TRIGGER audit_log_no_delete ON audit_log"}
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, stmt := range append(drops, q) {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}
