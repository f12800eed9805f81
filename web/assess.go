package web

import (
	"net/http"
	"strconv"
	"strings"

	"vanguard/assess"
	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/report"
	"vanguard/service"
	"vanguard/web/views"
)

// Assessment points (党建考核加分): the ranking, an org's breakdown and the
// records behind it, the rules with their preview, manual adjustments, and
// the xlsx export.

var assessSaved = map[string]string{
	"recomputed": "assess.saved.recomputed", "proposed": "assess.saved.proposed",
	"approved": "assess.saved.approved", "rejected": "assess.saved.rejected",
}

func (s *Server) assessYear(v string) int {
	now := s.svc.Store().Now().In(domain.Shanghai).Year()
	if y, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && y >= 2000 && y <= 2099 {
		return y
	}
	return now
}

// postYear reads the year a form acts on, strictly: what is not a number
// becomes 0, which the service refuses with the year's message, so a
// change never lands on a year nobody chose.
func postYear(v string) int {
	y, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0
	}
	return y
}

// assessYears are the years the pickers offer: this year and five before,
// and the chosen one if it lies outside them.
func (s *Server) assessYears(chosen int) []int {
	now := s.svc.Store().Now().In(domain.Shanghai).Year()
	var out []int
	for y := now; y >= now-5; y-- {
		out = append(out, y)
	}
	if chosen > now || chosen < now-5 {
		out = append(out, chosen)
	}
	return out
}

func (s *Server) assessPage(w http.ResponseWriter, r *http.Request) error {
	year := s.assessYear(r.URL.Query().Get("year"))
	return s.renderAssess(w, r, http.StatusOK, year, views.AssessData{Saved: assessSaved[r.URL.Query().Get("saved")]})
}

func (s *Server) renderAssess(w http.ResponseWriter, r *http.Request, status, year int, d views.AssessData) error {
	v, err := s.svc.AssessRanking(r.Context(), caller(r), year)
	if err != nil {
		return err
	}
	d.Ranking, d.Years = v, s.assessYears(year)
	s.render(w, r, status, views.AssessPage(page(r, "assess.title", "stats"), d))
	return nil
}

func (s *Server) recomputeAssess(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	year := postYear(r.PostForm.Get("year"))
	level, _ := strconv.Atoi(r.PostForm.Get("level"))
	err := s.svc.Recompute(r.Context(), caller(r), year, level)
	if e, ok := domain.AsError(err); ok && (e.Code == domain.CodeInvalid || e.Code == domain.CodeNotFound) {
		return s.renderAssess(w, r, http.StatusUnprocessableEntity, year, views.AssessData{Problem: translate(r, e)})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/assessment?year="+strconv.Itoa(year)+"&saved=recomputed", http.StatusSeeOther)
	return nil
}

func (s *Server) assessOrgPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	x, err := s.svc.AssessScore(r.Context(), caller(r), s.assessYear(r.URL.Query().Get("year")), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.AssessOrgPage(page(r, "assess.title", "stats"), x))
	return nil
}

func (s *Server) assessRecordsPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v, err := s.svc.AssessRecords(r.Context(), caller(r), s.assessYear(q.Get("year")), id, assess.Rule(q.Get("rule")))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.AssessRecordsPage(page(r, "assess.title", "stats"), v))
	return nil
}

func (s *Server) assessRulesPage(w http.ResponseWriter, r *http.Request) error {
	year := s.assessYear(r.URL.Query().Get("year"))
	level := service.DefaultAssessLevel
	if rk, err := s.svc.AssessRanking(r.Context(), caller(r), year); err == nil && rk.Level > 0 {
		level = rk.Level
	}
	in := service.RulesInput{EffectiveOn: today(), Year: year, Level: level}
	return s.renderAssessRules(w, r, http.StatusOK, views.AssessRulesData{Input: in, Saved: r.URL.Query().Get("saved") == "1"}, true)
}

func (s *Server) renderAssessRules(w http.ResponseWriter, r *http.Request, status int, d views.AssessRulesData, fill bool) error {
	v, err := s.svc.AssessRulesPage(r.Context(), caller(r), d.Input.Year)
	if err != nil {
		return err
	}
	if d.Levels, err = s.svc.AssessLevels(r.Context(), caller(r)); err != nil {
		return err
	}
	d.View, d.Years = v, s.assessYears(d.Input.Year)
	if fill {
		ids := make([]int64, len(v.Categories))
		for i, c := range v.Categories {
			ids[i] = c.ID
		}
		d.Form = assess.FormOf(v.Current.Rules, ids)
	}
	s.render(w, r, status, views.AssessRulesPage(page(r, "assess.rules.title", "stats"), d))
	return nil
}

func (s *Server) rulesFromForm(r *http.Request) service.RulesInput {
	f := assess.Form{}
	for k, vs := range r.PostForm {
		if len(vs) > 0 {
			f[k] = vs[0]
		}
	}
	level, _ := strconv.Atoi(r.PostForm.Get("level"))
	return service.RulesInput{EffectiveOn: r.PostForm.Get("effective_on"), Note: r.PostForm.Get("note"), Form: f,
		Year: postYear(r.PostForm.Get("year")), Level: level}
}

