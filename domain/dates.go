package domain

import "time"

// Ranges of dates that make sense, one place for every date field. The
// domain has no clock: validations that depend on today take it as an
// argument.
const (
	// EarliestHistory is the oldest date of a person's or team's history:
	// a training, an award, a team's founding, a membership.
	EarliestHistory = "1950-01-01"
	// EarliestService is the oldest date of a service record the platform
	// keeps: campaigns, brand projects, certificate periods.
	EarliestService = "2000-01-01"
	// LatestPlan is the latest date a plan may name: a campaign's or a
	// project's end.
	LatestPlan = "2099-12-31"
	// ActivityYears is how far from today an activity may lie, past or
	// future.
	ActivityYears = 10
	// OrderYears is how far ahead an order's window may reach, and how far
	// back staff may enter an order that came by hotline, forum or visit.
	OrderYears = 1
)

// AddYears returns the date n years from day (YYYY-MM-DD); day as it is
// when it is not a date.
func AddYears(day string, n int) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day
	}
	return t.AddDate(n, 0, 0).Format("2006-01-02")
}

// CheckDate records a fault of field in v unless s is a YYYY-MM-DD date
// from min to max, both included, and reports whether it is.
func (v *Validation) CheckDate(field, s, min, max string) bool {
	switch {
	case !ValidDate(s):
		v.Add(field, "err.date_format")
	case s < min || s > max:
		v.Add(field, "err.date_range", min, max)
	default:
		return true
	}
	return false
}
