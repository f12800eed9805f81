package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/gen"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestLedgerTotalsEqualHours builds a team's year — members joining and
// leaving, activities in and out of the year, an outcome, a training and an
// award, a second team in a child org — and checks the team and org
// ledgers: their person-times and minutes, read from the roll-up, equal the
// sum of the activity_hours rows behind them.
func TestLedgerTotalsEqualHours(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		ppl := f.people(t, 6)
		var child, team2, member int64
		must(t, f.write(func(tx *store.Tx) (err error) {
			if child, err = tx.CreateOrg(f.root, "unit", "市农牧业局"); err != nil {
				return err
			}
			if team2, err = tx.CreateTeam(domain.Team{OrgID: child, Kind: domain.TeamParty, Name: "农牧队"}); err != nil {
				return err
			}
			for i, p := range ppl[:3] {
				if _, err := tx.AddMember(f.team, p, domain.MemberRegular, fmt.Sprintf("2025-0%d-01", i+1)); err != nil {
					return err
				}
			}
			if member, err = tx.AddMember(f.team, ppl[3], domain.MemberRegular, "2026-02-01"); err != nil {
				return err
			}
			if err := tx.AddTrainings([]domain.Training{{PersonID: ppl[0], Date: "2026-03-02", Subject: "急救", Minutes: 90}}); err != nil {
				return err
			}
			_, err = tx.AddMember(team2, ppl[5], domain.MemberLeader, "2026-01-01")
			return err
		}))
		ms, err := s.MembershipByID(ctx, member)
		must(t, err)
		must(t, f.write(func(tx *store.Tx) error { return tx.EndMembership(ms, "2026-06-30") }))
		day := time.Date(2026, 5, 12, 1, 0, 0, 0, time.UTC)
		a1 := f.pastActivity(t, day, ppl[:3])
		f.pastActivity(t, day.AddDate(0, 1, 0), ppl[1:4])
		f.pastActivity(t, time.Date(2025, 12, 31, 15, 0, 0, 0, time.UTC), ppl[:2]) // 2025-12-31 23:00 in China: not 2026
		tons := metricID(t, s, "garbage_tons")
		must(t, f.write(func(tx *store.Tx) error {
			return tx.SaveOutcome(domain.Outcome{ActivityID: a1, Beneficiaries: 40,
				Values: []domain.OutcomeValue{{MetricID: tons, Value: 30}}})
		}))

		var acts []store.LedgerActivity
		p := domain.YearPeriod(2026)
		from, to := p.Bounds()
		team := store.LedgerOf{TeamID: f.team}
		acts, err = s.LedgerActivities(ctx, team, from, to)
		must(t, err)
		if len(acts) != 2 || acts[0].ID != a1 || acts[0].Teams != "先锋队" || acts[0].Beneficiaries != 40 {
			t.Fatalf("team ledger activities %+v, want the two of 2026, a1 first", acts)
		}
		var pt int64
		var minutes domain.Minutes
		for _, a := range acts {
			pt, minutes = pt+a.PersonTimes, minutes+a.Minutes
		}
		hpt, hmin, err := s.LedgerHours(ctx, team, from, to)
		must(t, err)
		if pt != 6 || pt != hpt || minutes != hmin || minutes != 6*120 {
			t.Errorf("team ledger: %d person-times, %d min; activity_hours: %d, %d; want 6 and 720", pt, minutes, hpt, hmin)
		}
		// The same against a full recomputation from activity_hours.
		rows, err := s.ActivityTotals(ctx, false)
		must(t, err)
		var rpt, rmin int64
		for _, r := range rows {
			if r.TeamID == f.team && (r.ActivityID == acts[0].ID || r.ActivityID == acts[1].ID) {
				rpt, rmin = rpt+r.PersonTimes, rmin+r.Minutes
			}
		}
		if rpt != pt || domain.Minutes(rmin) != minutes {
			t.Errorf("recomputed %d person-times, %d min; ledger %d, %d", rpt, rmin, pt, minutes)
		}

		roster, err := s.LedgerRoster(ctx, team, p.From, p.To)
		must(t, err)
		if len(roster) != 4 || roster[3].PersonID != ppl[3] || !p.Contains(roster[3].JoinedOn) || !p.Contains(roster[3].LeftOn) {
			t.Errorf("roster %+v, want 4 stays, the last joined and left in 2026", roster)
		}
		att, n, err := s.LedgerAttendance(ctx, team, from, to, 2)
		must(t, err)
		if n != 6 || len(att) != 2 || att[0].ActivityID != a1 {
			t.Errorf("attendance %d rows of %d, want 2 of 6", len(att), n)
		}
		outs, err := s.LedgerOutcomes(ctx, team, from, to)
		must(t, err)
		if len(outs) != 1 || len(outs[0].Values) != 1 || outs[0].Values[0].Value.String() != "0.3" {
			t.Errorf("outcomes %+v, want 0.3 t on a1", outs)
		}
		trains, err := s.LedgerTrainings(ctx, team, p.From, p.To)
		must(t, err)
		if len(trains) != 1 || trains[0].Extra != "1.5" {
			t.Errorf("trainings %+v, want one of 1.5 hours", trains)
		}

		// The org ledger of the root sums both teams; the child's has only
		// team2, which served nothing.
		root, err := s.OrgByID(ctx, f.root)
		must(t, err)
		org := store.LedgerOf{OrgPath: root.Path}
		oacts, err := s.LedgerActivities(ctx, org, from, to)
		must(t, err)
		opt, omin, err := s.LedgerHours(ctx, org, from, to)
		must(t, err)
		var sum int64
		for _, a := range oacts {
			sum += a.PersonTimes
		}
		if len(oacts) != 2 || sum != opt || opt != 6 || omin != 720 {
			t.Errorf("root ledger: %d activities, %d person-times; activity_hours %d, %d", len(oacts), sum, opt, omin)
		}
		c, err := s.OrgByID(ctx, child)
		must(t, err)
		cacts, err := s.LedgerActivities(ctx, store.LedgerOf{OrgPath: c.Path}, from, to)
		must(t, err)
		croster, err := s.LedgerRoster(ctx, store.LedgerOf{OrgPath: c.Path}, p.From, p.To)
		must(t, err)
		if len(cacts) != 0 || len(croster) != 1 || croster[0].TeamName != "农牧队" {
			t.Errorf("child ledger: %d activities, roster %+v", len(cacts), croster)
		}
	})
}

