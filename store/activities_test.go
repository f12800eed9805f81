package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// actFixture is a committee with a team, a site and a category: enough to
// schedule activities and sign people up.
type actFixture struct {
	s                     *store.Store
	root, team, site, cat int64
	region                int64
	phones                int
}

func newActFixture(tb testing.TB, s *store.Store) *actFixture {
	tb.Helper()
	ctx := context.Background()
	f := &actFixture{s: s}
	cats, err := s.ListCategories(ctx, false)
	if err != nil || len(cats) == 0 {
		tb.Fatalf("categories: %v", err)
	}
	f.cat = cats[0].ID
	err = s.Write(ctx, actor, func(tx *store.Tx) (err error) {
		if f.root, err = tx.CreateOrg(0, "committee", "工委"); err != nil {
			return err
		}
		if f.region, err = tx.CreateRegion(domain.Region{Level: domain.RegionBanner, Name: "海拉尔区", Lat: 49.21, Lng: 119.76}); err != nil {
			return err
		}
		if f.site, err = tx.CreateSite(domain.Site{OrgID: f.root, Kind: domain.SiteCommunity, Name: "建设社区", RegionID: f.region}); err != nil {
			return err
		}
		f.team, err = tx.CreateTeam(domain.Team{OrgID: f.root, Kind: domain.TeamParty, Name: "先锋队", Categories: []int64{f.cat}})
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// input is a valid activity of mode from start for three hours.
func (f *actFixture) input(mode domain.ActivityMode, capacity int, start time.Time) domain.ActivityInput {
	in := domain.ActivityInput{Title: "社区义诊", Mode: mode, TeamID: f.team, SiteID: f.site, CategoryIDs: []int64{f.cat},
		StartsAt: start, EndsAt: start.Add(3 * time.Hour), Capacity: capacity, CancelHours: 2}
	in.Normalize()
	if err := in.Validate(start); err != nil {
		panic(err)
	}
	return in
}

// activity schedules an activity and returns its id.
func (f *actFixture) activity(tb testing.TB, mode domain.ActivityMode, capacity int, start time.Time) int64 {
	tb.Helper()
	var id int64
	err := f.s.Write(context.Background(), actor, func(tx *store.Tx) (err error) {
		id, err = tx.CreateActivity(f.input(mode, capacity, start), f.root)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

// people registers n people in one transaction and returns their ids.
func (f *actFixture) people(tb testing.TB, n int) []int64 {
	tb.Helper()
	ps := make([]domain.ValidPerson, n)
	for i := range ps {
		f.phones++
		ps[i] = domain.ValidPerson{Name: fmt.Sprintf("志愿者%d", f.phones), Gender: domain.GenderFemale,
			Phone: fmt.Sprintf("139%08d", f.phones), PoliticalStatus: "party_member", OrgID: f.root}
	}
	var ids []int64
	err := f.s.Write(context.Background(), actor, func(tx *store.Tx) (err error) {
		ids, err = tx.CreatePeople(ps, make([]store.SealedID, n))
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return ids
}

// write runs fn in one audited transaction.
func (f *actFixture) write(fn func(tx *store.Tx) error) error {
	return f.s.Write(context.Background(), actor, fn)
}

// signUp signs person up directly (or asks, with request).
func (f *actFixture) signUp(activity, person int64, request bool) (domain.SignupState, error) {
	var st domain.SignupState
	err := f.write(func(tx *store.Tx) (err error) {
		st, err = tx.SignUp(activity, person, f.team, request)
		return err
	})
	return st, err
}

func (f *actFixture) cancel(activity, person int64) error {
	return f.write(func(tx *store.Tx) error { return tx.CancelSignup(activity, person) })
}

// checkCapacity asserts that taken equals the confirmed rows and stays
// within capacity, and returns taken.
func (f *actFixture) checkCapacity(tb testing.TB, activity int64) int {
	tb.Helper()
	taken, confirmed, err := f.s.CapacityCheck(context.Background(), activity)
	if err != nil {
		tb.Fatal(err)
	}
	a, err := f.s.ActivityByID(context.Background(), activity)
	if err != nil {
		tb.Fatal(err)
	}
	if taken != confirmed || taken > a.Capacity {
		tb.Fatalf("taken %d, confirmed rows %d, capacity %d", taken, confirmed, a.Capacity)
	}
	return taken
}

// states counts an activity's sign-ups by state.
func (f *actFixture) states(tb testing.TB, activity int64) map[domain.SignupState]int {
	tb.Helper()
	gs, err := f.s.ActivitySignups(context.Background(), activity)
	if err != nil {
		tb.Fatal(err)
	}
	out := map[domain.SignupState]int{}
	for _, g := range gs {
		out[g.State]++
	}
	return out
}

func isKey(err error, code domain.Code, key string) bool {
	e, ok := domain.AsError(err)
	return ok && e.Code == code && e.Key == key
}

func TestActivityCreateReadList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		start := time.Date(2026, 6, 1, 1, 0, 0, 0, time.UTC) // 09:00 in China
		var team2 int64
		if err := f.write(func(tx *store.Tx) (err error) {
			team2, err = tx.CreateTeam(domain.Team{OrgID: f.root, Kind: domain.TeamYouth, Name: "青年队"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		in := f.input(domain.ModeUnit, 20, start)
		in.TeamIDs = append(in.TeamIDs, team2)
		in.Skills = []string{"急救", "驾驶"}
		var id int64
		if err := f.write(func(tx *store.Tx) (err error) {
			id, err = tx.CreateActivity(in, f.root)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		later := f.activity(t, domain.ModeOpen, 5, start.Add(48*time.Hour))
		a, err := s.ActivityByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if a.Title != "社区义诊" || a.Mode != domain.ModeUnit || a.State != domain.ActivityScheduled || a.Capacity != 20 ||
			a.Taken != 0 || !a.StartsAt.Equal(start) || !a.CancelCutoff.Equal(start.Add(-2*time.Hour)) ||
			a.SiteName != "建设社区" || a.TeamID != f.team || len(a.Teams) != 2 || !a.HasTeam(team2) ||
			len(a.Categories) != 1 || len(a.Skills) != 2 || a.OrgPath == "" {
			t.Fatalf("activity = %+v", a)
		}
		if _, err := s.ActivityByID(ctx, 999999); domain.ErrCode(err) != domain.CodeNotFound {
			t.Fatalf("unknown activity: %v", err)
		}
		list, total, err := s.ListActivities(ctx, store.ActivityFilter{})
		if err != nil || total != 2 || len(list) != 2 || list[0].ID != id || list[1].ID != later {
			t.Fatalf("list = %d of %d, %v", len(list), total, err)
		}
		for _, c := range []struct {
			name string
			f    store.ActivityFilter
			want []int64
		}{
			{"by team taking part", store.ActivityFilter{TeamID: team2}, []int64{id}},
			{"by mode", store.ActivityFilter{Mode: domain.ModeOpen}, []int64{later}},
			{"from a time", store.ActivityFilter{From: start.Add(time.Hour)}, []int64{later}},
			{"until a time", store.ActivityFilter{To: start.Add(time.Hour)}, []int64{id}},
			{"newest first", store.ActivityFilter{Desc: true}, []int64{later, id}},
			{"by category", store.ActivityFilter{CategoryID: f.cat}, []int64{id, later}},
			{"by region (the site's)", store.ActivityFilter{RegionPath: regionPath(t, s, f.region)}, []int64{id, later}},
			{"a team leader's scope", store.ActivityFilter{Scope: &domain.Scope{TeamIDs: []int64{team2}}}, []int64{id}},
			{"paged", store.ActivityFilter{Limit: 1, Offset: 1}, []int64{later}},
		} {
			got, _, err := s.ListActivities(ctx, c.f)
			if err != nil || len(got) != len(c.want) {
				t.Errorf("%s: %d activities, %v; want %v", c.name, len(got), err, c.want)
				continue
			}
			for i := range got {
				if got[i].ID != c.want[i] {
					t.Errorf("%s: got %d at %d, want %v", c.name, got[i].ID, i, c.want)
				}
			}
		}
		// Cancelling closes it to sign-ups; cancelling twice is a conflict.
		if err := f.write(func(tx *store.Tx) error { return tx.CancelActivity(later, "大雪封路") }); err != nil {
			t.Fatal(err)
		}
		if err := f.write(func(tx *store.Tx) error { return tx.CancelActivity(later, "again") }); !isKey(err, domain.CodeConflict, "err.activity.closed") {
			t.Fatalf("cancel twice: %v", err)
		}
		p := f.people(t, 1)[0]
		if _, err := f.signUp(later, p, false); !isKey(err, domain.CodeConflict, "err.activity.closed") {
			t.Fatalf("sign up for a cancelled activity: %v", err)
		}
		if _, err := f.signUp(999999, p, false); domain.ErrCode(err) != domain.CodeNotFound {
			t.Fatalf("sign up for no activity: %v", err)
		}
	})
}

func regionPath(t *testing.T, s *store.Store, id int64) string {
	rs, err := s.ListRegions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.ID == id {
			return r.Path
		}
	}
	t.Fatalf("no region %d", id)
	return ""
}

// TestUpdateActivityCapacity: the capacity may not drop below the places
// taken; raised, the waitlist moves up in queue order.
func TestUpdateActivityCapacity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newActFixture(t, s)
		start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
		id := f.activity(t, domain.ModeUnit, 3, start)
		ps := f.people(t, 6)
		for _, p := range ps {
			if _, err := f.signUp(id, p, false); err != nil {
				t.Fatal(err)
			}
		}
		update := func(capacity int) error {
			return f.write(func(tx *store.Tx) error {
				if err := tx.UpdateActivity(id, f.input(domain.ModeUnit, capacity, start)); err != nil {
					return err
				}
				return tx.PromoteWaitlist(id)
			})
		}
		err := update(2)
		if e, ok := domain.AsError(err); !ok || e.Field != "capacity" || e.Key != "err.activity.capacity_below_taken" {
			t.Fatalf("capacity below taken: got %v, want a field error on capacity", err)
		}
		if a, _ := s.ActivityByID(context.Background(), id); a.Capacity != 3 {
			t.Fatalf("capacity changed to %d by a refused update", a.Capacity)
		}
		if err := update(5); err != nil {
			t.Fatal(err)
		}
		if f.checkCapacity(t, id) != 5 {
			t.Fatal("raising the capacity did not fill the new places")
		}
		gs, _ := s.ActivitySignups(context.Background(), id)
		for i, g := range gs {
			want := domain.SignupConfirmed
			if i == 5 {
				want = domain.SignupWaitlisted
			}
			if g.State != want || (i == 5 && g.PersonID != ps[5]) {
				t.Fatalf("after raising: sign-up %d is %s for person %d, want %s (the last in the queue waits)", i, g.State, g.PersonID, want)
			}
		}
		if err := update(5); err != nil { // to the places taken: allowed
			t.Fatal(err)
		}
		if err := f.write(func(tx *store.Tx) error { return tx.CancelActivity(id, "") }); err != nil {
			t.Fatal(err)
		}
		if err := update(6); !isKey(err, domain.CodeConflict, "err.activity.closed") {
			t.Fatalf("update a cancelled activity: %v", err)
		}
	})
}
