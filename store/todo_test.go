package store_test

import (
	"context"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// todoFixture is a small city for the to-do counts: a site ordering from
// two teams, three orders in different stages, a volunteer and activities.
type todoFixture struct {
	root, site, region    int64
	medical, legal        int64
	t1, t2, t3            int64
	mMed, mLegal          int64
	submitted, declined   int64 // a new order; one whose legal slot t2 declined
	confirmed, confirmed2 int64 // confirmed by t1; by t3
	person                int64
}

func newTodoFixture(t *testing.T, s *store.Store) todoFixture {
	t.Helper()
	ctx := context.Background()
	cats, _ := s.ListCategories(ctx, false)
	f := todoFixture{medical: cats[0].ID, legal: cats[4].ID}
	write := func(fn func(tx *store.Tx) error) {
		t.Helper()
		if err := s.Write(ctx, actor, fn); err != nil {
			t.Fatal(err)
		}
	}
	order := func(tx *store.Tx, code string, items ...int64) int64 {
		id, err := tx.CreateOrder(store.NewOrder{Code: code, OrderInput: domain.OrderInput{Channel: domain.ChannelOnline,
			RequesterName: "甲", RequesterPhone: "13900000000", SiteID: f.site, DateFrom: "2099-01-01", DateTo: "2099-01-01",
			ItemIDs: items}})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	write(func(tx *store.Tx) error {
		f.root, _ = tx.CreateOrg(0, "committee", "工委")
		f.region, _ = tx.CreateRegion(domain.Region{Level: domain.RegionBanner, Name: "海拉尔区", Lat: 49.21, Lng: 119.76})
		f.site, _ = tx.CreateSite(domain.Site{OrgID: f.root, Kind: domain.SiteCommunity, Name: "社区", RegionID: f.region})
		f.t1, _ = tx.CreateTeam(domain.Team{OrgID: f.root, Kind: domain.TeamParty, Name: "医疗队", BaseRegionID: f.region, Categories: []int64{f.medical}})
		f.t2, _ = tx.CreateTeam(domain.Team{OrgID: f.root, Kind: domain.TeamParty, Name: "法律队", BaseRegionID: f.region, Categories: []int64{f.legal}})
		f.t3, _ = tx.CreateTeam(domain.Team{OrgID: f.root, Kind: domain.TeamParty, Name: "司法队", BaseRegionID: f.region, Categories: []int64{f.legal}})
		f.mMed, _ = tx.CreateMenuItem(domain.MenuItem{Title: "义诊", CategoryID: f.medical, Kind: domain.MenuProfessional, Term: domain.TermShort, Volunteers: 4, Active: true, TeamIDs: []int64{f.t1}})
		f.mLegal, _ = tx.CreateMenuItem(domain.MenuItem{Title: "普法", CategoryID: f.legal, Kind: domain.MenuProfessional, Term: domain.TermShort, Volunteers: 2, Active: true, TeamIDs: []int64{f.t2}})
		f.submitted = order(tx, "c1", f.mMed)
		f.declined = order(tx, "c2", f.mMed, f.mLegal)
		f.confirmed = order(tx, "c3", f.mMed)
		f.confirmed2 = order(tx, "c4", f.mLegal)
		for _, o := range []int64{f.declined, f.confirmed, f.confirmed2} {
			if _, err := tx.TransitionOrder(o, domain.EventAccept, ""); err != nil {
				return err
			}
		}
		if err := tx.DispatchOrder(f.declined, []store.NewDispatch{{CategoryID: f.medical, TeamID: f.t1, PersonDays: 4},
			{CategoryID: f.legal, TeamID: f.t2, PersonDays: 2}}); err != nil {
			return err
		}
		if err := tx.DispatchOrder(f.confirmed, []store.NewDispatch{{CategoryID: f.medical, TeamID: f.t1, PersonDays: 4}}); err != nil {
			return err
		}
		return tx.DispatchOrder(f.confirmed2, []store.NewDispatch{{CategoryID: f.legal, TeamID: f.t3, PersonDays: 2}})
	})
	write(func(tx *store.Tx) error {
		if err := tx.AnswerDispatch(f.declined, f.t2, false, "人手不足"); err != nil {
			return err
		}
		if err := tx.AnswerDispatch(f.confirmed, f.t1, true, ""); err != nil {
			return err
		}
		return tx.AnswerDispatch(f.confirmed2, f.t3, true, "")
	})
	return f
}

// TestTodoOrderCounts: each count of the committee's and a leader's to-do
// list equals the length of the list it links to, and moves with the work.
func TestTodoOrderCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newTodoFixture(t, s)
		all := domain.Scope{All: true}

		states, err := s.CountOrdersByState(ctx, store.OrderFilter{Scope: all}, time.Time{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		got := map[domain.OrderState]int{}
		for _, st := range states {
			got[st.State] = st.Total
			_, n, err := s.ListOrders(ctx, store.OrderFilter{Scope: all, State: st.State})
			if err != nil || n != st.Total {
				t.Errorf("state %s: count %d, list %d (%v)", st.State, st.Total, n, err)
			}
		}
		// The declined order went back to accepted; its medical slot stays
		// with team 1 (pending).
		want := map[domain.OrderState]int{domain.OrderSubmitted: 1, domain.OrderAccepted: 1, domain.OrderConfirmed: 2}
		for st, n := range want {
			if got[st] != n {
				t.Errorf("orders %s = %d, want %d (all: %v)", st, got[st], n, got)
			}
		}

		pool, err := s.DispatchPool(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := s.CountDispatchPool(ctx); err != nil || n != len(pool) || n != 1 {
			t.Errorf("pool count = %d (%v), pool lists %d, want 1", n, err, len(pool))
		}
		ids, _ := s.DeclinedWaiting(ctx)
		if n, err := s.CountDeclinedWaiting(ctx); err != nil || n != 1 || !ids[f.declined] || len(ids) != 1 {
			t.Errorf("declined waiting = %d (%v), ids %v; want 1: order %d", n, err, ids, f.declined)
		}
		// Team 1's medical slot of that order waits for an answer.
		if n, _ := s.CountPendingAnswers(ctx, []int64{f.t1}); n != 1 {
			t.Errorf("team 1 answers waiting = %d, want 1", n)
		}
		if n, _ := s.CountPendingAnswers(ctx, []int64{f.t2, f.t3}); n != 0 {
			t.Errorf("teams 2 and 3 answers waiting = %d, want 0", n)
		}
		later := s.Now().Add(domain.DispatchOverdue + time.Hour).UnixMicro()
		overdue, _ := s.OverdueDispatches(ctx, later)
		if n, _ := s.CountOverdueDispatches(ctx, later); n != len(overdue) || n != 1 {
			t.Errorf("overdue = %d, listed %d, want 1", n, len(overdue))
		}
		if n, _ := s.CountOverdueDispatches(ctx, 0); n != 0 {
			t.Errorf("overdue before any dispatch = %d, want 0", n)
		}

		// Re-dispatching the declined slot takes the order off that list.
		if err := s.Write(ctx, actor, func(tx *store.Tx) error {
			return tx.DispatchOrder(f.declined, []store.NewDispatch{{CategoryID: f.legal, TeamID: f.t3, PersonDays: 2}})
		}); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountDeclinedWaiting(ctx); n != 0 {
			t.Errorf("declined waiting after re-dispatch = %d, want 0", n)
		}
		if n, _ := s.CountDispatchPool(ctx); n != 0 {
			t.Errorf("pool after re-dispatch = %d, want 0", n)
		}
	})
}

// TestTodoUnarrangedOrders: confirmed orders wait for their activity in
// the scope of who may arrange it, and leave the list once one is arranged
// (and come back when it is cancelled).
func TestTodoUnarrangedOrders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newTodoFixture(t, s)
		check := func(name string, sc domain.Scope, want ...int64) {
			t.Helper()
			list, n, err := s.UnarrangedOrders(ctx, sc, 10)
			if err != nil || n != len(want) || len(list) != len(want) {
				t.Fatalf("%s: %d orders (%d listed), %v; want %v", name, n, len(list), err, want)
			}
			for i, o := range list {
				if o.ID != want[i] || len(o.Items) == 0 {
					t.Errorf("%s: order %d = %d with %d items, want %d", name, i, o.ID, len(o.Items), want[i])
				}
			}
		}
		check("committee", domain.Scope{All: true}, f.confirmed, f.confirmed2)
		check("leader of team 1", domain.Scope{TeamIDs: []int64{f.t1}}, f.confirmed)
		check("leader of team 2", domain.Scope{TeamIDs: []int64{f.t2}})
		check("admin of another org", domain.Scope{OrgPaths: []string{"/999/"}})

		var act int64
		if err := s.Write(ctx, actor, func(tx *store.Tx) (err error) {
			act, err = tx.CreateActivity(domain.ActivityInput{Title: "义诊", Mode: domain.ModeCommittee, TeamID: f.t1,
				OrderID: f.confirmed, SiteID: f.site, CategoryIDs: []int64{f.medical}, TeamIDs: []int64{f.t1},
				StartsAt: s.Now().Add(48 * time.Hour), EndsAt: s.Now().Add(50 * time.Hour), Capacity: 10, CancelHours: 24}, f.root)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		check("leader of team 1 after arranging", domain.Scope{TeamIDs: []int64{f.t1}})
		if m, err := s.OrderActivities(ctx, []int64{f.confirmed, f.confirmed2}); err != nil || m[f.confirmed] != act || len(m) != 1 {
			t.Errorf("order activities = %v, %v; want %d → %d", m, err, f.confirmed, act)
		}
		if err := s.Write(ctx, actor, func(tx *store.Tx) error { return tx.CancelActivity(act, "天气") }); err != nil {
			t.Fatal(err)
		}
		check("leader of team 1 after cancelling", domain.Scope{TeamIDs: []int64{f.t1}}, f.confirmed)
	})
}

// TestTodoVolunteerAndRequests: a volunteer's upcoming sign-ups and the
// activities they can still join, and a leader's requests to join.
func TestTodoVolunteerAndRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newTodoFixture(t, s)
		now := s.Now()
		var own, open, other, legal, past int64
		mk := func(tx *store.Tx, title string, mode domain.ActivityMode, team int64, cat int64, start time.Time) int64 {
			id, err := tx.CreateActivity(domain.ActivityInput{Title: title, Mode: mode, TeamID: team, SiteID: f.site,
				CategoryIDs: []int64{cat}, TeamIDs: []int64{team}, StartsAt: start, EndsAt: start.Add(2 * time.Hour),
				Capacity: 10, CancelHours: 1}, f.root)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		var joiner int64
		if err := s.Write(ctx, actor, func(tx *store.Tx) error {
			p, _ := domain.PersonInput{Name: "王芳", Gender: "female", Phone: "13900000001", PoliticalStatus: "party_member",
				OrgID: f.root}.Validate()
			p.Willingness = []int64{f.medical}
			var err error
			if f.person, err = tx.CreatePerson(p, store.SealedID{}); err != nil {
				return err
			}
			if _, err := tx.AddMember(f.t1, f.person, domain.MemberRegular, "2020-01-01"); err != nil {
				return err
			}
			q, _ := domain.PersonInput{Name: "李雷", Gender: "male", Phone: "13900000002", PoliticalStatus: "party_member",
				OrgID: f.root}.Validate()
			if joiner, err = tx.CreatePerson(q, store.SealedID{}); err != nil {
				return err
			}
			day := now.Add(72 * time.Hour)
			own = mk(tx, "本队义诊", domain.ModeUnit, f.t1, f.medical, day)
			open = mk(tx, "开放义诊", domain.ModeOpen, f.t2, f.medical, day.Add(time.Hour))
			other = mk(tx, "别队义诊", domain.ModeUnit, f.t3, f.medical, day)
			legal = mk(tx, "开放普法", domain.ModeOpen, f.t2, f.legal, day)
			past = mk(tx, "昨天的义诊", domain.ModeOpen, f.t2, f.medical, now.Add(-24*time.Hour))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		_ = other
		joinable := func(cats []int64) []int64 {
			t.Helper()
			as, err := s.JoinableActivities(ctx, f.person, s.Now(), cats, 100)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, a := range as {
				ids = append(ids, a.ID)
			}
			return ids
		}
		same := func(a []int64, b ...int64) bool {
			if len(a) != len(b) {
				return false
			}
			for i := range a {
				if a[i] != b[i] {
					return false
				}
			}
			return true
		}
		// Willing to serve in medicine: their team's and the open one, not
		// another team's unit activity, the legal one or yesterday's.
		if got := joinable([]int64{f.medical}); !same(got, own, open) {
			t.Errorf("joinable (medical) = %v, want %v", got, []int64{own, open})
		}
		if got := joinable(nil); !same(got, own, legal, open) {
			t.Errorf("joinable (any category) = %v, want %v", got, []int64{own, legal, open})
		}
		_ = past
		if n, _ := s.CountUpcomingSignups(ctx, f.person, s.Now()); n != 0 {
			t.Errorf("upcoming before signing up = %d", n)
		}
		if err := s.Write(ctx, actor, func(tx *store.Tx) error {
			if _, err := tx.SignUp(own, f.person, f.t1, false); err != nil {
				return err
			}
			_, err := tx.SignUp(open, joiner, f.t2, true)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountUpcomingSignups(ctx, f.person, s.Now()); n != 1 {
			t.Errorf("upcoming after signing up = %d, want 1", n)
		}
		if got := joinable([]int64{f.medical}); !same(got, open) {
			t.Errorf("joinable after signing up = %v, want %v", got, []int64{open})
		}
		// The request waits for team 2's leader, who organises the open
		// activity; team 1's leader has none.
		for _, tc := range []struct {
			team int64
			want int
		}{{f.t2, 1}, {f.t1, 0}} {
			sc := domain.Scope{TeamIDs: []int64{tc.team}}
			filter := store.ActivityFilter{Scope: &sc, State: domain.ActivityScheduled, Requests: true}
			n, err := s.CountJoinRequests(ctx, filter)
			list, _, _ := s.ListActivities(ctx, filter)
			sum := 0
			for _, a := range list {
				sum += a.Requested
			}
			if err != nil || n != tc.want || sum != n {
				t.Errorf("team %d: %d requests (%v), the list shows %d; want %d", tc.team, n, err, sum, tc.want)
			}
		}
		if err := s.Write(ctx, actor, func(tx *store.Tx) error { return tx.CancelSignup(own, f.person) }); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountUpcomingSignups(ctx, f.person, s.Now()); n != 0 {
			t.Errorf("upcoming after withdrawing = %d, want 0", n)
		}
	})
}
