package store

import (
	"fmt"
	"time"
)

// Allow counts one attempt of key in bucket and reports whether it is within
// limit attempts per window. The count lives in the database so that the
// limit holds across instances; it runs inside the caller's transaction, so
// the attempt is kept only when the write it guards commits (a refused
// attempt is recorded by RecordAttempt).
//
// The count and the insert hold under concurrency: SQLite has one writer and
// begins write transactions IMMEDIATE, and on PostgreSQL (READ COMMITTED,
// where two transactions would both count the same rows) serializeOn makes
// the transactions of one bucket and key wait for each other.
func (tx *Tx) Allow(bucket, key string, limit int, window time.Duration) (bool, error) {
	if err := tx.serializeOn("rate:" + bucket + ":" + key); err != nil {
		return false, err
	}
	var n int
	if err := tx.queryRow("SELECT COUNT(*) FROM rate_events WHERE bucket = ? AND key = ? AND at > ?",
		bucket, key, micros(tx.now.Add(-window))).Scan(&n); err != nil {
		return false, err
	}
	if n >= limit {
		return false, nil
	}
	_, err := tx.exec("INSERT INTO rate_events (bucket, key, at) VALUES (?, ?, ?)", bucket, key, micros(tx.now))
	return err == nil, err
}

// AllowOrWait is Allow that, when it refuses, also says how long until one
// more attempt fits in the window: until the limit-th newest attempt leaves
// it. A refusal can then tell the person when to try again.
func (tx *Tx) AllowOrWait(bucket, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	ok, err := tx.Allow(bucket, key, limit, window)
	if err != nil || ok {
		return ok, 0, err
	}
	var at int64
	if err := tx.queryRow(`SELECT at FROM rate_events WHERE bucket = ? AND key = ? AND at > ?
		ORDER BY at DESC LIMIT 1 OFFSET ?`, bucket, key, micros(tx.now.Add(-window)), limit-1).Scan(&at); err != nil {
		return false, 0, fmt.Errorf("rate limit wait: %w", err)
	}
	return false, max(fromMicros(at).Add(window).Sub(tx.now), time.Second), nil
}

// DeleteOldRateEvents drops attempts older than a day, the longest window.
func (tx *Tx) DeleteOldRateEvents() error {
	_, err := tx.exec("DELETE FROM rate_events WHERE at < ?", micros(tx.now.Add(-24*time.Hour)))
	return err
}

// serializeOn makes the rest of the transaction run alone among the
// transactions that serialize on the same name: on PostgreSQL it takes a
// transaction-scoped advisory lock on the name's 64-bit hash, released at
// commit or rollback; on SQLite the single writer already serializes every
// write transaction. Take such locks in the same order everywhere (the rate
// bucket of a request before its account) so two transactions never wait
// for each other.
func (tx *Tx) serializeOn(name string) error {
	if tx.s.Dialect != Postgres {
		return nil
	}
	if _, err := tx.exec("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", name); err != nil {
		return fmt.Errorf("serialize on %s: %w", name, err)
	}
	return nil
}
