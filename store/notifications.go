package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
)

// Notifications. Notify is called inside the transaction of the write that
// causes the event. It records one notification per (event, subject,
// recipient) — a second call for the same occurrence does nothing, so nobody
// hears of one event twice — and, for each outside channel the recipient
// has and allows, one delivery and the job that sends it, scheduled after
// quiet hours unless urgent.

// NewNotification is what a use case says happened and to whom. Give
// UserID, PersonID or Phone (a requester who has neither).
type NewNotification struct {
	Event    domain.Event
	Subject  string // the occurrence, e.g. "order:12"
	UserID   int64
	PersonID int64
	Phone    string
	Lang     string   // for a recipient with no account; accounts use their own
	Args     []string // the template's arguments, already in words
	Link     string   // a path on the site, or an absolute URL for a requester
	Urgent   bool
}

// Notification is one notice as its recipient's page shows it.
type Notification struct {
	ID        int64
	Event     domain.Event
	Lang      string
	Args      []string
	Link      string
	CreatedAt time.Time
	Read      bool
}

// recipient is where a notification goes, resolved from NewNotification.
type recipient struct {
	key      string
	userID   int64
	personID int64
	lang     string
	email    string
	phone    string
	openid   string
}

// Notify records n and queues its outside deliveries. It reports whether
// the notification is new.
func (tx *Tx) Notify(n NewNotification) (bool, error) {
	if !n.Event.Valid() {
		return false, fmt.Errorf("notify: unknown event %q", n.Event)
	}
	r, ok, err := tx.recipientOf(n)
	if err != nil || !ok {
		return false, err
	}
	prefs, err := tx.prefs(r.userID, n.Event)
	if err != nil {
		return false, err
	}
	args, err := json.Marshal(n.Args)
	if err != nil {
		return false, err
	}
	inapp := r.userID != 0 && prefs[domain.ByInApp]
	var id int64
	err = tx.queryRow(`INSERT INTO notifications
		(event, subject, recipient, user_id, person_id, lang, args, link, urgent, inapp, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (event, subject, recipient) DO NOTHING RETURNING id`,
		string(n.Event), n.Subject, r.key, nullID(r.userID), nullID(r.personID), r.lang,
		string(args), n.Link, n.Urgent, inapp, micros(tx.now)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("insert notification: %w", err)
	}
	if r.email != "" && prefs[domain.ByEmail] {
		if err := tx.queueDelivery(id, domain.ByEmail, r.email, n.Urgent); err != nil {
			return false, err
		}
	}
	if (r.phone != "" || r.openid != "") && prefs[domain.ByGateway] {
		addr, _ := json.Marshal(GatewayAddress{Phone: r.phone, OpenID: r.openid})
		if err := tx.queueDelivery(id, domain.ByGateway, string(addr), n.Urgent); err != nil {
			return false, err
		}
	}
	return true, nil
}

// GatewayAddress is where the gateway should send a text: a mobile number,
// a WeChat openid, or both.
type GatewayAddress struct {
	Phone  string `json:"phone,omitempty"`
	OpenID string `json:"openid,omitempty"`
}

func (tx *Tx) queueDelivery(notificationID int64, ch domain.NoticeChannel, addr string, urgent bool) error {
	at := domain.SendAt(tx.now, ch, urgent)
	id, err := tx.insert(`INSERT INTO notification_deliveries (notification_id, channel, address, state, send_at)
		VALUES (?, ?, ?, 'queued', ?)`, notificationID, string(ch), addr, micros(at))
	if err != nil {
		return fmt.Errorf("insert delivery: %w", err)
	}
	return tx.Enqueue(DeliverArgs{DeliveryID: id}, at)
}

