package service

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"vanguard/domain"
	"vanguard/store"
)

// Self-registration (实名注册): a person makes an account at /register and
// asks to be tied to a person record. If the phone and name match a person
// on a roster, approval links that person; otherwise approval creates one.
// Either way the applicant hears the same thing, so the form cannot be used
// to find out whether a phone is on a roster. Until approved the account has
// no role grant and sees public pages and its own status only.

// Registration limits: a village office or a carrier's NAT puts many people
// behind one address, so the address limit is generous; one phone number
// registers a few times a day at most.
const (
	registerIPLimit     = 20
	registerIPWindow    = time.Hour
	registerPhoneLimit  = 3
	registerPhoneWindow = 24 * time.Hour
	rateRegisterIP      = "registration.ip"
	rateRegisterPhone   = "registration.phone"
	rejectReasonMax     = 200
)

// PhoneVerifier checks that the person registering holds the phone number
// they typed. It is called by Register once the form is valid and the name
// free, before anything else is written, with the number and the code the
// person typed (RegistrationInput.PhoneCode); an error refuses the
// registration and should be domain.Invalid("phone_code", …) so the form
// shows it under the code field. With a gateway (SetGatewayEnabled) the
// verifier is the SMS code sent by SendRegisterCode (phonecodes.go);
// without one NoPhoneVerification accepts every number.
type PhoneVerifier interface {
	Verify(ctx context.Context, phone, code string) error
}

// NoPhoneVerification is the PhoneVerifier without an SMS gateway: it
// accepts every number, and approvers check the person instead.
type NoPhoneVerification struct{}

// Verify accepts every phone number.
func (NoPhoneVerification) Verify(context.Context, string, string) error { return nil }

// SetPhoneVerifier plugs in how phone numbers are verified at registration,
// in place of the one SetGatewayEnabled chooses.
func (s *Service) SetPhoneVerifier(v PhoneVerifier) { s.phones = v }

func (s *Service) phoneVerifier() PhoneVerifier {
	switch {
	case s.phones != nil:
		return s.phones
	case s.PhoneCodesOn():
		return smsVerifier{s}
	}
	return NoPhoneVerification{}
}

// Choice is an org or a team as the registration form lists it: by a label
// that is unique on the list (the name, with its parent's name when two
// share a name), never by a number.
type Choice struct {
	ID    int64
	Label string
}

// RegistrationChoices are the lists the form offers.
type RegistrationChoices struct {
	Orgs  []Choice
	Teams []Choice
}

// RegistrationChoices lists every org and team by name for the public form.
// Their names are public: the menu names the teams, and a person must find
// their own party organisation.
func (s *Service) RegistrationChoices(ctx context.Context) (RegistrationChoices, error) {
	orgs, err := s.store.ListOrgs(ctx, domain.Scope{All: true})
	if err != nil {
		return RegistrationChoices{}, err
	}
	teams, err := s.store.ListTeams(ctx, store.TeamFilter{Scope: domain.Scope{All: true}})
	if err != nil {
		return RegistrationChoices{}, err
	}
	names := map[int64]string{}
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	var c RegistrationChoices
	oc := make([]choiceSrc, len(orgs))
	for i, o := range orgs {
		oc[i] = choiceSrc{o.ID, o.Name, names[o.ParentID]}
	}
	c.Orgs = uniqueLabels(oc)
	tc := make([]choiceSrc, len(teams))
	for i, t := range teams {
		tc[i] = choiceSrc{t.ID, t.Name, t.OrgName}
	}
	c.Teams = uniqueLabels(tc)
	return c, nil
}

type choiceSrc struct {
	id           int64
	name, parent string
}

// uniqueLabels labels each choice by its name, adding the parent's name to
// names that repeat, and the id as a last resort so that no label repeats.
func uniqueLabels(src []choiceSrc) []Choice {
	count := map[string]int{}
	for _, x := range src {
		count[x.name]++
	}
	seen := map[string]bool{}
	out := make([]Choice, 0, len(src))
	for _, x := range src {
		label := x.name
		if count[x.name] > 1 && x.parent != "" {
			label = x.name + "（" + x.parent + "）"
		}
		if seen[label] {
			continue // two of one name under one parent: not choosable by name
		}
		seen[label] = true
		out = append(out, Choice{ID: x.id, Label: label})
	}
	return out
}

func findChoice(list []Choice, label string) (int64, bool) {
	if label = strings.TrimSpace(label); label == "" {
		return 0, false
	}
	for _, c := range list {
		if c.Label == label {
			return c.ID, true
		}
	}
	return 0, false
}

