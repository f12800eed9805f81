package web

import (
	"net/http"

	"vanguard/web/views"
)

// adminHub lists the administration pages the user may open; with none,
// there is nothing for them here.
func (s *Server) adminHub(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, views.AdminHub(page(r, "nav.admin", "admin")))
	return nil
}
