-- Points (积分) earned by recorded hours. Every change of a balance is a
-- row of the append-only ledger with its cause; points_balances holds the
-- running balance, which never goes below zero. activity_hours.points is
-- what a record has credited so far, so a correction or a rule credits or
-- reverses exactly the difference, whatever the rate was when it was
-- first credited.
ALTER TABLE activity_hours ADD COLUMN points BIGINT NOT NULL DEFAULT 0;

CREATE TABLE points_balances (
	person_id BIGINT PRIMARY KEY REFERENCES people(id),
	balance   BIGINT NOT NULL DEFAULT 0,
	earned    BIGINT NOT NULL DEFAULT 0,
	CHECK (balance >= 0)
);

CREATE TABLE points_ledger (
	id          {{ID}},
	person_id   BIGINT NOT NULL REFERENCES people(id),
	points      BIGINT NOT NULL,
	balance     BIGINT NOT NULL,
	cause       TEXT NOT NULL,
	activity_id BIGINT REFERENCES activities(id),
	ref_id      BIGINT,
	note        TEXT NOT NULL DEFAULT '',
	created_by  BIGINT REFERENCES users(id),
	created_at  BIGINT NOT NULL,
	CHECK (balance >= 0)
);
CREATE INDEX points_ledger_person ON points_ledger (person_id, id);
