package domain

// Role is what a user may do; every role is bound to a scope.
type Role string

// The roles, from DESIGN.md.
const (
	RoleCommitteeAdmin Role = "committee_admin" // the whole tree
	RoleOrgAdmin       Role = "org_admin"       // an org subtree
	RoleTeamLeader     Role = "team_leader"     // one team
	RoleVolunteer      Role = "volunteer"       // oneself
	RoleSiteContact    Role = "site_contact"    // one site's orders
	RolePublic         Role = "public"          // anyone, no login
)

// Roles lists the roles a user can be granted, most powerful first.
var Roles = []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleTeamLeader, RoleVolunteer, RoleSiteContact}

// AllRoles is Roles plus the anonymous public.
var AllRoles = append(append([]Role{}, Roles...), RolePublic)

// Valid reports whether r can be granted to a user.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// ScopeKind says what a grant's scope id refers to.
type ScopeKind string

// The kinds of scope.
const (
	ScopeAll  ScopeKind = "all"  // committee_admin
	ScopeOrg  ScopeKind = "org"  // org_admin: an org and its subtree
	ScopeTeam ScopeKind = "team" // team_leader
	ScopeSite ScopeKind = "site" // site_contact
	ScopeSelf ScopeKind = "self" // volunteer
)

// ScopeFor returns the scope kind a role is bound to.
func ScopeFor(r Role) ScopeKind {
	switch r {
	case RoleCommitteeAdmin:
		return ScopeAll
	case RoleOrgAdmin:
		return ScopeOrg
	case RoleTeamLeader:
		return ScopeTeam
	case RoleSiteContact:
		return ScopeSite
	default:
		return ScopeSelf
	}
}

// Grant binds a role to a scope. ScopeID is an org, team or site id, or 0.
// For org scopes, OrgPath is the org's materialised path ("/1/4/") so a
// subtree check needs no query.
type Grant struct {
	ID      int64
	UserID  int64
	Role    Role
	ScopeID int64
	OrgPath string
}

// Principal is who is asking: a signed-in user with their grants, or the
// anonymous public when UserID is 0.
type Principal struct {
	UserID             int64
	Username           string
	DisplayName        string
	Grants             []Grant
	MustChangePassword bool
	// MustEnrolTOTP marks an admin who must turn on two-factor sign-in
	// because the committee requires it, before anything else.
	MustEnrolTOTP bool
	// PersonID is the person record linked to the account, or 0. An account
	// acts as a volunteer or team leader only when it is linked to a person:
	// see Acting.
	PersonID int64
	// System marks the program acting on its own (first start, the command
	// line run by the server's operator).
	System bool
}

// Anonymous reports whether p is the public.
func (p Principal) Anonymous() bool { return p.UserID == 0 && !p.System }

// Has reports whether p holds role r in any scope.
func (p Principal) Has(r Role) bool {
	if r == RolePublic {
		return true
	}
	for _, g := range p.Grants {
		if g.Role == r {
			return true
		}
	}
	return false
}

// PersonalRole reports whether r is a role held as a person — a volunteer or
// a team leader — which an account may act in only when it is linked to a
// person record.
func PersonalRole(r Role) bool { return r == RoleVolunteer || r == RoleTeamLeader }

// Acting reports whether grant g of p takes effect. A volunteer or team
// leader grant of an account not linked to a person does not: such an
// account has nobody to sign up, check in or lead as. The policy function and
// ScopeOf consult this and nothing else, so the rule holds in one place.
func (p Principal) Acting(g Grant) bool {
	return p.System || !PersonalRole(g.Role) || p.PersonID != 0
}

// MainRole is the most powerful role p holds, or RolePublic. It is what the
// audit log records as the actor's role.
func (p Principal) MainRole() Role {
	for _, r := range Roles {
		if p.Has(r) {
			return r
		}
	}
	return RolePublic
}

// Caller is a principal making a request from somewhere: what services need
// to authorize a request and to audit what it writes.
type Caller struct {
	Principal
	IP        string
	RequestID string
}

// Actor is how the audit log records the caller.
func (c Caller) Actor() Actor {
	name := c.Username
	if c.Anonymous() {
		name = "public"
	}
	return Actor{UserID: c.UserID, Username: name, Role: c.MainRole(), IP: c.IP, RequestID: c.RequestID}
}
