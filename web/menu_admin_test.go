package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/store"
)

// menuAdmFixture is the demo city with its categories, team 1 (the demo team
// leader's, of 市农牧业局) and a team of another unit.
type menuAdmFixture struct {
	a           *testApp
	cats        []domain.Category
	own         domain.Team // team 1
	other       domain.Team // a team outside 市农牧业局
	unitPath    string      // 市农牧业局's path
	banner      domain.Region
	unitTeamIDs []string // the teams in 市农牧业局's subtree
}

func newMenuAdmFixture(t *testing.T) menuAdmFixture {
	t.Helper()
	ctx := context.Background()
	f := menuAdmFixture{a: newTestApp(t)}
	var err error
	if f.cats, err = f.a.Service.Categories(ctx, false); err != nil {
		t.Fatal(err)
	}
	unit, err := f.a.Store.OrgByID(ctx, 2)
	if err != nil || unit.Name != "市农牧业局" {
		t.Fatalf("org 2 = %+v, %v", unit, err)
	}
	f.unitPath = unit.Path
	teams, err := f.a.Store.ListTeams(ctx, store.TeamFilter{Scope: domain.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range teams {
		inUnit := strings.HasPrefix(tm.OrgPath, unit.Path)
		if tm.ID == 1 {
			f.own = tm
		}
		if inUnit {
			f.unitTeamIDs = append(f.unitTeamIDs, strconv.FormatInt(tm.ID, 10))
		} else if f.other.ID == 0 {
			f.other = tm
		}
	}
	if f.own.ID != 1 || !strings.HasPrefix(f.own.OrgPath, unit.Path) || f.other.ID == 0 {
		t.Fatalf("demo teams: own %+v, other %+v", f.own, f.other)
	}
	regions, _ := f.a.Service.Regions(ctx)
	for _, r := range regions {
		if r.Level == domain.RegionBanner {
			f.banner = r
			break
		}
	}
	return f
}

// itemForm is a valid menu item form.
func (f menuAdmFixture) itemForm(title string, cat domain.Category, teams ...int64) url.Values {
	v := url.Values{"title": {title}, "category_id": {strconv.FormatInt(cat.ID, 10)}, "kind": {"professional"},
		"term": {"long"}, "duration": {"3 天"}, "volunteers": {"6"}, "description": {"蹲点指导春耕备耕"},
		"region_ids": {strconv.FormatInt(f.banner.ID, 10)}}
	for _, id := range teams {
		v.Add("team_ids", strconv.FormatInt(id, 10))
	}
	return v
}

// itemID finds the menu item with a title.
func (f menuAdmFixture) itemID(t *testing.T, title string) int64 {
	t.Helper()
	items, err := f.a.Store.ListMenuItems(context.Background(), store.MenuFilter{Query: title})
	if err != nil || len(items) != 1 {
		t.Fatalf("menu items titled %q: %d, %v", title, len(items), err)
	}
	return items[0].ID
}

var (
	teamBoxRe     = regexp.MustCompile(`<input type="checkbox" name="team_ids" value="(\d+)"( checked)?`)
	categoryOptRe = regexp.MustCompile(`<option value="(\d+)"( selected)?>([^<]*)</option>`)
)

// teamBoxes lists the team checkboxes of a menu form, "id" or "id*" when
// ticked.
func teamBoxes(body string) []string {
	var out []string
	for _, m := range teamBoxRe.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1]+strings.Replace(m[2], " checked", "*", 1))
	}
	return out
}

func mustStatus(t *testing.T, what string, r *response, status int, location string) {
	t.Helper()
	if r.StatusCode != status || (location != "" && r.Header.Get("Location") != location) {
		t.Fatalf("%s: got %d Location %q, want %d %q; notice %q, field errors %v",
			what, r.StatusCode, r.Header.Get("Location"), status, location, r.notice(), r.fieldErrors())
	}
}

