-- An application is accepted (受理) before it is issued: who and when.
ALTER TABLE certificate_requests ADD COLUMN accepted_by BIGINT REFERENCES users(id);
ALTER TABLE certificate_requests ADD COLUMN accepted_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE certificate_requests DROP CONSTRAINT certificate_requests_state_check;
ALTER TABLE certificate_requests ADD CONSTRAINT certificate_requests_state_check
	CHECK (state IN ('pending', 'accepted', 'issued', 'declined'));
-- One application waits at a time per person, accepted or not.
DROP INDEX certificate_requests_pending;
CREATE UNIQUE INDEX certificate_requests_pending ON certificate_requests (person_id) WHERE state IN ('pending', 'accepted');
