package domain

import "strings"

// Action names something a principal may try to do. Every route is
// registered with one, and services check object-level access with one.
type Action string

// The actions. Later capabilities add theirs here, with a rule below.
const (
	ActPublic           Action = "public"            // pages for everyone: login, health, the public menu
	ActSelf             Action = "self"              // a signed-in user's own pages: home, password, logout
	ActAuditRead        Action = "audit.read"        // the audit log
	ActUserManage       Action = "user.manage"       // accounts and role grants: the committee all, org admins their subtree's
	ActUserGrantAll     Action = "user.grant_all"    // grant committee_admin and manage accounts outside any subtree
	ActPersonalRead     Action = "personal.read"     // show a full phone or ID number
	ActRegistryRead     Action = "registry.read"     // orgs, people, teams and sites in scope
	ActRegistryWrite    Action = "registry.write"    // create and edit them
	ActRegionManage     Action = "region.manage"     // regions, the committee's reference data
	ActTeamRead         Action = "team.read"         // a team's page and roster
	ActTeamManage       Action = "team.manage"       // a team's archive and roster
	ActExport           Action = "registry.export"   // spreadsheets of people and rosters
	ActMenuManage       Action = "menu.manage"       // menu items: the committee all, leaders their team's
	ActCategoryManage   Action = "category.manage"   // categories of service
	ActOrderRead        Action = "order.read"        // the work list of orders in scope
	ActOrderView        Action = "order.view"        // one order: staff in scope, and leaders of a team it was sent to
	ActOrderReview      Action = "order.review"      // accept or reject an order
	ActOrderEnter       Action = "order.enter"       // enter an order from the hotline, a forum, a visit…
	ActOrderPlace       Action = "order.place"       // a site contact orders for their site
	ActSuggestionManage Action = "suggestion.manage" // reply to, close or convert suggestions
	ActSupplyRead       Action = "supply.read"       // the supply–demand view
	ActDispatch         Action = "dispatch.manage"   // the dispatch desk: plan and send orders to teams
	ActDispatchAnswer   Action = "dispatch.answer"   // a team confirms or declines what it was sent

	// Activities (服务活动), sign-up and attendance.
	ActActivityRead   Action = "activity.read"    // the calendar, lists and an activity's page
	ActActivityManage Action = "activity.manage"  // create, edit, approve requests, attendance, the QR code
	ActSignup         Action = "activity.signup"  // a volunteer signs up, cancels, asks to join
	ActCheckIn        Action = "activity.checkin" // a volunteer checks in and out by QR code
	ActAttendConfirm  Action = "activity.attend"  // confirm one's own place in an activity, or give it up; the service finds the caller's own sign-up only

	// Outcomes, evaluation, campaigns, projects, records and certificates.
	ActOutcomeRecord    Action = "outcome.record"    // an activity's outcomes and photos
	ActMetricManage     Action = "metric.manage"     // the list of outcome metrics and their units
	ActEvaluationRead   Action = "evaluation.read"   // evaluations (评单) of orders in scope
	ActComplaintManage  Action = "complaint.manage"  // answer complaints from requesters
	ActCampaignRead     Action = "campaign.read"     // key-task campaigns, batches and their sums
	ActCampaignManage   Action = "campaign.manage"   // create campaigns and batches
	ActProjectManage    Action = "project.manage"    // brand projects
	ActRecordRead       Action = "record.read"       // service records: volunteers their own
	ActRecordCorrect    Action = "record.correct"    // ask for a correction of a service record
	ActRecordApprove    Action = "record.approve"    // approve a correction
	ActCertificateIssue Action = "certificate.issue" // issue service certificates (志愿服务记录证明)

	// Self-registration (实名注册).
	ActRegistrationApprove Action = "registration.approve" // approve or reject a registration: the committee, the deciding org's admins, the asked team's leader

	// Two-factor sign-in (TOTP); turning it on for oneself is ActSelf.
	ActSecurityManage Action = "security.manage" // the security settings: require two-factor for admin roles
	ActTOTPReset      Action = "totp.reset"      // reset another user's two-factor after a lost device
	// The personal-data lifecycle.
	ActOwnData       Action = "personal.own_data" // download the data of the person linked to one's own account, and nobody else's
	ActPersonErase   Action = "person.erase"      // erase a person's personal data, keeping their service as anonymised totals
	ActPrivacyManage Action = "privacy.manage"    // how long orders and suggestions keep their contact details

	// Calendar feeds (日历订阅). Making and revoking one's own feed is
	// ActSelf, a team's feed ActTeamManage on that team.
	ActCalendarFeed Action = "calendar.feed" // read a feed by its secret address: the token is the authority, no sign-in
	ActJobsManage   Action = "jobs.manage"   // the job queue at /admin/jobs: see, retry and cancel background jobs
	// The JSON API.
	ActStatsRead Action = "stats.read" // the statistics summary of the caller's scope: orders by state, activities, person-times, hours

	// The committee's year: statistics, ledgers, assessment points and the
	// annual report. Each reads within the caller's scope: the committee
	// the whole tree, an org admin their subtree, a team leader their team.
	ActStatsView     Action = "stats.view"    // /stats with its drill-through lists and its export
	ActLedgerRead    Action = "ledger.read"   // team and org ledgers (台帐) of the caller's scope
	ActOrderRegister Action = "ledger.orders" // the committee's order register (点单派单台帐)
	ActAssessRead    Action = "assess.read"   // assessment scores and their breakdown: the committee all, an org admin their own org's
	ActAssessManage  Action = "assess.manage" // assessment rules, recomputation, and proposing or approving a manual adjustment
	ActAnnualReport  Action = "report.annual" // the annual report of the caller's scope

	// Records the law asks for, and points (issue 15).
	ActRecordAsk      Action = "record.ask"      // a volunteer asks for a correction of their own record, or declares service done
	ActRecordReview   Action = "record.review"   // decide volunteers' correction requests and declared service: the organising org's admins, the team's leader
	ActDurationRules  Action = "rules.duration"  // the committee's duration rules (时长规则) and applying them to records
	ActNationalExport Action = "export.national" // the export for the national volunteer service information system
	ActPointsManage   Action = "points.manage"   // the rate of points for an hour and other points settings
	ActShopManage     Action = "shop.manage"     // the points shop's items of an org or a site, and confirming pickups
	ActShopRedeem     Action = "shop.redeem"     // a volunteer redeems points for an item
	ActHonoursList    Action = "record.honours"  // the yearly list of top volunteers by hours and points (推先评优)
)

