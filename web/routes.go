package web

import (
	"net/http"

	"vanguard/domain"
	"vanguard/web/static"
)

// handler is an HTTP handler that returns an error for the adapter to show.
type handler func(w http.ResponseWriter, r *http.Request) error

// route is one line of the route table: a Go 1.22 pattern, the action the
// policy function must allow, and the handler.
type route struct {
	pattern string
	action  domain.Action
	h       handler
	maxBody int64 // request body limit; 0 means defaultMaxBody
}

const defaultMaxBody = 1 << 20

// routeTable is every route of the platform. A route added here without an
// expectation in the route × role test fails that test.
func (s *Server) routeTable() []route {
	return []route{
		// Public: sign-in, language, health, assets.
		{pattern: "GET /login", action: domain.ActPublic, h: s.loginPage},
		{pattern: "POST /login", action: domain.ActPublic, h: s.login},
		{pattern: "GET /lang/{lang}", action: domain.ActPublic, h: s.setLang},
		{pattern: "GET /healthz", action: domain.ActPublic, h: s.healthz},
		{pattern: "GET /readyz", action: domain.ActPublic, h: s.readyz},
		{pattern: "GET /metrics", action: domain.ActPublic, h: s.metricsPage},
		{pattern: "GET /static/", action: domain.ActPublic, h: serveStatic},

		// A signed-in user's own pages.
		{pattern: "GET /{$}", action: domain.ActSelf, h: s.home},
		{pattern: "POST /logout", action: domain.ActSelf, h: s.logout},
		{pattern: "GET /account/password", action: domain.ActSelf, h: s.passwordPage},
		{pattern: "POST /account/password", action: domain.ActSelf, h: s.changePassword},
		{pattern: "GET /api/v1/me", action: domain.ActSelf, h: s.apiMe},

		// The registry: orgs, regions, sites, people, teams.
		{pattern: "GET /overview", action: domain.ActRegistryRead, h: s.overview},
		{pattern: "GET /orgs", action: domain.ActRegistryRead, h: s.orgsPage},
		{pattern: "POST /orgs", action: domain.ActRegistryWrite, h: s.createOrg},
		{pattern: "GET /regions", action: domain.ActRegistryRead, h: s.regionsPage},
		{pattern: "POST /regions", action: domain.ActRegionManage, h: s.createRegion},
		{pattern: "GET /sites", action: domain.ActRegistryRead, h: s.sitesPage},
		{pattern: "POST /sites", action: domain.ActRegistryWrite, h: s.createSite},
		{pattern: "GET /people", action: domain.ActRegistryRead, h: s.peoplePage},
		{pattern: "GET /people/new", action: domain.ActRegistryWrite, h: s.newPersonPage},
		{pattern: "POST /people", action: domain.ActRegistryWrite, h: s.createPerson},
		{pattern: "GET /people/{id}", action: domain.ActRegistryRead, h: s.personPage},
		{pattern: "GET /people/{id}/edit", action: domain.ActRegistryWrite, h: s.editPersonPage},
		{pattern: "POST /people/{id}", action: domain.ActRegistryWrite, h: s.updatePerson},
		{pattern: "POST /people/{id}/reveal", action: domain.ActPersonalRead, h: s.revealPersonal},
		{pattern: "POST /people/{id}/trainings", action: domain.ActRegistryWrite, h: s.addTraining},
		{pattern: "GET /teams", action: domain.ActTeamRead, h: s.teamsPage},
		{pattern: "GET /teams/new", action: domain.ActRegistryWrite, h: s.newTeamPage},
		{pattern: "POST /teams", action: domain.ActRegistryWrite, h: s.createTeam},
		{pattern: "GET /teams/{id}", action: domain.ActTeamRead, h: s.teamPage},
		{pattern: "GET /teams/{id}/edit", action: domain.ActTeamManage, h: s.editTeamPage},
		{pattern: "POST /teams/{id}", action: domain.ActTeamManage, h: s.updateTeam},
		{pattern: "POST /teams/{id}/members", action: domain.ActTeamManage, h: s.addMember},
		{pattern: "POST /teams/{id}/members/{mid}/leave", action: domain.ActTeamManage, h: s.endMembership},

		// A team's inbox of dispatches (接单).
		{pattern: "GET /inbox", action: domain.ActDispatchAnswer, h: s.inboxPage},
		{pattern: "POST /inbox/{order}/{team}/confirm", action: domain.ActDispatchAnswer, h: s.answerDispatch(true)},
		{pattern: "POST /inbox/{order}/{team}/decline", action: domain.ActDispatchAnswer, h: s.answerDispatch(false)},

		// A volunteer's own record.
		{pattern: "GET /me", action: domain.ActSelf, h: s.mePage},
		{pattern: "POST /me", action: domain.ActSelf, h: s.updateMe},

		// Excel: templates, imports, exports.
		{pattern: "GET /people/template.xlsx", action: domain.ActRegistryWrite, h: s.peopleTemplate},
		{pattern: "GET /people/import", action: domain.ActRegistryWrite, h: s.peopleImportPage},
		{pattern: "POST /people/import", action: domain.ActRegistryWrite, h: s.importPeople, maxBody: importMaxBody},
		{pattern: "GET /people/export.xlsx", action: domain.ActExport, h: s.exportPeople},
		{pattern: "GET /teams/template.xlsx", action: domain.ActTeamManage, h: s.rosterTemplate},
		{pattern: "GET /teams/{id}/import", action: domain.ActTeamManage, h: s.rosterImportPage},
		{pattern: "POST /teams/{id}/import", action: domain.ActTeamManage, h: s.importRoster, maxBody: importMaxBody},
		{pattern: "GET /teams/{id}/roster.xlsx", action: domain.ActExport, h: s.exportRoster},

		// The committee's administration.
		{pattern: "GET /admin/audit", action: domain.ActAuditRead, h: s.auditPage},
		{pattern: "GET /admin/users", action: domain.ActUserManage, h: s.usersPage},
		{pattern: "POST /admin/users", action: domain.ActUserManage, h: s.createUser},
	}
}

func serveStatic(w http.ResponseWriter, r *http.Request) error {
	static.Handler().ServeHTTP(w, r)
	return nil
}
