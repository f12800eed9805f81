package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// formulaStarts are the first characters that make a spreadsheet treat
// typed text as a formula (or, for tab and CR, that CSV-injection filters
// look for).
const formulaStarts = "=+-@\t\r"

// SafeText makes text that would start a formula harmless: it is prefixed
// with a quote, the mark spreadsheets use for "this is text". Cells are
// also always written with the string type, so Excel never evaluates them;
// the quote keeps them inert when a user saves the sheet as CSV and opens
// it again. Imports remove the quote (see cleanCell).
func SafeText(s string) string {
	if s != "" && strings.IndexByte(formulaStarts, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// Book is a workbook being written, sheet after sheet, each streamed so
// that a large export never holds its rows in memory.
type Book struct {
	f      *excelize.File
	header int // style of header cells
	open   *SheetWriter
	sheets int
}

// NewBook starts an empty workbook.
func NewBook() (*Book, error) {
	f := excelize.NewFile()
	header, err := f.NewStyle(headerStyle)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Book{f: f, header: header}, nil
}

var headerStyle = &excelize.Style{
	Font:      &excelize.Font{Bold: true},
	Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}},
	Alignment: &excelize.Alignment{Vertical: "center"},
	Border:    []excelize.Border{{Type: "bottom", Color: "999999", Style: 1}},
}

// SheetWriter writes the rows of one sheet.
type SheetWriter struct {
	sw   *excelize.StreamWriter
	rows int
}

// Sheet starts the next sheet, named name, with a bold header row of cols
// that stays in view while scrolling, and the columns' widths. The sheet
// before it is finished.
func (b *Book) Sheet(name string, cols []Column) (*SheetWriter, error) {
	if err := b.finish(); err != nil {
		return nil, err
	}
	if b.sheets == 0 {
		if err := b.f.SetSheetName(b.f.GetSheetName(0), name); err != nil {
			return nil, err
		}
	} else if _, err := b.f.NewSheet(name); err != nil {
		return nil, err
	}
	b.sheets++
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, width(c)); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(frozenHeader()); err != nil {
		return nil, err
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: b.header, Value: c.Header}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{Height: 20}); err != nil {
		return nil, err
	}
	b.open = &SheetWriter{sw: sw, rows: 1}
	return b.open, nil
}

func width(c Column) float64 {
	if c.Width > 0 {
		return c.Width
	}
	return 14
}

func frozenHeader() *excelize.Panes {
	return &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}
}

// Row writes one row of text cells. Every cell is written as a string —
// never a number or a formula — and through SafeText.
func (w *SheetWriter) Row(cells ...string) error {
	values := make([]any, len(cells))
	for i, c := range cells {
		values[i] = SafeText(c)
	}
	w.rows++
	cell, err := excelize.CoordinatesToCellName(1, w.rows)
	if err != nil {
		return err
	}
	return w.sw.SetRow(cell, values)
}

// Rows is how many data rows were written.
func (w *SheetWriter) Rows() int { return w.rows - 1 }

func (b *Book) finish() error {
	if b.open == nil {
		return nil
	}
	err := b.open.sw.Flush()
	b.open = nil
	return err
}

// WriteTo finishes the workbook and writes it as xlsx.
func (b *Book) WriteTo(w io.Writer) (int64, error) {
	if err := b.finish(); err != nil {
		return 0, fmt.Errorf("finish sheet: %w", err)
	}
	b.f.SetActiveSheet(0)
	return b.f.WriteTo(w)
}

// Close releases the workbook's temporary files.
func (b *Book) Close() error { return b.f.Close() }

// ContentType is the media type of an xlsx file.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
