package store

import (
	"context"
	"fmt"
	"strconv"

	"vanguard/domain"
)

// Minors, guardian consent and insurance. The sign-up rules (age, consent,
// insurance) are checked by eligible inside every transaction that gives a
// person a place or a request — SignUp, DecideRequest and the waitlist's
// promote — after the activity's row is locked, so the check reads the same
// data the sign-up writes: a consent or an insurance recorded, or an
// activity's requirements changed, in a concurrent transaction is either
// seen or commits after the place is given (and then it only ever makes
// someone eligible who was refused, never the other way round for the
// requirement change, which an organiser makes on a locked activity row as
// well).

// ActivityRequirementsOf returns an activity's minimum age and whether it
// requires insurance.
func (s *Store) ActivityRequirementsOf(ctx context.Context, activityID int64) (domain.ActivityRequirements, error) {
	var r domain.ActivityRequirements
	err := s.queryRow(ctx, "SELECT min_age, requires_insurance FROM activities WHERE id = ?", activityID).
		Scan(&r.MinAge, &r.RequiresInsurance)
	return r, notFound(err, "err.activity.not_found")
}

// setActivityRequirements writes an activity's minimum age and insurance
// requirement.
func (tx *Tx) setActivityRequirements(id int64, r domain.ActivityRequirements, always bool) error {
	if !always && r == (domain.ActivityRequirements{}) {
		return nil
	}
	if _, err := tx.exec("UPDATE activities SET min_age = ?, requires_insurance = ? WHERE id = ?",
		r.MinAge, r.RequiresInsurance, id); err != nil {
		return fmt.Errorf("activity requirements: %w", err)
	}
	return nil
}

// eligibility gathers what the sign-up rules need of person for activity.
func (tx *Tx) eligibility(activityID, personID int64) (domain.Eligibility, error) {
	var e domain.Eligibility
	var starts, ends int64
	if err := tx.queryRow("SELECT min_age, requires_insurance, starts_at, ends_at FROM activities WHERE id = ?", activityID).
		Scan(&e.MinAge, &e.RequiresInsurance, &starts, &ends); err != nil {
		return e, notFound(err, "err.activity.not_found")
	}
	e.Day = domain.ChinaDay(fromMicros(starts))
	last := domain.ChinaDay(fromMicros(ends))
	if err := tx.queryRow("SELECT birth_date FROM people WHERE id = ?", personID).Scan(&e.BirthDate); err != nil {
		return e, notFound(err, "err.person.not_found")
	}
	var n int
	if err := tx.queryRow("SELECT COUNT(*) FROM guardian_consents WHERE person_id = ?", personID).Scan(&n); err != nil {
		return e, err
	}
	e.HasConsent = n > 0
	if e.RequiresInsurance {
		if err := tx.queryRow(`SELECT COUNT(*) FROM insurances WHERE person_id = ? AND valid_from <= ? AND valid_until >= ?`,
			personID, e.Day, last).Scan(&n); err != nil {
			return e, err
		}
		e.Insured = n > 0
	}
	return e, nil
}

// eligible returns the first unmet sign-up requirement of person for the
// activity as a conflict error, or nil.
func (tx *Tx) eligible(activityID, personID int64) error {
	e, err := tx.eligibility(activityID, personID)
	if err != nil {
		return err
	}
	return e.Check()
}

// SetBirthDate records a birth date staff typed for a person without an ID
// number on file.
func (tx *Tx) SetBirthDate(personID int64, date string) error {
	var before string
	if err := tx.queryRow("SELECT birth_date FROM people WHERE id = ?", personID).Scan(&before); err != nil {
		return notFound(err, "err.person.not_found")
	}
	if _, err := tx.exec("UPDATE people SET birth_date = ?, updated_at = ? WHERE id = ?", date, micros(tx.now), personID); err != nil {
		return fmt.Errorf("set birth date: %w", err)
	}
	return tx.Audit("person.birth_date", "person", strconv.FormatInt(personID, 10),
		map[string]any{"birth_date": before}, map[string]any{"birth_date": date})
}

