-- The audit log is append-only: no code path may change, remove or truncate
-- a row.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Prefix filters on the action ("user.") use LIKE; with a non-C collation
-- PostgreSQL needs text_pattern_ops for an index to serve them.
CREATE INDEX audit_log_action_prefix ON audit_log (action text_pattern_ops, id);
