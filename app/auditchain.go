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
	"time"

	"vanguard/store"
)

// OpenAuditChain gives st the audit chain's key (LoadAuditKey), refuses a
// key the log was not sealed with, and seals the rows written before the
// chain when this process applied migration 017 (store.SealAuditLog; no
// other start may). Every command that writes through st calls it after
// Migrate, before any write.
func OpenAuditChain(ctx context.Context, cfg Config, st *store.Store) error {
	key, err := readAuditKey(withDefaults(cfg))
	if errors.Is(err, os.ErrNotExist) {
		// Never a new key for a log already sealed with another: that start
		// would be refused anyway, and it would leave a wrong audit.key behind.
		sealed, serr := st.AuditLogSealed(ctx)
		if serr != nil {
			return serr
		}
		if sealed {
			return fmt.Errorf("%w: audit.key is missing from %s (put back the audit.key of this database from its backup, or set VANGUARD_AUDIT_KEY)",
				store.ErrAuditKey, withDefaults(cfg).DataDir)
		}
		key, err = LoadAuditKey(cfg)
	}
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
	key, err := readAuditKey(cfg)
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		return key, err
	}
	key = make([]byte, 32)
	rand.Read(key)
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(auditKeyPath(cfg), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("write audit key: %w", err)
	}
	defer f.Close()
	if _, err := fmt.Fprintln(f, hex.EncodeToString(key)); err != nil {
		return nil, fmt.Errorf("write audit key: %w", err)
	}
	return key, f.Sync()
}

func auditKeyPath(cfg Config) string { return filepath.Join(cfg.DataDir, "audit.key") }

// readAuditKey is LoadAuditKey without generating: an error wrapping
// os.ErrNotExist when there is no key.
func readAuditKey(cfg Config) ([]byte, error) {
	if cfg.AuditKey != "" {
		return decodeAuditKey(cfg.AuditKey, "VANGUARD_AUDIT_KEY")
	}
	path := auditKeyPath(cfg)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read audit key: %w", err)
	}
	return decodeAuditKey(strings.TrimSpace(string(b)), path)
}

