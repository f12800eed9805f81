package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"vanguard/domain"
)

// checkInput is the safety net under the domain's text rule: a request
// whose path, query or url-encoded form holds a NUL or invalid UTF-8 is
// answered 422 before any handler runs, so no database sees such a value
// (PostgreSQL refuses a NUL in text with an error, which would be a 500),
// whatever handler forgot to validate. Search boxes and the login form are
// covered too. Multipart bodies (photo and Excel uploads) are read by their
// handlers, whose fields go through the domain's rule.
func checkInput(r *http.Request) error {
	if bad(r.URL.Path) {
		return domain.Invalid("", "err.text.unreadable")
	}
	values := r.URL.Query() // a malformed pair is the handler's to judge
	if r.Method == http.MethodPost {
		if err := parseForm(r); err != nil {
			return err
		}
		values = r.Form
	}
	for key, values := range values {
		if bad(key) {
			return domain.Invalid("", "err.text.unreadable")
		}
		for _, v := range values {
			if bad(v) {
				return domain.Invalid(key, "err.text.unreadable")
			}
		}
	}
	return nil
}

// bad reports whether s holds a NUL or is not valid UTF-8.
func bad(s string) bool { return strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) }
