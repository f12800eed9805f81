package domain

import (
	"strings"
	"time"
)

// AuditEntry is one row of the append-only audit log.
type AuditEntry struct {
	ID         int64
	At         time.Time // UTC
	UserID     int64     // 0 for the public or the system
	Username   string
	Role       Role
	Action     string // "user.login", "user.password_change", …
	ObjectType string
	ObjectID   string
	IP         string
	RequestID  string
	Before     string // a JSON summary with personal data masked
	After      string
}

// AuditFilter selects audit rows for the committee's audit page.
type AuditFilter struct {
	Action     string // prefix match: "user." selects all user actions
	Username   string
	ObjectType string
	From, To   time.Time // To is exclusive
	BeforeID   int64     // keyset pagination: rows with a smaller id
	Limit      int
}

// Actor is who performs a write, as the audit log records it.
type Actor struct {
	UserID    int64
	Username  string
	Role      Role
	IP        string
	RequestID string
}

// SystemActor is the actor for writes the program makes on its own, such as
// the first start creating the committee admin.
var SystemActor = Actor{Username: "system", Role: RoleCommitteeAdmin}

// secretKeys are summary keys whose values never reach the audit log.
var secretKeys = []string{"password", "secret", "token", "hash"}

// personalKeys are summary keys whose values are masked in the audit log.
var personalKeys = map[string]func(string) string{
	"phone":         MaskPhone,
	"mobile":        MaskPhone,
	"id_card":       MaskIDCard,
	"email":         MaskEmail,
	"wechat_openid": MaskIDCard,
}

// SanitizeSummary returns a copy of a before/after summary that is safe to
// store: secrets are dropped and personal numbers masked.
func SanitizeSummary(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
outer:
	for k, v := range m {
		lk := strings.ToLower(k)
		_, isStr := v.(string)
		for _, s := range secretKeys {
			// Flags and counts about a secret ("must_change_password": true)
			// reveal nothing; only text is redacted.
			if strings.Contains(lk, s) && (isStr || v == nil) {
				out[k] = "[redacted]"
				continue outer
			}
		}
		if mask, ok := personalKeys[lk]; ok {
			if s, isStr := v.(string); isStr {
				v = mask(s)
			}
		}
		out[k] = v
	}
	return out
}

// MaskPhone shows the first three and last four digits of a mobile number:
// 138****1234. Shorter values are masked whole.
func MaskPhone(s string) string {
	r := []rune(s)
	if len(r) < 8 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
}

// MaskIDCard shows the first four and last four characters of an ID number.
func MaskIDCard(s string) string {
	r := []rune(s)
	if len(r) < 9 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:4]) + strings.Repeat("*", len(r)-8) + string(r[len(r)-4:])
}
