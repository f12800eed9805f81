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

// CheckKey proves that the service's secret key is the database's: by the
// stored key check value, or, on a database without one, by unsealing one
// sealed value; then it stores the check value for the next start. It
// returns an error wrapping ErrWrongKey on a mismatch.
func (s *Service) CheckKey(ctx context.Context) error {
	want := s.keyCheckValue()
	stored, ok, err := s.store.KeyCheck(ctx)
	if err != nil {
		return fmt.Errorf("read key check: %w", err)
	}
	if ok {
		if !hmac.Equal([]byte(stored), []byte(want)) {
			return fmt.Errorf("%w (the key check stored in the database differs)", ErrWrongKey)
		}
		return nil
	}
	sample, ok, err := s.store.SampleSealed(ctx)
	if err != nil {
		return fmt.Errorf("read a sealed value: %w", err)
	}
	if ok {
		if _, err := s.openID(sample); err != nil {
			return fmt.Errorf("%w (a sealed ID number cannot be opened with it)", ErrWrongKey)
		}
	}
	if stored, err = s.store.InitKeyCheck(ctx, want); err != nil {
		return fmt.Errorf("store key check: %w", err)
	}
	if !hmac.Equal([]byte(stored), []byte(want)) {
		return fmt.Errorf("%w (another instance started with another key)", ErrWrongKey)
	}
	return nil
}
