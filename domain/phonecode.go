package domain

import (
	"strings"
	"time"

	"golang.org/x/text/width"
)

// Phone codes (短信验证码): with an SMS gateway, a six-digit code sent to a
// phone proves that whoever types it holds that phone. A code serves one
// purpose, expires, is accepted once and survives only a few wrong tries.

// PhoneCodePurpose is what a code confirms a phone for.
type PhoneCodePurpose string

// The purposes: self-registration, and finding an order by its number and
// phone.
const (
	PhoneCodeRegister PhoneCodePurpose = "register"
	PhoneCodeTrack    PhoneCodePurpose = "track"
)

// Valid reports whether p is a known purpose.
func (p PhoneCodePurpose) Valid() bool { return p == PhoneCodeRegister || p == PhoneCodeTrack }

// The rules of a code: six digits, good for ten minutes, at most five wrong
// tries (a million codes, five guesses: one chance in 200,000 per code).
const (
	PhoneCodeLen      = 6
	PhoneCodeTTL      = 10 * time.Minute
	PhoneCodeMaxTries = 5
)

// NormalizePhoneCode strips spaces and folds full-width digits, as typed on
// a Chinese keyboard; it returns "" unless six digits remain.
func NormalizePhoneCode(s string) string {
	s = strings.Join(strings.Fields(width.Fold.String(s)), "")
	if len(s) != PhoneCodeLen {
		return ""
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return s
}
