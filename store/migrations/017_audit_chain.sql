-- The tamper-evident audit log: each row carries an HMAC (hex) chained over
-- the previous row's HMAC and this row's content, keyed with a key kept
-- outside the database (store/auditchain.go). Rows written before this
-- migration have none until the program seals them once on start.
ALTER TABLE audit_log ADD COLUMN hmac TEXT;
