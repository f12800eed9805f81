package store_test

import (
	"context"
	"testing"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestOrderPreferredTeam: an order keeps the team its requester would like,
// named, and an order without one reads 0; the audit row records it.
func TestOrderPreferredTeam(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		cats, _ := s.ListCategories(ctx, false)
		var with, without, team int64
		err := s.Write(ctx, actor, func(tx *store.Tx) error {
			root, _ := tx.CreateOrg(0, "committee", "工委")
			site, _ := tx.CreateSite(domain.Site{OrgID: root, Kind: domain.SiteVillage, Name: "巴彦嘎查"})
			team, _ = tx.CreateTeam(domain.Team{OrgID: root, Kind: domain.TeamParty, Name: "兽医队", Categories: []int64{cats[0].ID}})
			m, _ := tx.CreateMenuItem(domain.MenuItem{Title: "布病防治宣传", CategoryID: cats[0].ID, Kind: domain.MenuProfessional,
				Term: domain.TermShort, Volunteers: 4, Active: true, TeamIDs: []int64{team}})
			in := domain.OrderInput{Channel: domain.ChannelOnline, RequesterName: "甲", RequesterPhone: "13900000000",
				SiteID: site, DateFrom: "2099-01-01", DateTo: "2099-01-02", ItemIDs: []int64{m}, PreferredTeamID: team}
			var err error
			if with, err = tx.CreateOrder(store.NewOrder{Code: "c1", OrderInput: in}); err != nil {
				return err
			}
			in.PreferredTeamID = 0
			without, err = tx.CreateOrder(store.NewOrder{Code: "c2", OrderInput: in})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		o, err := s.OrderByID(ctx, with)
		if err != nil || o.PreferredTeamID != team || o.PreferredTeamName != "兽医队" {
			t.Errorf("order with a wish: team %d %q (%v), want %d 兽医队", o.PreferredTeamID, o.PreferredTeamName, err, team)
		}
		o, err = s.OrderByCode(ctx, "c2")
		if err != nil || o.ID != without || o.PreferredTeamID != 0 || o.PreferredTeamName != "" {
			t.Errorf("order without a wish: team %d %q (%v), want none", o.PreferredTeamID, o.PreferredTeamName, err)
		}
		list, _, err := s.ListOrders(ctx, store.OrderFilter{Scope: domain.Scope{All: true}})
		if err != nil || len(list) != 2 {
			t.Fatalf("ListOrders: %d, %v", len(list), err)
		}
	})
}
