package service_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestDemoActivities checks the demo city's year of activities on both
// databases: every mode, every served order served by an activity,
// capacity and hours that hold, the coming weeks the demo logins need, and
// the same city every time.
func TestDemoActivities(t *testing.T) {
	skipUnderRace(t)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		s.SetClock(demoInstant)
		svc, logins := loadDemo(t, s)
		st := demoActivityStats(t, s)
		t.Logf("activities: %s, hours %.0f", st.counts(), st.hours)

		for _, m := range domain.ActivityModes {
			if st.byMode[m] == 0 {
				t.Errorf("no %s-mode activities", m)
			}
		}
		if n := st.byState[domain.ActivityCompleted]; n < 300 {
			t.Errorf("%d completed activities; want several hundred", n)
		}
		if st.byState[domain.ActivityCancelled] == 0 || st.byState[domain.ActivityScheduled] < 10 {
			t.Errorf("states %v; want a cancelled one and the coming weeks scheduled", st.byState)
		}
		if st.personTimes < 2000 {
			t.Errorf("%d person-times; want a few thousand", st.personTimes)
		}
		if avg := st.hours / float64(st.personTimes); avg < 1.8 || avg > 4.5 {
			t.Errorf("%.2f hours per person-time; want 2–4", avg)
		}
		for _, state := range domain.SignupStates {
			if st.signups[state] == 0 {
				t.Errorf("no %s sign-ups", state)
			}
		}
		for _, m := range []domain.AttendanceMethod{domain.MethodQR, domain.MethodManual, domain.MethodAuto} {
			if st.methods[m] == 0 {
				t.Errorf("no attendance recorded by %s", m)
			}
		}
		if st.twoPairs == 0 || st.noShows == 0 {
			t.Errorf("%d people with a lunch break, %d no-shows; want some of each", st.twoPairs, st.noShows)
		}
		for _, bad := range st.faults {
			t.Error(bad)
		}

		checkDemoOrdersServed(t, s, st)
		checkDemoComingWeeks(t, svc, s, logins, st)

		if ref := referenceActivities(t); st.counts() != ref {
			t.Errorf("activities on %s differ from a fresh SQLite demo:\n%s\nwant\n%s", s.Dialect, st.counts(), ref)
		}
	})
}

// activityStats sums up the demo's activities.
type activityStats struct {
	all         []domain.Activity
	byMode      map[domain.ActivityMode]int
	byState     map[domain.ActivityState]int
	signups     map[domain.SignupState]int
	methods     map[domain.AttendanceMethod]int
	byOrder     map[int64]domain.Activity
	personTimes int
	hours       float64
	twoPairs    int // people with two pairs on one activity
	noShows     int // confirmed on a completed activity, no attendance
	faults      []string
}

// counts are what two demo cities built a few seconds apart share. (Hours
// may differ a little: an order served a second later can move its
// activity to the next half hour.)
func (st *activityStats) counts() string {
	return fmt.Sprintf("modes %v, states %v, signups %v, attendance %v, person-times %d, lunch breaks %d, no-shows %d",
		st.byMode, st.byState, st.signups, st.methods, st.personTimes, st.twoPairs, st.noShows)
}

