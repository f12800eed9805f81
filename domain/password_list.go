package domain

import (
	_ "embed"
	"strings"
)

//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsText, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
}()

// IsCommonPassword reports whether s is on the list of most common passwords
// or is one character repeated.
func IsCommonPassword(s string) bool {
	l := strings.ToLower(s)
	if commonPasswords[l] {
		return true
	}
	return len(l) > 0 && strings.Count(l, l[:1]) == len(l)
}