// Register creates an account without any role, a pending registration for
// it and a session, in one audited transaction, and returns the session's
// cookie value. It is for the public only; it is limited per address and per
// phone number, and it answers alike whether or not the phone is on a
// roster.
func (s *Service) Register(ctx context.Context, c domain.Caller, in domain.RegistrationInput, userAgent string) (string, error) {
	if !c.Anonymous() {
		return "", domain.Errorf(domain.CodeConflict, "err.register.signed_in")
	}
	choices, err := s.RegistrationChoices(ctx)
	if err != nil {
		return "", err
	}
	in.OrgID, _ = findChoice(choices.Orgs, in.Org)
	in.TeamID, _ = findChoice(choices.Teams, in.Team)
	v, err := in.Validate()
	if err != nil {
		return "", err
	}
	// A taken name is said before anything is counted; the phone's code is
	// used up only after that, so that choosing another name needs no new
	// code; the limits are counted and committed before the costly hash,
	// so that a refused or failing attempt still counts and nobody hashes
	// without limit.
	if _, err := s.store.UserByUsername(ctx, v.Username); err == nil {
		return "", domain.Invalid("username", "err.username.taken")
	} else if domain.ErrCode(err) != domain.CodeNotFound {
		return "", err
	}
	if err := s.phoneVerifier().Verify(ctx, v.Phone, strings.TrimSpace(in.PhoneCode)); err != nil {
		return "", err
	}
	if err := s.store.Housekeep(ctx, func(tx *store.Tx) error { return s.allowRegistration(tx, c.IP, v.Phone) }); err != nil {
		return "", err
	}
	hash, err := s.hasher.Hash(v.Password)
	if err != nil {
		return "", err
	}
	id, secret := randomToken(), randomToken()
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		uid, err := tx.CreateUser(store.NewUser{Username: v.Username, DisplayName: v.Name, PasswordHash: hash})
		if err != nil {
			return err
		}
		n, err := s.newRegistration(ctx, tx, v)
		if err != nil {
			return err
		}
		n.UserID = uid
		if _, err := tx.CreateRegistration(n); err != nil {
			return err
		}
		return tx.CreateSession(store.Session{
			ID: id, SecretHash: hashSecret(secret), UserID: uid, IP: c.IP, UserAgent: truncate(userAgent, 200),
		})
	})
	if err != nil {
		return "", err
	}
	return id + "." + secret, nil
}

// allowRegistration counts one registration against the address's and the
// phone's limits. The phone is counted under its keyed hash, so the limits
// table holds no phone numbers.
func (s *Service) allowRegistration(tx *store.Tx, ip, phone string) error {
	ok, err := tx.Allow(rateRegisterIP, ip, registerIPLimit, registerIPWindow)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.CodeTooMany, "err.rate.register", registerIPLimit)
	}
	ok, err = tx.Allow(rateRegisterPhone, s.KeyedHash("rate_phone", phone), registerPhoneLimit, registerPhoneWindow)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.CodeTooMany, "err.rate.register_phone", registerPhoneLimit)
	}
	return nil
}

// newRegistration matches a registration against the roster by phone and
// name and works out whose admins decide it.
func (s *Service) newRegistration(ctx context.Context, tx *store.Tx, v domain.ValidRegistration) (store.NewRegistration, error) {
	n := store.NewRegistration{Name: v.Name, Phone: v.Phone, Gender: v.Gender, PoliticalStatus: v.PoliticalStatus,
		OrgID: v.OrgID, TeamID: v.TeamID}
	e, found, err := tx.RosterByPhone(v.Phone)
	if err != nil {
		return n, err
	}
	switch {
	case found:
		n.PersonID, n.Matched, n.DecideOrgID = e.PersonID, domain.SameName(e.Name, v.Name), e.OrgID
	case v.OrgID != 0:
		n.DecideOrgID = v.OrgID
	case v.TeamID != 0:
		t, err := s.store.TeamByID(ctx, v.TeamID)
		if err != nil {
			return n, err
		}
		n.DecideOrgID = t.OrgID
	default:
		if n.DecideOrgID, err = s.store.RootOrgID(ctx); err != nil {
			return n, err
		}
	}
	return n, nil
}

// MyRegistration returns the registration the caller's account was made
// with; found is false for accounts made otherwise.
func (s *Service) MyRegistration(ctx context.Context, c domain.Caller) (r domain.Registration, found bool, err error) {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return r, false, err
	}
	r, err = s.store.RegistrationByUser(ctx, c.UserID)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return domain.Registration{}, false, nil
	}
	return r, err == nil, err
}

