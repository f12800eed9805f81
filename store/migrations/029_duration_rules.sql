-- Duration rules (时长规则, issue 15). The committee's rules are versioned
-- like assess_rules: a change is a new version with an effective date, never
-- an edit. A version holds the rounding bands on the part of an hour (JSON:
-- [{"upto":15,"counts":0},…], contiguous from 0 to 60), the minimum share of
-- the activity attended for any hours to count (percent), the daily maximum
-- (minutes per person per China day, 0 = none) and the auto check-out delay
-- (minutes after the scheduled end, 0 = no auto check-out). See
-- domain/duration.go for how a record's minutes are counted under a rule.
CREATE TABLE duration_rules (
	id             {{ID}},
	version        INTEGER NOT NULL UNIQUE,
	effective_on   TEXT NOT NULL,
	bands          TEXT NOT NULL,
	min_share      INTEGER NOT NULL DEFAULT 0,
	daily_max      BIGINT NOT NULL DEFAULT 0,
	checkout_delay BIGINT NOT NULL DEFAULT 0,
	note           TEXT NOT NULL DEFAULT '',
	created_by     BIGINT REFERENCES users(id),
	created_name   TEXT NOT NULL DEFAULT '',
	created_at     BIGINT NOT NULL,
	CHECK (min_share >= 0 AND min_share <= 100),
	CHECK (daily_max >= 0 AND daily_max <= 1440),
	CHECK (checkout_delay >= 0)
);
CREATE INDEX duration_rules_effective ON duration_rules (effective_on, version);

-- The rule version a record's minutes were counted by (NULL: attended
-- minutes, as before any rule).
ALTER TABLE activity_hours ADD COLUMN rule_id BIGINT REFERENCES duration_rules(id);

-- Attendance flagged for the leader's review: 'auto_checkout' when the
-- periodic round checked someone out, and the check-in flags of the fraud
-- checks (issue 15 item 5). Clearing a flag empties flag and keeps the
-- leader's note in flag_note (and the audit log).
ALTER TABLE attendance ADD COLUMN flag TEXT NOT NULL DEFAULT '';
ALTER TABLE attendance ADD COLUMN flag_note TEXT NOT NULL DEFAULT '';
CREATE INDEX attendance_open ON attendance (check_out, activity_id);
