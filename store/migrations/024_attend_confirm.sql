-- Attendance confirmation (出席确认). A volunteer reminded of an activity
-- confirms they are still coming: signups.confirmed_at says when (0 = not
-- yet). An activity may release the places of those who have not confirmed
-- some hours before its start (release_unconfirmed_hours, 0 = never) to the
-- waitlist; a released sign-up is cancelled and released_at says when.
-- Signing up again clears both.
ALTER TABLE signups ADD COLUMN confirmed_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE signups ADD COLUMN released_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE activities ADD COLUMN release_unconfirmed_hours INTEGER NOT NULL DEFAULT 0;
-- The reminder round looks up a reminder already sent by the person it
-- went to.
CREATE INDEX notifications_person ON notifications (person_id, event, subject);
