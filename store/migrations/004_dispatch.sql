-- Dispatch (派单/组团): each (order, category) slot of an accepted order is
-- given to one team; the teams of an order are its group. A team answers for
-- all its slots of an order at once: confirmed, or declined with a reason,
-- which returns those slots to the pool while the rest of the group stays.

CREATE TABLE dispatches (
	id               {{ID}},
	order_id         BIGINT NOT NULL REFERENCES orders(id),
	category_id      BIGINT NOT NULL REFERENCES categories(id),
	team_id          BIGINT NOT NULL REFERENCES teams(id),
	person_days      DOUBLE PRECISION NOT NULL,
	state            TEXT NOT NULL,
	proposed_team_id BIGINT REFERENCES teams(id),
	override_reason  TEXT NOT NULL DEFAULT '',
	reason           TEXT NOT NULL DEFAULT '',
	dispatched_by    BIGINT REFERENCES users(id),
	dispatched_at    BIGINT NOT NULL,
	answered_by      BIGINT REFERENCES users(id),
	answered_at      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX dispatches_order ON dispatches (order_id, state);
CREATE INDEX dispatches_team ON dispatches (team_id, state);
-- A slot is held by at most one open dispatch.
CREATE UNIQUE INDEX dispatches_open_slot ON dispatches (order_id, category_id) WHERE state IN ('pending', 'confirmed');
