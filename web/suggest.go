package web

import (
	"net/http"
	"net/url"
	"strconv"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/service"
	"vanguard/store"
	"vanguard/web/views"
)

// suggestFields are the fields the public suggestion form accepts; any other
// field refuses the whole form (see parsePublicForm).
var suggestFields = []string{"name", "phone", "region_id", "body", "form_token"}

func (s *Server) suggestForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderSuggestForm(w, r, http.StatusOK, views.SuggestFormView{})
}

func (s *Server) renderSuggestForm(w http.ResponseWriter, r *http.Request, status int, f views.SuggestFormView) error {
	regions, err := s.svc.Regions(r.Context())
	if err != nil {
		return err
	}
	f.Regions = regions
	if f.Token == "" {
		f.Token = service.NewFormToken()
	}
	s.render(w, r, status, views.SuggestForm(page(r, "suggest.title", "suggest"), f))
	return nil
}

// suggestSubmit puts a suggestion in the box and sends the writer to its
// status page, where the code to come back with is shown.
func (s *Server) suggestSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parsePublicForm(r, suggestFields); err != nil {
		return err
	}
	in := domain.SuggestionInput{Name: r.PostForm.Get("name"), Phone: r.PostForm.Get("phone"),
		RegionID: formID(r, "region_id"), Body: r.PostForm.Get("body")}
	token := service.NormalizeCode(r.PostForm.Get("form_token"))
	code, err := s.svc.SubmitSuggestionOnce(r.Context(), caller(r), token, in)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderSuggestForm(w, r, http.StatusUnprocessableEntity, views.SuggestFormView{In: in, Errors: errs, Token: token})
	} else if domain.ErrCode(err) == domain.CodeTooMany {
		return s.renderSuggestForm(w, r, http.StatusTooManyRequests, views.SuggestFormView{In: in, Notice: appErrText(r, err), Token: token})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/suggest/status?"+url.Values{"code": {code}, "new": {"1"}}.Encode(), http.StatusSeeOther)
	return nil
}

// suggestStatus asks for a code or, given one, shows the suggestion's state
// and reply.
func (s *Server) suggestStatus(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := views.SuggestStatusView{Code: trimTo(q.Get("code"), 64)}
	status := http.StatusOK
	if d.Code != "" {
		t, err := s.svc.TrackSuggestion(r.Context(), caller(r), d.Code)
		switch code := domain.ErrCode(err); {
		case err == nil:
			d.Found, d.Suggestion, d.OrderCode = true, t.Suggestion, t.OrderCode
			d.Submitted = q.Get("new") == "1"
			if d.Suggestion.RegionID != 0 {
				regions, err := s.svc.Regions(r.Context())
				if err != nil {
					return err
				}
				d.RegionName = views.SuggestRegionName(regions, d.Suggestion.RegionID)
			}
		case code == domain.CodeNotFound || code == domain.CodeTooMany:
			d.Notice, status = appErrText(r, err), statusOf[code]
		default:
			return err
		}
	}
	s.render(w, r, status, views.SuggestStatus(page(r, "suggest.status_title", "suggest"), d))
	return nil
}

// appErrText is an application error's message in the request's language.
func appErrText(r *http.Request, err error) string {
	if e, ok := domain.AsError(err); ok {
		return i18n.T(r.Context(), e.Key, e.Args...)
	}
	return i18n.T(r.Context(), "err.internal")
}

const suggestionsPageSize = 50

