package report_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vanguard/domain"
	"vanguard/report"
)

func openBook(t *testing.T, b *report.Book) *excelize.File {
	t.Helper()
	defer b.Close()
	var buf bytes.Buffer
	if _, err := b.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestFormulaInjectionWrittenAsText(t *testing.T) {
	b, err := report.NewBook()
	if err != nil {
		t.Fatal(err)
	}
	sheet, err := b.Sheet("人员", []report.Column{{Header: "姓名"}, {Header: "特长"}})
	if err != nil {
		t.Fatal(err)
	}
	cells := []string{"=1+1", "+1", "-2", "@SUM(A1)", "\t=1", "\r=1", "王芳", "13900001234"}
	for _, c := range cells {
		if err := sheet.Row(c, "x"); err != nil {
			t.Fatal(err)
		}
	}
	f := openBook(t, b)
	for i, c := range cells {
		ref, _ := excelize.CoordinatesToCellName(1, i+2)
		formula, _ := f.GetCellFormula("人员", ref)
		typ, _ := f.GetCellType("人员", ref)
		raw, _ := f.GetCellValue("人员", ref, excelize.Options{RawCellValue: true})
		want := c
		if strings.ContainsAny(c[:1], "=+-@\t\r") {
			want = "'" + c
		}
		if formula != "" || typ != excelize.CellTypeInlineString || raw != want {
			t.Errorf("cell %s for %q: formula %q, type %v, raw %q; want no formula, a string, %q", ref, c, formula, typ, raw, want)
		}
	}
	// Read back, the quote is gone again.
	var buf bytes.Buffer
	b2, _ := report.NewBook()
	s2, _ := b2.Sheet("人员", []report.Column{{Header: "姓名"}})
	s2.Row("=1+1")
	b2.WriteTo(&buf)
	b2.Close()
	tab, err := report.Read(buf.Bytes())
	if err != nil || tab.Rows[0].Cell(0) != "=1+1" {
		t.Errorf("read back: %v, %v", tab, err)
	}
}

func TestBookLayout(t *testing.T) {
	b, err := report.NewBook()
	if err != nil {
		t.Fatal(err)
	}
	s1, _ := b.Sheet(report.RosterSheet, report.RosterColumns)
	s1.Row("138****0001", "王芳", "队长", "2025-03-05")
	s2, err := b.Sheet(report.HistorySheet, report.HistoryColumns)
	if err != nil {
		t.Fatal(err)
	}
	s2.Row("138****0001", "王芳", "队长", "2025-03-05", "")
	s2.Row("138****0002", "李强", "队员", "2024-01-01", "2024-12-31")
	if s1.Rows() != 1 || s2.Rows() != 2 {
		t.Errorf("rows = %d, %d", s1.Rows(), s2.Rows())
	}
	f := openBook(t, b)
	if got := strings.Join(f.GetSheetList(), ","); got != "名册,历史" {
		t.Errorf("sheets = %s", got)
	}
	checkHeader(t, f, report.HistorySheet, report.HistoryColumns)
	if v, _ := f.GetCellValue(report.HistorySheet, "E3"); v != "2024-12-31" {
		t.Errorf("history E3 = %q", v)
	}
}

// checkHeader checks a sheet's header: the headers in order, bold, widths
// set, and the row frozen.
func checkHeader(t *testing.T, f *excelize.File, sheet string, cols []report.Column) {
	t.Helper()
	for i, c := range cols {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		v, _ := f.GetCellValue(sheet, ref)
		id, _ := f.GetCellStyle(sheet, ref)
		st, err := f.GetStyle(id)
		if v != c.Header || err != nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("%s!%s = %q (style %+v, %v), want bold %q", sheet, ref, v, st, err, c.Header)
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		if w, _ := f.GetColWidth(sheet, col); c.Width > 0 && w != c.Width {
			t.Errorf("%s column %s width = %v, want %v", sheet, col, w, c.Width)
		}
	}
	p, err := f.GetPanes(sheet)
	if err != nil || !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
		t.Errorf("%s panes = %+v, %v; want the header row frozen", sheet, p, err)
	}
}

