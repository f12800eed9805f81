-- Activities (服务活动): where the service happens. An activity is led by
-- an org (its scope), usually through one of its teams, in one of three
-- modes (committee, unit, open); an activity made from a confirmed order
-- carries the order and its group of teams.
--
-- taken counts confirmed sign-ups and only ever changes by a conditional
-- UPDATE in the same transaction as the sign-up row, so capacity holds
-- under any concurrency; the CHECK is the last line of defence.

CREATE TABLE activities (
	id            {{ID}},
	title         TEXT NOT NULL,
	mode          TEXT NOT NULL,
	state         TEXT NOT NULL,
	org_id        BIGINT NOT NULL REFERENCES orgs(id),
	team_id       BIGINT REFERENCES teams(id),
	order_id      BIGINT REFERENCES orders(id),
	site_id       BIGINT REFERENCES sites(id),
	region_id     BIGINT REFERENCES regions(id),
	address       TEXT NOT NULL DEFAULT '',
	starts_at     BIGINT NOT NULL,
	ends_at       BIGINT NOT NULL,
	cancel_cutoff BIGINT NOT NULL,
	capacity      INTEGER NOT NULL,
	taken         INTEGER NOT NULL DEFAULT 0,
	skills        TEXT NOT NULL DEFAULT '',
	description   TEXT NOT NULL DEFAULT '',
	created_by    BIGINT REFERENCES users(id),
	created_at    BIGINT NOT NULL,
	updated_at    BIGINT NOT NULL,
	completed_at  BIGINT NOT NULL DEFAULT 0,
	CHECK (taken >= 0 AND taken <= capacity),
	CHECK (ends_at > starts_at)
);
CREATE INDEX activities_starts ON activities (starts_at);
CREATE INDEX activities_org ON activities (org_id, starts_at);
CREATE INDEX activities_team ON activities (team_id, starts_at);
CREATE INDEX activities_order ON activities (order_id);
CREATE INDEX activities_region ON activities (region_id);

CREATE TABLE activity_categories (
	activity_id BIGINT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
	category_id BIGINT NOT NULL REFERENCES categories(id),
	PRIMARY KEY (activity_id, category_id)
);
CREATE INDEX activity_categories_category ON activity_categories (category_id);

-- The teams taking part; their members sign up directly.
CREATE TABLE activity_teams (
	activity_id BIGINT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
	team_id     BIGINT NOT NULL REFERENCES teams(id),
	PRIMARY KEY (activity_id, team_id)
);
CREATE INDEX activity_teams_team ON activity_teams (team_id);

-- One row per (activity, person), whatever becomes of it: confirmed,
-- waitlisted (promoted in queued_at order), requested (open mode, waiting
-- for approval), cancelled or rejected. Signing up again after cancelling
-- reuses the row.
CREATE TABLE signups (
	id          {{ID}},
	activity_id BIGINT NOT NULL REFERENCES activities(id),
	person_id   BIGINT NOT NULL REFERENCES people(id),
	team_id     BIGINT REFERENCES teams(id),
	state       TEXT NOT NULL,
	queued_at   BIGINT NOT NULL,
	note        TEXT NOT NULL DEFAULT '',
	decided_by  BIGINT REFERENCES users(id),
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL,
	UNIQUE (activity_id, person_id)
);
CREATE INDEX signups_activity ON signups (activity_id, state, queued_at);
CREATE INDEX signups_person ON signups (person_id, state);

-- Attendance: at most three check-in/check-out pairs per person, activity
-- and day (China time); the unique key makes duplicate scans collide.
CREATE TABLE attendance (
	id          {{ID}},
	activity_id BIGINT NOT NULL REFERENCES activities(id),
	person_id   BIGINT NOT NULL REFERENCES people(id),
	day         TEXT NOT NULL,
	pair        INTEGER NOT NULL,
	check_in    BIGINT NOT NULL,
	check_out   BIGINT NOT NULL DEFAULT 0,
	method_in   TEXT NOT NULL,
	method_out  TEXT NOT NULL DEFAULT '',
	recorded_by BIGINT REFERENCES users(id),
	UNIQUE (activity_id, person_id, day, pair),
	CHECK (pair BETWEEN 1 AND 3)
);
CREATE INDEX attendance_person ON attendance (person_id);

-- The hours recorded when an activity is completed: one row per attended
-- person, which is one person-time (人次). hours never exceed the scheduled
-- time.
CREATE TABLE activity_hours (
	activity_id BIGINT NOT NULL REFERENCES activities(id),
	person_id   BIGINT NOT NULL REFERENCES people(id),
	team_id     BIGINT REFERENCES teams(id),
	hours       DOUBLE PRECISION NOT NULL,
	recorded_at BIGINT NOT NULL,
	PRIMARY KEY (activity_id, person_id)
);
CREATE INDEX activity_hours_person ON activity_hours (person_id);
