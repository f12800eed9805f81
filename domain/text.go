package domain

import (
	"strings"
	"unicode/utf8"
)

// The one rule for text that people type. Every text field is either a
// line (a name, a title, an address, a phone: no line breaks, no tabs) or a
// text (a need, a comment, a description: tabs and line breaks allowed).
// Neither may hold invalid UTF-8, any other control character (C0, DEL,
// C1) or a bidirectional override or isolate (U+202A–U+202E,
// U+2066–U+2069): those can hide or reorder what a page shows, and
// PostgreSQL refuses a NUL outright. Validation reports "err.text" for a bad
// character and "err.text.line" for a line break or tab in a line.

// CleanText reports whether s is valid UTF-8 without control characters
// (tabs and line breaks aside) or bidirectional overrides, which could hide
// or reorder what a name shows. It is the rule for multi-line fields.
func CleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return false
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return false
		}
	}
	return true
}

// CleanLine reports whether s is clean text on one line: CleanText without
// tabs or line breaks. It is the rule for single-line fields.
func CleanLine(s string) bool {
	return CleanText(s) && !strings.ContainsAny(s, "\t\r\n")
}

// Line checks an optional single-line field of at most max characters and
// returns it trimmed, recording the first fault of the field in v.
func (v *Validation) Line(field, s string, max int) string {
	s = strings.TrimSpace(s)
	switch {
	case !CleanText(s):
		v.Add(field, "err.text")
	case !CleanLine(s):
		v.Add(field, "err.text.line")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, "err.too_long", max)
	}
	return s
}

// Text checks an optional multi-line field of at most max characters and
// returns it trimmed, recording the first fault of the field in v.
func (v *Validation) Text(field, s string, max int) string {
	s = strings.TrimSpace(s)
	switch {
	case !CleanText(s):
		v.Add(field, "err.text")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, "err.too_long", max)
	}
	return s
}

// ValidText checks one optional multi-line field on its own, for the use
// cases that take a single free text (a reason, a reply, a note).
func ValidText(field, s string, max int) (string, error) {
	var v Validation
	s = v.Text(field, s, max)
	return s, v.Err()
}

// ValidLine checks one optional single-line field on its own.
func ValidLine(field, s string, max int) (string, error) {
	var v Validation
	s = v.Line(field, s, max)
	return s, v.Err()
}
