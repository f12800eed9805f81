-- The registry: categories of service, regions, sites, people with their
-- skills, willingness, talents and trainings, and teams with archives and
-- rosters whose history is kept.

CREATE TABLE categories (
	id         {{ID}},
	code       TEXT NOT NULL UNIQUE,
	name_zh    TEXT NOT NULL,
	name_en    TEXT NOT NULL,
	retired    {{BOOL}} NOT NULL DEFAULT {{FALSE}},
	sort       INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL DEFAULT 0
);
INSERT INTO categories (code, name_zh, name_en, sort) VALUES
	('medical', '医疗义诊', 'Medical care and free clinics', 10),
	('livestock', '畜牧养殖', 'Livestock breeding', 20),
	('disease_prevention', '疫病防治', 'Animal disease prevention', 30),
	('party_education', '党员教育', 'Party education', 40),
	('legal', '法律宣传', 'Legal publicity', 50),
	('family_planning', '计生宣传', 'Family-planning publicity', 60),
	('culture', '文化服务（演出、电影）', 'Culture (performances, films)', 70),
	('scitech', '科技知识', 'Science and technology', 80),
	('poverty_relief', '扶贫帮困', 'Poverty relief', 90),
	('environment', '环境整治', 'Environment clean-up', 100),
	('tree_planting', '植树造林', 'Tree planting', 110);

CREATE TABLE regions (
	id         {{ID}},
	parent_id  BIGINT REFERENCES regions(id),
	level      TEXT NOT NULL,
	name       TEXT NOT NULL,
	lat        DOUBLE PRECISION NOT NULL DEFAULT 0,
	lng        DOUBLE PRECISION NOT NULL DEFAULT 0,
	path       TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);
CREATE INDEX regions_parent ON regions (parent_id);
CREATE INDEX regions_path ON regions (path);

ALTER TABLE sites ADD COLUMN region_id BIGINT REFERENCES regions(id);
ALTER TABLE sites ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE sites ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE sites ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
CREATE INDEX sites_region ON sites (region_id);

ALTER TABLE teams ADD COLUMN founded_on TEXT NOT NULL DEFAULT '';
ALTER TABLE teams ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE teams ADD COLUMN rules TEXT NOT NULL DEFAULT '';
ALTER TABLE teams ADD COLUMN base_region_id BIGINT REFERENCES regions(id);
ALTER TABLE teams ADD COLUMN base_address TEXT NOT NULL DEFAULT '';

CREATE TABLE team_categories (
	team_id     BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
	category_id BIGINT NOT NULL REFERENCES categories(id),
	PRIMARY KEY (team_id, category_id)
);

-- A person. The ID-card number is stored encrypted (AES-GCM under the
-- secret key) beside a keyed hash (HMAC-SHA256) that finds duplicates
-- without decrypting, and its masked form for display.
CREATE TABLE people (
	id               {{ID}},
	name             TEXT NOT NULL,
	gender           TEXT NOT NULL,
	phone            TEXT NOT NULL UNIQUE,
	id_card_enc      TEXT NOT NULL DEFAULT '',
	id_card_hash     TEXT UNIQUE,
	id_card_masked   TEXT NOT NULL DEFAULT '',
	political_status TEXT NOT NULL,
	org_id           BIGINT NOT NULL REFERENCES orgs(id),
	region_id        BIGINT REFERENCES regions(id),
	availability     INTEGER NOT NULL DEFAULT 0,
	user_id          BIGINT UNIQUE REFERENCES users(id),
	created_at       BIGINT NOT NULL,
	updated_at       BIGINT NOT NULL
);
CREATE INDEX people_org ON people (org_id);
CREATE INDEX people_region ON people (region_id);
CREATE INDEX people_name ON people (name);
CREATE INDEX people_status ON people (political_status);

CREATE TABLE person_skills (
	person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	skill     TEXT NOT NULL,
	PRIMARY KEY (person_id, skill)
);
CREATE INDEX person_skills_skill ON person_skills (skill);

CREATE TABLE person_willingness (
	person_id   BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	category_id BIGINT NOT NULL REFERENCES categories(id),
	PRIMARY KEY (person_id, category_id)
);
CREATE INDEX person_willingness_category ON person_willingness (category_id);

CREATE TABLE person_talents (
	person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	tag       TEXT NOT NULL,
	PRIMARY KEY (person_id, tag)
);
CREATE INDEX person_talents_tag ON person_talents (tag);

CREATE TABLE trainings (
	id         {{ID}},
	person_id  BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	held_on    TEXT NOT NULL,
	subject    TEXT NOT NULL,
	hours      DOUBLE PRECISION NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX trainings_person ON trainings (person_id);

-- One row per stay in a team; leaving sets left_on, joining again adds a
-- row, so the roster's history is never overwritten.
CREATE TABLE team_members (
	id         {{ID}},
	team_id    BIGINT NOT NULL REFERENCES teams(id),
	person_id  BIGINT NOT NULL REFERENCES people(id),
	role       TEXT NOT NULL DEFAULT 'member',
	joined_on  TEXT NOT NULL,
	left_on    TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX team_members_current ON team_members (team_id, person_id) WHERE left_on = '';
CREATE INDEX team_members_person ON team_members (person_id);
