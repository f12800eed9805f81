package service_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"slices"
	"sync"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// skipUnderRace skips a test that loads the whole demo city: under the race
// detector the pure-Go SQLite runs about 25 times slower, and the web tests
// load the demo under -race anyway.
func skipUnderRace(t *testing.T) {
	t.Helper()
	if raceEnabled {
		t.Skip("demo city generation skipped under -race (modernc SQLite is ~25x slower there); " +
			"run go test ./service/ without -race for it")
	}
}

// loadDemo generates the demo city in s and returns the logins and how long
// it took.
func loadDemo(t *testing.T, s *store.Store) (*service.Service, []service.DemoLogin) {
	t.Helper()
	svc := service.New(s, fast, make([]byte, 32), nil)
	start := time.Now()
	logins, err := svc.Demo(context.Background())
	if err != nil {
		t.Fatalf("Demo: %v", err)
	}
	t.Logf("demo city generated on %s in %v", s.Dialect, time.Since(start).Round(time.Millisecond))
	return svc, logins
}

func TestDemoCity(t *testing.T) {
	skipUnderRace(t)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, logins := loadDemo(t, s)

		c, err := s.CountRegistry(ctx, domain.Scope{All: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range []struct {
			what     string
			got      int
			min, max int
		}{
			{"orgs", c.Orgs, 370, 390}, {"people", c.People, 5600, 5800},
			{"party teams", c.PartyTeams, 54, 54}, {"youth teams", c.YouthTeams, 13, 13},
			{"party volunteers", c.PartyVolunteers, 1150, 1250}, {"youth volunteers", c.YouthVolunteers, 450, 550},
			{"regions", c.Regions, 14 + 42, 1000}, {"sites", c.Sites, 80, 200},
			{"party members", c.PartyMembers, 4000, 5800},
		} {
			if r.got < r.min || r.got > r.max {
				t.Errorf("%s = %d, want %d–%d", r.what, r.got, r.min, r.max)
			}
		}
		t.Logf("counts: %+v", c)

		start := time.Now()
		again, err := svc.Demo(ctx)
		if err != nil || !slices.Equal(again, logins) {
			t.Fatalf("second Demo = %v, %v; want the same logins %v", again, err, logins)
		}
		t.Logf("second Demo took %v (it only reads a setting)", time.Since(start))
		if c2, _ := s.CountRegistry(ctx, domain.Scope{All: true}); c2 != c {
			t.Errorf("second Demo changed the registry: %+v, was %+v", c2, c)
		}

		checkDemoPeople(t, s)
		checkDemoLogins(t, svc, logins)
		checkDemoNotices(t, s, logins)
		if got, want := demoFingerprint(t, s), referenceFingerprint(t); got != want {
			t.Errorf("demo city on %s differs from a fresh SQLite one: fingerprint %s, want %s", s.Dialect, got, want)
		}
	})
}

