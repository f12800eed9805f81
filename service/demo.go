package service

import (
	"context"
	"errors"
	"fmt"

	"vanguard/domain"
	"vanguard/store"
)

// DemoPassword is the password of every demo account. The demo is for
// trying the platform on a laptop, never for real data: Demo refuses a
// database that was not created by it.
const DemoPassword = "xianfeng-demo-2026"

// DemoLogin is one account the demo prints.
type DemoLogin struct {
	Role     domain.Role
	Username string
	Password string
	Scope    string
}

// ErrNotDemo is returned when --demo meets a database that holds real data.
var ErrNotDemo = errors.New("--demo needs an empty database (or one made by --demo); this one holds other data")

// demoAccounts are the demo's logins, one per role, with their display
// names.
var demoAccounts = []struct {
	DemoLogin
	display string
}{
	{DemoLogin{domain.RoleCommitteeAdmin, "admin", DemoPassword, "市直机关工委"}, "工委管理员"},
	{DemoLogin{domain.RoleOrgAdmin, "nmj-admin", DemoPassword, "市农牧业局"}, "农牧业局管理员"},
	{DemoLogin{domain.RoleTeamLeader, "nmj-leader", DemoPassword, "市农牧业局党员志愿服务队"}, "服务队队长"},
	{DemoLogin{domain.RoleVolunteer, "volunteer", DemoPassword, ""}, "志愿者王芳"},
	{DemoLogin{domain.RoleSiteContact, "gacha-contact", DemoPassword, "巴彦嘎查"}, "嘎查联系人"},
	// A second team leader, of a youth team, for trying a decline and the
	// re-dispatch to another team. The first account of each role is the
	// one tests take for that role.
	{DemoLogin{domain.RoleTeamLeader, "youth-leader", DemoPassword, "市农牧业局青年志愿服务队"}, "青年队队长"},
}

// Demo fills an empty database with the demo city — Hulunbuir's banners as
// regions, 378 orgs, 5,716 people, 54 party and 13 youth teams with their
// rosters, a hundred-odd sites — and returns one login per role. The city
// is generated from a fixed seed, so every demo database holds the same
// data. On a database it filled before, Demo only returns the logins.
func (s *Service) Demo(ctx context.Context) ([]DemoLogin, error) {
	logins := make([]DemoLogin, len(demoAccounts))
	for i, a := range demoAccounts {
		logins[i] = a.DemoLogin
	}
	demo, _, err := s.store.Setting(ctx, "demo")
	if err != nil {
		return nil, err
	}
	if demo == "1" {
		return logins, nil
	}
	if err := s.checkEmpty(ctx); err != nil {
		return nil, err
	}
	committee, err := s.ensureCommittee(ctx, "市直机关工委")
	if err != nil {
		return nil, err
	}
	cats, err := s.store.ListCategories(ctx, false)
	if err != nil {
		return nil, err
	}
	city, err := newDemoCity(cats)
	if err != nil {
		return nil, err
	}
	city.committee.id = committee
	// Every demo account has the same published password, so one hash
	// serves them all and the start pays for one argon2 run, not five.
	hash, err := s.hasher.Hash(DemoPassword)
	if err != nil {
		return nil, err
	}
	// One transaction: a demo city is there whole or not at all.
	err = s.store.Write(ctx, SystemCaller.Actor(), func(tx *store.Tx) error {
		return s.writeDemoCity(ctx, tx, city, hash)
	})
	if err != nil {
		return nil, fmt.Errorf("demo city: %w", err)
	}
	return logins, nil
}

// checkEmpty refuses a database with accounts or registry data: at most
// the committee may be there (a first start that stopped half way).
func (s *Service) checkEmpty(ctx context.Context) error {
	if n, err := s.store.CountUsers(ctx); err != nil {
		return err
	} else if n > 0 {
		return ErrNotDemo
	}
	c, err := s.store.CountRegistry(ctx, domain.Scope{All: true})
	if err != nil {
		return err
	}
	if c.Orgs > 1 || c.People > 0 || c.Teams > 0 || c.Sites > 0 || c.Regions > 0 {
		return ErrNotDemo
	}
	return nil
}

