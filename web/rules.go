package web

import (
	"net/http"
	"strconv"

	"vanguard/service"
	"vanguard/web/views"
)

// Duration rules (时长规则): the committee's page of versions with the form
// for a new one and the form applying one to a period's records; the
// leader's list of flagged attendance of an activity.

func (s *Server) rulesPage(w http.ResponseWriter, r *http.Request) error {
	d := views.RulesData{Saved: r.URL.Query().Get("saved") == "1",
		Input: service.DurationRuleInput{EffectiveOn: today(), Bands: "15:0, 45:30, 60:60", MinShare: "60",
			DailyMaxHours: "8", CheckoutDelay: "60"}}
	return s.renderRules(w, r, http.StatusOK, d)
}

func (s *Server) renderRules(w http.ResponseWriter, r *http.Request, status int, d views.RulesData) error {
	rules, err := s.svc.DurationRules(r.Context(), caller(r))
	if err != nil {
		return err
	}
	d.Rules = rules
	if d.Apply.From == "" && d.Apply.To == "" {
		d.Apply.From, d.Apply.To = today()[:4]+"-01-01", today()
	}
	s.render(w, r, status, views.RulesPage(page(r, "rules.title", "admin"), d))
	return nil
}

func (s *Server) addRule(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	in := service.DurationRuleInput{EffectiveOn: f.Get("effective_on"), Bands: f.Get("bands"), MinShare: f.Get("min_share"),
		DailyMaxHours: f.Get("daily_max"), CheckoutDelay: f.Get("checkout_delay"), Note: f.Get("note")}
	_, err := s.svc.AddDurationRule(r.Context(), caller(r), in)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderRules(w, r, http.StatusUnprocessableEntity, views.RulesData{Input: in, Errors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/rules?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) applyRule(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	id, _ := strconv.ParseInt(f.Get("rule"), 10, 64)
	in := service.ApplyInput{RuleID: id, From: f.Get("from"), To: f.Get("to"), Reason: f.Get("reason")}
	res, err := s.svc.ApplyDurationRule(r.Context(), caller(r), in)
	d := views.RulesData{Apply: in, Input: service.DurationRuleInput{EffectiveOn: today()}}
	if errs, ok := fieldErrors(r, err); ok {
		d.ApplyErrors = errs
		return s.renderRules(w, r, http.StatusUnprocessableEntity, d)
	} else if err != nil {
		return err
	}
	d.Applied = &res
	return s.renderRules(w, r, http.StatusOK, d)
}

func flagsShow(v string) string {
	switch v {
	case "open", "cleared":
		return v
	case "all":
		return ""
	}
	return "open"
}

func (s *Server) attendanceFlagsPage(w http.ResponseWriter, r *http.Request) error {
	d := views.FlagsData{Show: flagsShow(r.URL.Query().Get("show")), Saved: r.URL.Query().Get("saved") == "1"}
	return s.renderFlags(w, r, http.StatusOK, d)
}

func (s *Server) renderFlags(w http.ResponseWriter, r *http.Request, status int, d views.FlagsData) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if d.View, err = s.svc.AttendanceFlags(r.Context(), caller(r), id, d.Show); err != nil {
		return err
	}
	s.render(w, r, status, views.AttendanceFlagsPage(page(r, "rules.flags.title", "activities"), d))
	return nil
}

func (s *Server) clearFlag(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pair, err := pathID(r, "pair")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	note := r.PostForm.Get("note")
	err = s.svc.ClearAttendanceFlag(r.Context(), caller(r), id, pair, note)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderFlags(w, r, http.StatusUnprocessableEntity, views.FlagsData{Show: "open", Errors: errs, Pair: pair, Note: note})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/activities/"+strconv.FormatInt(id, 10)+"/flags?saved=1", http.StatusSeeOther)
	return nil
}
