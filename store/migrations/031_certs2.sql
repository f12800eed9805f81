-- Certificates in the official form (民发〔2015〕149号): the snapshot also
-- holds the volunteer number, the ID type, a contact of the issuer and the
-- number in the issuing org's register (证明登记簿). Register numbers run
-- per org per year without gaps: certificate_registers holds the last one
-- given, and is bumped by one conditional upsert in the issuing
-- transaction, so a rolled-back issue gives its number back and two issues
-- never read the same "last" (never count-then-insert).
ALTER TABLE certificates ADD COLUMN volunteer_no TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN id_type TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN contact TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN register_year INTEGER NOT NULL DEFAULT 0;
ALTER TABLE certificates ADD COLUMN register_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE certificates ADD COLUMN register_no TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX certificates_register ON certificates (org_id, register_year, register_seq) WHERE register_seq > 0;
CREATE INDEX certificates_notice ON certificates (issued_at);

CREATE TABLE certificate_registers (
	org_id   BIGINT NOT NULL REFERENCES orgs(id),
	year     INTEGER NOT NULL,
	last_seq INTEGER NOT NULL,
	PRIMARY KEY (org_id, year)
);

-- A volunteer's consent to their ID number going to the national volunteer
-- service information system (the national export): whether, when, and who
-- recorded it (the volunteer on /me, or staff).
ALTER TABLE people ADD COLUMN national_consent {{BOOL}} NOT NULL DEFAULT {{FALSE}};
ALTER TABLE people ADD COLUMN national_consent_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN national_consent_by BIGINT REFERENCES users(id);
