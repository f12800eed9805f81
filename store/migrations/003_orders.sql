-- The menu and ordering: menu items offered by teams, orders from every
-- channel with their items and every step, the suggestion box, per-key rate
-- limits for public forms, and what each user last saw.

CREATE TABLE menu_items (
	id          {{ID}},
	title       TEXT NOT NULL,
	category_id BIGINT NOT NULL REFERENCES categories(id),
	description TEXT NOT NULL DEFAULT '',
	kind        TEXT NOT NULL,
	term        TEXT NOT NULL,
	duration    TEXT NOT NULL DEFAULT '',
	volunteers  INTEGER NOT NULL DEFAULT 1,
	active      {{BOOL}} NOT NULL DEFAULT {{TRUE}},
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL
);
CREATE INDEX menu_items_category ON menu_items (category_id, active);

CREATE TABLE menu_item_teams (
	menu_item_id BIGINT NOT NULL REFERENCES menu_items(id) ON DELETE CASCADE,
	team_id      BIGINT NOT NULL REFERENCES teams(id),
	PRIMARY KEY (menu_item_id, team_id)
);
CREATE INDEX menu_item_teams_team ON menu_item_teams (team_id);

CREATE TABLE menu_item_regions (
	menu_item_id BIGINT NOT NULL REFERENCES menu_items(id) ON DELETE CASCADE,
	region_id    BIGINT NOT NULL REFERENCES regions(id),
	PRIMARY KEY (menu_item_id, region_id)
);
CREATE INDEX menu_item_regions_region ON menu_item_regions (region_id);

-- An order. code is the requester's tracking code (128 random bits); it is
-- the only way the public reaches an order.
CREATE TABLE orders (
	id              {{ID}},
	code            TEXT NOT NULL UNIQUE,
	channel         TEXT NOT NULL,
	state           TEXT NOT NULL,
	requester_name  TEXT NOT NULL,
	requester_phone TEXT NOT NULL,
	user_id         BIGINT REFERENCES users(id),
	site_id         BIGINT REFERENCES sites(id),
	region_id       BIGINT REFERENCES regions(id),
	address         TEXT NOT NULL DEFAULT '',
	date_from       TEXT NOT NULL,
	date_to         TEXT NOT NULL,
	beneficiaries   INTEGER NOT NULL DEFAULT 0,
	need            TEXT NOT NULL DEFAULT '',
	notes           TEXT NOT NULL DEFAULT '',
	taken_by        BIGINT REFERENCES users(id),
	suggestion_id   BIGINT,
	created_at      BIGINT NOT NULL,
	updated_at      BIGINT NOT NULL,
	seen_at         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX orders_state ON orders (state, updated_at);
CREATE INDEX orders_site ON orders (site_id);
CREATE INDEX orders_created ON orders (created_at);
CREATE INDEX orders_user ON orders (user_id);

CREATE TABLE order_items (
	order_id     BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
	menu_item_id BIGINT NOT NULL REFERENCES menu_items(id),
	PRIMARY KEY (order_id, menu_item_id)
);
CREATE INDEX order_items_item ON order_items (menu_item_id);

-- Every step of an order, its creation included (from_state '', event '').
CREATE TABLE order_steps (
	id            {{ID}},
	order_id      BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
	from_state    TEXT NOT NULL,
	to_state      TEXT NOT NULL,
	event         TEXT NOT NULL,
	reason        TEXT NOT NULL DEFAULT '',
	actor_user_id BIGINT,
	actor_name    TEXT NOT NULL DEFAULT '',
	at            BIGINT NOT NULL
);
CREATE INDEX order_steps_order ON order_steps (order_id, id);
CREATE INDEX order_steps_at ON order_steps (at);

CREATE TABLE suggestions (
	id         {{ID}},
	code       TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL DEFAULT '',
	phone      TEXT NOT NULL DEFAULT '',
	region_id  BIGINT REFERENCES regions(id),
	body       TEXT NOT NULL,
	state      TEXT NOT NULL,
	reply      TEXT NOT NULL DEFAULT '',
	replied_by TEXT NOT NULL DEFAULT '',
	order_id   BIGINT REFERENCES orders(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX suggestions_state ON suggestions (state, created_at);

-- Rate limits for public forms and lookups, counted here so that they hold
-- across instances: one row per attempt, (bucket, key) such as
-- ('order', '203.0.113.9').
CREATE TABLE rate_events (
	id     {{ID}},
	bucket TEXT NOT NULL,
	key    TEXT NOT NULL,
	at     BIGINT NOT NULL
);
CREATE INDEX rate_events_lookup ON rate_events (bucket, key, at);

-- When a user last looked at a list ("orders"), so that lists can show what
-- changed since.
CREATE TABLE seen_marks (
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	list    TEXT NOT NULL,
	seen_at BIGINT NOT NULL,
	PRIMARY KEY (user_id, list)
);
