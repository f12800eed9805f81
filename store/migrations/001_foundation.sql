-- The foundation: settings, the skeleton of the registry (orgs, teams, sites,
-- grown by later migrations), accounts, role grants, sessions, login
-- failures and the append-only audit log. Instants are BIGINT microseconds
-- since the Unix epoch, UTC.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE orgs (
	id         {{ID}},
	parent_id  BIGINT REFERENCES orgs(id),
	kind       TEXT NOT NULL,
	name       TEXT NOT NULL,
	path       TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);
CREATE INDEX orgs_path ON orgs (path);
CREATE INDEX orgs_parent ON orgs (parent_id);

CREATE TABLE teams (
	id         {{ID}},
	org_id     BIGINT NOT NULL REFERENCES orgs(id),
	kind       TEXT NOT NULL,
	name       TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX teams_org ON teams (org_id);

CREATE TABLE sites (
	id         {{ID}},
	org_id     BIGINT NOT NULL REFERENCES orgs(id),
	kind       TEXT NOT NULL,
	name       TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX sites_org ON sites (org_id);

CREATE TABLE users (
	id                   {{ID}},
	username             TEXT NOT NULL UNIQUE,
	display_name         TEXT NOT NULL,
	password_hash        TEXT NOT NULL,
	must_change_password {{BOOL}} NOT NULL DEFAULT {{FALSE}},
	disabled             {{BOOL}} NOT NULL DEFAULT {{FALSE}},
	created_at           BIGINT NOT NULL,
	password_changed_at  BIGINT NOT NULL
);

-- A grant binds a role to a scope: scope_id is an org (org_admin), a team
-- (team_leader), a site (site_contact) or 0 (committee_admin, volunteer).
CREATE TABLE grants (
	id         {{ID}},
	user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	role       TEXT NOT NULL,
	scope_id   BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	UNIQUE (user_id, role, scope_id)
);

-- A session's cookie carries its id and a secret; only the secret's SHA-256
-- is stored, so a copy of this table logs nobody in.
CREATE TABLE sessions (
	id           TEXT PRIMARY KEY,
	secret_hash  TEXT NOT NULL,
	user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at   BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	ip           TEXT NOT NULL,
	user_agent   TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins are counted here, by login name whether or not the account
-- exists, so the lock holds across instances and tells nobody which names are
-- real.
CREATE TABLE login_failures (
	id       {{ID}},
	username TEXT NOT NULL,
	ip       TEXT NOT NULL,
	at       BIGINT NOT NULL
);
CREATE INDEX login_failures_username_at ON login_failures (username, at);

CREATE TABLE login_locks (
	username     TEXT PRIMARY KEY,
	locked_until BIGINT NOT NULL
);

CREATE TABLE audit_log (
	id          {{ID}},
	at          BIGINT NOT NULL,
	user_id     BIGINT,
	username    TEXT NOT NULL,
	role        TEXT NOT NULL,
	action      TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id   TEXT NOT NULL,
	ip          TEXT NOT NULL,
	request_id  TEXT NOT NULL,
	before_json TEXT NOT NULL,
	after_json  TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action ON audit_log (action, at);
CREATE INDEX audit_log_username ON audit_log (username, at);
