-- The float columns go once their minutes are filled.
ALTER TABLE activity_hours DROP COLUMN hours;
ALTER TABLE record_versions DROP COLUMN hours;
ALTER TABLE record_versions DROP COLUMN previous_hours;
ALTER TABLE record_versions ADD CONSTRAINT record_versions_minutes CHECK (minutes >= 0);
ALTER TABLE certificates DROP COLUMN hours;
ALTER TABLE certificate_items DROP COLUMN hours;
ALTER TABLE trainings DROP COLUMN hours;
