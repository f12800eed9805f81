-- Evaluation (评单): the requester rates a served order from 1 to 5 and
-- comments, or files a complaint, with no account. Each order carries an
-- evaluation code of its own (128 random bits, like the tracking code), so
-- that the link to rate can be passed on without the power to cancel. Older
-- orders get theirs when the requester first looks at a served order.

ALTER TABLE orders ADD COLUMN eval_code TEXT;
CREATE UNIQUE INDEX orders_eval_code ON orders (eval_code);

-- One evaluation per order: the unique key makes the code one-time. rating is
-- 1–5, or 0 for a complaint that gives none. A complaint is answered by the
-- committee once; the requester reads the answer on the status page.
CREATE TABLE evaluations (
	id             {{ID}},
	order_id       BIGINT NOT NULL UNIQUE REFERENCES orders(id),
	rating         INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
	comment        TEXT NOT NULL DEFAULT '',
	complaint      {{BOOL}} NOT NULL DEFAULT {{FALSE}},
	complaint_text TEXT NOT NULL DEFAULT '',
	created_at     BIGINT NOT NULL,
	answer         TEXT NOT NULL DEFAULT '',
	answered_by    BIGINT REFERENCES users(id),
	answered_name  TEXT NOT NULL DEFAULT '',
	answered_at    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX evaluations_created ON evaluations (created_at);
CREATE INDEX evaluations_complaint ON evaluations (complaint, answered_at);