// registerFixture loads n orders of 2026 with a menu item each, a review,
// and for every other one a dispatch and a decline.
func registerFixture(tb testing.TB, s *store.Store, n int) {
	tb.Helper()
	f := newActFixture(tb, s)
	ctx := context.Background()
	err := s.Write(ctx, actor, func(tx *store.Tx) error {
		item, err := tx.CreateMenuItem(domain.MenuItem{Title: "义诊", CategoryID: f.cat, Kind: domain.MenuProfessional,
			Term: domain.TermShort, Volunteers: 4, Active: true, TeamIDs: []int64{f.team}})
		if err != nil {
			return err
		}
		start := time.Date(2026, 1, 1, 2, 0, 0, 0, time.UTC)
		orders := make([]store.PastOrder, n)
		for i := range orders {
			at := start.Add(time.Duration(i) * 20 * time.Minute)
			o := store.PastOrder{NewOrder: store.NewOrder{Code: fmt.Sprintf("code-%d", i), OrderInput: domain.OrderInput{
				Channel: domain.ChannelHotline, RequesterName: "牧民" + fmt.Sprint(i), RequesterPhone: fmt.Sprintf("138%08d", i),
				SiteID: f.site, DateFrom: "2026-06-01", DateTo: "2026-06-30", Beneficiaries: 20, ItemIDs: []int64{item}}},
				CreatedAt: at, State: domain.OrderAccepted,
				Steps: []store.PastStep{{Event: domain.EventAccept, Actor: "工委", At: at.Add(time.Hour)}}}
			if i%3 == 1 {
				o.State, o.Steps = domain.OrderRejected, []store.PastStep{{Event: domain.EventReject, Reason: "超出服务范围", At: at.Add(time.Hour)}}
			}
			if i%2 == 0 {
				o.Steps = append(o.Steps, store.PastStep{Event: domain.EventDispatch, At: at.Add(2 * time.Hour)},
					store.PastStep{Event: domain.EventDecline, At: at.Add(3 * time.Hour)})
				o.Dispatches = []store.PastDispatch{{CategoryID: f.cat, TeamID: f.team, PersonDays: 1, State: domain.DispatchDeclined,
					Reason: "人手不足", At: at.Add(2 * time.Hour), AnsweredAt: at.Add(3 * time.Hour)}}
				if i%3 == 1 {
					o.Steps, o.Dispatches = o.Steps[:1], nil
				}
			}
			orders[i] = o
		}
		return tx.LoadPastOrders(orders)
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// TestOrderRegister reads the register in pages and checks every order
// comes once, in order, with its review and dispatches.
func TestOrderRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		registerFixture(t, s, 4500) // three pages of 2,000
		from, to := domain.YearPeriod(2026).Bounds()
		n, err := s.CountOrders(ctx, from, to)
		if err != nil || n != 4500 {
			t.Fatalf("CountOrders = %d, %v", n, err)
		}
		var last int64
		seen, rejected, declined := 0, 0, 0
		must(t, s.OrderRegister(ctx, from, to, 0, func(r *store.RegisterRow) error {
			if r.ID <= last {
				return fmt.Errorf("order %d after %d", r.ID, last)
			}
			last = r.ID
			seen++
			if r.Review == "reject" && r.ReviewReason == "超出服务范围" {
				rejected++
			}
			if len(r.Dispatches) == 1 && r.Dispatches[0].State == domain.DispatchDeclined && r.Dispatches[0].Team == "先锋队" {
				declined++
			}
			if len(r.Items) != 1 || r.Review == "" || r.SiteName != "建设社区" {
				return fmt.Errorf("order %d: %+v", r.ID, r)
			}
			return nil
		}))
		if seen != 4500 || rejected != 1500 || declined != 1500 {
			t.Errorf("register: %d orders, %d rejected, %d declined; want 4500, 1500, 1500", seen, rejected, declined)
		}
		seen = 0
		must(t, s.OrderRegister(ctx, from, to, 10, func(*store.RegisterRow) error { seen++; return nil }))
		if seen != 10 {
			t.Errorf("limit 10 gave %d orders", seen)
		}
	})
}

