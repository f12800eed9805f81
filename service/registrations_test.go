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

// public is an anonymous visitor from an address.
func public(ip string) domain.Caller {
	return domain.Caller{IP: ip, RequestID: "t"}
}

// application is a valid /register form.
func application(name, phone, username string) domain.RegistrationInput {
	return domain.RegistrationInput{Name: name, Phone: phone, Gender: "female", PoliticalStatus: "masses",
		Username: username, Password: "Grassland-2026", Confirm: "Grassland-2026", Consent: true}
}

// registered registers in and returns the registration and the principal its
// cookie signs in as.
func registered(t *testing.T, f registryFixture, in domain.RegistrationInput) (domain.Registration, domain.Principal) {
	t.Helper()
	ctx := context.Background()
	cookie, err := f.svc.Register(ctx, public("10.0.0.1"), in, "test")
	if err != nil {
		t.Fatalf("Register(%s): %v", in.Username, err)
	}
	p, _, err := f.svc.Authenticate(ctx, cookie)
	if err != nil || p.Username != in.Username {
		t.Fatalf("the registration's cookie signs in as %q (%v), want %q", p.Username, err, in.Username)
	}
	r, found, err := f.svc.MyRegistration(ctx, domain.Caller{Principal: p})
	if err != nil || !found {
		t.Fatalf("MyRegistration: found %v, %v", found, err)
	}
	return r, p
}

func TestRegisterMatchesTheRosterWithoutSaying(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistry(t, s)
		onRoster, err := f.svc.CreatePerson(ctx, f.admin, person("张敏", "13800000001", f.branchA))
		if err != nil {
			t.Fatal(err)
		}
		match, p := registered(t, f, application("张 敏", "138-0000-0001", "zhangmin"))
		if !match.Matched || match.PersonID != onRoster || match.DecideOrgID != f.branchA || match.State != domain.RegistrationPending {
			t.Errorf("a name and phone on the roster: %+v, want matched to person %d, decided at org %d", match, onRoster, f.branchA)
		}
		if len(p.Grants) != 0 {
			t.Errorf("a pending account holds grants %+v", p.Grants)
		}
		if domain.Can(p, domain.ActActivityRead, domain.Target{}) || !domain.Can(p, domain.ActSelf, domain.Target{}) {
			t.Error("a pending account must see its own pages and no activities")
		}

		other, _ := registered(t, f, application("张敏", "13800000009", "zhangmin2"))
		if other.Matched || other.PersonID != 0 {
			t.Errorf("a phone not on the roster matched: %+v", other)
		}
		root, _ := s.RootOrgID(ctx)
		if other.DecideOrgID != root {
			t.Errorf("no org and no team: decided at org %d, want the committee %d", other.DecideOrgID, root)
		}

		in := application("王芳", "13800000001", "wangfang")
		in.Org = "市农牧业局"
		wrongName, _ := registered(t, f, in)
		if wrongName.Matched || wrongName.PersonID != onRoster || wrongName.DecideOrgID != f.branchA {
			t.Errorf("the phone on the roster under another name: %+v, want unmatched, person %d, decided at %d",
				wrongName, onRoster, f.branchA)
		}
	})
}

func TestRegisterValidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistry(t, s)
		tests := []struct {
			name   string
			change func(*domain.RegistrationInput)
			field  string
			key    string
		}{
			{"party member without org", func(in *domain.RegistrationInput) { in.PoliticalStatus = "party_member" }, "org", "err.register.org_required"},
			{"org not on the list", func(in *domain.RegistrationInput) { in.Org = "不存在的单位" }, "org", "err.register.org_unknown"},
			{"team not on the list", func(in *domain.RegistrationInput) { in.Team = "不存在的队" }, "team", "err.register.team_unknown"},
			{"passwords differ", func(in *domain.RegistrationInput) { in.Confirm = "Grassland-2027" }, "confirm", "err.password.mismatch"},
			{"common password", func(in *domain.RegistrationInput) { in.Password, in.Confirm = "1234567890", "1234567890" }, "password", "err.password.common"},
			{"no consent", func(in *domain.RegistrationInput) { in.Consent = false }, "consent", "err.register.consent"},
			{"bad phone", func(in *domain.RegistrationInput) { in.Phone = "12345" }, "phone", "err.phone"},
			{"bad username", func(in *domain.RegistrationInput) { in.Username = "张三丰" }, "username", "err.username.chars"},
			{"username taken", func(in *domain.RegistrationInput) { in.Username = "admin" }, "username", "err.username.taken"},
		}
		for _, tt := range tests {
			in := application("李雷", "13900000001", "lilei")
			tt.change(&in)
			_, err := f.svc.Register(ctx, public("10.0.0.2"), in, "test")
			if got := fieldKey(err, tt.field); got != tt.key {
				t.Errorf("%s: Register = %v, want %s on field %s", tt.name, err, tt.key, tt.field)
			}
		}
		// Several faults are reported together.
		in := application("", "1", "x")
		in.Consent = false
		_, err := f.svc.Register(ctx, public("10.0.0.2"), in, "test")
		e, _ := domain.AsError(err)
		for _, field := range []string{"name", "phone", "username", "consent"} {
			if e == nil || e.Fields[field] == nil {
				t.Errorf("an empty form: no message for %s in %v", field, err)
			}
		}
		if n, _ := s.CountPendingRegistrations(ctx, domain.Scope{All: true}); n != 0 {
			t.Errorf("refused forms left %d registrations", n)
		}
	})
}