// Target is the object an action touches. The zero Target asks whether the
// principal may perform the action on anything at all, which is what a route
// check needs; services pass the real object for object-level checks.
type Target struct {
	OrgPath string // materialised path of the owning org, "/1/4/"
	TeamID  int64
	SiteID  int64
	UserID  int64 // the user the object belongs to
}

func (t Target) zero() bool { return t == Target{} }

// rule says who may perform an action: anyone, any signed-in user, any
// signed-in user holding some role (not an account still waiting for its
// registration to be approved), or the listed roles within their scope.
type rule struct {
	public   bool
	signedIn bool
	granted  bool
	roles    []Role
}

// policy is the one table of who may do what.
var policy = map[Action]rule{
	ActPublic:           {public: true},
	ActSelf:             {signedIn: true},
	ActAuditRead:        {roles: []Role{RoleCommitteeAdmin}},
	ActUserManage:       {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin}},
	ActUserGrantAll:     {roles: []Role{RoleCommitteeAdmin}},
	ActPersonalRead:     {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin}},
	ActRegistryRead:     {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin}},
	ActRegistryWrite:    {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin}},
	ActRegionManage:     {roles: []Role{RoleCommitteeAdmin}},
	ActTeamRead:         {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleTeamLeader}},
	ActTeamManage:       {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleTeamLeader}},
	ActExport:           {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleTeamLeader}},
	ActMenuManage:       {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleTeamLeader}},
	ActCategoryManage:   {roles: []Role{RoleCommitteeAdmin}},
	ActOrderRead:        {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleSiteContact}},
	ActOrderView:        {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleSiteContact, RoleTeamLeader}},
	ActOrderReview:      {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin}},
	ActOrderEnter:       {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin}},
	ActOrderPlace:       {roles: []Role{RoleSiteContact}},
	ActSuggestionManage: {roles: []Role{RoleCommitteeAdmin}},
	ActSupplyRead:       {roles: []Role{RoleCommitteeAdmin}},
	ActDispatch:         {roles: []Role{RoleCommitteeAdmin}},
	ActDispatchAnswer:   {roles: []Role{RoleCommitteeAdmin, RoleTeamLeader}},

	ActActivityRead:   {granted: true},
	ActActivityManage: {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleTeamLeader}},
	ActSignup:         {roles: []Role{RoleVolunteer}},
	ActCheckIn:        {roles: []Role{RoleVolunteer}},
	ActAttendConfirm:  {granted: true},

	ActOutcomeRecord:    {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleTeamLeader}},
	ActMetricManage:     {roles: []Role{RoleCommitteeAdmin}},
	ActEvaluationRead:   {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleTeamLeader}},
	ActComplaintManage:  {roles: []Role{RoleCommitteeAdmin}},
	ActCampaignRead:     {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleTeamLeader}},
	ActCampaignManage:   {roles: []Role{RoleCommitteeAdmin}},
	ActProjectManage:    {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleTeamLeader}},
	ActRecordRead:       {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleTeamLeader, RoleVolunteer}},
	ActRecordCorrect:    {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleTeamLeader}},
	ActRecordApprove:    {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin}},
	ActCertificateIssue: {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin}},

	ActRegistrationApprove: {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleTeamLeader}},

	ActSecurityManage: {roles: []Role{RoleCommitteeAdmin}},
	ActTOTPReset:      {roles: []Role{RoleCommitteeAdmin}},
	// Any user holding a role may ask for their own data: the service reads
	// only the person linked to the caller's own account, and the request
	// names no person, so nobody else's data is reachable through it.
	ActOwnData:       {granted: true},
	ActPersonErase:   {roles: []Role{RoleCommitteeAdmin}},
	ActPrivacyManage: {roles: []Role{RoleCommitteeAdmin}},

	ActCalendarFeed: {public: true},
	ActJobsManage:   {roles: []Role{RoleCommitteeAdmin}},
	ActStatsRead:    {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleTeamLeader, RoleSiteContact}},

	ActStatsView:     {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleTeamLeader}},
	ActLedgerRead:    {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleTeamLeader}},
	ActOrderRegister: {roles: []Role{RoleCommitteeAdmin}},
	ActAssessRead:    {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin}},
	ActAssessManage:  {roles: []Role{RoleCommitteeAdmin}},
	ActAnnualReport:  {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin}},

	ActRecordAsk:      {roles: []Role{RoleVolunteer}},
	ActRecordReview:   {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleTeamLeader}},
	ActDurationRules:  {roles: []Role{RoleCommitteeAdmin}},
	ActNationalExport: {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin}},
	ActPointsManage:   {roles: []Role{RoleCommitteeAdmin}},
	ActShopManage:     {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleSiteContact}},
	ActShopRedeem:     {roles: []Role{RoleVolunteer}},
	ActHonoursList:    {roles: []Role{RoleCommitteeAdmin, RoleOrgAdmin, RoleTeamLeader}},
}

