package domain

import (
	"strings"
	"time"
)

// Record requests (volunteers' own corrections and declared service, 自主申报):
// a volunteer asks for their record to be put right — wrong hours on a record
// (hours), an activity they signed up for with no record (attendance), an
// open-mode activity of another team they joined with no record (activity) —
// or declares service outside any activity (unscheduled). The organising
// org's admins or the team's leader decide; a request is never deleted.

// RequestKind is what a record request asks for.
type RequestKind string

// The request kinds.
const (
	RequestHours       RequestKind = "hours"
	RequestAttendance  RequestKind = "attendance"
	RequestActivity    RequestKind = "activity"
	RequestUnscheduled RequestKind = "unscheduled"
)

// RequestKinds lists the request kinds.
var RequestKinds = []RequestKind{RequestHours, RequestAttendance, RequestActivity, RequestUnscheduled}

// AskState is where a record request is.
type AskState string

// The request states.
const (
	AskPending  AskState = "pending"
	AskApproved AskState = "approved"
	AskDeclined AskState = "declined"
)

// AskStates lists the request states.
var AskStates = []AskState{AskPending, AskApproved, AskDeclined}

// Limits on record requests.
const (
	MaxDayMinutes        Minutes = 24 * 60 // unscheduled service in one day
	DefaultFlagDays              = 30      // a pending request older than this is flagged
	MaxRequestPlaceLen           = 100
	MaxRequestContentLen         = 200
)

// RecordRequest is one volunteer's request about their own record.
type RecordRequest struct {
	ID            int64
	Kind          RequestKind
	PersonID      int64
	PersonName    string
	VolunteerNo   string
	PersonUserID  int64
	ActivityID    int64 // 0 for unscheduled service until approved
	ActivityTitle string
	TeamID        int64 // the team that decides (the activity's leading team, or the chosen one)
	TeamName      string
	OrgID         int64 // the org that decides
	OrgName       string
	OrgPath       string
	Date          string // YYYY-MM-DD, the day of the service
	Place         string
	Content       string
	Minutes       Minutes
	Current       Minutes // the hours on the record when asked (kind hours)
	Reason        string
	Evidence      string
	State         AskState
	DecisionNote  string
	DecidedName   string
	DecidedAt     time.Time
	CreatedAt     time.Time
}

// Target is the request as the policy sees it: the deciding org and team.
func (r RecordRequest) Target() Target { return Target{OrgPath: r.OrgPath, TeamID: r.TeamID} }

// Flagged reports whether the request has waited more than days.
func (r RecordRequest) Flagged(now time.Time, days int) bool {
	return r.State == AskPending && days > 0 && now.Sub(r.CreatedAt) > time.Duration(days)*24*time.Hour
}

// RequestInput is what a volunteer types into a request.
type RequestInput struct {
	Kind       RequestKind
	ActivityID int64
	TeamID     int64 // unscheduled: the team the service was for
	Date       string
	Place      string
	Content    string
	Minutes    Minutes // -1 when what was typed is not a number
	Reason     string
	Evidence   string
}

// Validate checks a request against today (YYYY-MM-DD, China) and the most
// minutes it may claim (the activity's scheduled length; a day for
// unscheduled service), trimming its text. current is the record's hours
// for a request of kind hours.
func (in *RequestInput) Validate(today string, most, current Minutes) error {
	var v Validation
	in.Reason = v.Text("reason", in.Reason, MaxReasonLen)
	in.Evidence = v.Text("evidence", in.Evidence, MaxReasonLen)
	in.Place = v.Line("place", in.Place, MaxRequestPlaceLen)
	in.Content = v.Text("content", in.Content, MaxRequestContentLen)
	in.Date = strings.TrimSpace(in.Date)
	switch in.Kind {
	case RequestHours, RequestAttendance, RequestActivity:
		v.Check(in.ActivityID > 0, "activity", "err.declare.activity_required")
	case RequestUnscheduled:
		v.Check(in.TeamID > 0, "team", "err.declare.team_required")
		v.Check(in.Place != "", "place", "err.declare.place_required")
		v.Check(in.Content != "", "content", "err.declare.content_required")
		most = MaxDayMinutes
	default:
		v.Add("kind", "err.declare.kind")
	}
	switch {
	case in.Minutes <= 0:
		v.Add("hours", "err.declare.hours")
	case most > 0 && in.Minutes > most:
		v.Add("hours", "err.declare.hours_over", most.Hours())
	case in.Kind == RequestHours && in.Minutes == current:
		v.Add("hours", "err.record.hours_same")
	}
	switch {
	case !ValidDate(in.Date):
		v.Add("date", "err.date_format")
	case in.Date > today:
		v.Add("date", "err.declare.date_future")
	case in.Date < AddYears(today, -1):
		v.Add("date", "err.declare.date_old")
	}
	v.Check(in.Reason != "", "reason", "err.declare.reason_required")
	return v.Err()
}
