package store

import (
	"context"
	"database/sql"
	"errors"
)

// The key check guards against starting on a database with a secret key
// other than the one its data was sealed with (a restore without
// secret.key): the first start stores a value derived from the key in
// settings, and every start compares. Databases from before the check are
// judged by unsealing one sealed value.

const keyCheckSetting = "key_check"

// KeyCheck returns the stored key check value; ok is false when none is
// stored yet.
func (s *Store) KeyCheck(ctx context.Context) (value string, ok bool, err error) {
	return s.Setting(ctx, keyCheckSetting)
}

// InitKeyCheck stores value as the key check unless one is stored already,
// and returns the value that is stored afterwards: two instances starting
// together keep the first. It is the program's bookkeeping, not audited.
func (s *Store) InitKeyCheck(ctx context.Context, value string) (string, error) {
	err := s.Housekeep(ctx, func(tx *Tx) error {
		_, err := tx.exec("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
			keyCheckSetting, value)
		return err
	})
	if err != nil {
		return "", err
	}
	stored, _, err := s.KeyCheck(ctx)
	return stored, err
}

// SampleSealed returns one sealed ID-card number, for checking a key
// against a database that has no key check yet; ok is false when nothing is
// sealed.
func (s *Store) SampleSealed(ctx context.Context) (cipher string, ok bool, err error) {
	err = s.queryRow(ctx, "SELECT id_card_enc FROM people WHERE id_card_enc <> '' ORDER BY id LIMIT 1").Scan(&cipher)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return cipher, err == nil, err
}

// HoldsSealedData reports whether the database holds anything that only its
// secret key can read or match: a key check or a sealed value. A new key
// must never be generated for such a database.
func (s *Store) HoldsSealedData(ctx context.Context) (bool, error) {
	if _, ok, err := s.KeyCheck(ctx); ok || err != nil {
		return ok, err
	}
	_, ok, err := s.SampleSealed(ctx)
	return ok, err
}