// Actions lists every action the policy knows, for tests.
func Actions() []Action {
	out := make([]Action, 0, len(policy))
	for a := range policy {
		out = append(out, a)
	}
	return out
}

// Authorize is the policy function: it decides every access. It returns nil
// when p may perform a on t, an unauthorized error when p must sign in first,
// and a forbidden error otherwise. A principal who must change their password,
// or enrol in two-factor sign-in, may do nothing but their own account pages
// until they have.
func Authorize(p Principal, a Action, t Target) error {
	r, ok := policy[a]
	switch {
	case !ok:
		return Errorf(CodeForbidden, "err.forbidden")
	case r.public:
		return nil
	case p.Anonymous():
		return Errorf(CodeUnauthorized, "err.unauthorized")
	case p.MustChangePassword && a != ActSelf:
		return Errorf(CodeForbidden, "err.must_change_password")
	case p.MustEnrolTOTP && a != ActSelf:
		return Errorf(CodeForbidden, "err.must_enrol_totp")
	case r.signedIn, r.granted && (len(p.Grants) > 0 || p.System):
		return nil
	}
	for _, g := range p.Grants {
		if hasRole(r.roles, g.Role) && p.Acting(g) && inScope(p, g, t) {
			return nil
		}
	}
	return Errorf(CodeForbidden, "err.forbidden")
}

