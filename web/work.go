package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/store"
	"vanguard/web/views"
)

const workPageSize = 50

// workFilter reads the work list's filters from the query string: state,
// channel, q and page. Values outside the enumerations are ignored.
func workFilter(r *http.Request) store.OrderFilter {
	q := r.URL.Query()
	f := store.OrderFilter{Query: trimTo(q.Get("q"), 40), Limit: workPageSize}
	for _, s := range domain.OrderStates {
		if q.Get("state") == string(s) {
			f.State = s
		}
	}
	if c := domain.Channel(q.Get("channel")); domain.ValidChannel(c) {
		f.Channel = c
	}
	if pg, _ := strconv.Atoi(q.Get("page")); pg > 1 {
		f.Offset = (pg - 1) * workPageSize
	}
	return f
}

func workQuery(f store.OrderFilter) url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"state": string(f.State), "channel": string(f.Channel), "q": f.Query} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// workList is the staff's list of orders in their scope; looking at it marks
// it seen, and what changed since the previous look is marked new.
func (s *Server) workList(w http.ResponseWriter, r *http.Request) error {
	c, f := caller(r), workFilter(r)
	l, err := s.svc.WorkList(r.Context(), c, f)
	if err != nil {
		return err
	}
	d := views.WorkListView{
		Filter: f, Orders: l.Orders, Changed: l.Changed, NewCount: l.NewCount, FirstLook: l.LastSeen.IsZero(),
		Pager:    pager("/orders", workQuery(f), f.Offset/workPageSize+1, l.Total, workPageSize),
		CanEnter: domain.Can(c.Principal, domain.ActOrderEnter, domain.Target{}),
		Own:      ownOrders(c.Principal),
	}
	title := "work.title"
	if d.Own {
		title = "work.mine.title"
	}
	s.render(w, r, http.StatusOK, views.WorkList(page(r, title, "orders"), d))
	return nil
}

// ownOrders reports whether p sees orders only as a site's contact: the
// orders of their own sites, which are "my orders" to them, not the
// committee's work list of orders to review (点单受理).
func ownOrders(p domain.Principal) bool {
	sc := domain.ScopeOf(p, domain.ActOrderRead)
	return !sc.All && len(sc.OrgPaths) == 0 && len(sc.SiteIDs) > 0
}

// workSaved maps ?saved= to the notice it shows.
var workSaved = map[string]string{"accept": "work.saved.accept", "reject": "work.saved.reject"}

func (s *Server) workOrder(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return s.renderWorkOrder(w, r, http.StatusOK, views.WorkOrderView{
		Created: q.Get("created") == "1", Saved: workSaved[q.Get("saved")]})
}

// renderWorkOrder shows the order of the path with d's notices and form
// state.
func (s *Server) renderWorkOrder(w http.ResponseWriter, r *http.Request, status int, d views.WorkOrderView) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c := caller(r)
	o, steps, err := s.svc.Order(r.Context(), c, id)
	if err != nil {
		return err
	}
	acc := s.svc.OrderAccessFor(c, o)
	d.Order, d.Steps = o, steps
	d.CanReview, d.CanReveal, d.SeeCode, d.SeeSuggestion = acc.Review, acc.RevealPhone, acc.SeeCode, acc.SeeSuggestion
	d.Created = d.Created && acc.SeeCode
	if d.Evaluation, err = s.svc.OrderEvaluation(r.Context(), c, o); err != nil {
		return err
	}
	d.CanAnswer = domain.Can(c.Principal, domain.ActComplaintManage, domain.Target{})
	d.Own = ownOrders(c.Principal)
	if d.Activities, d.CanArrange, err = s.orderActivities(r, o); err != nil {
		return err
	}
	s.render(w, r, status, views.WorkOrder(page(r, "work.order_page", "orders"), d))
	return nil
}

func (s *Server) workAccept(w http.ResponseWriter, r *http.Request) error {
	return s.workReview(w, r, domain.EventAccept)
}

func (s *Server) workReject(w http.ResponseWriter, r *http.Request) error {
	return s.workReview(w, r, domain.EventReject)
}

