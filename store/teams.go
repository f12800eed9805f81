package store

import (
	"context"
	"fmt"
	"strconv"

	"vanguard/domain"
)

const teamColumns = teamBaseColumns + `(SELECT COUNT(*) FROM team_members m WHERE m.team_id = t.id AND m.left_on = '')`

// teamColumnsNoMembers are teamColumns with 0 for the roster's size.
const teamColumnsNoMembers = teamBaseColumns + `0`

const teamBaseColumns = `t.id, t.kind, t.name, t.org_id, o.name, o.path, t.founded_on, t.description, t.rules,
	COALESCE(t.base_region_id, 0), COALESCE(r.name, ''), t.base_address, t.created_at, `

const teamFrom = ` FROM teams t JOIN orgs o ON o.id = t.org_id LEFT JOIN regions r ON r.id = t.base_region_id`

func scanTeam(row interface{ Scan(...any) error }) (domain.Team, error) {
	var t domain.Team
	var kind string
	var created int64
	err := row.Scan(&t.ID, &kind, &t.Name, &t.OrgID, &t.OrgName, &t.OrgPath, &t.FoundedOn, &t.Description, &t.Rules,
		&t.BaseRegionID, &t.BaseRegion, &t.BaseAddress, &created, &t.Members)
	t.Kind, t.CreatedAt = domain.TeamKind(kind), fromMicros(created)
	return t, err
}

// TeamFilter selects teams.
type TeamFilter struct {
	Scope domain.Scope
	Kind  domain.TeamKind
	// NoMembers leaves Members at 0: a list that only names the teams (a
	// province's 2,000) need not count their rosters.
	NoMembers bool
}

