package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

var (
	todoItemRe   = regexp.MustCompile(`href="([^"]*)" id="todo-([a-z0-9_-]+)" data-count="(\d+)"`)
	workTotalRe  = regexp.MustCompile(`id="work-total">共 (\d+) 件点单`)
	actTotalRe   = regexp.MustCompile(`id="act-total">共 (\d+) 次活动`)
	requestsNRe  = regexp.MustCompile(`act-requests" data-n="(\d+)"`)
	correctionRe = regexp.MustCompile(`<a href="/records/\d+/activities/\d+"`)
	upcomingRe   = regexp.MustCompile(`att-signup-(confirmed|waitlisted|requested)`)
)

// todoItem is one count of a home page with the list it links to.
type todoItem struct {
	id, href string
	n        int
}

// homeTodo reads the counts of a home page.
func homeTodo(t *testing.T, c *client) map[string]todoItem {
	t.Helper()
	r := c.get(t, "/")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("home: %d", r.StatusCode)
	}
	out := map[string]todoItem{}
	for _, m := range todoItemRe.FindAllStringSubmatch(r.body, -1) {
		n, _ := strconv.Atoi(m[3])
		out[m[2]] = todoItem{id: m[2], href: html.UnescapeString(m[1]), n: n}
	}
	return out
}

func atoiGroup(re *regexp.Regexp, s string) int {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// listRows counts the rows of the list a to-do item links to, the way
// that page shows them.
func listRows(t *testing.T, c *client, href string) int {
	t.Helper()
	r := c.get(t, href)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", href, r.StatusCode)
	}
	path, _, _ := strings.Cut(href, "?")
	switch {
	case path == "/orders":
		return atoiGroup(workTotalRe, r.body)
	case href == "/desk#overdue":
		i := strings.Index(r.body, `id="overdue"`)
		if i < 0 {
			return 0
		}
		box := r.body[i:]
		box = box[:strings.Index(box, "</div>")]
		return strings.Count(box, `<a href="/desk/orders/`)
	case path == "/desk":
		return strings.Count(r.body, `id="propose-`)
	case path == "/admin/complaints":
		return strings.Count(r.body, `<li id="complaint-`)
	case path == "/records/corrections":
		return len(correctionRe.FindAllString(r.body, -1))
	case path == "/records/review":
		return strings.Count(r.body, `type="checkbox" name="id"`)
	case path == "/inbox":
		return strings.Count(r.body, `class="card inbox-item"`)
	case path == "/activities/new":
		return strings.Count(r.body, `<li id="unarranged-`)
	case path == "/activities" && strings.Contains(href, "requests=1"):
		sum := 0
		for _, m := range requestsNRe.FindAllStringSubmatch(r.body, -1) {
			n, _ := strconv.Atoi(m[1])
			sum += n
		}
		return sum
	case path == "/activities":
		return atoiGroup(actTotalRe, r.body)
	case path == "/me/service":
		up := r.body
		if i := strings.Index(up, `id="myservice-past"`); i >= 0 {
			up = up[:i]
		}
		return len(upcomingRe.FindAllString(up, -1))
	}
	t.Fatalf("no row counter for %s", href)
	return 0
}

// TestHomeTodoMatchesLists: every role's home page shows its counts, and
// each count equals the rows of the filtered list it links to.
func TestHomeTodoMatchesLists(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	want := map[string][]string{
		"admin":         {"review", "pool", "overdue", "declined", "complaints", "corrections", "today"},
		"nmj-admin":     {"org-review", "org-corrections", "org-week"},
		"nmj-leader":    {"answer", "unarranged", "requests", "leader-today"},
		"volunteer":     {"upcoming", "joinable"},
		"gacha-contact": {"state-submitted", "state-accepted", "state-confirmed", "state-served", "state-evaluated"},
	}
	nonzero := 0
	for user, ids := range want {
		c := a.login(t, user)
		items := homeTodo(t, c)
		for _, id := range ids {
			it, ok := items[id]
			if !ok {
				t.Errorf("%s: home page has no item %q (has %v)", user, id, items)
				continue
			}
			if rows := listRows(t, c, it.href); rows != it.n {
				t.Errorf("%s: %s counts %d, but %s lists %d", user, id, it.n, it.href, rows)
			}
			t.Logf("%s: %s = %d", user, id, it.n)
			if it.n > 0 {
				nonzero++
			}
		}
	}
	if nonzero < 5 {
		t.Errorf("only %d counts are not zero on the demo; the test would prove little", nonzero)
	}
	// A zero is shown muted, not hidden; the volunteer sees their stars.
	if r := a.login(t, "admin").get(t, "/"); !strings.Contains(r.body, "todo-item zero") && !strings.Contains(r.body, "todo-item") {
		t.Errorf("the committee's home has no to-do items")
	}
	if r := a.login(t, "volunteer").get(t, "/"); !strings.Contains(r.body, `id="star-summary"`) {
		t.Errorf("the volunteer's home shows no star level")
	}
}

// TestHomeWithoutRoles: an account with no role yet (a registration waiting
// for approval) gets a page saying so, not an error.
func TestHomeWithoutRoles(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	hash, err := fastHasher.Hash("registered-and-waiting")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Store.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error {
		_, err := tx.CreateUser(store.NewUser{Username: "waiting", DisplayName: "新注册", PasswordHash: hash})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	c := a.newClient(t)
	if r := c.login(t, "waiting", "registered-and-waiting"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("login without roles: %d", r.StatusCode)
	}
	r := c.get(t, "/")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="todo-waiting"`) || strings.Contains(r.body, `id="todo-`+"upcoming") {
		t.Fatalf("home without roles: %d, waiting text shown: %v", r.StatusCode, strings.Contains(r.body, `id="todo-waiting"`))
	}
}