// writeDemoCity writes the generated city, stage by stage, in tx.
func (s *Service) writeDemoCity(ctx context.Context, tx *store.Tx, c *demoCity, hash string) error {
	// Marking the database first makes a second instance starting --demo on
	// the same PostgreSQL at the same moment fail here, not half way.
	if err := tx.SetSetting("demo", "1"); err != nil {
		return err
	}
	for _, stage := range []func(*store.Tx, *demoCity) error{writeDemoRegions, writeDemoOrgs, writeDemoSites, s.writeDemoPeople} {
		if err := stage(tx, c); err != nil {
			return err
		}
	}
	if err := s.writeDemoTeams(ctx, tx, c); err != nil {
		return err
	}
	if err := writeDemoTrainings(tx, c); err != nil {
		return err
	}
	if err := writeDemoAccounts(tx, c, hash); err != nil {
		return err
	}
	if err := s.writeDemoMenuAndOrders(tx, c); err != nil {
		return err
	}
	// Service: activities with sign-ups and attendance, then what came of
	// them; last, what the accounts were told of lately.
	for _, stage := range []func(*store.Tx, *demoCity) error{s.writeDemoActivities, creditDemoHours, s.writeDemoOutcomes, s.writeDemoRecords,
		// Records the law asks for and points (issue 15), one file each.
		s.writeDemoDeclared, s.writeDemoRules, s.writeDemoCerts2, s.writeDemoMinors, s.writeDemoPoints,
		s.writeDemoNotices} {
		if err := stage(tx, c); err != nil {
			return err
		}
	}
	return tx.Audit("demo.load", "demo", "", nil, map[string]any{
		"seed": fmt.Sprint(demoSeed), "regions": len(c.regions), "orgs": len(c.orgs) + 1, "people": len(c.people),
		"teams": len(c.teams), "sites": len(c.sites), "trainings": len(c.trainings), "accounts": len(demoAccounts),
	})
}

func writeDemoRegions(tx *store.Tx, c *demoCity) error {
	for _, r := range c.regions {
		x := domain.Region{Level: r.level, Name: r.name, Lat: r.lat, Lng: r.lng}
		if r.parent != nil {
			x.ParentID = r.parent.id
		}
		var err error
		if r.id, err = tx.CreateRegion(x); err != nil {
			return err
		}
	}
	return nil
}

func writeDemoOrgs(tx *store.Tx, c *demoCity) error {
	for _, o := range c.orgs {
		var v domain.Validation
		domain.ValidateName(&v, "name", o.name, 80)
		v.Check(domain.ValidOrgKind(o.kind), "kind", "err.org.kind")
		if err := v.Err(); err != nil {
			return fmt.Errorf("org %s: %w", o.name, err)
		}
		var err error
		if o.id, err = tx.CreateOrg(o.parent.id, string(o.kind), o.name); err != nil {
			return err
		}
	}
	return nil
}

func writeDemoSites(tx *store.Tx, c *demoCity) error {
	for _, x := range c.sites {
		var v domain.Validation
		domain.ValidateName(&v, "name", x.name, 80)
		v.Check(domain.ValidSiteKind(x.kind), "kind", "err.site.kind")
		v.Check(len([]rune(x.address)) <= 200, "address", "err.too_long", 200)
		if err := v.Err(); err != nil {
			return fmt.Errorf("site %s: %w", x.name, err)
		}
		var err error
		x.id, err = tx.CreateSite(domain.Site{Kind: x.kind, Name: x.name, RegionID: x.region.id, OrgID: x.owner.id, Address: x.address})
		if err != nil {
			return err
		}
	}
	return nil
}

// writeDemoPeople validates every person as the registry form would and
// loads them in bulk.
func (s *Service) writeDemoPeople(tx *store.Tx, c *demoCity) error {
	people := make([]domain.ValidPerson, len(c.people))
	sealed := make([]store.SealedID, len(c.people))
	for i, p := range c.people {
		v, err := p.input().Validate()
		if err != nil {
			return fmt.Errorf("person %s %s: %w", p.name, p.phone, err)
		}
		if people[i] = v; v.IDCard != "" {
			if sealed[i], err = s.sealID(v.IDCard); err != nil {
				return err
			}
		}
	}
	ids, err := tx.CreatePeople(people, sealed)
	if err != nil {
		return err
	}
	for i, p := range c.people {
		p.id = ids[i]
	}
	return nil
}

