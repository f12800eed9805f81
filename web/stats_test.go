package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"vanguard/report"
)

// TestStatsPages renders the statistics page, a drill-through list and the
// workbook for the committee, an org admin and a team leader on the demo
// city, and checks the page's person-times figure against its list, and
// that a bad filter comes back with its fault and its input.
func TestStatsPages(t *testing.T) {
	a := newTestApp(t)
	figure := regexp.MustCompile(`id="fig-person_times"[^>]*>\s*<span class="stat-num">([0-9,]+)</span>`)
	untranslated := regexp.MustCompile(`[^/]stats\.[a-z_]+\.[a-z_]+`)
	total := regexp.MustCompile(`id="records-total">[^<]*<strong>([0-9.,]+)</strong>`)
	groupedInt := regexp.MustCompile(`^[0-9]{1,3}(,[0-9]{3})*$`)
	for _, user := range []string{"admin", "nmj-admin", "nmj-leader"} {
		c := a.login(t, user)
		r := c.get(t, "/stats")
		if r.StatusCode != http.StatusOK {
			t.Fatalf("%s: GET /stats: %d", user, r.StatusCode)
		}
		for _, want := range []string{`id="year-nav"`, `id="stats-headline"`, `id="funnel-table"`, `<svg`, `role="img"`, `id="month-table"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("%s: /stats lacks %s", user, want)
			}
		}
		if k := untranslated.FindString(r.body); k != "" || strings.Contains(r.body, " style=") {
			t.Errorf("%s: /stats shows an untranslated key (%q) or an inline style", user, k)
		}
		// The page's year may be quiet on the demo; the last twelve months are not.
		r = c.get(t, "/stats?from=2000-01-01&to=2004-12-31")
		if r.StatusCode != http.StatusOK {
			t.Fatalf("%s: a quiet period: %d", user, r.StatusCode)
		}
		r = c.get(t, "/stats")
		m := figure.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("%s: no person-times figure on /stats", user)
		}
		if user == "admin" {
			for _, fig := range []string{"orders", "items", "teams", "willing"} {
				gm := regexp.MustCompile(`<a href="(/stats/records\?[^"]*fig=gap_` + fig + `[^"]*)" id="gap-` + fig + `-[0-9]+">([0-9,]+)</a>`).FindStringSubmatch(r.body)
				if gm == nil {
					t.Errorf("%s: the supply-demand gap's %s cells link nowhere", user, fig)
					continue
				}
				gr := c.get(t, strings.ReplaceAll(gm[1], "&amp;", "&"))
				if gt := total.FindStringSubmatch(gr.body); gr.StatusCode != http.StatusOK || gt == nil || gt[1] != gm[2] {
					t.Errorf("%s: gap %s cell %s, its list %d total %v", user, fig, gm[2], gr.StatusCode, gt)
				}
				if k := untranslated.FindString(gr.body); k != "" {
					t.Errorf("%s: the gap %s list shows an untranslated key %q", user, fig, k)
				}
			}
		}
		if !groupedInt.MatchString(m[1]) {
			t.Errorf("%s: person-times %q is not grouped by thousands", user, m[1])
		}
		href := regexp.MustCompile(`href="(/stats/records\?[^"]*fig=person_times[^"]*)"`).FindStringSubmatch(r.body)
		if href == nil {
			t.Fatalf("%s: the person-times figure links nowhere", user)
		}
		lr := c.get(t, strings.ReplaceAll(href[1], "&amp;", "&"))
		lt := total.FindStringSubmatch(lr.body)
		if lr.StatusCode != http.StatusOK || lt == nil || lt[1] != m[1] {
			t.Errorf("%s: person-times %s on the page, list %d total %v", user, m[1], lr.StatusCode, lt)
		}
		x := c.get(t, "/stats.xlsx")
		if x.StatusCode != http.StatusOK || x.Header.Get("Content-Type") != report.ContentType {
			t.Fatalf("%s: GET /stats.xlsx: %d %s", user, x.StatusCode, x.Header.Get("Content-Type"))
		}
		tab, err := report.Read([]byte(x.body))
		if err != nil {
			t.Fatalf("%s: the workbook does not read: %v", user, err)
		}
		_ = tab
	}
	c := a.login(t, "admin")
	r := c.get(t, "/stats?from=2026-05-01&to=2025-01-01")
	if r.StatusCode != http.StatusOK || r.fieldErrors()["to"] == "" || !strings.Contains(r.body, `value="2026-05-01"`) {
		t.Errorf("a reversed period: %d, faults %v, typed input kept: %v", r.StatusCode, r.fieldErrors(), strings.Contains(r.body, `value="2026-05-01"`))
	}
	if r := c.get(t, "/stats/records?fig=nonsense"); r.StatusCode != http.StatusBadRequest && r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown figure: %d", r.StatusCode)
	}
	// An org admin asking for another unit's org is told it does not exist.
	o := a.login(t, "nmj-admin")
	if r := o.get(t, "/stats?org=1"); r.StatusCode != http.StatusNotFound {
		t.Errorf("org admin, the committee's org: %d, want 404", r.StatusCode)
	}
}
