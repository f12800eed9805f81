package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"vanguard/domain"
)

// Self-registrations (实名注册). The invariant: a person has at most one
// account and an account at most one person, and a registration is decided
// once. Both are kept by conditional statements — the link is an UPDATE that
// only touches a person with no account while no other person holds the
// account, and a decision an UPDATE of a row still pending — so two approvers
// clicking at once cannot both win (never "read, check, then write").

// NewRegistration is what CreateRegistration stores.
type NewRegistration struct {
	UserID          int64
	Name            string
	Phone           string
	Gender          domain.Gender
	PoliticalStatus domain.PoliticalStatus
	OrgID           int64 // 0 for none
	TeamID          int64 // 0 for none
	PersonID        int64 // the roster entry the phone matched, or 0
	Matched         bool  // the name matched too
	DecideOrgID     int64
}

// CreateRegistration stores a pending registration and audits it.
func (tx *Tx) CreateRegistration(n NewRegistration) (int64, error) {
	id, err := tx.insert(`INSERT INTO registrations (user_id, name, phone, gender, political_status, org_id, team_id,
		person_id, matched, decide_org_id, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
		n.UserID, n.Name, n.Phone, string(n.Gender), string(n.PoliticalStatus), nullID(n.OrgID), nullID(n.TeamID),
		nullID(n.PersonID), n.Matched, n.DecideOrgID, micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("create registration: %w", err)
	}
	return id, tx.Audit("registration.create", "registration", strconv.FormatInt(id, 10), nil, map[string]any{
		"user_id": n.UserID, "name": n.Name, "phone": n.Phone, "gender": n.Gender,
		"political_status": n.PoliticalStatus, "org_id": n.OrgID, "team_id": n.TeamID,
		"person_id": n.PersonID, "matched": n.Matched, "decide_org_id": n.DecideOrgID,
	})
}

// RosterEntry is the person on file with a phone number, as registration
// matching needs them.
type RosterEntry struct {
	PersonID int64
	Name     string
	OrgID    int64
	UserID   int64 // 0 when the person has no account
}

// RosterByPhone finds the person on file with a phone number; found is false
// when there is none.
func (tx *Tx) RosterByPhone(phone string) (e RosterEntry, found bool, err error) {
	err = tx.queryRow("SELECT id, name, org_id, COALESCE(user_id, 0) FROM people WHERE phone = ?", phone).
		Scan(&e.PersonID, &e.Name, &e.OrgID, &e.UserID)
	if errors.Is(err, sql.ErrNoRows) {
		return RosterEntry{}, false, nil
	}
	return e, err == nil, err
}

const registrationColumns = `r.id, r.user_id, u.username, r.name, r.phone, r.gender, r.political_status,
	COALESCE(r.org_id, 0), COALESCE(co.name, ''), COALESCE(r.team_id, 0), COALESCE(t.name, ''),
	COALESCE(r.person_id, 0), COALESCE(p.name, ''), r.matched, r.decide_org_id, o.name, o.path,
	r.state, r.reason, COALESCE(r.decided_by, 0), r.decided_name, r.decided_at, r.created_at`

const registrationFrom = ` FROM registrations r JOIN users u ON u.id = r.user_id
	JOIN orgs o ON o.id = r.decide_org_id
	LEFT JOIN orgs co ON co.id = r.org_id
	LEFT JOIN teams t ON t.id = r.team_id
	LEFT JOIN people p ON p.id = r.person_id`

func scanRegistration(row interface{ Scan(...any) error }) (domain.Registration, error) {
	var r domain.Registration
	var gender, status, state string
	var decided, created int64
	err := row.Scan(&r.ID, &r.UserID, &r.Username, &r.Name, &r.Phone, &gender, &status,
		&r.OrgID, &r.OrgName, &r.TeamID, &r.TeamName, &r.PersonID, &r.PersonName, &r.Matched,
		&r.DecideOrgID, &r.DecideOrgName, &r.DecideOrgPath, &state, &r.Reason, &r.DecidedBy, &r.DecidedName,
		&decided, &created)
	r.Gender, r.PoliticalStatus, r.State = domain.Gender(gender), domain.PoliticalStatus(status), domain.RegistrationState(state)
	r.DecidedAt, r.CreatedAt = fromMicros(decided), fromMicros(created)
	return r, err
}

// RegistrationByID finds a registration.
func (s *Store) RegistrationByID(ctx context.Context, id int64) (domain.Registration, error) {
	r, err := scanRegistration(s.queryRow(ctx, "SELECT "+registrationColumns+registrationFrom+" WHERE r.id = ?", id))
	return r, notFound(err, "err.registration.not_found")
}

// RegistrationByUser finds the registration an account was made with.
func (s *Store) RegistrationByUser(ctx context.Context, userID int64) (domain.Registration, error) {
	r, err := scanRegistration(s.queryRow(ctx, "SELECT "+registrationColumns+registrationFrom+" WHERE r.user_id = ?", userID))
	return r, notFound(err, "err.registration.not_found")
}

// RegistrationFilter selects registrations for the approvers' list. Scope is
// the viewer's and is always applied: the deciding org's subtree and the
// asked team.
type RegistrationFilter struct {
	Scope  domain.Scope
	State  domain.RegistrationState // "" for every state
	Offset int
	Limit  int // 0 means no limit
}

func (f RegistrationFilter) where() (string, []any) {
	cond, args := inScope("o.path", "r.team_id", f.Scope)
	if f.State != "" {
		cond += " AND r.state = ?"
		args = append(args, string(f.State))
	}
	return cond, args
}

// ListRegistrations returns a page of registrations matching f, oldest
// first (the longest waiting at the top), and how many match in all.
func (s *Store) ListRegistrations(ctx context.Context, f RegistrationFilter) ([]domain.Registration, int, error) {
	cond, args := f.where()
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM registrations r JOIN orgs o ON o.id = r.decide_org_id WHERE "+cond,
		args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count registrations: %w", err)
	}
	q := "SELECT " + registrationColumns + registrationFrom + " WHERE " + cond + " ORDER BY r.created_at, r.id"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list registrations: %w", err)
	}
	defer rows.Close()
	var out []domain.Registration
	for rows.Next() {
		r, err := scanRegistration(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// CountPendingRegistrations counts the registrations waiting for a decision
// within a scope (domain.ScopeOf(p, domain.ActRegistrationApprove)), for the
// approvers' to-do lists.
func (s *Store) CountPendingRegistrations(ctx context.Context, sc domain.Scope) (int, error) {
	cond, args := RegistrationFilter{Scope: sc, State: domain.RegistrationPending}.where()
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM registrations r JOIN orgs o ON o.id = r.decide_org_id WHERE "+cond,
		args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count pending registrations: %w", err)
	}
	return n, nil
}

// ApproveRegistration ties registration r's account to person personID,
// grants the account the volunteer role (unless it holds it already) and
// marks the registration approved, all audited. A registration decided
// meanwhile, a person who has an account already and an account tied to
// another person are conflicts.
func (tx *Tx) ApproveRegistration(r domain.Registration, personID int64) error {
	if err := tx.decideRegistration(r, domain.RegistrationApproved, "", personID); err != nil {
		return err
	}
	if err := tx.linkRegisteredPerson(personID, r.UserID); err != nil {
		return err
	}
	var n int
	if err := tx.queryRow("SELECT COUNT(*) FROM grants WHERE user_id = ? AND role = ?",
		r.UserID, string(domain.RoleVolunteer)).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	return tx.Grant(r.UserID, domain.RoleVolunteer, 0)
}

// RejectRegistration marks registration r rejected with a reason the
// applicant reads, and audits it.
func (tx *Tx) RejectRegistration(r domain.Registration, reason string) error {
	return tx.decideRegistration(r, domain.RegistrationRejected, reason, r.PersonID)
}

// decideRegistration moves a pending registration to state, once.
func (tx *Tx) decideRegistration(r domain.Registration, state domain.RegistrationState, reason string, personID int64) error {
	res, err := tx.exec(`UPDATE registrations SET state = ?, reason = ?, person_id = ?, decided_by = ?, decided_name = ?,
		decided_at = ? WHERE id = ? AND state = 'pending'`,
		string(state), reason, nullID(personID), nullID(tx.actor.UserID), tx.actor.Username, micros(tx.now), r.ID)
	if err != nil {
		return fmt.Errorf("decide registration %d: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.CodeConflict, "err.registration.decided")
	}
	return tx.Audit("registration."+string(state), "registration", strconv.FormatInt(r.ID, 10),
		map[string]any{"state": r.State, "person_id": r.PersonID},
		map[string]any{"state": state, "reason": reason, "person_id": personID, "user_id": r.UserID})
}

// linkRegisteredPerson sets people.user_id when neither side is linked yet,
// in one conditional statement. It is registration's own copy of linking a
// person to an account; the lead folds it into the store's one linking
// method when both exist.
func (tx *Tx) linkRegisteredPerson(personID, userID int64) error {
	res, err := tx.exec(`UPDATE people SET user_id = ?, updated_at = ? WHERE id = ? AND user_id IS NULL
		AND NOT EXISTS (SELECT 1 FROM people q WHERE q.user_id = ?)`, userID, micros(tx.now), personID, userID)
	if err != nil {
		return fmt.Errorf("link person %d to user %d: %w", personID, userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var owner int64
		err := tx.queryRow("SELECT COALESCE(user_id, 0) FROM people WHERE id = ?", personID).Scan(&owner)
		switch {
		case err != nil:
			return notFound(err, "err.person.not_found")
		case owner != 0:
			return domain.Errorf(domain.CodeConflict, "err.registration.person_has_account")
		default:
			return domain.Errorf(domain.CodeConflict, "err.registration.account_linked")
		}
	}
	return tx.Audit("person.link_user", "person", strconv.FormatInt(personID, 10),
		map[string]any{"user_id": nil}, map[string]any{"user_id": userID})
}

// PersonTarget is a person as an object of the policy when a registration
// would link them: their org, and the team asked for only when the person is
// a current member of it, so that a team's leader may link their own members
// and nobody else's.
func (tx *Tx) PersonTarget(personID, teamID int64) (domain.Target, error) {
	var t domain.Target
	err := tx.queryRow("SELECT o.path FROM people p JOIN orgs o ON o.id = p.org_id WHERE p.id = ?", personID).Scan(&t.OrgPath)
	if err != nil {
		return t, fmt.Errorf("person target %d: %w", personID, err)
	}
	if teamID == 0 {
		return t, nil
	}
	var n int
	if err := tx.queryRow("SELECT COUNT(*) FROM team_members WHERE team_id = ? AND person_id = ? AND left_on = ''",
		teamID, personID).Scan(&n); err != nil {
		return t, err
	}
	if n > 0 {
		t.TeamID = teamID
	}
	return t, nil
}

// OrgTarget is an org as an object of the policy.
func (tx *Tx) OrgTarget(orgID int64) (domain.Target, error) {
	var t domain.Target
	err := tx.queryRow("SELECT path FROM orgs WHERE id = ?", orgID).Scan(&t.OrgPath)
	return t, err
}

// TeamOrg is the org that owns a team.
func (tx *Tx) TeamOrg(teamID int64) (int64, error) {
	var id int64
	err := tx.queryRow("SELECT org_id FROM teams WHERE id = ?", teamID).Scan(&id)
	return id, err
}