// adminSuggestions lists the box for the committee, by state, newest first;
// looking marks it seen.
func (s *Server) adminSuggestions(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.SuggestionFilter{Limit: suggestionsPageSize}
	if st := domain.SuggestionState(q.Get("state")); domain.ValidSuggestionState(st) {
		f.State = st
	}
	pg, _ := strconv.Atoi(q.Get("page"))
	pg = max(pg, 1)
	f.Offset = (pg - 1) * suggestionsPageSize
	ctx := r.Context()
	l, err := s.svc.Suggestions(ctx, caller(r), f)
	if err != nil {
		return err
	}
	regions, err := s.svc.Regions(ctx)
	if err != nil {
		return err
	}
	d := views.SuggestionsAdminView{Filter: f, Suggestions: l.Suggestions, Counts: l.Counts, LastSeen: l.LastSeen,
		NewCount: l.NewCount, Regions: regions}
	for _, n := range l.Counts {
		d.All += n
	}
	pq := url.Values{}
	if f.State != "" {
		pq.Set("state", string(f.State))
	}
	d.Pager = pager("/admin/suggestions", pq, pg, l.Total, suggestionsPageSize)
	s.render(w, r, http.StatusOK, views.SuggestionsAdmin(page(r, "suggest.admin_title", "suggestions"), d))
	return nil
}

// suggestionSaved maps ?saved= to the notice it shows.
var suggestionSaved = map[string]string{"reply": "suggest.saved.reply", "close": "suggest.saved.close"}

func (s *Server) adminSuggestion(w http.ResponseWriter, r *http.Request) error {
	return s.renderSuggestion(w, r, http.StatusOK, views.SuggestionAdminView{Saved: suggestionSaved[r.URL.Query().Get("saved")]})
}

func (s *Server) renderSuggestion(w http.ResponseWriter, r *http.Request, status int, d views.SuggestionAdminView) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	if d.Suggestion, err = s.svc.Suggestion(ctx, caller(r), id); err != nil {
		return err
	}
	if d.Errors == nil {
		d.Reply = d.Suggestion.Reply // a reply given is edited in place
	}
	if d.Suggestion.RegionID != 0 {
		regions, err := s.svc.Regions(ctx)
		if err != nil {
			return err
		}
		d.RegionName = views.SuggestRegionName(regions, d.Suggestion.RegionID)
	}
	s.render(w, r, status, views.SuggestionAdmin(page(r, "suggest.admin_title", "suggestions"), d))
	return nil
}

// suggestionDone answers a reply or a close: back to the suggestion with a
// notice, the reply form again with its error, or the suggestion as it now
// is when someone else moved it first.
func (s *Server) suggestionDone(w http.ResponseWriter, r *http.Request, id int64, err error, saved string) error {
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderSuggestion(w, r, http.StatusUnprocessableEntity,
			views.SuggestionAdminView{Errors: errs, Reply: r.PostForm.Get("reply")})
	}
	if domain.ErrCode(err) == domain.CodeConflict {
		return s.renderSuggestion(w, r, http.StatusConflict, views.SuggestionAdminView{Notice: appErrText(r, err)})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/suggestions/"+strconv.FormatInt(id, 10)+"?saved="+saved, http.StatusSeeOther)
	return nil
}

func (s *Server) adminSuggestionReply(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err = s.svc.ReplySuggestion(r.Context(), caller(r), id, r.PostForm.Get("reply"))
	return s.suggestionDone(w, r, id, err, "reply")
}

func (s *Server) adminSuggestionClose(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = s.svc.CloseSuggestion(r.Context(), caller(r), id)
	return s.suggestionDone(w, r, id, err, "close")
}

// adminSuggestionOrder opens the staff order form filled from the
// suggestion; submitting it (POST /orders) creates the order and links the
// two.
func (s *Server) adminSuggestionOrder(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, x, err := s.svc.SuggestionOrderDraft(r.Context(), caller(r), id)
	if domain.ErrCode(err) == domain.CodeConflict {
		return s.renderSuggestion(w, r, http.StatusConflict, views.SuggestionAdminView{Notice: appErrText(r, err)})
	} else if err != nil {
		return err
	}
	f := views.WorkOrderFormView{In: in, SuggestionID: id}
	if x.Phone != "" {
		f.PhoneOnFile = domain.MaskPhone(x.Phone)
	}
	return s.renderWorkOrderForm(w, r, http.StatusOK, f)
}

// adminSuggestionReveal shows a named writer's full phone number; the
// service writes it to the audit log.
func (s *Server) adminSuggestionReveal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	phone, err := s.svc.RevealSuggestionPhone(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	return s.renderSuggestion(w, r, http.StatusOK, views.SuggestionAdminView{Revealed: phone})
}
