-- Personal API tokens (issue 13): a user's key for the JSON API. Like a
-- session, only the SHA-256 of the secret is stored; the token is shown
-- once. hint is its first characters, to tell tokens apart in a list.
-- Times are microseconds; 0 means never (expires_at: no expiry;
-- revoked_at: in force).
CREATE TABLE api_tokens (
	id           {{ID}},
	user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	hint         TEXT NOT NULL,
	secret_hash  TEXT NOT NULL UNIQUE,
	created_at   BIGINT NOT NULL,
	expires_at   BIGINT NOT NULL DEFAULT 0,
	last_used_at BIGINT NOT NULL DEFAULT 0,
	revoked_at   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
