package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"vanguard/store"
)

// OpenAuditChain gives st the audit chain's key (LoadAuditKey), refuses a
// key the log was not sealed with, and seals, once, a log written before
// the chain. Every command that writes through st calls it after Migrate.
func OpenAuditChain(ctx context.Context, cfg Config, st *store.Store) error {
	key, err := LoadAuditKey(cfg)
	if err != nil {
		return err
	}
	if err := st.SetAuditKey(key); err != nil {
		return err
	}
	if err := st.CheckAuditKey(ctx); err != nil {
		return err
	}
	return st.SealAuditLog(ctx)
}

// LoadAuditKey returns the key of the audit chain's HMACs: from
// VANGUARD_AUDIT_KEY, else from audit.key in the data folder, generated
// there (0600) on first start. It is kept apart from the database and from
// the secret key, so that whoever holds the database cannot rewrite the log
// unseen. Several instances on one PostgreSQL must share it: set
// VANGUARD_AUDIT_KEY on each.
func LoadAuditKey(cfg Config) ([]byte, error) {
	cfg = withDefaults(cfg)
	if cfg.AuditKey != "" {
		return decodeAuditKey(cfg.AuditKey, "VANGUARD_AUDIT_KEY")
	}
	path := filepath.Join(cfg.DataDir, "audit.key")
	b, err := os.ReadFile(path)
	if err == nil {
		return decodeAuditKey(strings.TrimSpace(string(b)), path)
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read audit key: %w", err)
	}
	key := make([]byte, 32)
	rand.Read(key)
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("write audit key: %w", err)
	}
	defer f.Close()
	if _, err := fmt.Fprintln(f, hex.EncodeToString(key)); err != nil {
		return nil, fmt.Errorf("write audit key: %w", err)
	}
	return key, f.Sync()
}

func decodeAuditKey(s, from string) ([]byte, error) {
	key, err := hex.DecodeString(s)
	if err != nil || len(key) < 32 {
		return nil, fmt.Errorf("audit key from %s must be at least 64 hex digits", from)
	}
	return key, nil
}

// VerifyAuditChain walks the whole audit log and reports whether its chain
// holds and, if not, the first row where it breaks; `vanguard verify` calls
// it.
func (m *Main) VerifyAuditChain(ctx context.Context) (store.AuditChainReport, error) {
	return m.Store.VerifyAuditChain(ctx)
}