// writeDemoTeams creates the teams, validated as the team form would be,
// and loads their rosters in bulk.
func (s *Service) writeDemoTeams(ctx context.Context, tx *store.Tx, c *demoCity) error {
	var members []domain.Membership
	for _, t := range c.teams {
		team, err := s.validateTeam(ctx, domain.Team{
			Kind: t.kind, Name: t.name, OrgID: t.owner.id, FoundedOn: isoDate(t.founded), Description: t.description,
			Rules: t.rules, Categories: t.categories, BaseRegionID: t.unit.home.id, BaseAddress: t.unit.address,
		})
		if err != nil {
			return fmt.Errorf("team %s: %w", t.name, err)
		}
		if t.id, err = tx.CreateTeam(team); err != nil {
			return err
		}
		for _, m := range t.members {
			if !domain.ValidDate(m.joined) || (m.left != "" && (!domain.ValidDate(m.left) || m.left < m.joined)) {
				return fmt.Errorf("team %s: member %s: bad dates %s–%s", t.name, m.person.name, m.joined, m.left)
			}
			members = append(members, domain.Membership{TeamID: t.id, PersonID: m.person.id, Role: m.role,
				JoinedOn: m.joined, LeftOn: m.left})
		}
	}
	return tx.AddMembers(members)
}

func writeDemoTrainings(tx *store.Tx, c *demoCity) error {
	ts := make([]domain.Training, len(c.trainings))
	for i, t := range c.trainings {
		if !domain.ValidDate(t.date) || t.minutes <= 0 || t.minutes > domain.MaxTraining {
			return fmt.Errorf("training %s of %s: bad date or hours", t.subject, t.person.name)
		}
		ts[i] = domain.Training{PersonID: t.person.id, Date: t.date, Subject: t.subject, Minutes: t.minutes}
	}
	return tx.AddTrainings(ts)
}

// demoTeamLeader is the current leader of a demo team, or nil.
func demoTeamLeader(t *demoTeam) *demoPerson {
	for _, m := range t.members {
		if m.role == domain.MemberLeader && m.left == "" {
			return m.person
		}
	}
	return nil
}

// writeDemoAccounts creates one account per role, each bound to its scope,
// and links the volunteer's and the leader's accounts to their people.
func writeDemoAccounts(tx *store.Tx, c *demoCity, hash string) error {
	scopes := map[string]int64{
		"nmj-admin": c.nmj.org.id, "nmj-leader": c.nmjTeam.id, "gacha-contact": c.gacha.id, "youth-leader": c.nmjYouth.id,
	}
	people := map[string]*demoPerson{"volunteer": c.volunteer, "nmj-leader": demoTeamLeader(c.nmjTeam), "youth-leader": c.youthLeader}
	for _, a := range demoAccounts {
		var v domain.Validation
		v.AddErr(domain.ValidateUsername(a.Username))
		v.AddErr(domain.ValidatePassword("password", a.Password, a.Username))
		if err := v.Err(); err != nil {
			return fmt.Errorf("demo account %s: %w", a.Username, err)
		}
		id, err := tx.CreateUser(store.NewUser{Username: a.Username, DisplayName: a.display, PasswordHash: hash})
		if err != nil {
			return err
		}
		if err := tx.Grant(id, a.Role, scopes[a.Username]); err != nil {
			return err
		}
		// A volunteer or leader account acts as one only when linked to
		// its person: the volunteer to 王芳, each leader to a current
		// leader of their team.
		if a.Role == domain.RoleVolunteer || a.Role == domain.RoleTeamLeader {
			p := people[a.Username]
			if p == nil {
				return fmt.Errorf("demo account %s: no person to link", a.Username)
			}
			if err := tx.LinkPersonUser(p.id, id); err != nil {
				return err
			}
		}
	}
	return nil
}
