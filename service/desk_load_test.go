package service_test

import (
	"context"
	"fmt"
	"testing"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestTeamLoadCountsServiceDays is issue 11's fault: a one-day item for 10
// people counted 40 person-days with a request window of 12-07..12-10 and
// 70 with 12-08..12-20, so two open orders from one 嘎查 filled a team of
// 90 person-days and the team they asked for was refused. Person-days are
// what the service needs — 10 people × 1 day — so both orders fit.
func TestTeamLoadCountsServiceDays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newOrders(t, s)
		cats, _ := f.svc.Categories(ctx, false)
		cat := cats[2].ID
		var team, item, twoDays int64
		err := s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
			if team, err = tx.CreateTeam(domain.Team{OrgID: f.unitA, Kind: domain.TeamParty, Name: "防疫服务队",
				BaseRegionID: f.region, Categories: []int64{cat}}); err != nil {
				return err
			}
			// 45 members: room for 90 person-days at once.
			ps := make([]domain.ValidPerson, 45)
			for i := range ps {
				ps[i] = domain.ValidPerson{Name: fmt.Sprintf("队员%d", i+1), Gender: domain.GenderMale,
					Phone: fmt.Sprintf("136%08d", i+1), PoliticalStatus: "party_member", OrgID: f.unitA}
			}
			ids, err := tx.CreatePeople(ps, make([]store.SealedID, len(ps)))
			if err != nil {
				return err
			}
			ms := make([]domain.Membership, len(ids))
			for i, id := range ids {
				ms[i] = domain.Membership{TeamID: team, PersonID: id, Role: domain.MemberRegular, JoinedOn: "2025-01-01"}
			}
			if err := tx.AddMembers(ms); err != nil {
				return err
			}
			if item, err = tx.CreateMenuItem(domain.MenuItem{Title: "布病防治宣传", CategoryID: cat, Kind: domain.MenuParticipatory,
				Term: domain.TermShort, Duration: "一天", Volunteers: 10, Active: true, TeamIDs: []int64{team}}); err != nil {
				return err
			}
			twoDays, err = tx.CreateMenuItem(domain.MenuItem{Title: "牲畜普查", CategoryID: cats[3].ID, Kind: domain.MenuParticipatory,
				Term: domain.TermShort, Duration: "两天", Volunteers: 4, Active: true, TeamIDs: []int64{team}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var orders []int64
		for _, w := range [][2]string{{ahead(60), ahead(63)}, {ahead(61), ahead(73)}} {
			in := f.input()
			in.DateFrom, in.DateTo, in.ItemIDs = w[0], w[1], []int64{item}
			code, err := f.svc.PlaceOrder(ctx, f.public, in)
			if err != nil {
				t.Fatal(err)
			}
			tr, _ := f.svc.TrackOrder(ctx, f.public, code)
			must(t, f.svc.ReviewOrder(ctx, f.admin, tr.Order.ID, domain.EventAccept, ""))
			orders = append(orders, tr.Order.ID)
		}
		for _, id := range orders {
			po, err := s.PoolOrderByID(ctx, id)
			if err != nil || len(po.Slots) != 1 || po.Slots[0].PersonDays != 10 {
				t.Fatalf("order %d: slots %+v, %v; want 10 person-days (10 people × 1 day), whatever the window", id, po.Slots, err)
			}
		}
		for _, id := range orders {
			choice := map[int64]int64{cat: team}
			reasons := map[int64]string{cat: "群众点名要这支服务队"}
			if err := f.svc.DispatchOrder(ctx, f.admin, id, choice, reasons); err != nil {
				t.Fatalf("dispatch order %d to the team asked for: %v", id, err)
			}
		}
		supply, err := s.TeamsForDispatch(ctx)
		must(t, err)
		for _, ts := range supply {
			if ts.Team.ID == team && ts.Load != 20 {
				t.Fatalf("team load %v person-days, want 20", ts.Load)
			}
		}
		// A two-day item counts its days.
		in := f.input()
		in.ItemIDs = []int64{twoDays, item}
		code, err := f.svc.PlaceOrder(ctx, f.public, in)
		must(t, err)
		tr, _ := f.svc.TrackOrder(ctx, f.public, code)
		po, _ := s.PoolOrderByID(ctx, tr.Order.ID)
		got := map[int64]float64{}
		for _, sl := range po.Slots {
			got[sl.CategoryID] = sl.PersonDays
		}
		if got[cat] != 10 || got[cats[3].ID] != 8 {
			t.Fatalf("person-days by category %v; want 10 and 8 (4 people × 2 days)", got)
		}
	})
}
