-- Idempotency of the public forms. The order, suggestion and evaluation
-- forms carry a random token issued when the form was shown; the write
-- records token -> result in its own transaction, so a resubmission (a
-- retry after a lost answer, a double click) finds the first result and
-- creates nothing. kind says which form ("order", "suggestion",
-- "evaluation"); result is what the first submission answered (the tracking
-- code the requester was sent to), "" while the first is being written.
-- Housekeeping drops tokens older than a day.
CREATE TABLE idempotency_tokens (
	kind       TEXT NOT NULL,
	token      TEXT NOT NULL,
	result     TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	PRIMARY KEY (kind, token)
);
CREATE INDEX idempotency_tokens_created ON idempotency_tokens (created_at);

-- A person an admin enters with a mobile number that someone outside the
-- admin's scope already has is kept, but held: phone gets a unique
-- placeholder ("held:…") and held_phone the number typed. The admin's answer
-- is the same as for a free number, so the form reveals nothing about
-- people outside their scope; the committee sees both records on the
-- person's page and resolves the duplicate.
ALTER TABLE people ADD COLUMN held_phone TEXT NOT NULL DEFAULT '';
CREATE INDEX people_held_phone ON people (held_phone);
