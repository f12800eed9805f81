-- Sign-in locks per account and client address (issue 12): a lock row
-- names the address it holds for ('*': every address, the slower limit per
-- account), so failures from one address no longer lock the account for
-- everyone. Locks from before hold for every address, as they did.
-- login_failures.ip now holds the address as counted: an IPv4 address, or
-- an IPv6 /64 prefix.
CREATE TABLE login_locks_new (
	username     TEXT NOT NULL,
	ip           TEXT NOT NULL,
	locked_until BIGINT NOT NULL,
	PRIMARY KEY (username, ip)
);
INSERT INTO login_locks_new (username, ip, locked_until) SELECT username, '*', locked_until FROM login_locks;
DROP TABLE login_locks;
ALTER TABLE login_locks_new RENAME TO login_locks;

CREATE INDEX login_failures_username_ip_at ON login_failures (username, ip, at);