// FillBirthDates sets the birth dates of a batch of people at once:
// dates maps a person's id to the date read from their ID number. Only a
// birth date still unknown is filled. It is audited as one entry for the
// batch (a derived value, as a migration writes it), not row by row.
func (tx *Tx) FillBirthDates(dates map[int64]string) (int, error) {
	n := 0
	ids := make([]int64, 0, len(dates))
	for id := range dates {
		ids = append(ids, id)
	}
	for id, d := range dates {
		res, err := tx.exec("UPDATE people SET birth_date = ? WHERE id = ? AND birth_date = ''", d, id)
		if err != nil {
			return n, fmt.Errorf("fill birth dates: %w", err)
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	return n, tx.Audit("person.birth_date_fill", "person", idRange(ids), nil, map[string]any{"count": n})
}

// PeopleWithoutBirthDate returns up to limit people after afterID, in id
// order, who have an ID number on file but no birth date, with the sealed
// number.
func (s *Store) PeopleWithoutBirthDate(ctx context.Context, afterID int64, limit int) (ids []int64, ciphers []string, err error) {
	rows, err := s.query(ctx, `SELECT id, id_card_enc FROM people WHERE id > ? AND birth_date = '' AND id_card_enc <> ''
		ORDER BY id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, nil, fmt.Errorf("people without birth date: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c string
		if err := rows.Scan(&id, &c); err != nil {
			return nil, nil, err
		}
		ids, ciphers = append(ids, id), append(ciphers, c)
	}
	return ids, ciphers, rows.Err()
}

// AddConsent records a guardian's consent; the newest one is in force.
func (tx *Tx) AddConsent(personID int64, in domain.ConsentInput) (int64, error) {
	id, err := tx.insert(`INSERT INTO guardian_consents (person_id, guardian, relation, phone, consented_on, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, personID, in.Guardian, in.Relation, in.Phone, in.Date, nullID(tx.actor.UserID), micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("add consent: %w", err)
	}
	return id, tx.Audit("consent.create", "person", strconv.FormatInt(personID, 10), nil,
		map[string]any{"guardian": in.Guardian, "relation": in.Relation, "phone": domain.MaskPhone(in.Phone), "date": in.Date})
}

// AddInsurance records a volunteer's insurance policy.
func (tx *Tx) AddInsurance(personID int64, in domain.InsuranceInput) (int64, error) {
	id, err := tx.insert(`INSERT INTO insurances (person_id, insurer, policy_no, valid_from, valid_until, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, personID, in.Insurer, in.PolicyNo, in.ValidFrom, in.ValidUntil, nullID(tx.actor.UserID), micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("add insurance: %w", err)
	}
	return id, tx.Audit("insurance.create", "person", strconv.FormatInt(personID, 10), nil,
		map[string]any{"insurer": in.Insurer, "policy_no": in.PolicyNo, "valid_from": in.ValidFrom, "valid_until": in.ValidUntil})
}

// MinorsFile is what is on file about a person's age, consent and
// insurance; Consents and Insurances are newest first.
type MinorsFile struct {
	BirthDate  string
	HasIDCard  bool
	Consents   []domain.Consent
	Insurances []domain.Insurance
}

// PersonMinorsFile loads a person's birth date, consents and insurances.
func (s *Store) PersonMinorsFile(ctx context.Context, personID int64) (MinorsFile, error) {
	var f MinorsFile
	if err := s.queryRow(ctx, "SELECT birth_date, id_card_enc <> '' FROM people WHERE id = ?", personID).
		Scan(&f.BirthDate, &f.HasIDCard); err != nil {
		return f, notFound(err, "err.person.not_found")
	}
	rows, err := s.query(ctx, `SELECT c.id, c.person_id, c.guardian, c.relation, c.phone, c.consented_on,
		COALESCE(u.display_name, ''), c.created_at FROM guardian_consents c LEFT JOIN users u ON u.id = c.created_by
		WHERE c.person_id = ? ORDER BY c.id DESC`, personID)
	if err != nil {
		return f, fmt.Errorf("consents: %w", err)
	}
	for rows.Next() {
		var c domain.Consent
		var at int64
		if err := rows.Scan(&c.ID, &c.PersonID, &c.Guardian, &c.Relation, &c.Phone, &c.Date, &c.RecordedBy, &at); err != nil {
			rows.Close()
			return f, err
		}
		c.PhoneMasked, c.CreatedAt = domain.MaskPhone(c.Phone), fromMicros(at)
		f.Consents = append(f.Consents, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, err
	}
	rows, err = s.query(ctx, `SELECT i.id, i.person_id, i.insurer, i.policy_no, i.valid_from, i.valid_until,
		COALESCE(u.display_name, ''), i.created_at FROM insurances i LEFT JOIN users u ON u.id = i.created_by
		WHERE i.person_id = ? ORDER BY i.id DESC`, personID)
	if err != nil {
		return f, fmt.Errorf("insurances: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var in domain.Insurance
		var at int64
		if err := rows.Scan(&in.ID, &in.PersonID, &in.Insurer, &in.PolicyNo, &in.ValidFrom, &in.ValidUntil, &in.RecordedBy, &at); err != nil {
			return f, err
		}
		in.CreatedAt = fromMicros(at)
		f.Insurances = append(f.Insurances, in)
	}
	return f, rows.Err()
}

// RosterEligibility returns, for each person signed up to the activity,
// what the leader sees on the roster: age, consent, insurance.
func (s *Store) RosterEligibility(ctx context.Context, activityID int64) (map[int64]domain.Eligibility, error) {
	var r domain.ActivityRequirements
	var starts, ends int64
	if err := s.queryRow(ctx, "SELECT min_age, requires_insurance, starts_at, ends_at FROM activities WHERE id = ?", activityID).
		Scan(&r.MinAge, &r.RequiresInsurance, &starts, &ends); err != nil {
		return nil, notFound(err, "err.activity.not_found")
	}
	first, last := domain.ChinaDay(fromMicros(starts)), domain.ChinaDay(fromMicros(ends))
	rows, err := s.query(ctx, `SELECT p.id, p.birth_date,
		(SELECT COUNT(*) FROM guardian_consents c WHERE c.person_id = p.id),
		(SELECT COUNT(*) FROM insurances i WHERE i.person_id = p.id AND i.valid_from <= ? AND i.valid_until >= ?)
		FROM signups g JOIN people p ON p.id = g.person_id WHERE g.activity_id = ?`, first, last, activityID)
	if err != nil {
		return nil, fmt.Errorf("roster eligibility: %w", err)
	}
	defer rows.Close()
	out := map[int64]domain.Eligibility{}
	for rows.Next() {
		var id int64
		var consents, insured int
		e := domain.Eligibility{MinAge: r.MinAge, RequiresInsurance: r.RequiresInsurance, Day: first}
		if err := rows.Scan(&id, &e.BirthDate, &consents, &insured); err != nil {
			return nil, err
		}
		e.HasConsent, e.Insured = consents > 0, insured > 0
		out[id] = e
	}
	return out, rows.Err()
}

// eraseMinorsData removes, with the person, what identifies them or their
// guardian here: the birth date, the guardian's name and phone, and the
// policy numbers. That a consent and an insurance existed, and when, stays.
func (tx *Tx) eraseMinorsData(personID int64) error {
	for _, q := range []string{
		"UPDATE people SET birth_date = '' WHERE id = ?",
		"UPDATE guardian_consents SET guardian = '', phone = '' WHERE person_id = ?",
		"UPDATE insurances SET policy_no = '' WHERE person_id = ?",
	} {
		if _, err := tx.exec(q, personID); err != nil {
			return fmt.Errorf("erase minors data of %d: %w", personID, err)
		}
	}
	return nil
}
