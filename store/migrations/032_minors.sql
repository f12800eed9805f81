-- Minors, guardian consent and insurance (issue 15 item 8). A person's
-- birth date is derived from the ID number when one is entered, or typed by
-- staff; '' when unknown. Consents and insurances are append-only: the
-- newest row is the one in force, older rows are the history.
ALTER TABLE people ADD COLUMN birth_date TEXT NOT NULL DEFAULT '';

ALTER TABLE activities ADD COLUMN min_age INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activities ADD COLUMN requires_insurance {{BOOL}} NOT NULL DEFAULT {{FALSE}};

CREATE TABLE guardian_consents (
	id           {{ID}},
	person_id    BIGINT NOT NULL REFERENCES people(id),
	guardian     TEXT NOT NULL,
	relation     TEXT NOT NULL,
	phone        TEXT NOT NULL,
	consented_on TEXT NOT NULL,
	created_by   BIGINT REFERENCES users(id),
	created_at   BIGINT NOT NULL
);
CREATE INDEX guardian_consents_person ON guardian_consents (person_id, id);

CREATE TABLE insurances (
	id          {{ID}},
	person_id   BIGINT NOT NULL REFERENCES people(id),
	insurer     TEXT NOT NULL,
	policy_no   TEXT NOT NULL,
	valid_from  TEXT NOT NULL,
	valid_until TEXT NOT NULL,
	created_by  BIGINT REFERENCES users(id),
	created_at  BIGINT NOT NULL
);
CREATE INDEX insurances_person ON insurances (person_id, id);
