package service_test

import (
	"context"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// registryFixture is a committee with two units, a branch under the first,
// an org admin of the first unit and a team leader of its team.
type registryFixture struct {
	svc                   *service.Service
	st                    *store.Store
	unitA, unitB, branchA int64
	teamA                 int64
	admin, orgAdmin       domain.Caller
	leader                domain.Caller
}

func newRegistry(t *testing.T, s *store.Store) registryFixture {
	t.Helper()
	ctx := context.Background()
	svc, _ := newService(t, s)
	f := registryFixture{svc: svc, st: s}
	root, err := s.RootOrgID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error {
		if f.unitA, err = tx.CreateOrg(root, "unit", "市农牧业局"); err != nil {
			return err
		}
		if f.unitB, err = tx.CreateOrg(root, "unit", "市司法局"); err != nil {
			return err
		}
		if f.branchA, err = tx.CreateOrg(f.unitA, "branch", "畜牧站党支部"); err != nil {
			return err
		}
		f.teamA, err = tx.CreateTeam(domain.Team{OrgID: f.unitA, Kind: domain.TeamParty, Name: "农牧服务队"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	orgA, _ := s.OrgByID(ctx, f.unitA)
	f.admin = domain.Caller{Principal: domain.Principal{UserID: 1, Username: "admin",
		Grants: []domain.Grant{{Role: domain.RoleCommitteeAdmin}}}, IP: "127.0.0.1", RequestID: "t"}
	f.orgAdmin = domain.Caller{Principal: domain.Principal{UserID: 1, Username: "orgadmin",
		Grants: []domain.Grant{{Role: domain.RoleOrgAdmin, ScopeID: f.unitA, OrgPath: orgA.Path}}}, IP: "127.0.0.1", RequestID: "t"}
	f.leader = domain.Caller{Principal: domain.Principal{UserID: 1, Username: "leader", PersonID: linkedPerson,
		Grants: []domain.Grant{{Role: domain.RoleTeamLeader, ScopeID: f.teamA}}}, IP: "127.0.0.1", RequestID: "t"}
	return f
}

func person(name, phone string, org int64) domain.PersonInput {
	return domain.PersonInput{Name: name, Gender: "female", Phone: phone, PoliticalStatus: "party_member", OrgID: org}
}

func TestOrgAdminSeesOnlyTheirSubtree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistry(t, s)
		inBranch, err := f.svc.CreatePerson(ctx, f.orgAdmin, person("张敏", "13800000001", f.branchA))
		if err != nil {
			t.Fatalf("org admin registers in own subtree: %v", err)
		}
		outside, err := f.svc.CreatePerson(ctx, f.admin, person("李强", "13800000002", f.unitB))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.CreatePerson(ctx, f.orgAdmin, person("王刚", "13800000003", f.unitB)); err == nil {
			t.Fatal("org admin registered a person in another unit")
		}

		people, total, err := f.svc.People(ctx, f.orgAdmin, store.PeopleFilter{Limit: 50})
		if err != nil || total != 1 || len(people) != 1 || people[0].ID != inBranch {
			t.Fatalf("org admin's list = %d people (total %d), %v; want only the branch member", len(people), total, err)
		}
		if _, total, _ := f.svc.People(ctx, f.admin, store.PeopleFilter{Limit: 50}); total != 2 {
			t.Fatalf("committee sees %d people, want 2", total)
		}
		if _, err := f.svc.Person(ctx, f.orgAdmin, outside); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("org admin opening a person outside the subtree: got %v, want forbidden", err)
		}
		if _, err := f.svc.RevealPersonal(ctx, f.orgAdmin, outside, "phone"); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("reveal outside the subtree: got %v", err)
		}
		orgs, _ := f.svc.OrgTree(ctx, f.orgAdmin)
		if len(orgs) != 2 {
			t.Fatalf("org admin sees %d orgs, want their unit and its branch", len(orgs))
		}
		c, _ := f.svc.Overview(ctx, f.orgAdmin)
		if c.People != 1 || c.Orgs != 2 || c.Teams != 1 {
			t.Fatalf("org admin's overview = %+v", c)
		}
		if _, _, err := f.svc.People(ctx, f.leader, store.PeopleFilter{}); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("team leader listing people: got %v, want forbidden", err)
		}
	})
}

