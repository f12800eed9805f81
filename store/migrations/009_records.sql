-- Service records (志愿服务记录), awards and service certificates
-- (志愿服务记录证明).
--
-- A record of service is one person's hours in one activity: its original
-- is the activity_hours row written when the activity was completed. A
-- record is never edited in place: a correction is a new row here, a version
-- with the new hours, a reason, who asked and — once decided — who approved
-- or rejected it. Version 1 is a copy of the original, taken when the first
-- correction is asked for, so that the history is whole in one table. When a
-- correction is approved, activity_hours.hours takes its hours, so that every
-- sum of hours (a volunteer's page, a campaign, a ledger) counts the latest
-- approved version; the versions here keep what it was before.
CREATE TABLE record_versions (
	id             {{ID}},
	activity_id    BIGINT NOT NULL,
	person_id      BIGINT NOT NULL,
	version        INTEGER NOT NULL,
	hours          DOUBLE PRECISION NOT NULL,
	note           TEXT NOT NULL DEFAULT '',
	reason         TEXT NOT NULL DEFAULT '',
	state          TEXT NOT NULL,
	requested_by   BIGINT REFERENCES users(id),
	requested_name TEXT NOT NULL DEFAULT '',
	requested_at   BIGINT NOT NULL,
	previous_hours DOUBLE PRECISION NOT NULL DEFAULT 0,
	decided_by     BIGINT REFERENCES users(id),
	decided_name   TEXT NOT NULL DEFAULT '',
	decided_at     BIGINT NOT NULL DEFAULT 0,
	decision_note  TEXT NOT NULL DEFAULT '',
	FOREIGN KEY (activity_id, person_id) REFERENCES activity_hours (activity_id, person_id),
	UNIQUE (activity_id, person_id, version),
	CHECK (hours >= 0),
	CHECK (state IN ('approved', 'pending', 'rejected'))
);
CREATE INDEX record_versions_person ON record_versions (person_id);
CREATE INDEX record_versions_state ON record_versions (state, requested_at);
-- One correction at a time waits for approval per record.
CREATE UNIQUE INDEX record_versions_pending ON record_versions (activity_id, person_id) WHERE state = 'pending';

-- Awards and honours a person received, entered by admins.
CREATE TABLE awards (
	id         {{ID}},
	person_id  BIGINT NOT NULL REFERENCES people(id),
	title      TEXT NOT NULL,
	awarded_on TEXT NOT NULL,
	issuer     TEXT NOT NULL,
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL
);
CREATE INDEX awards_person ON awards (person_id, awarded_on);

-- Certificates are snapshots: everything printed on one is copied here when
-- it is issued, so later corrections, renames or a new ID number never
-- change an issued certificate. The issuing org is the one that recorded the
-- service (organised the activities, or an org above it). number is
-- VG-year-serial-check, the check part random so numbers cannot be guessed.
CREATE TABLE certificates (
	id             {{ID}},
	number         TEXT NOT NULL UNIQUE,
	person_id      BIGINT NOT NULL REFERENCES people(id),
	org_id         BIGINT NOT NULL REFERENCES orgs(id),
	period_from    TEXT NOT NULL,
	period_to      TEXT NOT NULL,
	person_name    TEXT NOT NULL,
	id_card_masked TEXT NOT NULL DEFAULT '',
	hours          DOUBLE PRECISION NOT NULL,
	person_times   INTEGER NOT NULL,
	content        TEXT NOT NULL DEFAULT '',
	org_name       TEXT NOT NULL,
	responsible    TEXT NOT NULL,
	handler        TEXT NOT NULL,
	issued_by      BIGINT REFERENCES users(id),
	issued_on      TEXT NOT NULL,
	issued_at      BIGINT NOT NULL,
	revoked_at     BIGINT NOT NULL DEFAULT 0,
	revoked_by     BIGINT REFERENCES users(id),
	revoke_reason  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX certificates_person ON certificates (person_id, issued_at);
CREATE INDEX certificates_org ON certificates (org_id, issued_at);

-- The activities a certificate lists, as they stood when it was issued.
CREATE TABLE certificate_items (
	certificate_id BIGINT NOT NULL REFERENCES certificates(id),
	seq            INTEGER NOT NULL,
	activity_id    BIGINT REFERENCES activities(id),
	day            TEXT NOT NULL,
	title          TEXT NOT NULL,
	org_name       TEXT NOT NULL,
	hours          DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (certificate_id, seq)
);
