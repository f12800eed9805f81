package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// ErrWrongKey means the secret key is not the one the database's data was
// sealed with. The program must not start with it: ID numbers could not be
// revealed and duplicates would no longer be found.
var ErrWrongKey = errors.New("the secret key does not match the data in this database")

// keyCheckValue is derived from the secret key and shows nothing of it.
func (s *Service) keyCheckValue() string {
	m := hmac.New(sha256.New, s.subkey("key_check"))
	m.Write([]byte("vanguard key check"))
	return hex.EncodeToString(m.Sum(nil))
}

// CheckKey proves that the service's secret key is the database's (see
// VerifyKey), then stores the check value for the next start when none is
// stored. It returns an error wrapping ErrWrongKey on a mismatch.
func (s *Service) CheckKey(ctx context.Context) error {
	stored, err := s.VerifyKey(ctx)
	if err != nil || stored {
		return err
	}
	want := s.keyCheckValue()
	got, err := s.store.InitKeyCheck(ctx, want)
	if err != nil {
		return fmt.Errorf("store key check: %w", err)
	}
	if !hmac.Equal([]byte(got), []byte(want)) {
		return fmt.Errorf("%w (another instance started with another key)", ErrWrongKey)
	}
	return nil
}

// VerifyKey checks the key against the database without writing: by the
// stored key check value, or, on a database without one, by unsealing one
// sealed value. stored reports whether a key check value is stored.
func (s *Service) VerifyKey(ctx context.Context) (stored bool, err error) {
	value, ok, err := s.store.KeyCheck(ctx)
	if err != nil {
		return false, fmt.Errorf("read key check: %w", err)
	}
	if ok {
		if !hmac.Equal([]byte(value), []byte(s.keyCheckValue())) {
			return true, fmt.Errorf("%w (the key check stored in the database differs)", ErrWrongKey)
		}
		return true, nil
	}
	sample, ok, err := s.store.SampleSealed(ctx)
	if err != nil {
		return false, fmt.Errorf("read a sealed value: %w", err)
	}
	if ok {
		if _, err := s.openID(sample); err != nil {
			return false, fmt.Errorf("%w (a sealed ID number cannot be opened with it)", ErrWrongKey)
		}
	}
	return false, nil
}
