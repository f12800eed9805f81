package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/web/views"
)

// menuSaved maps the saved= value of the menu page to its message.
var menuSaved = map[string]string{
	"added": "menu.saved.added", "updated": "menu.saved.updated",
	"activated": "menu.saved.activated", "deactivated": "menu.saved.deactivated",
}

// menuQuery reads the menu page's filters from a query, keeping only known
// values, and returns them with their canonical query string.
func menuQuery(q url.Values) (service.MenuAdminFilter, string) {
	var f service.MenuAdminFilter
	f.CategoryID, _ = strconv.ParseInt(q.Get("category"), 10, 64)
	f.CategoryID = max(f.CategoryID, 0)
	if a := q.Get("active"); a == "active" || a == "inactive" {
		f.Active = a
	}
	v := url.Values{}
	if f.CategoryID != 0 {
		v.Set("category", strconv.FormatInt(f.CategoryID, 10))
	}
	if f.Active != "" {
		v.Set("active", f.Active)
	}
	return f, v.Encode()
}

func (s *Server) menuAdminPage(w http.ResponseWriter, r *http.Request) error {
	ctx, c := r.Context(), caller(r)
	f, query := menuQuery(r.URL.Query())
	items, err := s.svc.ManagedMenu(ctx, c, f)
	if err != nil {
		return err
	}
	d := views.MenuAdminView{Items: items, CategoryID: f.CategoryID, Active: f.Active, Query: query,
		Saved:     menuSaved[r.URL.Query().Get("saved")],
		CanCommit: domain.Can(c.Principal, domain.ActCategoryManage, domain.Target{})}
	if d.Lookups, err = s.lookups(ctx); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.MenuAdmin(page(r, "menu.admin.title", "menu_admin"), d))
	return nil
}

func (s *Server) newMenuItemPage(w http.ResponseWriter, r *http.Request) error {
	m := domain.MenuItem{Kind: domain.MenuProfessional, Term: domain.TermShort}
	teams, err := s.svc.MenuTeams(r.Context(), caller(r))
	if err != nil {
		return err
	}
	if len(teams) == 1 {
		m.TeamIDs = []int64{teams[0].ID} // a leader offers for their own team
	}
	return s.renderMenuForm(w, r, http.StatusOK, views.MenuAdminForm{Item: m, Teams: teams})
}

func (s *Server) editMenuItemPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := s.svc.ManagedMenuItem(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	return s.renderMenuForm(w, r, http.StatusOK, views.MenuAdminForm{Item: m})
}

// renderMenuForm shows the menu item form. The teams offered are those the
// viewer manages; an existing item's other teams are named as kept.
func (s *Server) renderMenuForm(w http.ResponseWriter, r *http.Request, status int, f views.MenuAdminForm) error {
	ctx, c := r.Context(), caller(r)
	var err error
	if f.Teams == nil {
		if f.Teams, err = s.svc.MenuTeams(ctx, c); err != nil {
			return err
		}
	}
	if f.Item.ID != 0 {
		stored, err := s.svc.ManagedMenuItem(ctx, c, f.Item.ID)
		if err != nil {
			return err
		}
		f.Item.Active = stored.Active
		f.Fixed = fixedTeams(stored, f.Teams)
	}
	if f.Lookups, err = s.lookups(ctx); err != nil {
		return err
	}
	title := "menu.admin.new"
	if f.Item.ID != 0 {
		title = "menu.admin.edit"
	}
	s.render(w, r, status, views.MenuAdminEdit(page(r, title, "menu_admin"), f))
	return nil
}

// fixedTeams names the teams of an item that are not among the teams the
// viewer manages: they stay whatever the viewer submits.
func fixedTeams(m domain.MenuItem, mine []domain.Team) []string {
	var out []string
	for i, id := range m.TeamIDs {
		found := false
		for _, t := range mine {
			found = found || t.ID == id
		}
		if !found && i < len(m.TeamNames) {
			out = append(out, m.TeamNames[i])
		}
	}
	return out
}

func menuItemFromForm(r *http.Request) domain.MenuItem {
	volunteers, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("volunteers")))
	if err != nil {
		volunteers = 0 // reported by validation
	}
	return domain.MenuItem{
		Title: r.PostForm.Get("title"), CategoryID: formID(r, "category_id"), Description: r.PostForm.Get("description"),
		Kind: domain.MenuKind(r.PostForm.Get("kind")), Term: domain.MenuTerm(r.PostForm.Get("term")),
		Duration: r.PostForm.Get("duration"), Volunteers: volunteers,
		RegionIDs: formIDs(r, "region_ids"), TeamIDs: formIDs(r, "team_ids"),
	}
}

func (s *Server) createMenuItem(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	m := menuItemFromForm(r)
	_, err := s.svc.CreateMenuItem(r.Context(), caller(r), m)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderMenuForm(w, r, http.StatusUnprocessableEntity, views.MenuAdminForm{Item: m, Errors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/menu?saved=added", http.StatusSeeOther)
	return nil
}

func (s *Server) updateMenuItem(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	m := menuItemFromForm(r)
	m.ID = id
	err = s.svc.UpdateMenuItem(r.Context(), caller(r), m)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderMenuForm(w, r, http.StatusUnprocessableEntity, views.MenuAdminForm{Item: m, Errors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/menu?saved=updated", http.StatusSeeOther)
	return nil
}

// toggleMenuItem puts an item on the menu (active=1) or takes it off
// (active=0), and returns to the list as it was filtered.
func (s *Server) toggleMenuItem(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	var active bool
	switch r.PostForm.Get("active") {
	case "1":
		active = true
	case "0":
	default:
		return domain.Invalid("active", "err.form")
	}
	if err := s.svc.SetMenuItemActive(r.Context(), caller(r), id, active); err != nil {
		return err
	}
	back, _ := url.ParseQuery(r.PostForm.Get("back"))
	_, query := menuQuery(back)
	saved := "deactivated"
	if active {
		saved = "activated"
	}
	if query != "" {
		query += "&"
	}
	http.Redirect(w, r, "/admin/menu?"+query+"saved="+saved, http.StatusSeeOther)
	return nil
}