func TestMenuAdminTeamLeader(t *testing.T) {
	t.Parallel()
	f := newMenuAdmFixture(t)
	leader := f.a.login(t, "nmj-leader")
	admin := f.a.login(t, "admin")

	r := leader.get(t, "/admin/menu/new")
	if r.StatusCode != http.StatusOK || r.h1() != "新增服务项目" {
		t.Fatalf("GET /admin/menu/new as leader: %d %q", r.StatusCode, r.h1())
	}
	if got := teamBoxes(r.body); len(got) != 1 || got[0] != "1*" {
		t.Fatalf("leader's team choices = %v, want only their team 1, ticked", got)
	}

	// Create for their team; the list shows it with its order count.
	mustStatus(t, "create", leader.postForm(t, "/admin/menu", f.itemForm("牧区科技蹲点", f.cats[7], 1)), http.StatusSeeOther, "/admin/menu?saved=added")
	r = leader.get(t, "/admin/menu?saved=added")
	if !strings.Contains(r.body, "牧区科技蹲点") || !strings.Contains(r.body, "已新增服务项目") || !strings.Contains(r.body, f.banner.Name) {
		t.Fatalf("leader's list after adding lacks the item, the notice or its banner:\n%s", r.body)
	}
	own := f.itemID(t, "牧区科技蹲点")

	// Not for another team, and a bad form loses nothing.
	mustStatus(t, "create for another team", leader.postForm(t, "/admin/menu", f.itemForm("越权项目", f.cats[0], f.other.ID)), http.StatusForbidden, "")
	bad := f.itemForm(" ", f.cats[0], 1)
	bad.Set("volunteers", "很多")
	r = leader.postForm(t, "/admin/menu", bad)
	errs := r.fieldErrors()
	if r.StatusCode != http.StatusUnprocessableEntity || errs["title"] == "" || errs["volunteers"] == "" ||
		!strings.Contains(r.body, "蹲点指导春耕备耕") || !strings.Contains(r.body, `value="3 天"`) {
		t.Fatalf("bad form: %d, errors %v; want 422 with title and volunteers errors and the typed text kept", r.StatusCode, errs)
	}

	// Another team's item: not listed, not editable, not switchable.
	mustStatus(t, "committee creates", admin.postForm(t, "/admin/menu", f.itemForm("他队法律咨询", f.cats[4], f.other.ID)), http.StatusSeeOther, "")
	theirs := f.itemID(t, "他队法律咨询")
	if r := leader.get(t, "/admin/menu"); strings.Contains(r.body, "他队法律咨询") {
		t.Error("leader's list shows another team's item")
	}
	mustStatus(t, "edit page of another team's item", leader.get(t, fmt.Sprintf("/admin/menu/%d/edit", theirs)), http.StatusForbidden, "")
	mustStatus(t, "edit another team's item", leader.postForm(t, fmt.Sprintf("/admin/menu/%d", theirs), f.itemForm("改", f.cats[4], 1)), http.StatusForbidden, "")
	mustStatus(t, "toggle another team's item", leader.postForm(t, fmt.Sprintf("/admin/menu/%d/toggle", theirs), url.Values{"active": {"0"}}), http.StatusForbidden, "")

	// A shared item: the leader edits it and the other team stays.
	shared := f.itemForm("联合义诊", f.cats[0], 1, f.other.ID)
	mustStatus(t, "committee creates a shared item", admin.postForm(t, "/admin/menu", shared), http.StatusSeeOther, "")
	sharedID := f.itemID(t, "联合义诊")
	r = leader.get(t, fmt.Sprintf("/admin/menu/%d/edit", sharedID))
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="fixed-teams"`) || !strings.Contains(r.body, f.other.Name) {
		t.Fatalf("shared item's edit page: %d; want the other team named as kept", r.StatusCode)
	}
	mustStatus(t, "leader edits the shared item", leader.postForm(t, fmt.Sprintf("/admin/menu/%d", sharedID), f.itemForm("联合义诊（夏季）", f.cats[0], 1)),
		http.StatusSeeOther, "/admin/menu?saved=updated")
	m, _ := f.a.Store.MenuItemByID(context.Background(), sharedID)
	if m.Title != "联合义诊（夏季）" || len(m.TeamIDs) != 2 {
		t.Fatalf("shared item after the leader's edit: %q teams %v; want both teams", m.Title, m.TeamIDs)
	}

	// Take their own item off the menu, keeping the list's filter.
	mustStatus(t, "deactivate", leader.postForm(t, fmt.Sprintf("/admin/menu/%d/toggle", own), url.Values{"active": {"0"}, "back": {"active=inactive&evil=1"}}),
		http.StatusSeeOther, "/admin/menu?active=inactive&saved=deactivated")
	r = leader.get(t, "/admin/menu?active=inactive")
	if !strings.Contains(r.body, "牧区科技蹲点") || !strings.Contains(r.body, "已下架") {
		t.Fatal("the deactivated item is not listed as off the menu")
	}
	if m, _ := f.a.Store.MenuItemByID(context.Background(), own); m.Active {
		t.Fatal("the item is still active")
	}
	if r := leader.get(t, "/admin/menu?active=active"); strings.Contains(r.body, "牧区科技蹲点") {
		t.Error("the active filter lists the deactivated item")
	}
}

func TestMenuAdminOrgAdmin(t *testing.T) {
	t.Parallel()
	f := newMenuAdmFixture(t)
	orgAdmin := f.a.login(t, "nmj-admin")
	r := orgAdmin.get(t, "/admin/menu/new")
	var got []string
	for _, b := range teamBoxes(r.body) {
		got = append(got, strings.TrimSuffix(b, "*"))
	}
	if strings.Join(got, ",") != strings.Join(f.unitTeamIDs, ",") {
		t.Fatalf("org admin's team choices = %v, want the teams of 市农牧业局's subtree %v", got, f.unitTeamIDs)
	}
	for _, id := range got {
		if id == strconv.FormatInt(f.other.ID, 10) {
			t.Fatalf("org admin may pick %s, a team outside their unit", f.other.Name)
		}
	}
	mustStatus(t, "org admin creates for a team outside", orgAdmin.postForm(t, "/admin/menu", f.itemForm("越权", f.cats[0], f.other.ID)), http.StatusForbidden, "")
	mustStatus(t, "org admin creates for their unit's team", orgAdmin.postForm(t, "/admin/menu", f.itemForm("农牧政策宣讲", f.cats[3], f.own.ID)), http.StatusSeeOther, "")
	if r := orgAdmin.get(t, "/admin/menu"); !strings.Contains(r.body, "农牧政策宣讲") {
		t.Error("org admin's list lacks their unit's item")
	}
	for _, path := range []string{"/admin/categories", "/admin/supply"} {
		mustStatus(t, "org admin opens "+path, orgAdmin.get(t, path), http.StatusForbidden, "")
	}
}

func TestCategoriesAdmin(t *testing.T) {
	t.Parallel()
	f := newMenuAdmFixture(t)
	ctx := context.Background()
	admin := f.a.login(t, "admin")

	r := admin.get(t, "/admin/categories")
	if r.StatusCode != http.StatusOK || r.h1() != "服务类别" || !strings.Contains(r.body, "医疗义诊") {
		t.Fatalf("GET /admin/categories: %d %q", r.StatusCode, r.h1())
	}
	r = admin.postForm(t, "/admin/categories", url.Values{"code": {"Mental Health"}, "name_zh": {"心理健康"}, "name_en": {""}, "sort": {"120"}})
	if errs := r.fieldErrors(); r.StatusCode != http.StatusUnprocessableEntity || errs["code"] == "" || errs["name_en"] == "" ||
		!strings.Contains(r.body, `value="心理健康"`) {
		t.Fatalf("a bad category: %d %v; want 422 with code and name_en faults, the typed name kept", r.StatusCode, errs)
	}
	mustStatus(t, "add", admin.postForm(t, "/admin/categories", url.Values{"code": {"mental_health"}, "name_zh": {"心理健康"},
		"name_en": {"Mental health"}, "sort": {"120"}}), http.StatusSeeOther, "/admin/categories?saved=added")
	var added domain.Category
	all, _ := f.a.Service.Categories(ctx, true)
	for _, c := range all {
		if c.Code == "mental_health" {
			added = c
		}
	}
	if added.ID == 0 {
		t.Fatal("the added category is not stored")
	}
	mustStatus(t, "rename", admin.postForm(t, fmt.Sprintf("/admin/categories/%d", added.ID), url.Values{"name_zh": {"心理疏导"},
		"name_en": {"Counselling"}, "sort": {"115"}}), http.StatusSeeOther, "")
	if c, _ := f.a.Store.CategoryByID(ctx, added.ID); c.NameZH != "心理疏导" || c.NameEN != "Counselling" || c.Sort != 115 {
		t.Fatalf("after renaming: %+v", c)
	}
	r = admin.postForm(t, fmt.Sprintf("/admin/categories/%d", added.ID), url.Values{"name_zh": {""}, "name_en": {"x"}, "sort": {"x"}})
	if errs := r.fieldErrors(); r.StatusCode != http.StatusUnprocessableEntity || errs["name_zh"] == "" || errs["sort"] == "" {
		t.Fatalf("a bad rename: %d %v", r.StatusCode, errs)
	}

	// Retire a category in use: it leaves the pickers and stays on records.
	culture := f.cats[6]
	mustStatus(t, "item in culture", admin.postForm(t, "/admin/menu", f.itemForm("电影下乡放映", culture, 1)), http.StatusSeeOther, "")
	film := f.itemID(t, "电影下乡放映")
	var cultureTeam int64
	teams, _ := f.a.Store.ListTeams(ctx, store.TeamFilter{Scope: domain.Scope{All: true}})
	for _, tm := range teams {
		full, _ := f.a.Store.TeamByID(ctx, tm.ID)
		for _, c := range full.Categories {
			if c == culture.ID && cultureTeam == 0 {
				cultureTeam = tm.ID
			}
		}
	}
	mustStatus(t, "retire", admin.postForm(t, fmt.Sprintf("/admin/categories/%d/retire", culture.ID), url.Values{}), http.StatusSeeOther, "")
	offers := func(body string, id int64) (offered, selected bool, label string) {
		for _, m := range categoryOptRe.FindAllStringSubmatch(body, -1) {
			if m[1] == strconv.FormatInt(id, 10) {
				return true, m[2] != "", m[3]
			}
		}
		return false, false, ""
	}
	if offered, _, _ := offers(admin.get(t, "/admin/menu/new").body, culture.ID); offered {
		t.Error("the new item form offers a retired category")
	}
	r = admin.get(t, fmt.Sprintf("/admin/menu/%d/edit", film))
	if offered, selected, label := offers(r.body, culture.ID); !offered || !selected || !strings.Contains(label, "已停用") {
		t.Errorf("the old item's form: retired category offered %v selected %v label %q; want it kept and marked", offered, selected, label)
	}
	if r := admin.get(t, "/admin/menu?category="+strconv.FormatInt(culture.ID, 10)); !strings.Contains(r.body, "电影下乡放映") ||
		!strings.Contains(r.body, culture.NameZH) || !strings.Contains(r.body, "已停用") {
		t.Error("the menu list does not show the old item's retired category")
	}
	if r := admin.get(t, "/people/new"); strings.Contains(r.body, `name="willingness" value="`+strconv.FormatInt(culture.ID, 10)+`"`) {
		t.Error("the person form offers a retired category")
	}
	if cultureTeam != 0 {
		if r := admin.get(t, fmt.Sprintf("/teams/%d", cultureTeam)); !strings.Contains(r.body, culture.NameZH) {
			t.Errorf("team %d's page no longer names its retired category", cultureTeam)
		}
	}
	r = admin.get(t, "/admin/categories")
	if !regexp.MustCompile(`(?s)id="category-` + strconv.FormatInt(culture.ID, 10) + `".*?已停用.*?/restore`).MatchString(r.body) {
		t.Error("the categories page does not mark the category retired with a way back")
	}
	mustStatus(t, "restore", admin.postForm(t, fmt.Sprintf("/admin/categories/%d/restore", culture.ID), url.Values{}), http.StatusSeeOther, "")
	if offered, _, _ := offers(admin.get(t, "/admin/menu/new").body, culture.ID); !offered {
		t.Error("a restored category is not offered")
	}
	es, _ := f.a.Store.ListAudit(ctx, domain.AuditFilter{Action: "category."})
	if len(es) != 4 {
		t.Errorf("audit has %d category entries, want add, rename, retire, restore", len(es))
	}
}

func TestSupplyPage(t *testing.T) {
	t.Parallel()
	f := newMenuAdmFixture(t)
	ctx := context.Background()
	admin := f.a.login(t, "admin")
	mustStatus(t, "ordered item", admin.postForm(t, "/admin/menu", f.itemForm("供需测试·被点单", f.cats[1], 1)), http.StatusSeeOther, "")
	mustStatus(t, "idle item", admin.postForm(t, "/admin/menu", f.itemForm("供需测试·无人点单", f.cats[2], 1)), http.StatusSeeOther, "")
	ordered := f.itemID(t, "供需测试·被点单")
	site, err := f.a.Store.SiteByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range []domain.OrderInput{
		{ItemIDs: []int64{ordered}},
		{Need: "供需测试：草场鼠害防治"},
	} {
		in.RequesterName, in.RequesterPhone, in.SiteID = "巴特尔", "13912345678", site.ID
		in.DateFrom, in.DateTo, in.Beneficiaries = ahead(60), ahead(61), 30
		if _, err := f.a.Service.PlaceOrder(ctx, domain.Caller{IP: fmt.Sprintf("192.0.2.%d", i+1)}, in); err != nil {
			t.Fatalf("order %d: %v", i, err)
		}
	}
	for _, lang := range i18n.Langs {
		admin.header.Set("Accept-Language", string(lang))
		r := admin.get(t, "/admin/supply")
		want := map[i18n.Lang]string{i18n.ZH: "供需对照", i18n.EN: "Supply and demand"}[lang]
		if r.StatusCode != http.StatusOK || r.h1() != want {
			t.Fatalf("%s GET /admin/supply: %d %q", lang, r.StatusCode, r.h1())
		}
	}
	admin.header.Del("Accept-Language")
	r := admin.get(t, "/admin/supply")
	unmet := strings.Index(r.body, `id="unmet-table"`)
	idle := strings.Index(r.body, `id="idle-table"`)
	table := strings.Index(r.body, `id="supply-table"`)
	if unmet < 0 || idle < 0 || table < 0 || !(unmet < idle && idle < table) {
		t.Fatalf("the needs nobody offers, the items nobody orders and the table should come in that order: %d %d %d", unmet, idle, table)
	}
	if need := r.body[unmet:idle]; !strings.Contains(need, "供需测试：草场鼠害防治") || !strings.Contains(need, site.Name) {
		t.Error("the unmet need is not listed with its place")
	}
	if list := r.body[idle:table]; !strings.Contains(list, "供需测试·无人点单") || strings.Contains(list, "供需测试·被点单") {
		t.Error("the items nobody ordered are wrong")
	}
	row := regexp.MustCompile(`(?s)data-category="` + f.cats[1].Code + `".*?data-col="orders">(\d+)<`).FindStringSubmatch(r.body)
	if row == nil || row[1] == "0" {
		t.Errorf("the livestock row shows no orders: %v", row)
	}

	// A banner filter, and a filter that does not read.
	r = admin.get(t, fmt.Sprintf("/admin/supply?region=%d", site.RegionID))
	if r.StatusCode != http.StatusOK || r.notice() != "" {
		t.Errorf("region filter: %d %q", r.StatusCode, r.notice())
	}
	r = admin.get(t, "/admin/supply?from=2026-13-01&to=2025-01-01")
	if errs := r.fieldErrors(); r.StatusCode != http.StatusOK || errs["from"] == "" || !strings.Contains(r.notice(), "最近 12 个月") {
		t.Errorf("a bad filter: %d %v %q", r.StatusCode, errs, r.notice())
	}
}

// TestMenuAdminPagesRender renders every page of the area in both languages.
func TestMenuAdminPagesRender(t *testing.T) {
	t.Parallel()
	f := newMenuAdmFixture(t)
	admin := f.a.login(t, "admin")
	mustStatus(t, "item", admin.postForm(t, "/admin/menu", f.itemForm("双语测试项目", f.cats[0], 1)), http.StatusSeeOther, "")
	id := f.itemID(t, "双语测试项目")
	pages := []struct{ path, zh, en string }{
		{"/admin/menu", "服务项目管理", "Menu items"},
		{"/admin/menu?category=1&active=inactive", "服务项目管理", "Menu items"},
		{"/admin/menu/new", "新增服务项目", "New menu item"},
		{fmt.Sprintf("/admin/menu/%d/edit", id), "编辑服务项目", "Edit menu item"},
		{"/admin/categories", "服务类别", "Categories of service"},
		{"/admin/supply", "供需对照", "Supply and demand"},
	}
	for _, lang := range i18n.Langs {
		admin.header.Set("Accept-Language", string(lang))
		for _, p := range pages {
			r := admin.get(t, p.path)
			want := p.zh
			if lang == i18n.EN {
				want = p.en
			}
			if r.StatusCode != http.StatusOK || r.h1() != want {
				t.Errorf("%s GET %s: %d %q, want 200 %q", lang, p.path, r.StatusCode, r.h1(), want)
			}
			for _, ns := range []string{"menu.", "cat.", "supply.", "err.", "enum."} {
				if strings.Contains(r.body, ">"+ns) {
					t.Errorf("%s GET %s shows an untranslated %s key", lang, p.path, ns)
				}
			}
		}
	}
}
