package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/service"
	"vanguard/store"
	"vanguard/web/views"
)

// The public pages need no account: the menu, the order form and the status
// of an order by its tracking code. Their forms accept only their own fields
// and small bodies (publicMaxBody), and the service limits orders and
// lookups per client address.

// publicMaxBody bounds the public forms: the longest valid order (a need and
// notes of 1,000 characters each, every character percent-encoded) is under
// 24 KiB.
const publicMaxBody = 32 << 10

// maxChosenItems bounds how many ?item= ids the order form reads; an order
// may hold 10 (domain.OrderInput.Validate says so when more are sent).
const maxChosenItems = 20

// orderFields and cancelFields are the fields the public forms accept; any
// other field refuses the whole form.
var (
	orderFields = []string{"item", "need", "site_id", "region_id", "address", "date_from", "date_to",
		"beneficiaries", "notes", "requester_name", "requester_phone", "preferred_team_id", "form_token"}
	cancelFields = []string{"code", "reason"}
	findFields   = []string{"number", "phone4"}
)

// parsePublicForm reads a public form and refuses a field it does not know:
// a person filling the form in never sends one, so it is a script probing
// or a stale page, and saving part of what it meant would be wrong.
func parsePublicForm(r *http.Request, allowed []string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	var unknown []string
	for k := range r.PostForm {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, trimTo(k, 40))
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return domain.Errorf(domain.CodeInvalid, "err.public.unknown_field", strings.Join(unknown, "、"))
	}
	return nil
}

// queryIDs reads positive ids from a repeated query parameter, without
// repeats, at most n.
func queryIDs(r *http.Request, key string, n int) []int64 {
	var out []int64
	for _, s := range r.URL.Query()[key] {
		v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err == nil && v > 0 && !slices.Contains(out, v) && len(out) < n {
			out = append(out, v)
		}
	}
	return out
}

func queryID(r *http.Request, key string) int64 {
	v, err := strconv.ParseInt(strings.TrimSpace(r.URL.Query().Get(key)), 10, 64)
	if err != nil || v < 0 {
		return 0
	}
	return v
}

// menuPage returns the public menu's handler: browse by category and region,
// search. The page the public gets is the same for every visitor with the
// same filter and language, and it is what a crowd hits at once (a campaign
// announced, a QR code on a poster), so it is kept for menuCacheTTL: a change
// to the menu shows within that time. The cache is this instance's own;
// nothing another instance needs lives in it. Signed-in users get their own
// page (the header names them), built each time.
func (s *Server) menuPage() handler {
	cache := newPageCache(menuCacheTTL, menuCacheSize)
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		f := store.MenuFilter{
			CategoryID: queryID(r, "category"),
			RegionID:   queryID(r, "region"),
			Query:      trimTo(r.URL.Query().Get("q"), 40),
		}
		chosen := queryIDs(r, "item", maxChosenItems)
		p := page(r, "public.menu.title", "menu")
		key := ""
		if p.Principal.Anonymous() {
			key = string(i18n.From(ctx)) + " " + p.Path
			if body, ok := cache.get(key); ok {
				writeHTML(w, body)
				return nil
			}
		}
		menu, err := s.svc.PublicMenu(ctx, f)
		if err != nil {
			return err
		}
		l, err := s.menuLookups(ctx)
		if err != nil {
			return err
		}
		d := views.MenuView{Filter: f, Menu: menu, Categories: l.Categories, Regions: l.Regions, Chosen: chosen}
		var buf bytes.Buffer
		if err := views.Menu(p, d).Render(ctx, &buf); err != nil {
			return fmt.Errorf("render the menu: %w", err)
		}
		if key != "" {
			cache.put(key, buf.Bytes())
		}
		writeHTML(w, buf.Bytes())
		return nil
	}
}

// menuLookups loads the names the menu pages need for ids: the categories,
// and the regions the menu names (not every village).
func (s *Server) menuLookups(ctx context.Context) (views.Lookups, error) {
	cats, err := s.svc.Categories(ctx, false)
	if err != nil {
		return views.Lookups{}, err
	}
	regions, err := s.svc.MenuRegions(ctx)
	return views.Lookups{Categories: cats, Regions: regions}, err
}

// The public menu's cache: pages kept for a few seconds, a bounded number
// of them (filters come from the query string).
const (
	menuCacheTTL  = 5 * time.Second
	menuCacheSize = 64 // at ~70 KB a page, under 5 MB
)

