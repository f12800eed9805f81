-- The points shop (积分超市): items an org or a site lists for points, and
-- volunteers' redemptions of them. Stock never goes below zero (CHECK, and
-- every decrement is a conditional UPDATE … WHERE stock > 0); an item once
-- redeemed is deactivated, never deleted. A redemption carries a one-time
-- pickup code, unique over all redemptions.
CREATE TABLE shop_items (
	id          {{ID}},
	org_id      BIGINT REFERENCES orgs(id),
	site_id     BIGINT REFERENCES sites(id),
	name        TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	cost        BIGINT NOT NULL,
	stock       BIGINT NOT NULL,
	place       TEXT NOT NULL DEFAULT '',
	valid_until TEXT NOT NULL,
	active      {{BOOL}} NOT NULL DEFAULT {{TRUE}},
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL,
	CHECK (stock >= 0),
	CHECK (cost > 0),
	CHECK ((org_id IS NULL) <> (site_id IS NULL))
);
CREATE INDEX shop_items_org ON shop_items (org_id);
CREATE INDEX shop_items_site ON shop_items (site_id);

CREATE TABLE shop_redemptions (
	id            {{ID}},
	item_id       BIGINT NOT NULL REFERENCES shop_items(id),
	person_id     BIGINT NOT NULL REFERENCES people(id),
	cost          BIGINT NOT NULL,
	code          TEXT NOT NULL UNIQUE,
	state         TEXT NOT NULL DEFAULT 'pending',
	created_at    BIGINT NOT NULL,
	closed_at     BIGINT NOT NULL DEFAULT 0,
	closed_by     BIGINT REFERENCES users(id),
	cancel_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX shop_redemptions_person ON shop_redemptions (person_id, id);
CREATE INDEX shop_redemptions_item ON shop_redemptions (item_id, state);
