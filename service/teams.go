package service

import (
	"context"
	"strings"

	"vanguard/domain"
	"vanguard/store"
)

// Teams lists the teams in the caller's scope.
func (s *Service) Teams(ctx context.Context, c domain.Caller, f store.TeamFilter) ([]domain.Team, error) {
	if err := domain.Authorize(c.Principal, domain.ActTeamRead, domain.Target{}); err != nil {
		return nil, err
	}
	f.Scope = domain.ScopeOf(c.Principal, domain.ActTeamRead)
	return s.store.ListTeams(ctx, f)
}

// Team returns a team the caller may see, with its roster (history
// included).
func (s *Service) Team(ctx context.Context, c domain.Caller, id int64) (domain.Team, []domain.Membership, error) {
	t, err := s.store.TeamByID(ctx, id)
	if err != nil {
		return t, nil, err
	}
	if err := domain.Authorize(c.Principal, domain.ActTeamRead, t.Target()); err != nil {
		return t, nil, err
	}
	roster, err := s.store.Roster(ctx, id, true)
	for i := range roster {
		roster[i].VolunteerNo = s.vno.Number(roster[i].PersonID)
	}
	return t, roster, err
}

// TeamCredit sums the service credited to a team the caller may read: the
// hours its own volunteers served, in its activities or in others' open ones.
func (s *Service) TeamCredit(ctx context.Context, c domain.Caller, t domain.Team) (domain.ServiceCredit, error) {
	if err := domain.Authorize(c.Principal, domain.ActTeamRead, t.Target()); err != nil {
		return domain.ServiceCredit{}, err
	}
	return s.store.TeamCredit(ctx, t.ID)
}

// validateTeam checks a team's fields and trims them.
func (s *Service) validateTeam(ctx context.Context, t domain.Team) (domain.Team, error) {
	var v domain.Validation
	t.Name = domain.ValidateName(&v, "name", t.Name, 80)
	t.Description = v.Text("description", t.Description, 4000)
	t.Rules = v.Text("rules", t.Rules, 20000)
	t.BaseAddress = v.Line("base_address", t.BaseAddress, 200)
	v.Check(t.Kind == domain.TeamParty || t.Kind == domain.TeamYouth, "kind", "err.team.kind")
	v.Check(t.OrgID > 0, "org_id", "err.required")
	if t.FoundedOn != "" {
		v.CheckDate("founded_on", t.FoundedOn, domain.EarliestHistory, s.chinaToday())
	}
	v.AddErr(s.checkCategories(ctx, "categories", t.Categories))
	t.Categories = dedupe(t.Categories)
	return t, v.Err()
}

// CreateTeam founds a team under an org in the caller's scope.
func (s *Service) CreateTeam(ctx context.Context, c domain.Caller, t domain.Team) (int64, error) {
	if err := domain.Authorize(c.Principal, domain.ActRegistryWrite, domain.Target{}); err != nil {
		return 0, err
	}
	t, err := s.validateTeam(ctx, t)
	if err != nil {
		return 0, err
	}
	if t.BaseRegionID != 0 && !s.regionExists(ctx, t.BaseRegionID) {
		return 0, domain.Invalid("base_region_id", "err.region.not_found")
	}
	o, err := s.store.OrgByID(ctx, t.OrgID)
	if err != nil {
		return 0, domain.Invalid("org_id", "err.org.not_found")
	}
	if err := domain.Authorize(c.Principal, domain.ActRegistryWrite, o.Target()); err != nil {
		return 0, domain.Invalid("org_id", "err.org.out_of_scope")
	}
	var id int64
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		id, err = tx.CreateTeam(t)
		return err
	})
	return id, err
}

// UpdateTeam edits a team's archive. Its owning org does not change here.
func (s *Service) UpdateTeam(ctx context.Context, c domain.Caller, t domain.Team) error {
	before, err := s.store.TeamByID(ctx, t.ID)
	if err != nil {
		return err
	}
	if err := domain.Authorize(c.Principal, domain.ActTeamManage, before.Target()); err != nil {
		return err
	}
	t.OrgID = before.OrgID
	if t, err = s.validateTeam(ctx, t); err != nil {
		return err
	}
	if t.BaseRegionID != 0 && !s.regionExists(ctx, t.BaseRegionID) {
		return domain.Invalid("base_region_id", "err.region.not_found")
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.UpdateTeam(before, t) })
}