// TestLeaderArrangesActivity: a dispatch the leader's team confirmed shows
// on their home page and inbox with "安排活动"; the leader reads the order
// (and no other); the new-activity form offers it and fills from it; once
// the activity is made, the order leaves the list and the inbox links to
// the activity.
func TestLeaderArrangesActivity(t *testing.T) {
	t.Parallel()
	f := newActFixture(t, storetest.SQLitePath(t))
	a, ctx := f.a, context.Background()
	items, err := a.Store.ListMenuItems(ctx, store.MenuFilter{ActiveOnly: true})
	if err != nil || len(items) == 0 {
		t.Fatalf("menu: %d, %v", len(items), err)
	}
	day := time.Now().In(domain.ChinaZone).AddDate(0, 0, 12).Format("2006-01-02")
	place := func(phone string) domain.Order {
		code, err := a.Service.PlaceOrder(ctx, domain.Caller{IP: "192.0.2.71", RequestID: "t"}, domain.OrderInput{
			RequesterName: "其其格", RequesterPhone: phone, SiteID: f.site, DateFrom: day, DateTo: day,
			Beneficiaries: 80, ItemIDs: []int64{items[0].ID}})
		if err != nil {
			t.Fatal(err)
		}
		o, _ := a.Store.OrderByCode(ctx, code)
		return o
	}
	o, elsewhere := place("13700000071"), place("13700000072")
	leader := a.login(t, "nmj-leader")
	before := homeTodo(t, leader)

	err = a.Store.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error {
		for _, x := range []int64{o.ID, elsewhere.ID} {
			if _, err := tx.TransitionOrder(x, domain.EventAccept, ""); err != nil {
				return err
			}
		}
		return tx.DispatchOrder(o.ID, []store.NewDispatch{{CategoryID: items[0].CategoryID, TeamID: f.team, PersonDays: 3}})
	})
	if err != nil {
		t.Fatal(err)
	}
	oid := strconv.FormatInt(o.ID, 10)
	if got := homeTodo(t, leader)["answer"].n; got != before["answer"].n+1 {
		t.Errorf("dispatches to answer: %d, want %d", got, before["answer"].n+1)
	}
	// The leader reads the order sent to their team, masked, but not
	// another order.
	if r := leader.get(t, "/orders/"+oid); r.StatusCode != http.StatusOK || strings.Contains(r.body, "13700000071") ||
		!strings.Contains(r.body, "137****0071") {
		t.Fatalf("the leader reading the order sent to them: %d", r.StatusCode)
	}
	if r := leader.get(t, "/orders/"+strconv.FormatInt(elsewhere.ID, 10)); r.StatusCode != http.StatusForbidden {
		t.Fatalf("the leader reading an order not sent to them: %d, want 403", r.StatusCode)
	}
	r := leader.postForm(t, "/inbox/"+oid+"/"+strconv.FormatInt(f.team, 10)+"/confirm", url.Values{})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d", r.StatusCode)
	}
	arrange := `href="/activities/new?order=` + oid + `"`
	home := leader.get(t, "/")
	if !strings.Contains(home.body, `id="unarranged-`+oid+`"`) || !strings.Contains(home.body, arrange) ||
		!strings.Contains(home.body, "安排活动") {
		t.Fatalf("the leader's home does not offer to arrange the confirmed order")
	}
	if got := homeTodo(t, leader)["unarranged"].n; got != before["unarranged"].n+1 {
		t.Errorf("orders to arrange: %d, want %d", got, before["unarranged"].n+1)
	}
	if r := leader.get(t, "/inbox?all=1"); !strings.Contains(r.body, arrange) {
		t.Fatalf("the inbox item of the confirmed dispatch does not link to arranging its activity")
	}
	if r := leader.get(t, "/activities/new"); !strings.Contains(r.body, `id="unarranged-`+oid+`"`) ||
		!strings.Contains(r.body, `id="activity-form"`) {
		t.Fatalf("the blank new-activity form does not offer the confirmed order")
	}
	r = leader.get(t, "/activities/new?order="+oid)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `name="order_id" value="`+oid+`"`) ||
		!strings.Contains(r.body, `value="`+day+`"`) {
		t.Fatalf("the form is not filled from the order: %d %q", r.StatusCode, r.notice())
	}
	form := f.form(items[0].Title, domain.ModeUnit, time.Now().Add(12*24*time.Hour), 10)
	form.Set("order_id", oid)
	id := created(t, leader.postForm(t, "/activities", form))
	if act, _ := a.Store.ActivityByID(ctx, id); act.OrderID != o.ID {
		t.Fatalf("the activity's order is %d, want %d", act.OrderID, o.ID)
	}
	if r := leader.get(t, "/"); strings.Contains(r.body, `id="unarranged-`+oid+`"`) {
		t.Errorf("the order is still waiting for an activity on the home page")
	}
	if got := homeTodo(t, leader)["unarranged"].n; got != before["unarranged"].n {
		t.Errorf("orders to arrange after arranging: %d, want %d", got, before["unarranged"].n)
	}
	if r := leader.get(t, "/inbox?all=1"); strings.Contains(r.body, arrange) ||
		!strings.Contains(r.body, `href="/activities/`+strconv.FormatInt(id, 10)+`"`) {
		t.Errorf("the inbox item does not link to the activity once it exists")
	}
}
