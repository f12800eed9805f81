package store

import (
	"context"
	"fmt"

	"vanguard/domain"
)

// The rows of the export for the national volunteer service information
// system (docs/NATIONAL_EXPORT.md): volunteers, teams, activities and
// service hours, within a scope and, for activities and hours, a period.

// NationalVolunteer is a volunteer as the export reads them. IDCardSealed is
// opened by the service only when Consented.
type NationalVolunteer struct {
	ID              int64
	Name            string
	Gender          string
	Phone           string
	PoliticalStatus string
	IDCardSealed    string
	IDCardMasked    string
	Consented       bool
	OrgName         string
	Teams           []string
}

// NationalVolunteers lists the current team members registered in orgs in
// sc, erased people left out, by id.
func (s *Store) NationalVolunteers(ctx context.Context, sc domain.Scope) ([]NationalVolunteer, error) {
	cond, args := inScope("o.path", "", sc)
	rows, err := s.query(ctx, `SELECT p.id, p.name, p.gender, p.phone, p.political_status, p.id_card_enc, p.id_card_masked,
		p.national_consent, o.name FROM people p JOIN orgs o ON o.id = p.org_id
		WHERE p.erased_at = 0 AND EXISTS (SELECT 1 FROM team_members m WHERE m.person_id = p.id AND m.left_on = '') AND `+cond+
		" ORDER BY p.id", args...)
	if err != nil {
		return nil, fmt.Errorf("national volunteers: %w", err)
	}
	var out []NationalVolunteer
	index := map[int64]int{}
	for rows.Next() {
		var v NationalVolunteer
		if err := rows.Scan(&v.ID, &v.Name, &v.Gender, &v.Phone, &v.PoliticalStatus, &v.IDCardSealed, &v.IDCardMasked,
			&v.Consented, &v.OrgName); err != nil {
			rows.Close()
			return nil, err
		}
		index[v.ID] = len(out)
		out = append(out, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.query(ctx, `SELECT m.person_id, t.name FROM team_members m JOIN teams t ON t.id = m.team_id
		JOIN people p ON p.id = m.person_id JOIN orgs o ON o.id = p.org_id WHERE m.left_on = '' AND `+cond+
		" ORDER BY m.person_id, t.id", args...)
	if err != nil {
		return nil, fmt.Errorf("national volunteers' teams: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var team string
		if err := rows.Scan(&id, &team); err != nil {
			return nil, err
		}
		if i, ok := index[id]; ok {
			out[i].Teams = append(out[i].Teams, team)
		}
	}
	return out, rows.Err()
}

// NationalTeam is a team as the export reads it.
type NationalTeam struct {
	Name    string
	Kind    string
	OrgName string
	Members int
}

// NationalTeams lists the teams of orgs in sc with their current members.
func (s *Store) NationalTeams(ctx context.Context, sc domain.Scope) ([]NationalTeam, error) {
	cond, args := inScope("o.path", "", sc)
	rows, err := s.query(ctx, `SELECT t.name, t.kind, o.name,
		(SELECT COUNT(*) FROM team_members m WHERE m.team_id = t.id AND m.left_on = '')
		FROM teams t JOIN orgs o ON o.id = t.org_id WHERE `+cond+" ORDER BY o.path, t.id", args...)
	if err != nil {
		return nil, fmt.Errorf("national teams: %w", err)
	}
	defer rows.Close()
	var out []NationalTeam
	for rows.Next() {
		var t NationalTeam
		if err := rows.Scan(&t.Name, &t.Kind, &t.OrgName, &t.Members); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// NationalActivity is an activity (项目) as the export reads it.
type NationalActivity struct {
	ID         int64
	Title      string
	StartsAt   int64
	EndsAt     int64
	Address    string
	OrgName    string
	Categories string
}

// NationalActivities lists the activities organised by orgs in sc that
// started on China days from..to, with their categories.
func (s *Store) NationalActivities(ctx context.Context, sc domain.Scope, from, to string) ([]NationalActivity, error) {
	lo, hi, err := chinaDayBounds(from, to)
	if err != nil {
		return nil, domain.Invalid("from", "err.date_format")
	}
	cond, args := inScope("o.path", "", sc)
	rows, err := s.query(ctx, `SELECT a.id, a.title, a.starts_at, a.ends_at, a.address, o.name FROM activities a
		JOIN orgs o ON o.id = a.org_id WHERE a.starts_at >= ? AND a.starts_at < ? AND `+cond+" ORDER BY a.starts_at, a.id",
		append([]any{lo, hi}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("national activities: %w", err)
	}
	var out []NationalActivity
	for rows.Next() {
		var a NationalActivity
		if err := rows.Scan(&a.ID, &a.Title, &a.StartsAt, &a.EndsAt, &a.Address, &a.OrgName); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	index := map[int64]int{}
	for i, a := range out {
		index[a.ID] = i
	}
	rows, err = s.query(ctx, `SELECT a.id, c.name_zh FROM activity_categories ac JOIN categories c ON c.id = ac.category_id
		JOIN activities a ON a.id = ac.activity_id JOIN orgs o ON o.id = a.org_id
		WHERE a.starts_at >= ? AND a.starts_at < ? AND `+cond+" ORDER BY a.id, c.sort, c.id", append([]any{lo, hi}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("national activities' categories: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		if i, ok := index[id]; ok {
			if out[i].Categories != "" {
				out[i].Categories += "、"
			}
			out[i].Categories += name
		}
	}
	return out, rows.Err()
}

// NationalHours is one volunteer's hours in one activity.
type NationalHours struct {
	PersonID   int64
	PersonName string
	ActivityID int64
	Title      string
	StartsAt   int64
	Minutes    domain.Minutes
}

// NationalHoursOf lists the recorded hours in the activities organised by
// orgs in sc that started on China days from..to.
func (s *Store) NationalHoursOf(ctx context.Context, sc domain.Scope, from, to string) ([]NationalHours, error) {
	lo, hi, err := chinaDayBounds(from, to)
	if err != nil {
		return nil, domain.Invalid("from", "err.date_format")
	}
	cond, args := inScope("o.path", "", sc)
	rows, err := s.query(ctx, `SELECT h.person_id, p.name, a.id, a.title, a.starts_at, h.minutes FROM activity_hours h
		JOIN activities a ON a.id = h.activity_id JOIN orgs o ON o.id = a.org_id JOIN people p ON p.id = h.person_id
		WHERE h.minutes > 0 AND a.starts_at >= ? AND a.starts_at < ? AND `+cond+" ORDER BY a.starts_at, a.id, h.person_id",
		append([]any{lo, hi}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("national hours: %w", err)
	}
	defer rows.Close()
	var out []NationalHours
	for rows.Next() {
		var h NationalHours
		if err := rows.Scan(&h.PersonID, &h.PersonName, &h.ActivityID, &h.Title, &h.StartsAt, &h.Minutes); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
