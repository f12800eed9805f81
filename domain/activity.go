package domain

import (
	"sort"
	"strings"
	"time"
)

// ActivityMode is how an activity is organised, from the seed.
type ActivityMode string

// The modes.
const (
	// ModeCommittee: the committee leads a centralised activity (集中开展),
	// often a batch of a key-task campaign.
	ModeCommittee ActivityMode = "committee"
	// ModeUnit: a unit's team sets its own time and people (自行决定).
	ModeUnit ActivityMode = "unit"
	// ModeOpen: any volunteer may ask to join; the team leader or the
	// committee approves (个人名义参加任何一支服务队).
	ModeOpen ActivityMode = "open"
)

// ActivityModes lists the modes.
var ActivityModes = []ActivityMode{ModeCommittee, ModeUnit, ModeOpen}

// Valid reports whether m is a mode.
func (m ActivityMode) Valid() bool {
	for _, x := range ActivityModes {
		if m == x {
			return true
		}
	}
	return false
}

// ActivityState is where an activity is.
type ActivityState string

// The activity states: scheduled until it is completed (hours recorded) or
// cancelled.
const (
	ActivityScheduled ActivityState = "scheduled"
	ActivityCompleted ActivityState = "completed"
	ActivityCancelled ActivityState = "cancelled"
)

// ActivityStates lists the states.
var ActivityStates = []ActivityState{ActivityScheduled, ActivityCompleted, ActivityCancelled}

// SignupState is where a volunteer's place in an activity is.
type SignupState string

// The sign-up states.
const (
	SignupConfirmed  SignupState = "confirmed"  // holds a place
	SignupWaitlisted SignupState = "waitlisted" // waits for a place, in queue order
	SignupRequested  SignupState = "requested"  // open mode: waits for approval
	SignupCancelled  SignupState = "cancelled"  // the volunteer withdrew
	SignupRejected   SignupState = "rejected"   // the request was turned down
)

// SignupStates lists the sign-up states.
var SignupStates = []SignupState{SignupConfirmed, SignupWaitlisted, SignupRequested, SignupCancelled, SignupRejected}

// Active reports whether the sign-up still counts: holding, waiting for a
// place or waiting for approval.
func (s SignupState) Active() bool {
	return s == SignupConfirmed || s == SignupWaitlisted || s == SignupRequested
}

// Limits on activities.
const (
	MaxActivityCapacity = 10000
	MaxActivityDuration = 14 * 24 * time.Hour
	MaxCancelCutoff     = 30 * 24 * time.Hour
	MaxPairsPerDay      = 3 // check-in/check-out pairs per person, activity and day
)

// Activity is a dated service event (服务活动).
type Activity struct {
	ID           int64
	Title        string
	Mode         ActivityMode
	State        ActivityState
	OrgID        int64
	OrgName      string
	OrgPath      string
	TeamID       int64 // the leading team; 0 when the committee leads alone
	TeamName     string
	OrderID      int64
	SiteID       int64
	SiteName     string
	RegionID     int64
	RegionName   string
	Address      string
	StartsAt     time.Time
	EndsAt       time.Time
	CancelCutoff time.Time // after it volunteers can no longer cancel
	Capacity     int
	Taken        int
	ReleaseHours int // unconfirmed places go to the waitlist this many hours before the start; 0 never
	Skills       []string
	Description  string
	Categories   []ActivityCategory
	Teams        []ActivityTeam
	CreatedAt    time.Time
	UpdatedAt    time.Time
	CompletedAt  time.Time
	// Counts for lists and the organiser's page.
	Waitlisted  int
	Requested   int
	PersonTimes int
	Minutes     Minutes // recorded on completion, summed
	// Requirements is filled by ActivityByID only.
	Requirements ActivityRequirements
}

// ActivityCategory is one category of an activity.
type ActivityCategory struct {
	ID     int64
	NameZh string
	NameEn string
}

// ActivityTeam is one team taking part.
type ActivityTeam struct {
	ID      int64
	Name    string
	OrgPath string
}

// Target is the activity as the policy sees it: the organiser's org and the
// leading team.
func (a Activity) Target() Target { return Target{OrgPath: a.OrgPath, TeamID: a.TeamID} }

// Targets is the activity and every team taking part: a leader of any of
// them may run it on site (the QR code, attendance, the sign-in sheet);
// only Target — the organiser's org and the leading team — may change it.
func (a Activity) Targets() []Target {
	out := []Target{a.Target()}
	for _, t := range a.Teams {
		out = append(out, Target{OrgPath: t.OrgPath, TeamID: t.ID})
	}
	return out
}

// HasTeam reports whether team id takes part.
func (a Activity) HasTeam(id int64) bool {
	for _, t := range a.Teams {
		if t.ID == id {
			return true
		}
	}
	return id != 0 && a.TeamID == id
}