// checkDemoPeople checks every person's phone is a valid, unique mobile
// number and every ID number on file is masked.
func checkDemoPeople(t *testing.T, s *store.Store) {
	t.Helper()
	people, _, err := s.ListPeople(context.Background(), store.PeopleFilter{Scope: domain.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	ids := 0
	for _, p := range people {
		if !domain.ValidPhone(p.Phone) {
			t.Errorf("person %d %s: phone %q is not a valid mobile number", p.ID, p.Name, p.Phone)
		}
		if other, dup := seen[p.Phone]; dup {
			t.Errorf("phone %s held by %s and %s", p.Phone, other, p.Name)
		}
		seen[p.Phone] = p.Name
		if p.HasIDCard {
			ids++
		}
	}
	if n := len(people); ids < n/4 || ids > n/2 {
		t.Errorf("%d of %d people have an ID-card number; want about a third", ids, n)
	}
}

// checkDemoLogins signs in with every demo login and checks the volunteer
// finds her own record and team.
func checkDemoLogins(t *testing.T, svc *service.Service, logins []service.DemoLogin) {
	t.Helper()
	ctx := context.Background()
	roles := map[domain.Role]bool{}
	for _, l := range logins {
		roles[l.Role] = true
	}
	if len(roles) != len(domain.Roles) || len(logins) != len(domain.Roles)+1 {
		t.Errorf("%d demo logins for %d of %d roles; want one per role and a second team leader", len(logins), len(roles), len(domain.Roles))
	}
	for _, l := range logins {
		cookie, err := svc.Login(ctx, visitor, l.Username, l.Password, "", "test")
		if err != nil {
			t.Errorf("Login(%s): %v", l.Username, err)
			continue
		}
		p, _, err := svc.Authenticate(ctx, cookie)
		if err != nil || !p.Has(l.Role) {
			t.Errorf("Authenticate(%s) = %+v, %v; want role %s", l.Username, p, err, l.Role)
			continue
		}
		if l.Username == "youth-leader" {
			checkYouthLeader(t, svc, p)
			continue
		}
		if l.Role != domain.RoleVolunteer {
			continue
		}
		me, teams, err := svc.MyProfile(ctx, domain.Caller{Principal: p})
		if err != nil {
			t.Fatalf("MyProfile(volunteer): %v", err)
		}
		inTeam := slices.ContainsFunc(teams, func(m domain.Membership) bool {
			return m.Current() && m.TeamName == "市农牧业局党员志愿服务队"
		})
		if me.Name != "王芳" || !inTeam {
			t.Errorf("volunteer's person = %s in %+v; want 王芳, a current member of 市农牧业局党员志愿服务队", me.Name, teams)
		}
	}
}

var reference struct {
	once        sync.Once
	fingerprint string
}

// referenceFingerprint is the fingerprint of a demo city generated on a
// fresh SQLite database, once per test run.
func referenceFingerprint(t *testing.T) string {
	reference.once.Do(func() {
		s := storetest.SQLite(t)
		loadDemo(t, s)
		reference.fingerprint = demoFingerprint(t, s)
	})
	if reference.fingerprint == "" {
		t.Fatal("no reference demo city")
	}
	return reference.fingerprint
}

// demoFingerprint hashes the registry in id order: regions, orgs, sites,
// people with their lists, teams with their archives and rosters. Two demo
// cities are the same city when their fingerprints are equal. (Sealed
// ID-card numbers differ by their random nonces; their masked forms count.)
func demoFingerprint(t *testing.T, s *store.Store) string {
	t.Helper()
	ctx := context.Background()
	all := domain.Scope{All: true}
	h := sha256.New()
	add := func(h hash.Hash, v ...any) { fmt.Fprintln(h, v...) }
	regions, err := s.ListRegions(ctx)
	must(t, err)
	for _, r := range regions {
		add(h, r.ID, r.ParentID, r.Level, r.Name, r.Lat, r.Lng)
	}
	orgs, err := s.ListOrgs(ctx, all)
	must(t, err)
	for _, o := range orgs {
		add(h, o.ID, o.Kind, o.Name, o.Path)
	}
	sites, err := s.ListSites(ctx, store.SiteFilter{Scope: all})
	must(t, err)
	for _, x := range sites {
		add(h, x.ID, x.Kind, x.Name, x.RegionID, x.OrgID, x.Address)
	}
	people, _, err := s.ListPeople(ctx, store.PeopleFilter{Scope: all})
	must(t, err)
	slices.SortFunc(people, func(a, b domain.Person) int { return int(a.ID - b.ID) })
	for _, p := range people {
		add(h, p.ID, p.Name, p.Gender, p.Phone, p.IDCardMasked, p.PoliticalStatus, p.OrgID, p.RegionID,
			p.Skills, p.Willingness, p.Availability, p.Talents, p.UserID)
	}
	teams, err := s.ListTeams(ctx, store.TeamFilter{Scope: all})
	must(t, err)
	for _, tm := range teams {
		full, err := s.TeamByID(ctx, tm.ID)
		must(t, err)
		add(h, full.ID, full.Kind, full.Name, full.OrgID, full.FoundedOn, full.Description, full.Rules,
			full.Categories, full.BaseRegionID, full.BaseAddress)
		roster, err := s.Roster(ctx, tm.ID, true)
		must(t, err)
		slices.SortFunc(roster, func(a, b domain.Membership) int { return int(a.ID - b.ID) })
		for _, m := range roster {
			add(h, m.ID, m.PersonID, m.Role, m.JoinedOn, m.LeftOn)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestDemoRefusesRealData: a database with accounts of its own is not the
// demo's to fill.
func TestDemoRefusesRealData(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		svc, _ := newService(t, s)
		if _, err := svc.Demo(context.Background()); !errors.Is(err, service.ErrNotDemo) {
			t.Fatalf("Demo on a bootstrapped database = %v, want ErrNotDemo", err)
		}
	})
}

// checkYouthLeader: the second leader leads 市农牧业局's youth team and is
// linked to a person who is a current member of it.
func checkYouthLeader(t *testing.T, svc *service.Service, p domain.Principal) {
	t.Helper()
	me, teams, err := svc.MyProfile(context.Background(), domain.Caller{Principal: p})
	if err != nil {
		t.Fatalf("MyProfile(youth-leader): %v", err)
	}
	var team int64
	for _, g := range p.Grants {
		if g.Role == domain.RoleTeamLeader {
			team = g.ScopeID
		}
	}
	led := slices.ContainsFunc(teams, func(m domain.Membership) bool {
		return m.Current() && m.TeamID == team && m.TeamName == "市农牧业局青年志愿服务队"
	})
	if me.Name == "" || me.Name == "王芳" || team == 0 || !led {
		t.Errorf("youth-leader: person %q, team %d, memberships %+v; want a current member of the youth team it leads", me.Name, team, teams)
	}
}
