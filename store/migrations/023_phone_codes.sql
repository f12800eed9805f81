-- Phone codes (短信验证码): a six-digit code sent through the SMS gateway
-- to confirm a phone at self-registration or when an order is looked up by
-- its number and phone. The phone is kept only as a keyed hash and the code
-- only as a keyed hash of phone, purpose and code. A code counts only while
-- it is the newest of its phone and purpose, before expires_at, with
-- attempts (wrong tries) under the limit, and once: used_at (0: unused) is
-- set by a conditional update.
CREATE TABLE phone_codes (
	id         {{ID}},
	phone_hash TEXT NOT NULL,
	purpose    TEXT NOT NULL CHECK (purpose IN ('register', 'track')),
	code_hash  TEXT NOT NULL,
	expires_at BIGINT NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	used_at    BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);
CREATE INDEX phone_codes_phone ON phone_codes (phone_hash, purpose, id);
