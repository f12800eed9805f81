package web

import (
	"net/http"
	"strconv"
	"strings"

	"vanguard/web/views"
)

func (s *Server) deskPage(w http.ResponseWriter, r *http.Request) error {
	pool, err := s.svc.DispatchPool(r.Context(), caller(r))
	if err != nil {
		return err
	}
	declined := r.URL.Query().Get("declined") == "1"
	if declined {
		// Only the orders with a slot a team declined, waiting for
		// another team.
		ids, err := s.svc.DeclinedWaiting(r.Context(), caller(r))
		if err != nil {
			return err
		}
		kept := pool.Orders[:0]
		for _, o := range pool.Orders {
			if ids[o.Order.ID] {
				kept = append(kept, o)
			}
		}
		pool.Orders = kept
	}
	lk, err := s.lookups(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.Desk(page(r, "desk.title", "desk"), pool, lk, declined))
	return nil
}

func (s *Server) deskOrderPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderDeskOrder(w, r, http.StatusOK, views.DeskOrderView{Saved: r.URL.Query().Get("saved") == "1"})
}

func (s *Server) renderDeskOrder(w http.ResponseWriter, r *http.Request, status int, d views.DeskOrderView) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if d.P, err = s.svc.ProposeGroup(r.Context(), caller(r), id); err != nil {
		return err
	}
	if d.Lookups, err = s.lookups(r.Context()); err != nil {
		return err
	}
	s.render(w, r, status, views.DeskOrder(page(r, "desk.title", "desk"), d))
	return nil
}

// dispatchOrder sends the order to the teams chosen in the form: fields
// team_<category> (0 keeps it in the pool) and reason_<category>.
func (s *Server) dispatchOrder(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	choice, reasons := map[int64]int64{}, map[int64]string{}
	for k, vs := range r.PostForm {
		if len(vs) == 0 {
			continue
		}
		if c, ok := strings.CutPrefix(k, "team_"); ok {
			cat, err1 := strconv.ParseInt(c, 10, 64)
			team, err2 := strconv.ParseInt(vs[0], 10, 64)
			if err1 == nil && err2 == nil && cat > 0 && team >= 0 {
				choice[cat] = team
			}
		}
		if c, ok := strings.CutPrefix(k, "reason_"); ok {
			if cat, err := strconv.ParseInt(c, 10, 64); err == nil {
				reasons[cat] = vs[0]
			}
		}
	}
	err = s.svc.DispatchOrder(r.Context(), caller(r), id, choice, reasons)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderDeskOrder(w, r, http.StatusUnprocessableEntity, views.DeskOrderView{Errors: errs, Form: r.PostForm})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/desk/orders/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) planPage(w http.ResponseWriter, r *http.Request) error {
	saved, _ := strconv.Atoi(r.URL.Query().Get("saved"))
	return s.renderPlan(w, r, http.StatusOK, views.PlanView{Saved: saved})
}

func (s *Server) renderPlan(w http.ResponseWriter, r *http.Request, status int, v views.PlanView) error {
	var err error
	if v.Plan, err = s.svc.PlanPool(r.Context(), caller(r)); err != nil {
		return err
	}
	if v.Lookups, err = s.lookups(r.Context()); err != nil {
		return err
	}
	s.render(w, r, status, views.Plan(page(r, "desk.plan_title", "desk"), v))
	return nil
}

func (s *Server) commitPlan(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	n, err := s.svc.CommitPlan(r.Context(), caller(r), r.PostForm.Get("fingerprint"))
	if err != nil {
		if e, ok := errAsConflict(err); ok {
			return s.renderPlan(w, r, http.StatusConflict, views.PlanView{Error: translate(r, e)})
		}
		return err
	}
	http.Redirect(w, r, "/desk/plan?saved="+strconv.Itoa(n), http.StatusSeeOther)
	return nil
}