// Registrations lists the registrations in a state that the caller may
// decide: the committee all, org admins those their subtree decides, team
// leaders those asking for their team.
func (s *Service) Registrations(ctx context.Context, c domain.Caller, state domain.RegistrationState, offset, limit int) ([]domain.Registration, int, error) {
	if err := domain.Authorize(c.Principal, domain.ActRegistrationApprove, domain.Target{}); err != nil {
		return nil, 0, err
	}
	return s.store.ListRegistrations(ctx, store.RegistrationFilter{
		Scope: domain.ScopeOf(c.Principal, domain.ActRegistrationApprove), State: state, Offset: offset, Limit: limit,
	})
}

// PendingRegistrations counts the registrations waiting for the caller, for
// their to-do list; 0 for those who decide none.
func (s *Service) PendingRegistrations(ctx context.Context, c domain.Caller) (int, error) {
	if !domain.Can(c.Principal, domain.ActRegistrationApprove, domain.Target{}) {
		return 0, nil
	}
	return s.store.CountPendingRegistrations(ctx, domain.ScopeOf(c.Principal, domain.ActRegistrationApprove))
}

// decidable loads a pending registration the caller may decide.
func (s *Service) decidable(ctx context.Context, c domain.Caller, id int64) (domain.Registration, error) {
	r, err := s.store.RegistrationByID(ctx, id)
	if err != nil {
		return r, err
	}
	if err := domain.Authorize(c.Principal, domain.ActRegistrationApprove, r.Target()); err != nil {
		return r, err
	}
	if r.State != domain.RegistrationPending {
		return r, domain.Errorf(domain.CodeConflict, "err.registration.decided")
	}
	return r, nil
}

// ApproveRegistration approves a pending registration: it links the person
// on file with the registration's phone (matched when it was made, or since)
// or creates the person, grants the account the volunteer role and puts the
// person on the team asked for, in one audited transaction.
func (s *Service) ApproveRegistration(ctx context.Context, c domain.Caller, id int64) error {
	r, err := s.decidable(ctx, c, id)
	if err != nil {
		return err
	}
	today := s.chinaToday()
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		e, found, err := tx.RosterByPhone(r.Phone)
		if err != nil {
			return err
		}
		personID := e.PersonID
		if found {
			// The person on file is linked only by someone who may act on
			// them: their org's admins, or the leader of a team they are on
			// already. A leader cannot take over a stranger's record by
			// approving a registration that names their phone.
			if r.PersonID != 0 && r.PersonID != e.PersonID {
				return domain.Errorf(domain.CodeConflict, "err.registration.roster_changed")
			}
			t, err := tx.PersonTarget(e.PersonID, r.TeamID)
			if err != nil {
				return err
			}
			if !domain.Can(c.Principal, domain.ActRegistrationApprove, t) {
				return domain.Errorf(domain.CodeForbidden, "err.registration.org_decides")
			}
		} else {
			org, err := s.newPersonOrg(tx, c, r)
			if err != nil {
				return err
			}
			personID, err = tx.CreatePerson(domain.ValidPerson{Name: r.Name, Gender: r.Gender, Phone: r.Phone,
				PoliticalStatus: r.PoliticalStatus, OrgID: org}, store.SealedID{})
			if err != nil {
				return err
			}
		}
		if err := tx.ApproveRegistration(r, personID); err != nil {
			return err
		}
		if r.TeamID == 0 {
			return nil
		}
		_, err = tx.AddMember(r.TeamID, personID, domain.MemberRegular, today)
		if e, ok := domain.AsError(err); ok && e.Key == "err.member.already" {
			return nil // on the team already
		}
		return err
	})
}

// newPersonOrg is the org a registration's new person joins: the one they
// named when the approver may act on it, else the asked team's org (a
// leader approves people into their own team's org, not into any org the
// applicant typed), else the deciding org.
func (s *Service) newPersonOrg(tx *store.Tx, c domain.Caller, r domain.Registration) (int64, error) {
	if r.OrgID != 0 {
		t, err := tx.OrgTarget(r.OrgID)
		if err != nil {
			return 0, err
		}
		if domain.Can(c.Principal, domain.ActRegistrationApprove, t) {
			return r.OrgID, nil
		}
	}
	if r.TeamID != 0 {
		return tx.TeamOrg(r.TeamID)
	}
	return r.DecideOrgID, nil
}

// RejectRegistration rejects a pending registration with a reason the
// applicant reads on their status page. The account stays, without a role.
func (s *Service) RejectRegistration(ctx context.Context, c domain.Caller, id int64, reason string) error {
	r, err := s.decidable(ctx, c, id)
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	var v domain.Validation
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		v.Add("reason", "err.required")
	case n > rejectReasonMax:
		v.Add("reason", "err.too_long", rejectReasonMax)
	case !domain.CleanText(reason):
		v.Add("reason", "err.text")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.RejectRegistration(r, reason) })
}
