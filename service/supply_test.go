package service_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// supplyFixture is the order fixture (a banner with a site of unit A, and
// item "牲畜防疫" of category 3) plus a second banner and, created in this
// order: a medical item serving only the second banner, a livestock item
// for the whole city, and a party-education item later taken off the menu.
// Orders: two for 牲畜防疫 (one also for the party-education item), and two
// needs no item covers. One person is willing to serve in party education
// and team A serves in disease prevention.
type supplyFixture struct {
	orderFixture
	cats                      []domain.Category
	banner2                   int64
	clinic, breeding, lecture int64
	atSite, atAddress         string // the codes of the needs no item covers
	needAtSite, needAtAddress string
	bannerPath                string
}

// tickingClock moves one second forward at every reading, so that rows
// written one after another have distinct times in both dialects.
func tickingClock() func() time.Time {
	var mu sync.Mutex
	now := time.Now().UTC().Add(-time.Hour)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Second)
		return now
	}
}

func newSupply(t *testing.T, s *store.Store) supplyFixture {
	t.Helper()
	ctx := context.Background()
	s.SetClock(tickingClock())
	f := supplyFixture{orderFixture: newOrders(t, s)}
	f.cats, _ = f.svc.Categories(ctx, false)
	err := s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
		f.banner2, err = tx.CreateRegion(domain.Region{Level: domain.RegionBanner, Name: "新巴尔虎右旗", Lat: 48.7, Lng: 116.8})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(title string, cat int, regions ...int64) int64 {
		id, err := f.svc.CreateMenuItem(ctx, f.admin, domain.MenuItem{Title: title, CategoryID: f.cats[cat].ID,
			Kind: domain.MenuParticipatory, Term: domain.TermShort, Volunteers: 3, TeamIDs: []int64{f.teamA}, RegionIDs: regions})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	f.clinic = mk("巡回义诊", 0, f.banner2)
	f.breeding = mk("养殖技术指导", 1)
	f.lecture = mk("党课下基层", 3)

	ip := 0
	place := func(in domain.OrderInput) string {
		ip++
		in.RequesterPhone = fmt.Sprintf("1390000%04d", ip) // each from its own phone, as from its own address
		code, err := f.svc.PlaceOrder(ctx, domain.Caller{IP: fmt.Sprintf("198.51.100.%d", ip), RequestID: "s"}, in)
		if err != nil {
			t.Fatalf("PlaceOrder %+v: %v", in, err)
		}
		return code
	}
	atSite := f.input()
	place(atSite)
	atAddress := f.input()
	atAddress.SiteID, atAddress.RegionID, atAddress.Address = 0, f.banner2, "呼伦镇牧业队"
	atAddress.ItemIDs = []int64{f.item, f.lecture}
	place(atAddress)
	f.needAtSite, f.needAtAddress = "冬季棚圈修缮技术", "牧民心理疏导"
	needSite := f.input()
	needSite.ItemIDs, needSite.Need = nil, f.needAtSite
	f.atSite = place(needSite)
	needAddress := atAddress
	needAddress.ItemIDs, needAddress.Need = nil, f.needAtAddress
	f.atAddress = place(needAddress)

	if err := f.svc.SetMenuItemActive(ctx, f.admin, f.lecture, false); err != nil {
		t.Fatal(err)
	}
	p := person("乌云", "13800000021", f.unitA)
	p.Willingness = []int64{f.cats[3].ID}
	if _, err := f.svc.CreatePerson(ctx, f.admin, p); err != nil {
		t.Fatal(err)
	}
	team, _ := s.TeamByID(ctx, f.teamA)
	team.Categories = []int64{f.cats[2].ID}
	if err := f.svc.UpdateTeam(ctx, f.admin, team); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f supplyFixture) row(t *testing.T, v service.SupplyView, cat int) service.SupplyRow {
	t.Helper()
	for _, r := range v.Rows {
		if r.Category.ID == f.cats[cat].ID {
			return r
		}
	}
	t.Fatalf("no row for category %s", f.cats[cat].Code)
	return service.SupplyRow{}
}

func itemIDs(items []domain.MenuItem) []int64 {
	var out []int64
	for _, m := range items {
		out = append(out, m.ID)
	}
	return out
}

func TestSupplyByCategory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newSupply(t, s)
		v, err := f.svc.Supply(ctx, f.admin, service.SupplyQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Rows) != len(f.cats) {
			t.Errorf("%d rows, want one per category (%d)", len(v.Rows), len(f.cats))
		}
		want := []struct {
			cat                           int
			orders, items, teams, willing int
			flag                          service.SupplyFlag
		}{
			{0, 0, 1, 0, 0, service.SupplyIdle},     // medical: offered, not ordered
			{1, 0, 1, 0, 0, service.SupplyIdle},     // livestock
			{2, 2, 1, 1, 0, service.SupplyBalanced}, // disease prevention: ordered twice, one item
			{3, 1, 0, 0, 1, service.SupplyUnmet},    // party education: ordered, item taken off the menu
			{4, 0, 0, 0, 0, service.SupplyNone},
		}
		for _, w := range want {
			r := f.row(t, v, w.cat)
			if r.Orders != w.orders || r.Items != w.items || r.Teams != w.teams || r.Willing != w.willing || r.Flag != w.flag {
				t.Errorf("%s: got orders %d items %d teams %d willing %d flag %s; want %d %d %d %d %s", f.cats[w.cat].Code,
					r.Orders, r.Items, r.Teams, r.Willing, r.Flag, w.orders, w.items, w.teams, w.willing, w.flag)
			}
		}
		if r := f.row(t, v, 2); r.Ratio != 2 {
			t.Errorf("orders per item = %v, want 2", r.Ratio)
		}
		if v.Totals.Orders != 4 || v.Totals.Unmet != 2 {
			t.Errorf("totals = %+v, want 4 orders of which 2 unmet", v.Totals)
		}
		// Listed first: needs no item covers, newest first; categories
		// ordered with no item; items nobody ordered, oldest first.
		if len(v.Unmet) != 2 || v.Unmet[0].Need != f.needAtAddress || v.Unmet[1].Need != f.needAtSite ||
			v.Unmet[1].SiteName != "巴彦嘎查" || v.Unmet[0].Address != "呼伦镇牧业队" {
			t.Errorf("unmet needs = %+v", v.Unmet)
		}
		if len(v.Missing) != 1 || v.Missing[0].Category.ID != f.cats[3].ID {
			t.Errorf("categories without supply = %+v, want party education", v.Missing)
		}
		if got := itemIDs(v.Idle); !slices.Equal(got, []int64{f.clinic, f.breeding}) {
			t.Errorf("items nobody ordered = %v, want %v (oldest first; not the ordered one, not the inactive one)",
				got, []int64{f.clinic, f.breeding})
		}
		if len(v.Idle) > 0 && (len(v.Idle[0].TeamNames) != 1 || v.Idle[0].TeamNames[0] != "农牧服务队") {
			t.Errorf("idle item's teams = %v", v.Idle[0].TeamNames)
		}
		if v.Query.From == "" || v.Query.To == "" {
			t.Errorf("the default window is not filled in: %+v", v.Query)
		}
	})
}

func TestSupplyByRegionAndWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newSupply(t, s)
		// The first banner: the site's orders; the clinic serves only the
		// second banner, so it is neither supply nor idle here.
		v, err := f.svc.Supply(ctx, f.admin, service.SupplyQuery{RegionID: f.region})
		if err != nil {
			t.Fatal(err)
		}
		if r := f.row(t, v, 2); r.Orders != 1 || r.Items != 1 {
			t.Errorf("disease prevention in the first banner: %+v", r)
		}
		if r := f.row(t, v, 0); r.Items != 0 || r.Flag != service.SupplyNone {
			t.Errorf("medical in the first banner: %+v; the clinic serves the other banner", r)
		}
		if r := f.row(t, v, 3); r.Orders != 0 {
			t.Errorf("party education in the first banner: %+v", r)
		}
		if v.Totals.Orders != 2 || v.Totals.Unmet != 1 || len(v.Unmet) != 1 || v.Unmet[0].Need != f.needAtSite {
			t.Errorf("first banner: totals %+v, unmet %+v", v.Totals, v.Unmet)
		}
		if got := itemIDs(v.Idle); !slices.Equal(got, []int64{f.breeding}) {
			t.Errorf("first banner's idle items = %v, want only the whole-city breeding item", got)
		}
		v, _ = f.svc.Supply(ctx, f.admin, service.SupplyQuery{RegionID: f.banner2})
		if v.Totals.Orders != 2 || len(v.Unmet) != 1 || v.Unmet[0].Need != f.needAtAddress || f.row(t, v, 3).Flag != service.SupplyUnmet {
			t.Errorf("second banner: totals %+v, unmet %+v", v.Totals, v.Unmet)
		}
		if got := itemIDs(v.Idle); !slices.Equal(got, []int64{f.clinic, f.breeding}) {
			t.Errorf("second banner's idle items = %v", got)
		}

		// A window after every order: nothing ordered, every active item idle.
		tomorrow := s.Now().Add(48 * time.Hour).In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
		v, err = f.svc.Supply(ctx, f.admin, service.SupplyQuery{From: tomorrow, To: tomorrow})
		if err != nil || v.Totals.Orders != 0 || len(v.Unmet) != 0 || len(v.Idle) != 3 {
			t.Errorf("an empty window: totals %+v, %d unmet, %d idle, %v", v.Totals, len(v.Unmet), len(v.Idle), err)
		}

		// Faults.
		if _, err := f.svc.Supply(ctx, f.admin, service.SupplyQuery{From: "2026-05-01", To: "2026-04-01"}); !menuFieldErr(err, "to", "err.supply.range") {
			t.Errorf("a window that ends before it starts: got %v", err)
		}
		if _, err := f.svc.Supply(ctx, f.admin, service.SupplyQuery{From: "May 1"}); !menuFieldErr(err, "from", "err.date_format") {
			t.Errorf("a bad date: got %v", err)
		}
		if _, err := f.svc.Supply(ctx, f.admin, service.SupplyQuery{RegionID: 999999}); !menuFieldErr(err, "region", "err.region.not_found") {
			t.Errorf("an unknown region: got %v", err)
		}
		if _, err := f.svc.Supply(ctx, f.orgAdmin, service.SupplyQuery{}); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("org admin opens the supply view: got %v, want forbidden", err)
		}
	})
}
