package service

import (
	"context"
	"errors"
	"strconv"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// The personal-data lifecycle: a person erased on the committee's decision,
// and contact details of old orders and suggestions cleared by the
// housekeeping loop. A volunteer's download of their own data is in
// owndata.go.

// ErasePerson erases a person's personal data for the committee, with a
// reason. It cannot be undone: the name becomes a pseudonym, phone and ID
// number and the rest are cleared, the account is unlinked, disabled and
// signed out; hours, attendance and certificates stay, so every total is
// unchanged.
func (s *Service) ErasePerson(ctx context.Context, c domain.Caller, personID int64, reason string) (store.Erasure, error) {
	p, err := s.store.PersonByID(ctx, personID)
	if err != nil {
		return store.Erasure{}, err
	}
	if err := domain.Authorize(c.Principal, domain.ActPersonErase, p.Target()); err != nil {
		return store.Erasure{}, err
	}
	if p.Erased {
		return store.Erasure{}, domain.Errorf(domain.CodeConflict, "err.privacy.already_erased")
	}
	reason, err = domain.ValidEraseReason(reason)
	if err != nil {
		return store.Erasure{}, err
	}
	var e store.Erasure
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) (err error) {
		e, err = tx.ErasePerson(personID, reason)
		return err
	})
	return e, err
}

// ContactRetention is how many months after an order or suggestion closed
// its contact details are kept: the committee's setting, or the default.
func (s *Service) ContactRetention(ctx context.Context) (int, error) {
	v, ok, err := s.store.Setting(ctx, domain.ContactRetentionKey)
	if err != nil || !ok {
		return domain.DefaultContactRetention, err
	}
	n, err := domain.ParseContactRetention(v)
	if err != nil {
		return domain.DefaultContactRetention, nil
	}
	return n, nil
}

// PrivacySettings returns the retention for the committee's page.
func (s *Service) PrivacySettings(ctx context.Context, c domain.Caller) (int, error) {
	if err := domain.Authorize(c.Principal, domain.ActPrivacyManage, domain.Target{}); err != nil {
		return 0, err
	}
	return s.ContactRetention(ctx)
}

// SetContactRetention sets the retention in months, from a form field.
func (s *Service) SetContactRetention(ctx context.Context, c domain.Caller, months string) error {
	if err := domain.Authorize(c.Principal, domain.ActPrivacyManage, domain.Target{}); err != nil {
		return err
	}
	n, err := domain.ParseContactRetention(months)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.SetSetting(domain.ContactRetentionKey, strconv.Itoa(n))
	})
}

// errNothingDue rolls back a retention pass that found nothing to clear,
// so that an idle pass writes no audit entry.
var errNothingDue = errors.New("no contact details due for clearing")

// ClearOldContacts is the housekeeping loop's retention pass: one batch of
// orders and suggestions closed more than the retention ago lose their
// requester's name and phone, audited as a system action with the counts.
// It returns how many rows it cleared.
func (s *Service) ClearOldContacts(ctx context.Context) (int64, error) {
	months, err := s.ContactRetention(ctx)
	if err != nil {
		return 0, err
	}
	cutoff := s.store.Now().AddDate(0, -months, 0)
	var n int64
	err = s.store.Write(ctx, domain.SystemActor, func(tx *store.Tx) error {
		orders, suggestions, err := tx.ClearOldContacts(cutoff, store.ContactRetentionBatch)
		if err == nil && orders+suggestions == 0 {
			return errNothingDue
		}
		n = orders + suggestions
		return err
	})
	if errors.Is(err, errNothingDue) {
		return 0, nil
	}
	return n, err
}

// retentionPasses bounds the batches one housekeeping round runs, so that a
// first run on years of orders spreads over several rounds.
const retentionPasses = 5

func (s *Service) clearContactsRound(ctx context.Context) error {
	for range retentionPasses {
		n, err := s.ClearOldContacts(ctx)
		if err != nil || n < store.ContactRetentionBatch {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil
}