func writeHTML(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// pageCache keeps rendered pages by key for a while.
type pageCache struct {
	ttl   time.Duration
	size  int
	mu    sync.Mutex
	pages map[string]cachedPage
}

type cachedPage struct {
	body  []byte
	until time.Time
}

func newPageCache(ttl time.Duration, size int) *pageCache {
	return &pageCache{ttl: ttl, size: size, pages: map[string]cachedPage{}}
}

func (c *pageCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pages[key]
	if !ok || time.Now().After(p.until) {
		return nil, false
	}
	return p.body, true
}

// put keeps a page; when the cache is full of fresh pages, the page is not
// kept.
func (c *pageCache) put(key string, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if len(c.pages) >= c.size {
		for k, p := range c.pages {
			if now.After(p.until) {
				delete(c.pages, k)
			}
		}
		if len(c.pages) >= c.size {
			return
		}
	}
	c.pages[key] = cachedPage{body: slices.Clone(body), until: now.Add(c.ttl)}
}

// menuItemPage is the service a menu item belongs to: the address of any
// team's item of a service, the oldest one's or another's, shows it.
func (s *Server) menuItemPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	m, err := s.svc.PublicService(ctx, id)
	if err != nil {
		return err
	}
	l, err := s.menuLookups(ctx)
	if err != nil {
		return err
	}
	p := page(r, "public.menu.title", "menu")
	s.render(w, r, http.StatusOK, views.MenuItem(p, views.MenuItemView{Item: m, Categories: l.Categories, Regions: l.Regions}))
	return nil
}

// orderPage is the order form with the items chosen on the menu.
func (s *Server) orderPage(w http.ResponseWriter, r *http.Request) error {
	d := views.OrderFormView{Checked: queryIDs(r, "item", maxChosenItems)}
	p := principal(r)
	if sites := siteContactSites(p); len(sites) > 0 {
		d.In.SiteID = sites[0]
		d.In.RequesterName = p.DisplayName
	}
	if len(d.Checked) > 10 {
		d.Errors = map[string]string{"items": i18n.T(r.Context(), "err.too_many_items", 10)}
	}
	return s.renderOrderForm(w, r, http.StatusOK, d)
}

// renderOrderForm loads what the order form lists and shows it.
func (s *Server) renderOrderForm(w http.ResponseWriter, r *http.Request, status int, d views.OrderFormView) error {
	ctx := r.Context()
	var err error
	if d.Items, err = s.svc.PublicServices(ctx, d.Checked); err != nil {
		return err
	}
	if d.Sites, err = s.svc.PublicSites(ctx); err != nil {
		return err
	}
	if sites := siteContactSites(principal(r)); len(sites) > 0 {
		// A site contact orders for their own sites; the service refuses others.
		d.SiteContact = true
		d.Sites = slices.DeleteFunc(d.Sites, func(x store.PublicSite) bool { return !slices.Contains(sites, x.ID) })
	}
	l, err := s.lookups(ctx)
	if err != nil {
		return err
	}
	d.Regions, d.Categories, d.Today = l.Regions, l.Categories, today()
	if d.Token == "" {
		d.Token = service.NewFormToken()
	}
	s.render(w, r, status, views.OrderForm(page(r, "public.order.title", "order"), d))
	return nil
}

// siteContactSites returns the sites a principal orders for as their site's
// contact, or none.
func siteContactSites(p domain.Principal) []int64 {
	if !domain.Can(p, domain.ActOrderPlace, domain.Target{}) {
		return nil
	}
	return domain.ScopeOf(p, domain.ActOrderPlace).SiteIDs
}