// ListTeams returns teams matching f, by name.
func (s *Store) ListTeams(ctx context.Context, f TeamFilter) ([]domain.Team, error) {
	cond, args := inScope("o.path", "t.id", f.Scope)
	if f.Kind != "" {
		cond += " AND t.kind = ?"
		args = append(args, string(f.Kind))
	}
	cols := teamColumns
	if f.NoMembers {
		cols = teamColumnsNoMembers
	}
	rows, err := s.query(ctx, "SELECT "+cols+teamFrom+" WHERE "+cond+" ORDER BY t.kind, t.name", args...)
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	defer rows.Close()
	var out []domain.Team
	for rows.Next() {
		t, err := scanTeam(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TeamByID finds a team with its categories.
func (s *Store) TeamByID(ctx context.Context, id int64) (domain.Team, error) {
	t, err := scanTeam(s.queryRow(ctx, "SELECT "+teamColumns+teamFrom+" WHERE t.id = ?", id))
	if err != nil {
		return t, notFound(err, "err.team.not_found")
	}
	rows, err := s.query(ctx, "SELECT category_id FROM team_categories WHERE team_id = ? ORDER BY category_id", id)
	if err != nil {
		return t, err
	}
	defer rows.Close()
	for rows.Next() {
		var c int64
		if err := rows.Scan(&c); err != nil {
			return t, err
		}
		t.Categories = append(t.Categories, c)
	}
	return t, rows.Err()
}

func teamSummary(t domain.Team) map[string]any {
	return map[string]any{
		"kind": t.Kind, "name": t.Name, "org_id": t.OrgID, "founded_on": t.FoundedOn, "categories": t.Categories,
		"base_region_id": t.BaseRegionID, "base_address": t.BaseAddress,
		"description_chars": len([]rune(t.Description)), "rules_chars": len([]rune(t.Rules)),
	}
}

// CreateTeam inserts a team with its archive and categories and audits it.
func (tx *Tx) CreateTeam(t domain.Team) (int64, error) {
	var region any
	if t.BaseRegionID != 0 {
		region = t.BaseRegionID
	}
	id, err := tx.insert(`INSERT INTO teams (org_id, kind, name, founded_on, description, rules, base_region_id,
		base_address, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.OrgID, string(t.Kind), t.Name, t.FoundedOn, t.Description, t.Rules, region, t.BaseAddress, micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("create team: %w", err)
	}
	if err := tx.setTeamCategories(id, t.Categories); err != nil {
		return 0, err
	}
	return id, tx.Audit("team.create", "team", strconv.FormatInt(id, 10), nil, teamSummary(t))
}

// UpdateTeam replaces a team's archive and categories and audits it.
func (tx *Tx) UpdateTeam(before, t domain.Team) error {
	var region any
	if t.BaseRegionID != 0 {
		region = t.BaseRegionID
	}
	_, err := tx.exec(`UPDATE teams SET kind = ?, name = ?, founded_on = ?, description = ?, rules = ?,
		base_region_id = ?, base_address = ? WHERE id = ?`,
		string(t.Kind), t.Name, t.FoundedOn, t.Description, t.Rules, region, t.BaseAddress, before.ID)
	if err != nil {
		return fmt.Errorf("update team: %w", err)
	}
	if err := tx.setTeamCategories(before.ID, t.Categories); err != nil {
		return err
	}
	return tx.Audit("team.update", "team", strconv.FormatInt(before.ID, 10), teamSummary(before), teamSummary(t))
}

func (tx *Tx) setTeamCategories(id int64, cats []int64) error {
	if _, err := tx.exec("DELETE FROM team_categories WHERE team_id = ?", id); err != nil {
		return err
	}
	for _, c := range cats {
		if _, err := tx.exec("INSERT INTO team_categories (team_id, category_id) VALUES (?, ?)", id, c); err != nil {
			return fmt.Errorf("team category %d: %w", c, err)
		}
	}
	return nil
}

const memberColumns = `m.id, m.team_id, t.name, m.person_id, p.name, ` + personPhone + `, po.path, m.role, m.joined_on, m.left_on`

const memberFrom = ` FROM team_members m JOIN teams t ON t.id = m.team_id JOIN people p ON p.id = m.person_id
	JOIN orgs po ON po.id = p.org_id`

func scanMember(row interface{ Scan(...any) error }) (domain.Membership, error) {
	var m domain.Membership
	var role string
	err := row.Scan(&m.ID, &m.TeamID, &m.TeamName, &m.PersonID, &m.PersonName, &m.Phone, &m.PersonOrgPath, &role,
		&m.JoinedOn, &m.LeftOn)
	m.Role = domain.MemberRole(role)
	return m, err
}

func (s *Store) members(ctx context.Context, cond string, args ...any) ([]domain.Membership, error) {
	rows, err := s.query(ctx, "SELECT "+memberColumns+memberFrom+" WHERE "+cond+
		" ORDER BY m.left_on <> '', CASE WHEN m.role = 'leader' THEN 0 ELSE 1 END, p.name, m.joined_on", args...)
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	defer rows.Close()
	var out []domain.Membership
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Roster returns a team's members: current ones first (leaders first), then,
// when history is asked for, those who left.
func (s *Store) Roster(ctx context.Context, teamID int64, history bool) ([]domain.Membership, error) {
	if history {
		return s.members(ctx, "m.team_id = ?", teamID)
	}
	return s.members(ctx, "m.team_id = ? AND m.left_on = ''", teamID)
}

// PersonTeams returns every stay of a person in a team, current first.
func (s *Store) PersonTeams(ctx context.Context, personID int64) ([]domain.Membership, error) {
	return s.members(ctx, "m.person_id = ?", personID)
}

// MembershipByID finds one membership.
func (s *Store) MembershipByID(ctx context.Context, id int64) (domain.Membership, error) {
	ms, err := s.members(ctx, "m.id = ?", id)
	if err != nil {
		return domain.Membership{}, err
	}
	if len(ms) == 0 {
		return domain.Membership{}, domain.Errorf(domain.CodeNotFound, "err.member.not_found")
	}
	return ms[0], nil
}

// AddMember puts a person on a team's roster from a date and audits it. A
// person already on the roster is a conflict.
func (tx *Tx) AddMember(teamID, personID int64, role domain.MemberRole, joinedOn string) (int64, error) {
	var n int
	if err := tx.queryRow("SELECT COUNT(*) FROM team_members WHERE team_id = ? AND person_id = ? AND left_on = ''",
		teamID, personID).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		return 0, domain.Invalid("person_id", "err.member.already")
	}
	id, err := tx.insert("INSERT INTO team_members (team_id, person_id, role, joined_on, created_at) VALUES (?, ?, ?, ?, ?)",
		teamID, personID, string(role), joinedOn, micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("add member: %w", err)
	}
	return id, tx.Audit("team.member_add", "team", strconv.FormatInt(teamID, 10), nil,
		map[string]any{"person_id": personID, "role": role, "joined_on": joinedOn})
}

// EndMembership records that a member left on a date; the row stays.
func (tx *Tx) EndMembership(m domain.Membership, leftOn string) error {
	res, err := tx.exec("UPDATE team_members SET left_on = ? WHERE id = ? AND left_on = ''", leftOn, m.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.CodeConflict, "err.member.already_left")
	}
	return tx.Audit("team.member_leave", "team", strconv.FormatInt(m.TeamID, 10),
		map[string]any{"person_id": m.PersonID, "left_on": ""}, map[string]any{"person_id": m.PersonID, "left_on": leftOn})
}
