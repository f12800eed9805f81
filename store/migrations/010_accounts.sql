-- Accounts tied to people and their administration: the time of each
-- account's last sign-in (0 for never), shown on the account list.
ALTER TABLE users ADD COLUMN last_login_at BIGINT NOT NULL DEFAULT 0;