func demoActivityStats(t *testing.T, s *store.Store) *activityStats {
	t.Helper()
	ctx := context.Background()
	st := &activityStats{byMode: map[domain.ActivityMode]int{}, byState: map[domain.ActivityState]int{},
		signups: map[domain.SignupState]int{}, methods: map[domain.AttendanceMethod]int{}, byOrder: map[int64]domain.Activity{}}
	for off := 0; ; off += 500 {
		page, total, err := s.ListActivities(ctx, store.ActivityFilter{Limit: 500, Offset: off})
		must(t, err)
		st.all = append(st.all, page...)
		if len(st.all) >= total || len(page) == 0 {
			break
		}
	}
	root, err := s.RootOrgID(ctx)
	must(t, err)
	// Every sign-up is credited to a team the person belongs to: an open-mode
	// joiner comes with her own team, not the organiser's.
	member := map[[2]int64]bool{}
	teams, err := s.ListTeams(ctx, store.TeamFilter{Scope: domain.Scope{All: true}})
	must(t, err)
	for _, tm := range teams {
		roster, err := s.Roster(ctx, tm.ID, true)
		must(t, err)
		for _, m := range roster {
			member[[2]int64{tm.ID, m.PersonID}] = true
		}
	}
	fault := func(a domain.Activity, format string, args ...any) {
		if len(st.faults) < 20 {
			st.faults = append(st.faults, fmt.Sprintf("activity %d %q: ", a.ID, a.Title)+fmt.Sprintf(format, args...))
		}
	}
	for _, a := range st.all {
		st.byMode[a.Mode]++
		st.byState[a.State]++
		if a.OrderID != 0 {
			if _, dup := st.byOrder[a.OrderID]; dup {
				fault(a, "a second activity for order %d", a.OrderID)
			}
			st.byOrder[a.OrderID] = a
		}
		if (a.Mode == domain.ModeCommittee) != (a.OrgID == root) {
			fault(a, "%s mode organised by org %d (the committee is %d)", a.Mode, a.OrgID, root)
		}
		taken, confirmed, err := s.CapacityCheck(ctx, a.ID)
		must(t, err)
		if taken != confirmed || taken != a.Taken || taken > a.Capacity {
			fault(a, "taken %d, confirmed %d, capacity %d", taken, confirmed, a.Capacity)
		}
		if a.State == domain.ActivityCompleted && !a.EndsAt.Before(s.Now()) {
			fault(a, "completed but ends %v", a.EndsAt)
		}
		if h := a.Scheduled(); h < 60 || h > 8*60 {
			fault(a, "scheduled for %s hours", h.Hours())
		}
		signups, err := s.ActivitySignups(ctx, a.ID)
		must(t, err)
		att, err := s.ActivityAttendance(ctx, a.ID)
		must(t, err)
		hours, err := s.RecordedMinutes(ctx, a.ID)
		must(t, err)
		pairs := map[int64]int{}
		for _, p := range att {
			st.methods[p.MethodIn]++
			if !p.Open() {
				st.methods[p.MethodOut]++
			}
			pairs[p.PersonID]++
		}
		for _, n := range pairs {
			if n > 1 {
				st.twoPairs++
			}
		}
		for _, g := range signups {
			st.signups[g.State]++
			if g.TeamID != 0 && !member[[2]int64{g.TeamID, g.PersonID}] {
				fault(a, "person %d signed up with team %d, not theirs", g.PersonID, g.TeamID)
			}
			if a.State == domain.ActivityCompleted && g.State == domain.SignupConfirmed && pairs[g.PersonID] == 0 {
				st.noShows++
			}
			if pairs[g.PersonID] > 0 && g.State != domain.SignupConfirmed {
				fault(a, "person %d attended with a %s sign-up", g.PersonID, g.State)
			}
		}
		if a.State != domain.ActivityCompleted && len(hours) > 0 {
			fault(a, "hours recorded while %s", a.State)
		}
		for p, h := range hours {
			if h < 0 || h > a.Scheduled() {
				fault(a, "person %d has %s hours of %s scheduled", p, h.Hours(), a.Scheduled().Hours())
			}
			if pairs[p] == 0 {
				fault(a, "person %d has hours without attendance", p)
			}
			st.hours += float64(h) / 60
		}
		if a.State == domain.ActivityCompleted && len(hours) != len(pairs) {
			fault(a, "%d attended, %d person-times", len(pairs), len(hours))
		}
		st.personTimes += len(hours)
	}
	return st
}

// checkDemoOrdersServed checks every served or evaluated order has the
// activity that served it, ending before the order was served.
func checkDemoOrdersServed(t *testing.T, s *store.Store, st *activityStats) {
	t.Helper()
	ctx := context.Background()
	served, outside, lateOnes := 0, 0, 0
	var examples []string
	for _, state := range []domain.OrderState{domain.OrderServed, domain.OrderEvaluated} {
		orders, _, err := s.ListOrders(ctx, store.OrderFilter{Scope: domain.Scope{All: true}, State: state, Limit: 1000})
		must(t, err)
		for _, o := range orders {
			served++
			a, ok := st.byOrder[o.ID]
			if !ok {
				t.Errorf("order %d (%s) has no activity", o.ID, o.State)
				continue
			}
			if a.State != domain.ActivityCompleted || a.PersonTimes == 0 {
				t.Errorf("order %d: its activity %d is %s with %d person-times", o.ID, a.ID, a.State, a.PersonTimes)
			}
			steps, err := s.OrderSteps(ctx, o.ID)
			must(t, err)
			// Confirmed too late for its dates, or served before 11:00 on
			// its first day: its activity cannot be inside its dates.
			late := false
			for _, step := range steps {
				if step.To == domain.OrderConfirmed {
					late = domain.ChinaDay(step.At.Add(3*time.Hour)) > o.DateTo
				}
				if step.To == domain.OrderServed && domain.ChinaDay(step.At) == o.DateFrom &&
					step.At.In(domain.ChinaZone).Hour() < 11 {
					late = true
				}
				if step.To == domain.OrderServed && a.EndsAt.After(step.At) {
					t.Errorf("order %d served at %v, before its activity ended at %v", o.ID, step.At, a.EndsAt)
				}
				if step.To == domain.OrderConfirmed && !a.StartsAt.After(step.At) {
					t.Errorf("order %d confirmed at %v, after its activity started at %v", o.ID, step.At, a.StartsAt)
				}
			}
			if day := domain.ChinaDay(a.StartsAt); day < o.DateFrom || day > o.DateTo {
				if late {
					lateOnes++
				} else {
					outside++
					if len(examples) < 5 {
						examples = append(examples, fmt.Sprintf("order %d for %s–%s served by activity %d at %s; steps %v",
							o.ID, o.DateFrom, o.DateTo, a.ID, a.StartsAt.In(domain.ChinaZone).Format("01-02 15:04"), stepTimes(steps)))
					}
				}
			}
		}
	}
	if served < 50 {
		t.Errorf("%d served orders; the demo should have about a hundred", served)
	}
	if outside > served/20 {
		t.Errorf("%d of %d order activities outside the order's dates, e.g. %v", outside, served, examples)
	}
	t.Logf("%d served orders; activities outside the order's dates: %d confirmed or served too early for them, %d others",
		served, lateOnes, outside)
}

