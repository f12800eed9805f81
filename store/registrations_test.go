package store_test

import (
	"context"
	"sync"
	"testing"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// regFixture is a committee with two units, a team under the first, and a
// person on the first unit's roster.
type regFixture struct {
	s                  *store.Store
	root, unitA, unitB int64
	team               int64
	person             int64
}

func newRegFixture(t *testing.T, s *store.Store) *regFixture {
	t.Helper()
	f := &regFixture{s: s}
	err := s.Write(context.Background(), actor, func(tx *store.Tx) (err error) {
		if f.root, err = tx.CreateOrg(0, "committee", "工委"); err != nil {
			return err
		}
		if f.unitA, err = tx.CreateOrg(f.root, "unit", "农牧业局"); err != nil {
			return err
		}
		if f.unitB, err = tx.CreateOrg(f.root, "unit", "卫健委"); err != nil {
			return err
		}
		if f.team, err = tx.CreateTeam(domain.Team{OrgID: f.unitA, Kind: domain.TeamParty, Name: "党员先锋队"}); err != nil {
			return err
		}
		f.person, err = tx.CreatePerson(domain.ValidPerson{Name: "张三", Gender: domain.GenderMale, Phone: "13800000001",
			PoliticalStatus: domain.PartyMember, OrgID: f.unitA}, store.SealedID{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// register makes an account and a pending registration deciding at org.
func (f *regFixture) register(t *testing.T, username string, n store.NewRegistration) domain.Registration {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := f.s.Write(ctx, actor, func(tx *store.Tx) error {
		uid, err := tx.CreateUser(store.NewUser{Username: username, DisplayName: n.Name, PasswordHash: "x"})
		if err != nil {
			return err
		}
		n.UserID = uid
		if n.Gender == "" {
			n.Gender, n.PoliticalStatus = domain.GenderFemale, domain.Masses
		}
		id, err = tx.CreateRegistration(n)
		return err
	})
	if err != nil {
		t.Fatalf("register %s: %v", username, err)
	}
	r, err := f.s.RegistrationByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRegistrationScopeAndCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegFixture(t, s)
		a := f.register(t, "reg-a", store.NewRegistration{Name: "李四", Phone: "13800000002", OrgID: f.unitA, DecideOrgID: f.unitA})
		f.register(t, "reg-b", store.NewRegistration{Name: "王五", Phone: "13800000003", OrgID: f.unitB, DecideOrgID: f.unitB})
		f.register(t, "reg-team", store.NewRegistration{Name: "赵六", Phone: "13800000004", TeamID: f.team, DecideOrgID: f.root})
		if a.DecideOrgPath == "" || a.State != domain.RegistrationPending || a.OrgName != "农牧业局" || a.Username != "reg-a" {
			t.Fatalf("registration read back as %+v", a)
		}
		orgA, _ := s.OrgByID(ctx, f.unitA)
		orgB, _ := s.OrgByID(ctx, f.unitB)
		tests := []struct {
			name string
			sc   domain.Scope
			want int
		}{
			{"committee", domain.Scope{All: true}, 3},
			{"admin of unit A", domain.Scope{OrgPaths: []string{orgA.Path}}, 1},
			{"admin of unit B", domain.Scope{OrgPaths: []string{orgB.Path}}, 1},
			{"leader of the team", domain.Scope{TeamIDs: []int64{f.team}}, 1},
			{"admin of A who also leads the team", domain.Scope{OrgPaths: []string{orgA.Path}, TeamIDs: []int64{f.team}}, 2},
			{"nothing", domain.Scope{}, 0},
		}
		for _, tt := range tests {
			n, err := s.CountPendingRegistrations(ctx, tt.sc)
			if err != nil || n != tt.want {
				t.Errorf("%s: CountPendingRegistrations = %d, %v; want %d", tt.name, n, err, tt.want)
			}
			list, total, err := s.ListRegistrations(ctx, store.RegistrationFilter{Scope: tt.sc, State: domain.RegistrationPending})
			if err != nil || total != tt.want || len(list) != tt.want {
				t.Errorf("%s: ListRegistrations = %d rows, total %d, %v; want %d", tt.name, len(list), total, err, tt.want)
			}
		}
		err := s.Write(ctx, actor, func(tx *store.Tx) error { return tx.RejectRegistration(a, "查无此人") })
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountPendingRegistrations(ctx, domain.Scope{All: true}); n != 2 {
			t.Errorf("after a rejection %d pending, want 2", n)
		}
		got, _ := s.RegistrationByUser(ctx, a.UserID)
		if got.State != domain.RegistrationRejected || got.Reason != "查无此人" || got.DecidedName != actor.Username || got.DecidedAt.IsZero() {
			t.Errorf("rejected registration reads %+v", got)
		}
	})
}

func TestApproveRegistrationLinksOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegFixture(t, s)
		first := f.register(t, "zhangsan", store.NewRegistration{Name: "张三", Phone: "13800000001",
			PersonID: f.person, Matched: true, DecideOrgID: f.unitA})
		second := f.register(t, "zhangsan2", store.NewRegistration{Name: "张三", Phone: "13800000001",
			PersonID: f.person, Matched: true, DecideOrgID: f.unitA})
		approve := func(r domain.Registration) error {
			return s.Write(ctx, actor, func(tx *store.Tx) error { return tx.ApproveRegistration(r, f.person) })
		}
		if err := approve(first); err != nil {
			t.Fatalf("approve: %v", err)
		}
		p, _ := s.PersonByID(ctx, f.person)
		if p.UserID != first.UserID {
			t.Errorf("person linked to user %d, want %d", p.UserID, first.UserID)
		}
		grants, _ := s.Grants(ctx, first.UserID)
		if len(grants) != 1 || grants[0].Role != domain.RoleVolunteer {
			t.Errorf("grants after approval: %+v, want one volunteer grant", grants)
		}
		if err := approve(first); domain.ErrCode(err) != domain.CodeConflict {
			t.Errorf("approving twice: %v, want a conflict", err)
		}
		err := approve(second)
		if e, _ := domain.AsError(err); e == nil || e.Key != "err.registration.person_has_account" {
			t.Errorf("approving a second account for a linked person: %v, want err.registration.person_has_account", err)
		}
		if got, _ := s.RegistrationByID(ctx, second.ID); got.State != domain.RegistrationPending {
			t.Errorf("a refused approval left the registration %s, want pending", got.State)
		}
		if grants, _ := s.Grants(ctx, second.UserID); len(grants) != 0 {
			t.Errorf("a refused approval granted %+v", grants)
		}
	})
}

// TestApproveRegistrationConcurrently: two approvers approve two accounts
// for one person at the same moment; exactly one link is made.
func TestApproveRegistrationConcurrently(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegFixture(t, s)
		regs := []domain.Registration{
			f.register(t, "zs-a", store.NewRegistration{Name: "张三", Phone: "13800000001", PersonID: f.person, Matched: true, DecideOrgID: f.unitA}),
			f.register(t, "zs-b", store.NewRegistration{Name: "张三", Phone: "13800000001", PersonID: f.person, Matched: true, DecideOrgID: f.unitA}),
		}
		var wg sync.WaitGroup
		errs := make([]error, len(regs))
		for i, r := range regs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.Write(ctx, actor, func(tx *store.Tx) error { return tx.ApproveRegistration(r, f.person) })
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
			}
		}
		if won != 1 {
			t.Fatalf("%d approvals succeeded (%v), want exactly 1", won, errs)
		}
		n, _ := s.CountPendingRegistrations(ctx, domain.Scope{All: true})
		if n != 1 {
			t.Errorf("%d pending after the race, want 1 (the loser stays pending)", n)
		}
	})
}
