package service_test

import (
	"context"
	"testing"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

func TestPublicMenuAndSites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newOrders(t, s)
		cats, _ := f.svc.Categories(ctx, false)
		var other, retired int64
		err := s.Write(ctx, domain.SystemActor, func(tx *store.Tx) (err error) {
			if other, err = tx.CreateMenuItem(domain.MenuItem{Title: "义务植树", CategoryID: cats[9].ID, Kind: domain.MenuParticipatory,
				Term: domain.TermLong, Volunteers: 20, Active: true, TeamIDs: []int64{f.teamA}, RegionIDs: []int64{f.region}}); err != nil {
				return err
			}
			retired, err = tx.CreateMenuItem(domain.MenuItem{Title: "停办的项目", CategoryID: cats[9].ID, Kind: domain.MenuParticipatory,
				Term: domain.TermShort, Volunteers: 2, Active: false, TeamIDs: []int64{f.teamA}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		m, err := f.svc.PublicMenu(ctx, store.MenuFilter{})
		if err != nil || len(m.Services) != 2 || m.Total != 2 || m.Counts[cats[2].ID] != 1 || m.Counts[cats[9].ID] != 1 {
			t.Fatalf("the whole public menu = %+v, %v; want the two active items, counted per category", m, err)
		}
		m, _ = f.svc.PublicMenu(ctx, store.MenuFilter{CategoryID: cats[9].ID})
		if len(m.Services) != 1 || m.Services[0].ID != other || m.Total != 2 || m.Counts[cats[2].ID] != 1 {
			t.Errorf("one category = %+v; want its item, with every category still counted", m)
		}
		m, _ = f.svc.PublicMenu(ctx, store.MenuFilter{Query: "植树"})
		if len(m.Services) != 1 || m.Total != 1 || m.Counts[cats[2].ID] != 0 {
			t.Errorf("a search = %+v; want one item, counted under the search", m)
		}
		if _, err := f.svc.PublicService(ctx, retired); domain.ErrCode(err) != domain.CodeNotFound {
			t.Errorf("an inactive item no other team offers: got %v, want not found", err)
		}
		if it, err := f.svc.PublicService(ctx, other); err != nil || it.Title != "义务植树" || len(it.TeamNames) != 1 {
			t.Errorf("an active item = %+v, %v", it, err)
		}
		services, err := f.svc.PublicServices(ctx, []int64{retired, other, f.item, 999999})
		if err != nil || len(services) != 2 || services[0].ID != other || services[1].ID != f.item {
			t.Errorf("chosen services = %+v, %v; want the two active ones, in the order asked", services, err)
		}

		regions, err := f.svc.MenuRegions(ctx)
		if err != nil || len(regions) != 1 || regions[0].ID != f.region {
			t.Errorf("menu regions = %+v, %v; want the banner", regions, err)
		}

		sites, err := f.svc.PublicSites(ctx)
		if err != nil || len(sites) != 1 || sites[0].ID != f.site || sites[0].Name != "巴彦嘎查" ||
			sites[0].RegionName != "陈巴尔虎旗" || sites[0].Kind != domain.SiteVillage {
			t.Errorf("public sites = %+v, %v", sites, err)
		}
	})
}