// AddMember puts a person in the caller's scope on a team's roster.
func (s *Service) AddMember(ctx context.Context, c domain.Caller, teamID, personID int64, role domain.MemberRole, joinedOn string) error {
	t, err := s.store.TeamByID(ctx, teamID)
	if err != nil {
		return err
	}
	if err := domain.Authorize(c.Principal, domain.ActTeamManage, t.Target()); err != nil {
		return err
	}
	var v domain.Validation
	v.Check(role == domain.MemberRegular || role == domain.MemberLeader, "role", "err.member.role")
	v.CheckDate("joined_on", joinedOn, domain.EarliestHistory, s.chinaToday())
	if p, err := s.store.PersonByID(ctx, personID); err != nil {
		v.Add("person_id", "err.person.not_found")
	} else if !memberInReach(c, t, p) {
		v.Add("person_id", "err.person.out_of_scope")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		_, err := tx.AddMember(teamID, personID, role, joinedOn)
		return err
	})
}

// memberInReach reports whether the caller may put person p on team t: a
// person the caller may see in the registry, or one of the team's own org
// subtree (how a team leader, who has no registry, finds their colleagues).
func memberInReach(c domain.Caller, t domain.Team, p domain.Person) bool {
	return domain.Can(c.Principal, domain.ActRegistryRead, p.Target()) ||
		(t.OrgPath != "" && strings.HasPrefix(p.OrgPath, t.OrgPath))
}

// EndMembership records that a member left a team; the roster keeps the row.
func (s *Service) EndMembership(ctx context.Context, c domain.Caller, teamID, membershipID int64, leftOn string) error {
	m, err := s.store.MembershipByID(ctx, membershipID)
	if err != nil {
		return err
	}
	if m.TeamID != teamID {
		return domain.Errorf(domain.CodeNotFound, "err.member.not_found")
	}
	t, err := s.store.TeamByID(ctx, m.TeamID)
	if err != nil {
		return err
	}
	if err := domain.Authorize(c.Principal, domain.ActTeamManage, t.Target()); err != nil {
		return err
	}
	if !domain.ValidDate(leftOn) || leftOn < m.JoinedOn {
		return domain.Invalid("left_on", "err.member.left_before_joined")
	}
	var v domain.Validation
	if !v.CheckDate("left_on", leftOn, domain.EarliestHistory, domain.AddYears(s.chinaToday(), 1)) {
		return v.Err()
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.EndMembership(m, leftOn) })
}

// PersonTeams lists a person's stays in teams, for their page.
func (s *Service) PersonTeams(ctx context.Context, c domain.Caller, personID int64) ([]domain.Membership, error) {
	if _, err := s.Person(ctx, c, personID); err != nil {
		return nil, err
	}
	return s.store.PersonTeams(ctx, personID)
}

// AddMemberByPhone puts the person with a mobile number on a team's roster.
// A team leader knows their volunteers by phone, not by registry id.
func (s *Service) AddMemberByPhone(ctx context.Context, c domain.Caller, teamID int64, phone string, role domain.MemberRole, joinedOn string) error {
	// The team first: a phone number must not be testable against the
	// registry by someone who may not manage this team.
	t, err := s.store.TeamByID(ctx, teamID)
	if err != nil {
		return err
	}
	if err := domain.Authorize(c.Principal, domain.ActTeamManage, t.Target()); err != nil {
		return err
	}
	phone = domain.NormalizePhone(phone)
	if !domain.ValidPhone(phone) {
		return domain.Invalid("phone", "err.phone")
	}
	id, err := s.store.PersonIDByPhone(ctx, phone)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return domain.Invalid("phone", "err.person.no_such_phone")
	} else if err != nil {
		return err
	}
	if err := s.AddMember(ctx, c, teamID, id, role, joinedOn); err != nil {
		if e, ok := domain.AsError(err); ok && e.Field == "person_id" && e.Key == "err.person.out_of_scope" {
			return domain.Invalid("phone", "err.person.no_such_phone") // out of reach looks like unknown
		}
		return err
	}
	return nil
}
