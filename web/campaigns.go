package web

import (
	"net/http"
	"strconv"

	"vanguard/domain"
	"vanguard/web/views"
)

// Key-task campaigns (重点任务) with their batches, and brand projects
// (品牌项目).

var campaignSaved = map[string]string{
	"created": "camp.saved.created", "updated": "camp.saved.updated", "batch": "camp.saved.batch",
	"assigned": "camp.saved.assigned", "unassigned": "camp.saved.unassigned",
}

func (s *Server) campaignsPage(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.svc.Campaigns(r.Context(), caller(r))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.CampaignsPage(page(r, "camp.title", "campaigns"), views.CampaignsData{
		Campaigns: cs, CanManage: domain.Can(principal(r), domain.ActCampaignManage, domain.Target{}),
	}))
	return nil
}

func campaignFromForm(r *http.Request) domain.CampaignInput {
	return domain.CampaignInput{Name: r.PostForm.Get("name"), Description: r.PostForm.Get("description"),
		StartsOn: r.PostForm.Get("starts_on"), EndsOn: r.PostForm.Get("ends_on")}
}

func (s *Server) newCampaignPage(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, views.CampaignFormPage(page(r, "camp.new", "campaigns"), views.CampaignForm{
		Input: domain.CampaignInput{StartsOn: today()},
	}))
	return nil
}

func (s *Server) createCampaign(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	in := campaignFromForm(r)
	id, err := s.svc.CreateCampaign(r.Context(), caller(r), in)
	if errs, ok := fieldErrors(r, err); ok {
		s.render(w, r, http.StatusUnprocessableEntity, views.CampaignFormPage(page(r, "camp.new", "campaigns"),
			views.CampaignForm{Input: in, Errors: errs}))
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/campaigns/"+strconv.FormatInt(id, 10)+"?saved=created", http.StatusSeeOther)
	return nil
}

func (s *Server) editCampaignPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.svc.Campaign(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	c := v.Campaign
	s.render(w, r, http.StatusOK, views.CampaignFormPage(page(r, "camp.edit", "campaigns"), views.CampaignForm{ID: id,
		Input: domain.CampaignInput{Name: c.Name, Description: c.Description, StartsOn: c.StartsOn, EndsOn: c.EndsOn}}))
	return nil
}

func (s *Server) updateCampaign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := campaignFromForm(r)
	err = s.svc.UpdateCampaign(r.Context(), caller(r), id, in)
	if errs, ok := fieldErrors(r, err); ok {
		s.render(w, r, http.StatusUnprocessableEntity, views.CampaignFormPage(page(r, "camp.edit", "campaigns"),
			views.CampaignForm{ID: id, Input: in, Errors: errs}))
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/campaigns/"+strconv.FormatInt(id, 10)+"?saved=updated", http.StatusSeeOther)
	return nil
}

func (s *Server) campaignPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderCampaign(w, r, http.StatusOK, id, views.CampaignData{Saved: campaignSaved[r.URL.Query().Get("saved")]})
}

func (s *Server) renderCampaign(w http.ResponseWriter, r *http.Request, status int, id int64, d views.CampaignData) error {
	v, err := s.svc.Campaign(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	d.View = v
	s.render(w, r, status, views.CampaignPage(page(r, "camp.title", "campaigns"), d))
	return nil
}

func (s *Server) addBatch(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := domain.BatchInput{Note: r.PostForm.Get("note"), StartsOn: r.PostForm.Get("starts_on"), EndsOn: r.PostForm.Get("ends_on")}
	b, err := s.svc.AddBatch(r.Context(), caller(r), id, in)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderCampaign(w, r, http.StatusUnprocessableEntity, id, views.CampaignData{Batch: in, BatchErrors: errs})
	}
	if e, ok := errAsConflict(err); ok {
		return s.renderCampaign(w, r, http.StatusConflict, id, views.CampaignData{Batch: in, Problem: translate(r, e)})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/campaigns/"+strconv.FormatInt(id, 10)+"?saved=batch#batch-"+strconv.FormatInt(b.ID, 10),
		http.StatusSeeOther)
	return nil
}

