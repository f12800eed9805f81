package web

import (
	"net/http"

	"vanguard/web/views"
)

func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request) error {
	saved := map[string]string{"confirmed": "inbox.confirmed", "declined": "inbox.declined"}[r.URL.Query().Get("saved")]
	return s.renderInbox(w, r, http.StatusOK, views.InboxView{All: r.URL.Query().Get("all") == "1", Saved: saved})
}

func (s *Server) renderInbox(w http.ResponseWriter, r *http.Request, status int, d views.InboxView) error {
	items, err := s.svc.TeamInbox(r.Context(), caller(r), d.All)
	if err != nil {
		return err
	}
	d.Items = items
	if d.Lookups, err = s.lookups(r.Context()); err != nil {
		return err
	}
	s.render(w, r, status, views.Inbox(page(r, "inbox.title", "inbox"), d))
	return nil
}

func (s *Server) answerDispatch(confirm bool) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		order, err := pathID(r, "order")
		if err != nil {
			return err
		}
		team, err := pathID(r, "team")
		if err != nil {
			return err
		}
		if err := parseForm(r); err != nil {
			return err
		}
		err = s.svc.AnswerDispatch(r.Context(), caller(r), order, team, confirm, r.PostForm.Get("reason"))
		if errs, ok := fieldErrors(r, err); ok {
			return s.renderInbox(w, r, http.StatusUnprocessableEntity, views.InboxView{Errors: errs, ErrKey: [2]int64{order, team}})
		} else if err != nil {
			return err
		}
		saved := "declined"
		if confirm {
			saved = "confirmed"
		}
		http.Redirect(w, r, "/inbox?saved="+saved, http.StatusSeeOther)
		return nil
	}
}
