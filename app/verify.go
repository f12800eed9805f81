package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"vanguard/service"
	"vanguard/store"
)

// check is one of verify's checks: a name printed with its outcome, and a
// function that returns nil when it holds.
type check struct {
	name string
	run  func(ctx context.Context) error
}

// ErrVerify is returned by Verify when a check fails.
var ErrVerify = errors.New("verify: a check failed")

// Verify checks a data folder and its database — the database's integrity,
// the secret key against the sealed data, the photos the database names —
// and prints one line per check on w. It opens the database without
// migrating or writing; a SQLite database in use by a running server is
// refused by the instance lock (verify a backup, or stop the server).
func Verify(ctx context.Context, cfg Config, w io.Writer) error {
	cfg = withDefaults(cfg)
	if !store.IsPostgres(cfg.DB) {
		if _, err := os.Stat(cfg.DB); err != nil {
			return fmt.Errorf("database: %w", err)
		}
	}
	st, err := store.Open(ctx, cfg.DB)
	if errors.Is(err, store.ErrLocked) {
		return fmt.Errorf("%w: stop the server first, or verify a restored backup", err)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	checks := []check{
		{"database integrity", st.IntegrityCheck},
		{"secret key matches the sealed data", func(ctx context.Context) error { return verifyKey(ctx, cfg, st) }},
		{"photos named in the database exist", func(ctx context.Context) error { return verifyPhotos(ctx, cfg, st) }},
		{"audit chain intact", func(ctx context.Context) error { return AuditChainCheck(ctx, cfg, st) }},
		{"statistics roll-up matches the recorded hours", st.CheckActivityTotals},
	}
	failed := 0
	for _, c := range checks {
		if err := c.run(ctx); err != nil {
			failed++
			fmt.Fprintf(w, "FAIL  %s: %v\n", c.name, err)
			continue
		}
		fmt.Fprintf(w, "ok    %s\n", c.name)
	}
	if failed > 0 {
		return fmt.Errorf("%w (%d of %d)", ErrVerify, failed, len(checks))
	}
	return nil
}

// verifyKey reads the key as serve would, but never generates one, and
// checks it against the database without writing.
func verifyKey(ctx context.Context, cfg Config, st *store.Store) error {
	var key []byte
	var err error
	if cfg.SecretKey != "" {
		key, err = decodeKey(cfg.SecretKey, "VANGUARD_SECRET_KEY")
	} else {
		p := filepath.Join(cfg.DataDir, "secret.key")
		var b []byte
		if b, err = os.ReadFile(p); err != nil {
			return fmt.Errorf("%w: put back the secret.key of this database or set VANGUARD_SECRET_KEY", err)
		}
		key, err = decodeKey(strings.TrimSpace(string(b)), p)
	}
	if err != nil {
		return err
	}
	_, err = service.New(st, service.Hasher{Time: 1, Memory: 8, Threads: 1}, key, nil).VerifyKey(ctx)
	return err
}

// verifyPhotos checks that every photo the database names is a file in the
// photos folder.
func verifyPhotos(ctx context.Context, cfg Config, st *store.Store) error {
	names, err := st.PhotoNames(ctx)
	if err != nil {
		return err
	}
	var missing []string
	for _, n := range names {
		if fi, err := os.Stat(filepath.Join(cfg.DataDir, "photos", n)); err != nil || !fi.Mode().IsRegular() {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%d of %d missing from %s: %s", len(missing), len(names), filepath.Join(cfg.DataDir, "photos"),
			strings.Join(missing, ", "))
	}
	return nil
}