func (s *Server) assignActivity(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	bid := formID(r, "batch")
	add := r.PostForm.Get("op") != "remove"
	err = s.svc.AssignActivity(r.Context(), caller(r), id, bid, formID(r, "activity"), add)
	if e, ok := domain.AsError(err); ok && (e.Code == domain.CodeInvalid || e.Code == domain.CodeConflict) {
		status := http.StatusConflict
		if e.Code == domain.CodeInvalid {
			status = http.StatusUnprocessableEntity
		}
		return s.renderCampaign(w, r, status, id, views.CampaignData{AssignBatch: bid, AssignError: translate(r, e)})
	}
	if err != nil {
		return err
	}
	saved := "assigned"
	if !add {
		saved = "unassigned"
	}
	http.Redirect(w, r, "/campaigns/"+strconv.FormatInt(id, 10)+"?saved="+saved+"#batch-"+strconv.FormatInt(bid, 10),
		http.StatusSeeOther)
	return nil
}

// Brand projects.

var projectSaved = map[string]string{
	"created": "brand.saved.created", "updated": "brand.saved.updated",
	"linked": "brand.saved.linked", "unlinked": "brand.saved.unlinked",
}

func (s *Server) projectsPage(w http.ResponseWriter, r *http.Request) error {
	l, err := s.svc.Projects(r.Context(), caller(r))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.ProjectsPage(page(r, "brand.title", "projects"), l))
	return nil
}

func projectFromForm(r *http.Request) domain.ProjectInput {
	return domain.ProjectInput{Name: r.PostForm.Get("name"), Term: domain.ProjectTerm(r.PostForm.Get("term")),
		TeamID: formID(r, "team"), Description: r.PostForm.Get("description"),
		StartedOn: r.PostForm.Get("started_on"), EndedOn: r.PostForm.Get("ended_on")}
}

func (s *Server) renderProjectForm(w http.ResponseWriter, r *http.Request, status int, f views.ProjectForm) error {
	teams, direct, err := s.svc.ProjectTeams(r.Context(), caller(r))
	if err != nil {
		return err
	}
	f.Teams, f.Direct = teams, direct
	title := "brand.new"
	if f.ID != 0 {
		title = "brand.edit"
	}
	s.render(w, r, status, views.ProjectFormPage(page(r, title, "projects"), f))
	return nil
}

func (s *Server) newProjectPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderProjectForm(w, r, http.StatusOK, views.ProjectForm{
		Input: domain.ProjectInput{Term: domain.TermLong, StartedOn: today()},
	})
}

func (s *Server) createProject(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	in := projectFromForm(r)
	id, err := s.svc.CreateProject(r.Context(), caller(r), in)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderProjectForm(w, r, http.StatusUnprocessableEntity, views.ProjectForm{Input: in, Errors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/projects/"+strconv.FormatInt(id, 10)+"?saved=created", http.StatusSeeOther)
	return nil
}

func (s *Server) editProjectPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.svc.EditProject(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	return s.renderProjectForm(w, r, http.StatusOK, views.ProjectForm{ID: id, Input: domain.ProjectInput{
		Name: p.Name, Term: p.Term, TeamID: p.TeamID, Description: p.Description, StartedOn: p.StartedOn, EndedOn: p.EndedOn,
	}})
}

func (s *Server) updateProject(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := projectFromForm(r)
	err = s.svc.UpdateProject(r.Context(), caller(r), id, in)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderProjectForm(w, r, http.StatusUnprocessableEntity, views.ProjectForm{ID: id, Input: in, Errors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/projects/"+strconv.FormatInt(id, 10)+"?saved=updated", http.StatusSeeOther)
	return nil
}

func (s *Server) projectPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderProject(w, r, http.StatusOK, id, projectSaved[r.URL.Query().Get("saved")], "")
}

func (s *Server) renderProject(w http.ResponseWriter, r *http.Request, status int, id int64, saved, problem string) error {
	v, err := s.svc.Project(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	s.render(w, r, status, views.ProjectPage(page(r, "brand.title", "projects"), views.ProjectData{View: v, Saved: saved, Problem: problem}))
	return nil
}

func (s *Server) linkProjectActivity(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	add := r.PostForm.Get("op") != "remove"
	err = s.svc.LinkProjectActivity(r.Context(), caller(r), id, formID(r, "activity"), add)
	if e, ok := domain.AsError(err); ok && (e.Code == domain.CodeInvalid || e.Code == domain.CodeConflict) {
		status := http.StatusConflict
		if e.Code == domain.CodeInvalid {
			status = http.StatusUnprocessableEntity
		}
		return s.renderProject(w, r, status, id, "", translate(r, e))
	}
	if err != nil {
		return err
	}
	saved := "linked"
	if !add {
		saved = "unlinked"
	}
	http.Redirect(w, r, "/projects/"+strconv.FormatInt(id, 10)+"?saved="+saved+"#history", http.StatusSeeOther)
	return nil
}
