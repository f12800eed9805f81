package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"vanguard/domain"
)

// The audit log is tamper-evident. Every row carries an HMAC-SHA256 over the
// previous row's HMAC and every column of its own (sealer.seal), keyed
// with a key the database does not hold (audit.key in the data folder, set
// with SetAuditKey). Whoever can edit the database but not read that key
// cannot change, remove, insert or reorder a row without breaking the chain
// at that row, and VerifyAuditChain finds the first row where it breaks.
//
// One chain, in id order, also with several instances on one PostgreSQL:
// Tx.Audit only buffers rows, and write inserts them just before COMMIT
// under a transaction-scoped advisory lock, reading the last row's HMAC and
// taking the next ids under that lock. It is the last lock a transaction
// takes and is held only for the insert and the commit, so it cannot
// deadlock with locks taken earlier. On SQLite the single writer already
// serialises transactions.
//
// Removing the newest rows leaves a chain that is whole but short, so the
// last row's id and HMAC (the head) are also kept in settings, in the same
// transaction. That catches a tail cut by whoever does not also rewrite the
// settings row; against one who does, only a head recorded outside the
// database can tell: VerifyAuditChainAgainst checks one, such as the
// audit.head each instance keeps in its data folder (WrittenAuditHead,
// app/auditchain.go) or a backup's.

// auditChainLock is the advisory lock key that orders the chain on
// PostgreSQL (727001 orders migrations).
const auditChainLock = 727017

// auditChainMigration is the migration that added the chain (017_audit_chain).
const auditChainMigration = 17

// auditHeadSetting names the settings row that holds the chain's head.
const auditHeadSetting = "audit_chain_head"

// testAuditKey keys the chain of a store no key was set for (tests, tools).
// The program always sets its own.
var testAuditKey = []byte("vanguard: audit chain key for tests, never for real data")

// SetAuditKey sets the key of the audit chain's HMACs; the program calls it
// once after Open, before any write.
func (s *Store) SetAuditKey(key []byte) error {
	if len(key) < 32 {
		return errors.New("audit key must be at least 32 bytes")
	}
	s.auditKey = append([]byte(nil), key...)
	return nil
}

func (s *Store) chainKey() []byte {
	if s.auditKey == nil {
		return testAuditKey
	}
	return s.auditKey
}

// auditRecord is one audit_log row.
type auditRecord struct {
	ID                                  int64
	At                                  int64
	UserID                              sql.NullInt64
	Username, Role, Action              string
	ObjectType, ObjectID, IP, RequestID string
	Before, After                       string
	HMAC                                sql.NullString
}

// auditCols are audit_log's columns in the order of auditRecord.values.
var auditCols = []string{"id", "at", "user_id", "username", "role", "action", "object_type", "object_id",
	"ip", "request_id", "before_json", "after_json", "hmac"}

func (r *auditRecord) values() []any {
	return []any{r.ID, r.At, r.UserID, r.Username, r.Role, r.Action, r.ObjectType, r.ObjectID,
		r.IP, r.RequestID, r.Before, r.After, r.HMAC}
}

func (r *auditRecord) scan(rows *sql.Rows) error {
	return rows.Scan(&r.ID, &r.At, &r.UserID, &r.Username, &r.Role, &r.Action, &r.ObjectType, &r.ObjectID,
		&r.IP, &r.RequestID, &r.Before, &r.After, &r.HMAC)
}

// sealer computes row HMACs, reusing its buffers from row to row (a walk
// of the whole log seals every row).
type sealer struct {
	m   hash.Hash
	buf []byte
	hex [2 * sha256.Size]byte
}

func newSealer(key []byte) *sealer { return &sealer{m: hmac.New(sha256.New, key)} }

// seal returns r's HMAC (hex) chained on prev, the HMAC of the row before
// it ("" for the first): HMAC-SHA256 over a version tag, prev and every
// column of r, each length-prefixed, so that no two different rows read
// the same.
func (z *sealer) seal(r *auditRecord, prev string) string {
	z.sum(r, prev)
	return string(z.hex[:])
}

// matches reports whether r's stored HMAC is the one chained on prev.
func (z *sealer) matches(r *auditRecord, prev string) bool {
	z.sum(r, prev)
	return r.HMAC.Valid && string(z.hex[:]) == r.HMAC.String
}