// placeOrder takes an order from the public or a site contact and sends the
// requester to its status page, where the code is shown once more.
func (s *Server) placeOrder(w http.ResponseWriter, r *http.Request) error {
	if err := parsePublicForm(r, orderFields); err != nil {
		return err
	}
	f := r.PostForm
	in := domain.OrderInput{
		RequesterName: f.Get("requester_name"), RequesterPhone: f.Get("requester_phone"),
		SiteID: formID(r, "site_id"), RegionID: formID(r, "region_id"), Address: f.Get("address"),
		DateFrom: strings.TrimSpace(f.Get("date_from")), DateTo: strings.TrimSpace(f.Get("date_to")),
		Need: f.Get("need"), Notes: f.Get("notes"), ItemIDs: formIDs(r, "item"),
		PreferredTeamID: formID(r, "preferred_team_id"),
	}
	if in.SiteID > 0 {
		in.RegionID, in.Address = 0, "" // the site says where
	}
	d := views.OrderFormView{In: in, Beneficiaries: strings.TrimSpace(f.Get("beneficiaries")), Checked: in.ItemIDs,
		Token: service.NormalizeCode(f.Get("form_token"))}
	if d.Beneficiaries != "" {
		n, err := strconv.Atoi(d.Beneficiaries)
		if err != nil {
			n = -1 // reported with the other faults
		}
		in.Beneficiaries = n
	}
	c := caller(r)
	if len(siteContactSites(c.Principal)) == 0 {
		// Anyone else orders as a member of the public, limited per address
		// and per phone number.
		c.Principal = domain.Principal{}
	}
	code, err := s.svc.PlaceOrderOnce(r.Context(), c, d.Token, in)
	if len(d.Checked) > maxChosenItems {
		d.Checked = d.Checked[:maxChosenItems]
	}
	if errs, ok := fieldErrors(r, err); ok {
		d.Errors = errs
		return s.renderOrderForm(w, r, http.StatusUnprocessableEntity, d)
	} else if e, ok := domain.AsError(err); ok && e.Code == domain.CodeTooMany {
		// Over the limit: the form again with what was typed, to send later.
		d.Notice = i18n.T(r.Context(), e.Key, e.Args...)
		return s.renderOrderForm(w, r, http.StatusTooManyRequests, d)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/track?"+url.Values{"code": {code}, "new": {"1"}}.Encode(), http.StatusSeeOther)
	return nil
}

// trackPage asks for a code or, given one, shows the order's status.
func (s *Server) trackPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	code := trimTo(q.Get("code"), 64)
	if code == "" {
		s.renderTrackForm(w, r, http.StatusOK, views.TrackFormView{})
		return nil
	}
	return s.renderTrack(w, r, code, views.TrackView{New: q.Get("new") == "1", Cancelled: q.Get("cancelled") == "1"})
}

// renderTrack looks an order up by its code and shows it. A code that finds
// nothing and a lookup over the limit show the form again with the message.
func (s *Server) renderTrack(w http.ResponseWriter, r *http.Request, code string, d views.TrackView) error {
	ctx := r.Context()
	t, err := s.svc.TrackOrder(ctx, caller(r), code)
	if e, ok := domain.AsError(err); ok && (e.Code == domain.CodeNotFound || e.Code == domain.CodeTooMany) {
		f := views.TrackFormView{Code: code, Error: i18n.T(ctx, e.Key, e.Args...)}
		s.renderTrackForm(w, r, statusOf[e.Code], f)
		return nil
	} else if err != nil {
		return err
	}
	cats, err := s.svc.Categories(ctx, true)
	if err != nil {
		return err
	}
	d.Tracking, d.Categories, d.Code = t, cats, t.Order.Code
	d.CanCancel = slices.Contains(t.Order.State.Events(), domain.EventCancel)
	d.Link = s.absURL(r, "/track?"+url.Values{"code": {d.Code}}.Encode())
	status := http.StatusOK
	if len(d.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, views.Track(page(r, "track.status_title", "track"), d))
	return nil
}

// findOrder finds an order by its number and the last four digits of the
// phone given on it, and shows its status page by its code. The digits come
// in the body, so that they stay out of every log. A pair that finds
// nothing, whichever half was wrong, and a lookup over the limits show the
// form again with what was typed.
func (s *Server) findOrder(w http.ResponseWriter, r *http.Request) error {
	if s.svc.PhoneCodesOn() {
		return s.findOrderByPhone(w, r)
	}
	if err := parsePublicForm(r, findFields); err != nil {
		return err
	}
	ctx := r.Context()
	number, phone4 := trimTo(r.PostForm.Get("number"), 20), trimTo(r.PostForm.Get("phone4"), 20)
	code, err := s.svc.FindOrder(ctx, caller(r), number, phone4)
	if e, ok := domain.AsError(err); ok && (e.Code == domain.CodeNotFound || e.Code == domain.CodeTooMany) {
		f := views.TrackFormView{Number: number, Phone4: phone4, Error: i18n.T(ctx, e.Key, e.Args...)}
		s.renderTrackForm(w, r, statusOf[e.Code], f)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/track?"+url.Values{"code": {code}}.Encode(), http.StatusSeeOther)
	return nil
}

// cancelOrder lets the requester withdraw an order before dispatch. The code
// comes in the body, so that it stays out of every log.
func (s *Server) cancelOrder(w http.ResponseWriter, r *http.Request) error {
	if err := parsePublicForm(r, cancelFields); err != nil {
		return err
	}
	code := trimTo(r.PostForm.Get("code"), 64)
	err := s.svc.CancelByCode(r.Context(), caller(r), code, r.PostForm.Get("reason"))
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderTrack(w, r, code, views.TrackView{Errors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/track?"+url.Values{"code": {service.NormalizeCode(code)}, "cancelled": {"1"}}.Encode(), http.StatusSeeOther)
	return nil
}

// absURL is the full address of path on this site, for a link to keep.
func (s *Server) absURL(r *http.Request, path string) string {
	scheme := "http"
	if s.secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}