func TestPersonValidationAndDuplicates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistry(t, s)
		bad := domain.PersonInput{Name: "", Gender: "x", Phone: "1234", IDCard: "110101199003074259", PoliticalStatus: "?", OrgID: f.unitA}
		_, err := f.svc.CreatePerson(ctx, f.admin, bad)
		e, ok := domain.AsError(err)
		if !ok {
			t.Fatalf("bad person: got %v", err)
		}
		for _, field := range []string{"name", "gender", "phone", "id_card", "political_status"} {
			if e.Fields[field] == nil {
				t.Errorf("no error on %s; got %v", field, e.Fields)
			}
		}
		in := person("赵丽", "+86 138-0000-0009", f.unitA)
		in.IDCard = "110101199003074258"
		id, err := f.svc.CreatePerson(ctx, f.admin, in)
		if err != nil {
			t.Fatal(err)
		}
		again := person("赵丽丽", "13800000009", f.unitA)
		if _, err := f.svc.CreatePerson(ctx, f.admin, again); !fieldIs(err, "phone", "err.phone.taken_by") {
			t.Fatalf("duplicate phone: got %v", err)
		}
		again = person("赵丽丽", "13800000010", f.unitA)
		again.IDCard = "110101199003074258"
		if _, err := f.svc.CreatePerson(ctx, f.admin, again); !fieldIs(err, "id_card", "err.id_card.taken") {
			t.Fatalf("duplicate ID number: got %v", err)
		}

		p, err := f.svc.Person(ctx, f.admin, id)
		if err != nil || p.Phone != "13800000009" || p.IDCardMasked != "1101**********4258" || !p.HasIDCard {
			t.Fatalf("person = %+v, %v", p, err)
		}
		// The ID number is never shown whole; a number staff hold is checked
		// against it, and the check is audited without the number.
		if _, err := f.svc.RevealPersonal(ctx, f.admin, id, "id_card"); !fieldIs(err, "field", "err.form") {
			t.Fatalf("reveal of the ID number = %v; want refused", err)
		}
		for typed, want := range map[string]bool{"110101199003074258": true, "11010119900307425x": false, " 110101199003074258 ": true} {
			if match, err := f.svc.CheckIDCard(ctx, f.admin, id, typed); err != nil || match != want {
				t.Fatalf("CheckIDCard(%q) = %v, %v; want %v", typed, match, err, want)
			}
		}
		if _, err := f.svc.CheckIDCard(ctx, f.admin, id, ""); !fieldIs(err, "id_card", "err.required") {
			t.Fatalf("CheckIDCard of nothing = %v", err)
		}
		if _, err := f.svc.RevealPersonal(ctx, f.admin, id, "phone"); err != nil {
			t.Fatal(err)
		}
		es, _ := s.ListAudit(ctx, domain.AuditFilter{Action: "person."})
		var revealed bool
		for _, e := range es {
			if strings.Contains(e.Before+e.After, "110101199003074258") || strings.Contains(e.Before+e.After, "13800000009") {
				t.Errorf("audit %s holds a full number: %s %s", e.Action, e.Before, e.After)
			}
			revealed = revealed || e.Action == "person.reveal"
		}
		if !revealed {
			t.Error("no person.reveal audit entry")
		}
	})
}

func fieldIs(err error, field, key string) bool {
	e, ok := domain.AsError(err)
	return ok && e.Field == field && e.Key == key
}

func TestRosterKeepsHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistry(t, s)
		pid, err := f.svc.CreatePerson(ctx, f.admin, person("孙伟", "13900000001", f.unitA))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.AddMemberByPhone(ctx, f.leader, f.teamA, "13900000001", domain.MemberRegular, "2018-03-01"); err != nil {
			t.Fatalf("leader adds member: %v", err)
		}
		err = f.svc.AddMemberByPhone(ctx, f.leader, f.teamA, "13900000001", domain.MemberRegular, "2018-03-02")
		if !fieldIs(err, "person_id", "err.member.already") {
			t.Fatalf("adding a current member again: got %v", err)
		}
		_, roster, _ := f.svc.Team(ctx, f.leader, f.teamA)
		if len(roster) != 1 {
			t.Fatalf("roster has %d rows", len(roster))
		}
		if err := f.svc.EndMembership(ctx, f.leader, f.teamA, roster[0].ID, "2018-02-01"); err == nil {
			t.Fatal("left before joining was accepted")
		}
		if err := f.svc.EndMembership(ctx, f.leader, f.teamA, roster[0].ID, "2019-06-30"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.AddMember(ctx, f.leader, f.teamA, pid, domain.MemberLeader, "2020-01-01"); err != nil {
			t.Fatalf("rejoin: %v", err)
		}
		_, roster, _ = f.svc.Team(ctx, f.leader, f.teamA)
		if len(roster) != 2 || !roster[0].Current() || roster[0].Role != domain.MemberLeader || roster[1].LeftOn != "2019-06-30" {
			t.Fatalf("roster after leave and rejoin = %+v", roster)
		}
		// A leader of another team may not touch this one.
		other := f.leader
		other.Grants = []domain.Grant{{Role: domain.RoleTeamLeader, ScopeID: f.teamA + 100}}
		if err := f.svc.AddMember(ctx, other, f.teamA, pid, domain.MemberRegular, "2020-01-01"); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("other team's leader: got %v", err)
		}
		teams, _ := f.svc.Teams(ctx, other, store.TeamFilter{})
		if len(teams) != 0 {
			t.Fatalf("other leader sees %d teams", len(teams))
		}
	})
}

func TestVolunteerEditsOwnPreferences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistry(t, s)
		pid, _ := f.svc.CreatePerson(ctx, f.admin, person("周杰", "13900000002", f.unitA))
		uid, _, err := f.svc.CreateUser(ctx, service.SystemCaller, service.NewAccount{
			Username: "zhoujie", DisplayName: "周杰", Role: domain.RoleVolunteer, Password: "a long volunteer password"})
		if err != nil {
			t.Fatal(err)
		}
		s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error { return tx.LinkPersonUser(pid, uid) })
		me := domain.Caller{Principal: domain.Principal{UserID: uid, Username: "zhoujie", PersonID: pid,
			Grants: []domain.Grant{{Role: domain.RoleVolunteer}}}, IP: "127.0.0.1", RequestID: "t"}
		cats, _ := f.svc.Categories(ctx, false)
		err = f.svc.UpdateMyPreferences(ctx, me, "兽医、驾驶, 兽医", []int64{cats[1].ID, cats[1].ID}, domain.WeekendMorning|domain.WeekdayEvening)
		if err != nil {
			t.Fatal(err)
		}
		p, _, err := f.svc.MyProfile(ctx, me)
		if err != nil || strings.Join(p.Skills, ",") != "兽医,驾驶" || len(p.Willingness) != 1 ||
			!p.Availability.Has(domain.WeekendMorning) || p.Availability.Has(domain.WeekdayMorning) {
			t.Fatalf("profile = %+v, %v", p, err)
		}
		if err := f.svc.UpdateMyPreferences(ctx, me, "", []int64{99999}, 0); !fieldIs(err, "willingness", "err.category.not_found") {
			t.Fatalf("unknown category: got %v", err)
		}
		if _, err := f.svc.Person(ctx, me, pid); err != nil {
			t.Fatalf("volunteer opening their own record: %v", err)
		}
	})
}

func TestLeaderCannotAddSomeoneOutsideTheTeamsOrg(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistry(t, s)
		if _, err := f.svc.CreatePerson(ctx, f.admin, person("外单位", "13900000077", f.unitB)); err != nil {
			t.Fatal(err)
		}
		err := f.svc.AddMemberByPhone(ctx, f.leader, f.teamA, "13900000077", domain.MemberRegular, "2020-01-01")
		if !fieldIs(err, "phone", "err.person.no_such_phone") {
			t.Fatalf("leader adding a person of another unit: got %v, want the unknown-phone answer", err)
		}
		other := f.leader
		other.Grants = []domain.Grant{{Role: domain.RoleTeamLeader, ScopeID: f.teamA + 100}}
		if err := f.svc.AddMemberByPhone(ctx, other, f.teamA, "13900000077", domain.MemberRegular, "2020-01-01"); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("a phone tried on someone else's team: got %v, want forbidden before any lookup", err)
		}
		if err := f.svc.AddMemberByPhone(ctx, f.admin, f.teamA, "13900000077", domain.MemberRegular, "2020-01-01"); err != nil {
			t.Fatalf("the committee may: %v", err)
		}
	})
}