// fieldKey is the message key an invalid error gives field, or "".
func fieldKey(err error, field string) string {
	e, ok := domain.AsError(err)
	switch {
	case !ok:
		return ""
	case e.Fields[field] != nil:
		return e.Fields[field].Key
	case e.Field == field:
		return e.Key
	}
	return ""
}

type refusingVerifier struct{}

func (refusingVerifier) Verify(_ context.Context, phone, code string) error {
	if code != "246810" {
		return domain.Invalid("phone_code", "err.register.phone_code")
	}
	return nil
}

func TestRegisterAsksThePhoneVerifier(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistry(t, s)
		f.svc.SetPhoneVerifier(refusingVerifier{})
		in := application("李雷", "13900000001", "lilei")
		if _, err := f.svc.Register(ctx, public("10.0.0.3"), in, "test"); domain.ErrCode(err) != domain.CodeInvalid {
			t.Fatalf("a wrong code: %v, want invalid", err)
		}
		in.PhoneCode = "246810"
		if _, err := f.svc.Register(ctx, public("10.0.0.3"), in, "test"); err != nil {
			t.Fatalf("the right code: %v", err)
		}
	})
}

func TestRegisterIsRateLimited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistry(t, s)
		// Per phone: three a day, from any address.
		for i := range 4 {
			in := application("李雷", "13900000001", fmt.Sprintf("lilei%d", i))
			_, err := f.svc.Register(ctx, public(fmt.Sprintf("10.1.0.%d", i)), in, "test")
			if want := i < 3; (err == nil) != want {
				t.Fatalf("registration %d with one phone: %v, want allowed %v", i+1, err, want)
			}
			if i == 3 && domain.ErrCode(err) != domain.CodeTooMany {
				t.Fatalf("the fourth with one phone: %v, want too many", err)
			}
		}
		// Per address: twenty an hour, enough for a village office.
		for i := range 21 {
			in := application("韩梅梅", fmt.Sprintf("137000000%02d", i), fmt.Sprintf("hanmeimei%d", i))
			_, err := f.svc.Register(ctx, public("10.2.0.1"), in, "test")
			if want := i < 20; (err == nil) != want {
				t.Fatalf("registration %d from one address: %v, want allowed %v", i+1, err, want)
			}
		}
	})
}