// workReview accepts or rejects an order. A missing reason shows the form
// again; a transition the lifecycle refuses (someone was quicker) shows the
// order as it now is, with the reason it was refused.
func (s *Server) workReview(w http.ResponseWriter, r *http.Request, e domain.OrderEvent) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	reason := r.PostForm.Get("reason")
	err = s.svc.ReviewOrder(r.Context(), caller(r), id, e, reason)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderWorkOrder(w, r, http.StatusUnprocessableEntity, views.WorkOrderView{Errors: errs, Reason: reason})
	}
	if ae, ok := domain.AsError(err); ok && ae.Code == domain.CodeConflict {
		return s.renderWorkOrder(w, r, http.StatusConflict, views.WorkOrderView{
			Notice: i18n.T(r.Context(), ae.Key, ae.Args...)})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/orders/"+strconv.FormatInt(id, 10)+"?saved="+string(e), http.StatusSeeOther)
	return nil
}

// workReveal shows the requester's full phone number; the service writes it
// to the audit log.
func (s *Server) workReveal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	phone, err := s.svc.RevealOrderPhone(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	return s.renderWorkOrder(w, r, http.StatusOK, views.WorkOrderView{Revealed: phone})
}

func (s *Server) workNewOrder(w http.ResponseWriter, r *http.Request) error {
	return s.renderWorkOrderForm(w, r, http.StatusOK, views.WorkOrderFormView{})
}

// renderWorkOrderForm shows the staff's order form with the active menu,
// the sites in the caller's scope and the regions.
func (s *Server) renderWorkOrderForm(w http.ResponseWriter, r *http.Request, status int, f views.WorkOrderFormView) error {
	ctx, c := r.Context(), caller(r)
	menu, err := s.svc.WorkMenu(ctx, c)
	if err != nil {
		return err
	}
	lk, err := s.lookups(ctx)
	if err != nil {
		return err
	}
	if f.Sites, err = s.svc.Sites(ctx, c, store.SiteFilter{}); err != nil {
		return err
	}
	f.Menu, f.Regions = views.WorkGroupMenu(lk.Categories, menu), lk.Regions
	if f.Beneficiaries == "" && f.In.Beneficiaries > 0 {
		f.Beneficiaries = strconv.Itoa(f.In.Beneficiaries)
	}
	s.render(w, r, status, views.WorkOrderForm(page(r, "work.enter", "orders"), f))
	return nil
}

// workOrderInput reads the staff's order form. Beneficiaries that are not a
// number become -1, which validation reports.
func workOrderInput(r *http.Request) (domain.OrderInput, string) {
	typed := strings.TrimSpace(r.PostForm.Get("beneficiaries"))
	n := 0
	if typed != "" {
		var err error
		if n, err = strconv.Atoi(typed); err != nil {
			n = -1
		}
	}
	return domain.OrderInput{
		Channel: domain.Channel(r.PostForm.Get("channel")), RequesterName: r.PostForm.Get("requester_name"),
		RequesterPhone: r.PostForm.Get("requester_phone"), SiteID: formID(r, "site_id"), RegionID: formID(r, "region_id"),
		Address: r.PostForm.Get("address"), DateFrom: r.PostForm.Get("date_from"), DateTo: r.PostForm.Get("date_to"),
		Beneficiaries: n, Need: r.PostForm.Get("need"), Notes: r.PostForm.Get("notes"), ItemIDs: formIDs(r, "items"),
	}, typed
}

// workEnterOrder records an order staff took by the hotline, the suggestion
// box, a forum or a visit — or one made from a suggestion — and shows it
// with the tracking code to pass on.
func (s *Server) workEnterOrder(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	ctx, c := r.Context(), caller(r)
	in, typed := workOrderInput(r)
	sid := formID(r, "suggestion_id")
	var code string
	var err error
	if sid != 0 {
		code, err = s.svc.EnterOrderFromSuggestion(ctx, c, sid, in)
	} else {
		code, err = s.svc.EnterOrder(ctx, c, in)
	}
	if errs, ok := fieldErrors(r, err); ok {
		f := views.WorkOrderFormView{In: in, Beneficiaries: typed, SuggestionID: sid, Errors: errs}
		if sid != 0 {
			if x, err := s.svc.Suggestion(ctx, c, sid); err == nil && x.Phone != "" {
				f.PhoneOnFile = domain.MaskPhone(x.Phone)
			}
		}
		return s.renderWorkOrderForm(w, r, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	o, err := s.svc.OrderByCodeForStaff(ctx, c, code)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/orders/"+strconv.FormatInt(o.ID, 10)+"?created=1", http.StatusSeeOther)
	return nil
}
