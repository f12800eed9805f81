package web_test

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vanguard/domain"
	"vanguard/store"
)

// upload posts a file as the import form does.
func (c *client) upload(t *testing.T, path, name string, data []byte) *response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.app.url+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(t, req)
}

var faultRowRe = regexp.MustCompile(`(?s)<tr><td class="num">(\d+)</td><td class="nowrap">(.*?)</td><td>(.*?)</td></tr>`)

// importFaults returns the fault table of an import page as
// "row|column|reason" lines.
func (r *response) importFaults() []string {
	var out []string
	for _, m := range faultRowRe.FindAllStringSubmatch(r.body, -1) {
		out = append(out, m[1]+"|"+html.UnescapeString(m[2])+"|"+html.UnescapeString(m[3]))
	}
	return out
}

// workbook opens a downloaded xlsx.
func (r *response) workbook(t *testing.T) *excelize.File {
	t.Helper()
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("download: %d %s; %s", r.StatusCode, r.Header.Get("Content-Type"), r.notice())
	}
	f, err := excelize.OpenReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestExcelTemplates(t *testing.T) {
	a := newTestApp(t)
	admin := a.login(t, "nmj-admin")
	r := admin.get(t, "/people/template.xlsx")
	f := r.workbook(t)
	if got := strings.Join(f.GetSheetList(), ","); got != "人员,说明" {
		t.Errorf("people template sheets = %s", got)
	}
	cd := r.Header.Get("Content-Disposition")
	// 人员导入模板.xlsx, percent-encoded as RFC 5987 asks.
	if !strings.HasPrefix(cd, `attachment; filename="people-import-template.xlsx"; filename*=UTF-8''%E4%BA%BA%E5%91%98`) {
		t.Errorf("Content-Disposition = %s", cd)
	}
	if v, _ := f.GetCellValue("人员", "F2"); v != "市农牧业局" {
		t.Errorf("the example row's org = %q, want the org admin's own unit", v)
	}

	leader := a.login(t, "nmj-leader")
	if f := leader.get(t, "/teams/template.xlsx").workbook(t); strings.Join(f.GetSheetList(), ",") != "名册,说明" {
		t.Errorf("roster template sheets = %v", f.GetSheetList())
	}
	if r := leader.get(t, "/people/template.xlsx"); r.StatusCode != http.StatusForbidden {
		t.Errorf("leader's people template: %d", r.StatusCode)
	}
}

