-- Check-in that resists fraud (issue 15 item 5). An activity may require
-- the volunteer's position within geo_radius_m metres of (geo_lat, geo_lng);
-- 0 requires none. Each check-in keeps a keyed hash of the phone's device
-- cookie, the position the browser gave ("lat,lng,accuracy"), and a flag
-- for the leader with its note; a flag is cleared with a note, never
-- removed (fraud_cleared_by says who).
ALTER TABLE activities ADD COLUMN geo_lat DOUBLE PRECISION;
ALTER TABLE activities ADD COLUMN geo_lng DOUBLE PRECISION;
ALTER TABLE activities ADD COLUMN geo_radius_m INTEGER NOT NULL DEFAULT 0;

ALTER TABLE attendance ADD COLUMN device TEXT NOT NULL DEFAULT '';
ALTER TABLE attendance ADD COLUMN geo TEXT NOT NULL DEFAULT '';
ALTER TABLE attendance ADD COLUMN fraud_flag TEXT NOT NULL DEFAULT '';
ALTER TABLE attendance ADD COLUMN fraud_note TEXT NOT NULL DEFAULT '';
ALTER TABLE attendance ADD COLUMN fraud_cleared TEXT NOT NULL DEFAULT '';
ALTER TABLE attendance ADD COLUMN fraud_cleared_by BIGINT REFERENCES users(id);
CREATE INDEX attendance_device ON attendance (activity_id, device);
