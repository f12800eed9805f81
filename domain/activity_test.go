package domain

import (
	"math/rand"
	"strings"
	"testing"
	"time"
)

// at is a fixed day in China for the attendance tests.
func at(hhmm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", "2026-05-16 "+hhmm, ChinaZone)
	if err != nil {
		panic(err)
	}
	return t
}

func pair(in, out string) Attendance {
	a := Attendance{CheckIn: at(in)}
	if out != "" {
		a.CheckOut = at(out)
	}
	return a
}

func TestAttendedMinutes(t *testing.T) {
	start, end := at("09:00"), at("12:00") // three hours scheduled
	cases := []struct {
		name  string
		pairs []Attendance
		want  Minutes
	}{
		{"nothing", nil, 0},
		{"the whole time", []Attendance{pair("09:00", "12:00")}, 180},
		{"early and late are cut to the schedule", []Attendance{pair("07:30", "13:45")}, 180},
		{"before the start only", []Attendance{pair("07:00", "08:59")}, 0},
		{"after the end only", []Attendance{pair("12:00", "14:00")}, 0},
		{"part of it", []Attendance{pair("10:00", "11:30")}, 90},
		{"two separate pairs add up", []Attendance{pair("09:00", "10:00"), pair("11:00", "11:45")}, 105},
		{"overlapping pairs count once", []Attendance{pair("09:00", "11:00"), pair("10:00", "12:00")}, 180},
		{"a pair inside another counts once", []Attendance{pair("09:00", "12:00"), pair("10:00", "10:30")}, 180},
		{"touching pairs join", []Attendance{pair("09:00", "10:00"), pair("10:00", "11:00")}, 120},
		{"the same pair twice", []Attendance{pair("09:30", "10:30"), pair("09:30", "10:30")}, 60},
		{"order does not matter", []Attendance{pair("11:00", "12:00"), pair("09:00", "09:30")}, 90},
		{"an open pair counts nothing", []Attendance{pair("09:00", "")}, 0},
		{"an open pair beside a closed one", []Attendance{pair("09:00", "10:00"), pair("10:30", "")}, 60},
		{"check-out before check-in counts nothing", []Attendance{pair("11:00", "10:00")}, 0},
		{"zero length", []Attendance{pair("10:00", "10:00")}, 0},
		{"20 minutes", []Attendance{pair("09:00", "09:20")}, 20},
		{"40 minutes", []Attendance{pair("09:00", "09:40")}, 40},
		{"one minute", []Attendance{pair("09:00", "09:01")}, 1},
		{"17.4 minutes are rounded down", []Attendance{{CheckIn: at("09:00"), CheckOut: at("09:17").Add(24 * time.Second)}}, 17},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := AttendedMinutes(start, end, c.pairs); got != c.want {
				t.Fatalf("AttendedMinutes = %v, want %v", got, c.want)
			}
		})
	}
	// A few nanoseconds short of three hours is 179 minutes, not 180:
	// rounding never lifts the hours above the scheduled time.
	short := at("09:00").Add(3*time.Hour - 10)
	if got := AttendedMinutes(start, short, []Attendance{{CheckIn: start, CheckOut: short}}); got != 179 {
		t.Fatalf("3 h less 10 ns: %v, want 179", got)
	}
	// Over midnight, on two days.
	s, e := at("20:00"), at("20:00").Add(8*time.Hour)
	ps := []Attendance{{CheckIn: at("19:00"), CheckOut: at("23:30")}, {CheckIn: at("23:00").Add(2 * time.Hour), CheckOut: e.Add(time.Hour)}}
	if got := AttendedMinutes(s, e, ps); got != 390 {
		t.Fatalf("over midnight: %v, want 6.5", got)
	}
}

// refHours is a slow, obviously right AttendedMinutes for minute-aligned
// times: it marks every attended minute of the schedule.
func refHours(start time.Time, minutes int, pairs []Attendance) Minutes {
	seen := make([]bool, minutes)
	for _, p := range pairs {
		if p.Open() {
			continue
		}
		for m := 0; m < minutes; m++ {
			t := start.Add(time.Duration(m) * time.Minute)
			if !t.Before(p.CheckIn) && t.Before(p.CheckOut) {
				seen[m] = true
			}
		}
	}
	n := 0
	for _, s := range seen {
		if s {
			n++
		}
	}
	return Minutes(n)
}

