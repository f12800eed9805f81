package store

import (
	"context"
	"strconv"

	"vanguard/domain"
)

// A held person is one an admin entered with a mobile number that someone
// outside the admin's scope already has (see migration 015). Telling the
// admin so would reveal who is registered outside their scope; refusing
// silently would lose the entry. So the entry is kept with a placeholder in
// people.phone (which stays unique) and the typed number in held_phone, and
// the committee, which sees both records, resolves it by correcting either.
// Every read of a person's phone goes through personPhone.

// HeldPhonePrefix starts the placeholder a held person has in people.phone;
// it is never a valid mobile number.
const HeldPhonePrefix = "held:"

// SetHeldPhone holds person's number phone, which the person sameAs also
// has, or releases the hold when phone is "". Only a change is audited.
func (tx *Tx) SetHeldPhone(personID int64, phone string, sameAs int64) error {
	res, err := tx.exec("UPDATE people SET held_phone = ? WHERE id = ? AND held_phone <> ?", phone, personID, phone)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	if phone == "" {
		return tx.Audit("person.phone_release", "person", strconv.FormatInt(personID, 10), nil, nil)
	}
	return tx.Audit("person.phone_hold", "person", strconv.FormatInt(personID, 10), nil,
		map[string]any{"phone": phone, "same_phone_as": sameAs})
}

// PersonScope returns what the policy needs to know of a person: their org's
// path and their account.
func (tx *Tx) PersonScope(id int64) (name, orgPath string, userID int64, err error) {
	err = tx.queryRow(`SELECT p.name, o.path, COALESCE(p.user_id, 0) FROM people p JOIN orgs o ON o.id = p.org_id
		WHERE p.id = ?`, id).Scan(&name, &orgPath, &userID)
	return name, orgPath, userID, notFound(err, "err.person.not_found")
}

// PeopleWithPhone lists everyone who has the number phone, held or not.
func (s *Store) PeopleWithPhone(ctx context.Context, phone string) ([]domain.Person, error) {
	rows, err := s.query(ctx, "SELECT "+personColumns+personFrom+" WHERE p.phone = ? OR p.held_phone = ? ORDER BY p.id",
		phone, phone)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
