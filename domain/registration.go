package domain

import (
	"strings"
	"time"
)

// RegistrationState is where a self-registration (实名注册) stands.
type RegistrationState string

// The registration states: pending until an approver decides.
const (
	RegistrationPending  RegistrationState = "pending"
	RegistrationApproved RegistrationState = "approved"
	RegistrationRejected RegistrationState = "rejected"
)

// RegistrationStates lists them in the order filters show.
var RegistrationStates = []RegistrationState{RegistrationPending, RegistrationApproved, RegistrationRejected}

// Registration is a person's request, made with a new account, to be tied to
// a person record and to join a team. Phone is the full number: pages show
// it masked.
type Registration struct {
	ID              int64
	UserID          int64
	Username        string
	Name            string
	Phone           string
	Gender          Gender
	PoliticalStatus PoliticalStatus
	OrgID           int64 // the org chosen; 0 for "no org" (群众)
	OrgName         string
	TeamID          int64 // the team asked to join; 0 for none
	TeamName        string
	// PersonID is the roster entry whose phone matched when the registration
	// was made; Matched says whether its name matched too. The applicant is
	// never told either; approvers see them.
	PersonID   int64
	PersonName string
	Matched    bool
	// DecideOrgID and DecideOrgPath are the org whose admins decide: the
	// matched person's, else the chosen one, else the team's, else the
	// committee.
	DecideOrgID   int64
	DecideOrgName string
	DecideOrgPath string
	State         RegistrationState
	Reason        string // why it was rejected, for the applicant
	DecidedBy     int64
	DecidedName   string
	DecidedAt     time.Time
	CreatedAt     time.Time
}

// Target is the registration as an object of the policy: the deciding org's
// admins and the asked team's leader may approve it.
func (r Registration) Target() Target { return Target{OrgPath: r.DecideOrgPath, TeamID: r.TeamID} }

// RegistrationInput is the /register form as typed.
type RegistrationInput struct {
	Name            string
	Phone           string
	Gender          string
	PoliticalStatus string
	Org             string // an org's label from the list; "" for none
	Team            string // a team's label from the list; "" for none
	// OrgID and TeamID are what the service found for the labels, 0 when
	// nothing on the list has that label.
	OrgID, TeamID int64
	Username      string
	Password      string
	Confirm       string
	Consent       bool
	// PhoneCode is the code sent by SMS, once a PhoneVerifier checks one.
	PhoneCode string
}

// ValidRegistration is a validated RegistrationInput.
type ValidRegistration struct {
	Name            string
	Phone           string
	Gender          Gender
	PoliticalStatus PoliticalStatus
	Username        string
	Password        string
	OrgID           int64
	TeamID          int64
}

// Validate checks the form's fields that need no lookup and returns them
// normalised, or an invalid error naming every bad field. A party member, a
// probationary member, a league member or an activist names their org; only
// the masses (群众) may leave it empty.
func (in RegistrationInput) Validate() (ValidRegistration, error) {
	var v Validation
	out := ValidRegistration{
		Name:            ValidateName(&v, "name", in.Name, 40),
		Phone:           NormalizePhone(in.Phone),
		Gender:          Gender(strings.TrimSpace(in.Gender)),
		PoliticalStatus: PoliticalStatus(strings.TrimSpace(in.PoliticalStatus)),
		Username:        NormalizeUsername(in.Username),
		Password:        in.Password,
		OrgID:           in.OrgID,
		TeamID:          in.TeamID,
	}
	if out.Phone == "" {
		v.Add("phone", "err.required")
	} else {
		v.Check(ValidPhone(out.Phone), "phone", "err.phone")
	}
	v.Check(out.Gender == GenderMale || out.Gender == GenderFemale, "gender", "err.gender")
	known := false
	for _, s := range PoliticalStatuses {
		known = known || s == out.PoliticalStatus
	}
	v.Check(known, "political_status", "err.political_status")
	switch {
	case strings.TrimSpace(in.Org) != "":
		v.Check(in.OrgID > 0, "org", "err.register.org_unknown")
	case known && out.PoliticalStatus != Masses:
		v.Add("org", "err.register.org_required")
	}
	v.Check(strings.TrimSpace(in.Team) == "" || in.TeamID > 0, "team", "err.register.team_unknown")
	v.AddErr(ValidateUsername(out.Username))
	v.AddErr(ValidatePassword("password", in.Password, out.Username))
	v.Check(in.Password == in.Confirm, "confirm", "err.password.mismatch")
	v.Check(in.Consent, "consent", "err.register.consent")
	return out, v.Err()
}

// SameName reports whether two ways of writing a person's name are the same
// name: spaces, full-width ones too, do not count, and the dots between the
// parts of a name ("阿木尔·巴特尔") are one character whichever was typed.
func SameName(a, b string) bool {
	strip := strings.NewReplacer(" ", "", "\u3000", "", "\u00a0", "", "•", "·", "．", "·")
	return strip.Replace(strings.TrimSpace(a)) == strip.Replace(strings.TrimSpace(b))
}