func TestExcelImportPage(t *testing.T) {
	a := newTestApp(t)
	r := a.login(t, "nmj-admin").get(t, "/people/import")
	for _, want := range []string{`enctype="multipart/form-data"`, `action="/people/import"`, `href="/people/template.xlsx"`,
		`<progress id="upload-progress"`, `/static/upload.`, `name="file"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("import page lacks %s", want)
		}
	}
	if r.StatusCode != http.StatusOK || r.h1() != "批量导入人员" {
		t.Errorf("import page: %d %q", r.StatusCode, r.h1())
	}
	// The script exists under its hashed name.
	m := regexp.MustCompile(`src="(/static/upload\.[0-9a-f]+\.js)"`).FindStringSubmatch(r.body)
	if m == nil || a.newClient(t).get(t, m[1]).StatusCode != http.StatusOK {
		t.Errorf("upload.js is not served: %v", m)
	}
}

func TestExcelImportExportPeople(t *testing.T) {
	a := newTestApp(t)
	admin := a.login(t, "nmj-admin")
	header := "姓名,性别,手机号,身份证号,政治面貌,所属组织,可服务时间\n"
	bad := header + "导入测试甲,女,19912345601,,中共党员,市农牧业局,周末全天\n导入测试乙,男,1991234,,群众,市农牧业局,\n"

	r := admin.upload(t, "/people/import", "people.csv", []byte(bad))
	if r.StatusCode != http.StatusUnprocessableEntity || strings.Join(r.importFaults(), "\n") != "3|手机号|不是有效的 11 位手机号。" {
		t.Fatalf("bad file: %d, faults %q, notice %q", r.StatusCode, r.importFaults(), r.notice())
	}
	// In English the reason is translated; the column is the sheet's header.
	admin.header.Set("Accept-Language", "en")
	r = admin.upload(t, "/people/import", "people.csv", []byte(bad))
	if got := strings.Join(r.importFaults(), "\n"); got != "3|手机号|Not a valid 11-digit mobile number." {
		t.Errorf("English faults: %q", got)
	}
	admin.header.Del("Accept-Language")

	good := strings.Replace(bad, "1991234,", "19912345602,", 1)
	r = admin.upload(t, "/people/import", "people.xlsx.csv", []byte(good))
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "已导入 2 行") {
		t.Fatalf("good file: %d %q %q", r.StatusCode, r.notice(), r.importFaults())
	}

	// The export uses the people list's filters and masks numbers.
	f := admin.get(t, "/people/export.xlsx?q=导入测试").workbook(t)
	rows, _ := f.GetRows("人员")
	if len(rows) != 3 || rows[1][2] != "199****5601" && rows[1][2] != "199****5602" {
		t.Fatalf("export rows = %q", rows)
	}
	if strings.Contains(strings.Join(rows[1], ","), "19912345601") {
		t.Errorf("masked export shows a full phone: %q", rows[1])
	}
	f = admin.get(t, "/people/export.xlsx?q=导入测试&full=1").workbook(t)
	rows, _ = f.GetRows("人员")
	if !strings.HasPrefix(rows[1][2], "1991234560") {
		t.Errorf("full export by the org admin: %q", rows[1])
	}
	entries, err := a.Store.ListAudit(context.Background(), domain.AuditFilter{Action: "person.export", Limit: 10})
	if err != nil || len(entries) != 2 || !strings.Contains(entries[0].After, `"full":true`) || entries[0].Username != "nmj-admin" {
		t.Errorf("export audit: %+v %v", entries, err)
	}
	if r := a.login(t, "nmj-leader").get(t, "/people/export.xlsx"); r.StatusCode != http.StatusForbidden {
		t.Errorf("leader's people export: %d", r.StatusCode)
	}
}

func TestExcelImportExportRoster(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	teams, err := a.Store.ListTeams(ctx, store.TeamFilter{Scope: domain.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	team := ""
	for _, x := range teams {
		if x.Name == "市农牧业局党员志愿服务队" {
			team = "/teams/" + strconv.FormatInt(x.ID, 10)
		}
	}
	if team == "" {
		t.Fatal("the demo team is missing")
	}
	admin := a.login(t, "nmj-admin")
	r := admin.upload(t, "/people/import", "p.csv", []byte("姓名,性别,手机号,政治面貌,所属组织\n名册测试甲,女,19912345611,群众,市农牧业局\n名册测试乙,男,19912345612,群众,市农牧业局\n"))
	if r.StatusCode != http.StatusOK {
		t.Fatalf("people import: %d %q %q", r.StatusCode, r.notice(), r.importFaults())
	}

	leader := a.login(t, "nmj-leader")
	if r := leader.get(t, team+"/import"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "市农牧业局党员志愿服务队") {
		t.Errorf("roster import page: %d", r.StatusCode)
	}
	r = leader.upload(t, team+"/import", "roster.csv", []byte("手机号,姓名,角色\n19912345611,名册测试甲,队长\n19912345612,名册测试乙,\n"))
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "已导入 2 行") {
		t.Fatalf("roster import: %d %q %q", r.StatusCode, r.notice(), r.importFaults())
	}
	dl := leader.get(t, team+"/roster.xlsx")
	f := dl.workbook(t)
	rows, _ := f.GetRows("名册")
	found := false
	for _, row := range rows {
		// The last column is the volunteer number, never an ID number.
		found = found || len(row) == 5 && strings.Join(row[:4], "|") == "199****5611|名册测试甲|队长|"+row[3] &&
			strings.HasPrefix(row[4], "XF") && len(row[4]) == 12
	}
	if !found || strings.Join(f.GetSheetList(), ",") != "名册,历史" {
		t.Errorf("roster export: %q", rows)
	}
	if !strings.Contains(dl.Header.Get("Content-Disposition"), "filename*=UTF-8''%E5%B8%82") {
		t.Errorf("roster Content-Disposition = %s", dl.Header.Get("Content-Disposition"))
	}
	if r := leader.get(t, team+"/roster.xlsx?full=1"); r.StatusCode != http.StatusForbidden {
		t.Errorf("leader's full roster export: %d, want 403", r.StatusCode)
	}
	if r := a.login(t, "volunteer").get(t, team+"/roster.xlsx"); r.StatusCode != http.StatusForbidden {
		t.Errorf("volunteer's roster export: %d", r.StatusCode)
	}
}

func TestExcelUploadRefusals(t *testing.T) {
	a := newTestApp(t)
	admin := a.login(t, "nmj-admin")
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"over 10 MB", bytes.Repeat([]byte("a"), 10<<20+1), "文件超过 10 MB"},
		{"a picture", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "这不是 xlsx 或 csv 文件"},
		{"empty", nil, "请选择要上传的文件"},
	} {
		r := admin.upload(t, "/people/import", "x.xlsx", tt.data)
		if tt.data == nil {
			r = admin.upload(t, "/people/import", "", nil)
		}
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.notice(), tt.want) {
			t.Errorf("%s: %d, notice %q; want 422 and %q", tt.name, r.StatusCode, r.notice(), tt.want)
		}
	}
	// A body past the route's limit gets the same message.
	r := admin.upload(t, "/people/import", "big.csv", bytes.Repeat([]byte("a"), 12<<20))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.notice(), "文件超过 10 MB") {
		t.Errorf("12 MB body: %d %q", r.StatusCode, r.notice())
	}
}

// TestImportThenAccounts opens the accounts of a whole import from the
// import's result, as an org admin going live does with a roster.
func TestImportThenAccounts(t *testing.T) {
	a := newTestApp(t)
	admin := a.login(t, "nmj-admin")
	r := admin.upload(t, "/people/import", "p.csv", []byte("姓名,性别,手机号,政治面貌,所属组织\n开号测试甲,女,19912345621,群众,市农牧业局\n开号测试乙,男,19912345622,群众,市农牧业局\n"))
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="import-accounts"`) {
		t.Fatalf("import result: %d, no accounts form\n%s", r.StatusCode, r.notice())
	}
	ids := regexp.MustCompile(`<input type="hidden" name="person" value="(\d+)">`).FindAllStringSubmatch(r.body, -1)
	if len(ids) != 2 {
		t.Fatalf("the accounts form carries %d people, want the 2 imported", len(ids))
	}
	form := url.Values{"mode": {"selected"}, "format": {"slips"}}
	for _, m := range ids {
		p, err := a.Store.PersonByID(context.Background(), mustInt(t, m[1]))
		if err != nil || !strings.HasPrefix(p.Name, "开号测试") {
			t.Fatalf("person %s of the form: %v %q", m[1], err, p.Name)
		}
		form.Add("person", m[1])
	}
	r = admin.postForm(t, "/people/accounts", form)
	if r.StatusCode != http.StatusOK || strings.Count(r.body, "开号测试") < 2 {
		t.Fatalf("slips for the import: %d\n%s", r.StatusCode, r.notice())
	}
	for _, m := range ids {
		if p, _ := a.Store.PersonByID(context.Background(), mustInt(t, m[1])); p.UserID == 0 {
			t.Errorf("imported person %s has no account", p.Name)
		}
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
