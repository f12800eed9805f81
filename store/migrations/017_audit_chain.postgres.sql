-- The one change a row may still take is being sealed: its HMAC set once,
-- from none, with every other column unchanged. Deletes and truncation stay
-- refused by audit_log_append_only.
CREATE FUNCTION audit_log_seal_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.hmac IS NULL AND NEW.hmac IS NOT NULL
		AND (NEW.id, NEW.at, NEW.user_id, NEW.username, NEW.role, NEW.action, NEW.object_type,
			NEW.object_id, NEW.ip, NEW.request_id, NEW.before_json, NEW.after_json)
		IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.user_id, OLD.username, OLD.role, OLD.action,
			OLD.object_type, OLD.object_id, OLD.ip, OLD.request_id, OLD.before_json, OLD.after_json)
	THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'audit_log is append-only';
END
$$;
DROP TRIGGER audit_log_no_change ON audit_log;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_seal_only();
