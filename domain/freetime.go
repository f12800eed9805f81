package domain

import "time"

// SlotOf is the weekly free-time slot an instant falls in, in China time:
// weekday or weekend, and morning (before noon), afternoon (before six) or
// evening.
func SlotOf(t time.Time) Availability {
	c := t.In(ChinaZone)
	part := 0
	switch h := c.Hour(); {
	case h >= 18:
		part = 2
	case h >= 12:
		part = 1
	}
	if wd := c.Weekday(); wd == time.Saturday || wd == time.Sunday {
		part += 3
	}
	return Availability(1) << part
}

// Fits reports whether an activity starting at t falls in the free time a
// person declared. A person who declared none is taken to be free at any
// time, so that an empty profile does not hide every activity.
func (a Availability) Fits(t time.Time) bool {
	return a == 0 || a.Has(SlotOf(t))
}
