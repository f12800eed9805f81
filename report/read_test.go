package report_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"vanguard/domain"
	"vanguard/report"
)

// xlsxOf builds a workbook whose first sheet holds rows, from A1.
func xlsxOf(t testing.TB, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// errKey returns the catalogue key of an application error, or its text.
func errKey(err error) string {
	if e, ok := domain.AsError(err); ok {
		return e.Key
	}
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want report.Format
		key  string
	}{
		{"xlsx", xlsxOf(t, []any{"姓名"}), report.XLSX, ""},
		{"csv", []byte("姓名,手机号\n王芳,13900001234\n"), report.CSV, ""},
		{"empty", []byte(" \n"), "", "err.excel.empty_file"},
		{"old xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), "", "err.excel.xls"},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"), "", "err.excel.not_spreadsheet"},
		{"binary", []byte{0x00, 0x01, 0x02, 0xff, 0xfe, 0x80}, "", "err.excel.not_spreadsheet"},
		{"pdf with a NUL", []byte("%PDF-1.7\n\x00\x01binary"), "", "err.excel.not_spreadsheet"},
	}
	for _, tt := range tests {
		got, err := report.Sniff(tt.data)
		if got != tt.want || (tt.key == "" && err != nil) || (tt.key != "" && errKey(err) != tt.key) {
			t.Errorf("%s: Sniff = %q, %v; want %q, %q", tt.name, got, err, tt.want, tt.key)
		}
	}
}

func TestReadRefusesWhatIsNotASpreadsheet(t *testing.T) {
	// A zip that is not a workbook, a truncated workbook, and a PNG.
	var plainZip bytes.Buffer
	zw := zip.NewWriter(&plainZip)
	w, _ := zw.Create("readme.txt")
	w.Write([]byte("hello"))
	zw.Close()
	book := xlsxOf(t, []any{"姓名"})
	for name, data := range map[string][]byte{
		"plain zip": plainZip.Bytes(),
		"truncated": book[:len(book)/2],
		"png":       []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
	} {
		if _, err := report.Read(data); errKey(err) != "err.excel.not_spreadsheet" {
			t.Errorf("%s: Read error = %v, want err.excel.not_spreadsheet", name, err)
		}
	}
	if _, err := report.Read(make([]byte, report.MaxUploadBytes+1)); errKey(err) != "err.excel.too_large" {
		t.Errorf("11 MB: Read error = %v, want err.excel.too_large", err)
	}
}

func TestReadXLSX(t *testing.T) {
	data := xlsxOf(t,
		[]any{"姓名", "手机号", "加入日期"},
		[]any{" 王芳 ", 13900001234, "2025-03-05"},
		[]any{},
		[]any{"李强", "'=HYPERLINK(1)", 45721},
	)
	tab, err := report.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Format != report.XLSX || tab.HeaderRow != 1 || strings.Join(tab.Header, "|") != "姓名|手机号|加入日期" {
		t.Fatalf("header = %v %d %q", tab.Format, tab.HeaderRow, tab.Header)
	}
	want := []report.Row{
		{Number: 2, Cells: []string{"王芳", "13900001234", "2025-03-05"}},
		{Number: 4, Cells: []string{"李强", "=HYPERLINK(1)", "45721"}},
	}
	if fmt.Sprint(tab.Rows) != fmt.Sprint(want) {
		t.Errorf("rows = %v, want %v (blank row 3 skipped, numbers raw, quote before a formula removed)", tab.Rows, want)
	}
	if d, ok := report.ParseDate(tab.Rows[1].Cell(2)); !ok || d != "2025-03-05" {
		t.Errorf("Excel serial day 45721 = %q, %v; want 2025-03-05", d, ok)
	}
}

func TestReadCSVEncodings(t *testing.T) {
	text := "姓名,手机号,特长\n王芳,13900001234,\"兽医、驾驶\"\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range strings.ReplaceAll(text, ",", "\t") {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	for name, data := range map[string][]byte{
		"utf-8":            []byte(text),
		"utf-8 with BOM":   append([]byte{0xEF, 0xBB, 0xBF}, text...),
		"gb18030":          []byte(gb),
		"utf-16 with tabs": utf16,
		"crlf":             []byte(strings.ReplaceAll(text, "\n", "\r\n")),
	} {
		tab, err := report.Read(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := fmt.Sprint(tab.Header, tab.Rows); got != "[姓名 手机号 特长] [{2 [王芳 13900001234 兽医、驾驶]}]" {
			t.Errorf("%s: read %s", name, got)
		}
	}
}

