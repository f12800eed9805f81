package store

import (
	"time"
)

// Allow counts one attempt of key in bucket and reports whether it is within
// limit attempts per window. The count lives in the database so that the
// limit holds across instances; it runs inside the caller's transaction, so
// the attempt is kept only when the write it guards commits (a refused
// attempt is recorded by RecordAttempt).
func (tx *Tx) Allow(bucket, key string, limit int, window time.Duration) (bool, error) {
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

// DeleteOldRateEvents drops attempts older than a day, the longest window.
func (tx *Tx) DeleteOldRateEvents() error {
	_, err := tx.exec("DELETE FROM rate_events WHERE at < ?", micros(tx.now.Add(-24*time.Hour)))
	return err
}
