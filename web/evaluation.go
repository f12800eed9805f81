package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/service"
	"vanguard/store"
	"vanguard/web/views"
)

// Evaluation (评单): the requester's page by evaluation code, the staff's
// list of evaluations, and the committee's complaints.

// evalFields are the fields the public evaluation form accepts.
var evalFields = []string{"code", "rating", "comment", "complaint", "complaint_text", "form_token"}

// evalPageSize is how many evaluations or complaints a page lists.
const evalPageSize = 30

// evaluatePage asks for a code or, given one, shows the order's evaluation
// page: the form while it is served, what was said once evaluated.
func (s *Server) evaluatePage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	code := trimTo(q.Get("code"), 64)
	if code == "" {
		s.render(w, r, http.StatusOK, views.EvaluateCode(page(r, "eval.title", "track"), views.EvaluateCodeView{}))
		return nil
	}
	return s.renderEvaluate(w, r, http.StatusOK, code, views.EvaluateView{Done: q.Get("done") == "1"})
}

// renderEvaluate looks the code up and shows its page with d's form state. A
// code that finds nothing and a lookup over the limit show the code form
// again with the message.
func (s *Server) renderEvaluate(w http.ResponseWriter, r *http.Request, status int, code string, d views.EvaluateView) error {
	ctx := r.Context()
	ep, err := s.svc.EvaluationByCode(ctx, caller(r), code)
	if e, ok := domain.AsError(err); ok && (e.Code == domain.CodeNotFound || e.Code == domain.CodeTooMany) {
		f := views.EvaluateCodeView{Code: code, Error: translate(r, e)}
		s.render(w, r, statusOf[e.Code], views.EvaluateCode(page(r, "eval.title", "track"), f))
		return nil
	} else if err != nil {
		return err
	}
	d.Page, d.Code = ep, service.NormalizeCode(code)
	if d.Token == "" {
		d.Token = service.NewFormToken()
	}
	d.Done = d.Done && ep.Evaluation != nil
	s.render(w, r, status, views.Evaluate(page(r, "eval.title", "track"), d))
	return nil
}

// evaluate takes the requester's evaluation. The code comes in the body. A
// bad form comes back with what was typed and the faults; an order already
// evaluated, or not yet served, shows its page with the reason.
func (s *Server) evaluate(w http.ResponseWriter, r *http.Request) error {
	if err := parsePublicForm(r, evalFields); err != nil {
		return err
	}
	f := r.PostForm
	code := trimTo(f.Get("code"), 64)
	in := domain.EvaluationInput{Rating: formRating(f.Get("rating")), Comment: f.Get("comment"),
		Complaint: f.Get("complaint") == "1", ComplaintText: f.Get("complaint_text")}
	token := service.NormalizeCode(f.Get("form_token"))
	evaluated, err := s.svc.EvaluateByCodeOnce(r.Context(), caller(r), token, code, in)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderEvaluate(w, r, http.StatusUnprocessableEntity, code, views.EvaluateView{In: in, Errors: errs, Token: token})
	} else if e, ok := domain.AsError(err); ok && (e.Code == domain.CodeConflict || e.Code == domain.CodeTooMany) {
		// Already evaluated, not yet served, or over the limit: the page as
		// it now is, with the reason and what was typed.
		return s.renderEvaluate(w, r, statusOf[e.Code], code, views.EvaluateView{In: in, Notice: translate(r, e)})
	} else if e, ok := domain.AsError(err); ok && e.Code == domain.CodeNotFound {
		s.render(w, r, http.StatusNotFound, views.EvaluateCode(page(r, "eval.title", "track"),
			views.EvaluateCodeView{Code: code, Error: translate(r, e)}))
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, views.EvaluateURL(evaluated)+"&done=1", http.StatusSeeOther)
	return nil
}

// formRating reads the chosen rating: 0 when none was chosen, -1 when what
// came is not a number.
func formRating(s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n == 0 {
		return -1
	}
	return n
}

// evaluationsPage lists the evaluations in the viewer's scope.
func (s *Server) evaluationsPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.EvaluationFilter{Limit: evalPageSize}
	if n, err := strconv.Atoi(q.Get("rating")); err == nil && n >= 1 && n <= domain.EvaluationMaxRating {
		f.Rating = n
	}
	switch c := q.Get("complaint"); c {
	case store.ComplaintOnly, store.ComplaintNone, store.ComplaintOpen, store.ComplaintAnswered:
		f.Complaint = c
	}
	pg := pageNumber(r)
	f.Offset = (pg - 1) * evalPageSize
	c := caller(r)
	l, err := s.svc.Evaluations(r.Context(), c, f)
	if err != nil {
		return err
	}
	v := url.Values{}
	if f.Rating != 0 {
		v.Set("rating", strconv.Itoa(f.Rating))
	}
	if f.Complaint != "" {
		v.Set("complaint", f.Complaint)
	}
	d := views.EvaluationsView{Filter: f, List: l, Pager: pager("/evaluations", v, pg, l.Total, evalPageSize),
		CanAnswer: domain.Can(c.Principal, domain.ActComplaintManage, domain.Target{})}
	s.render(w, r, http.StatusOK, views.Evaluations(page(r, "eval.list_title", "evaluations"), d))
	return nil
}

func pageNumber(r *http.Request) int {
	if pg, _ := strconv.Atoi(r.URL.Query().Get("page")); pg > 1 {
		return pg
	}
	return 1
}

// complaintsPage lists complaints for the committee: open ones unless asked
// otherwise.
func (s *Server) complaintsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderComplaints(w, r, http.StatusOK, views.ComplaintsView{Saved: r.URL.Query().Get("saved") == "1"})
}

func (s *Server) renderComplaints(w http.ResponseWriter, r *http.Request, status int, d views.ComplaintsView) error {
	switch st := r.URL.Query().Get("state"); st {
	case "all":
		d.State = ""
	case store.ComplaintAnswered:
		d.State = st
	default:
		d.State = store.ComplaintOpen
	}
	pg := pageNumber(r)
	l, err := s.svc.Complaints(r.Context(), caller(r), store.EvaluationFilter{Complaint: d.State,
		Offset: (pg - 1) * evalPageSize, Limit: evalPageSize})
	if err != nil {
		return err
	}
	state := d.State
	if state == "" {
		state = "all"
	}
	d.List, d.Pager = l, pager("/admin/complaints", url.Values{"state": {state}}, pg, l.Total, evalPageSize)
	s.render(w, r, status, views.Complaints(page(r, "complaint.title", "complaints"), d))
	return nil
}

// answerComplaint records the committee's answer. A missing answer shows the
// list again with the fault under that complaint's form and the text kept.
func (s *Server) answerComplaint(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	answer, upheld := r.PostForm.Get("answer"), r.PostForm.Get("upheld") == "1"
	err = s.svc.AnswerComplaintFinding(r.Context(), caller(r), id, answer, upheld)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderComplaints(w, r, http.StatusUnprocessableEntity,
			views.ComplaintsView{FailedID: id, Answer: answer, Upheld: upheld, Errors: errs})
	} else if e, ok := errAsConflict(err); ok {
		return s.renderComplaints(w, r, http.StatusConflict, views.ComplaintsView{Notice: i18n.T(r.Context(), e.Key, e.Args...)})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/complaints?saved=1", http.StatusSeeOther)
	return nil
}
