package views

import (
	"time"

	"vanguard/domain"
)

// actStateKey is the catalogue key of an activity's badge at now: a
// scheduled activity under way shows 进行中 rather than 待开展, and one whose
// time is over shows that it waits to be completed.
func actStateKey(a domain.Activity, now time.Time) string {
	switch {
	case a.Running(now):
		return "act.state_running"
	case a.Ended(now):
		return "act.state_ended"
	}
	return enumKey("activity_state", string(a.State))
}

// actStateClass is the badge's class: act-state-<state>, or
// act-state-running while under way.
func actStateClass(a domain.Activity, now time.Time) string {
	switch {
	case a.Running(now):
		return "act-state-running"
	case a.Ended(now):
		return "act-state-ended"
	}
	return "act-state-" + string(a.State)
}

// actUpcoming reports whether a's badge would only say it is still to
// come, which lists leave out.
func actUpcoming(a domain.Activity, now time.Time) bool {
	return a.State == domain.ActivityScheduled && now.Before(a.StartsAt)
}

// actBadge is actStateKey now, for lists drawn without a request's clock.
func actBadge(a domain.Activity) string { return actStateKey(a, time.Now()) }