// recipientOf resolves who n goes to. A person with an account is that
// account, so a volunteer hears once whether named as person or user. An
// erased person, a disabled account or a missing phone reaches nobody.
func (tx *Tx) recipientOf(n NewNotification) (recipient, bool, error) {
	r := recipient{lang: n.Lang}
	if r.lang == "" {
		r.lang = "zh-CN"
	}
	switch {
	case n.UserID != 0:
		var disabled bool
		err := tx.queryRow(`SELECT u.lang, u.disabled, COALESCE(p.id, 0), COALESCE(p.email, ''),
			COALESCE(`+personPhone+`, ''), COALESCE(p.wechat_openid, '')
			FROM users u LEFT JOIN people p ON p.user_id = u.id AND p.erased_at = 0
			WHERE u.id = ?`, n.UserID).Scan(&r.lang, &disabled, &r.personID, &r.email, &r.phone, &r.openid)
		if errors.Is(err, sql.ErrNoRows) || disabled {
			return r, false, nil
		}
		if err != nil {
			return r, false, fmt.Errorf("notification recipient: %w", err)
		}
		r.userID, r.key = n.UserID, "user:"+strconv.FormatInt(n.UserID, 10)
	case n.PersonID != 0:
		var userID int64
		var lang string
		var disabled bool
		err := tx.queryRow(`SELECT COALESCE(p.user_id, 0), COALESCE(u.lang, ''), COALESCE(u.disabled, ?),
			p.email, `+personPhone+`, p.wechat_openid
			FROM people p LEFT JOIN users u ON u.id = p.user_id
			WHERE p.id = ? AND p.erased_at = 0`, false, n.PersonID).Scan(&userID, &lang, &disabled, &r.email, &r.phone, &r.openid)
		if errors.Is(err, sql.ErrNoRows) {
			return r, false, nil
		}
		if err != nil {
			return r, false, fmt.Errorf("notification recipient: %w", err)
		}
		r.personID = n.PersonID
		r.key = "person:" + strconv.FormatInt(n.PersonID, 10)
		if userID != 0 {
			if disabled {
				return r, false, nil // a disabled account reaches nobody
			}
			r.userID, r.lang = userID, lang
			r.key = "user:" + strconv.FormatInt(userID, 10)
		}
	case strings.TrimSpace(n.Phone) != "":
		r.phone = strings.TrimSpace(n.Phone)
		r.key = tx.s.phoneRecipient(r.phone)
	default:
		return r, false, nil
	}
	return r, true, nil
}

