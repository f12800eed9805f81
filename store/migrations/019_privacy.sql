-- The personal-data lifecycle. A person erased by the committee keeps their
-- row (hours, attendance and certificates still point at it, so totals do
-- not change) with every personal field cleared; erased_at says when.
-- Orders and suggestions lose their contact details some months after they
-- closed; contact_cleared_at says when, and keeps the housekeeping batch
-- from visiting a row twice.
ALTER TABLE people ADD COLUMN erased_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN contact_cleared_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE suggestions ADD COLUMN contact_cleared_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX orders_contact_retention ON orders (contact_cleared_at, updated_at);
CREATE INDEX suggestions_contact_retention ON suggestions (contact_cleared_at, updated_at);
