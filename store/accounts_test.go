package store_test

import (
	"context"
	"testing"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// accountFixture is a committee with one unit, a team in it, two people of
// the unit and two accounts: a committee admin and a volunteer.
type accountFixture struct {
	root, unit, team, p1, p2, admin, vol int64
}

func newAccountFixture(t *testing.T, s *store.Store) accountFixture {
	t.Helper()
	var f accountFixture
	err := s.Write(context.Background(), actor, func(tx *store.Tx) (err error) {
		if f.root, err = tx.CreateOrg(0, "committee", "工委"); err != nil {
			return err
		}
		if f.unit, err = tx.CreateOrg(f.root, "unit", "农牧业局"); err != nil {
			return err
		}
		if f.team, err = tx.CreateTeam(domain.Team{OrgID: f.unit, Kind: domain.TeamParty, Name: "农牧队"}); err != nil {
			return err
		}
		ids, err := tx.CreatePeople([]domain.ValidPerson{
			{Name: "王芳", Gender: domain.GenderFemale, Phone: "13700000001", PoliticalStatus: "party_member", OrgID: f.unit},
			{Name: "李强", Gender: domain.GenderMale, Phone: "13700000002", PoliticalStatus: "party_member", OrgID: f.unit},
		}, make([]store.SealedID, 2))
		if err != nil {
			return err
		}
		f.p1, f.p2 = ids[0], ids[1]
		if f.admin, err = tx.CreateUser(store.NewUser{Username: "boss", DisplayName: "主任", PasswordHash: "x"}); err != nil {
			return err
		}
		if err := tx.Grant(f.admin, domain.RoleCommitteeAdmin, 0); err != nil {
			return err
		}
		if f.vol, err = tx.CreateUser(store.NewUser{Username: "wangfang", DisplayName: "王芳", PasswordHash: "x"}); err != nil {
			return err
		}
		return tx.Grant(f.vol, domain.RoleTeamLeader, f.team)
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestLinkPersonUserChecksBothSides: a person has at most one account and an
// account at most one person, checked in the transaction; unlinking frees
// both.
func TestLinkPersonUserChecksBothSides(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAccountFixture(t, s)
		link := func(person, user int64) error {
			return s.Write(ctx, actor, func(tx *store.Tx) error { return tx.LinkPersonUser(person, user) })
		}
		if err := link(f.p1, f.vol); err != nil {
			t.Fatal(err)
		}
		if err := link(f.p1, f.admin); !hasKey(err, "err.link.person_taken") {
			t.Errorf("second account for a person: %v", err)
		}
		if err := link(f.p2, f.vol); !hasKey(err, "err.link.user_taken") {
			t.Errorf("second person for an account: %v", err)
		}
		if err := link(999999, f.admin); domain.ErrCode(err) != domain.CodeNotFound {
			t.Errorf("unknown person: %v", err)
		}
		if err := link(f.p2, 999999); !hasKey(err, "err.user.not_found") {
			t.Errorf("unknown account: %v", err)
		}
		if id, err := s.PersonIDOfUser(ctx, f.vol); err != nil || id != f.p1 {
			t.Errorf("PersonIDOfUser = %d, %v; want %d", id, err, f.p1)
		}
		a, err := s.AccountByID(ctx, f.vol)
		if err != nil || a.PersonID != f.p1 || a.PersonName != "王芳" || a.PersonPhone != "137****0001" ||
			len(a.Grants) != 1 || a.Grants[0].ScopeName != "农牧队" || a.Grants[0].ScopePath == "" {
			t.Errorf("account = %+v, %v; want linked to 王芳 with a masked phone and the team by name", a, err)
		}
		if err := s.Write(ctx, actor, func(tx *store.Tx) error { return tx.UnlinkPersonUser(f.p1) }); err != nil {
			t.Fatal(err)
		}
		if err := link(f.p2, f.vol); err != nil {
			t.Errorf("relink after unlink: %v", err)
		}
		if err := s.Write(ctx, actor, func(tx *store.Tx) error { return tx.UnlinkPersonUser(f.p1) }); !hasKey(err, "err.link.none") {
			t.Errorf("unlinking a person with no account: %v", err)
		}
	})
}

// TestKeepCommitteeAdmin: disabling or demoting the last active committee
// admin is refused and rolled back; with a second one it is allowed.
func TestKeepCommitteeAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAccountFixture(t, s)
		disable := func(id int64) error {
			return s.Write(ctx, actor, func(tx *store.Tx) error {
				if err := tx.SetUserDisabled(id, true); err != nil {
					return err
				}
				return tx.KeepCommitteeAdmin()
			})
		}
		if err := disable(f.admin); !hasKey(err, "err.user.last_committee_admin") {
			t.Fatalf("disabling the last committee admin: %v", err)
		}
		err := s.Write(ctx, actor, func(tx *store.Tx) error {
			if err := tx.ReplaceGrants(f.admin, domain.RoleVolunteer, 0); err != nil {
				return err
			}
			return tx.KeepCommitteeAdmin()
		})
		if !hasKey(err, "err.user.last_committee_admin") {
			t.Fatalf("demoting the last committee admin: %v", err)
		}
		if a, _ := s.AccountByID(ctx, f.admin); a.Disabled || !a.IsCommitteeAdmin() {
			t.Fatalf("after the refusals: %+v, want active committee admin", a)
		}
		// A second admin makes the first one free to go.
		err = s.Write(ctx, actor, func(tx *store.Tx) error {
			if err := tx.ReplaceGrants(f.vol, domain.RoleCommitteeAdmin, 0); err != nil {
				return err
			}
			return tx.KeepCommitteeAdmin()
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := disable(f.admin); err != nil {
			t.Fatalf("disabling one of two committee admins: %v", err)
		}
		if err := disable(f.vol); !hasKey(err, "err.user.last_committee_admin") {
			t.Fatalf("disabling the other, now last: %v", err)
		}
	})
}

// TestAccountStatesAndSessions: disabling ends sessions, a sign-in records
// its time, a lock shows and unlock clears it, and the list filters by
// state and role.
func TestAccountStatesAndSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAccountFixture(t, s)
		volActor := domain.Actor{UserID: f.vol, Username: "wangfang", Role: domain.RoleTeamLeader, IP: "127.0.0.1"}
		err := s.Write(ctx, volActor, func(tx *store.Tx) error {
			return tx.CreateSession(store.Session{ID: "s1", SecretHash: "h", UserID: f.vol, IP: "127.0.0.1"})
		})
		if err != nil {
			t.Fatal(err)
		}
		a, _ := s.AccountByID(ctx, f.vol)
		if a.LastLoginAt.IsZero() || a.State(s.Now()) != domain.AccountActive {
			t.Errorf("after a sign-in: last %v, state %s", a.LastLoginAt, a.State(s.Now()))
		}
		if err := s.Write(ctx, actor, func(tx *store.Tx) error { return tx.SetUserDisabled(f.vol, true) }); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionByID(ctx, "s1"); domain.ErrCode(err) != domain.CodeNotFound {
			t.Errorf("session after disabling: %v, want gone", err)
		}
		if got, _ := s.ListAccounts(ctx, store.AccountFilter{State: domain.AccountDisabled}); len(got) != 1 || got[0].ID != f.vol {
			t.Errorf("disabled accounts = %+v", got)
		}
		if err := s.Write(ctx, actor, func(tx *store.Tx) error { return tx.SetUserDisabled(f.vol, false) }); err != nil {
			t.Fatal(err)
		}
		// Locked from two addresses, listed once.
		for i := 0; i < 2*domain.LoginMaxFailures; i++ {
			addr := []string{"1.2.3.4", "1.2.3.5"}[i%2]
			if err := s.Housekeep(ctx, func(tx *store.Tx) error { _, err := tx.ReserveLogin("wangfang", addr); return err }); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := s.ListAccounts(ctx, store.AccountFilter{State: domain.AccountLocked}); len(got) != 1 || got[0].ID != f.vol {
			t.Errorf("locked accounts = %+v", got)
		}
		if err := s.Write(ctx, actor, func(tx *store.Tx) error { return tx.UnlockLogin(f.vol, "wangfang") }); err != nil {
			t.Fatal(err)
		}
		if until, _ := s.LoginLockedUntil(ctx, "wangfang"); !until.IsZero() {
			t.Errorf("still locked until %v after unlock", until)
		}
		if got, _ := s.ListAccounts(ctx, store.AccountFilter{Role: domain.RoleTeamLeader, Query: "王"}); len(got) != 1 || got[0].ID != f.vol {
			t.Errorf("leaders named 王 = %+v", got)
		}
		if got, _ := s.ListAccounts(ctx, store.AccountFilter{Role: domain.RoleSiteContact}); len(got) != 0 {
			t.Errorf("site contacts = %+v, want none", got)
		}
	})
}

func hasKey(err error, key string) bool {
	e, ok := domain.AsError(err)
	return ok && e.Key == key
}
