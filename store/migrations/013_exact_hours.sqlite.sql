-- The float columns go once their minutes are filled. SQLite cannot drop a
-- column that a table CHECK names, so record_versions is copied into a new
-- table of the same shape with minutes in place of hours.
ALTER TABLE activity_hours DROP COLUMN hours;
ALTER TABLE certificates DROP COLUMN hours;
ALTER TABLE certificate_items DROP COLUMN hours;
ALTER TABLE trainings DROP COLUMN hours;

CREATE TABLE record_versions_new (
	id               INTEGER PRIMARY KEY AUTOINCREMENT,
	activity_id      BIGINT NOT NULL,
	person_id        BIGINT NOT NULL,
	version          INTEGER NOT NULL,
	minutes          BIGINT NOT NULL,
	note             TEXT NOT NULL DEFAULT '',
	reason           TEXT NOT NULL DEFAULT '',
	state            TEXT NOT NULL,
	requested_by     BIGINT REFERENCES users(id),
	requested_name   TEXT NOT NULL DEFAULT '',
	requested_at     BIGINT NOT NULL,
	previous_minutes BIGINT NOT NULL DEFAULT 0,
	decided_by       BIGINT REFERENCES users(id),
	decided_name     TEXT NOT NULL DEFAULT '',
	decided_at       BIGINT NOT NULL DEFAULT 0,
	decision_note    TEXT NOT NULL DEFAULT '',
	FOREIGN KEY (activity_id, person_id) REFERENCES activity_hours (activity_id, person_id),
	UNIQUE (activity_id, person_id, version),
	CHECK (minutes >= 0),
	CHECK (state IN ('approved', 'pending', 'rejected'))
);
INSERT INTO record_versions_new (id, activity_id, person_id, version, minutes, note, reason, state, requested_by,
	requested_name, requested_at, previous_minutes, decided_by, decided_name, decided_at, decision_note)
	SELECT id, activity_id, person_id, version, minutes, note, reason, state, requested_by,
	requested_name, requested_at, previous_minutes, decided_by, decided_name, decided_at, decision_note FROM record_versions;
DROP TABLE record_versions;
ALTER TABLE record_versions_new RENAME TO record_versions;
CREATE INDEX record_versions_person ON record_versions (person_id);
CREATE INDEX record_versions_state ON record_versions (state, requested_at);
CREATE UNIQUE INDEX record_versions_pending ON record_versions (activity_id, person_id) WHERE state = 'pending';