// pairsFrom turns fuzz bytes into a schedule and attendance pairs: the
// schedule is up to a day long, and pairs start and end anywhere from four
// hours before it to four hours after, some of them still open. With
// jitter, instants move by up to a minute, or by a few nanoseconds either
// way (to land just short of a hundredth of an hour).
func pairsFrom(data []byte, jitter bool) (time.Time, time.Time, []Attendance) {
	next := func() int {
		if len(data) < 2 {
			return 0
		}
		v := int(data[0])<<8 | int(data[1])
		data = data[2:]
		return v
	}
	jit := func() time.Duration {
		if !jitter {
			return 0
		}
		v := next()
		if v%2 == 1 {
			return time.Duration(v/2 - 16384) // a few nanoseconds either way
		}
		return time.Duration(v/2) * time.Minute / 32768
	}
	start := at("08:00").Add(jit())
	end := start.Add(time.Duration(1+next()%(24*60))*time.Minute + jit())
	span := int(end.Sub(start)/time.Minute) + 8*60
	var pairs []Attendance
	need := 5
	if jitter {
		need = 9
	}
	for len(data) >= need && len(pairs) < 12 {
		in := start.Add(time.Duration(next()%span-4*60)*time.Minute + jit())
		out := in.Add(time.Duration(next()%(12*60)-60)*time.Minute + jit())
		p := Attendance{CheckIn: in, CheckOut: out}
		if flag := data[0]; flag%5 == 0 {
			p.CheckOut = time.Time{}
		}
		data = data[1:]
		pairs = append(pairs, p)
	}
	return start, end, pairs
}

// checkHours asserts the properties of AttendedMinutes on one input.
func checkHours(t *testing.T, start, end time.Time, pairs []Attendance) Minutes {
	t.Helper()
	h := AttendedMinutes(start, end, pairs)
	scheduled := Activity{StartsAt: start, EndsAt: end}.Scheduled()
	if h < 0 {
		t.Fatalf("negative hours %v for %v", h, pairs)
	}
	if h > scheduled {
		t.Fatalf("hours %v exceed the scheduled %v for %v", h, scheduled, pairs)
	}
	var sum Minutes
	var closed []Attendance
	for _, p := range pairs {
		if !p.Open() {
			closed = append(closed, p)
			sum += AttendedMinutes(start, end, []Attendance{p})
		}
	}
	// Open pairs count nothing.
	if got := AttendedMinutes(start, end, closed); got != h {
		t.Fatalf("dropping open pairs changed hours from %v to %v", h, got)
	}
	// Overlaps are counted once: every pair twice is the same, and the
	// whole is never more than the sum of its pairs (plus rounding).
	if got := AttendedMinutes(start, end, append(append([]Attendance{}, pairs...), pairs...)); got != h {
		t.Fatalf("every pair twice gives %v, once %v", got, h)
	}
	if h > sum+Minutes(len(closed)) {
		t.Fatalf("hours %v exceed the sum of the pairs' %v", h, sum)
	}
	// The order of the pairs does not matter.
	shuffled := append([]Attendance{}, pairs...)
	rand.New(rand.NewSource(int64(len(pairs)))).Shuffle(len(shuffled), func(i, j int) {
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	})
	if got := AttendedMinutes(start, end, shuffled); got != h {
		t.Fatalf("shuffled pairs give %v, in order %v", got, h)
	}
	return h
}

func TestAttendedMinutesProperties(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 1000; i++ {
		data := make([]byte, r.Intn(64))
		r.Read(data)
		start, end, pairs := pairsFrom(data, false)
		h := checkHours(t, start, end, pairs)
		if want := refHours(start, int(end.Sub(start)/time.Minute), pairs); h != want {
			t.Fatalf("AttendedMinutes = %v, reference %v, for %v–%v %v", h, want, start, end, pairs)
		}
		start, end, pairs = pairsFrom(data, true)
		checkHours(t, start, end, pairs)
	}
}

