-- The one change a row may still take is being sealed: its HMAC set once,
-- from none, with every other column unchanged.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (OLD.hmac IS NULL AND NEW.hmac IS NOT NULL
	AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.user_id IS OLD.user_id
	AND NEW.username = OLD.username AND NEW.role = OLD.role AND NEW.action = OLD.action
	AND NEW.object_type = OLD.object_type AND NEW.object_id = OLD.object_id
	AND NEW.ip = OLD.ip AND NEW.request_id = OLD.request_id
	AND NEW.before_json = OLD.before_json AND NEW.after_json = OLD.after_json)
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