// Scheduled is the activity's length, the most anyone's service in it counts.
func (a Activity) Scheduled() Minutes { return MinutesIn(a.EndsAt.Sub(a.StartsAt)) }

// Free is the number of places left.
func (a Activity) Free() int { return max(0, a.Capacity-a.Taken) }

// Running reports whether a scheduled activity is under way at t: started
// and not yet ended.
func (a Activity) Running(t time.Time) bool {
	return a.State == ActivityScheduled && !t.Before(a.StartsAt) && t.Before(a.EndsAt)
}

// Ended reports whether a scheduled activity's time is over at t while it
// waits to be completed.
func (a Activity) Ended(t time.Time) bool {
	return a.State == ActivityScheduled && !t.Before(a.EndsAt)
}

// CanCancelAt reports whether a volunteer may still cancel at t.
func (a Activity) CanCancelAt(t time.Time) bool {
	return a.State == ActivityScheduled && t.Before(a.CancelCutoff)
}

// AuthorizeAny is Authorize against several targets: it allows when any
// does, and otherwise returns the first refusal.
func AuthorizeAny(p Principal, a Action, ts []Target) error {
	var first error
	for _, t := range ts {
		err := Authorize(p, a, t)
		if err == nil {
			return nil
		}
		if first == nil {
			first = err
		}
	}
	if first == nil {
		return Errorf(CodeForbidden, "err.forbidden")
	}
	return first
}

// ActivityInput is what an organiser enters for an activity.
type ActivityInput struct {
	Title       string
	Mode        ActivityMode
	OrgID       int64 // organiser; filled from the leading team when 0
	TeamID      int64 // leading team
	OrderID     int64
	SiteID      int64
	RegionID    int64
	Address     string
	StartsAt    time.Time
	EndsAt      time.Time
	Capacity    int
	CancelHours int // volunteers may cancel until this many hours before the start
	// ReleaseHours releases the places of volunteers who were reminded and
	// have not confirmed this many hours before the start; 0 never.
	ReleaseHours int
	Skills       []string
	Description  string
	CategoryIDs  []int64
	TeamIDs      []int64 // the teams taking part; the leading team is added
	Requirements ActivityRequirements
}

// Normalize trims the input and folds the leading team into the teams.
func (in *ActivityInput) Normalize() {
	in.Title = strings.TrimSpace(in.Title)
	in.Address = strings.TrimSpace(in.Address)
	in.Description = strings.TrimSpace(in.Description)
	var skills []string
	seen := map[string]bool{}
	for _, s := range in.Skills {
		s = strings.TrimSpace(s)
		if s != "" && !seen[s] {
			seen[s] = true
			skills = append(skills, s)
		}
	}
	in.Skills = skills
	in.CategoryIDs = uniqueIDs(in.CategoryIDs)
	if in.TeamID != 0 {
		in.TeamIDs = append([]int64{in.TeamID}, in.TeamIDs...)
	}
	in.TeamIDs = uniqueIDs(in.TeamIDs)
}

func uniqueIDs(ids []int64) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Validate checks the input, naming each bad field. An activity lies
// within ActivityYears of now, past or future.
func (in *ActivityInput) Validate(now time.Time) error {
	var v Validation
	in.Title = ValidateName(&v, "title", in.Title, 100)
	v.Check(in.Mode.Valid(), "mode", "err.activity.mode")
	v.Check(in.Mode == ModeCommittee || in.TeamID > 0, "team", "err.activity.team_required")
	v.Check(len(in.CategoryIDs) > 0, "categories", "err.activity.categories")
	v.Check(in.SiteID > 0 || (in.RegionID > 0 && in.Address != ""), "place", "err.activity.place")
	in.Address = v.Line("address", in.Address, 200)
	switch {
	case in.StartsAt.IsZero():
		v.Add("starts_at", "err.activity.time")
	case in.StartsAt.Before(now.AddDate(-ActivityYears, 0, 0)) || in.StartsAt.After(now.AddDate(ActivityYears, 0, 0)):
		v.Add("starts_at", "err.date_range", now.In(ChinaZone).AddDate(-ActivityYears, 0, 0).Format("2006-01-02"),
			now.In(ChinaZone).AddDate(ActivityYears, 0, 0).Format("2006-01-02"))
	case in.EndsAt.IsZero() || !in.EndsAt.After(in.StartsAt):
		v.Add("ends_at", "err.activity.end_before_start")
	case in.EndsAt.Sub(in.StartsAt) > MaxActivityDuration:
		v.Add("ends_at", "err.activity.too_long", int(MaxActivityDuration.Hours()/24))
	}
	v.Check(in.Capacity >= 1 && in.Capacity <= MaxActivityCapacity, "capacity", "err.activity.capacity", MaxActivityCapacity)
	v.Check(in.CancelHours >= 0 && in.CancelHours <= int(MaxCancelCutoff.Hours()), "cancel_hours",
		"err.activity.cancel_hours", int(MaxCancelCutoff.Hours()))
	v.Check(in.ReleaseHours >= 0 && in.ReleaseHours <= MaxReleaseHours, "release_hours",
		"err.activity.release_hours", MaxReleaseHours)
	v.Check(len(in.Skills) <= 10, "skills", "err.activity.skills")
	for _, s := range in.Skills {
		if len([]rune(s)) > 20 || !CleanLine(s) {
			v.Add("skills", "err.activity.skills")
			break
		}
	}
	in.Description = v.Text("description", in.Description, 2000)
	in.Requirements.Validate(&v)
	return v.Err()
}