func TestApproveRegistration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistry(t, s)
		onRoster, err := f.svc.CreatePerson(ctx, f.admin, person("张敏", "13800000001", f.branchA))
		if err != nil {
			t.Fatal(err)
		}
		in := application("张敏", "13800000001", "zhangmin")
		in.Team = "农牧服务队"
		match, _ := registered(t, f, in)
		in = application("李强", "13800000002", "liqiang")
		in.PoliticalStatus, in.Org = "party_member", "市司法局"
		elsewhere, _ := registered(t, f, in)
		in = application("赵丽", "13800000003", "zhaoli")
		in.Team = "农牧服务队"
		newcomer, _ := registered(t, f, in)

		// An org admin of another subtree may neither list nor decide.
		if err := f.svc.ApproveRegistration(ctx, f.orgAdmin, elsewhere.ID); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("org admin of unit A approves a registration of unit B: %v, want forbidden", err)
		}
		list, total, err := f.svc.Registrations(ctx, f.orgAdmin, domain.RegistrationPending, 0, 50)
		if err != nil || total != 2 || len(list) != 2 {
			t.Errorf("org admin of unit A lists %d of %d (%v), want the 2 in unit A", len(list), total, err)
		}
		if n, _ := f.svc.PendingRegistrations(ctx, f.leader); n != 2 {
			t.Errorf("the team's leader has %d to decide, want the 2 asking for the team", n)
		}
		if n, _ := f.svc.PendingRegistrations(ctx, domain.Caller{Principal: domain.Principal{UserID: 9,
			Grants: []domain.Grant{{Role: domain.RoleVolunteer}}}}); n != 0 {
			t.Errorf("a volunteer has %d registrations to decide, want 0", n)
		}

		// The org admin links the person on the roster.
		if err := f.svc.ApproveRegistration(ctx, f.orgAdmin, match.ID); err != nil {
			t.Fatalf("approve the match: %v", err)
		}
		p, _ := s.PersonByID(ctx, onRoster)
		if p.UserID != match.UserID {
			t.Errorf("the roster's person is linked to %d, want %d", p.UserID, match.UserID)
		}
		checkVolunteerOnTeam(t, s, match.UserID, onRoster, f.teamA)

		// The team's leader approves a newcomer: a new person in the team's org.
		if err := f.svc.ApproveRegistration(ctx, f.leader, newcomer.ID); err != nil {
			t.Fatalf("leader approves the newcomer: %v", err)
		}
		np, err := s.PersonByUserID(ctx, newcomer.UserID)
		if err != nil || np.Name != "赵丽" || np.Phone != "13800000003" || np.OrgID != f.unitA || np.PoliticalStatus != domain.Masses {
			t.Fatalf("the newcomer's person: %+v, %v", np, err)
		}
		checkVolunteerOnTeam(t, s, newcomer.UserID, np.ID, f.teamA)

		// The committee rejects with a reason, which the applicant reads.
		if err := f.svc.RejectRegistration(ctx, f.admin, elsewhere.ID, " "); domain.ErrCode(err) != domain.CodeInvalid {
			t.Errorf("reject without a reason: %v, want invalid", err)
		}
		if err := f.svc.RejectRegistration(ctx, f.admin, elsewhere.ID, "司法局无此党员，请核对单位"); err != nil {
			t.Fatal(err)
		}
		got, _ := s.RegistrationByID(ctx, elsewhere.ID)
		if got.State != domain.RegistrationRejected || got.Reason != "司法局无此党员，请核对单位" {
			t.Errorf("after rejection: %+v", got)
		}
		if err := f.svc.ApproveRegistration(ctx, f.admin, elsewhere.ID); domain.ErrCode(err) != domain.CodeConflict {
			t.Errorf("approve after rejection: %v, want a conflict", err)
		}
		if g, _ := s.Grants(ctx, elsewhere.UserID); len(g) != 0 {
			t.Errorf("a rejected account holds %+v", g)
		}
	})
}

func checkVolunteerOnTeam(t *testing.T, s *store.Store, userID, personID, teamID int64) {
	t.Helper()
	ctx := context.Background()
	g, _ := s.Grants(ctx, userID)
	if len(g) != 1 || g[0].Role != domain.RoleVolunteer {
		t.Errorf("user %d holds %+v, want volunteer", userID, g)
	}
	teams, _ := s.PersonTeams(ctx, personID)
	on := false
	for _, m := range teams {
		on = on || (m.TeamID == teamID && m.Current())
	}
	if !on {
		t.Errorf("person %d is not on team %d: %+v", personID, teamID, teams)
	}
}

var _ service.PhoneVerifier = service.NoPhoneVerification{}

// TestLeaderCannotLinkAStranger: a registration naming the phone of a person
// on another org's roster and asking for the leader's team must not let the
// leader link that person to the applicant's account, and a newcomer a
// leader approves joins the team's org, not any org the applicant typed.
func TestLeaderCannotLinkAStranger(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistry(t, s)
		victim, err := f.svc.CreatePerson(ctx, f.admin, person("王建国", "13800000011", f.unitB))
		if err != nil {
			t.Fatal(err)
		}
		in := application("王建国", "13800000011", "impostor")
		in.Team = "农牧服务队"
		reg, _ := registered(t, f, in)
		if err := f.svc.ApproveRegistration(ctx, f.leader, reg.ID); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("a leader links a person of another org: %v, want forbidden", err)
		}
		if p, _ := s.PersonByID(ctx, victim); p.UserID != 0 {
			t.Fatalf("the stranger's record is linked to account %d", p.UserID)
		}
		if g, _ := s.Grants(ctx, reg.UserID); len(g) != 0 {
			t.Errorf("the refused applicant holds %+v", g)
		}
		// The org that holds the person decides (here the committee).
		if err := f.svc.ApproveRegistration(ctx, f.admin, reg.ID); err != nil {
			t.Fatalf("the committee approves: %v", err)
		}
		if p, _ := s.PersonByID(ctx, victim); p.UserID != reg.UserID {
			t.Errorf("after the committee's approval the person is linked to %d, want %d", p.UserID, reg.UserID)
		}

		in = application("周新", "13800000012", "zhouxin")
		in.Team, in.Org = "农牧服务队", "市司法局"
		newcomer, _ := registered(t, f, in)
		if err := f.svc.ApproveRegistration(ctx, f.leader, newcomer.ID); err != nil {
			t.Fatalf("the leader approves a newcomer: %v", err)
		}
		np, err := s.PersonByUserID(ctx, newcomer.UserID)
		if err != nil || np.OrgID != f.unitA {
			t.Errorf("the leader's newcomer is in org %d (%v), want the team's org %d", np.OrgID, err, f.unitA)
		}
	})
}
