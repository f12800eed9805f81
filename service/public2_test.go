package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// servicesFixture is the order fixture plus three more teams offering the
// fixture's item under the same title (one writes it with a space), and a
// team that offers something else.
type servicesFixture struct {
	orderFixture
	same     []int64 // the other teams' items of the service
	teams    []int64 // the other teams
	stranger int64   // a team that does not offer the service
}

func newServices(t *testing.T, s *store.Store) servicesFixture {
	t.Helper()
	ctx := context.Background()
	f := servicesFixture{orderFixture: newOrders(t, s)}
	cats, _ := f.svc.Categories(ctx, false)
	err := s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error {
		for i, title := range []string{"牲畜防疫", "牲畜 防疫", "牲畜防疫"} {
			team, err := tx.CreateTeam(domain.Team{OrgID: f.unitB, Kind: domain.TeamParty, Name: fmt.Sprintf("防疫%d队", i+1)})
			if err != nil {
				return err
			}
			item, err := tx.CreateMenuItem(domain.MenuItem{Title: title, CategoryID: cats[2].ID, Kind: domain.MenuProfessional,
				Term: domain.TermShort, Volunteers: 3, Active: true, TeamIDs: []int64{team}})
			if err != nil {
				return err
			}
			f.teams, f.same = append(f.teams, team), append(f.same, item)
		}
		var err error
		if f.stranger, err = tx.CreateTeam(domain.Team{OrgID: f.unitB, Kind: domain.TeamParty, Name: "文艺队"}); err != nil {
			return err
		}
		_, err = tx.CreateMenuItem(domain.MenuItem{Title: "文艺演出", CategoryID: cats[6].ID, Kind: domain.MenuParticipatory,
			Term: domain.TermShort, Volunteers: 8, Active: true, TeamIDs: []int64{f.stranger}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestPublicOrdersAService: four teams' items of one service are one entry
// of the public menu; ordering any of them orders the service (its oldest
// item), once; a preferred team that offers it is kept as a wish, one that
// does not is refused with a field message.
func TestPublicOrdersAService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newServices(t, s)
		m, err := f.svc.PublicMenu(ctx, store.MenuFilter{Query: "防疫"})
		if err != nil || len(m.Services) != 1 || m.Total != 1 {
			t.Fatalf("searching 防疫: %d services, total %d (%v); want one", len(m.Services), m.Total, err)
		}
		sv := m.Services[0]
		if sv.ID != f.item || len(sv.ItemIDs) != 4 || len(sv.TeamIDs) != 4 {
			t.Errorf("the service: id %d, items %v, teams %v; want item %d representing four teams' items", sv.ID, sv.ItemIDs, sv.TeamIDs, f.item)
		}
		for _, id := range f.same {
			if got, err := f.svc.PublicService(ctx, id); err != nil || got.ID != f.item {
				t.Errorf("PublicService(%d) = %d, %v; want the service %d", id, got.ID, err, f.item)
			}
		}

		in := f.input()
		in.ItemIDs = []int64{f.same[1], f.same[2]}
		in.PreferredTeamID = f.teams[2]
		code, err := f.svc.PlaceOrder(ctx, f.public, in)
		if err != nil {
			t.Fatal(err)
		}
		o, _ := s.OrderByCode(ctx, code)
		if len(o.Items) != 1 || o.Items[0].MenuItemID != f.item || o.PreferredTeamID != f.teams[2] || o.PreferredTeamName != "防疫3队" {
			t.Errorf("the order: items %+v, wish %d %q; want the service once and 防疫3队", o.Items, o.PreferredTeamID, o.PreferredTeamName)
		}

		in.PreferredTeamID = f.stranger
		in.RequesterPhone = "13900000002"
		if _, err := f.svc.PlaceOrder(ctx, f.public, in); !fieldIs(err, "preferred_team_id", "err.order.preferred_team") {
			t.Errorf("a wish for a team that does not offer the service: got %v", err)
		}
		in.PreferredTeamID = 0
		if code, err = f.svc.PlaceOrder(ctx, f.public, in); err != nil {
			t.Fatal(err)
		}
		if o, _ = s.OrderByCode(ctx, code); o.PreferredTeamID != 0 {
			t.Errorf("no preference: got team %d", o.PreferredTeamID)
		}
	})
}

// TestFindOrderByNumber: the order number and the last four digits of the
// phone find the order's code; a wrong half of the pair, either one, gets
// the same answer; lookups are limited per order number from any address
// and per address.
func TestFindOrderByNumber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newOrders(t, s)
		code, err := f.svc.PlaceOrder(ctx, f.public, f.input())
		if err != nil {
			t.Fatal(err)
		}
		o, _ := s.OrderByCode(ctx, code)
		number := domain.OrderNumber(o.ID)
		if got, err := f.svc.FindOrder(ctx, f.public, number, "5678"); err != nil || got != code {
			t.Fatalf("FindOrder(%s, 5678) = %q, %v; want the code", number, got, err)
		}
		if got, err := f.svc.FindOrder(ctx, f.public, " No."+number+" ", "139 1234 5678"); err != nil || got != code {
			t.Errorf("FindOrder with spaces and the whole phone = %q, %v; want the code", got, err)
		}
		wrong := []struct{ number, digits string }{
			{number, "5679"}, {domain.OrderNumber(o.ID + 1000), "5678"}, {"abc", "5678"}, {number, ""}, {number, "78"},
		}
		var keys []string
		for _, w := range wrong {
			got, err := f.svc.FindOrder(ctx, f.public, w.number, w.digits)
			e, ok := domain.AsError(err)
			if got != "" || !ok || e.Code != domain.CodeNotFound {
				t.Errorf("FindOrder(%q, %q) = %q, %v; want not found", w.number, w.digits, got, err)
				continue
			}
			keys = append(keys, e.Key)
		}
		for _, k := range keys {
			if k != "err.order.no_such_number" {
				t.Errorf("a wrong pair answers %q; every wrong pair must get the one answer", k)
			}
		}

		// Ten tries of one number an hour, from any address: five so far,
		// four more wrong ones from elsewhere, the tenth finds it, the
		// eleventh is refused even with the right digits.
		for i := 0; i < 4; i++ {
			c := f.public
			c.IP = fmt.Sprintf("198.51.100.%d", i+1)
			f.svc.FindOrder(ctx, c, number, fmt.Sprintf("%04d", i))
		}
		c := f.public
		c.IP = "192.0.2.200"
		if got, err := f.svc.FindOrder(ctx, c, number, "5678"); err != nil || got != code {
			t.Errorf("the tenth lookup of one number: %q, %v; want the code", got, err)
		}
		if _, err := f.svc.FindOrder(ctx, c, number, "5678"); !tooMany(err, "err.rate.number") {
			t.Errorf("the eleventh lookup of one number: got %v, want too_many", err)
		}
		// Another order's number is not held back by it.
		code2, err := f.svc.PlaceOrder(ctx, f.contact, f.input())
		if err != nil {
			t.Fatal(err)
		}
		o2, _ := s.OrderByCode(ctx, code2)
		if got, err := f.svc.FindOrder(ctx, c, domain.OrderNumber(o2.ID), "5678"); err != nil || got != code2 {
			t.Errorf("another order's number: %q, %v", got, err)
		}
		// Thirty lookups in ten minutes from one address, codes and numbers
		// together.
		for i := 0; i < 30; i++ {
			f.svc.TrackOrder(ctx, c, service.NewCode())
		}
		if _, err := f.svc.FindOrder(ctx, c, domain.OrderNumber(o2.ID), "5678"); !tooMany(err, "err.rate.track") {
			t.Errorf("a lookup over the address's limit: got %v, want too_many", err)
		}
	})
}

