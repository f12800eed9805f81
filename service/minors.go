package service

import (
	"context"
	"fmt"

	"vanguard/domain"
	"vanguard/store"
)

// Minors, guardian consent and insurance (issue 15 item 8). The sign-up
// rules themselves are checked in the store, inside the sign-up's own
// transaction (store/minors.go).

// staffPerson loads a person the caller may edit (ActRegistryWrite in the
// person's org).
func (s *Service) staffPerson(ctx context.Context, c domain.Caller, personID int64) (domain.Person, error) {
	p, err := s.store.PersonByID(ctx, personID)
	if err != nil {
		return p, err
	}
	return p, domain.Authorize(c.Principal, domain.ActRegistryWrite, p.Target())
}

// PersonMinorsFile returns a person's birth date, consents and insurances
// for the person's page, to whoever may read the person.
func (s *Service) PersonMinorsFile(ctx context.Context, c domain.Caller, personID int64) (store.MinorsFile, error) {
	if _, err := s.Person(ctx, c, personID); err != nil {
		return store.MinorsFile{}, err
	}
	return s.store.PersonMinorsFile(ctx, personID)
}

// MyMinorsFile returns the caller's own birth date, consents and
// insurances.
func (s *Service) MyMinorsFile(ctx context.Context, c domain.Caller) (store.MinorsFile, error) {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return store.MinorsFile{}, err
	}
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if err != nil {
		return store.MinorsFile{}, err
	}
	return s.store.PersonMinorsFile(ctx, p.ID)
}

// RecordConsent records a guardian's consent for a person; it replaces the
// one in force, which stays in the history.
func (s *Service) RecordConsent(ctx context.Context, c domain.Caller, personID int64, in domain.ConsentInput) error {
	if _, err := s.staffPerson(ctx, c, personID); err != nil {
		return err
	}
	v, err := in.Validate(domain.ChinaDay(s.store.Now()))
	if err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		_, err := tx.AddConsent(personID, v)
		return err
	})
}

// RecordInsurance records an insurance policy for a person, by staff.
func (s *Service) RecordInsurance(ctx context.Context, c domain.Caller, personID int64, in domain.InsuranceInput) error {
	if _, err := s.staffPerson(ctx, c, personID); err != nil {
		return err
	}
	return s.addInsurance(ctx, c, personID, in)
}

// RecordMyInsurance records an insurance policy the calling volunteer
// holds.
func (s *Service) RecordMyInsurance(ctx context.Context, c domain.Caller, in domain.InsuranceInput) error {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return err
	}
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if err != nil {
		return domain.Errorf(domain.CodeConflict, "err.signup.no_person")
	}
	return s.addInsurance(ctx, c, p.ID, in)
}

func (s *Service) addInsurance(ctx context.Context, c domain.Caller, personID int64, in domain.InsuranceInput) error {
	v, err := in.Validate()
	if err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		_, err := tx.AddInsurance(personID, v)
		return err
	})
}

// SetBirthDate records a birth date staff typed for a person who has no
// ID number on file (with one, the date is read from the number).
func (s *Service) SetBirthDate(ctx context.Context, c domain.Caller, personID int64, date string) error {
	p, err := s.staffPerson(ctx, c, personID)
	if err != nil {
		return err
	}
	if p.HasIDCard {
		return domain.Invalid("birth_date", "err.minors.birth_from_id")
	}
	d, err := domain.ValidBirthDate(date, domain.ChinaDay(s.store.Now()))
	if err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.SetBirthDate(personID, d) })
}

// BirthDateBatch is how many people FillBirthDates reads and writes per
// transaction.
const BirthDateBatch = 1000

// FillBirthDates reads the birth date from the sealed ID number of every
// person who has one on file but no birth date (people registered before
// migration 032), in batches of BirthDateBatch people per transaction, so
// a province's million people never make one long transaction. It is safe
// to run again, and at every start: it only fills dates still unknown. It
// returns how many it filled.
func (s *Service) FillBirthDates(ctx context.Context) (int, error) {
	var after int64
	total := 0
	for {
		ids, ciphers, err := s.store.PeopleWithoutBirthDate(ctx, after, BirthDateBatch)
		if err != nil || len(ids) == 0 {
			return total, err
		}
		dates := make(map[int64]string, len(ids))
		for i, id := range ids {
			plain, err := s.openID(ciphers[i])
			if err != nil {
				return total, fmt.Errorf("fill birth dates: person %d: %w", id, err)
			}
			if d := domain.BirthDateFromID(plain); d != "" {
				dates[id] = d
			}
		}
		after = ids[len(ids)-1]
		if len(dates) == 0 {
			continue
		}
		err = s.store.Write(ctx, domain.SystemActor, func(tx *store.Tx) error {
			n, err := tx.FillBirthDates(dates)
			total += n
			return err
		})
		if err != nil {
			return total, err
		}
	}
}

// RosterEligibility returns age, consent and insurance per person signed up
// to an activity, for its organiser's roster.
func (s *Service) RosterEligibility(ctx context.Context, c domain.Caller, activityID int64) (map[int64]domain.Eligibility, error) {
	if _, err := s.onsiteActivity(ctx, c, activityID); err != nil {
		return nil, err
	}
	return s.store.RosterEligibility(ctx, activityID)
}
