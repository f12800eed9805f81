-- Key-task campaigns (重点任务, e.g. 十个全覆盖) run in numbered batches, and
-- brand projects (品牌项目): long-term recurring services and short-term
-- ones. An activity belongs to at most one batch and one project.

CREATE TABLE campaigns (
	id          {{ID}},
	name        TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	starts_on   TEXT NOT NULL,
	ends_on     TEXT NOT NULL DEFAULT '',
	created_by  BIGINT REFERENCES users(id),
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL
);

CREATE TABLE campaign_batches (
	id          {{ID}},
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
	number      INTEGER NOT NULL CHECK (number >= 1),
	note        TEXT NOT NULL DEFAULT '',
	starts_on   TEXT NOT NULL DEFAULT '',
	ends_on     TEXT NOT NULL DEFAULT '',
	created_at  BIGINT NOT NULL,
	UNIQUE (campaign_id, number)
);

CREATE TABLE projects (
	id          {{ID}},
	name        TEXT NOT NULL,
	term        TEXT NOT NULL,
	org_id      BIGINT NOT NULL REFERENCES orgs(id),
	team_id     BIGINT REFERENCES teams(id),
	description TEXT NOT NULL DEFAULT '',
	started_on  TEXT NOT NULL,
	ended_on    TEXT NOT NULL DEFAULT '',
	created_by  BIGINT REFERENCES users(id),
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL
);
CREATE INDEX projects_org ON projects (org_id);
CREATE INDEX projects_team ON projects (team_id);

ALTER TABLE activities ADD COLUMN batch_id BIGINT REFERENCES campaign_batches(id);
ALTER TABLE activities ADD COLUMN project_id BIGINT REFERENCES projects(id);
CREATE INDEX activities_batch ON activities (batch_id);
CREATE INDEX activities_project ON activities (project_id);
