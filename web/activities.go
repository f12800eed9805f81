package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/service"
	"vanguard/store"
	"vanguard/web/views"
)

const activityPageSize = 50

// activityListQuery reads the calendar's filters from the query string:
// team, org, region, category, mode, past, manage and page. Values that are
// not ids or modes are ignored.
func activityListQuery(r *http.Request) views.ActivityListFilter {
	q := r.URL.Query()
	id := func(k string) int64 {
		v, err := strconv.ParseInt(q.Get(k), 10, 64)
		if err != nil || v < 0 {
			return 0
		}
		return v
	}
	f := views.ActivityListFilter{TeamID: id("team"), OrgID: id("org"), RegionID: id("region"),
		CategoryID: id("category"), Past: q.Get("past") == "1", Manage: q.Get("manage") == "1", Page: 1}
	if m := domain.ActivityMode(q.Get("mode")); m.Valid() {
		f.Mode = m
	}
	if d := q.Get("day"); d == "today" || d == "week" {
		f.Day = d
	}
	for _, st := range []domain.ActivityState{domain.ActivityScheduled, domain.ActivityCompleted, domain.ActivityCancelled} {
		if q.Get("state") == string(st) {
			f.State = st
		}
	}
	f.Requests, f.Match = q.Get("requests") == "1", q.Get("match") == "1"
	if pg, _ := strconv.Atoi(q.Get("page")); pg > 1 && pg < 10000 {
		f.Page = pg
	}
	return f
}

// activitiesPage is the calendar: upcoming activities (or past ones) by
// day, with filters, and for a volunteer their own place in each.
func (s *Server) activitiesPage(w http.ResponseWriter, r *http.Request) error {
	ctx, c := r.Context(), caller(r)
	f := activityListQuery(r)
	d := views.ActivitiesView{Filter: f, CanManage: domain.Can(c.Principal, domain.ActActivityManage, domain.Target{})}
	if !d.CanManage {
		d.Filter.Manage = false
	}
	if d.Filter.Match {
		return s.joinablePage(w, r, d)
	}
	now := time.Now()
	d.Now = now
	base := store.ActivityFilter{State: f.State, Requests: f.Requests}
	if from, to, ok := service.DayRange(s.svc.Now(), f.Day); ok {
		base.From, base.To = from, to
	} else if f.Past {
		base.To, base.Desc = now, true
	} else if !f.Requests {
		y, m, day := now.In(domain.ChinaZone).Date()
		base.From = time.Date(y, m, day, 0, 0, 0, 0, domain.ChinaZone)
		base.RunningAt = now // and what began before midnight and still runs
	}
	// The team and org choices come from the activities in the window, so
	// that every signed-in user can filter, registry readers also from the
	// top of their org tree.
	window := base
	window.Limit = 500
	all, _, err := s.svc.Activities(ctx, c, window, d.Filter.Manage)
	if err != nil {
		return err
	}
	var orgs []domain.Org
	if domain.Can(c.Principal, domain.ActRegistryRead, domain.Target{}) {
		if orgs, err = s.svc.OrgTree(ctx, c); err != nil {
			return err
		}
	}
	d.Teams, d.Orgs = activityTeamChoices(all), activityOrgChoices(orgs, all)
	lk, err := s.lookups(ctx)
	if err != nil {
		return err
	}
	d.Regions, d.Categories = lk.Regions, lk.Categories
	lf := base
	lf.TeamID, lf.CategoryID, lf.Mode = f.TeamID, f.CategoryID, f.Mode
	for _, o := range d.Orgs {
		if o.ID == f.OrgID {
			lf.OrgPath = o.Path
		}
	}
	for _, rg := range d.Regions {
		if rg.ID == f.RegionID {
			lf.RegionPath = rg.Path
		}
	}
	lf.Limit, lf.Offset = activityPageSize, (f.Page-1)*activityPageSize
	list, total, err := s.svc.Activities(ctx, c, lf, d.Filter.Manage)
	if err != nil {
		return err
	}
	d.Days = views.GroupByDay(list)
	d.Total = total
	d.Pager = pager("/activities", activityListValues(d.Filter), f.Page, total, activityPageSize)
	if d.Mine, err = s.mySignups(r); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.Activities(page(r, "act.title", "activities"), d))
	return nil
}

// joinablePage is the calendar of the activities a volunteer can still
// join that match their categories and free time: the list behind the
// count on their home page.
func (s *Server) joinablePage(w http.ResponseWriter, r *http.Request, d views.ActivitiesView) error {
	list, err := s.svc.JoinableActivities(r.Context(), caller(r))
	if err != nil {
		return err
	}
	d.Days, d.Total = views.GroupByDay(list), len(list)
	s.render(w, r, http.StatusOK, views.Activities(page(r, "act.title", "activities"), d))
	return nil
}