// TestFindOrderDailyCap: the hourly limit renews, but one order number is
// tried at most numberDayLimit (20) times a day, so its four digits cannot be
// worked through hour after hour.
func TestFindOrderDailyCap(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newOrders(t, s)
		code, err := f.svc.PlaceOrder(ctx, f.public, f.input())
		if err != nil {
			t.Fatal(err)
		}
		o, _ := s.OrderByCode(ctx, code)
		number := domain.OrderNumber(o.ID)
		now := time.Now()
		s.SetClock(func() time.Time { return now })
		for i := 0; i < 20; i++ {
			if i == 10 {
				now = now.Add(61 * time.Minute) // a new hour
			}
			c := f.public
			c.IP = fmt.Sprintf("198.51.100.%d", i+1)
			if _, err := f.svc.FindOrder(ctx, c, number, fmt.Sprintf("%04d", i)); domain.ErrCode(err) != domain.CodeNotFound {
				t.Fatalf("try %d: %v, want not found", i+1, err)
			}
		}
		now = now.Add(61 * time.Minute)
		c := f.public
		c.IP = "192.0.2.7"
		if _, err := f.svc.FindOrder(ctx, c, number, "5678"); !tooMany(err, "err.rate.number_day") {
			t.Errorf("the 21st try of one number in a day: %v, want the daily limit", err)
		}
		now = now.Add(24 * time.Hour)
		if got, err := f.svc.FindOrder(ctx, c, number, "5678"); err != nil || got != code {
			t.Errorf("the next day: %q, %v; want the code", got, err)
		}
	})
}
