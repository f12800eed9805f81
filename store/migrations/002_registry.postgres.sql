-- Materialised paths compare byte by byte, as in SQLite, so that a subtree is
-- the range [path, path-with-last-'/'-as-'0') whatever the database's
-- collation is.
ALTER TABLE orgs ALTER COLUMN path TYPE TEXT COLLATE "C";
ALTER TABLE regions ALTER COLUMN path TYPE TEXT COLLATE "C";