// CancelGrace is the least time volunteers have to give up a place after an
// activity is published, however late before its start that is.
const CancelGrace = 6 * time.Hour

// CancelCutoff is when cancelling closes for an activity published at
// published: CancelHours before the start, but never sooner than
// CancelGrace after publishing, and never after the start. So an activity
// made on the morning of the day before does not greet its volunteers with
// "the cut-off has passed", and one made a few hours ahead may be given up
// until it starts. An activity entered after its start keeps the cut-off
// asked for.
func (in ActivityInput) CancelCutoff(published time.Time) time.Time {
	cutoff := in.StartsAt.Add(-time.Duration(in.CancelHours) * time.Hour)
	if !published.Before(in.StartsAt) {
		return cutoff
	}
	floor := published.Add(CancelGrace)
	if floor.After(in.StartsAt) {
		floor = in.StartsAt
	}
	if cutoff.Before(floor) {
		cutoff = floor
	}
	return cutoff
}

// Signup is one volunteer's place in an activity.
type Signup struct {
	ID          int64
	ActivityID  int64
	PersonID    int64
	PersonName  string
	PhoneMasked string
	TeamID      int64
	TeamName    string
	State       SignupState
	QueuedAt    time.Time
	Note        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ConfirmedAt time.Time // when the volunteer confirmed they are coming; zero if not
	ReleasedAt  time.Time // when the place was released for want of a confirmation
	// Filled on the organiser's page.
	Minutes    Minutes
	Attended   bool
	Attendance []Attendance
}

// AttendanceMethod is how a check-in or check-out was recorded.
type AttendanceMethod string

// The methods.
const (
	MethodQR     AttendanceMethod = "qr"     // the volunteer scanned the leader's code
	MethodManual AttendanceMethod = "manual" // the leader marked it by hand
	MethodAuto   AttendanceMethod = "auto"   // closed at the scheduled end on completion
)

// Attendance is one check-in/check-out pair.
type Attendance struct {
	ID         int64
	ActivityID int64
	PersonID   int64
	Day        string // YYYY-MM-DD, China time
	Pair       int    // 1..MaxPairsPerDay
	CheckIn    time.Time
	CheckOut   time.Time // zero while checked in
	MethodIn   AttendanceMethod
	MethodOut  AttendanceMethod
	RecordedBy int64
}

// Open reports whether the pair has no check-out yet.
func (a Attendance) Open() bool { return a.CheckOut.IsZero() }

// AttendedMinutes is the service time a person's attendance earns: the
// union of their check-in/check-out intervals intersected with the scheduled
// time, in whole minutes, rounded down. It never exceeds the scheduled
// time. Pairs still open count nothing.
func AttendedMinutes(start, end time.Time, pairs []Attendance) Minutes {
	type span struct{ a, b time.Time }
	var spans []span
	for _, p := range pairs {
		if p.Open() {
			continue
		}
		a, b := p.CheckIn, p.CheckOut
		if a.Before(start) {
			a = start
		}
		if b.After(end) {
			b = end
		}
		if b.After(a) {
			spans = append(spans, span{a, b})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].a.Before(spans[j].a) })
	var total time.Duration
	var cur span
	for i, s := range spans {
		switch {
		case i == 0:
			cur = s
		case !s.a.After(cur.b):
			if s.b.After(cur.b) {
				cur.b = s.b
			}
		default:
			total += cur.b.Sub(cur.a)
			cur = s
		}
	}
	if len(spans) > 0 {
		total += cur.b.Sub(cur.a)
	}
	return MinutesIn(total)
}

// ChinaZone is where the platform's users live: days and times are shown
// and counted in it.
var ChinaZone = time.FixedZone("CST", 8*3600)

// ChinaDay is t's date in China.
func ChinaDay(t time.Time) string { return t.In(ChinaZone).Format("2006-01-02") }
