package store

import (
	"context"
	"fmt"
	"strconv"

	"vanguard/domain"
)

// SetNationalConsent records whether a person consents to their ID number
// going to the national volunteer service information system, with who
// recorded it and when (migration 031), and audits the change.
func (tx *Tx) SetNationalConsent(personID int64, consent bool) error {
	var at int64
	if consent {
		at = micros(tx.now)
	}
	res, err := tx.exec("UPDATE people SET national_consent = ?, national_consent_at = ?, national_consent_by = ? WHERE id = ?",
		consent, at, nullID(tx.actor.UserID), personID)
	if err != nil {
		return fmt.Errorf("national consent: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.CodeNotFound, "err.person.not_found")
	}
	return tx.Audit("person.national_consent", "person", strconv.FormatInt(personID, 10), nil,
		map[string]any{"consent": consent})
}

// NationalConsent reports whether a person consents to the national export.
func (s *Store) NationalConsent(ctx context.Context, personID int64) (bool, error) {
	var ok bool
	err := s.queryRow(ctx, "SELECT national_consent FROM people WHERE id = ?", personID).Scan(&ok)
	return ok, notFound(err, "err.person.not_found")
}
