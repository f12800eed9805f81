-- Calendar feeds (日历订阅): a private iCalendar address for a volunteer
-- (a person) or for a team. The address carries a random secret; only its
-- SHA-256 is kept here, so the table alone gives nobody a working address.
-- One feed per person and per team: making a new one replaces the old
-- (whose address then answers 404), and deleting the row revokes it.
-- lang is the language the feed's words are written in, the page language
-- of whoever made it.
CREATE TABLE calendar_feeds (
	id         {{ID}},
	token_hash TEXT NOT NULL UNIQUE,
	person_id  BIGINT UNIQUE REFERENCES people(id) ON DELETE CASCADE,
	team_id    BIGINT UNIQUE REFERENCES teams(id) ON DELETE CASCADE,
	lang       TEXT NOT NULL DEFAULT 'zh-CN',
	created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
	created_at BIGINT NOT NULL,
	CHECK ((person_id IS NULL AND team_id IS NOT NULL) OR (person_id IS NOT NULL AND team_id IS NULL))
);
