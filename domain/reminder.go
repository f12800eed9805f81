package domain

import "time"

// Reminders (提醒) and attendance confirmation (出席确认). The reminder
// round runs every few minutes: it tells each volunteer holding a place of
// an activity tomorrow (from ReminderHour the day before) and of one
// starting within SoonWindow, asking them to confirm they are coming; it
// releases the places of those who were reminded and did not confirm when
// the activity's release time comes; and it tells the committee of
// dispatches left unanswered, once per DispatchOverdue that passes.
const (
	ReminderHour = 9             // the day-before reminder goes from 09:00 Shanghai time
	SoonWindow   = 2 * time.Hour // the second reminder: the activity starts within this
	// ConfirmGrace is the least time a volunteer has between a reminder and
	// the release of their place: only a reminder sent this long before the
	// release time counts.
	ConfirmGrace = 30 * time.Minute
	// MaxReleaseHours bounds an activity's release setting: the day-before
	// reminder goes out at least 15 hours before any start, so a longer
	// setting would release places nobody was asked to confirm.
	MaxReleaseHours = 12
)

// TomorrowWindow is the span of starts whose volunteers hear "tomorrow" at
// now: the whole of tomorrow in Shanghai, from ReminderHour today; ok is
// false before then.
func TomorrowWindow(now time.Time) (from, to time.Time, ok bool) {
	local := now.In(Shanghai)
	if local.Hour() < ReminderHour {
		return time.Time{}, time.Time{}, false
	}
	y, m, d := local.Date()
	from = time.Date(y, m, d+1, 0, 0, 0, 0, Shanghai)
	return from, time.Date(y, m, d+2, 0, 0, 0, 0, Shanghai), true
}

// ReleaseAt is when an activity releases unconfirmed places, and whether it
// does at all.
func (a Activity) ReleaseAt() (time.Time, bool) {
	if a.ReleaseHours <= 0 {
		return time.Time{}, false
	}
	return a.StartsAt.Add(-time.Duration(a.ReleaseHours) * time.Hour), true
}

// OverdueLevel is how far a dispatch sent at sent and still unanswered at
// now has escalated: 0 before DispatchOverdue has passed, 1 after it, 2
// after twice as long, and so on.
func OverdueLevel(sent, now time.Time) int {
	if !now.After(sent) {
		return 0
	}
	return int(now.Sub(sent) / DispatchOverdue)
}
