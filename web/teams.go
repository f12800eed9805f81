package web

import (
	"net/http"
	"strconv"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/web/views"
)

func (s *Server) teamsPage(w http.ResponseWriter, r *http.Request) error {
	kind := r.URL.Query().Get("kind")
	if kind != string(domain.TeamParty) && kind != string(domain.TeamYouth) {
		kind = ""
	}
	c := caller(r)
	teams, err := s.svc.Teams(r.Context(), c, store.TeamFilter{Kind: domain.TeamKind(kind)})
	if err != nil {
		return err
	}
	d := views.TeamsList{Teams: teams, Kind: kind, CanWrite: domain.Can(c.Principal, domain.ActRegistryWrite, domain.Target{})}
	s.render(w, r, http.StatusOK, views.Teams(page(r, "teams.title", "teams"), d))
	return nil
}

func (s *Server) teamPage(w http.ResponseWriter, r *http.Request) error {
	saved := ""
	if r.URL.Query().Get("saved") == "1" {
		saved = "teams.saved"
	}
	return s.renderTeam(w, r, http.StatusOK, views.TeamView{Saved: saved})
}

func (s *Server) renderTeam(w http.ResponseWriter, r *http.Request, status int, d views.TeamView) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, c := r.Context(), caller(r)
	t, roster, err := s.svc.Team(ctx, c, id)
	if err != nil {
		return err
	}
	d.Team, d.Roster, d.Today = t, roster, today()
	d.CanManage = domain.Can(c.Principal, domain.ActTeamManage, t.Target())
	if d.Credit, err = s.svc.TeamCredit(ctx, c, t); err != nil {
		return err
	}
	if d.Lookups, err = s.lookups(ctx); err != nil {
		return err
	}
	if d.Activities, err = s.teamActivities(r, t.ID); err != nil {
		return err
	}
	if d.CanManage && d.Calendar.Action == "" {
		f, err := s.svc.TeamCalendarFeed(ctx, c, t.ID)
		if d.Calendar, err = s.calendarView(r, "/teams/"+strconv.FormatInt(t.ID, 10)+"/calendar", true, f, err); err != nil {
			return err
		}
	}
	s.render(w, r, status, views.Team(page(r, "teams.title", "teams"), d))
	return nil
}

func (s *Server) newTeamPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderTeamForm(w, r, http.StatusOK, views.TeamFormData{Team: domain.Team{Kind: domain.TeamParty}})
}

func (s *Server) editTeamPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, _, err := s.svc.Team(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	if err := domain.Authorize(principal(r), domain.ActTeamManage, t.Target()); err != nil {
		return err
	}
	return s.renderTeamForm(w, r, http.StatusOK, views.TeamFormData{Team: t})
}

func (s *Server) renderTeamForm(w http.ResponseWriter, r *http.Request, status int, f views.TeamFormData) error {
	ctx, c := r.Context(), caller(r)
	var err error
	if f.Team.ID == 0 {
		if f.Orgs, err = s.svc.OrgTree(ctx, c); err != nil {
			return err
		}
	}
	if f.Lookups, err = s.lookups(ctx); err != nil {
		return err
	}
	title := "teams.new"
	if f.Team.ID != 0 {
		title = "teams.edit"
	}
	s.render(w, r, status, views.TeamForm(page(r, title, "teams"), f))
	return nil
}

func teamFromForm(r *http.Request) domain.Team {
	return domain.Team{
		Name: r.PostForm.Get("name"), Kind: domain.TeamKind(r.PostForm.Get("kind")), OrgID: formID(r, "org_id"),
		FoundedOn: r.PostForm.Get("founded_on"), Description: r.PostForm.Get("description"),
		Rules: r.PostForm.Get("rules"), Categories: formIDs(r, "categories"),
		BaseRegionID: formID(r, "base_region_id"), BaseAddress: r.PostForm.Get("base_address"),
	}
}

func (s *Server) createTeam(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	t := teamFromForm(r)
	id, err := s.svc.CreateTeam(r.Context(), caller(r), t)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderTeamForm(w, r, http.StatusUnprocessableEntity, views.TeamFormData{Team: t, Errors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/teams/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) updateTeam(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	t := teamFromForm(r)
	t.ID = id
	err = s.svc.UpdateTeam(r.Context(), caller(r), t)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderTeamForm(w, r, http.StatusUnprocessableEntity, views.TeamFormData{Team: t, Errors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/teams/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) addMember(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	phone := r.PostForm.Get("phone")
	err = s.svc.AddMemberByPhone(r.Context(), caller(r), id, phone,
		domain.MemberRole(r.PostForm.Get("role")), r.PostForm.Get("joined_on"))
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderTeam(w, r, http.StatusUnprocessableEntity, views.TeamView{Errors: errs, Phone: phone})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/teams/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) endMembership(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	mid, err := pathID(r, "mid")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err = s.svc.EndMembership(r.Context(), caller(r), id, mid, r.PostForm.Get("left_on"))
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderTeam(w, r, http.StatusUnprocessableEntity, views.TeamView{Errors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/teams/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
	return nil
}
