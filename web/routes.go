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
		{pattern: "GET /login/totp", action: domain.ActPublic, h: s.loginCodePage},
		{pattern: "POST /login/totp", action: domain.ActPublic, h: s.loginCode},
		{pattern: "GET /lang/{lang}", action: domain.ActPublic, h: s.setLang},
		{pattern: "GET /healthz", action: domain.ActPublic, h: s.healthz},
		{pattern: "GET /readyz", action: domain.ActPublic, h: s.readyz},
		{pattern: "GET /metrics", action: domain.ActPublic, h: s.metricsPage},
		{pattern: "GET /static/", action: domain.ActPublic, h: serveStatic},

		// The public: the menu, ordering and tracking.
		{pattern: "GET /menu", action: domain.ActPublic, h: s.menuPage()},
		{pattern: "GET /menu/{id}", action: domain.ActPublic, h: s.menuItemPage},
		{pattern: "GET /order", action: domain.ActPublic, h: s.orderPage},
		{pattern: "POST /order", action: domain.ActPublic, h: s.placeOrder, maxBody: publicMaxBody},
		{pattern: "GET /track", action: domain.ActPublic, h: s.trackPage},
		{pattern: "POST /track/cancel", action: domain.ActPublic, h: s.cancelOrder, maxBody: publicMaxBody},
		{pattern: "POST /track/find", action: domain.ActPublic, h: s.findOrder, maxBody: publicMaxBody},
		{pattern: "POST /track/code", action: domain.ActPublic, h: s.sendTrackCode, maxBody: publicMaxBody},

		// A signed-in user's own pages.
		{pattern: "GET /{$}", action: domain.ActSelf, h: s.home},
		{pattern: "POST /logout", action: domain.ActSelf, h: s.logout},
		{pattern: "GET /account/password", action: domain.ActSelf, h: s.passwordPage},
		{pattern: "POST /account/password", action: domain.ActSelf, h: s.changePassword},
		{pattern: "GET /account/totp", action: domain.ActSelf, h: s.totpPage},
		{pattern: "POST /account/totp/start", action: domain.ActSelf, h: s.startTOTP},
		{pattern: "POST /account/totp/confirm", action: domain.ActSelf, h: s.confirmTOTP},
		{pattern: "GET /api/v1/me", action: domain.ActSelf, h: s.apiMe},
		{pattern: "GET /account/tokens", action: domain.ActSelf, h: s.tokensPage},
		{pattern: "POST /account/tokens", action: domain.ActSelf, h: s.createToken},
		{pattern: "POST /account/tokens/{id}/revoke", action: domain.ActSelf, h: s.revokeToken},

		// The registry: orgs, regions, sites, people, teams.
		{pattern: "GET /overview", action: domain.ActRegistryRead, h: s.overview},
		{pattern: "GET /orgs", action: domain.ActRegistryRead, h: s.orgsPage},
		{pattern: "POST /orgs", action: domain.ActRegistryWrite, h: s.createOrg},
		{pattern: "POST /orgs/rename", action: domain.ActRegistryWrite, h: s.renameOrg},
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
		{pattern: "POST /people/{id}/id-check", action: domain.ActPersonalRead, h: s.checkIDCard},
		{pattern: "POST /people/{id}/trainings", action: domain.ActRegistryWrite, h: s.addTraining},
		{pattern: "GET /teams", action: domain.ActTeamRead, h: s.teamsPage},
		{pattern: "GET /teams/new", action: domain.ActRegistryWrite, h: s.newTeamPage},
		{pattern: "POST /teams", action: domain.ActRegistryWrite, h: s.createTeam},
		{pattern: "GET /teams/{id}", action: domain.ActTeamRead, h: s.teamPage},
		{pattern: "GET /teams/{id}/edit", action: domain.ActTeamManage, h: s.editTeamPage},
		{pattern: "POST /teams/{id}", action: domain.ActTeamManage, h: s.updateTeam},
		{pattern: "POST /teams/{id}/members", action: domain.ActTeamManage, h: s.addMember},
		{pattern: "POST /teams/{id}/members/{mid}/leave", action: domain.ActTeamManage, h: s.endMembership},

		// The dispatch desk (派单/组团), for the committee.
		{pattern: "GET /desk", action: domain.ActDispatch, h: s.deskPage},
		{pattern: "GET /desk/orders/{id}", action: domain.ActDispatch, h: s.deskOrderPage},
		{pattern: "POST /desk/orders/{id}", action: domain.ActDispatch, h: s.dispatchOrder},
		{pattern: "GET /desk/plan", action: domain.ActDispatch, h: s.planPage},
		{pattern: "POST /desk/plan", action: domain.ActDispatch, h: s.commitPlan},

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

		// The menu, categories and the supply–demand view, for staff.
		{pattern: "GET /admin/menu", action: domain.ActMenuManage, h: s.menuAdminPage},
		{pattern: "GET /admin/menu/new", action: domain.ActMenuManage, h: s.newMenuItemPage},
		{pattern: "POST /admin/menu", action: domain.ActMenuManage, h: s.createMenuItem},
		{pattern: "GET /admin/menu/{id}/edit", action: domain.ActMenuManage, h: s.editMenuItemPage},
		{pattern: "POST /admin/menu/{id}", action: domain.ActMenuManage, h: s.updateMenuItem},
		{pattern: "POST /admin/menu/{id}/toggle", action: domain.ActMenuManage, h: s.toggleMenuItem},
		{pattern: "GET /admin/categories", action: domain.ActCategoryManage, h: s.categoriesPage},
		{pattern: "POST /admin/categories", action: domain.ActCategoryManage, h: s.createCategory},
		{pattern: "POST /admin/categories/{id}", action: domain.ActCategoryManage, h: s.updateCategory},
		{pattern: "POST /admin/categories/{id}/retire", action: domain.ActCategoryManage, h: s.retireCategory},
		{pattern: "POST /admin/categories/{id}/restore", action: domain.ActCategoryManage, h: s.restoreCategory},
		{pattern: "GET /admin/supply", action: domain.ActSupplyRead, h: s.supplyPage},

		// Statistics (issue 14): the page, the records behind each figure, the workbook.
		{pattern: "GET /stats", action: domain.ActStatsView, h: s.statsPage},
		{pattern: "GET /stats/records", action: domain.ActStatsView, h: s.statsRecordsPage},
		{pattern: "GET /stats.xlsx", action: domain.ActStatsView, h: s.exportStats},

		// Orders and the suggestion box, for staff.
		{pattern: "GET /orders", action: domain.ActOrderRead, h: s.workList},
		{pattern: "GET /orders/new", action: domain.ActOrderEnter, h: s.workNewOrder},
		{pattern: "POST /orders", action: domain.ActOrderEnter, h: s.workEnterOrder},
		{pattern: "GET /orders/{id}", action: domain.ActOrderView, h: s.workOrder},
		{pattern: "POST /orders/{id}/accept", action: domain.ActOrderReview, h: s.workAccept},
		{pattern: "POST /orders/{id}/reject", action: domain.ActOrderReview, h: s.workReject},
		{pattern: "POST /orders/{id}/reveal", action: domain.ActPersonalRead, h: s.workReveal},
		{pattern: "GET /suggest", action: domain.ActPublic, h: s.suggestForm},
		{pattern: "POST /suggest", action: domain.ActPublic, h: s.suggestSubmit, maxBody: publicMaxBody},
		{pattern: "GET /suggest/status", action: domain.ActPublic, h: s.suggestStatus},
		{pattern: "GET /admin/suggestions", action: domain.ActSuggestionManage, h: s.adminSuggestions},
		{pattern: "GET /admin/suggestions/{id}", action: domain.ActSuggestionManage, h: s.adminSuggestion},
		{pattern: "POST /admin/suggestions/{id}/reply", action: domain.ActSuggestionManage, h: s.adminSuggestionReply},
		{pattern: "POST /admin/suggestions/{id}/close", action: domain.ActSuggestionManage, h: s.adminSuggestionClose},
		{pattern: "POST /admin/suggestions/{id}/order", action: domain.ActSuggestionManage, h: s.adminSuggestionOrder},
		{pattern: "POST /admin/suggestions/{id}/reveal", action: domain.ActSuggestionManage, h: s.adminSuggestionReveal},

		// Activities (服务活动): calendar, sign-up, attendance, check-in.
		// @activities
		{pattern: "GET /activities", action: domain.ActActivityRead, h: s.activitiesPage},
		{pattern: "GET /activities/new", action: domain.ActActivityManage, h: s.newActivityPage},
		{pattern: "POST /activities", action: domain.ActActivityManage, h: s.createActivity},
		{pattern: "GET /activities/{id}", action: domain.ActActivityRead, h: s.activityPage},
		{pattern: "GET /activities/{id}/edit", action: domain.ActActivityManage, h: s.editActivityPage},
		{pattern: "POST /activities/{id}", action: domain.ActActivityManage, h: s.updateActivity},
		{pattern: "POST /activities/{id}/signup", action: domain.ActSignup, h: s.signUp},
		{pattern: "POST /activities/{id}/cancel", action: domain.ActSignup, h: s.cancelSignup},
		{pattern: "POST /activities/{id}/requests/{sid}/approve", action: domain.ActActivityManage, h: s.decideRequest(true)},
		{pattern: "POST /activities/{id}/requests/{sid}/reject", action: domain.ActActivityManage, h: s.decideRequest(false)},
		{pattern: "POST /activities/{id}/complete", action: domain.ActActivityManage, h: s.completeActivity},
		{pattern: "POST /activities/{id}/cancel-activity", action: domain.ActActivityManage, h: s.cancelActivity},
		{pattern: "GET /activities/{id}/attend-confirm", action: domain.ActAttendConfirm, h: s.attendConfirmPage},
		{pattern: "POST /activities/{id}/attend-confirm", action: domain.ActAttendConfirm, h: s.attendConfirm},

		// On site: the QR code, check-in and check-out, attendance by hand,
		// the printable sign-in sheet, and a volunteer's own service.
		// @checkin
		{pattern: "GET /activities/{id}/onsite", action: domain.ActActivityManage, h: s.onsitePage},
		{pattern: "GET /activities/{id}/qr.svg", action: domain.ActActivityManage, h: s.qrCode},
		{pattern: "POST /activities/{id}/attendance", action: domain.ActActivityManage, h: s.markAttendance},
		{pattern: "POST /activities/{id}/attendance/pair", action: domain.ActActivityManage, h: s.recordPair},
		{pattern: "GET /activities/{id}/sheet", action: domain.ActActivityManage, h: s.sheetPage},
		{pattern: "GET /checkin", action: domain.ActCheckIn, h: s.checkinPage},
		{pattern: "POST /checkin", action: domain.ActCheckIn, h: s.checkin},
		{pattern: "GET /me/service", action: domain.ActSelf, h: s.myServicePage},

		// The personal-data lifecycle: one's own data, erasure, retention.
		// @privacy
		{pattern: "GET /me/data", action: domain.ActOwnData, h: s.myData},
		{pattern: "GET /people/{id}/erase", action: domain.ActPersonErase, h: s.erasePage},
		{pattern: "POST /people/{id}/erase", action: domain.ActPersonErase, h: s.erasePerson},
		{pattern: "GET /admin/privacy", action: domain.ActPrivacyManage, h: s.privacyPage},
		{pattern: "POST /admin/privacy", action: domain.ActPrivacyManage, h: s.savePrivacy},

		// Calendar feeds (日历订阅): the secret address is the authority.
		// @calendar
		{pattern: "GET /cal/{file}", action: domain.ActCalendarFeed, h: s.calendarFeed},
		{pattern: "POST /me/calendar", action: domain.ActSelf, h: s.createMyCalendar},
		{pattern: "POST /me/calendar/revoke", action: domain.ActSelf, h: s.revokeMyCalendar},
		{pattern: "POST /teams/{id}/calendar", action: domain.ActTeamManage, h: s.createTeamCalendar},
		{pattern: "POST /teams/{id}/calendar/revoke", action: domain.ActTeamManage, h: s.revokeTeamCalendar},

		// Evaluation (评单) and complaints.
		// @evaluation
		{pattern: "GET /evaluate", action: domain.ActPublic, h: s.evaluatePage},
		{pattern: "POST /evaluate", action: domain.ActPublic, h: s.evaluate, maxBody: publicMaxBody},
		{pattern: "GET /evaluations", action: domain.ActEvaluationRead, h: s.evaluationsPage},
		{pattern: "GET /admin/complaints", action: domain.ActComplaintManage, h: s.complaintsPage},
		{pattern: "POST /admin/complaints/{id}/answer", action: domain.ActComplaintManage, h: s.answerComplaint},

		// Outcomes (成效) and metrics.
		// @outcomes
		{pattern: "GET /activities/{id}/outcome", action: domain.ActOutcomeRecord, h: s.outcomePage},
		{pattern: "POST /activities/{id}/outcome", action: domain.ActOutcomeRecord, h: s.saveOutcome, maxBody: photoMaxBody},
		{pattern: "POST /activities/{id}/photos", action: domain.ActOutcomeRecord, h: s.uploadPhoto, maxBody: photoMaxBody},
		{pattern: "GET /activities/{id}/photos/{pid}", action: domain.ActActivityRead, h: s.photo},
		{pattern: "POST /activities/{id}/photos/{pid}/delete", action: domain.ActOutcomeRecord, h: s.deletePhoto},
		{pattern: "GET /admin/metrics", action: domain.ActMetricManage, h: s.metricsAdminPage},
		{pattern: "POST /admin/metrics", action: domain.ActMetricManage, h: s.createMetric},
		{pattern: "POST /admin/metrics/{id}", action: domain.ActMetricManage, h: s.updateMetric},
		{pattern: "POST /admin/metrics/{id}/retire", action: domain.ActMetricManage, h: s.retireMetric},
		{pattern: "POST /admin/metrics/{id}/restore", action: domain.ActMetricManage, h: s.restoreMetric},

		// Key-task campaigns and brand projects.
		// @campaigns
		{pattern: "GET /campaigns", action: domain.ActCampaignRead, h: s.campaignsPage},
		{pattern: "GET /campaigns/new", action: domain.ActCampaignManage, h: s.newCampaignPage},
		{pattern: "POST /campaigns", action: domain.ActCampaignManage, h: s.createCampaign},
		{pattern: "GET /campaigns/{id}", action: domain.ActCampaignRead, h: s.campaignPage},
		{pattern: "GET /campaigns/{id}/edit", action: domain.ActCampaignManage, h: s.editCampaignPage},
		{pattern: "POST /campaigns/{id}", action: domain.ActCampaignManage, h: s.updateCampaign},
		{pattern: "POST /campaigns/{id}/batches", action: domain.ActCampaignManage, h: s.addBatch},
		{pattern: "POST /campaigns/{id}/activities", action: domain.ActCampaignManage, h: s.assignActivity},
		{pattern: "GET /projects", action: domain.ActCampaignRead, h: s.projectsPage},
		{pattern: "GET /projects/new", action: domain.ActProjectManage, h: s.newProjectPage},
		{pattern: "POST /projects", action: domain.ActProjectManage, h: s.createProject},
		{pattern: "GET /projects/{id}", action: domain.ActCampaignRead, h: s.projectPage},
		{pattern: "GET /projects/{id}/edit", action: domain.ActProjectManage, h: s.editProjectPage},
		{pattern: "POST /projects/{id}", action: domain.ActProjectManage, h: s.updateProject},
		{pattern: "POST /projects/{id}/activities", action: domain.ActProjectManage, h: s.linkProjectActivity},

		// The annual report (年度工作报告) and its tables as xlsx.
		// @annual
		{pattern: "GET /reports/annual", action: domain.ActAnnualReport, h: s.annualPage},
		{pattern: "GET /reports/annual.xlsx", action: domain.ActAnnualReport, h: s.annualXLSX},

		// Assessment points (党建考核加分): ranking, breakdown, records, rules, adjustments.
		{pattern: "GET /assessment", action: domain.ActAssessRead, h: s.assessPage},
		{pattern: "GET /assessment.xlsx", action: domain.ActAssessRead, h: s.exportAssess},
		{pattern: "POST /assessment/recompute", action: domain.ActAssessManage, h: s.recomputeAssess},
		{pattern: "GET /assessment/orgs/{id}", action: domain.ActAssessRead, h: s.assessOrgPage},
		{pattern: "GET /assessment/orgs/{id}/records", action: domain.ActAssessRead, h: s.assessRecordsPage},
		{pattern: "GET /assessment/rules", action: domain.ActAssessManage, h: s.assessRulesPage},
		{pattern: "POST /assessment/rules", action: domain.ActAssessManage, h: s.saveAssessRules},
		{pattern: "POST /assessment/rules/preview", action: domain.ActAssessManage, h: s.previewAssessRules},
		{pattern: "GET /assessment/adjustments", action: domain.ActAssessManage, h: s.assessAdjustPage},
		{pattern: "POST /assessment/adjustments", action: domain.ActAssessManage, h: s.proposeAdjustment},
		{pattern: "POST /assessment/adjustments/{id}/decide", action: domain.ActAssessManage, h: s.decideAdjustment},

		// Service records, star levels, certificates and /verify.
		// @records
		{pattern: "GET /records/me", action: domain.ActRecordRead, h: s.myRecordsPage},
		{pattern: "GET /records/corrections", action: domain.ActRecordCorrect, h: s.correctionsPage},
		{pattern: "POST /records/corrections/{id}/approve", action: domain.ActRecordApprove, h: s.decideCorrection(true)},
		{pattern: "POST /records/corrections/{id}/reject", action: domain.ActRecordApprove, h: s.decideCorrection(false)},
		{pattern: "GET /records/{id}", action: domain.ActRecordRead, h: s.recordsPage},
		{pattern: "POST /records/{id}/awards", action: domain.ActRegistryWrite, h: s.addAward},
		{pattern: "GET /records/{id}/activities/{activity}", action: domain.ActRecordRead, h: s.recordPage},
		{pattern: "POST /records/{id}/activities/{activity}/corrections", action: domain.ActRecordCorrect, h: s.requestCorrection},
		{pattern: "GET /certificates", action: domain.ActRecordRead, h: s.certificatesPage},
		{pattern: "GET /certificates/new", action: domain.ActCertificateIssue, h: s.newCertificatePage},
		{pattern: "GET /certificates/requests", action: domain.ActCertificateIssue, h: s.certificateRequestsPage},
		{pattern: "POST /certificates/requests/{id}/decline", action: domain.ActCertificateIssue, h: s.declineCertificateRequest},
		{pattern: "POST /records/me/certificate-requests", action: domain.ActRecordRead, h: s.applyForCertificate},
		{pattern: "POST /certificates", action: domain.ActCertificateIssue, h: s.issueCertificate},
		{pattern: "GET /certificates/{id}", action: domain.ActRecordRead, h: s.certificatePage},
		{pattern: "POST /certificates/{id}/revoke", action: domain.ActCertificateIssue, h: s.revokeCertificate},
		{pattern: "GET /verify", action: domain.ActPublic, h: s.verifyPage},

		// Ledgers (台帐): team and org ledgers of the caller's scope, the
		// committee's order register; pages print on A4, xlsx with the same
		// filters.
		// @ledgers
		{pattern: "GET /ledgers", action: domain.ActLedgerRead, h: s.ledgersPage},
		{pattern: "GET /ledgers/teams/{id}", action: domain.ActLedgerRead, h: s.teamLedgerPage},
		{pattern: "GET /ledgers/teams/{id}/ledger.xlsx", action: domain.ActLedgerRead, h: s.teamLedgerXLSX},
		{pattern: "GET /ledgers/orgs/{id}", action: domain.ActLedgerRead, h: s.orgLedgerPage},
		{pattern: "GET /ledgers/orgs/{id}/ledger.xlsx", action: domain.ActLedgerRead, h: s.orgLedgerXLSX},
		{pattern: "GET /ledgers/orders", action: domain.ActOrderRegister, h: s.orderRegisterPage},
		{pattern: "GET /ledgers/orders.xlsx", action: domain.ActOrderRegister, h: s.orderRegisterXLSX},

		// Self-registration (实名注册) and its approval.
		// @register
		{pattern: "GET /register", action: domain.ActPublic, h: s.registerPage},
		{pattern: "POST /register", action: domain.ActPublic, h: s.register, maxBody: publicMaxBody},
		{pattern: "POST /register/code", action: domain.ActPublic, h: s.sendRegisterCode, maxBody: publicMaxBody},
		{pattern: "GET /register/status", action: domain.ActSelf, h: s.registrationStatusPage},
		{pattern: "GET /registrations", action: domain.ActRegistrationApprove, h: s.registrationsPage},
		{pattern: "POST /registrations/{id}/approve", action: domain.ActRegistrationApprove, h: s.approveRegistration},
		{pattern: "POST /registrations/{id}/reject", action: domain.ActRegistrationApprove, h: s.rejectRegistration},

		// The committee's administration.
		{pattern: "GET /admin", action: domain.ActSelf, h: s.adminHub},
		{pattern: "GET /admin/audit", action: domain.ActAuditRead, h: s.auditPage},
		{pattern: "GET /admin/users", action: domain.ActUserManage, h: s.usersPage},
		{pattern: "POST /admin/users", action: domain.ActUserManage, h: s.createUser},

		// Accounts: one account's administration, accounts from a person's
		// page and for a roster at once. The service checks each account.
		// @accounts
		{pattern: "GET /admin/users/{id}", action: domain.ActUserManage, h: s.accountPage},
		{pattern: "POST /admin/users/{id}/disable", action: domain.ActUserManage, h: s.accountAction("disabled", s.disableUser)},
		{pattern: "POST /admin/users/{id}/enable", action: domain.ActUserManage, h: s.accountAction("enabled", s.enableUser)},
		{pattern: "POST /admin/users/{id}/unlock", action: domain.ActUserManage, h: s.accountAction("unlocked", s.unlockUser)},
		{pattern: "POST /admin/users/{id}/reset", action: domain.ActUserManage, h: s.resetPassword},
		{pattern: "POST /admin/users/{id}/role", action: domain.ActUserManage, h: s.changeRole},
		{pattern: "POST /admin/users/{id}/totp/reset", action: domain.ActTOTPReset, h: s.accountAction("totp_reset", s.resetTOTP)},
		{pattern: "GET /admin/security", action: domain.ActSecurityManage, h: s.securityPage},
		{pattern: "POST /admin/security", action: domain.ActSecurityManage, h: s.saveSecurity},
		{pattern: "POST /people/{id}/account", action: domain.ActUserManage, h: s.openAccount},
		{pattern: "POST /people/{id}/link", action: domain.ActUserManage, h: s.linkAccount},
		{pattern: "POST /people/{id}/unlink", action: domain.ActUserManage, h: s.unlinkAccount},
		{pattern: "POST /people/accounts", action: domain.ActUserManage, h: s.bulkAccounts},

		// Notifications: the bell's list, opening one, preferences, one's
		// email; the job queue for the committee.
		// @notifyui
		{pattern: "GET /notifications", action: domain.ActSelf, h: s.notificationsPage},
		{pattern: "POST /notifications/{id}/open", action: domain.ActSelf, h: s.openNotification},
		{pattern: "POST /notifications/read", action: domain.ActSelf, h: s.readAllNotifications},
		{pattern: "GET /account/notifications", action: domain.ActSelf, h: s.notificationPrefsPage},
		{pattern: "POST /account/notifications", action: domain.ActSelf, h: s.saveNotificationPrefs},
		{pattern: "POST /me/email", action: domain.ActSelf, h: s.updateMyEmail},
		{pattern: "GET /admin/jobs", action: domain.ActJobsManage, h: s.jobsPage},
		{pattern: "POST /admin/jobs/{id}/retry", action: domain.ActJobsManage, h: s.jobAction(true)},
		{pattern: "POST /admin/jobs/{id}/cancel", action: domain.ActJobsManage, h: s.jobAction(false)},
		// The JSON API (api_*.go): personal tokens or the session's cookie;
		// errors, paging and ETags as api.go says. The document lists every
		// route here (openapi_test.go).
		// @api
		{pattern: "GET /api/v1/openapi.json", action: domain.ActPublic, h: s.openAPI},
		{pattern: "GET /api/v1/menu", action: domain.ActPublic, h: s.apiMenu},
		{pattern: "POST /api/v1/orders", action: domain.ActPublic, h: s.apiPlaceOrder, maxBody: publicMaxBody},
		{pattern: "GET /api/v1/orders", action: domain.ActOrderRead, h: s.apiOrders},
		{pattern: "POST /api/v1/orders/{id}/accept", action: domain.ActOrderReview, h: s.apiReviewOrder(domain.EventAccept)},
		{pattern: "POST /api/v1/orders/{id}/reject", action: domain.ActOrderReview, h: s.apiReviewOrder(domain.EventReject)},
		{pattern: "GET /api/v1/inbox", action: domain.ActDispatchAnswer, h: s.apiInbox},
		{pattern: "POST /api/v1/inbox/{order}/{team}/confirm", action: domain.ActDispatchAnswer, h: s.apiAnswerDispatch(true)},
		{pattern: "POST /api/v1/inbox/{order}/{team}/decline", action: domain.ActDispatchAnswer, h: s.apiAnswerDispatch(false)},
		{pattern: "GET /api/v1/activities", action: domain.ActActivityRead, h: s.apiActivities},
		{pattern: "GET /api/v1/activities/{id}/attendance", action: domain.ActActivityManage, h: s.apiAttendance},
		{pattern: "POST /api/v1/activities/{id}/attendance", action: domain.ActActivityManage, h: s.apiMarkAttendance},
		{pattern: "POST /api/v1/activities/{id}/signup", action: domain.ActSignup, h: s.apiSignUp},
		{pattern: "POST /api/v1/activities/{id}/cancel", action: domain.ActSignup, h: s.apiCancelSignup},
		{pattern: "POST /api/v1/checkin", action: domain.ActCheckIn, h: s.apiCheckin},
		{pattern: "GET /api/v1/signups", action: domain.ActSignup, h: s.apiSignups},
		{pattern: "GET /api/v1/hours", action: domain.ActRecordRead, h: s.apiHours},
		{pattern: "GET /api/v1/stats", action: domain.ActStatsRead, h: s.apiStats},

		// Records the law asks for and points (issue 15); each part keeps
		// its routes under its own mark.
		// @declare: volunteers' correction requests, declared service, the approval queue
		{pattern: "GET /records/requests", action: domain.ActRecordAsk, h: s.askPage},
		{pattern: "POST /records/requests", action: domain.ActRecordAsk, h: s.ask},
		{pattern: "GET /records/review", action: domain.ActRecordReview, h: s.reviewPage},
		{pattern: "POST /records/review/approve", action: domain.ActRecordReview, h: s.bulkApprove},
		{pattern: "POST /records/review/{id}/decline", action: domain.ActRecordReview, h: s.declineRequest},
		{pattern: "POST /records/review/settings", action: domain.ActRecordReview, h: s.setFlagDays},

		// @rules: duration rules, check-in that resists fraud
		{pattern: "GET /admin/rules", action: domain.ActDurationRules, h: s.rulesPage},
		{pattern: "POST /admin/rules", action: domain.ActDurationRules, h: s.addRule},
		{pattern: "POST /admin/rules/apply", action: domain.ActDurationRules, h: s.applyRule},
		{pattern: "GET /activities/{id}/flags", action: domain.ActActivityManage, h: s.attendanceFlagsPage},
		{pattern: "POST /activities/{id}/flags/{pair}/clear", action: domain.ActActivityManage, h: s.clearFlag},

		// @checkin2: the location requirement, check-in by hand with a reason, clearing a flag
		{pattern: "POST /activities/{id}/checkin-geo", action: domain.ActActivityManage, h: s.setCheckinGeo},
		{pattern: "POST /activities/{id}/attendance/override", action: domain.ActActivityManage, h: s.overrideCheckin},
		{pattern: "POST /activities/{id}/attendance/{att}/flag-clear", action: domain.ActActivityManage, h: s.clearCheckinFlag},

		// @certs2: certificates in the official form, the register, the notice page, the national export
		{pattern: "POST /certificates/requests/{id}/accept", action: domain.ActCertificateIssue, h: s.acceptCertificateRequest},
		{pattern: "GET /certificates/register", action: domain.ActCertificateIssue, h: s.certificateRegisterPage},
		{pattern: "GET /certificates/register.xlsx", action: domain.ActCertificateIssue, h: s.exportCertificateRegister},
		{pattern: "GET /notices/certificates", action: domain.ActPublic, h: s.certificateNoticeOrgsPage},
		{pattern: "GET /notices/{org}/certificates", action: domain.ActPublic, h: s.certificateNoticePage},
		{pattern: "GET /exports/national", action: domain.ActNationalExport, h: s.nationalExportPage},
		{pattern: "POST /me/national-consent", action: domain.ActSelf, h: s.setMyNationalConsent},
		{pattern: "POST /people/{id}/national-consent", action: domain.ActRegistryWrite, h: s.setNationalConsent},

		// @minors: age, guardian consent, insurance
		{pattern: "POST /people/{id}/consent", action: domain.ActRegistryWrite, h: s.recordConsent()},
		{pattern: "POST /people/{id}/insurance", action: domain.ActRegistryWrite, h: s.recordInsurance()},
		{pattern: "POST /people/{id}/birth-date", action: domain.ActRegistryWrite, h: s.setBirthDate()},
		{pattern: "POST /me/insurance", action: domain.ActSelf, h: s.recordMyInsurance},

		// @points: the points ledger, the points shop, honours
		{pattern: "GET /me/points", action: domain.ActSelf, h: s.myPointsPage},
		{pattern: "GET /shop", action: domain.ActShopRedeem, h: s.shopPage},
		{pattern: "POST /shop/items/{id}/redeem", action: domain.ActShopRedeem, h: s.redeem},
		{pattern: "GET /shop/redemptions/{id}", action: domain.ActShopRedeem, h: s.redemptionPage},
		{pattern: "POST /shop/redemptions/{id}/cancel", action: domain.ActShopRedeem, h: s.cancelMyRedemption},
		{pattern: "GET /shop/manage", action: domain.ActShopManage, h: s.shopAdminPage},
		{pattern: "POST /shop/manage/pickup", action: domain.ActShopManage, h: s.pickUp},
		{pattern: "POST /shop/manage/redemptions/{id}/cancel", action: domain.ActShopManage, h: s.cancelRedemption},
		{pattern: "GET /shop/manage/new", action: domain.ActShopManage, h: s.newShopItemPage},
		{pattern: "POST /shop/manage/items", action: domain.ActShopManage, h: s.saveShopItem},
		{pattern: "GET /shop/manage/items/{id}", action: domain.ActShopManage, h: s.shopItemPage},
		{pattern: "POST /shop/manage/items/{id}", action: domain.ActShopManage, h: s.saveShopItem},
		{pattern: "GET /admin/points", action: domain.ActPointsManage, h: s.pointsRatePage},
		{pattern: "POST /admin/points", action: domain.ActPointsManage, h: s.setPointsRate},
		{pattern: "GET /honours", action: domain.ActHonoursList, h: s.honoursPage},
		{pattern: "GET /honours.xlsx", action: domain.ActHonoursList, h: s.honoursExport},
	}
}

func serveStatic(w http.ResponseWriter, r *http.Request) error {
	static.Handler().ServeHTTP(w, r)
	return nil
}
