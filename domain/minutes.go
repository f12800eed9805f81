package domain

import (
	"strconv"
	"strings"
	"time"
)

// Minutes is a length of service time in whole minutes. Hours are stored,
// summed and compared as integers, so that no sum drifts the way floats do
// (16.740000000000002), and shown with Hours: at most two decimals. Every
// figure of hours — pages, exports, certificates, star levels, campaigns —
// is a Minutes.
type Minutes int64

// HoursOf returns h whole hours in minutes.
func HoursOf(h int64) Minutes { return Minutes(h * 60) }

// MinutesIn returns the whole minutes in d, rounded down, so that a time a
// few seconds short of an hour never counts as the hour.
func MinutesIn(d time.Duration) Minutes {
	if d <= 0 {
		return 0
	}
	return Minutes(d / time.Minute)
}

// Duration is m as a time.Duration.
func (m Minutes) Duration() time.Duration { return time.Duration(m) * time.Minute }

// Hours writes m in hours the way every page, export and certificate shows
// them: rounded half up to at most two decimals, trailing zeros trimmed —
// 1004 minutes are "16.73", 90 are "1.5", 120 are "2".
func (m Minutes) Hours() string {
	neg := m < 0
	if neg {
		m = -m
	}
	c := (int64(m)*100 + 30) / 60 // hundredths of an hour
	s := strconv.FormatInt(c/100, 10)
	if f := c % 100; f != 0 {
		d := strconv.FormatInt(f+100, 10)[1:]
		s += "." + strings.TrimSuffix(d, "0")
	}
	if neg && c != 0 {
		s = "-" + s
	}
	return s
}

// maxHoursText bounds the hours a person may type, far above any real
// figure, so that parsing cannot overflow.
const maxHoursText = 12

// ParseHours reads hours as a person types them — "1.5", "16.74", "２",
// a full-width point or a comma for the point — into minutes, rounded to
// the nearest minute. It reports false for anything that is not a
// non-negative decimal number.
func ParseHours(s string) (Minutes, bool) {
	s = strings.NewReplacer("。", ".", "，", ".", ",", ".", "．", ".").Replace(strings.TrimSpace(s))
	s = strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return '0' + (r - '０')
		}
		return r
	}, s)
	whole, frac, _ := strings.Cut(s, ".")
	if len(s) == 0 || len(s) > maxHoursText || (whole == "" && frac == "") {
		return 0, false
	}
	var n, den int64 = 0, 1
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, false
			}
			n = n*10 + int64(r-'0')
		}
	}
	for range frac {
		den *= 10
	}
	// n/den hours is n*60/den minutes, rounded half up.
	return Minutes((n*60*2 + den) / (2 * den)), true
}
