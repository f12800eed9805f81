package domain

import (
	"net/mail"
	"regexp"
	"strings"
)

// How notifications reach a person besides the bell: an email address and
// a WeChat openid, both optional. Like the phone, an email address is
// masked in lists and pages unless the viewer asks to see it.

// MaxEmail is the longest email address accepted (RFC 5321's path limit).
const MaxEmail = 254

// NormalizeEmail trims an email address and lower-cases its domain.
func NormalizeEmail(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '@'); i > 0 {
		s = s[:i] + strings.ToLower(s[i:])
	}
	return s
}

// ValidEmail reports whether s is a plain address such as
// "wang.fang@example.cn": one @, a dotted domain, no display name, no
// spaces or control characters.
func ValidEmail(s string) bool {
	if s == "" || len(s) > MaxEmail || strings.ContainsAny(s, " \t\r\n<>\"") || !CleanLine(s) {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	host := s[at+1:]
	return at > 0 && strings.Contains(host, ".") && !strings.HasPrefix(host, ".") && !strings.HasSuffix(host, ".")
}

var openID = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// ValidOpenID reports whether s looks like a WeChat openid: 16 to 64
// letters, digits, "-" or "_" (an official account's openids are 28).
func ValidOpenID(s string) bool { return openID.MatchString(s) }

// MaskEmail shows the first character of the name and the domain:
// w***@example.cn. Something that is not an address is masked whole.
func MaskEmail(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 {
		return strings.Repeat("*", len([]rune(s)))
	}
	r := []rune(s[:at])
	return string(r[0]) + "***" + s[at:]
}