// FuzzAttendedMinutes: hours never go negative, never exceed the scheduled
// time, count overlaps once and open pairs not at all; on whole minutes they
// equal a minute-by-minute count.
func FuzzAttendedMinutes(f *testing.F) {
	f.Add([]byte{}, false)
	f.Add([]byte{0, 180, 0, 240, 0, 200, 1}, false)
	f.Add([]byte{0, 180, 0, 200, 0, 100, 1, 0, 220, 0, 100, 1}, true)
	f.Add([]byte{255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255}, true)
	f.Fuzz(func(t *testing.T, data []byte, jitter bool) {
		start, end, pairs := pairsFrom(data, jitter)
		h := checkHours(t, start, end, pairs)
		if !jitter {
			if want := refHours(start, int(end.Sub(start)/time.Minute), pairs); h != want {
				t.Fatalf("AttendedMinutes = %v, reference %v", h, want)
			}
		}
	})
}

func TestActivityInputValidate(t *testing.T) {
	today := at("08:00").AddDate(0, 0, -3)
	good := func() ActivityInput {
		return ActivityInput{Title: "  春季植树  ", Mode: ModeUnit, TeamID: 3, SiteID: 5, CategoryIDs: []int64{2},
			StartsAt: at("09:00"), EndsAt: at("12:00"), Capacity: 20, CancelHours: 24,
			Skills: []string{" 驾驶 ", "驾驶", ""}, Description: "带铁锹"}
	}
	in := good()
	in.Normalize()
	if err := in.Validate(today); err != nil {
		t.Fatalf("a good input: %v", err)
	}
	if in.Title != "春季植树" || len(in.Skills) != 1 || in.Skills[0] != "驾驶" || len(in.TeamIDs) != 1 || in.TeamIDs[0] != 3 {
		t.Fatalf("normalised = %+v", in)
	}
	if got := in.CancelCutoff(at("09:00").Add(-7 * 24 * time.Hour)); !got.Equal(at("09:00").Add(-24 * time.Hour)) {
		t.Fatalf("CancelCutoff = %v", got)
	}
	// A committee activity needs no team; a place may be a region and an
	// address instead of a site.
	in = good()
	in.Mode, in.TeamID, in.SiteID, in.RegionID, in.Address = ModeCommittee, 0, 0, 7, "林场路 1 号"
	if err := in.Validate(today); err != nil {
		t.Fatalf("a committee activity at an address: %v", err)
	}

	cases := []struct {
		field, key string
		edit       func(in *ActivityInput)
	}{
		{"title", "err.required", func(in *ActivityInput) { in.Title = "   " }},
		{"title", "err.too_long", func(in *ActivityInput) { in.Title = strings.Repeat("树", 101) }},
		{"title", "err.text", func(in *ActivityInput) { in.Title = "植\x00树" }},
		{"mode", "err.activity.mode", func(in *ActivityInput) { in.Mode = "party" }},
		{"mode", "err.activity.mode", func(in *ActivityInput) { in.Mode = "" }},
		{"team", "err.activity.team_required", func(in *ActivityInput) { in.TeamID = 0 }},
		{"team", "err.activity.team_required", func(in *ActivityInput) { in.Mode, in.TeamID = ModeOpen, 0 }},
		{"categories", "err.activity.categories", func(in *ActivityInput) { in.CategoryIDs = nil }},
		{"place", "err.activity.place", func(in *ActivityInput) { in.SiteID = 0 }},
		{"place", "err.activity.place", func(in *ActivityInput) { in.SiteID, in.RegionID = 0, 7 }},
		{"place", "err.activity.place", func(in *ActivityInput) { in.SiteID, in.Address = 0, "林场路" }},
		{"address", "err.too_long", func(in *ActivityInput) { in.Address = strings.Repeat("路", 201) }},
		{"address", "err.text", func(in *ActivityInput) { in.Address = "林场\u202e路" }},
		{"starts_at", "err.activity.time", func(in *ActivityInput) { in.StartsAt = time.Time{} }},
		// Issue 12, fault 9: activities dated 0000-01-01 or 9999-12-31 were
		// accepted; they lie within ten years of today.
		{"starts_at", "err.date_range", func(in *ActivityInput) {
			in.StartsAt = time.Date(0, 1, 1, 9, 0, 0, 0, ChinaZone)
			in.EndsAt = in.StartsAt.Add(time.Hour)
		}},
		{"starts_at", "err.date_range", func(in *ActivityInput) {
			in.StartsAt = time.Date(9999, 12, 31, 9, 0, 0, 0, ChinaZone)
			in.EndsAt = in.StartsAt.Add(time.Hour)
		}},
		{"starts_at", "err.date_range", func(in *ActivityInput) {
			in.StartsAt = today.AddDate(-ActivityYears, 0, -1)
			in.EndsAt = in.StartsAt.Add(time.Hour)
		}},
		{"starts_at", "err.date_range", func(in *ActivityInput) {
			in.StartsAt = today.AddDate(ActivityYears, 0, 1)
			in.EndsAt = in.StartsAt.Add(time.Hour)
		}},
		{"ends_at", "err.activity.end_before_start", func(in *ActivityInput) { in.EndsAt = time.Time{} }},
		{"ends_at", "err.activity.end_before_start", func(in *ActivityInput) { in.EndsAt = in.StartsAt }},
		{"ends_at", "err.activity.end_before_start", func(in *ActivityInput) { in.EndsAt = in.StartsAt.Add(-time.Hour) }},
		{"ends_at", "err.activity.too_long", func(in *ActivityInput) { in.EndsAt = in.StartsAt.Add(MaxActivityDuration + time.Minute) }},
		{"capacity", "err.activity.capacity", func(in *ActivityInput) { in.Capacity = 0 }},
		{"capacity", "err.activity.capacity", func(in *ActivityInput) { in.Capacity = -5 }},
		{"capacity", "err.activity.capacity", func(in *ActivityInput) { in.Capacity = MaxActivityCapacity + 1 }},
		{"cancel_hours", "err.activity.cancel_hours", func(in *ActivityInput) { in.CancelHours = -1 }},
		{"cancel_hours", "err.activity.cancel_hours", func(in *ActivityInput) { in.CancelHours = 30*24 + 1 }},
		{"skills", "err.activity.skills", func(in *ActivityInput) {
			in.Skills = strings.Split("a b c d e f g h i j k", " ")
		}},
		{"skills", "err.activity.skills", func(in *ActivityInput) { in.Skills = []string{strings.Repeat("驾", 21)} }},
		{"skills", "err.activity.skills", func(in *ActivityInput) { in.Skills = []string{"驾\x07驶"} }},
		{"description", "err.too_long", func(in *ActivityInput) { in.Description = strings.Repeat("字", 2001) }},
		{"description", "err.text", func(in *ActivityInput) { in.Description = "带\x1b铁锹" }},
	}
	for _, c := range cases {
		in := good()
		c.edit(&in)
		in.Normalize()
		err := in.Validate(today)
		e, ok := AsError(err)
		if !ok || e.Code != CodeInvalid {
			t.Errorf("%s %s: got %v, want invalid", c.field, c.key, err)
			continue
		}
		f := e.Fields[c.field]
		if f == nil || f.Key != c.key {
			t.Errorf("%s: got %v (fields %v), want %s", c.field, f, e.Fields, c.key)
		}
		if len(e.Fields) != 1 {
			t.Errorf("%s %s: other fields failed too: %v", c.field, c.key, e.Fields)
		}
	}
	// Limits are inclusive.
	in = good()
	in.Capacity, in.CancelHours = MaxActivityCapacity, 30*24
	in.EndsAt = in.StartsAt.Add(MaxActivityDuration)
	in.Title, in.Address = strings.Repeat("树", 100), strings.Repeat("路", 200)
	in.Skills = strings.Split("a b c d e f g h i j", " ")
	if err := in.Validate(today); err != nil {
		t.Fatalf("at the limits: %v", err)
	}
	for _, start := range []time.Time{today.AddDate(-ActivityYears, 0, 0), today.AddDate(ActivityYears, 0, 0)} {
		in = good()
		in.StartsAt, in.EndsAt = start, start.Add(time.Hour)
		if err := in.Validate(today); err != nil {
			t.Errorf("an activity ten years from today (%s): %v", start, err)
		}
	}
	// Every fault is reported at once.
	var empty ActivityInput
	e, _ := AsError(empty.Validate(today))
	for _, f := range []string{"title", "mode", "team", "categories", "place", "starts_at", "capacity"} {
		if e == nil || e.Fields[f] == nil {
			t.Errorf("an empty input: no error for %s (%v)", f, e)
		}
	}
}

