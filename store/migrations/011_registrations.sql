-- Self-registration (实名注册). A person makes an account at /register and
-- asks for it to be tied to a person record: the one on a roster with the
-- same name and phone, or a new one. The account has no role grants until
-- the registration is approved; approval links the person (people.user_id),
-- grants volunteer and puts the person on the team asked for.
--
-- person_id is the roster entry the phone matched when the registration was
-- made (NULL when none); matched says whether the name matched too. The
-- applicant is never told either. decide_org_id is the org whose admins
-- decide: the matched person's org, else the org chosen, else the asked
-- team's org, else the committee; the asked team's leader decides too.
CREATE TABLE registrations (
	id               {{ID}},
	user_id          BIGINT NOT NULL REFERENCES users(id),
	name             TEXT NOT NULL,
	phone            TEXT NOT NULL,
	gender           TEXT NOT NULL,
	political_status TEXT NOT NULL,
	org_id           BIGINT REFERENCES orgs(id),
	team_id          BIGINT REFERENCES teams(id),
	person_id        BIGINT REFERENCES people(id),
	matched          {{BOOL}} NOT NULL DEFAULT {{FALSE}},
	decide_org_id    BIGINT NOT NULL REFERENCES orgs(id),
	state            TEXT NOT NULL DEFAULT 'pending',
	reason           TEXT NOT NULL DEFAULT '',
	decided_by       BIGINT REFERENCES users(id),
	decided_name     TEXT NOT NULL DEFAULT '',
	decided_at       BIGINT NOT NULL DEFAULT 0,
	created_at       BIGINT NOT NULL,
	CHECK (state IN ('pending', 'approved', 'rejected'))
);
CREATE UNIQUE INDEX registrations_user ON registrations (user_id);
CREATE INDEX registrations_state ON registrations (state, created_at);
CREATE INDEX registrations_team ON registrations (team_id);
CREATE INDEX registrations_decide_org ON registrations (decide_org_id);
