-- Statistics roll-up (汇总). activity_totals holds, per activity and per
-- team and org the service was credited to, the person-times (rows of
-- activity_hours) and minutes: the same figures as a GROUP BY over
-- activity_hours, kept so that a province's statistics read a few hundred
-- thousand rows instead of ten million. Every statement that writes
-- activity_hours refreshes the activity's rows in the same transaction
-- (store/totals.go); a test compares them with a full recomputation after
-- random writes. team_id and org_id are 0 where the hours have none.
CREATE TABLE activity_totals (
	activity_id  BIGINT NOT NULL REFERENCES activities(id),
	team_id      BIGINT NOT NULL,
	org_id       BIGINT NOT NULL,
	person_times BIGINT NOT NULL,
	minutes      BIGINT NOT NULL,
	PRIMARY KEY (activity_id, team_id, org_id)
);
CREATE INDEX activity_totals_team ON activity_totals (team_id);
CREATE INDEX activity_totals_org ON activity_totals (org_id);
INSERT INTO activity_totals (activity_id, team_id, org_id, person_times, minutes)
	SELECT activity_id, COALESCE(team_id, 0), COALESCE(org_id, 0), COUNT(*), SUM(minutes)
	FROM activity_hours GROUP BY activity_id, COALESCE(team_id, 0), COALESCE(org_id, 0);
