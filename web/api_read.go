package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// The API's reads. Each asks the service the matching page asks, so the
// same policy applies; phone numbers are always masked here (the API has
// no "reveal", which the pages audit one by one).

// apiList is one page of a list.
type apiList[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

func listOf[T any](items []T, next string) apiList[T] {
	if items == nil {
		items = []T{}
	}
	return apiList[T]{Items: items, NextCursor: next}
}

// apiMenuItem is one service of the public menu.
type apiMenuItem struct {
	ID          int64    `json:"id"`
	Title       string   `json:"title"`
	CategoryID  int64    `json:"category_id"`
	Description string   `json:"description"`
	Kind        string   `json:"kind"`
	Term        string   `json:"term"`
	Duration    string   `json:"duration"`
	Volunteers  int      `json:"volunteers"`
	ItemIDs     []int64  `json:"item_ids"`
	Teams       []string `json:"teams"`
}

func (s *Server) apiMenu(w http.ResponseWriter, r *http.Request) error {
	pg, err := readPage(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.MenuFilter{Query: trimTo(q.Get("q"), 60)}
	f.CategoryID, _ = strconv.ParseInt(q.Get("category_id"), 10, 64)
	f.RegionID, _ = strconv.ParseInt(q.Get("region_id"), 10, 64)
	m, err := s.svc.PublicMenu(r.Context(), f)
	if err != nil {
		return err
	}
	page, next, err := pageOf(m.Services, pg, func(sv domain.MenuService) string { return idKey(sv.ID) })
	if err != nil {
		return err
	}
	out := make([]apiMenuItem, len(page))
	for i, sv := range page {
		out[i] = apiMenuItem{ID: sv.ID, Title: sv.Title, CategoryID: sv.CategoryID, Description: sv.Description,
			Kind: string(sv.Kind), Term: string(sv.Term), Duration: sv.Duration, Volunteers: sv.Volunteers,
			ItemIDs: append([]int64{}, sv.ItemIDs...), Teams: append([]string{}, sv.TeamNames...)}
	}
	return writeAPI(w, r, http.StatusOK, listOf(out, next))
}

// apiOrder is an order as staff read it, the requester's phone masked.
type apiOrder struct {
	ID            int64   `json:"id"`
	Number        string  `json:"number"`
	State         string  `json:"state"`
	Channel       string  `json:"channel"`
	RequesterName string  `json:"requester_name"`
	PhoneMasked   string  `json:"requester_phone_masked"`
	SiteName      string  `json:"site_name"`
	RegionName    string  `json:"region_name"`
	Address       string  `json:"address"`
	DateFrom      string  `json:"date_from"`
	DateTo        string  `json:"date_to"`
	Beneficiaries int     `json:"beneficiaries"`
	Need          string  `json:"need"`
	CreatedAt     apiTime `json:"created_at"`
	UpdatedAt     apiTime `json:"updated_at"`
}

func orderOf(o domain.Order) apiOrder {
	return apiOrder{ID: o.ID, Number: domain.OrderNumber(o.ID), State: string(o.State), Channel: string(o.Channel),
		RequesterName: o.RequesterName, PhoneMasked: domain.MaskPhone(o.RequesterPhone), SiteName: o.SiteName,
		RegionName: o.RegionName, Address: o.Address, DateFrom: o.DateFrom, DateTo: o.DateTo,
		Beneficiaries: o.Beneficiaries, Need: o.Need, CreatedAt: apiTime(o.CreatedAt), UpdatedAt: apiTime(o.UpdatedAt)}
}

// apiOrders is the caller's work list, most recently changed first; the
// cursor is the last order's change time and id, read in the database.
func (s *Server) apiOrders(w http.ResponseWriter, r *http.Request) error {
	pg, err := readPage(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.OrderFilter{State: domain.OrderState(q.Get("state")), Query: trimTo(q.Get("q"), 60), Limit: pg.limit + 1}
	if pg.after != "" {
		at, id, ok := splitKey(pg.after)
		if !ok {
			return domain.Invalid("cursor", "api.page.cursor")
		}
		f.After = store.OrderKey{UpdatedAt: time.UnixMicro(at), ID: id}
	}
	orders, err := s.svc.OrderList(r.Context(), caller(r), f)
	if err != nil {
		return err
	}
	next := ""
	if len(orders) > pg.limit {
		orders = orders[:pg.limit]
		last := orders[len(orders)-1]
		next = encodeCursor(joinKey(last.UpdatedAt.UnixMicro(), last.ID))
	}
	out := make([]apiOrder, len(orders))
	for i, o := range orders {
		out[i] = orderOf(o)
	}
	return writeAPI(w, r, http.StatusOK, listOf(out, next))
}

// joinKey and splitKey write a two-part key "time:id" of a cursor.
func joinKey(at, id int64) string { return strconv.FormatInt(at, 10) + ":" + strconv.FormatInt(id, 10) }

func splitKey(k string) (at, id int64, ok bool) {
	a, b, found := strings.Cut(k, ":")
	at, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(b, 10, 64)
	return at, id, found && err1 == nil && err2 == nil && id > 0
}

// apiInboxItem is one order sent to one of the caller's teams.
type apiInboxItem struct {
	OrderID    int64         `json:"order_id"`
	Number     string        `json:"number"`
	OrderState string        `json:"order_state"`
	SiteName   string        `json:"site_name"`
	Need       string        `json:"need"`
	DateFrom   string        `json:"date_from"`
	DateTo     string        `json:"date_to"`
	TeamID     int64         `json:"team_id"`
	TeamName   string        `json:"team_name"`
	Overdue    bool          `json:"overdue"`
	ActivityID int64         `json:"activity_id"`
	Dispatches []apiDispatch `json:"dispatches"`
}

type apiDispatch struct {
	ID           int64   `json:"id"`
	CategoryID   int64   `json:"category_id"`
	State        string  `json:"state"`
	Reason       string  `json:"reason"`
	DispatchedAt apiTime `json:"dispatched_at"`
	AnsweredAt   apiTime `json:"answered_at"`
}

// apiInbox is the dispatch inbox of the caller's teams (?all=1: answered
// ones too).
func (s *Server) apiInbox(w http.ResponseWriter, r *http.Request) error {
	pg, err := readPage(r)
	if err != nil {
		return err
	}
	items, err := s.svc.TeamInbox(r.Context(), caller(r), r.URL.Query().Get("all") == "1")
	if err != nil {
		return err
	}
	page, next, err := pageOf(items, pg, func(it service.InboxItem) string { return joinKey(it.Order.ID, it.TeamID) })
	if err != nil {
		return err
	}
	out := make([]apiInboxItem, len(page))
	for i, it := range page {
		x := apiInboxItem{OrderID: it.Order.ID, Number: domain.OrderNumber(it.Order.ID), OrderState: string(it.Order.State),
			SiteName: it.Order.SiteName, Need: it.Order.Need, DateFrom: it.Order.DateFrom, DateTo: it.Order.DateTo,
			TeamID: it.TeamID, TeamName: it.TeamName, Overdue: it.Overdue, ActivityID: it.ActivityID, Dispatches: []apiDispatch{}}
		for _, d := range it.Dispatches {
			x.Dispatches = append(x.Dispatches, apiDispatch{ID: d.ID, CategoryID: d.CategoryID, State: string(d.State),
				Reason: d.Reason, DispatchedAt: apiTime(d.DispatchedAt), AnsweredAt: apiTime(d.AnsweredAt)})
		}
		out[i] = x
	}
	return writeAPI(w, r, http.StatusOK, listOf(out, next))
}

// apiActivity is an activity as the calendar shows it.
type apiActivity struct {
	ID           int64   `json:"id"`
	Title        string  `json:"title"`
	Mode         string  `json:"mode"`
	State        string  `json:"state"`
	OrgName      string  `json:"org_name"`
	TeamName     string  `json:"team_name"`
	SiteName     string  `json:"site_name"`
	RegionName   string  `json:"region_name"`
	Address      string  `json:"address"`
	StartsAt     apiTime `json:"starts_at"`
	EndsAt       apiTime `json:"ends_at"`
	CancelCutoff apiTime `json:"cancel_cutoff"`
	Capacity     int     `json:"capacity"`
	Taken        int     `json:"taken"`
}

func activityOf(a domain.Activity) apiActivity {
	return apiActivity{ID: a.ID, Title: a.Title, Mode: string(a.Mode), State: string(a.State), OrgName: a.OrgName,
		TeamName: a.TeamName, SiteName: a.SiteName, RegionName: a.RegionName, Address: a.Address,
		StartsAt: apiTime(a.StartsAt), EndsAt: apiTime(a.EndsAt), CancelCutoff: apiTime(a.CancelCutoff),
		Capacity: a.Capacity, Taken: a.Taken}
}

// apiActivities lists activities starting from ?from= (a date, default
// today in China), soonest first; ?manage=1 keeps those the caller
// organises or takes part in, as the page's "mine" filter does.
func (s *Server) apiActivities(w http.ResponseWriter, r *http.Request) error {
	pg, err := readPage(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	from := s.svc.Now().In(domain.ChinaZone).Format("2006-01-02")
	if v := q.Get("from"); v != "" {
		from = v
	}
	day, err := time.ParseInLocation("2006-01-02", from, domain.ChinaZone)
	if err != nil {
		return domain.Invalid("from", "err.date_format")
	}
	f := store.ActivityFilter{From: day, State: domain.ActivityState(q.Get("state")), Limit: pg.limit + 1}
	if pg.after != "" {
		at, id, ok := splitKey(pg.after)
		if !ok {
			return domain.Invalid("cursor", "api.page.cursor")
		}
		f.After = store.ActivityKey{StartsAt: time.UnixMicro(at), ID: id}
	}
	manage := q.Get("manage") == "1" && domain.Can(principal(r), domain.ActActivityManage, domain.Target{})
	acts, _, err := s.svc.Activities(r.Context(), caller(r), f, manage)
	if err != nil {
		return err
	}
	next := ""
	if len(acts) > pg.limit {
		acts = acts[:pg.limit]
		last := acts[len(acts)-1]
		next = encodeCursor(joinKey(last.StartsAt.UnixMicro(), last.ID))
	}
	out := make([]apiActivity, len(acts))
	for i, a := range acts {
		out[i] = activityOf(a)
	}
	return writeAPI(w, r, http.StatusOK, listOf(out, next))
}

// apiSignup is one of the caller's places in an activity.
type apiSignup struct {
	Activity apiActivity `json:"activity"`
	State    string      `json:"state"`
	Attended bool        `json:"attended"`
	Hours    apiHours    `json:"hours"`
}

// apiSignups lists the caller's sign-ups and service, upcoming first
// (soonest first), then past ones (newest first), as /me/service shows them.
func (s *Server) apiSignups(w http.ResponseWriter, r *http.Request) error {
	pg, err := readPage(r)
	if err != nil {
		return err
	}
	my, err := s.svc.MyActivities(r.Context(), caller(r))
	if err != nil {
		return err
	}
	all := append(append([]store.PersonActivity{}, my.Upcoming...), my.Past...)
	page, next, err := pageOf(all, pg, func(pa store.PersonActivity) string { return idKey(pa.Activity.ID) })
	if err != nil {
		return err
	}
	out := make([]apiSignup, len(page))
	for i, pa := range page {
		out[i] = apiSignup{Activity: activityOf(pa.Activity), State: string(pa.Signup), Attended: pa.Attended, Hours: hoursOf(pa.Minutes)}
	}
	return writeAPI(w, r, http.StatusOK, listOf(out, next))
}

// apiAttendee is one sign-up of an activity with its attendance.
type apiAttendee struct {
	SignupID    int64     `json:"signup_id"`
	PersonID    int64     `json:"person_id"`
	PersonName  string    `json:"person_name"`
	PhoneMasked string    `json:"phone_masked"`
	TeamName    string    `json:"team_name"`
	State       string    `json:"state"`
	Attended    bool      `json:"attended"`
	Hours       apiHours  `json:"hours"`
	Pairs       []apiPair `json:"pairs"`
}

type apiPair struct {
	Day       string  `json:"day"`
	Pair      int     `json:"pair"`
	CheckIn   apiTime `json:"check_in"`
	CheckOut  apiTime `json:"check_out"`
	MethodIn  string  `json:"method_in"`
	MethodOut string  `json:"method_out"`
}

// apiAttendance lists an activity's sign-ups and attendance for those who
// run it on site (the activity page's own test).
func (s *Server) apiAttendance(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pg, err := readPage(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Activity(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	if !v.CanOnsite {
		return domain.Errorf(domain.CodeForbidden, "err.forbidden")
	}
	page, next, err := pageOf(v.Signups, pg, func(g domain.Signup) string { return idKey(g.ID) })
	if err != nil {
		return err
	}
	out := make([]apiAttendee, len(page))
	for i, g := range page {
		x := apiAttendee{SignupID: g.ID, PersonID: g.PersonID, PersonName: g.PersonName, PhoneMasked: g.PhoneMasked,
			TeamName: g.TeamName, State: string(g.State), Attended: g.Attended, Hours: hoursOf(g.Minutes), Pairs: []apiPair{}}
		for _, p := range g.Attendance {
			x.Pairs = append(x.Pairs, apiPair{Day: p.Day, Pair: p.Pair, CheckIn: apiTime(p.CheckIn), CheckOut: apiTime(p.CheckOut),
				MethodIn: string(p.MethodIn), MethodOut: string(p.MethodOut)})
		}
		out[i] = x
	}
	return writeAPI(w, r, http.StatusOK, listOf(out, next))
}

// apiServiceRecord is one activity of the caller's service record.
type apiServiceRecord struct {
	ActivityID    int64    `json:"activity_id"`
	ActivityTitle string   `json:"activity_title"`
	OrgName       string   `json:"org_name"`
	TeamName      string   `json:"team_name"`
	StartsAt      apiTime  `json:"starts_at"`
	EndsAt        apiTime  `json:"ends_at"`
	Hours         apiHours `json:"hours"`
	Corrections   int      `json:"corrections"`
}

// apiHoursBody is the caller's hours: totals and a page of their record.
type apiHoursBody struct {
	PersonName  string             `json:"person_name"`
	Total       apiHours           `json:"total"`
	PersonTimes int                `json:"person_times"`
	StarLevel   int                `json:"star_level"`
	Items       []apiServiceRecord `json:"items"`
	NextCursor  string             `json:"next_cursor,omitempty"`
}

func (s *Server) apiHours(w http.ResponseWriter, r *http.Request) error {
	pg, err := readPage(r)
	if err != nil {
		return err
	}
	rec, err := s.svc.MyRecords(r.Context(), caller(r))
	if err != nil {
		return err
	}
	page, next, err := pageOf(rec.Records, pg, func(x domain.ServiceRecord) string { return idKey(x.ActivityID) })
	if err != nil {
		return err
	}
	out := apiHoursBody{PersonName: rec.Person.Name, Total: hoursOf(rec.Stars.Minutes), PersonTimes: len(rec.Records),
		StarLevel: rec.Stars.Level, Items: []apiServiceRecord{}, NextCursor: next}
	for _, x := range page {
		out.Items = append(out.Items, apiServiceRecord{ActivityID: x.ActivityID, ActivityTitle: x.ActivityTitle,
			OrgName: x.OrgName, TeamName: x.TeamName, StartsAt: apiTime(x.StartsAt), EndsAt: apiTime(x.EndsAt),
			Hours: hoursOf(x.Minutes), Corrections: x.Corrections})
	}
	return writeAPI(w, r, http.StatusOK, out)
}

// apiStatsBody is the statistics summary of the caller's scope.
type apiStatsBody struct {
	Orders      map[string]int `json:"orders"`
	Activities  map[string]int `json:"activities"`
	PersonTimes int            `json:"person_times"`
	Hours       apiHours       `json:"hours"`
}

func (s *Server) apiStats(w http.ResponseWriter, r *http.Request) error {
	st, err := s.svc.Stats(r.Context(), caller(r))
	if err != nil {
		return err
	}
	out := apiStatsBody{Orders: map[string]int{}, Activities: map[string]int{}, PersonTimes: st.PersonTimes, Hours: hoursOf(st.Minutes)}
	for k, n := range st.Orders {
		out.Orders[string(k)] = n
	}
	for k, n := range st.Activities {
		out.Activities[string(k)] = n
	}
	return writeAPI(w, r, http.StatusOK, out)
}