func TestActivityNormalizeTeams(t *testing.T) {
	in := ActivityInput{TeamID: 9, TeamIDs: []int64{4, 9, 0, -1, 4, 2}, CategoryIDs: []int64{3, 3, 1, 0}}
	in.Normalize()
	if got := in.TeamIDs; len(got) != 3 || got[0] != 2 || got[1] != 4 || got[2] != 9 {
		t.Fatalf("TeamIDs = %v, want [2 4 9]", got)
	}
	if got := in.CategoryIDs; len(got) != 2 || got[0] != 1 || got[1] != 3 {
		t.Fatalf("CategoryIDs = %v, want [1 3]", got)
	}
}

func TestActivityHelpers(t *testing.T) {
	a := Activity{State: ActivityScheduled, StartsAt: at("09:00"), EndsAt: at("11:30"), CancelCutoff: at("08:00"),
		Capacity: 10, Taken: 4, OrgPath: "/1/2/", TeamID: 5, Teams: []ActivityTeam{{ID: 5, OrgPath: "/1/2/"}, {ID: 8, OrgPath: "/1/3/"}}}
	if a.Scheduled() != 150 || a.Free() != 6 {
		t.Fatalf("Scheduled %v, Free %v", a.Scheduled(), a.Free())
	}
	if a.Taken = 12; a.Free() != 0 {
		t.Fatalf("Free when over = %v, want 0", a.Free())
	}
	if !a.HasTeam(8) || !a.HasTeam(5) || a.HasTeam(9) || a.HasTeam(0) {
		t.Fatal("HasTeam")
	}
	if !a.CanCancelAt(at("07:59")) || a.CanCancelAt(at("08:00")) {
		t.Fatal("CanCancelAt around the cut-off")
	}
	if a.State = ActivityCancelled; a.CanCancelAt(at("07:00")) {
		t.Fatal("CanCancelAt on a cancelled activity")
	}
	if got := a.Targets(); len(got) != 3 || got[0] != (Target{OrgPath: "/1/2/", TeamID: 5}) || got[2] != (Target{OrgPath: "/1/3/", TeamID: 8}) {
		t.Fatalf("Targets = %v", got)
	}
	for _, m := range ActivityModes {
		if !m.Valid() {
			t.Errorf("%s not valid", m)
		}
	}
	for s, active := range map[SignupState]bool{SignupConfirmed: true, SignupWaitlisted: true, SignupRequested: true,
		SignupCancelled: false, SignupRejected: false} {
		if s.Active() != active {
			t.Errorf("%s.Active() = %v", s, !active)
		}
	}
	if got := ChinaDay(time.Date(2026, 5, 15, 16, 30, 0, 0, time.UTC)); got != "2026-05-16" {
		t.Fatalf("ChinaDay = %s, want the next day in China", got)
	}
}

