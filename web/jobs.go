package web

import (
	"net/http"

	"vanguard/web/views"
)

// The job queue at /admin/jobs, for the committee: counts, waiting,
// running, failed, dead and cancelled jobs, with retry and cancel.

func (s *Server) jobsPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.svc.Jobs(r.Context(), caller(r))
	if err != nil {
		return err
	}
	v := views.JobsView{JobsOverview: d, Done: r.URL.Query().Get("done")}
	s.render(w, r, http.StatusOK, views.Jobs(page(r, "notify.jobs.title", "admin"), v))
	return nil
}

// jobAction retries or cancels one job and goes back to the page.
func (s *Server) jobAction(retry bool) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		done := "cancelled"
		if retry {
			done = "retried"
			err = s.svc.RetryJob(r.Context(), caller(r), id)
		} else {
			err = s.svc.CancelJob(r.Context(), caller(r), id)
		}
		if err != nil {
			return err
		}
		http.Redirect(w, r, "/admin/jobs?done="+done, http.StatusSeeOther)
		return nil
	}
}
