-- Two-factor sign-in (TOTP). A user's secret is sealed with the platform
-- key (never stored in clear); it is pending until a first code confirms
-- it. last_step is the last 30-second step whose code was accepted, so a
-- code is never accepted twice.
CREATE TABLE totp_secrets (
	user_id    BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	secret     TEXT NOT NULL,
	enabled    {{BOOL}} NOT NULL DEFAULT {{FALSE}},
	last_step  BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	enabled_at BIGINT NOT NULL DEFAULT 0
);

-- Recovery codes are shown once at enabling; only a keyed hash is kept and
-- used_at (0: unused) makes each usable once.
CREATE TABLE totp_recovery_codes (
	id        {{ID}},
	user_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	code_hash TEXT NOT NULL,
	used_at   BIGINT NOT NULL DEFAULT 0,
	UNIQUE (user_id, code_hash)
);

-- A login challenge is a sign-in whose password was right and whose second
-- factor is still to come: short-lived, single use, with bounded attempts.
-- Like a session, its cookie carries an id and a secret of which only the
-- SHA-256 is stored.
CREATE TABLE login_challenges (
	id          TEXT PRIMARY KEY,
	secret_hash TEXT NOT NULL,
	user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at  BIGINT NOT NULL,
	attempts    INTEGER NOT NULL DEFAULT 0,
	ip          TEXT NOT NULL,
	user_agent  TEXT NOT NULL
);
CREATE INDEX login_challenges_user ON login_challenges (user_id);