// AuthorizeAccount decides whether p may manage an account, or give one a
// role: paths are the org paths the account lies in (the orgs of its grants'
// scopes and of its linked person), and whole is true when the account holds
// or would hold a grant over the whole tree (committee_admin). An account
// with a whole-tree grant, or that lies in no org at all, is the committee's
// alone; any other is managed by whoever covers every one of its paths, so an
// org admin never touches an account that reaches outside their subtree.
func AuthorizeAccount(p Principal, paths []string, whole bool) error {
	if whole || len(paths) == 0 {
		return Authorize(p, ActUserGrantAll, Target{})
	}
	for _, path := range paths {
		if path == "" {
			return Authorize(p, ActUserGrantAll, Target{})
		}
		if err := Authorize(p, ActUserManage, Target{OrgPath: path}); err != nil {
			return err
		}
	}
	return nil
}

// Can is Authorize as a boolean, for deciding what a page shows.
func Can(p Principal, a Action, t Target) bool { return Authorize(p, a, t) == nil }

func hasRole(roles []Role, r Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}

// inScope reports whether grant g of principal p covers target t.
func inScope(p Principal, g Grant, t Target) bool {
	if t.zero() {
		return true
	}
	switch ScopeFor(g.Role) {
	case ScopeAll:
		return true
	case ScopeOrg:
		return g.OrgPath != "" && t.OrgPath != "" && strings.HasPrefix(t.OrgPath, g.OrgPath)
	case ScopeTeam:
		return t.TeamID != 0 && t.TeamID == g.ScopeID
	case ScopeSite:
		return t.SiteID != 0 && t.SiteID == g.ScopeID
	default:
		return t.UserID != 0 && t.UserID == p.UserID
	}
}

// Scope is what part of the registry a principal may list for an action:
// everything, the subtrees under some org paths, and some teams.
type Scope struct {
	All      bool
	OrgPaths []string
	TeamIDs  []int64
	SiteIDs  []int64
}

// Empty reports whether the scope covers nothing.
func (s Scope) Empty() bool {
	return !s.All && len(s.OrgPaths) == 0 && len(s.TeamIDs) == 0 && len(s.SiteIDs) == 0
}

// ScopeOf returns the part of the registry p may list for action a. Lists
// filter by it, so that an org admin sees only their subtree everywhere:
// lists, search, exports and counts.
func ScopeOf(p Principal, a Action) Scope {
	var s Scope
	r, ok := policy[a]
	if !ok || p.Anonymous() || ((p.MustChangePassword || p.MustEnrolTOTP) && a != ActSelf) {
		return s
	}
	for _, g := range p.Grants {
		if !hasRole(r.roles, g.Role) || !p.Acting(g) {
			continue
		}
		switch ScopeFor(g.Role) {
		case ScopeAll:
			s.All = true
		case ScopeOrg:
			if g.OrgPath != "" {
				s.OrgPaths = append(s.OrgPaths, g.OrgPath)
			}
		case ScopeTeam:
			s.TeamIDs = append(s.TeamIDs, g.ScopeID)
		case ScopeSite:
			s.SiteIDs = append(s.SiteIDs, g.ScopeID)
		}
	}
	return s
}