// TestOrderRegisterSkipsOrdersOutsideThePeriod interleaves orders of two
// years by id: the details of a page are read over its range of ids, which
// holds the other year's orders too, and none of theirs may reach a row.
func TestOrderRegisterSkipsOrdersOutsideThePeriod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newActFixture(t, s)
		ctx := context.Background()
		must(t, s.Write(ctx, actor, func(tx *store.Tx) error {
			item, err := tx.CreateMenuItem(domain.MenuItem{Title: "义诊", CategoryID: f.cat, Kind: domain.MenuProfessional,
				Term: domain.TermShort, Volunteers: 4, Active: true, TeamIDs: []int64{f.team}})
			if err != nil {
				return err
			}
			var orders []store.PastOrder
			for i := range 10 {
				at := time.Date(2026-i%2, 3, 1+i, 2, 0, 0, 0, time.UTC)
				orders = append(orders, store.PastOrder{NewOrder: store.NewOrder{Code: fmt.Sprintf("code-%d", i),
					OrderInput: domain.OrderInput{Channel: domain.ChannelHotline, RequesterName: fmt.Sprint("牧民", i),
						RequesterPhone: fmt.Sprintf("138%08d", i), SiteID: f.site, DateFrom: "2026-06-01", DateTo: "2026-06-30",
						Beneficiaries: 20, ItemIDs: []int64{item}}},
					CreatedAt: at, State: domain.OrderRejected,
					Steps: []store.PastStep{{Event: domain.EventReject, Reason: fmt.Sprint("理由", i), At: at.Add(time.Hour)}}})
			}
			return tx.LoadPastOrders(orders)
		}))
		from, to := domain.YearPeriod(2026).Bounds()
		seen := 0
		must(t, s.OrderRegister(ctx, from, to, 0, func(r *store.RegisterRow) error {
			seen++
			i := strings.TrimPrefix(r.RequesterName, "牧民")
			if r.CreatedAt.Year() != 2026 || r.ReviewReason != "理由"+i || len(r.Items) != 1 {
				return fmt.Errorf("order %d (%s): %+v", r.ID, r.RequesterName, r)
			}
			return nil
		}))
		if seen != 5 {
			t.Errorf("register of 2026: %d orders, want 5", seen)
		}
	})
}

// TestLedgerIndexLists checks the ledger index's lists against the full
// ones: the same orgs and teams in the same order, only without the counts.
func TestLedgerIndexLists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 7, 9, 0, 0, 0, domain.ChinaZone)
		if _, err := gen.Generate(ctx, s, gen.Options{Scale: gen.People(1000), Year: 2026, Seed: 5, Now: now}); err != nil {
			t.Fatal(err)
		}
		for _, sc := range []domain.Scope{{All: true}, {OrgPaths: []string{"/1/2/"}}} {
			full, err := s.ListOrgs(ctx, sc)
			must(t, err)
			names, err := s.ListOrgNames(ctx, sc)
			must(t, err)
			people := 0
			for i := range full {
				people += full[i].People
				full[i].Children, full[i].People, full[i].Teams = 0, 0, 0
			}
			if !slices.Equal(full, names) || len(names) == 0 || people == 0 {
				t.Errorf("%v: ListOrgNames gives %d orgs, ListOrgs %d (%d people)", sc, len(names), len(full), people)
			}
			teams, err := s.ListTeams(ctx, store.TeamFilter{Scope: sc})
			must(t, err)
			bare, err := s.ListTeams(ctx, store.TeamFilter{Scope: sc, NoMembers: true})
			must(t, err)
			members := 0
			for i := range teams {
				members += teams[i].Members
				teams[i].Members = 0
			}
			if !slices.EqualFunc(teams, bare, func(a, b domain.Team) bool { return fmt.Sprint(a) == fmt.Sprint(b) }) ||
				len(bare) == 0 || members == 0 {
				t.Errorf("%v: %d teams without members, %d with (%d members)", sc, len(bare), len(teams), members)
			}
		}
	})
}
