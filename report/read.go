package report

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	textunicode "golang.org/x/text/encoding/unicode"
)

// Format is the kind of an uploaded file, as its bytes tell.
type Format string

// The formats an import reads.
const (
	XLSX Format = "xlsx"
	CSV  Format = "csv"
)

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1} // .xls, or an encrypted .xlsx
	utf8BOM  = []byte{0xEF, 0xBB, 0xBF}
)

// Table is the first sheet of an upload as text: its header and its data
// rows. Blank rows are left out; every row keeps the number the spreadsheet
// shows for it.
type Table struct {
	Format    Format
	HeaderRow int
	Header    []string
	Rows      []Row
}

// Row is one data row.
type Row struct {
	Number int // as the spreadsheet shows it
	Cells  []string
}

// Cell returns the text of column i, or "" past the row's end.
func (r Row) Cell(i int) string {
	if i >= 0 && i < len(r.Cells) {
		return r.Cells[i]
	}
	return ""
}

// Read reads an upload: an xlsx workbook (its first sheet) or a csv file in
// UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark,
// or GB18030. The type is told from the bytes, never from the file name. The
// first non-blank row is the header. Faults of the whole file are returned as
// invalid application errors.
func Read(data []byte) (*Table, error) {
	if len(data) > MaxUploadBytes {
		return nil, invalid("err.excel.too_large", MaxUploadBytes>>20)
	}
	f, err := Sniff(data)
	if err != nil {
		return nil, err
	}
	t := &Table{Format: f}
	if f == XLSX {
		err = readXLSX(data, t.add)
	} else {
		err = readCSV(data, t.add)
	}
	if err != nil {
		return nil, err
	}
	if t.Header == nil {
		return nil, invalid("err.excel.no_header")
	}
	return t, nil
}

// add takes one row as read: the first non-blank row is the header, blank
// rows are skipped, and more than MaxDataRows data rows stop the reading.
func (t *Table) add(number int, cells []string) error {
	if len(cells) > MaxColumns {
		cells = cells[:MaxColumns]
	}
	blank := true
	for i, c := range cells {
		cells[i] = cleanCell(c)
		blank = blank && cells[i] == ""
	}
	switch {
	case blank:
		return nil
	case t.Header == nil:
		t.HeaderRow, t.Header = number, cells
		return nil
	case len(t.Rows) >= MaxDataRows:
		return invalid("err.excel.too_many_rows", MaxDataRows)
	}
	t.Rows = append(t.Rows, Row{Number: number, Cells: cells})
	return nil
}

// cleanCell trims spaces (also no-break and ideographic ones) and undoes the
// quote that exports put before text a spreadsheet would take for a formula.
func cleanCell(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' || r == '\u3000' || r == '\ufeff' })
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte(formulaStarts, s[1]) >= 0 {
		s = s[1:]
	}
	return s
}

// Sniff tells an xlsx from a csv by the file's first bytes and refuses
// anything else.
func Sniff(data []byte) (Format, error) {
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return "", invalid("err.excel.empty_file")
	case bytes.HasPrefix(data, zipMagic):
		return XLSX, nil
	case bytes.HasPrefix(data, oleMagic):
		return "", invalid("err.excel.xls")
	}
	if _, ok := decodeText(data); ok {
		return CSV, nil
	}
	return "", invalid("err.excel.not_spreadsheet")
}

