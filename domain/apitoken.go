package domain

import "time"

// APIToken is a personal API token: a user's key for the JSON API, acting
// as that user with exactly their grants. Only a hash of its secret is
// kept; Hint is the first characters of the token, to tell tokens apart in
// a list.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Hint       string
	CreatedAt  time.Time
	ExpiresAt  time.Time // zero: never
	LastUsedAt time.Time // zero: never used
	RevokedAt  time.Time // zero: in force
}

// Limits of personal API tokens.
const (
	APITokenPrefix  = "vgd_" // every token starts with it, so leaked tokens are easy to find
	APITokenNameMax = 60
	APITokenMax     = 20 // tokens in force per user
	APITokenYears   = 2  // how far ahead an expiry may lie
	// APITokenTouch is how stale a token's last-used time may get: a token
	// used many times a minute is written at most once a minute.
	APITokenTouch = time.Minute
)

// Active reports whether the token may be used at now.
func (t APIToken) Active(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt))
}

// ValidateAPIToken checks a new token's name and optional expiry date
// (YYYY-MM-DD, after today and at most APITokenYears ahead) and returns the
// trimmed name.
func ValidateAPIToken(name, expiresOn, today string) (string, error) {
	var v Validation
	name = v.Line("name", name, APITokenNameMax)
	if name == "" {
		v.Add("name", "err.required")
	}
	if expiresOn != "" {
		v.CheckDate("expires_on", expiresOn, AddDays(today, 1), AddYears(today, APITokenYears))
	}
	return name, v.Err()
}

// AddDays returns the date n days from day (YYYY-MM-DD); day as it is when
// it is not a date.
func AddDays(day string, n int) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format("2006-01-02")
}