func (s *Server) previewAssessRules(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	in := s.rulesFromForm(r)
	p, err := s.svc.PreviewRules(r.Context(), caller(r), in)
	d := views.AssessRulesData{Input: in, Form: in.Form}
	if errs, ok := fieldErrors(r, err); ok {
		d.Errors = errs
		return s.renderAssessRules(w, r, http.StatusUnprocessableEntity, d, false)
	} else if err != nil {
		return err
	}
	d.Preview = &p
	return s.renderAssessRules(w, r, http.StatusOK, d, false)
}

func (s *Server) saveAssessRules(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	in := s.rulesFromForm(r)
	_, err := s.svc.SaveRules(r.Context(), caller(r), in)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderAssessRules(w, r, http.StatusUnprocessableEntity, views.AssessRulesData{Input: in, Form: in.Form, Errors: errs}, false)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/assessment/rules?year="+strconv.Itoa(in.Year)+"&saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) assessAdjustPage(w http.ResponseWriter, r *http.Request) error {
	year := s.assessYear(r.URL.Query().Get("year"))
	return s.renderAssessAdjust(w, r, http.StatusOK, year, views.AssessAdjustData{Saved: assessSaved[r.URL.Query().Get("saved")]})
}

func (s *Server) renderAssessAdjust(w http.ResponseWriter, r *http.Request, status, year int, d views.AssessAdjustData) error {
	v, err := s.svc.AssessAdjustments(r.Context(), caller(r), year)
	if err != nil {
		return err
	}
	d.View, d.Years = v, s.assessYears(year)
	s.render(w, r, status, views.AssessAdjustPage(page(r, "assess.adjust.title", "stats"), d))
	return nil
}

func (s *Server) proposeAdjustment(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	in := service.AdjustmentInput{Year: postYear(r.PostForm.Get("year")), OrgID: formID(r, "org"),
		Points: r.PostForm.Get("points"), Reason: r.PostForm.Get("reason")}
	_, err := s.svc.ProposeAdjustment(r.Context(), caller(r), in)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderAssessAdjust(w, r, http.StatusUnprocessableEntity, in.Year, views.AssessAdjustData{Input: in, Errors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/assessment/adjustments?year="+strconv.Itoa(in.Year)+"&saved=proposed", http.StatusSeeOther)
	return nil
}

func (s *Server) decideAdjustment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	year := s.assessYear(r.PostForm.Get("year"))
	decision := r.PostForm.Get("decision")
	if decision != "approve" && decision != "reject" {
		return domain.Invalid("decision", "err.assess.decision")
	}
	approve := decision == "approve"
	err = s.svc.DecideAdjustment(r.Context(), caller(r), id, approve)
	if e, ok := domain.AsError(err); ok && e.Key != "err.forbidden" && (e.Code == domain.CodeForbidden || e.Code == domain.CodeConflict) {
		status := http.StatusConflict
		if e.Code == domain.CodeForbidden {
			status = http.StatusForbidden
		}
		return s.renderAssessAdjust(w, r, status, year, views.AssessAdjustData{Problem: translate(r, e)})
	} else if err != nil {
		return err
	}
	saved := "rejected"
	if approve {
		saved = "approved"
	}
	http.Redirect(w, r, "/assessment/adjustments?year="+strconv.Itoa(year)+"&saved="+saved, http.StatusSeeOther)
	return nil
}

// exportAssess writes the ranking of a year in the caller's scope and the
// breakdown of each org in it.
func (s *Server) exportAssess(w http.ResponseWriter, r *http.Request) error {
	year := s.assessYear(r.URL.Query().Get("year"))
	v, err := s.svc.AssessRanking(r.Context(), caller(r), year)
	if err != nil {
		return err
	}
	ctx := r.Context()
	T := func(k string, args ...any) string { return i18n.T(ctx, k, args...) }
	b, err := report.NewBook()
	if err != nil {
		return err
	}
	sheet, err := b.Sheet(T("assess.xlsx.ranking"), []report.Column{{Header: T("assess.rank"), Width: 8},
		{Header: T("assess.org"), Width: 32}, {Header: T("assess.points"), Width: 12}})
	for _, x := range v.Scores {
		if err != nil {
			break
		}
		err = sheet.Row(strconv.Itoa(x.Rank), report.SafeText(x.OrgName), x.Result.Total.String())
	}
	if err == nil {
		sheet, err = b.Sheet(T("assess.xlsx.breakdown"), []report.Column{{Header: T("assess.org"), Width: 32},
			{Header: T("assess.item"), Width: 20}, {Header: T("assess.quantity"), Width: 16},
			{Header: T("assess.points"), Width: 12}, {Header: T("assess.adjust.reason"), Width: 40}})
	}
	for _, x := range v.Scores {
		for _, l := range x.Result.Lines {
			if err != nil {
				break
			}
			err = sheet.Row(report.SafeText(x.OrgName), T("assess.rule."+string(l.Rule)),
				views.AssessQuantity(ctx, l.Rule, l.Quantity), l.Points.String(), report.SafeText(l.Reason))
		}
	}
	if err != nil {
		b.Close()
		return err
	}
	return sendBook(w, b, T("assess.xlsx.file", year), "assessment-"+strconv.Itoa(year))
}
