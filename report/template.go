package report

import (
	"strings"

	"github.com/xuri/excelize/v2"
)

// NotesSheet is the name of a template's second sheet, which explains each
// column and the values it allows.
const NotesSheet = "说明"

// Sheet names of the templates and exports.
const (
	PeopleSheet  = "人员"
	RosterSheet  = "名册"
	HistorySheet = "历史"
)

// TemplateData is what a people template shows from the database: the
// names a 服务意愿 cell may use, and the orgs the importer may import into.
type TemplateData struct {
	Categories []string
	Orgs       []string
}

// maxListed is how many orgs the notes name before "and N more".
const maxListed = 30

// PeopleTemplate is the workbook a people import starts from.
func PeopleTemplate(tr Translate, d TemplateData) (*Book, error) {
	orgs := strings.Join(d.Orgs, "、")
	if len(d.Orgs) > maxListed {
		orgs = strings.Join(d.Orgs[:maxListed], "、") + tr("excel.note.and_more", len(d.Orgs)-maxListed)
	}
	values := map[string]string{
		ColGender:       strings.Join(firstNames(genderWords), "、"),
		ColStatus:       strings.Join(firstNames(statusWords), "、"),
		ColOrg:          orgs,
		ColWillingness:  strings.Join(d.Categories, "、"),
		ColAvailability: slotWordsText(),
		ColTalents:      strings.Join(firstNames(talentWords), "、"),
	}
	example := map[string]string{}
	if len(d.Orgs) > 0 {
		example[ColOrg] = d.Orgs[0]
	}
	drops := map[string][]string{ColGender: firstNames(genderWords), ColStatus: firstNames(statusWords)}
	return writeTemplate(tr, PeopleSheet, PeopleColumns, example, values, drops)
}

// RosterTemplate is the workbook a roster import starts from.
func RosterTemplate(tr Translate) (*Book, error) {
	values := map[string]string{ColRole: strings.Join(firstNames(roleWords), "、")}
	drops := map[string][]string{ColRole: firstNames(roleWords)}
	return writeTemplate(tr, RosterSheet, RosterColumns, nil, values, drops)
}

// slotWordsText lists every time-slot word an availability cell accepts.
func slotWordsText() string {
	var out []string
	for _, d := range dayParts {
		for _, t := range timeParts {
			out = append(out, d.word+t.word)
		}
	}
	return strings.Join(append(out, anyTime...), "、")
}

type templateStyles struct{ header, text, example, exampleText, wrap int }

func newTemplateStyles(f *excelize.File) (templateStyles, error) {
	var s templateStyles
	gray := &excelize.Font{Italic: true, Color: "808080"}
	text := 49 // the "@" number format: keep what is typed as text
	var err error
	for _, x := range []struct {
		dst   *int
		style *excelize.Style
	}{
		{&s.header, headerStyle},
		{&s.text, &excelize.Style{NumFmt: text}},
		{&s.example, &excelize.Style{Font: gray}},
		{&s.exampleText, &excelize.Style{Font: gray, NumFmt: text}},
		{&s.wrap, &excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
	} {
		if *x.dst, err = f.NewStyle(x.style); err != nil {
			return s, err
		}
	}
	return s, nil
}

// writeTemplate writes a template: the sheet to fill with a styled header
// row and an example row, text-formatted columns where digits must stay as
// typed, drop-down lists for the fixed values, and the notes sheet.
func writeTemplate(tr Translate, sheet string, cols []Column, example, values map[string]string,
	drops map[string][]string) (*Book, error) {
	f := excelize.NewFile()
	b := &Book{f: f, sheets: 2}
	fail := func(err error) (*Book, error) {
		f.Close()
		return nil, err
	}
	st, err := newTemplateStyles(f)
	if err != nil {
		return fail(err)
	}
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return fail(err)
	}
	for i, c := range cols {
		col, _ := excelize.ColumnNumberToName(i + 1)
		head, _ := excelize.CoordinatesToCellName(i+1, 1)
		ex, _ := excelize.CoordinatesToCellName(i+1, 2)
		v := c.Example
		if e, ok := example[c.Header]; ok {
			v = e
		}
		exStyle := st.example
		if c.Text {
			exStyle = st.exampleText
			if err := f.SetColStyle(sheet, col, st.text); err != nil {
				return fail(err)
			}
		}
		steps := []error{
			f.SetColWidth(sheet, col, col, width(c)),
			f.SetCellStr(sheet, head, c.Header),
			f.SetCellStyle(sheet, head, head, st.header),
			f.SetCellStr(sheet, ex, v),
			f.SetCellStyle(sheet, ex, ex, exStyle),
		}
		if list, ok := drops[c.Header]; ok {
			steps = append(steps, dropList(f, sheet, col, list))
		}
		for _, err := range steps {
			if err != nil {
				return fail(err)
			}
		}
	}
	if err := f.SetPanes(sheet, frozenHeader()); err != nil {
		return fail(err)
	}
	if err := writeNotes(f, st, tr, cols, values); err != nil {
		return fail(err)
	}
	f.SetActiveSheet(0)
	return b, nil
}

// dropList offers a column's fixed values in a drop-down. It only warns on
// other input, because imports also accept common variants (党员 for
// 中共党员).
func dropList(f *excelize.File, sheet, col string, list []string) error {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = col + "2:" + col + "50001"
	if err := dv.SetDropList(list); err != nil {
		return err
	}
	dv.SetError(excelize.DataValidationErrorStyleWarning, "", "")
	return f.AddDataValidation(sheet, dv)
}

// writeNotes writes the notes sheet: one row per column (header, whether an
// import needs it, what to write, the values it allows), then general notes.
func writeNotes(f *excelize.File, st templateStyles, tr Translate, cols []Column, values map[string]string) error {
	if _, err := f.NewSheet(NotesSheet); err != nil {
		return err
	}
	rows := [][]string{{tr("excel.notes.column"), tr("excel.notes.required"), tr("excel.notes.how"), tr("excel.notes.values")}}
	for _, c := range cols {
		req := tr("excel.notes.optional")
		if c.Required {
			req = tr("excel.notes.mandatory")
		}
		rows = append(rows, []string{c.Header, req, tr(c.Note), values[c.Header]})
	}
	rows = append(rows, nil,
		[]string{tr("excel.notes.general")},
		[]string{"1", tr("excel.notes.general_header")},
		[]string{"2", tr("excel.notes.general_example", ExamplePhone)},
		[]string{"3", tr("excel.notes.general_limits", MaxDataRows, MaxUploadBytes>>20)},
		[]string{"4", tr("excel.notes.general_csv")},
		[]string{"5", tr("excel.notes.general_all_or_nothing")},
	)
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		row := make([]any, len(r))
		for j, v := range r {
			row[j] = v
		}
		if err := f.SetSheetRow(NotesSheet, cell, &row); err != nil {
			return err
		}
	}
	for col, w := range map[string]float64{"A": 14, "B": 10, "C": 60, "D": 60} {
		if err := f.SetColWidth(NotesSheet, col, col, w); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(4, len(rows))
	general, _ := excelize.CoordinatesToCellName(1, len(cols)+3)
	for _, err := range []error{
		f.SetCellStyle(NotesSheet, "A2", last, st.wrap),
		f.SetCellStyle(NotesSheet, "A1", "D1", st.header),
		f.SetCellStyle(NotesSheet, general, general, st.header),
		f.SetPanes(NotesSheet, frozenHeader()),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
