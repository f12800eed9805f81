-- Exact hours and credit to the volunteer's own team (issue 11).
--
-- Hours were DOUBLE PRECISION, and sums of them printed as
-- 16.740000000000002. From here on service time is whole minutes in BIGINT
-- columns named minutes: summed as integers in SQL and Go, shown with at
-- most two decimals. The old columns are filled into the new ones, rounded
-- to the minute, and then dropped (the dialect files), so that no code can
-- read a stale float.
ALTER TABLE activity_hours ADD COLUMN minutes BIGINT NOT NULL DEFAULT 0;
UPDATE activity_hours SET minutes = CAST(ROUND(hours * 60) AS BIGINT);
ALTER TABLE record_versions ADD COLUMN minutes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE record_versions ADD COLUMN previous_minutes BIGINT NOT NULL DEFAULT 0;
UPDATE record_versions SET minutes = CAST(ROUND(hours * 60) AS BIGINT),
	previous_minutes = CAST(ROUND(previous_hours * 60) AS BIGINT);
ALTER TABLE certificates ADD COLUMN minutes BIGINT NOT NULL DEFAULT 0;
UPDATE certificates SET minutes = CAST(ROUND(hours * 60) AS BIGINT);
ALTER TABLE certificate_items ADD COLUMN minutes BIGINT NOT NULL DEFAULT 0;
UPDATE certificate_items SET minutes = CAST(ROUND(hours * 60) AS BIGINT);
ALTER TABLE trainings ADD COLUMN minutes BIGINT NOT NULL DEFAULT 0;
UPDATE trainings SET minutes = CAST(ROUND(hours * 60) AS BIGINT);

-- Attendance and hours belong to the volunteer's own team and org; the
-- activity belongs to its organisers. A volunteer of one team who joined
-- another team's open activity was recorded under the leading team: each
-- sign-up now names the team the person is a member of (one taking part
-- if they are in several, else the first they joined), and org_id the org
-- credited with the service — that team's org, or the person's own org when
-- they are in no team. The hours rows carry the same pair.
UPDATE signups SET team_id = COALESCE(
	(SELECT m.team_id FROM team_members m JOIN activity_teams x ON x.team_id = m.team_id AND x.activity_id = signups.activity_id
		WHERE m.person_id = signups.person_id ORDER BY m.left_on <> '', CASE WHEN m.role = 'leader' THEN 0 ELSE 1 END, m.joined_on, m.id LIMIT 1),
	(SELECT m.team_id FROM team_members m WHERE m.person_id = signups.person_id
		ORDER BY m.left_on <> '', CASE WHEN m.role = 'leader' THEN 0 ELSE 1 END, m.joined_on, m.id LIMIT 1))
	WHERE team_id IS NULL OR NOT EXISTS (SELECT 1 FROM team_members m WHERE m.person_id = signups.person_id AND m.team_id = signups.team_id);
ALTER TABLE signups ADD COLUMN org_id BIGINT REFERENCES orgs(id);
UPDATE signups SET org_id = COALESCE((SELECT t.org_id FROM teams t WHERE t.id = signups.team_id),
	(SELECT p.org_id FROM people p WHERE p.id = signups.person_id));
UPDATE activity_hours SET team_id = (SELECT g.team_id FROM signups g
	WHERE g.activity_id = activity_hours.activity_id AND g.person_id = activity_hours.person_id)
	WHERE EXISTS (SELECT 1 FROM signups g WHERE g.activity_id = activity_hours.activity_id AND g.person_id = activity_hours.person_id);
ALTER TABLE activity_hours ADD COLUMN org_id BIGINT REFERENCES orgs(id);
UPDATE activity_hours SET org_id = COALESCE((SELECT t.org_id FROM teams t WHERE t.id = activity_hours.team_id),
	(SELECT p.org_id FROM people p WHERE p.id = activity_hours.person_id));
CREATE INDEX activity_hours_team ON activity_hours (team_id);
CREATE INDEX activity_hours_org ON activity_hours (org_id);

-- A certificate covers all service in a period, or chosen services
-- (activities) of the person's record.
ALTER TABLE certificates ADD COLUMN kind TEXT NOT NULL DEFAULT 'period';

-- A volunteer applies for a certificate (a period, or chosen activities,
-- and what it is for); the application waits for an admin of the person's
-- org (org_id), who issues one — pre-filled from it — or declines with a
-- reason the volunteer reads.
CREATE TABLE certificate_requests (
	id             {{ID}},
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
	CHECK (kind IN ('period', 'services')),
	CHECK (state IN ('pending', 'issued', 'declined'))
);
CREATE INDEX certificate_requests_person ON certificate_requests (person_id, requested_at);
CREATE INDEX certificate_requests_state ON certificate_requests (state, org_id);
-- One application waits at a time per person.
CREATE UNIQUE INDEX certificate_requests_pending ON certificate_requests (person_id) WHERE state = 'pending';
