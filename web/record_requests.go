package web

import (
	"net/http"
	"strconv"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/web/views"
)

// Volunteers' requests about their own record and the reviewers' queue
// (issue 15): /records/requests for the volunteer, /records/review for the
// team's leader and the organising org's admins.

// askPage shows the caller's requests and the forms to make one.
func (s *Server) askPage(w http.ResponseWriter, r *http.Request) error {
	d := views.AskView{Done: r.URL.Query().Get("done") == "1"}
	d.In.ActivityID, _ = strconv.ParseInt(r.URL.Query().Get("activity"), 10, 64)
	return s.renderAsk(w, r, http.StatusOK, d)
}

func (s *Server) renderAsk(w http.ResponseWriter, r *http.Request, status int, d views.AskView) error {
	var err error
	if d.D, err = s.svc.MyRequests(r.Context(), caller(r)); err != nil {
		if domain.ErrCode(err) == domain.CodeNotFound {
			return domain.Errorf(domain.CodeConflict, "err.signup.no_person")
		}
		return err
	}
	s.render(w, r, status, views.Ask(page(r, "declare.my_title", "records"), d))
	return nil
}

// formOf names the form a request kind was sent from.
func formOf(k domain.RequestKind) string {
	switch k {
	case domain.RequestUnscheduled:
		return "declare"
	case domain.RequestHours:
		return "correct"
	}
	return "missing"
}

// ask records a request about the caller's own record.
func (s *Server) ask(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	text := trimTo(f.Get("hours"), 20)
	in := domain.RequestInput{Kind: domain.RequestKind(trimTo(f.Get("kind"), 20)), Date: trimTo(f.Get("date"), 20),
		Place: trimTo(f.Get("place"), 400), Content: trimTo(f.Get("content"), 800), Minutes: parseHours(text),
		Reason: trimTo(f.Get("reason"), 2000), Evidence: trimTo(f.Get("evidence"), 2000)}
	in.ActivityID, _ = strconv.ParseInt(f.Get("activity"), 10, 64)
	in.TeamID, _ = strconv.ParseInt(f.Get("team"), 10, 64)
	_, err := s.svc.AskRecord(r.Context(), caller(r), in)
	d := views.AskView{Form: formOf(in.Kind), In: in, HoursText: text}
	if errs, ok := fieldErrors(r, err); ok {
		d.Errors = errs
		return s.renderAsk(w, r, http.StatusUnprocessableEntity, d)
	} else if e, ok := errAsConflict(err); ok {
		d.Notice = translate(r, e)
		return s.renderAsk(w, r, http.StatusConflict, d)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/records/requests?done=1", http.StatusSeeOther)
	return nil
}

// reviewFilter reads the queue's filters; pending by default.
func reviewFilter(r *http.Request) service.ReviewFilter {
	q := r.URL.Query()
	f := service.ReviewFilter{Kind: domain.RequestKind(q.Get("kind")), State: domain.AskPending, Flagged: q.Get("flagged") == "1"}
	f.TeamID, _ = strconv.ParseInt(q.Get("team"), 10, 64)
	switch st := q.Get("state"); st {
	case "all":
		f.State = ""
	case string(domain.AskApproved), string(domain.AskDeclined):
		f.State = domain.AskState(st)
	}
	valid := false
	for _, k := range domain.RequestKinds {
		valid = valid || f.Kind == k
	}
	if !valid {
		f.Kind = ""
	}
	return f
}

// reviewPage shows the queue.
func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request) error {
	d := views.ReviewView{Done: r.URL.Query().Get("done")}
	return s.renderReview(w, r, http.StatusOK, d)
}

func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, status int, d views.ReviewView) error {
	d.F = reviewFilter(r)
	var err error
	if d.D, err = s.svc.ReviewQueue(r.Context(), caller(r), d.F); err != nil {
		return err
	}
	s.render(w, r, status, views.Review(page(r, "declare.review_title", "records-review"), d))
	return nil
}

// bulkApprove approves the checked requests and reports each failure.
func (s *Server) bulkApprove(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	var ids []int64
	for _, v := range r.PostForm["id"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 && len(ids) < 500 {
			ids = append(ids, id)
		}
	}
	res, err := s.svc.BulkApprove(r.Context(), caller(r), ids)
	if err != nil {
		return err
	}
	return s.renderReview(w, r, http.StatusOK, views.ReviewView{Result: &res})
}

// declineRequest declines one request with a reason.
func (s *Server) declineRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err = s.svc.DecideRecordRequest(r.Context(), caller(r), id, false, trimTo(r.PostForm.Get("note"), 2000))
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderReview(w, r, http.StatusUnprocessableEntity, views.ReviewView{DeclineID: id, NoteError: errs["note"]})
	} else if e, ok := errAsConflict(err); ok {
		return s.renderReview(w, r, http.StatusConflict, views.ReviewView{Notice: translate(r, e)})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/records/review?done=declined", http.StatusSeeOther)
	return nil
}

// setFlagDays sets after how many days a waiting request is flagged.
func (s *Server) setFlagDays(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	days, perr := strconv.Atoi(trimTo(r.PostForm.Get("days"), 10))
	if perr != nil {
		days = -1
	}
	err := s.svc.SetRequestFlagDays(r.Context(), caller(r), days)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderReview(w, r, http.StatusUnprocessableEntity, views.ReviewView{DaysError: errs["days"]})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/records/review?done=days", http.StatusSeeOther)
	return nil
}
