-- Outcomes (成效): what came of an activity. The committee keeps the list of
-- metrics with their units, as it keeps the categories; each activity has at
-- most one outcome (beneficiaries and a narrative) with a value per metric.
-- Values are kept in hundredths of the unit (BIGINT), so that sums over
-- batches and projects are exact on both databases.

CREATE TABLE metrics (
	id         {{ID}},
	code       TEXT NOT NULL UNIQUE,
	name_zh    TEXT NOT NULL,
	name_en    TEXT NOT NULL,
	unit_zh    TEXT NOT NULL,
	unit_en    TEXT NOT NULL,
	sort       INTEGER NOT NULL DEFAULT 0,
	retired    {{BOOL}} NOT NULL DEFAULT {{FALSE}},
	created_at BIGINT NOT NULL DEFAULT 0
);

INSERT INTO metrics (code, name_zh, name_en, unit_zh, unit_en, sort) VALUES
	('trees_planted', '植树', 'Trees planted', '棵', 'trees', 10),
	('garbage_loads', '清理垃圾', 'Garbage cleared', '车', 'truckloads', 20),
	('garbage_tons', '清运垃圾', 'Garbage removed', '吨', 't', 30),
	('fence_built', '新建栅栏', 'Fence built', '米', 'm', 40),
	('boards_cleared', '整理旧木板', 'Old boards cleared', '立方米', 'm³', 50),
	('clinic_patients', '义诊人数', 'People seen at free clinics', '人', 'people', 60),
	('donations', '捐赠款物', 'Donations', '元', 'yuan', 70),
	('films_shown', '放映电影', 'Films shown', '场', 'screenings', 80),
	('lectures', '举办讲座', 'Lectures given', '场', 'lectures', 90),
	('performances', '文艺演出', 'Performances', '场', 'performances', 100),
	('livestock_vaccinated', '牲畜防疫', 'Livestock vaccinated', '头', 'head', 110),
	('materials', '发放资料', 'Materials handed out', '份', 'copies', 120),
	('consultations', '咨询解答', 'Questions answered', '人次', 'people', 130);

CREATE TABLE outcomes (
	activity_id   BIGINT PRIMARY KEY REFERENCES activities(id),
	beneficiaries INTEGER NOT NULL DEFAULT 0 CHECK (beneficiaries >= 0),
	narrative     TEXT NOT NULL DEFAULT '',
	recorded_by   BIGINT REFERENCES users(id),
	created_at    BIGINT NOT NULL,
	updated_at    BIGINT NOT NULL
);

CREATE TABLE outcome_values (
	activity_id BIGINT NOT NULL REFERENCES activities(id),
	metric_id   BIGINT NOT NULL REFERENCES metrics(id),
	value       BIGINT NOT NULL CHECK (value > 0),
	PRIMARY KEY (activity_id, metric_id)
);
CREATE INDEX outcome_values_metric ON outcome_values (metric_id);

-- Photos: the files live under the photo folder with a random name; a row
-- holds what is needed to serve and check one. photo_count only changes by a
-- conditional UPDATE in the same transaction as the row, so the limit per
-- activity holds under concurrency.
ALTER TABLE activities ADD COLUMN photo_count INTEGER NOT NULL DEFAULT 0;

CREATE TABLE activity_photos (
	id           {{ID}},
	activity_id  BIGINT NOT NULL REFERENCES activities(id),
	stored_name  TEXT NOT NULL UNIQUE,
	content_type TEXT NOT NULL,
	size         BIGINT NOT NULL,
	sha256       TEXT NOT NULL,
	width        INTEGER NOT NULL DEFAULT 0,
	height       INTEGER NOT NULL DEFAULT 0,
	uploaded_by  BIGINT REFERENCES users(id),
	created_at   BIGINT NOT NULL
);
CREATE INDEX activity_photos_activity ON activity_photos (activity_id, id);
