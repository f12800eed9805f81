-- Assessment points (党建考核加分). The committee's rules are versioned:
-- a change is a new version with an effective date, never an edit, so the
-- rules a year's scores were computed by stay readable. Scores per (year,
-- org) are stored with the version and the level they were computed at, the
-- total and the breakdown (JSON lines, see package assess); a
-- recomputation from the records must give them again. Manual adjustments
-- are proposed by one committee admin and approved or rejected by another.
-- A complaint counts against an org only when the committee found it true
-- (情况属实) when answering it: evaluations.upheld, not upheld by default.
CREATE TABLE assess_rules (
	id           {{ID}},
	effective_on TEXT NOT NULL,
	body         TEXT NOT NULL,
	note         TEXT NOT NULL DEFAULT '',
	created_by   BIGINT REFERENCES users(id),
	created_name TEXT NOT NULL DEFAULT '',
	created_at   BIGINT NOT NULL
);
CREATE INDEX assess_rules_effective ON assess_rules (effective_on, id);

CREATE TABLE assess_scores (
	year        INTEGER NOT NULL,
	org_id      BIGINT NOT NULL REFERENCES orgs(id),
	level       INTEGER NOT NULL,
	rules_id    BIGINT NOT NULL REFERENCES assess_rules(id),
	total       BIGINT NOT NULL,
	breakdown   TEXT NOT NULL,
	computed_at BIGINT NOT NULL,
	PRIMARY KEY (year, org_id)
);

CREATE TABLE assess_adjustments (
	id            {{ID}},
	year          INTEGER NOT NULL,
	org_id        BIGINT NOT NULL REFERENCES orgs(id),
	points        BIGINT NOT NULL,
	reason        TEXT NOT NULL,
	state         TEXT NOT NULL,
	proposed_by   BIGINT NOT NULL REFERENCES users(id),
	proposed_name TEXT NOT NULL DEFAULT '',
	proposed_at   BIGINT NOT NULL,
	decided_by    BIGINT REFERENCES users(id),
	decided_name  TEXT NOT NULL DEFAULT '',
	decided_at    BIGINT NOT NULL DEFAULT 0,
	CHECK (decided_by IS NULL OR decided_by <> proposed_by)
);
CREATE INDEX assess_adjustments_year ON assess_adjustments (year, org_id, state);

ALTER TABLE evaluations ADD COLUMN upheld {{BOOL}} NOT NULL DEFAULT {{FALSE}};

-- The first rules, effective from 2000, so that a new city has scores at
-- once (the same as assess.Default): 1 point per activity run alone, 2 per
-- group service joined, 0.05 per person-time up to 100 then 0.02, 0.02 per
-- hour up to 200 then 0.01, 1 per campaign batch, 2 for an average rating
-- of 4.5 or more; 0.5 off per declined or overdue dispatch, 1 per upheld
-- complaint; at most 50 bonus points a year.
INSERT INTO assess_rules (effective_on, body, note, created_at) VALUES ('2000-01-01',
	'{"own_activity":100,"group_service":200,"person_times":[{"upto":100,"per":5},{"upto":0,"per":2}],"hours":[{"upto":200,"per":2},{"upto":0,"per":1}],"batch":100,"eval_threshold":450,"eval_min_count":1,"eval_points":200,"declined":50,"overdue":50,"complaint":100,"cap":5000,"weights":null}',
	'初始规则', 0);
