// Package annual writes the text of the annual report (年度工作报告) from
// the year's figures: a pure function from Facts to paragraphs, every
// sentence a catalogue message with computed arguments, so that no number
// in the text is typed. Numbers are rounded the way the seed report rounds
// them ("1,200 余名", "近 500 名"); the report's tables keep the exact figures.
package annual

import (
	"strconv"
	"strings"
)

// Translate turns a catalogue key and its arguments into the reader's
// language; the web layer passes i18n.T bound to the request.
type Translate func(key string, args ...any) string

// ApproxKind says how a rounded figure relates to the exact one.
type ApproxKind int

const (
	Exact ApproxKind = iota // the figure itself
	Over                    // more than Value (余)
	Near                    // nearly Value (近)
)

// Approx is a figure as a report states it.
type Approx struct {
	Kind  ApproxKind
	Value int64
}

// Round rounds n the way the seed does. Under 100 a figure is exact. Else
// it is "nearly" the next number of one significant digit (500, 2,000)
// when within 5 % below it, or "more than" n cut to two significant
// digits (1,200; 730), or exact when that cut loses nothing (250).
func Round(n int64) Approx {
	if n < 100 {
		return Approx{Exact, n}
	}
	digits := len(strconv.FormatInt(n, 10))
	one := pow10(digits - 1)
	if ceil := (n + one - 1) / one * one; ceil != n && (ceil-n)*20 <= ceil {
		return Approx{Near, ceil}
	}
	two := pow10(digits - 2)
	if floor := n / two * two; floor != n {
		return Approx{Over, floor}
	}
	return Approx{Exact, n}
}

func pow10(k int) int64 {
	p := int64(1)
	for range k {
		p *= 10
	}
	return p
}

// Text is the figure in words: "1,200 余", "近 500 " or "more than 1,200".
// The Chinese forms are followed by a measure word: the sentences write
// "%s名", and an exact or "nearly" figure brings its own space before it.
func (a Approx) Text(t Translate) string {
	switch a.Kind {
	case Over:
		return t("annual.approx.over", Group(a.Value))
	case Near:
		return t("annual.approx.near", Group(a.Value))
	}
	return t("annual.approx.exact", Group(a.Value))
}

// Group writes n with thousands separators: 12,345.
func Group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// About is Round(n).Text(t).
func About(t Translate, n int64) string { return Round(n).Text(t) }
