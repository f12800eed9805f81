package domain

import (
	"strconv"
	"strings"
	"time"
)

// Period is the days a ledger covers, both included (YYYY-MM-DD): a
// calendar year, or a range the reader chose.
type Period struct {
	Year     int // the year, when the period is one
	From, To string
}

// Ledger limits: the years a ledger may be asked for, and the longest
// range of days — one year: a ledger is the record book of a year, and a
// longer one would be built in memory for whoever may read it.
const (
	LedgerFirstYear = 2000
	LedgerLastYear  = 2099
	LedgerMaxDays   = 366
)

// ParsePeriod reads a ledger's filters as typed: a range from–to when
// either is given, else a year, else the year of today. Faults name the
// field.
func ParsePeriod(year, from, to, today string) (Period, error) {
	from, to, year = strings.TrimSpace(from), strings.TrimSpace(to), strings.TrimSpace(year)
	var v Validation
	if from != "" || to != "" {
		okFrom := v.CheckDate("from", from, EarliestService, LatestPlan)
		okTo := v.CheckDate("to", to, EarliestService, LatestPlan)
		if okFrom && okTo {
			f, _ := time.Parse("2006-01-02", from)
			t, _ := time.Parse("2006-01-02", to)
			switch {
			case t.Before(f):
				v.Add("to", "err.ledger.to_before_from")
			case t.Sub(f) > LedgerMaxDays*24*time.Hour:
				v.Add("to", "err.ledger.too_long", LedgerMaxDays/366)
			}
		}
		return Period{From: from, To: to}, v.Err()
	}
	if year == "" && len(today) >= 4 {
		year = today[:4]
	}
	y, err := strconv.Atoi(year)
	if err != nil || y < LedgerFirstYear || y > LedgerLastYear {
		v.Add("year", "err.ledger.year", LedgerFirstYear, LedgerLastYear)
		return Period{}, v.Err()
	}
	return YearPeriod(y), nil
}

// YearPeriod is the calendar year y.
func YearPeriod(y int) Period {
	s := strconv.Itoa(y)
	return Period{Year: y, From: s + "-01-01", To: s + "-12-31"}
}

// Bounds returns the instants [start, end) of the period in China time.
func (p Period) Bounds() (start, end time.Time) {
	f, _ := time.ParseInLocation("2006-01-02", p.From, ChinaZone)
	t, _ := time.ParseInLocation("2006-01-02", p.To, ChinaZone)
	return f, t.AddDate(0, 0, 1)
}

// Query is the period as URL query parameters: year=… or from=…&to=….
func (p Period) Query() string {
	if p.Year != 0 {
		return "year=" + strconv.Itoa(p.Year)
	}
	return "from=" + p.From + "&to=" + p.To
}

// Contains reports whether a day (YYYY-MM-DD) lies in the period; "" does
// not.
func (p Period) Contains(day string) bool { return day != "" && day >= p.From && day <= p.To }