// activityListValues is the filter as a query string, for the pager.
func activityListValues(f views.ActivityListFilter) url.Values {
	v := url.Values{}
	set := func(k string, id int64) {
		if id > 0 {
			v.Set(k, strconv.FormatInt(id, 10))
		}
	}
	set("team", f.TeamID)
	set("org", f.OrgID)
	set("region", f.RegionID)
	set("category", f.CategoryID)
	if f.Mode != "" {
		v.Set("mode", string(f.Mode))
	}
	if f.Past {
		v.Set("past", "1")
	}
	if f.Manage {
		v.Set("manage", "1")
	}
	if f.Day != "" {
		v.Set("day", f.Day)
	}
	if f.State != "" {
		v.Set("state", string(f.State))
	}
	if f.Requests {
		v.Set("requests", "1")
	}
	return v
}

// mySignups maps activity ids to the calling volunteer's sign-up state; it
// is empty for anyone else.
func (s *Server) mySignups(r *http.Request) (map[int64]domain.SignupState, error) {
	c := caller(r)
	if !domain.Can(c.Principal, domain.ActSignup, domain.Target{UserID: c.UserID}) {
		return nil, nil
	}
	my, err := s.svc.MyActivities(r.Context(), c)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return nil, nil // an account not linked to a person
	} else if err != nil {
		return nil, err
	}
	out := map[int64]domain.SignupState{}
	for _, list := range [][]store.PersonActivity{my.Upcoming, my.Past} {
		for _, pa := range list {
			if pa.Signup != "" {
				out[pa.Activity.ID] = pa.Signup
			}
		}
	}
	return out, nil
}