// tr stands in for the catalogue: it shows the key and its arguments.
func tr(key string, args ...any) string {
	if len(args) > 0 {
		return key + fmt.Sprint(args...)
	}
	return key
}

func TestPeopleTemplate(t *testing.T) {
	b, err := report.PeopleTemplate(tr, report.TemplateData{
		Categories: []string{"医疗义诊", "文化服务（演出、电影）"}, Orgs: []string{"市农牧业局", "机关党支部"}})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, b)
	if got := strings.Join(f.GetSheetList(), ","); got != "人员,说明" {
		t.Fatalf("sheets = %s", got)
	}
	checkHeader(t, f, report.PeopleSheet, report.PeopleColumns)
	want := []string{"姓名", "性别", "手机号", "身份证号", "政治面貌", "所属组织", "所在地区", "特长", "服务意愿", "可服务时间", "人才标签"}
	rows, _ := f.GetRows(report.PeopleSheet)
	if strings.Join(rows[0], ",") != strings.Join(want, ",") {
		t.Errorf("headers = %v, want %v", rows[0], want)
	}
	example := map[string]string{}
	for i, h := range rows[0] {
		if i < len(rows[1]) {
			example[h] = rows[1][i]
		}
	}
	if example["所属组织"] != "市农牧业局" || example["手机号"] != report.ExamplePhone || !domain.ValidIDCard(example["身份证号"]) {
		t.Errorf("example row = %v", example)
	}
	// The phone and ID columns are text, so Excel keeps 18 digits as typed.
	id, _ := f.GetCellStyle(report.PeopleSheet, "D5")
	if st, _ := f.GetStyle(id); st == nil || st.NumFmt != 49 {
		t.Errorf("ID column style = %+v, want the text format (49)", st)
	}
	dv, err := f.GetDataValidations(report.PeopleSheet)
	if err != nil || len(dv) != 2 {
		t.Errorf("data validations = %d, %v; want drop-downs for 性别 and 政治面貌", len(dv), err)
	}
	notes, _ := f.GetRows(report.NotesSheet)
	byColumn := map[string][]string{}
	for _, r := range notes {
		if len(r) > 0 {
			byColumn[r[0]] = r
		}
	}
	checks := map[string]string{
		"政治面貌":  "中共党员、预备党员、共青团员、入党积极分子、群众",
		"性别":    "男、女",
		"服务意愿":  "医疗义诊、文化服务（演出、电影）",
		"所属组织":  "市农牧业局、机关党支部",
		"可服务时间": "工作日上午",
		"人才标签":  "骨干、专业人才",
	}
	for col, want := range checks {
		r := byColumn[col]
		if len(r) < 4 || !strings.Contains(r[3], want) || r[2] == "" {
			t.Errorf("notes for %s = %q, want values containing %q", col, r, want)
		}
	}
	if r := byColumn["姓名"]; len(r) < 3 || r[1] != "excel.notes.mandatory" || r[2] != "excel.note.name" {
		t.Errorf("notes for 姓名 = %q", r)
	}

	// The template, filled in, reads back as its example row.
	var buf bytes.Buffer
	b2, _ := report.PeopleTemplate(tr, report.TemplateData{Orgs: []string{"市农牧业局"}})
	b2.WriteTo(&buf)
	b2.Close()
	tab, err := report.Read(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if _, faults := tab.Index(report.PeopleColumns); len(faults) != 0 || len(tab.Rows) != 1 || tab.Rows[0].Number != 2 {
		t.Errorf("template read back: faults %v, rows %v", faults, tab.Rows)
	}
}

func TestRosterTemplate(t *testing.T) {
	b, err := report.RosterTemplate(tr)
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, b)
	if got := strings.Join(f.GetSheetList(), ","); got != "名册,说明" {
		t.Fatalf("sheets = %s", got)
	}
	checkHeader(t, f, report.RosterSheet, report.RosterColumns)
	rows, _ := f.GetRows(report.RosterSheet)
	if strings.Join(rows[0], ",") != "手机号,姓名,角色,加入日期" || len(rows) != 2 {
		t.Errorf("roster template rows = %q", rows)
	}
}
