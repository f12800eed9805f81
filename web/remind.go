package web

import (
	"net/http"
	"strconv"

	"vanguard/web/views"
)

// attendSaved maps ?saved= on the confirmation page to its notice.
var attendSaved = map[string]string{"confirmed": "remind.saved.confirmed", "withdrawn": "remind.saved.withdrawn"}

// attendConfirmPage is where a reminder leads: the volunteer's own place,
// to confirm (我会准时参加) or give up.
func (s *Server) attendConfirmPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAttend(w, r, http.StatusOK, views.AttendConfirmView{Saved: attendSaved[r.URL.Query().Get("saved")]})
}

func (s *Server) renderAttend(w http.ResponseWriter, r *http.Request, status int, d views.AttendConfirmView) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if d.View, err = s.svc.AttendPlace(r.Context(), caller(r), id); err != nil {
		return err
	}
	s.render(w, r, status, views.AttendConfirm(page(r, "remind.confirm.title", "activities"), d))
	return nil
}

// attendConfirm records the answer: answer=yes confirms, answer=no gives
// the place up through the ordinary cancellation (its cut-off holds).
func (s *Server) attendConfirm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	saved := "confirmed"
	if r.PostForm.Get("answer") == "no" {
		saved = "withdrawn"
		// The place must be the caller's own: AttendPlace finds only that.
		if _, err := s.svc.AttendPlace(r.Context(), caller(r), id); err != nil {
			return err
		}
		err = s.svc.CancelSignup(r.Context(), caller(r), id)
	} else {
		err = s.svc.ConfirmAttendance(r.Context(), caller(r), id)
	}
	if e, ok := errAsConflict(err); ok {
		return s.renderAttend(w, r, http.StatusConflict, views.AttendConfirmView{Notice: translate(r, e)})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/activities/"+strconv.FormatInt(id, 10)+"/attend-confirm?saved="+saved, http.StatusSeeOther)
	return nil
}
