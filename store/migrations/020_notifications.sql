-- Notifications (通知/提醒): one row per event occurrence and recipient —
-- the unique key is what keeps anyone from hearing of one event twice —
-- and one delivery per outside channel (email, the SMS/WeChat gateway),
-- sent by a job enqueued in the same transaction. The job queue itself is
-- River's tables (river_job …), migrated by River after these.
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'zh-CN';
ALTER TABLE people ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN wechat_openid TEXT NOT NULL DEFAULT '';

CREATE TABLE notifications (
	id         {{ID}},
	event      TEXT NOT NULL,
	subject    TEXT NOT NULL, -- the occurrence: "order:12", "activity:5:2026-12-08"
	recipient  TEXT NOT NULL, -- "user:3", "person:9" or "phone:<keyed hash>"
	user_id    BIGINT REFERENCES users(id) ON DELETE CASCADE,
	person_id  BIGINT REFERENCES people(id) ON DELETE SET NULL,
	lang       TEXT NOT NULL,
	args       TEXT NOT NULL, -- JSON array of the template's arguments
	link       TEXT NOT NULL,
	urgent     {{BOOL}} NOT NULL DEFAULT {{FALSE}},
	inapp      {{BOOL}} NOT NULL, -- shown in the bell: the recipient has an account and wants it
	created_at BIGINT NOT NULL,
	read_at    BIGINT NOT NULL DEFAULT 0,
	UNIQUE (event, subject, recipient)
);
CREATE INDEX notifications_user ON notifications (user_id, inapp, read_at, id);

CREATE TABLE notification_deliveries (
	id              {{ID}},
	notification_id BIGINT NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
	channel         TEXT NOT NULL,
	address         TEXT NOT NULL, -- cleared once sent
	state           TEXT NOT NULL, -- queued, sent, logged (no transport configured), failed
	attempts        INTEGER NOT NULL DEFAULT 0,
	send_at         BIGINT NOT NULL,
	sent_at         BIGINT NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT '',
	UNIQUE (notification_id, channel)
);
CREATE INDEX notification_deliveries_state ON notification_deliveries (state, send_at);

-- A user's choice per event and channel; no row means on.
CREATE TABLE notification_prefs (
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	event   TEXT NOT NULL,
	channel TEXT NOT NULL,
	enabled {{BOOL}} NOT NULL,
	PRIMARY KEY (user_id, event, channel)
);