func TestAuthorizeAny(t *testing.T) {
	leader := func(team int64) Principal {
		return Principal{UserID: 7, PersonID: 70, Grants: []Grant{{Role: RoleTeamLeader, ScopeID: team}}}
	}
	orgAdmin := Principal{UserID: 8, Grants: []Grant{{Role: RoleOrgAdmin, ScopeID: 3, OrgPath: "/1/3/"}}}
	committee := Principal{UserID: 9, Grants: []Grant{{Role: RoleCommitteeAdmin}}}
	volunteer := Principal{UserID: 10, PersonID: 100, Grants: []Grant{{Role: RoleVolunteer}}}
	ts := []Target{{OrgPath: "/1/2/", TeamID: 5}, {OrgPath: "/1/2/", TeamID: 5}, {OrgPath: "/1/3/", TeamID: 8}}
	cases := []struct {
		name string
		p    Principal
		ts   []Target
		want Code
	}{
		{"the leading team's leader", leader(5), ts, ""},
		{"the leader of a team taking part", leader(8), ts, ""},
		{"the leader of another team", leader(6), ts, CodeForbidden},
		{"an org admin over a team taking part", orgAdmin, ts, ""},
		{"an org admin over the organiser only", orgAdmin, ts[:1], CodeForbidden},
		{"the committee", committee, ts, ""},
		{"a volunteer", volunteer, ts, CodeForbidden},
		{"the public must sign in", Principal{}, ts, CodeUnauthorized},
		{"no targets", committee, nil, CodeForbidden},
		{"a leader with no team on a committee activity", leader(5), []Target{{OrgPath: "/1/"}}, CodeForbidden},
	}
	for _, c := range cases {
		err := AuthorizeAny(c.p, ActActivityManage, c.ts)
		if c.want == "" && err != nil || c.want != "" && ErrCode(err) != c.want {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
	// A password that must change stops everything but one's own pages.
	p := committee
	p.MustChangePassword = true
	if err := AuthorizeAny(p, ActActivityManage, ts); ErrCode(err) != CodeForbidden {
		t.Errorf("must change password: got %v", err)
	}
}

// TestCancelCutoffLeavesTimeToCancel: the default cut-off of 24 hours
// before the start never closes cancelling as an activity is published (the
// issue: an activity made in the evening for the next morning showed
// "已过取消截止时间" at once). Volunteers get CancelGrace after publishing,
// or until the start when that comes first.
func TestCancelCutoffLeavesTimeToCancel(t *testing.T) {
	start := at("09:00")
	in := ActivityInput{StartsAt: start, EndsAt: start.Add(3 * time.Hour), CancelHours: 24}
	for _, c := range []struct {
		name      string
		published time.Time
		want      time.Time
	}{
		{"a week ahead: 24 h before", start.Add(-7 * 24 * time.Hour), start.Add(-24 * time.Hour)},
		{"just over a day ahead: 24 h before", start.Add(-30 * time.Hour), start.Add(-24 * time.Hour)},
		{"the evening before: 6 h after publishing", start.Add(-14 * time.Hour), start.Add(-8 * time.Hour)},
		{"an hour after the asked cut-off: grace", start.Add(-23 * time.Hour), start.Add(-17 * time.Hour)},
		{"three hours ahead: until the start", start.Add(-3 * time.Hour), start},
		{"entered after the start: as asked", start.Add(time.Hour), start.Add(-24 * time.Hour)},
	} {
		got := in.CancelCutoff(c.published)
		if !got.Equal(c.want) {
			t.Errorf("%s: CancelCutoff(%v) = %v, want %v", c.name, c.published, got, c.want)
		}
		if c.published.Before(start) && !got.After(c.published) {
			t.Errorf("%s: cancelling is closed as the activity is published", c.name)
		}
	}
}

// TestActivityRunning: a scheduled activity is under way from its start
// until its end, and then waits to be completed.
func TestActivityRunning(t *testing.T) {
	a := Activity{State: ActivityScheduled, StartsAt: at("09:00"), EndsAt: at("12:00")}
	for _, c := range []struct {
		t              string
		running, ended bool
	}{{"08:59", false, false}, {"09:00", true, false}, {"11:59", true, false}, {"12:00", false, true}} {
		if a.Running(at(c.t)) != c.running || a.Ended(at(c.t)) != c.ended {
			t.Errorf("at %s: running %v ended %v, want %v %v", c.t, a.Running(at(c.t)), a.Ended(at(c.t)), c.running, c.ended)
		}
	}
	a.State = ActivityCompleted
	if a.Running(at("10:00")) || a.Ended(at("13:00")) {
		t.Error("a completed activity is neither running nor waiting")
	}
}
