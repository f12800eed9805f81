package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestActivityTotalsMatchRecomputation is the proof of the statistics
// roll-up: over several rounds of random writes through the store's own
// write paths — activities completed with attendance (some people with two
// pairs, some with none, sign-ups credited to one of two teams or to
// nobody's team), hour corrections approved and rejected, past activities
// loaded in bulk — the stored activity_totals equal a full recomputation
// from activity_hours, row for row, after every round.
func TestActivityTotalsMatchRecomputation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		now := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		var team2 int64
		must(t, f.write(func(tx *store.Tx) error {
			unit, err := tx.CreateOrg(f.root, "unit", "农牧业局")
			if err != nil {
				return err
			}
			team2, err = tx.CreateTeam(domain.Team{OrgID: unit, Kind: domain.TeamYouth, Name: "青年队", Categories: []int64{f.cat}})
			return err
		}))
		teams := []int64{f.team, team2, 0}
		people := f.people(t, 24)
		r := rand.New(rand.NewPCG(14, 25))
		var done []int64 // completed activities, for corrections
		for round := range 6 {
			day := now.Add(time.Duration(round) * 72 * time.Hour)
			for range 2 {
				done = append(done, completeRandom(t, f, r, day, people, teams, &now))
			}
			correctRandom(t, s, f, r, done, 4)
			loadRandom(t, f, r, day.Add(-40*24*time.Hour), people, teams)
			stored, err := s.ActivityTotals(ctx, true)
			if err != nil {
				t.Fatal(err)
			}
			full, err := s.ActivityTotals(ctx, false)
			if err != nil {
				t.Fatal(err)
			}
			if len(full) == 0 {
				t.Fatalf("round %d: no hours recorded", round)
			}
			if !slices.Equal(stored, full) {
				t.Fatalf("round %d: roll-up differs from recomputation:\nstored %v\nfull   %v", round, stored, full)
			}
		}
	})
}

// completeRandom schedules an activity on day, signs up a random part of
// people with random teams, records random attendance and completes it
// (moving the clock past its end). It returns the activity.
func completeRandom(t *testing.T, f *actFixture, r *rand.Rand, day time.Time, people, teams []int64, now *time.Time) int64 {
	t.Helper()
	start := day.Add(time.Duration(1+r.IntN(8)) * time.Hour)
	*now = start.Add(-time.Hour)
	id := f.activity(t, domain.ModeUnit, len(people), start)
	for _, p := range people {
		if r.IntN(3) == 0 {
			continue
		}
		must(t, f.write(func(tx *store.Tx) error {
			_, err := tx.SignUp(id, p, teams[r.IntN(len(teams))], false)
			return err
		}))
		for pair := range r.IntN(3) {
			in := start.Add(time.Duration(pair*80+r.IntN(40)-10) * time.Minute)
			out := in.Add(time.Duration(r.IntN(70)) * time.Minute)
			must(t, f.write(func(tx *store.Tx) error { return tx.RecordPair(id, p, in, out) }))
		}
	}
	*now = start.Add(4 * time.Hour)
	must(t, f.write(func(tx *store.Tx) error {
		_, _, err := tx.CompleteActivity(id)
		return err
	}))
	return id
}

// correctRandom asks for n corrections of random records of the activities
// and approves or rejects each.
func correctRandom(t *testing.T, s *store.Store, f *actFixture, r *rand.Rand, acts []int64, n int) {
	t.Helper()
	ctx := context.Background()
	for range n {
		act := acts[r.IntN(len(acts))]
		got, err := s.RecordedMinutes(ctx, act)
		if err != nil {
			t.Fatal(err)
		}
		var ps []int64
		for p := range got {
			ps = append(ps, p)
		}
		if len(ps) == 0 {
			continue
		}
		slices.Sort(ps)
		rec, err := s.ServiceRecord(ctx, act, ps[r.IntN(len(ps))])
		if err != nil {
			t.Fatal(err)
		}
		var id int64
		must(t, f.write(func(tx *store.Tx) (err error) {
			id, err = tx.RequestCorrection(rec, domain.CorrectionInput{Minutes: domain.Minutes(r.IntN(180)), Reason: "核实签到表"}, "队长")
			return err
		}))
		approve := r.IntN(2) == 0
		must(t, f.write(func(tx *store.Tx) error { return tx.DecideCorrection(id, approve, "", "管理员") }))
	}
}

// loadRandom bulk-loads two past activities with random sign-ups and
// attendance, one completed and one cancelled.
func loadRandom(t *testing.T, f *actFixture, r *rand.Rand, day time.Time, people, teams []int64) {
	t.Helper()
	var as []*store.PastActivity
	for i, state := range []domain.ActivityState{domain.ActivityCompleted, domain.ActivityCancelled} {
		start := day.Add(time.Duration(2+i*5) * time.Hour)
		a := &store.PastActivity{Input: f.input(domain.ModeUnit, len(people), start), OrgID: f.root, State: state}
		a.Input.Title = fmt.Sprintf("往期活动%d", i)
		for _, p := range people {
			if r.IntN(2) == 0 {
				continue
			}
			a.Signups = append(a.Signups, store.PastSignup{PersonID: p, TeamID: teams[r.IntN(len(teams))],
				State: domain.SignupConfirmed, At: start.Add(-48 * time.Hour)})
			if state == domain.ActivityCompleted && r.IntN(4) > 0 {
				in := start.Add(time.Duration(r.IntN(60)-20) * time.Minute)
				a.Attendance = append(a.Attendance, store.PastAttendance{PersonID: p, In: in,
					Out: in.Add(time.Duration(r.IntN(200)) * time.Minute), MethodIn: domain.MethodQR, MethodOut: domain.MethodQR})
			}
		}
		as = append(as, a)
	}
	must(t, f.write(func(tx *store.Tx) error { return tx.LoadPastActivities(as) }))
}