func TestReadCSVRowNumbers(t *testing.T) {
	// Row numbers are what a spreadsheet shows: blank lines count, and a
	// quoted cell over two lines is one row.
	data := "姓名,特长\n\n张三,\"兽医\n驾驶\"\n李四,厨师\n"
	tab, err := report.Read([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 2 || tab.Rows[0].Number != 3 || tab.Rows[1].Number != 4 {
		t.Errorf("rows = %v, want rows 3 and 4", tab.Rows)
	}
}

func TestReadRowLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("姓名\n")
	for i := 0; i < report.MaxDataRows; i++ {
		b.WriteString("张三\n")
	}
	tab, err := report.Read([]byte(b.String()))
	if err != nil || len(tab.Rows) != report.MaxDataRows {
		t.Fatalf("%d rows: err %v", report.MaxDataRows, err)
	}

	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	sw.SetRow("A1", []any{"姓名", "手机号"})
	for i := 2; i <= report.MaxDataRows+2; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		if err := sw.SetRow(cell, []any{"张三", "13900001234"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := report.Read(buf.Bytes()); errKey(err) != "err.excel.too_many_rows" {
		t.Errorf("%d data rows: Read error = %v, want err.excel.too_many_rows", report.MaxDataRows+1, err)
	}
}

// zipBomb returns a valid workbook whose sheet XML is replaced by one that
// unpacks to size bytes: rows of one long run of the same letter, which
// deflate compresses about a thousand to one. When lie is set, the zip
// declares the sheet to be 1 KB.
func zipBomb(t testing.TB, size int, lie bool) []byte {
	t.Helper()
	src, err := zip.NewReader(bytes.NewReader(xlsxOf(t, []any{"姓名"})), int64(len(xlsxOf(t, []any{"姓名"}))))
	if err != nil {
		t.Fatal(err)
	}
	var sheet bytes.Buffer
	fw, _ := flate.NewWriter(&sheet, flate.BestSpeed)
	fw.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`))
	row := []byte(`<row><c t="inlineStr"><is><t>` + strings.Repeat("A", 1<<20) + `</t></is></c></row>`)
	n := 0
	for ; n < size; n += len(row) {
		fw.Write(row)
	}
	fw.Write([]byte(`</sheetData></worksheet>`))
	fw.Close()

	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range src.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			declared := uint64(n)
			if lie {
				declared = 1024
			}
			w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate,
				CompressedSize64: uint64(sheet.Len()), UncompressedSize64: declared})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(sheet.Bytes())
			continue
		}
		w, _ := zw.Create(f.Name)
		r, _ := f.Open()
		io.Copy(w, r)
		r.Close()
	}
	zw.Close()
	return out.Bytes()
}

func TestZipBombRefused(t *testing.T) {
	bomb := zipBomb(t, 600<<20, false)
	t.Logf("zip bomb: %.2f MB unpacking to 600 MB", float64(len(bomb))/(1<<20))
	if len(bomb) > report.MaxUploadBytes {
		t.Fatalf("the bomb (%d bytes) is over the upload limit; it would not test the unzip limit", len(bomb))
	}
	// Refused from the zip's directory, before anything is unpacked. With
	// excelize's default options the same file took 28.5 s and ~2.7 GB
	// (FINDINGS.md).
	start := time.Now()
	_, err := report.Read(bomb)
	if errKey(err) != "err.excel.unzip_limit" {
		t.Fatalf("Read(zip bomb) error = %v, want err.excel.unzip_limit", err)
	}
	// No wall-clock bound (tests assert none): the size limit is what
	// refuses it, and the time is only logged.
	t.Logf("refused in %v", time.Since(start))
	// excelize, given the same limits, refuses it too.
	_, err = excelize.OpenReader(bytes.NewReader(bomb), excelize.Options{
		UnzipSizeLimit: report.UnzipSizeLimit, UnzipXMLSizeLimit: report.UnzipXMLSizeLimit})
	if err == nil || !strings.Contains(err.Error(), "unzip size exceeds") {
		t.Errorf("excelize with UnzipSizeLimit: error = %v", err)
	}
}

func TestZipBombWithLyingSizesRefused(t *testing.T) {
	// The zip says the sheet is 1 KB; archive/zip stops reading an entry
	// past its declared size, so the lie gets no further.
	start := time.Now()
	_, err := report.Read(zipBomb(t, 200<<20, true))
	if errKey(err) != "err.excel.unreadable" {
		t.Fatalf("Read(lying zip bomb) error = %v, want err.excel.unreadable", err)
	}
	t.Logf("refused in %v", time.Since(start))
}

func TestIndex(t *testing.T) {
	tab := &report.Table{HeaderRow: 1, Header: []string{"姓名*", "手机号（必填）", "备注", "角色", "角色"}}
	idx, faults := tab.Index(report.RosterColumns)
	if idx[report.ColName] != 0 || idx[report.ColPhone] != 1 || idx[report.ColRole] != 3 {
		t.Errorf("index = %v", idx)
	}
	got := map[string]string{}
	for _, f := range faults {
		got[f.Column] = f.Key
	}
	want := map[string]string{"备注": "excel.reason.unknown_column", "角色": "excel.reason.duplicate_column"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("faults = %v, want %v", got, want)
	}
	_, faults = (&report.Table{HeaderRow: 3, Header: []string{"姓名"}}).Index(report.RosterColumns)
	if len(faults) != 1 || fmt.Sprint(faults[0]) != fmt.Sprint(report.Fault{Row: 3, Column: report.ColPhone, Key: "excel.reason.missing_column"}) {
		t.Errorf("missing phone column: faults = %v", faults)
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("姓名,手机号\n王芳,13900001234\n"))
	f.Add([]byte("\xef\xbb\xbf姓名\t手机号\r\n\"a\"\"b\",1\r\n"))
	f.Add(xlsxOf(f, []any{"姓名", "手机号"}, []any{"王芳", 13900001234}))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := report.Read(data)
		if err != nil {
			if _, ok := domain.AsError(err); !ok {
				t.Fatalf("Read returned a non-application error: %v", err)
			}
			return
		}
		if len(tab.Rows) > report.MaxDataRows || tab.Header == nil {
			t.Fatalf("Read returned %d rows, header %v", len(tab.Rows), tab.Header)
		}
		for _, r := range tab.Rows {
			if r.Number <= tab.HeaderRow || len(r.Cells) > report.MaxColumns {
				t.Fatalf("row %d after header %d with %d cells", r.Number, tab.HeaderRow, len(r.Cells))
			}
		}
	})
}
