package web

import (
	"net/http"
	"strconv"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/web/views"
)

// Service records: a volunteer's record, one record's versions, corrections
// and their approval, awards.

// myRecordsPage shows the caller's own service record.
func (s *Server) myRecordsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMyRecords(w, r, http.StatusOK, views.RecordsView{Applied: r.URL.Query().Get("applied") == "1"})
}

func (s *Server) renderMyRecords(w http.ResponseWriter, r *http.Request, status int, d views.RecordsView) error {
	rp, err := s.svc.MyRecords(r.Context(), caller(r))
	if domain.ErrCode(err) == domain.CodeNotFound {
		if status == http.StatusOK {
			d.NoPerson = true
			s.render(w, r, status, views.Records(page(r, "rec.my_title", "records"), d))
			return nil
		}
		return domain.Errorf(domain.CodeConflict, "err.signup.no_person")
	} else if err != nil {
		return err
	}
	d.Page = rp
	if d.Apply.From == "" && d.Apply.To == "" {
		d.Apply.From, d.Apply.To = firstRecordDay(rp.Records), time.Now().In(domain.ChinaZone).Format("2006-01-02")
	}
	s.render(w, r, status, views.Records(page(r, "rec.my_title", "records"), d))
	return nil
}

// firstRecordDay is the day of the earliest record, or today.
func firstRecordDay(rs []domain.ServiceRecord) string {
	day := time.Now().In(domain.ChinaZone).Format("2006-01-02")
	for _, x := range rs {
		if d := domain.ChinaDay(x.StartsAt); d < day {
			day = d
		}
	}
	return day
}

// recordsPage shows a person's service record.
func (s *Server) recordsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderRecords(w, r, http.StatusOK, views.RecordsView{Saved: r.URL.Query().Get("saved") == "1"})
}

func (s *Server) renderRecords(w http.ResponseWriter, r *http.Request, status int, d views.RecordsView) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if d.Page, err = s.svc.PersonRecords(r.Context(), caller(r), id); err != nil {
		return err
	}
	nav := "people"
	if d.Page.Self {
		nav = "records"
	}
	s.render(w, r, status, views.Records(page(r, "rec.title", nav), d))
	return nil
}

// addAward records an award on a person's record.
func (s *Server) addAward(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	a := domain.Award{PersonID: id, Title: trimTo(r.PostForm.Get("title"), 200), Date: trimTo(r.PostForm.Get("date"), 20),
		Issuer: trimTo(r.PostForm.Get("issuer"), 200)}
	err = s.svc.AddAward(r.Context(), caller(r), a)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderRecords(w, r, http.StatusUnprocessableEntity, views.RecordsView{Award: a, Errors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/records/"+strconv.FormatInt(id, 10)+"?saved=1#awards-table", http.StatusSeeOther)
	return nil
}

// recordPage shows one record with its versions.
func (s *Server) recordPage(w http.ResponseWriter, r *http.Request) error {
	d := views.RecordView{Done: r.URL.Query().Get("done")}
	switch d.Done {
	case "requested", "approved", "rejected":
	default:
		d.Done = ""
	}
	return s.renderRecord(w, r, http.StatusOK, d)
}

func (s *Server) renderRecord(w http.ResponseWriter, r *http.Request, status int, d views.RecordView) error {
	person, err := pathID(r, "id")
	if err != nil {
		return err
	}
	activity, err := pathID(r, "activity")
	if err != nil {
		return err
	}
	return s.renderRecordOf(w, r, status, person, activity, d)
}

func (s *Server) renderRecordOf(w http.ResponseWriter, r *http.Request, status int, person, activity int64, d views.RecordView) error {
	rd, err := s.svc.Record(r.Context(), caller(r), person, activity)
	if err != nil {
		return err
	}
	d.D = rd
	nav := "people"
	if rd.Person.UserID == principal(r).UserID {
		nav = "records"
	}
	s.render(w, r, status, views.Record(page(r, "rec.record_title", nav), d))
	return nil
}

// parseHours reads hours as typed into minutes (domain.ParseHours). What
// is not a number comes back as -1, which validation refuses.
func parseHours(s string) domain.Minutes {
	m, ok := domain.ParseHours(s)
	if !ok {
		return -1
	}
	return m
}

// requestCorrection asks for a record's hours to be corrected.
func (s *Server) requestCorrection(w http.ResponseWriter, r *http.Request) error {
	person, err := pathID(r, "id")
	if err != nil {
		return err
	}
	activity, err := pathID(r, "activity")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	text := trimTo(r.PostForm.Get("hours"), 20)
	in := domain.CorrectionInput{Minutes: parseHours(text), Reason: trimTo(r.PostForm.Get("reason"), 1000),
		Note: trimTo(r.PostForm.Get("note"), 400)}
	_, err = s.svc.RequestCorrection(r.Context(), caller(r), person, activity, in)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderRecordOf(w, r, http.StatusUnprocessableEntity, person, activity,
			views.RecordView{In: in, HoursText: text, Errors: errs})
	} else if e, ok := errAsConflict(err); ok {
		return s.renderRecordOf(w, r, http.StatusConflict, person, activity,
			views.RecordView{In: in, HoursText: text, Notice: translate(r, e)})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, recordPath(person, activity)+"?done=requested", http.StatusSeeOther)
	return nil
}

func recordPath(person, activity int64) string {
	return "/records/" + strconv.FormatInt(person, 10) + "/activities/" + strconv.FormatInt(activity, 10)
}

// decideCorrection approves or rejects a pending correction.
func (s *Server) decideCorrection(approve bool) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := parseForm(r); err != nil {
			return err
		}
		note := trimTo(r.PostForm.Get("note"), 1000)
		v, err := s.svc.DecideCorrection(r.Context(), caller(r), id, approve, note)
		if errs, ok := fieldErrors(r, err); ok {
			return s.renderRecordOf(w, r, http.StatusUnprocessableEntity, v.PersonID, v.ActivityID,
				views.RecordView{Note: note, NoteError: errs["note"]})
		} else if e, ok := errAsConflict(err); ok {
			return s.renderRecordOf(w, r, http.StatusConflict, v.PersonID, v.ActivityID,
				views.RecordView{Notice: translate(r, e)})
		} else if err != nil {
			return err
		}
		done := "rejected"
		if approve {
			done = "approved"
		}
		http.Redirect(w, r, recordPath(v.PersonID, v.ActivityID)+"?done="+done, http.StatusSeeOther)
		return nil
	}
}

// correctionsPage lists the corrections waiting for a decision.
func (s *Server) correctionsPage(w http.ResponseWriter, r *http.Request) error {
	c := caller(r)
	vs, err := s.svc.PendingCorrections(r.Context(), c)
	if err != nil {
		return err
	}
	d := views.CorrectionsView{Versions: vs, CanDecide: map[int64]bool{}}
	for _, v := range vs {
		d.CanDecide[v.ID] = service.CanDecide(c, v)
	}
	s.render(w, r, http.StatusOK, views.Corrections(page(r, "rec.corrections_title", "corrections"), d))
	return nil
}