// checkDemoComingWeeks checks what the demo logins find to do: an activity
// of the leader's team running now that the volunteer can sign up for, a
// full one with a waitlist, open ones with requests to decide (the
// leader's and another team's), a committee day with many teams, and the
// volunteer's year of service.
func checkDemoComingWeeks(t *testing.T, svc *service.Service, s *store.Store, logins []service.DemoLogin, st *activityStats) {
	t.Helper()
	ctx := context.Background()
	var vol, leader domain.Principal
	for _, l := range logins {
		cookie, err := svc.Login(ctx, visitor, l.Username, l.Password, "", "test")
		must(t, err)
		p, _, err := svc.Authenticate(ctx, cookie)
		must(t, err)
		switch l.Role {
		case domain.RoleVolunteer:
			vol = p
		case domain.RoleTeamLeader:
			if leader.UserID == 0 { // nmj-leader, the first
				leader = p
			}
		}
	}
	me, teams, err := svc.MyProfile(ctx, domain.Caller{Principal: vol})
	must(t, err)
	var nmjTeam int64
	for _, m := range teams {
		if m.Current() && m.TeamName == "市农牧业局党员志愿服务队" {
			nmjTeam = m.TeamID
		}
	}
	if len(leader.Grants) == 0 || nmjTeam == 0 {
		t.Fatalf("leader %+v, volunteer's team %d", leader, nmjTeam)
	}
	now := s.Now()
	var running, full, leaderRequests, otherRequests, bigCommittee int
	for _, a := range st.all {
		if a.State != domain.ActivityScheduled {
			continue
		}
		mine := a.HasTeam(nmjTeam)
		switch {
		case mine && a.TeamID == nmjTeam && !a.StartsAt.After(now) && a.EndsAt.After(now):
			running++
			_, signed, err := s.PersonSignup(ctx, a.ID, me.ID)
			must(t, err)
			if signed || a.Free() == 0 {
				t.Errorf("running activity %d: volunteer signed up %v, %d places free; she should be able to sign up", a.ID, signed, a.Free())
			}
			if h := now.Sub(a.StartsAt); h < 30*time.Minute || h > 90*time.Minute {
				t.Errorf("running activity %d started %v ago; want about an hour", a.ID, h)
			}
		case a.Free() == 0 && a.Waitlisted > 0 && a.StartsAt.After(now):
			full++
		}
		if a.Mode == domain.ModeOpen && a.Requested > 0 {
			if a.TeamID == nmjTeam {
				leaderRequests++
			} else {
				otherRequests++
			}
		}
		if a.Mode == domain.ModeCommittee && len(a.Teams) >= 5 && mine && a.StartsAt.After(now) {
			bigCommittee++
		}
	}
	if running != 1 || full == 0 || leaderRequests == 0 || otherRequests == 0 || bigCommittee == 0 {
		t.Errorf("coming weeks: %d running now, %d full with a waitlist, %d open with requests for the leader, %d for another team, %d committee days with many teams",
			running, full, leaderRequests, otherRequests, bigCommittee)
	}
	mine, total, err := s.PersonActivities(ctx, me.ID)
	must(t, err)
	done := 0
	for _, pa := range mine {
		if pa.Activity.State == domain.ActivityCompleted && pa.Attended {
			done++
		}
	}
	if done < 5 || total < 15*60 || total >= 60*60 {
		t.Errorf("the demo volunteer served %d activities for %s hours; want a few dozen hours, short of 100", done, total.Hours())
	}
	t.Logf("the demo volunteer: %d activities attended, %s hours", done, total.Hours())
}

var referenceActs struct {
	once   sync.Once
	counts string
}

// referenceActivities is the counts of the activities of a demo city
// generated on a fresh SQLite database, once per test run.
// demoStart is the one instant at which this test run's demo cities are
// generated. The demo is a function of the clock (a year of orders ending
// now, cut into China days), so a reference city built minutes before the
// city it is compared with may differ at day boundaries; both read this.
var demoStart = time.Now()

func demoInstant() time.Time { return demoStart }

func referenceActivities(t *testing.T) string {
	referenceActs.once.Do(func() {
		s := storetest.SQLite(t)
		s.SetClock(demoInstant)
		loadDemo(t, s)
		referenceActs.counts = demoActivityStats(t, s).counts()
	})
	if referenceActs.counts == "" {
		t.Fatal("no reference demo city")
	}
	return referenceActs.counts
}

// stepTimes is an order's steps for a message.
func stepTimes(steps []domain.OrderStep) []string {
	var out []string
	for _, s := range steps {
		out = append(out, string(s.To)+" "+s.At.In(domain.ChinaZone).Format("01-02 15:04"))
	}
	return out
}