func (z *sealer) sum(r *auditRecord, prev string) {
	b := z.buf[:0]
	str := func(v string) {
		b = binary.BigEndian.AppendUint64(b, uint64(len(v)))
		b = append(b, v...)
	}
	var num [20]byte
	integer := func(v int64, valid bool) {
		n := num[:0]
		if valid {
			n = strconv.AppendInt(n, v, 10)
		}
		b = binary.BigEndian.AppendUint64(b, uint64(len(n)))
		b = append(b, n...)
	}
	str("vanguard.audit.v1")
	str(prev)
	integer(r.ID, true)
	integer(r.At, true)
	integer(r.UserID.Int64, r.UserID.Valid)
	for _, v := range [...]string{r.Username, r.Role, r.Action, r.ObjectType, r.ObjectID, r.IP, r.RequestID, r.Before, r.After} {
		str(v)
	}
	z.buf = b
	z.m.Reset()
	z.m.Write(b)
	var sum [sha256.Size]byte
	hex.Encode(z.hex[:], z.m.Sum(sum[:0]))
}

// flushAudit inserts the transaction's audit rows at the end of the chain.
func (tx *Tx) flushAudit() error {
	if len(tx.pending) == 0 {
		return nil
	}
	if tx.s.unsealed {
		return tx.flushUnsealed()
	}
	prev, err := tx.lockChain()
	if err != nil {
		return err
	}
	ids, err := tx.nextAuditIDs(len(tx.pending))
	if err != nil {
		return err
	}
	z := newSealer(tx.s.chainKey())
	rows := make([][]any, len(tx.pending))
	for i := range tx.pending {
		r := &tx.pending[i]
		r.ID = ids[i]
		prev = z.seal(r, prev)
		r.HMAC = sql.NullString{String: prev, Valid: true}
		rows[i] = r.values()
	}
	if err := tx.insertRows("audit_log", auditCols, rows); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	tx.pending = nil
	tx.head = AuditHead{ID: ids[len(ids)-1], HMAC: prev}
	return tx.setAuditHead(tx.head.ID, tx.head.HMAC)
}

// flushUnsealed inserts the audit rows as the schema before migration 017
// had them (no id given, no HMAC): only for tests that migrate to an older
// version and write through the store (see UnsealedAuditForTest).
func (tx *Tx) flushUnsealed() error {
	cols := auditCols[1 : len(auditCols)-1]
	rows := make([][]any, len(tx.pending))
	for i := range tx.pending {
		v := tx.pending[i].values()
		rows[i] = v[1 : len(v)-1]
	}
	tx.pending = nil
	return tx.insertRows("audit_log", cols, rows)
}

// lockChain takes the chain lock and returns the HMAC of the chain's last
// sealed row ("" when there is none). It never seals a row: a log that has
// rows but none sealed is either one this process is about to seal
// (migration 017 ran in it, SealAuditLog has not yet: the write is refused
// rather than start a second chain) or one whose HMACs were removed behind
// the program: the new row then chains on nothing and VerifyAuditChain
// reports the first unsealed row.
func (tx *Tx) lockChain() (string, error) {
	if tx.s.Dialect == Postgres {
		if _, err := tx.exec("SELECT pg_advisory_xact_lock(?)", auditChainLock); err != nil {
			return "", fmt.Errorf("audit chain lock: %w", err)
		}
	}
	var last sql.NullString
	err := tx.queryRow("SELECT hmac FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil || last.Valid {
		return last.String, err
	}
	// The last row is unsealed: either the log predates the chain, or a row
	// was slipped in after it (a break that verification reports). Chain on
	// the last sealed row if there is one.
	err = tx.queryRow("SELECT hmac FROM audit_log WHERE hmac IS NOT NULL ORDER BY id DESC LIMIT 1").Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		if tx.s.legacyAudit.Load() > 0 {
			return "", errors.New("audit: the records written before the audit chain are not sealed yet (SealAuditLog runs after Migrate, before any write)")
		}
		return "", nil
	}
	return last.String, err
}

