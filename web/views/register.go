package views

import (
	"context"

	"vanguard/domain"
)

func orgOrNone(ctx context.Context, name string) string {
	if name == "" {
		return T(ctx, "register.no_org")
	}
	return name
}

// rosterNote says what the roster holds for a registration's phone, for the
// approver (the applicant is never told).
func rosterNote(ctx context.Context, r domain.Registration) string {
	switch {
	case r.PersonID != 0 && r.Matched:
		return T(ctx, "register.roster.match", r.PersonName, r.DecideOrgName)
	case r.PersonID != 0:
		return T(ctx, "register.roster.other_name", r.PersonName, r.DecideOrgName)
	default:
		return T(ctx, "register.roster.new", r.DecideOrgName)
	}
}

func registrationStateClass(s domain.RegistrationState) string {
	switch s {
	case domain.RegistrationApproved:
		return "state-ordered"
	case domain.RegistrationRejected:
		return "state-closed"
	default:
		return "state-open"
	}
}

func currentIf(b bool) string {
	if b {
		return "page"
	}
	return ""
}

func boolAttr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// registrationStateKey names a state's catalogue key.
func registrationStateKey(s domain.RegistrationState) string {
	switch s {
	case domain.RegistrationApproved:
		return "register.state.approved"
	case domain.RegistrationRejected:
		return "register.state.rejected"
	default:
		return "register.state.pending"
	}
}

func registrationDoneKey(done string) string {
	if done == "rejected" {
		return "register.done.rejected"
	}
	return "register.done.approved"
}