// activityTeamChoices lists the teams taking part in as, by name.
func activityTeamChoices(as []domain.Activity) []domain.ActivityTeam {
	seen := map[int64]bool{}
	var out []domain.ActivityTeam
	for _, a := range as {
		for _, t := range a.Teams {
			if !seen[t.ID] {
				seen[t.ID] = true
				out = append(out, t)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// activityOrgChoices lists the top two levels of the viewer's org tree and
// every org that organises one of as, in tree order.
func activityOrgChoices(tree []domain.Org, as []domain.Activity) []domain.Org {
	seen := map[int64]bool{}
	var out []domain.Org
	top := -1
	for _, o := range tree {
		if top < 0 || o.Depth < top {
			top = o.Depth
		}
	}
	for _, o := range tree {
		if o.Depth <= top+1 {
			seen[o.ID] = true
			out = append(out, o)
		}
	}
	for _, a := range as {
		if !seen[a.OrgID] {
			seen[a.OrgID] = true
			out = append(out, domain.Org{ID: a.OrgID, Name: a.OrgName, Path: a.OrgPath,
				Depth: strings.Count(a.OrgPath, "/") - 2})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// activitySaved maps ?saved= to the notice the activity page shows.
var activitySaved = map[string]string{
	"created": "act.saved.created", "updated": "act.saved.updated",
	"confirmed": "act.saved.confirmed", "waitlisted": "act.saved.waitlisted", "requested": "act.saved.requested",
	"withdrawn": "act.saved.withdrawn", "approved": "act.saved.approved", "rejected": "act.saved.rejected",
	"cancelled": "act.saved.cancelled", "completed": "act.saved.completed",
}

func (s *Server) activityPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderActivity(w, r, http.StatusOK, views.ActivityPageView{Saved: r.URL.Query().Get("saved")})
}

// renderActivity shows the activity of the path with d's notices and form
// state.
func (s *Server) renderActivity(w http.ResponseWriter, r *http.Request, status int, d views.ActivityPageView) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c := caller(r)
	if d.View, err = s.svc.Activity(r.Context(), c, id); err != nil {
		return err
	}
	if key, ok := activitySaved[d.Saved]; ok {
		d.Saved = key
	} else {
		d.Saved = ""
	}
	if d.Outcome, err = s.svc.ActivityOutcome(r.Context(), c, id); err != nil {
		return err
	}
	d.Now = time.Now()
	d.SeeOrder = d.View.Activity.OrderID != 0 && domain.Can(c.Principal, domain.ActOrderView, domain.Target{})
	s.render(w, r, status, views.ActivityPage(page(r, "act.page_title", "activities"), d))
	return nil
}

// activityBack redirects to the activity's page with a notice.
func activityBack(w http.ResponseWriter, r *http.Request, id int64, saved string) error {
	http.Redirect(w, r, "/activities/"+strconv.FormatInt(id, 10)+"?saved="+saved, http.StatusSeeOther)
	return nil
}

// activityConflict shows a refused step (full, closed, past the cut-off,
// decided already) on the activity's page instead of an error page.
func (s *Server) activityConflict(w http.ResponseWriter, r *http.Request, err error) error {
	if e, ok := errAsConflict(err); ok {
		return s.renderActivity(w, r, http.StatusConflict, views.ActivityPageView{Notice: translate(r, e)})
	}
	return err
}

// signUp gives the calling volunteer a place, a waitlist place, or in open
// mode a request to join; the service decides which.
func (s *Server) signUp(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	state, err := s.svc.SignUp(r.Context(), caller(r), id)
	if err != nil {
		return s.activityConflict(w, r, err)
	}
	return activityBack(w, r, id, string(state))
}

// cancelSignup withdraws the calling volunteer's place.
func (s *Server) cancelSignup(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svc.CancelSignup(r.Context(), caller(r), id); err != nil {
		return s.activityConflict(w, r, err)
	}
	return activityBack(w, r, id, "withdrawn")
}

// decideRequest approves or rejects an open-mode request to join.
func (s *Server) decideRequest(approve bool) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		sid, err := pathID(r, "sid")
		if err != nil {
			return err
		}
		if _, err := s.svc.DecideRequest(r.Context(), caller(r), id, sid, approve); err != nil {
			return s.activityConflict(w, r, err)
		}
		if approve {
			return activityBack(w, r, id, "approved")
		}
		return activityBack(w, r, id, "rejected")
	}
}

// completeActivity records everyone's hours; an order it was made for moves
// to served.
func (s *Server) completeActivity(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	// Completing cannot be undone: the organiser ticks that they have
	// checked who came (a required box, so it works without JavaScript).
	if r.PostForm.Get("confirm") != "1" {
		return s.renderActivity(w, r, http.StatusUnprocessableEntity, views.ActivityPageView{
			Errors: map[string]string{"confirm": i18n.T(r.Context(), "err.activity.complete_confirm")}})
	}
	if _, _, err := s.svc.CompleteActivity(r.Context(), caller(r), id); err != nil {
		return s.activityConflict(w, r, err)
	}
	return activityBack(w, r, id, "completed")
}

// cancelActivity calls an activity off, with a reason for the record.
func (s *Server) cancelActivity(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	var v domain.Validation
	v.Check(reason != "", "reason", "err.required")
	v.Check(len([]rune(reason)) <= 200, "reason", "err.too_long", 200)
	v.Check(domain.CleanText(reason), "reason", "err.text.control")
	err = v.Err()
	if err == nil {
		err = s.svc.CancelActivity(r.Context(), caller(r), id, reason)
	}
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderActivity(w, r, http.StatusUnprocessableEntity, views.ActivityPageView{Errors: errs, Reason: reason})
	} else if err != nil {
		return s.activityConflict(w, r, err)
	}
	return activityBack(w, r, id, "cancelled")
}

// newActivityPage is the empty form, or with ?order= one filled from a
// confirmed order.
func (s *Server) newActivityPage(w http.ResponseWriter, r *http.Request) error {
	f := views.ActivityFormView{Mode: string(domain.ModeUnit), Capacity: "20", CancelHours: "24", ReleaseHours: "0", MinAge: "0"}
	oid, err := strconv.ParseInt(r.URL.Query().Get("order"), 10, 64)
	if err != nil || oid <= 0 {
		// A blank form first offers the confirmed orders waiting for
		// their activity.
		if f.Unarranged, f.UnarrangedTotal, err = s.svc.UnarrangedOrders(r.Context(), caller(r)); err != nil {
			return err
		}
	} else {
		in, err := s.svc.ActivityDraftFromOrder(r.Context(), caller(r), oid)
		if e, ok := errAsConflict(err); ok {
			f.Notice = translate(r, e)
		} else if err != nil {
			return err
		} else {
			f = activityFormOf(in)
		}
	}
	return s.renderActivityForm(w, r, http.StatusOK, f)
}

func (s *Server) editActivityPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.svc.Activity(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	if !v.CanManage {
		return domain.Errorf(domain.CodeForbidden, "err.forbidden")
	}
	if v.Activity.State != domain.ActivityScheduled {
		return domain.Errorf(domain.CodeConflict, "err.activity.closed")
	}
	a := v.Activity
	in := domain.ActivityInput{Title: a.Title, Mode: a.Mode, TeamID: a.TeamID, OrderID: a.OrderID, SiteID: a.SiteID,
		RegionID: a.RegionID, Address: a.Address, StartsAt: a.StartsAt, EndsAt: a.EndsAt, Capacity: a.Capacity,
		CancelHours: int(a.StartsAt.Sub(a.CancelCutoff).Hours() + 0.5), Skills: a.Skills, Description: a.Description,
		ReleaseHours: a.ReleaseHours, Requirements: a.Requirements}
	for _, c := range a.Categories {
		in.CategoryIDs = append(in.CategoryIDs, c.ID)
	}
	for _, t := range a.Teams {
		in.TeamIDs = append(in.TeamIDs, t.ID)
	}
	f := activityFormOf(in)
	f.ID, f.Known = a.ID, a.Teams
	return s.renderActivityForm(w, r, http.StatusOK, f)
}

// activityFormOf fills the form's fields from an input.
func activityFormOf(in domain.ActivityInput) views.ActivityFormView {
	f := views.ActivityFormView{Title: in.Title, Mode: string(in.Mode), TeamID: in.TeamID, OrderID: in.OrderID,
		TeamIDs: in.TeamIDs, CategoryIDs: in.CategoryIDs, SiteID: in.SiteID, RegionID: in.RegionID,
		Address: in.Address, Capacity: strconv.Itoa(in.Capacity), CancelHours: strconv.Itoa(in.CancelHours),
		ReleaseHours: strconv.Itoa(in.ReleaseHours), Skills: strings.Join(in.Skills, "、"), Description: in.Description,
		MinAge: strconv.Itoa(in.Requirements.MinAge), RequiresInsurance: in.Requirements.RequiresInsurance}
	if !in.StartsAt.IsZero() {
		st := in.StartsAt.In(domain.ChinaZone)
		f.Date, f.StartTime = st.Format("2006-01-02"), st.Format("15:04")
		if !in.EndsAt.IsZero() {
			en := in.EndsAt.In(domain.ChinaZone)
			f.EndTime = en.Format("15:04")
			if d := en.Format("2006-01-02"); d != f.Date {
				f.EndDate = d
			}
		}
	}
	return f
}

// renderActivityForm shows the activity form with its choices: the teams
// the caller may organise for (and those already taking part), categories,
// sites and regions.
func (s *Server) renderActivityForm(w http.ResponseWriter, r *http.Request, status int, f views.ActivityFormView) error {
	ctx, c := r.Context(), caller(r)
	var err error
	if f.Teams, err = s.svc.ActivityTeams(ctx, c); err != nil {
		return err
	}
	lk, err := s.lookups(ctx)
	if err != nil {
		return err
	}
	f.Categories, f.Regions = lk.Categories, lk.Regions
	if f.Sites, err = s.svc.PublicSites(ctx); err != nil {
		return err
	}
	if f.ID == 0 && f.TeamID != 0 && !views.HasTeam(f.Teams, f.TeamID) {
		// A draft from an order leads with the first team of its group the
		// caller may organise for.
		f.TeamID = 0
		for _, id := range f.TeamIDs {
			if views.HasTeam(f.Teams, id) {
				f.TeamID = id
				break
			}
		}
	}
	title := "act.new"
	if f.ID != 0 {
		title = "act.edit"
	}
	s.render(w, r, status, views.ActivityForm(page(r, title, "activities"), f))
	return nil
}

// activityInput reads the activity form. Dates and times are China time; a
// field that does not parse stays zero (or -1 for numbers), which
// validation reports next to it.
func activityInput(r *http.Request) (domain.ActivityInput, views.ActivityFormView) {
	pf := r.PostForm
	f := views.ActivityFormView{Title: pf.Get("title"), Mode: pf.Get("mode"), TeamID: formID(r, "team"),
		OrderID: formID(r, "order_id"), TeamIDs: formIDs(r, "teams"), CategoryIDs: formIDs(r, "categories"),
		SiteID: formID(r, "site_id"), RegionID: formID(r, "region_id"), Address: pf.Get("address"),
		Date: strings.TrimSpace(pf.Get("date")), StartTime: strings.TrimSpace(pf.Get("start_time")),
		EndDate: strings.TrimSpace(pf.Get("end_date")), EndTime: strings.TrimSpace(pf.Get("end_time")),
		Capacity: strings.TrimSpace(pf.Get("capacity")), CancelHours: strings.TrimSpace(pf.Get("cancel_hours")),
		ReleaseHours: strings.TrimSpace(pf.Get("release_hours")), Skills: pf.Get("skills"), Description: pf.Get("description")}
	in := domain.ActivityInput{Title: f.Title, Mode: domain.ActivityMode(f.Mode), TeamID: f.TeamID, OrderID: f.OrderID,
		TeamIDs: f.TeamIDs, CategoryIDs: f.CategoryIDs, SiteID: f.SiteID, RegionID: f.RegionID, Address: f.Address,
		Capacity: formNumber(f.Capacity), CancelHours: formNumber(f.CancelHours), Skills: splitSkills(f.Skills),
		Description: f.Description, ReleaseHours: releaseHours(f.ReleaseHours)}
	f.MinAge, f.RequiresInsurance = strings.TrimSpace(pf.Get("min_age")), pf.Get("requires_insurance") != ""
	in.Requirements = domain.ActivityRequirements{MinAge: releaseHours(f.MinAge), RequiresInsurance: f.RequiresInsurance}
	in.StartsAt = chinaTime(f.Date, f.StartTime)
	endDate := f.EndDate
	if endDate == "" {
		endDate = f.Date
	}
	in.EndsAt = chinaTime(endDate, f.EndTime)
	return in, f
}

// formNumber reads a whole number as typed; anything else is -1.
func formNumber(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// chinaTime reads a date and a time of day in China; zero when either does
// not parse.
func chinaTime(date, clock string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", date+" "+clock, domain.ChinaZone)
	if err != nil {
		return time.Time{}
	}
	return t
}

// splitSkills splits the skills field at commas, 、 and line breaks.
func splitSkills(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == '\n' || r == '\r'
	})
}

func (s *Server) createActivity(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	in, f := activityInput(r)
	id, err := s.svc.CreateActivity(r.Context(), caller(r), in)
	if errs, ok := fieldErrors(r, err); ok {
		f.Errors = errs
		return s.renderActivityForm(w, r, http.StatusUnprocessableEntity, f)
	} else if e, ok := errAsConflict(err); ok {
		f.Notice = translate(r, e)
		return s.renderActivityForm(w, r, http.StatusConflict, f)
	} else if err != nil {
		return err
	}
	return activityBack(w, r, id, "created")
}

func (s *Server) updateActivity(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in, f := activityInput(r)
	f.ID = id
	err = s.svc.UpdateActivity(r.Context(), caller(r), id, in)
	if err != nil && (domain.ErrCode(err) == domain.CodeInvalid || domain.ErrCode(err) == domain.CodeConflict) {
		if v, verr := s.svc.Activity(r.Context(), caller(r), id); verr == nil {
			f.Known, f.OrderID = v.Activity.Teams, v.Activity.OrderID
		}
	}
	if errs, ok := fieldErrors(r, err); ok {
		f.Errors = errs
		return s.renderActivityForm(w, r, http.StatusUnprocessableEntity, f)
	} else if e, ok := errAsConflict(err); ok {
		f.Notice = translate(r, e)
		return s.renderActivityForm(w, r, http.StatusConflict, f)
	} else if err != nil {
		return err
	}
	return activityBack(w, r, id, "updated")
}

// orderActivities is the order page's part: the activities made from a
// confirmed order, and whether the caller may arrange one.
func (s *Server) orderActivities(r *http.Request, o domain.Order) ([]domain.Activity, bool, error) {
	c := caller(r)
	list, _, err := s.svc.Activities(r.Context(), c, store.ActivityFilter{OrderID: o.ID, Limit: 100}, false)
	arrange := o.State == domain.OrderConfirmed && domain.Can(c.Principal, domain.ActActivityManage, domain.Target{})
	return list, arrange, err
}

// teamActivities is the team page's part: the team's next and latest
// activities.
func (s *Server) teamActivities(r *http.Request, teamID int64) (views.TeamActivities, error) {
	ctx, c := r.Context(), caller(r)
	now := time.Now()
	var d views.TeamActivities
	var err error
	d.Upcoming, d.UpcomingTotal, err = s.svc.Activities(ctx, c, store.ActivityFilter{TeamID: teamID, From: now, Limit: 20}, false)
	if err != nil {
		return d, err
	}
	d.Past, d.PastTotal, err = s.svc.Activities(ctx, c, store.ActivityFilter{TeamID: teamID, To: now, Desc: true, Limit: 20}, false)
	d.TeamID = teamID
	return d, err
}

// releaseHours reads the release setting; left empty it is off.
func releaseHours(s string) int {
	if s == "" {
		return 0
	}
	return formNumber(s)
}
