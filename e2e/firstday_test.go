package e2e

import (
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"vanguard/domain"
	"vanguard/report"
)

// firstDayPhone is the phone width volunteers' pages are looked at on.
const firstDayPhone = 390

// shotCounter numbers the screenshots of several tabs of one test in the
// order they were taken.
type shotCounter struct{ n int }

// tab is one user's window: a browser context of its own in the test's one
// browser (cookies are not shared), numbering its screenshots with the
// others.
type tab struct {
	*browser
	shots *shotCounter
}

func (b tab) shot(name string) {
	b.t.Helper()
	b.browser.shot = b.shots.n
	b.screenshot(name)
	b.shots.n = b.browser.shot
}

// newTab opens a fresh browser context (an incognito window) in the
// browser of first.
func newTab(first tab) tab {
	t := first.t
	t.Helper()
	ctx, cancel := chromedp.NewContext(first.browser.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a new browser context: %v", err)
	}
	return tab{browser: &browser{t: t, ctx: ctx, base: first.base, shots: first.browser.shots}, shots: first.shots}
}

// onPhoneWidth makes the tab a phone of firstDayPhone pixels.
func (b tab) onPhoneWidth() {
	b.t.Helper()
	b.step("phone viewport", chromedp.EmulateViewport(firstDayPhone, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
}

// fitsPhone fails when the page scrolls sideways on the phone.
func (b tab) fitsPhone(where string) {
	b.t.Helper()
	if w := value(b.browser, "scrollWidth", chromedp.Evaluate[int]("document.documentElement.scrollWidth")); w > firstDayPhone {
		b.t.Errorf("%s on a %d px phone is %d px wide: it scrolls sideways", where, firstDayPhone, w)
	}
}

// choose sets a select to the option whose text contains label, as a
// person picks by name, and returns the option's value.
func (b tab) choose(sel, label string) string {
	b.t.Helper()
	v := b.eval(fmt.Sprintf(`(() => {
		const s = document.querySelector(%q);
		if (!s) return "";
		const o = [...s.options].find(o => o.textContent.trim().includes(%q));
		if (!o) return "";
		s.value = o.value;
		s.dispatchEvent(new Event("change", {bubbles: true}));
		return o.value;
	})()`, sel, label))
	if v == "" {
		b.shot("no-option")
		b.t.Fatalf("%s has no option %q: %q", sel, label, b.eval(fmt.Sprintf(`[...document.querySelector(%q)?.options ?? []].map(o => o.textContent.trim()).join(" | ")`, sel)))
	}
	return v
}

// tick checks the checkbox or radio whose label's text contains label
// inside the element sel.
func (b tab) tick(sel, label string) {
	b.t.Helper()
	ok := b.eval(fmt.Sprintf(`(() => {
		const l = [...document.querySelectorAll(%q + " label")].find(l => l.textContent.includes(%q));
		if (!l) return "";
		const i = l.querySelector("input");
		if (!i.checked) i.click();
		return String(i.checked);
	})()`, sel, label))
	if ok != "true" {
		b.shot("no-box")
		b.t.Fatalf("no box %q in %s", label, sel)
	}
}

// submit clicks a form's button and fails unless the page that comes back
// is at want (a path prefix), listing the form's field errors if not.
func (b tab) submit(button, want string) string {
	b.t.Helper()
	b.scrollTo(button)
	b.click(button)
	got := b.path()
	if !strings.HasPrefix(got, want) || b.count(".field-error") > 0 {
		b.shot("refused")
		b.t.Fatalf("after %s: on %s (want %s); notices %q; field errors %q", button, got, want,
			b.eval(`[...document.querySelectorAll('.notice')].map(e => e.textContent.trim()).join('; ')`),
			b.eval(`[...document.querySelectorAll('.field-error')].map(e => e.id + ': ' + e.textContent.trim()).join('; ')`))
	}
	return got
}

// signIn signs in on the login page; with a one-time password, it changes
// it to password on the forced form first. It ends on the home page.
func (b tab) signIn(username, password, newPass string) {
	b.t.Helper()
	b.navigate("/login")
	b.login(username, password)
	if newPass != "" {
		b.expectPage("/account/password", "修改密码", "zh-CN")
		b.typeInto("#current", password)
		b.typeInto("#new", newPass)
		b.typeInto("#confirm", newPass)
		b.click("#password-submit")
	}
	if got := b.path(); got != "/" {
		b.shot("not-home")
		b.t.Fatalf("%s signed in and is on %s, want the home page", username, got)
	}
}

func (b tab) signOut() {
	b.t.Helper()
	// On a phone the header's links and the sign-out button are behind
	// the 菜单 button.
	if b.eval(`String(getComputedStyle(document.querySelector("#nav-button")).display !== "none")`) == "true" {
		b.step("open the menu", chromedp.Click(chromedp.CSS("#nav-button"), chromedp.NodeVisible))
	}
	b.click("#logout")
	b.expectPage("/login", "登录", "zh-CN")
}

// todo reads the count of a home page's to-do item.
func (b tab) todo(id string) int {
	b.t.Helper()
	sel := "#todo-" + id
	if b.count(sel) != 1 {
		b.shot("no-todo-" + id)
		b.t.Fatalf("the home page of %s has no to-do item %s", b.path(), sel)
	}
	n, err := strconv.Atoi(b.eval(fmt.Sprintf(`document.querySelector(%q).dataset.count`, sel)))
	if err != nil {
		b.t.Fatalf("%s: data-count: %v", sel, err)
	}
	if shown := b.text(sel + " .stat-num"); shown != strconv.Itoa(n) {
		b.t.Errorf("%s shows %q, its data-count is %d", sel, shown, n)
	}
	return n
}

// expectTodo checks the home page's counts.
func (b tab) expectTodo(who string, want map[string]int) {
	b.t.Helper()
	if b.path() != "/" {
		b.navigate("/")
	}
	for id, n := range want {
		if got := b.todo(id); got != n {
			b.t.Errorf("%s's home: %s counts %d, want %d", who, id, got, n)
		}
	}
	b.noCatalogueKeys("/ of " + who)
	b.noInternalText("/ of " + who)
}

// internalTextRE matches what users must never read: record ids such as
// "#55", Go errors and formatting faults.
var internalTextRE = regexp.MustCompile(`#\d+|\bsql: |\berror: |<nil>|%!|goroutine |\.go:\d+`)

// noInternalText fails on text users must not see: Go errors, "#55" ids.
func (b tab) noInternalText(where string) {
	b.t.Helper()
	body := []rune(b.text("body"))
	if m := internalTextRE.FindStringIndex(string(body)); m != nil {
		s := string(body)
		from, to := max(0, m[0]-60), min(len(s), m[1]+60)
		for from > 0 && !utf8.RuneStart(s[from]) {
			from--
		}
		for to < len(s) && !utf8.RuneStart(s[to]) {
			to++
		}
		b.t.Errorf("%s shows internal text %q in …%s…", where, s[m[0]:m[1]], s[from:to])
	}
}

// idOf is the number at the end of a path such as /teams/3.
func idOf(t *testing.T, path string) string {
	t.Helper()
	i := strings.LastIndexByte(path, '/')
	if _, err := strconv.Atoi(path[i+1:]); err != nil {
		t.Fatalf("no id at the end of %q", path)
	}
	return path[i+1:]
}

// TestBrowserFirstDay is a city's first day on an empty database, all in
// the browser as the people would click: the first committee admin signs
// in with the printed one-time password, sets up a region, a site, an org,
// a team and its menu item, imports the org's roster, creates accounts for
// it in bulk and prints the slips, opens an org admin's and a team leader's
// accounts; a volunteer signs in with a slip's password; another person
// registers on a phone and the org admin approves; the public orders the
// team's service, the committee accepts and dispatches it, the leader
// confirms it and arranges its activity from the inbox; both volunteers
// sign up from their home pages. Each role's home page shows its to-do
// counts at each point.
func TestBrowserFirstDay(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, false)
	oneTime := oneTimePassword(t, srv.Out)
	started := time.Now()

	const (
		orgName  = "市林业和草原局"
		teamName = "市林草局党员志愿服务队"
		category = "环境整治"
		service  = "草原防火宣传与垃圾清运"
		siteName = "巴音塔拉嘎查"
		leaderPw = "林草局队长-新密码-2026"
		volPw    = "萨仁的志愿者密码-2026"
		orgPw    = "林草局管理员-新密码-2026"
		regPw    = "其木格注册的密码-2026"
	)
	type member struct{ name, phone string }
	leaderP := member{"巴特尔", "13947110001"}
	saren := member{"萨仁", "13947110002"}
	wulan := member{"乌兰", "13947110003"}
	qimuge := member{"其木格", "13947110009"}

	// 1. The first committee admin signs in with the printed password and
	// must change it.
	admin := tab{browser: newBrowser(t, srv.URL), shots: &shotCounter{}}
	admin.navigate("/")
	admin.expectPage("/login", "登录", "zh-CN")
	admin.login("admin", oneTime)
	admin.expectPage("/account/password", "修改密码", "zh-CN")
	if got := admin.text(".notice.warn"); !strings.Contains(got, "首次登录") {
		t.Errorf("forced-change notice is %q", got)
	}
	admin.typeInto("#current", oneTime)
	admin.typeInto("#new", newPassword)
	admin.typeInto("#confirm", newPassword)
	admin.click("#password-submit")
	admin.expectPage("/", "系统管理员", "zh-CN")
	admin.expectTodo("the committee", map[string]int{"review": 0, "pool": 0, "overdue": 0, "declined": 0, "today": 0})
	admin.shot("committee-home-empty")

	// 2. Where the city is: a banner and a town with coordinates, a 嘎查
	// that orders, the org, its team and the team's menu item.
	admin.navigate("/regions")
	admin.step("banner", chromedp.SetValue(chromedp.CSS("#region-level"), string(domain.RegionBanner)))
	admin.typeInto("#region-name", "草原旗")
	admin.typeInto("#region-lat", "39.60")
	admin.typeInto("#region-lng", "109.80")
	admin.submit("#region-submit", "/regions")
	admin.step("town", chromedp.SetValue(chromedp.CSS("#region-level"), string(domain.RegionTown)))
	admin.choose("#region-parent", "草原旗")
	admin.typeInto("#region-name", "白音苏木")
	admin.typeInto("#region-lat", "39.90")
	admin.typeInto("#region-lng", "110.10")
	admin.submit("#region-submit", "/regions")
	admin.shot("regions")

	admin.navigate("/orgs")
	admin.choose("#parent_id", "市直机关工委")
	admin.step("kind", chromedp.SetValue(chromedp.CSS("#kind"), string(domain.OrgUnit)))
	admin.typeInto("#org-name", orgName)
	admin.submit("#org-submit", "/orgs")
	if !strings.Contains(admin.text("#orgs-tree"), orgName) {
		t.Fatalf("the org tree lacks %s: %q", orgName, admin.text("#orgs-tree"))
	}

	admin.navigate("/sites")
	admin.typeInto("#site-name", siteName)
	admin.step("kind", chromedp.SetValue(chromedp.CSS("#site-kind"), string(domain.SitePastoral)))
	admin.choose("#site-region", "白音苏木")
	admin.choose("#site-org", "市直机关工委")
	admin.typeInto("#site-address", "嘎查委员会")
	admin.submit("#site-submit", "/sites")

	admin.navigate("/teams/new")
	admin.typeInto("#name", teamName)
	admin.step("kind", chromedp.SetValue(chromedp.CSS("#kind"), string(domain.TeamParty)))
	admin.choose("#org_id", orgName)
	admin.choose("#base_region_id", "草原旗")
	admin.typeInto("#base_address", "林草局大院")
	admin.tick("#team-form fieldset.checks", category)
	teamPath := admin.submit("#team-submit", "/teams/")
	teamID := idOf(t, teamPath)
	admin.expectPage(teamPath, teamName, "zh-CN")

	admin.navigate("/admin/menu/new")
	admin.typeInto("#title", service)
	admin.choose("#category_id", category)
	admin.typeInto("#duration", "半天")
	admin.typeInto("#volunteers", "2")
	admin.tick("#menu-form", "专业型")
	admin.tick("#menu-form", "短期项目")
	admin.typeIntoArea("#description", "入户宣传草原防火知识，清运嘎查周边白色垃圾。")
	admin.tick("#teams", teamName)
	admin.tick("#regions", "草原旗")
	admin.shot("menu-item-form")
	admin.submit("#menu-submit", "/admin/menu")

	// 3. The org's roster, filled in a spreadsheet and imported.
	book := excelize.NewFile()
	sheet := book.GetSheetName(0)
	var headers []any
	for _, c := range report.PeopleColumns {
		headers = append(headers, c.Header)
	}
	book.SetSheetRow(sheet, "A1", &headers)
	for i, m := range []member{leaderP, saren, wulan} {
		gender := "男"
		if m != leaderP {
			gender = "女"
		}
		row := make([]any, len(report.PeopleColumns))
		for j, c := range report.PeopleColumns {
			switch c.Header {
			case report.ColName:
				row[j] = m.name
			case report.ColGender:
				row[j] = gender
			case report.ColPhone:
				row[j] = m.phone
			case report.ColStatus:
				row[j] = "中共党员"
			case report.ColOrg:
				row[j] = orgName
			case report.ColSkills:
				row[j] = "驾驶"
			case report.ColWillingness:
				row[j] = category
			default:
				row[j] = ""
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := book.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	roster := filepath.Join(t.TempDir(), "林草局人员.xlsx")
	if err := book.SaveAs(roster); err != nil {
		t.Fatal(err)
	}
	admin.navigate("/people/import")
	admin.step("choose the roster", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{roster}))
	admin.step("import", chromedp.Click(chromedp.CSS("#import-submit")),
		chromedp.WaitVisible(chromedp.CSS("#import-faults, #import-ok")))
	if admin.count("#import-faults") > 0 {
		admin.shot("import-faults")
		t.Fatalf("the roster was refused: %q", admin.text("#import-faults"))
	}
	if got := admin.text("#import-ok"); !strings.Contains(got, "3") {
		t.Errorf("the import says %q, want 3 people", got)
	}
	admin.shot("roster-imported")

	// The leader and a volunteer join the team, by phone number.
	for _, m := range []struct {
		member
		role string
	}{{leaderP, "leader"}, {saren, "member"}} {
		admin.navigate(teamPath)
		admin.typeInto("#phone", m.phone)
		admin.step("role", chromedp.SetValue(chromedp.CSS("#add-member #role"), m.role))
		admin.submit("#add-member-submit", teamPath)
	}
	if got := admin.text("#roster-table"); !strings.Contains(got, leaderP.name) || !strings.Contains(got, saren.name) ||
		!strings.Contains(got, "139****0001") {
		t.Errorf("the team's roster reads %q", got)
	}

	// 4. Accounts for the two volunteers at once, as printable slips.
	admin.navigate("/people")
	for _, m := range []member{saren, wulan} {
		admin.step("pick "+m.name, chromedp.Click(chromedp.CSS(
			fmt.Sprintf(`#people-table input[name=person][aria-label*=%q]`, m.name)), chromedp.NodeVisible))
	}
	admin.shot("people-picked")
	admin.scrollTo("#bulk-selected")
	admin.click("#bulk-selected")
	admin.expectPage("/people/accounts", "", "zh-CN")
	if got := admin.text("#bulk-created"); !strings.Contains(got, "2") {
		t.Errorf("the slips page says %q, want 2 accounts", got)
	}
	if n := admin.count("#slips .slip"); n != 2 {
		t.Fatalf("%d slips, want 2", n)
	}
	if n := admin.count("#slips .slip-qr svg"); n != 2 {
		t.Errorf("%d slips carry the sign-in QR code, want 2", n)
	}
	slips := map[string][2]string{} // name: username, password
	for i := 1; i <= 2; i++ {
		sel := fmt.Sprintf("#slips .slip:nth-child(%d) ", i)
		slips[admin.text(sel+".slip-name")] = [2]string{admin.text(sel + ".slip-username"), admin.text(sel + ".slip-password")}
	}
	admin.noInternalText("the slips")
	admin.shot("slips")
	admin.media("print")
	admin.shot("slips-print")
	admin.media("")
	sarenLogin, ok := slips[saren.name]
	if !ok || sarenLogin[0] == "" || len(sarenLogin[1]) < 10 {
		t.Fatalf("no slip for %s: %v", saren.name, slips)
	}

	// 5. The org admin's account, scope chosen by name; the leader's from
	// his record.
	admin.navigate("/admin/users")
	admin.typeInto("form[action='/admin/users'][method=post] #username", "lcj-admin")
	admin.typeInto("#display_name", "林草局管理员")
	admin.step("role", chromedp.SetValue(chromedp.CSS("#role"), string(domain.RoleOrgAdmin)))
	admin.choose("#scope", orgName)
	admin.submit("#user-submit", "/admin/users")
	orgOneTime := admin.text("#one-time")
	if orgOneTime == "" {
		t.Fatal("no one-time password for the org admin")
	}
	if got := admin.text("#users-table"); !strings.Contains(got, orgName) {
		t.Errorf("the accounts list does not name the org admin's scope: %q", got)
	}
	admin.noInternalText("/admin/users")
	admin.shot("users")

	admin.navigate("/people?q=" + url.QueryEscape(leaderP.name))
	admin.click(`#people-table a[href^="/people/"]`)
	personPath := admin.path()
	admin.choose("#account-team", teamName)
	admin.typeInto("#account-username", "bateer")
	admin.submit("#open-account-submit", personPath)
	leaderOneTime := admin.text("#one-time")
	if leaderOneTime == "" {
		t.Fatal("no one-time password for the leader")
	}
	if got := admin.text("#person-account-link"); !strings.Contains(got, "bateer") || !strings.Contains(got, teamName) {
		t.Errorf("the leader's record shows the account as %q", got)
	}
	admin.shot("leader-account")

	// 6. Saren signs in on her phone with the slip's password and changes
	// it.
	vol := newTab(admin)
	vol.onPhoneWidth()
	vol.signIn(sarenLogin[0], sarenLogin[1], volPw)
	vol.expectTodo(saren.name, map[string]int{"upcoming": 0, "joinable": 0})
	vol.fitsPhone("a volunteer's home")
	vol.shot("volunteer-home-first-sign-in-phone")

	// 7. Qimuge registers on her phone, asking to join the team.
	reg := newTab(admin)
	reg.onPhoneWidth()
	reg.navigate("/login")
	reg.click("#register-link a")
	reg.expectPage("/register", "志愿者实名注册", "zh-CN")
	reg.typeInto("#name", qimuge.name)
	reg.typeInto("#phone", qimuge.phone)
	reg.step("gender and political status",
		chromedp.SetValue(chromedp.CSS("#gender"), "female"),
		chromedp.SetValue(chromedp.CSS("#political_status"), "party_member"))
	reg.typeInto("#org", orgName)
	reg.typeInto("#team", teamName)
	reg.typeInto("#username", "qimuge")
	reg.typeInto("#password", regPw)
	reg.typeInto("#confirm", regPw)
	reg.step("tick consent", chromedp.Click(chromedp.CSS("#consent"), chromedp.NodeVisible))
	reg.fitsPhone("/register")
	reg.shot("register-phone")
	reg.submit("#register-submit", "/register/status")
	if got := reg.text("#status-text"); !strings.Contains(got, "等待") {
		t.Errorf("the status page says %q", got)
	}
	reg.fitsPhone("/register/status")
	reg.shot("register-waiting-phone")

	// The org admin signs in, changes the one-time password, and sees one
	// registration to approve.
	org := newTab(admin)
	org.signIn("lcj-admin", orgOneTime, orgPw)
	org.expectTodo("the org admin", map[string]int{"org-registrations": 1, "org-week": 0})
	org.shot("org-admin-home-registration")
	org.click("#todo-org-registrations")
	org.expectPage("/registrations", "注册审核", "zh-CN")
	if got := org.text("#registrations"); !strings.Contains(got, qimuge.name) || !strings.Contains(got, "139****0009") ||
		!strings.Contains(got, teamName) {
		t.Errorf("the registration card reads %q", got)
	}
	org.shot("registrations")
	org.eval(`(() => { window.confirm = () => true; return "" })()`)
	org.click("#registrations button[id^=approve-]")
	if org.text("#decided") == "" {
		t.Error("no word that the registration was approved")
	}
	org.expectTodo("the org admin", map[string]int{"org-registrations": 0})

	reg.navigate("/register/status")
	if got := reg.text("#status-text"); !strings.Contains(got, "通过") {
		t.Errorf("after approval the status page says %q", got)
	}
	reg.signOut()
	reg.signIn("qimuge", regPw, "")
	reg.expectTodo(qimuge.name, map[string]int{"upcoming": 0, "joinable": 0})

	// 8. The public orders the team's service for the 嘎查.
	pub := newTab(admin)
	pub.onPhoneWidth()
	pub.navigate("/menu")
	pub.expectPage("/menu", "服务菜单", "zh-CN")
	if got := pub.text("#menu-items"); !strings.Contains(got, service) {
		t.Fatalf("the public menu lacks %s: %q", service, got)
	}
	pub.scrollTo("#menu-items > li:nth-child(1) input[name=item]")
	pub.step("tick the service", chromedp.Click(chromedp.CSS("#menu-items > li:nth-child(1) input[name=item]"), chromedp.NodeVisible))
	pub.click("#menu-order")
	pub.expectPage("/order", "我要点单", "zh-CN")
	day := time.Now().In(domain.ChinaZone).AddDate(0, 0, 10).Format("2006-01-02")
	pub.choose("#site_id", siteName)
	pub.step("dates",
		chromedp.SetValue(chromedp.CSS("#date_from"), day),
		chromedp.SetValue(chromedp.CSS("#date_to"), day))
	pub.typeInto("#beneficiaries", "80")
	pub.typeInto("#requester_name", "图雅")
	pub.typeInto("#requester_phone", "13847112233")
	pub.fitsPhone("/order")
	pub.submit("#order-submit", "/track")
	orderNo := pub.text("#track-new-number")
	pub.shot("order-placed-phone")

	// The committee has one new order; it accepts it and dispatches it.
	admin.navigate("/")
	admin.expectTodo("the committee", map[string]int{"review": 1, "pool": 0})
	admin.shot("committee-home-new-order")
	admin.click("#todo-review")
	if n := admin.count(`#work-table tbody tr`); n != 1 {
		t.Errorf("the new orders' list has %d rows, want 1", n)
	}
	// The requester phones and quotes the number /track gave her: the
	// work list finds the order by it.
	admin.navigate("/orders")
	admin.typeInto("#q", orderNo)
	admin.click("#work-filters button[type=submit]")
	if n := admin.count(`#work-table tbody tr`); n != 1 {
		admin.shot("search-by-number")
		t.Fatalf("searching the orders for %s lists %d rows, want 1", orderNo, n)
	}
	admin.click(`#work-table a[href^="/orders/"]`)
	orderPath := admin.path()
	orderID := idOf(t, orderPath)
	if !strings.Contains(admin.text("main"), orderNo) {
		t.Errorf("the order page %s does not show the number %s the requester got", orderPath, orderNo)
	}
	admin.eval(`(() => { window.confirm = () => true; return "" })()`)
	admin.click("#accept")
	admin.navigate("/")
	admin.expectTodo("the committee", map[string]int{"review": 0, "pool": 1})
	admin.click("#todo-pool")
	admin.expectPage("/desk", "派单", "zh-CN")
	admin.click("#propose-" + orderID)
	if got := admin.eval(fmt.Sprintf(`(() => { const s = document.querySelector("#dispatch-form select"); return s ? s.options[s.selectedIndex].textContent : "" })()`)); !strings.Contains(got, teamName) {
		admin.shot("proposal")
		t.Fatalf("the desk proposes %q, want %s", got, teamName)
	}
	admin.noInternalText("the desk's proposal")
	admin.shot("desk-proposal")
	if status := admin.click("#dispatch-submit"); status != 200 || admin.count(".notice.error") > 0 {
		admin.shot("dispatch-refused")
		t.Fatalf("dispatch refused: status %d, %q", status, admin.text("main"))
	}
	admin.navigate("/")
	admin.expectTodo("the committee", map[string]int{"review": 0, "pool": 0})

	// The leader signs in: one dispatch to answer.
	lead := newTab(admin)
	lead.signIn("bateer", leaderOneTime, leaderPw)
	lead.expectTodo("the leader", map[string]int{"answer": 1, "unarranged": 0})
	lead.shot("leader-home-dispatch")
	lead.click("#todo-answer")
	lead.expectPage("/inbox", "", "zh-CN")
	lead.click(fmt.Sprintf("#confirm-%s-%s", orderID, teamID))
	lead.navigate("/")
	lead.expectTodo("the leader", map[string]int{"answer": 0, "unarranged": 1})
	if lead.count("#arrange-"+orderID) != 1 {
		t.Error("the leader's home has no 安排活动 for the confirmed order")
	}
	lead.shot("leader-home-confirmed")

	// The leader arranges the activity from the inbox's link.
	lead.navigate("/inbox?all=1")
	if got := lead.text("#arrange-" + orderID); got != "安排活动" {
		t.Errorf("the inbox's link reads %q", got)
	}
	lead.click("#arrange-" + orderID)
	lead.expectPage("/activities/new", "", "zh-CN")
	if got := value(lead.browser, "title", chromedp.Value(chromedp.CSS("#title"))); got != service {
		t.Errorf("the activity's title is drafted as %q, want %q", got, service)
	}
	lead.shot("activity-draft")
	actPath := lead.submit("#activity-submit", "/activities/")
	actID := idOf(t, actPath)
	if got := lead.text("#act-saved"); !strings.Contains(got, "已创建") {
		t.Errorf("after creating the notice is %q", got)
	}
	lead.navigate("/")
	lead.expectTodo("the leader", map[string]int{"answer": 0, "unarranged": 0})

	// 9. Both volunteers sign up from their home pages.
	for _, v := range []struct {
		tab
		name string
	}{{vol, saren.name}, {reg, qimuge.name}} {
		v.navigate("/")
		v.expectTodo(v.name, map[string]int{"upcoming": 0, "joinable": 1})
		v.fitsPhone(v.name + "'s home")
		v.shot("volunteer-home-joinable-phone")
		v.click("#todo-joinable")
		v.expectPage("/activities", "服务活动", "zh-CN")
		link := fmt.Sprintf(`#activity-%s a[href=%q]`, actID, actPath)
		if v.count(link) == 0 {
			v.shot("no-activity")
			t.Fatalf("%s's activities for her do not list %s: %q", v.name, actPath, v.text("main"))
		}
		v.fitsPhone("/activities?match=1")
		v.scrollTo(link)
		v.click(link)
		v.expectPage(actPath, service, "zh-CN")
		v.scrollTo("#signup")
		v.click("#signup")
		if got := v.text("#my-state"); !strings.Contains(got, "已报名") {
			v.shot("signup-state")
			t.Errorf("after signing up %s's state reads %q", v.name, got)
		}
		v.fitsPhone(actPath)
		v.shot("signed-up-phone")
		v.navigate("/")
		v.expectTodo(v.name, map[string]int{"upcoming": 1, "joinable": 0})
	}

	// 10. Every role's home page at the end of the day.
	admin.navigate("/")
	admin.expectTodo("the committee", map[string]int{"review": 0, "pool": 0, "declined": 0})
	admin.shot("committee-home-end")
	org.navigate("/")
	org.expectTodo("the org admin", map[string]int{"org-registrations": 0, "org-week": 0})
	org.shot("org-admin-home-end")
	lead.navigate("/")
	lead.expectTodo("the leader", map[string]int{"answer": 0, "unarranged": 0, "requests": 0})
	lead.shot("leader-home-end")
	lead.navigate(actPath)
	if n := lead.count("#signups tbody tr"); n != 2 {
		t.Errorf("the activity lists %d sign-ups, want 2", n)
	}
	if got := lead.text("#signups"); !strings.Contains(got, saren.name) || !strings.Contains(got, qimuge.name) {
		t.Errorf("the sign-ups read %q", got)
	}
	lead.noInternalText(actPath)
	lead.shot("activity-leader")
	vol.navigate("/")
	vol.shot("volunteer-home-end-phone")
	reg.navigate("/")
	reg.shot("registered-home-end-phone")

	t.Logf("a city's first day took %v", time.Since(started).Round(time.Second))
}
