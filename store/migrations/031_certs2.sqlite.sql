-- An application is accepted (受理) before it is issued: who and when.
-- SQLite cannot change a table CHECK, so certificate_requests is copied into
-- a table of the same shape with the new state allowed, every row kept with
-- its id (nothing references certificate_requests).
CREATE TABLE certificate_requests_new (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	person_id      BIGINT NOT NULL REFERENCES people(id),
	org_id         BIGINT NOT NULL REFERENCES orgs(id),
	kind           TEXT NOT NULL,
	period_from    TEXT NOT NULL DEFAULT '',
	period_to      TEXT NOT NULL DEFAULT '',
	activity_ids   TEXT NOT NULL DEFAULT '',
	purpose        TEXT NOT NULL,
	state          TEXT NOT NULL,
	reason         TEXT NOT NULL DEFAULT '',
	certificate_id BIGINT REFERENCES certificates(id),
	requested_by   BIGINT REFERENCES users(id),
	requested_at   BIGINT NOT NULL,
	decided_by     BIGINT REFERENCES users(id),
	decided_at     BIGINT NOT NULL DEFAULT 0,
	accepted_by    BIGINT REFERENCES users(id),
	accepted_at    BIGINT NOT NULL DEFAULT 0,
	CHECK (kind IN ('period', 'services')),
	CHECK (state IN ('pending', 'accepted', 'issued', 'declined'))
);
INSERT INTO certificate_requests_new (id, person_id, org_id, kind, period_from, period_to, activity_ids, purpose, state,
	reason, certificate_id, requested_by, requested_at, decided_by, decided_at)
	SELECT id, person_id, org_id, kind, period_from, period_to, activity_ids, purpose, state,
	reason, certificate_id, requested_by, requested_at, decided_by, decided_at FROM certificate_requests;
DROP TABLE certificate_requests;
ALTER TABLE certificate_requests_new RENAME TO certificate_requests;
CREATE INDEX certificate_requests_person ON certificate_requests (person_id, requested_at);
CREATE INDEX certificate_requests_state ON certificate_requests (state, org_id);
-- One application waits at a time per person, accepted or not.
CREATE UNIQUE INDEX certificate_requests_pending ON certificate_requests (person_id) WHERE state IN ('pending', 'accepted');