// nextAuditIDs returns n new ids in increasing order, under the chain lock.
func (tx *Tx) nextAuditIDs(n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if tx.s.Dialect == Postgres {
		rows, err := tx.query("SELECT nextval(pg_get_serial_sequence('audit_log', 'id')) FROM generate_series(1, ?)", n)
		if err != nil {
			return nil, fmt.Errorf("audit ids: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		return ids, rows.Err()
	}
	// SQLite: past both the highest id and the highest ever handed out, as
	// AUTOINCREMENT would; an explicit id also moves sqlite_sequence on.
	var last int64
	err := tx.queryRow(`SELECT COALESCE(MAX(x), 0) FROM (SELECT seq AS x FROM sqlite_sequence WHERE name = 'audit_log'
		UNION ALL SELECT MAX(id) FROM audit_log)`).Scan(&last)
	if err != nil {
		return nil, fmt.Errorf("audit ids: %w", err)
	}
	for i := 1; i <= n; i++ {
		ids = append(ids, last+int64(i))
	}
	return ids, nil
}

func (tx *Tx) setAuditHead(id int64, mac string) error {
	_, err := tx.exec(`INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, auditHeadSetting, AuditHead{ID: id, HMAC: mac}.String())
	if err != nil {
		return fmt.Errorf("audit chain head: %w", err)
	}
	return nil
}

// sealLegacy seals the rows up to id upTo of a log that has none sealed, in
// id order, and returns the last HMAC. Only SealAuditLog calls it, in the
// start that applied migration 017.
func (tx *Tx) sealLegacy(upTo int64) (string, error) {
	z := newSealer(tx.s.chainKey())
	prev, after := "", int64(0)
	const page = 1000
	for after < upTo {
		batch, err := tx.auditPage(after, page)
		if err != nil {
			return "", fmt.Errorf("seal audit log: %w", err)
		}
		for i := range batch {
			r := &batch[i]
			if r.ID > upTo {
				break
			}
			if r.HMAC.Valid { // cannot happen under the lock; refuse rather than fork
				return "", fmt.Errorf("seal audit log: row %d already sealed", r.ID)
			}
			prev = z.seal(r, prev)
			if _, err := tx.exec("UPDATE audit_log SET hmac = ? WHERE id = ? AND hmac IS NULL", prev, r.ID); err != nil {
				return "", fmt.Errorf("seal audit row %d: %w", r.ID, err)
			}
			after = r.ID
		}
		if len(batch) < page {
			break
		}
	}
	if after > 0 {
		tx.head = AuditHead{ID: after, HMAC: prev}
		if err := tx.setAuditHead(after, prev); err != nil {
			return "", err
		}
	}
	return prev, nil
}

// auditPage reads up to n rows after id, in id order, inside the transaction
// (pgx cannot write while a result is open, so it reads a page at a time).
func (tx *Tx) auditPage(after int64, n int) ([]auditRecord, error) {
	rows, err := tx.query("SELECT "+strings.Join(auditCols, ", ")+" FROM audit_log WHERE id > ? ORDER BY id LIMIT ?", after, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []auditRecord
	for rows.Next() {
		var r auditRecord
		if err := r.scan(rows); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SealAuditLog seals the rows of a log written before the chain existed;
// the program calls it on start after Migrate and SetAuditKey. It seals
// only in the start that applied migration 017 (Migrate notes it), and only
// the rows that were there then, once: a log whose HMACs and head were
// removed later must not be sealed again, or editing the database would
// launder it. Anything else unsealed is a break for VerifyAuditChain to
// report, never something to seal.
func (s *Store) SealAuditLog(ctx context.Context) error {
	upTo := s.legacyAudit.Load()
	if upTo == 0 {
		return nil
	}
	err := s.write(ctx, domain.SystemActor, false, func(tx *Tx) error {
		if tx.s.Dialect == Postgres {
			if _, err := tx.exec("SELECT pg_advisory_xact_lock(?)", auditChainLock); err != nil {
				return fmt.Errorf("audit chain lock: %w", err)
			}
		}
		var n int
		if err := tx.queryRow("SELECT COUNT(*) FROM (SELECT 1 FROM audit_log WHERE hmac IS NOT NULL LIMIT 1) t").Scan(&n); err != nil {
			return fmt.Errorf("seal audit log: %w", err)
		}
		if n > 0 { // another instance started a chain: leave it to verification
			return nil
		}
		_, err := tx.sealLegacy(upTo)
		return err
	})
	if err == nil {
		s.legacyAudit.Store(0)
	}
	return err
}

// AuditSealPending reports whether this process applied migration 017 over
// a log with rows that SealAuditLog has not sealed yet: a command that
// migrates must then seal them (app.OpenAuditChain) before it ends, for no
// later start will.
func (s *Store) AuditSealPending() bool { return s.legacyAudit.Load() > 0 }

// AuditHead is the last row of the chain: its id and HMAC.
type AuditHead struct {
	ID   int64
	HMAC string
}

// String is the head as settings and backups keep it: "id hmac".
func (h AuditHead) String() string { return strconv.FormatInt(h.ID, 10) + " " + h.HMAC }

// ParseAuditHead reads a head written by AuditHead.String.
func ParseAuditHead(v string) (AuditHead, error) {
	id, mac, ok := strings.Cut(strings.TrimSpace(v), " ")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n <= 0 || mac == "" {
		return AuditHead{}, fmt.Errorf("audit chain head %q: want \"id hmac\"", v)
	}
	return AuditHead{ID: n, HMAC: mac}, nil
}

// AuditBreakKind says how the chain breaks.
type AuditBreakKind string

// The ways a chain breaks.
const (
	// AuditChanged: the row's HMAC does not match its content and the row
	// before it — the row was changed, forged, moved, or a row before it
	// was removed.
	AuditChanged AuditBreakKind = "changed"
	// AuditUnsealed: a row without an HMAC (inserted behind the program).
	AuditUnsealed AuditBreakKind = "unsealed"
	// AuditTruncated: rows after the reported one (or all rows, when none
	// is reported) are gone — the log ends before its recorded head.
	AuditTruncated AuditBreakKind = "truncated"
)

// AuditBreak is where the chain first breaks. For AuditTruncated the row is
// the last one left (ID 0 when none is).
type AuditBreak struct {
	Kind     AuditBreakKind
	ID       int64
	At       time.Time
	Username string
	Action   string
}

// AuditChainReport is the outcome of VerifyAuditChain.
type AuditChainReport struct {
	Intact bool
	Rows   int64       // rows checked
	Head   AuditHead   // the last row checked
	Break  *AuditBreak // nil when Intact
}

// VerifyAuditChain walks the audit log in id order, streaming, and reports
// whether the chain holds and, if not, the first row where it breaks. It
// also checks that the log ends at the head recorded in settings.
func (s *Store) VerifyAuditChain(ctx context.Context) (AuditChainReport, error) {
	return s.VerifyAuditChainAgainst(ctx, AuditHead{})
}

// VerifyAuditChainAgainst is VerifyAuditChain that also requires the chain
// to hold witness, a head recorded outside the database (by a backup, say):
// the row witness.ID must be there with that HMAC. A zero witness is none.
func (s *Store) VerifyAuditChainAgainst(ctx context.Context, witness AuditHead) (AuditChainReport, error) {
	var rep AuditChainReport
	// One snapshot for the head and the rows, so a write committed during
	// the walk cannot look like a cut tail.
	var opts *sql.TxOptions // SQLite: a read transaction is one snapshot
	if s.Dialect == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	rtx, err := s.r.BeginTx(ctx, opts)
	if err != nil {
		return rep, fmt.Errorf("verify audit chain: %w", err)
	}
	defer rtx.Rollback()
	var headText string
	err = rtx.QueryRowContext(ctx, s.q("SELECT value FROM settings WHERE key = ?"), auditHeadSetting).Scan(&headText)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return rep, fmt.Errorf("verify audit chain: %w", err)
	}
	rows, err := rtx.QueryContext(ctx, "SELECT "+strings.Join(auditCols, ", ")+" FROM audit_log ORDER BY id")
	if err != nil {
		return rep, fmt.Errorf("verify audit chain: %w", err)
	}
	defer rows.Close()
	z := newSealer(s.chainKey())
	var r, last auditRecord // last: the row before r, zero before the first
	prev, witnessSeen := "", witness.ID == 0
	for rows.Next() {
		if err := r.scan(rows); err != nil {
			return rep, fmt.Errorf("verify audit chain: %w", err)
		}
		rep.Rows++
		kind := AuditBreakKind("")
		if !r.HMAC.Valid {
			kind = AuditUnsealed
		} else if !z.matches(&r, prev) {
			kind = AuditChanged
		}
		if kind != "" {
			rep.Break = r.breakAt(kind)
			return rep, nil
		}
		// Past the witnessed head without meeting it: the rows from there
		// on were cut, and what follows was written after the cut.
		if !witnessSeen && r.ID >= witness.ID {
			if r.ID > witness.ID || r.HMAC.String != witness.HMAC {
				rep.Break = last.breakAt(AuditTruncated)
				return rep, nil
			}
			witnessSeen = true
		}
		prev, last = r.HMAC.String, r
		rep.Head = AuditHead{ID: r.ID, HMAC: prev}
	}
	if err := rows.Err(); err != nil {
		return rep, fmt.Errorf("verify audit chain: %w", err)
	}
	recorded, _ := ParseAuditHead(headText)
	if !witnessSeen || recorded != rep.Head && (headText != "" || rep.Rows > 0) {
		rep.Break = last.breakAt(AuditTruncated)
		return rep, nil
	}
	rep.Intact = true
	return rep, nil
}

func (r *auditRecord) breakAt(kind AuditBreakKind) *AuditBreak {
	return &AuditBreak{Kind: kind, ID: r.ID, At: fromMicros(r.At), Username: r.Username, Action: r.Action}
}

// ErrAuditKey is returned by CheckAuditKey when the key seals none of the
// newest rows: the key is not the one the log was written with.
var ErrAuditKey = errors.New("the audit key does not match the audit log: this is not the key its rows were sealed with " +
	"(restore audit.key from the backup of this database, or give every instance the same VANGUARD_AUDIT_KEY); " +
	"if the key is right, the newest rows were altered — run `vanguard verify`")

// CheckAuditKey checks, on start, that the store's key is the one the
// newest rows were sealed with, so that an instance with another key does
// not fork the chain. A row altered behind the program does not stop a
// start: one good row among the newest twenty is enough.
func (s *Store) CheckAuditKey(ctx context.Context) error {
	rows, err := s.query(ctx, "SELECT "+strings.Join(auditCols, ", ")+" FROM audit_log ORDER BY id DESC LIMIT 21")
	if err != nil {
		return fmt.Errorf("check audit key: %w", err)
	}
	defer rows.Close()
	var newest []auditRecord
	for rows.Next() {
		var r auditRecord
		if err := r.scan(rows); err != nil {
			return fmt.Errorf("check audit key: %w", err)
		}
		newest = append(newest, r)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check audit key: %w", err)
	}
	if len(newest) < 21 { // the first row of the log is among them
		newest = append(newest, auditRecord{HMAC: sql.NullString{Valid: true}})
	}
	z, checked := newSealer(s.chainKey()), 0
	for i := 0; i+1 < len(newest); i++ {
		r, prev := newest[i], newest[i+1]
		if !r.HMAC.Valid || !prev.HMAC.Valid {
			continue
		}
		checked++
		if z.matches(&r, prev.HMAC.String) {
			return nil
		}
	}
	if checked == 0 {
		return nil
	}
	return ErrAuditKey
}

// AuditLogSealed reports whether any row of the audit log carries an HMAC,
// that is, whether the log was sealed with a key already.
func (s *Store) AuditLogSealed(ctx context.Context) (bool, error) {
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM audit_log WHERE hmac IS NOT NULL LIMIT 1) t").Scan(&n)
	return n > 0, err
}

// writtenHead is the newest chain head a store committed itself: a witness
// that whoever edits the database cannot move back.
type writtenHead struct {
	mu   sync.Mutex
	head AuditHead
}

func (w *writtenHead) note(h AuditHead) {
	if h.ID == 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if h.ID > w.head.ID {
		w.head = h
	}
}

// WrittenAuditHead is the newest chain head this store committed (zero when
// it wrote none). The program keeps it outside the database (audit.head),
// so that a cut tail shows even when the head in settings was moved back
// with it.
func (s *Store) WrittenAuditHead() AuditHead {
	s.written.mu.Lock()
	defer s.written.mu.Unlock()
	return s.written.head
}

// HasAuditHead reports whether the log still holds h: row h.ID with h's HMAC.
func (s *Store) HasAuditHead(ctx context.Context, h AuditHead) (bool, error) {
	var mac sql.NullString
	err := s.queryRow(ctx, "SELECT hmac FROM audit_log WHERE id = ?", h.ID).Scan(&mac)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil && mac.Valid && mac.String == h.HMAC, err
}