// readXLSX reads the first sheet of a workbook. The zip's declared sizes are
// checked before anything is unpacked (archive/zip refuses an entry that
// unpacks to more than it declares), and excelize gets the same limits.
func readXLSX(data []byte, add func(int, []string) error) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return invalid("err.excel.not_spreadsheet")
	}
	if len(zr.File) > maxZipEntries {
		return invalid("err.excel.unzip_limit", UnzipSizeLimit>>20)
	}
	var total uint64
	workbook := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > UnzipSizeLimit {
			return invalid("err.excel.unzip_limit", UnzipSizeLimit>>20)
		}
		workbook = workbook || strings.EqualFold(f.Name, "xl/workbook.xml")
	}
	if !workbook {
		return invalid("err.excel.not_spreadsheet")
	}
	// excelize ignores read errors of an entry and goes on with what it got,
	// so an entry that is corrupt, or longer than it declares, would be read
	// as a truncated sheet. Unpacking every entry once, within the limit the
	// sizes above set, catches that (and costs a few ms per MB).
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return invalid("err.excel.unreadable")
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return invalid("err.excel.unreadable")
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: UnzipSizeLimit, UnzipXMLSizeLimit: UnzipXMLSizeLimit, RawCellValue: true,
	})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return invalid("err.excel.unzip_limit", UnzipSizeLimit>>20)
		}
		return invalid("err.excel.unreadable")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return invalid("err.excel.unreadable")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return invalid("err.excel.unreadable")
	}
	defer rows.Close()
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns()
		if err != nil {
			return invalid("err.excel.unreadable")
		}
		if err := add(n, cells); err != nil {
			return err
		}
	}
	if rows.Error() != nil {
		return invalid("err.excel.unreadable")
	}
	return nil
}

// decodeText returns data as UTF-8 text, or false when it is not text:
// UTF-8 (a BOM is dropped), UTF-16 with a BOM, or else GB18030, the encoding
// of csv files that Excel saves on Chinese Windows. Text holds no NUL or
// other control characters but tab and line ends, and decoding GB18030
// replaced no byte.
func decodeText(data []byte) (string, bool) {
	var s string
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		b, err := textunicode.UTF16(textunicode.LittleEndian, textunicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", false
		}
		s = string(b)
	case utf8.Valid(data):
		s = string(bytes.TrimPrefix(data, utf8BOM))
	default:
		b, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(b, utf8.RuneError) {
			return "", false
		}
		s = string(b)
	}
	s = strings.TrimPrefix(s, "\ufeff")
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return "", false
		}
	}
	return s, true
}

// readCSV reads a csv file, comma- or tab-separated (Excel's "Unicode text"
// is tab-separated). A row's number is the one a spreadsheet shows when it
// opens the file: blank lines count, and a quoted cell spanning several
// lines is one row.
func readCSV(data []byte, add func(int, []string) error) error {
	text, _ := decodeText(data)
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.Comma = delimiter(text)
	extra := 0 // lines taken by line breaks inside quoted cells so far
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return invalid("err.excel.csv", line)
		}
		line, _ := r.FieldPos(0)
		row := line - extra
		for _, c := range rec {
			extra += strings.Count(c, "\n")
		}
		if err := add(row, rec); err != nil {
			return err
		}
	}
}

// delimiter guesses the separator from the first line: a tab when it has
// tabs and no commas, else a comma.
func delimiter(text string) rune {
	first, _, _ := strings.Cut(text, "\n")
	if strings.Contains(first, "\t") && !strings.ContainsAny(first, ",，") {
		return '\t'
	}
	return ','
}

// Index maps each column of the spec to its position in the header. A
// required column that is missing, a header it does not know and a header
// given twice are faults of the header row.
func (t *Table) Index(spec []Column) (map[string]int, []Fault) {
	idx := map[string]int{}
	var faults []Fault
	known := map[string]bool{}
	for _, c := range spec {
		known[c.Header] = true
	}
	for i, h := range t.Header {
		h = normalizeHeader(h)
		switch {
		case h == "":
			continue
		case !known[h]:
			faults = append(faults, Fault{Row: t.HeaderRow, Column: t.Header[i], Key: "excel.reason.unknown_column"})
		case hasKey(idx, h):
			faults = append(faults, Fault{Row: t.HeaderRow, Column: h, Key: "excel.reason.duplicate_column"})
		default:
			idx[h] = i
		}
	}
	for _, c := range spec {
		if _, ok := idx[c.Header]; !ok && c.Required {
			faults = append(faults, Fault{Row: t.HeaderRow, Column: c.Header, Key: "excel.reason.missing_column"})
		}
	}
	return idx, faults
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

// normalizeHeader forgives what people add to a header: a required mark, a
// note in brackets, spaces.
func normalizeHeader(h string) string {
	h = strings.TrimSpace(h)
	for _, note := range []string{"（必填）", "(必填)", "（选填）", "(选填)"} {
		h = strings.TrimSuffix(h, note)
	}
	h = strings.TrimRight(h, "*＊ ")
	return strings.Join(strings.Fields(h), "")
}
