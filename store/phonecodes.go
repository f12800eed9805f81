package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"vanguard/domain"
)

// Phone codes (短信验证码). The invariants — a code is accepted at most
// once and survives at most a set number of wrong tries — are kept by one
// conditional UPDATE each (UsePhoneCode, CountPhoneCodeTry), never by
// reading a count and then writing, so that two requests racing with the
// same code cannot both succeed and a burst of guesses cannot exceed the
// limit. Only the newest code of a phone and purpose counts: asking again
// replaces the code before.

// PhoneCode is a code as the store keeps it: hashes, never the code.
type PhoneCode struct {
	ID        int64
	CodeHash  string
	ExpiresAt time.Time
	Attempts  int
	Used      bool
}

// CreatePhoneCode records a new code for a phone (by its keyed hash) and
// purpose, valid for ttl from now, and returns its id.
func (tx *Tx) CreatePhoneCode(phoneHash string, purpose domain.PhoneCodePurpose, codeHash string, ttl time.Duration) (int64, error) {
	id, err := tx.insert(`INSERT INTO phone_codes (phone_hash, purpose, code_hash, expires_at, created_at)
		VALUES (?, ?, ?, ?, ?)`, phoneHash, string(purpose), codeHash, micros(tx.now.Add(ttl)), micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("create phone code: %w", err)
	}
	return id, nil
}

// LatestPhoneCode returns the newest code of a phone and purpose; found is
// false when none was ever sent (or it was cleaned away).
func (tx *Tx) LatestPhoneCode(phoneHash string, purpose domain.PhoneCodePurpose) (c PhoneCode, found bool, err error) {
	var expires, used int64
	err = tx.queryRow(`SELECT id, code_hash, expires_at, attempts, used_at FROM phone_codes
		WHERE phone_hash = ? AND purpose = ? ORDER BY id DESC LIMIT 1`, phoneHash, string(purpose)).
		Scan(&c.ID, &c.CodeHash, &expires, &c.Attempts, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("latest phone code: %w", err)
	}
	c.ExpiresAt, c.Used = fromMicros(expires), used != 0
	return c, true, nil
}

// CountPhoneCodeTry counts one wrong try of an unused code; it reports
// false when the code had already used up its maxTries.
func (tx *Tx) CountPhoneCodeTry(id int64, maxTries int) (bool, error) {
	res, err := tx.exec(`UPDATE phone_codes SET attempts = attempts + 1
		WHERE id = ? AND used_at = 0 AND attempts < ?`, id, maxTries)
	if err != nil {
		return false, fmt.Errorf("count phone code try: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UsePhoneCode accepts a code once: it reports false when the code is used
// already, expired or out of tries.
func (tx *Tx) UsePhoneCode(id int64, maxTries int) (bool, error) {
	res, err := tx.exec(`UPDATE phone_codes SET used_at = ?
		WHERE id = ? AND used_at = 0 AND attempts < ? AND expires_at > ?`, micros(tx.now), id, maxTries, micros(tx.now))
	if err != nil {
		return false, fmt.Errorf("use phone code: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DeleteOldPhoneCodes drops codes sent more than a day ago — long expired,
// and older than the longest sending limit — and the notifications that
// carried them, whose arguments hold the code in clear for the gateway's
// text (their deliveries go with them).
func (tx *Tx) DeleteOldPhoneCodes() error {
	before := micros(tx.now.Add(-24 * time.Hour))
	if _, err := tx.exec("DELETE FROM phone_codes WHERE created_at < ?", before); err != nil {
		return fmt.Errorf("delete old phone codes: %w", err)
	}
	_, err := tx.exec("DELETE FROM notifications WHERE event = ? AND created_at < ?", string(domain.EventPhoneCode), before)
	if err != nil {
		return fmt.Errorf("delete old phone code notices: %w", err)
	}
	return nil
}

// NotificationsToPhone lists the notifications sent to a phone number that
// belongs to no account (a requester, a person registering), newest first:
// for tests and support, which must see what a phone was told.
func (s *Store) NotificationsToPhone(ctx context.Context, phone string, limit int) ([]Notification, error) {
	rows, err := s.w.QueryContext(ctx, s.q(`SELECT id, event, lang, args, link, created_at FROM notifications
		WHERE recipient = ? ORDER BY id DESC LIMIT ?`), s.phoneRecipient(strings.TrimSpace(phone)), limit)
	if err != nil {
		return nil, fmt.Errorf("notifications to a phone: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var ev, args string
		var created int64
		if err := rows.Scan(&n.ID, &ev, &n.Lang, &args, &n.Link, &created); err != nil {
			return nil, err
		}
		n.Event, n.CreatedAt = domain.Event(ev), fromMicros(created)
		if err := json.Unmarshal([]byte(args), &n.Args); err != nil {
			return nil, fmt.Errorf("notification %d arguments: %w", n.ID, err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// phoneRecipient is the recipient key of a notification addressed to a
// phone alone: a keyed hash, so that the table holds no phone numbers.
func (s *Store) phoneRecipient(phone string) string {
	mac := hmac.New(sha256.New, s.auditKey)
	mac.Write([]byte("notification recipient\x00" + phone))
	return "phone:" + hex.EncodeToString(mac.Sum(nil))[:32]
}
