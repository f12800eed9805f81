// Package report writes the platform's spreadsheets — import templates and
// exports of people and rosters — and reads the spreadsheets users upload,
// within limits that a hostile file cannot get around.
//
// It is a pure package: it takes bytes and domain values and returns tables,
// faults and workbooks. Which rows may be written, and by whom, is for the
// services to decide.
package report

import "vanguard/domain"

// Limits of an upload. A file over MaxUploadBytes is refused before it is
// read; an xlsx whose parts unpack to more than UnzipSizeLimit is refused
// before it is unpacked (a 0.6 MB "zip bomb" can unpack to 600 MB and take
// half a minute and gigabytes of memory: FINDINGS.md).
const (
	MaxUploadBytes    = 10 << 20
	MaxDataRows       = 50_000
	MaxColumns        = 100
	UnzipSizeLimit    = 50 << 20
	UnzipXMLSizeLimit = 20 << 20
	maxZipEntries     = 2_000
)

// Fault is one problem found in an uploaded file: a row as the spreadsheet
// shows it (the header is row 1), the column's header, and a catalogue key
// with its arguments that says what is wrong in the user's language.
type Fault struct {
	Row    int
	Column string
	Key    string
	Args   []any
}

// Translate turns a catalogue key into the reader's language. Templates
// explain their columns through it; the web layer passes i18n.T bound to
// the request.
type Translate func(key string, args ...any) string

// invalid is a fault of the whole file.
func invalid(key string, args ...any) error { return domain.Errorf(domain.CodeInvalid, key, args...) }