// prefs are a user's channels for event: on unless the user turned one off.
// Someone without an account gets every channel they have.
func (tx *Tx) prefs(userID int64, e domain.Event) (map[domain.NoticeChannel]bool, error) {
	out := map[domain.NoticeChannel]bool{}
	for _, c := range domain.NoticeChannels {
		out[c] = true
	}
	if userID == 0 || e == domain.EventPhoneCode {
		return out, nil
	}
	rows, err := tx.query(`SELECT channel, enabled FROM notification_prefs WHERE user_id = ? AND event = ?`, userID, string(e))
	if err != nil {
		return nil, fmt.Errorf("notification preferences: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ch string
		var on bool
		if err := rows.Scan(&ch, &on); err != nil {
			return nil, err
		}
		out[domain.NoticeChannel(ch)] = on
	}
	return out, rows.Err()
}

// NotificationPrefs is a user's choice for every event and channel.
func (s *Store) NotificationPrefs(ctx context.Context, userID int64) (map[domain.Event]map[domain.NoticeChannel]bool, error) {
	out := map[domain.Event]map[domain.NoticeChannel]bool{}
	for _, e := range domain.Events {
		out[e] = map[domain.NoticeChannel]bool{}
		for _, c := range domain.NoticeChannels {
			out[e][c] = true
		}
	}
	rows, err := s.query(ctx, `SELECT event, channel, enabled FROM notification_prefs WHERE user_id = ?`, userID)
	if err != nil {
		return nil, fmt.Errorf("notification preferences: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e, ch string
		var on bool
		if err := rows.Scan(&e, &ch, &on); err != nil {
			return nil, err
		}
		if m, ok := out[domain.Event(e)]; ok {
			m[domain.NoticeChannel(ch)] = on
		}
	}
	return out, rows.Err()
}

// SetNotificationPref records a user's choice for one event and channel.
func (tx *Tx) SetNotificationPref(userID int64, e domain.Event, ch domain.NoticeChannel, on bool) error {
	_, err := tx.exec(`INSERT INTO notification_prefs (user_id, event, channel, enabled) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, event, channel) DO UPDATE SET enabled = excluded.enabled`,
		userID, string(e), string(ch), on)
	return err
}

// SetUserLang records the language a user reads, for notifications.
func (tx *Tx) SetUserLang(userID int64, lang string) error {
	_, err := tx.exec(`UPDATE users SET lang = ? WHERE id = ?`, lang, userID)
	return err
}

// UnreadNotifications counts a user's unread in-app notifications.
func (s *Store) UnreadNotifications(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND inapp = ? AND read_at = 0`, userID, true).Scan(&n)
	return n, err
}

// Notifications lists a user's in-app notifications, newest first, those
// older than beforeID when it is not zero.
func (s *Store) Notifications(ctx context.Context, userID, beforeID int64, limit int) ([]Notification, error) {
	if beforeID == 0 {
		beforeID = 1 << 62
	}
	rows, err := s.query(ctx, `SELECT id, event, lang, args, link, created_at, read_at FROM notifications
		WHERE user_id = ? AND inapp = ? AND id < ? ORDER BY id DESC LIMIT ?`, userID, true, beforeID, limit)
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var ev, args string
		var created, read int64
		if err := rows.Scan(&n.ID, &ev, &n.Lang, &args, &n.Link, &created, &read); err != nil {
			return nil, err
		}
		n.Event, n.CreatedAt, n.Read = domain.Event(ev), fromMicros(created), read != 0
		if err := json.Unmarshal([]byte(args), &n.Args); err != nil {
			return nil, fmt.Errorf("notification %d arguments: %w", n.ID, err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// Notification returns one of a user's notifications.
func (s *Store) Notification(ctx context.Context, userID, id int64) (Notification, error) {
	list, err := s.Notifications(ctx, userID, id+1, 1)
	if err != nil {
		return Notification{}, err
	}
	if len(list) == 0 || list[0].ID != id {
		return Notification{}, notFound(sql.ErrNoRows, "notify.not_found")
	}
	return list[0], nil
}

// MarkNotificationsRead marks a user's notifications read: the one given,
// or all of them when id is zero. It reports how many changed.
func (tx *Tx) MarkNotificationsRead(userID, id int64) (int64, error) {
	q := `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at = 0`
	args := []any{micros(tx.now), userID}
	if id != 0 {
		q += ` AND id = ?`
		args = append(args, id)
	}
	res, err := tx.exec(q, args...)
	if err != nil {
		return 0, fmt.Errorf("mark notifications read: %w", err)
	}
	return res.RowsAffected()
}

// Delivery is one outside delivery with what its message needs.
type Delivery struct {
	ID       int64
	Channel  domain.NoticeChannel
	Address  string
	State    string
	Attempts int
	Notification
	Urgent bool
}

// Delivery returns a delivery and its notification.
func (s *Store) Delivery(ctx context.Context, id int64) (Delivery, error) {
	var d Delivery
	var ch, ev, args string
	var created int64
	err := s.writerRow(ctx, `SELECT d.id, d.channel, d.address, d.state, d.attempts,
		n.id, n.event, n.lang, n.args, n.link, n.created_at, n.urgent
		FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
		WHERE d.id = ?`, id).Scan(&d.ID, &ch, &d.Address, &d.State, &d.Attempts,
		&d.Notification.ID, &ev, &d.Lang, &args, &d.Link, &created, &d.Urgent)
	if err != nil {
		return d, notFound(err, "notify.not_found")
	}
	d.Channel, d.Event, d.CreatedAt = domain.NoticeChannel(ch), domain.Event(ev), fromMicros(created)
	if err := json.Unmarshal([]byte(args), &d.Args); err != nil {
		return d, fmt.Errorf("delivery %d arguments: %w", id, err)
	}
	return d, nil
}

// writerRow reads on the writer pool, for rows just written by another
// instance or job that a SQLite reader snapshot might not see yet.
func (s *Store) writerRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.w.QueryRowContext(ctx, s.q(query), args...)
}

// FinishDelivery records the outcome of one attempt: state "sent" or
// "logged" clears the address; "failed" keeps it for the next attempt.
func (tx *Tx) FinishDelivery(id int64, state, lastError string) error {
	q := `UPDATE notification_deliveries SET state = ?, attempts = attempts + 1, last_error = ?`
	args := []any{state, lastError}
	if state == "sent" || state == "logged" {
		q += `, address = '', sent_at = ?`
		args = append(args, micros(tx.now))
	}
	_, err := tx.exec(q+` WHERE id = ? AND state <> 'sent' AND state <> 'logged'`, append(args, id)...)
	return err
}

// DeliveryCounts counts deliveries by channel and state, for /admin/jobs.
func (s *Store) DeliveryCounts(ctx context.Context) (map[string]map[string]int, error) {
	rows, err := s.query(ctx, `SELECT channel, state, COUNT(*) FROM notification_deliveries GROUP BY channel, state`)
	if err != nil {
		return nil, fmt.Errorf("count deliveries: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]int{}
	for rows.Next() {
		var ch, st string
		var n int
		if err := rows.Scan(&ch, &st, &n); err != nil {
			return nil, err
		}
		if out[ch] == nil {
			out[ch] = map[string]int{}
		}
		out[ch][st] = n
	}
	return out, rows.Err()
}

// NotificationRetention is how long notifications are kept: they carry
// names and places, and a notice half a year old helps nobody.
const NotificationRetention = 180 * 24 * time.Hour

// DeleteOldNotifications removes notifications older than the retention,
// with their deliveries.
func (tx *Tx) DeleteOldNotifications() error {
	_, err := tx.exec(`DELETE FROM notifications WHERE created_at < ?`, micros(tx.now.Add(-NotificationRetention)))
	return err
}
