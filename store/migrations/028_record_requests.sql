-- Volunteers' own requests about their record (issue 15): wrong hours on a
-- record (hours), an activity signed up for with no record (attendance), an
-- open-mode activity joined with no record (activity), and service outside
-- any activity (unscheduled, 自主申报). One row per request, never deleted:
-- a declined request stays with its reason. team_id and org_id are who
-- decides: the activity's leading team and organiser, or the chosen team
-- and its org. Approval writes through the versioned record path; an
-- approved unscheduled service becomes a completed activity marked
-- declared, in activity_id.
CREATE TABLE record_requests (
	id            {{ID}},
	kind          TEXT NOT NULL,
	person_id     BIGINT NOT NULL REFERENCES people(id),
	activity_id   BIGINT REFERENCES activities(id),
	team_id       BIGINT REFERENCES teams(id),
	org_id        BIGINT NOT NULL REFERENCES orgs(id),
	service_date  TEXT NOT NULL,
	place         TEXT NOT NULL DEFAULT '',
	content       TEXT NOT NULL DEFAULT '',
	minutes       BIGINT NOT NULL,
	current_minutes BIGINT NOT NULL DEFAULT 0,
	reason        TEXT NOT NULL,
	evidence      TEXT NOT NULL DEFAULT '',
	state         TEXT NOT NULL DEFAULT 'pending',
	decision_note TEXT NOT NULL DEFAULT '',
	decided_by    BIGINT REFERENCES users(id),
	decided_name  TEXT NOT NULL DEFAULT '',
	decided_at    BIGINT NOT NULL DEFAULT 0,
	requested_by  BIGINT REFERENCES users(id),
	created_at    BIGINT NOT NULL,
	CHECK (kind IN ('hours', 'attendance', 'activity', 'unscheduled')),
	CHECK (state IN ('pending', 'approved', 'declined')),
	CHECK (minutes > 0)
);
CREATE INDEX record_requests_person ON record_requests (person_id, created_at);
CREATE INDEX record_requests_state ON record_requests (state, created_at);
-- One pending request per record or activity and person.
CREATE UNIQUE INDEX record_requests_pending ON record_requests (person_id, activity_id)
	WHERE state = 'pending' AND activity_id IS NOT NULL;

-- An activity created by approving declared service says so.
ALTER TABLE activities ADD COLUMN declared {{BOOL}} NOT NULL DEFAULT {{FALSE}};
