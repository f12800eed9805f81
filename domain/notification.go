package domain

import "time"

// Event is something that happened in the loop that someone should hear of
// without looking at a page (通知/提醒). Each event has one message template
// per language: catalogue keys "notify.<event>.title" and
// "notify.<event>.body", filled in with the notification's arguments.
type Event string

// The events Vanguard tells people about.
const (
	EventOrderAccepted     Event = "order_accepted"     // to the requester
	EventOrderRejected     Event = "order_rejected"     // to the requester, with the reason
	EventDispatched        Event = "dispatched"         // to each team's leaders
	EventDispatchOverdue   Event = "dispatch_overdue"   // to the committee: a dispatch left unanswered
	EventDispatchDeclined  Event = "dispatch_declined"  // to the committee: a team declined
	EventOrderConfirmed    Event = "order_confirmed"    // to the requester: every team confirmed
	EventActivityTomorrow  Event = "activity_tomorrow"  // to each signed-up volunteer
	EventActivitySoon      Event = "activity_soon"      // to each signed-up volunteer, two hours before
	EventSignupPromoted    Event = "signup_promoted"    // to a volunteer moved up from the waitlist
	EventActivityChanged   Event = "activity_changed"   // to everyone signed up
	EventActivityCancelled Event = "activity_cancelled" // to everyone signed up
	EventOrderServed       Event = "order_served"       // to the requester, with the evaluation link
	EventCertificateIssued Event = "certificate_issued" // to the volunteer
	EventCorrectionDecided Event = "correction_decided" // to whoever asked for the correction
	EventPhoneCode         Event = "phone_code"         // a six-digit code confirming a phone
	EventPlaceReleased     Event = "place_released"     // to a volunteer whose unconfirmed place went to the waitlist
)

// Events is every event a user may choose channels for, in the order the
// preferences page lists them. The phone code is not among them: it is sent
// only when asked for.
var Events = []Event{
	EventOrderAccepted, EventOrderRejected, EventDispatched, EventDispatchOverdue,
	EventDispatchDeclined, EventOrderConfirmed, EventActivityTomorrow, EventActivitySoon,
	EventSignupPromoted, EventActivityChanged, EventActivityCancelled, EventOrderServed,
	EventCertificateIssued, EventCorrectionDecided, EventPlaceReleased,
}

// Valid reports whether e is a known event.
func (e Event) Valid() bool {
	for _, x := range Events {
		if x == e {
			return true
		}
	}
	return e == EventPhoneCode
}

// NoticeChannel is a way a notification reaches someone.
type NoticeChannel string

// The channels. The gateway is an SMS or WeChat gateway reached by a signed
// webhook; Vanguard sends it the phone number or WeChat openid and the text.
const (
	ByInApp   NoticeChannel = "inapp"
	ByEmail   NoticeChannel = "email"
	ByGateway NoticeChannel = "gateway"
)

// NoticeChannels lists every channel in the order pages show them.
var NoticeChannels = []NoticeChannel{ByInApp, ByEmail, ByGateway}

// Valid reports whether c is a known channel.
func (c NoticeChannel) Valid() bool {
	return c == ByInApp || c == ByEmail || c == ByGateway
}

// Shanghai is the platform's time zone: activities, reminders and quiet
// hours are in it.
var Shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return l
}()

// Quiet hours: no email or SMS between 22:00 and 07:00 unless urgent.
const (
	QuietFrom = 22
	QuietTo   = 7
)

// SendAt is when a notification created at now may go out on ch: at once,
// or, for email and the gateway during quiet hours, at the next 07:00 in
// Shanghai. Urgent ones (a phone code, an activity cancelled within the
// day) go at once.
func SendAt(now time.Time, ch NoticeChannel, urgent bool) time.Time {
	if urgent || ch == ByInApp {
		return now
	}
	local := now.In(Shanghai)
	h := local.Hour()
	if h >= QuietTo && h < QuietFrom {
		return now
	}
	day := local
	if h >= QuietFrom {
		day = local.AddDate(0, 0, 1)
	}
	return time.Date(day.Year(), day.Month(), day.Day(), QuietTo, 0, 0, 0, Shanghai).UTC()
}

// EventsFor lists, in the order of Events, the events that can reach a user
// holding roles: a requester's events for site contacts, dispatches for team
// leaders, the desk's for the committee, a volunteer's when a person is on
// file (hasPerson), and correction decisions for everyone (volunteers and
// staff both ask for corrections). The preferences page shows only these.
func EventsFor(roles []Role, hasPerson bool) []Event {
	has := func(r Role) bool {
		for _, x := range roles {
			if x == r {
				return true
			}
		}
		return false
	}
	var out []Event
	for _, e := range Events {
		var ok bool
		switch e {
		case EventOrderAccepted, EventOrderRejected, EventOrderConfirmed, EventOrderServed:
			ok = has(RoleSiteContact)
		case EventDispatched:
			ok = has(RoleTeamLeader)
		case EventDispatchOverdue, EventDispatchDeclined:
			ok = has(RoleCommitteeAdmin)
		case EventCorrectionDecided:
			ok = true
		default: // a volunteer's: activities, places, certificates
			ok = hasPerson || has(RoleVolunteer)
		}
		if ok {
			out = append(out, e)
		}
	}
	return out
}