// VerifyAuditChain checks the audit chain of st with the data folder's key
// (or VANGUARD_AUDIT_KEY) and against its audit.head, writing nothing: for
// `vanguard verify` on a data folder, with no server running. Without a key
// it fails rather than make one.
func VerifyAuditChain(ctx context.Context, cfg Config, st *store.Store) (store.AuditChainReport, error) {
	cfg = withDefaults(cfg)
	key, err := readAuditKey(cfg)
	if errors.Is(err, os.ErrNotExist) {
		return store.AuditChainReport{}, fmt.Errorf("no audit key: neither %s nor VANGUARD_AUDIT_KEY; "+
			"the audit log cannot be checked without the key it was sealed with", auditKeyPath(cfg))
	}
	if err != nil {
		return store.AuditChainReport{}, err
	}
	if err := st.SetAuditKey(key); err != nil {
		return store.AuditChainReport{}, err
	}
	w, err := readAuditHead(cfg.DataDir)
	if err != nil {
		return store.AuditChainReport{}, err
	}
	return st.VerifyAuditChainAgainst(ctx, w)
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
// it. The log must also still hold the head this data folder witnessed
// (audit.head), so a cut tail shows even when the head kept in the
// database was moved back with it.
func (m *Main) VerifyAuditChain(ctx context.Context) (store.AuditChainReport, error) {
	w, err := m.auditWitness()
	if err != nil {
		return store.AuditChainReport{}, err
	}
	return m.Store.VerifyAuditChainAgainst(ctx, w)
}

// The witness: audit.head in the data folder holds the newest chain head
// this instance wrote itself ("id hmac"). It is outside the database, so
// whoever edits the database cannot move it back. Each instance keeps its
// own; a restore of an older backup into the same folder is reported as a
// cut tail, which it is.

func (m *Main) auditHeadPath() string { return filepath.Join(m.Config.DataDir, "audit.head") }

func (m *Main) auditWitness() (store.AuditHead, error) { return readAuditHead(m.Config.DataDir) }

// readAuditHead reads audit.head in dir; the zero head when there is none.
func readAuditHead(dir string) (store.AuditHead, error) {
	b, err := os.ReadFile(filepath.Join(dir, "audit.head"))
	if errors.Is(err, os.ErrNotExist) {
		return store.AuditHead{}, nil
	}
	if err != nil {
		return store.AuditHead{}, fmt.Errorf("read audit head: %w", err)
	}
	return store.ParseAuditHead(string(b))
}

// checkAuditWitness, on start, makes sure the log still holds the witnessed
// head. When it does not, the witness is kept as it is (never overwritten
// by newer heads, which would hide the cut) and the break is logged.
func (m *Main) checkAuditWitness(ctx context.Context) error {
	w, err := m.auditWitness()
	if err != nil || w.ID == 0 {
		return err
	}
	held, err := m.Store.HasAuditHead(ctx, w)
	if err != nil {
		return err
	}
	if !held {
		m.witnessLost = true
		m.Config.Log.Error("the audit log no longer holds the last record this instance wrote (audit.head): "+
			"records were deleted; see /admin/audit and run `vanguard verify`", "audit_id", w.ID)
	}
	return nil
}

// recordAuditHead writes the newest head this instance wrote to audit.head
// (0600, replaced whole), unless the log already lost the witnessed one. It
// does not create the data folder: with keys from the environment on
// PostgreSQL there may be none until the first photo, and then there is no
// witness either.
func (m *Main) recordAuditHead() error {
	m.headMu.Lock()
	defer m.headMu.Unlock()
	h := m.Store.WrittenAuditHead()
	if m.witnessLost || h.ID == 0 {
		return nil
	}
	if fi, err := os.Stat(m.Config.DataDir); err != nil || !fi.IsDir() {
		return nil
	}
	if w, err := m.auditWitness(); err == nil && w.ID >= h.ID {
		return nil
	}
	path := m.auditHeadPath()
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("write audit head: %w", err)
	}
	_, err = fmt.Fprintln(f, h.String())
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return fmt.Errorf("write audit head: %w", err)
	}
	return nil
}

// recordAuditHeads writes audit.head every minute until ctx ends (and
// Close writes it once more).
func (m *Main) recordAuditHeads(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := m.recordAuditHead(); err != nil {
				m.Config.Log.Error("audit head", "error", err)
			}
		}
	}
}

// AuditChainCheck is `vanguard verify`'s check of the audit log: nil when
// its chain holds (VerifyAuditChain), else an error that names the first
// broken record for the operator. A database from before the chain
// (migration 017) has nothing to check yet.
func AuditChainCheck(ctx context.Context, cfg Config, st *store.Store) error {
	v, err := st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if v < 17 {
		return fmt.Errorf("the database (schema version %d) predates the audit chain: start the server on it once to seal the log", v)
	}
	rep, err := VerifyAuditChain(ctx, cfg, st)
	if err != nil || rep.Intact {
		return err
	}
	return errors.New(DescribeAuditBreak(rep))
}

// DescribeAuditBreak says where a broken chain breaks, for the operator.
func DescribeAuditBreak(rep store.AuditChainReport) string {
	b := rep.Break
	if b == nil {
		return fmt.Sprintf("the audit chain holds (%d records)", rep.Rows)
	}
	row := fmt.Sprintf("record %d (%s, %s, %s)", b.ID, b.At.Format("2006-01-02 15:04:05 MST"), b.Username, b.Action)
	switch {
	case b.ID == 0:
		return "every audit record was deleted"
	case b.Kind == store.AuditTruncated:
		return "audit records after " + row + " were deleted"
	case b.Kind == store.AuditUnsealed:
		return "the audit chain breaks at " + row + ": a record the program did not write"
	}
	return "the audit chain breaks at " + row + ": it was changed, forged or moved, or the record before it was deleted"
}
