package domain

import (
	"fmt"
	"strconv"
	"strings"
)

// Duration rules (时长规则): how the minutes a person attended an activity
// become the minutes that count on their record. The committee sets them;
// a change is a new version with an effective date, never an edit, and an
// activity is counted by the version in force on its (China) start day.
// With no rule in force a record counts the minutes attended within the
// schedule, as before rules existed.
//
// Time served. The time a person could serve in an activity is its
// scheduled length (ends − starts): attendance outside the schedule never
// counts. CountMinutes keeps three bounds, whatever the rule says:
//   - counted never exceeds the activity's scheduled length;
//   - counted never exceeds the daily maximum less what the person already
//     has counted that day (their other activities starting that China day;
//     the store gives an activity over several days a maximum per day);
//   - when no band rounds up (counts more than its lower bound), counted
//     never exceeds the minutes attended.
// Counting is monotone: attending longer never counts less.

// DurationBand is one rounding band on the part of an hour: a remainder r
// of attended minutes with lower ≤ r < Upto (lower is the previous band's
// Upto, or 0) counts Counts minutes. Whole hours count in full; a
// remainder of 0 counts 0.
type DurationBand struct {
	Upto   int `json:"upto"`
	Counts int `json:"counts"`
}

// DurationRule is one version of the duration rules.
type DurationRule struct {
	ID            int64
	Version       int
	EffectiveOn   string // YYYY-MM-DD
	Bands         []DurationBand
	MinShare      int     // percent of the scheduled length attended for anything to count; 0 = none
	DailyMax      Minutes // per person per China day; 0 = none
	CheckoutDelay Minutes // auto check-out this long after the scheduled end; 0 = none
	Note          string
	CreatedName   string
}

// Name is how pages and record versions name the rule: 时长规则 第3版.
func (r DurationRule) Name() string { return "时长规则 第" + strconv.Itoa(r.Version) + "版" }

// MaxDailyMax bounds the daily maximum: a day has 24 hours.
const MaxDailyMax = Minutes(24 * 60)

// MaxCheckoutDelay bounds the auto check-out delay (a week).
const MaxCheckoutDelay = Minutes(7 * 24 * 60)

// Validate checks a new rule and names every bad field: the effective
// date, the bands (contiguous from 0 to 60, each counting no more than its
// upper bound, no band counting less than the one before), the share
// (0–100), the daily maximum (at most 24 h) and the delay.
func (r DurationRule) Validate() error {
	var v Validation
	v.Check(ValidDate(r.EffectiveOn), "effective_on", "err.rules.effective_on")
	if err := ValidateBands(r.Bands); err != nil {
		v.AddErr(err)
	}
	v.Check(r.MinShare >= 0 && r.MinShare <= 100, "min_share", "err.rules.min_share")
	v.Check(r.DailyMax >= 0 && r.DailyMax <= MaxDailyMax, "daily_max", "err.rules.daily_max")
	v.Check(r.CheckoutDelay >= 0 && r.CheckoutDelay <= MaxCheckoutDelay, "checkout_delay", "err.rules.checkout_delay")
	v.Check(len([]rune(r.Note)) <= 200, "note", "err.rules.note")
	return v.Err()
}

// ValidateBands checks the bands alone.
func ValidateBands(bands []DurationBand) error {
	if len(bands) == 0 {
		return Invalid("bands", "err.rules.bands_empty")
	}
	lower, prev := 0, 0
	for i, b := range bands {
		switch {
		case b.Upto <= lower || b.Upto > 60:
			return Invalid("bands", "err.rules.bands_order", i+1)
		case b.Counts < 0 || b.Counts > b.Upto:
			return Invalid("bands", "err.rules.bands_counts", i+1, b.Upto)
		case b.Counts < prev:
			return Invalid("bands", "err.rules.bands_monotone", i+1)
		}
		lower, prev = b.Upto, b.Counts
	}
	if lower != 60 {
		return Invalid("bands", "err.rules.bands_end")
	}
	return nil
}

// ParseBands reads bands as the committee types them, one per line or
// separated by commas or semicolons: "15:0, 45:30, 60:60" — each the
// band's upper bound in minutes and the minutes it counts.
func ParseBands(s string) ([]DurationBand, error) {
	s = strings.NewReplacer("：", ":", "，", ",", "；", ",", ";", ",", "\n", ",", "\r", "").Replace(s)
	var out []DurationBand
	for i, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		a, b, ok := strings.Cut(part, ":")
		upto, err1 := strconv.Atoi(strings.TrimSpace(a))
		counts, err2 := strconv.Atoi(strings.TrimSpace(b))
		if !ok || err1 != nil || err2 != nil {
			return nil, Invalid("bands", "err.rules.bands_syntax", i+1)
		}
		out = append(out, DurationBand{Upto: upto, Counts: counts})
	}
	return out, ValidateBands(out)
}

// BandsText writes bands the way ParseBands reads them.
func BandsText(bands []DurationBand) string {
	parts := make([]string, len(bands))
	for i, b := range bands {
		parts[i] = fmt.Sprintf("%d:%d", b.Upto, b.Counts)
	}
	return strings.Join(parts, ", ")
}

// RoundsUp reports whether some band counts more than its lower bound, so
// that a record may count more minutes than were attended.
func (r DurationRule) RoundsUp() bool {
	lower := 0
	for _, b := range r.Bands {
		if b.Counts > lower {
			return true
		}
		lower = b.Upto
	}
	return false
}

// round applies the bands to the part of an hour of m.
func (r DurationRule) round(m Minutes) Minutes {
	rem := int(m % 60)
	if rem == 0 || len(r.Bands) == 0 {
		return m
	}
	for _, b := range r.Bands {
		if rem < b.Upto {
			return m - Minutes(rem) + Minutes(b.Counts)
		}
	}
	return m
}

// Why a record counts what it counts.
const (
	WhyAttended = "attended" // no rule, or the rule changed nothing
	WhyShare    = "share"    // attended less than the minimum share: nothing counts
	WhyRounded  = "rounded"  // the bands rounded the part of an hour
	WhySchedule = "schedule" // capped at the scheduled length
	WhyDaily    = "daily"    // capped at the daily maximum
)

// Counted is the result of CountMinutes: the minutes that count and why.
type Counted struct {
	Minutes Minutes
	Why     string
}

// CountMinutes returns the minutes a record counts under rule (nil: no
// rule) for an activity scheduled for `scheduled` minutes, of which the
// person attended `attended` (already limited to the schedule), when they
// already have `already` minutes counted on the same China day. See the
// definition of time served above.
func CountMinutes(rule *DurationRule, scheduled, attended, already Minutes) Counted {
	scheduled = max(scheduled, 0)
	attended = min(max(attended, 0), scheduled)
	if rule == nil {
		return Counted{Minutes: attended, Why: WhyAttended}
	}
	if attended == 0 || Minutes(rule.MinShare)*scheduled > attended*100 {
		if attended == 0 {
			return Counted{Why: WhyAttended}
		}
		return Counted{Why: WhyShare}
	}
	c := Counted{Minutes: rule.round(attended), Why: WhyAttended}
	if c.Minutes != attended {
		c.Why = WhyRounded
	}
	if c.Minutes > scheduled {
		c = Counted{Minutes: scheduled, Why: WhySchedule}
	}
	if rule.DailyMax > 0 {
		if room := max(rule.DailyMax-max(already, 0), 0); c.Minutes > room {
			c = Counted{Minutes: room, Why: WhyDaily}
		}
	}
	return c
}
