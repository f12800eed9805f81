package service_test

import (
	"context"
	"slices"
	"testing"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// menuFixture is the registry fixture plus a team of unit B and a team of
// unit A's branch, and the active categories.
type menuFixture struct {
	registryFixture
	teamB, teamBranch int64
	cats              []domain.Category
}

func newMenu(t *testing.T, s *store.Store) menuFixture {
	t.Helper()
	ctx := context.Background()
	f := menuFixture{registryFixture: newRegistry(t, s)}
	err := s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
		if f.teamB, err = tx.CreateTeam(domain.Team{OrgID: f.unitB, Kind: domain.TeamParty, Name: "法律服务队"}); err != nil {
			return err
		}
		f.teamBranch, err = tx.CreateTeam(domain.Team{OrgID: f.branchA, Kind: domain.TeamYouth, Name: "畜牧站青年服务队"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if f.cats, err = f.svc.Categories(ctx, false); err != nil || len(f.cats) < 4 {
		t.Fatalf("categories = %v, %v", f.cats, err)
	}
	return f
}

// item is a valid menu item of a category, offered by teams.
func (f menuFixture) item(title string, cat int, teams ...int64) domain.MenuItem {
	return domain.MenuItem{Title: title, CategoryID: f.cats[cat].ID, Description: "送技术下乡", Kind: domain.MenuProfessional,
		Term: domain.TermLong, Duration: "半天", Volunteers: 4, TeamIDs: teams}
}

// menuFieldErr reports whether err is invalid with key on field, among all
// the fields it reports.
func menuFieldErr(err error, field, key string) bool {
	e, ok := domain.AsError(err)
	if !ok || e.Code != domain.CodeInvalid {
		return false
	}
	if fe := e.Fields[field]; fe != nil {
		return fe.Key == key
	}
	return e.Field == field && e.Key == key
}

func titles(items []domain.MenuItem) []string {
	var out []string
	for _, m := range items {
		out = append(out, m.Title)
	}
	return out
}

func TestTeamLeaderManagesOnlyTheirTeamsItems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newMenu(t, s)
		own, err := f.svc.CreateMenuItem(ctx, f.leader, f.item("科技蹲点", 7, f.teamA))
		if err != nil {
			t.Fatalf("leader creates an item for their team: %v", err)
		}
		if _, err := f.svc.CreateMenuItem(ctx, f.leader, f.item("法律咨询", 4, f.teamB)); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("leader creates an item for another team: got %v, want forbidden", err)
		}
		if _, err := f.svc.CreateMenuItem(ctx, f.leader, f.item("联合服务", 4, f.teamA, f.teamB)); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("leader adds another team to a new item: got %v, want forbidden", err)
		}
		other, err := f.svc.CreateMenuItem(ctx, f.admin, f.item("法律咨询", 4, f.teamB))
		if err != nil {
			t.Fatal(err)
		}
		edit := f.item("改过的法律咨询", 4, f.teamA)
		edit.ID = other
		if err := f.svc.UpdateMenuItem(ctx, f.leader, edit); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("leader edits another team's item: got %v, want forbidden", err)
		}
		if err := f.svc.SetMenuItemActive(ctx, f.leader, other, false); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("leader takes another team's item off the menu: got %v, want forbidden", err)
		}
		if _, err := f.svc.ManagedMenuItem(ctx, f.leader, other); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("leader opens another team's item: got %v, want forbidden", err)
		}
		items, err := f.svc.ManagedMenu(ctx, f.leader, service.MenuAdminFilter{})
		if err != nil || !slices.Equal(titles(items), []string{"科技蹲点"}) {
			t.Fatalf("leader's menu = %v, %v; want only their team's item", titles(items), err)
		}
		if all, _ := f.svc.ManagedMenu(ctx, f.admin, service.MenuAdminFilter{}); len(all) != 2 {
			t.Fatalf("committee's menu = %v, want both items", titles(all))
		}

		// Their own item: edit it, take it off the menu and put it back.
		edit = f.item("科技蹲点（春耕）", 7, f.teamA)
		edit.ID = own
		if err := f.svc.UpdateMenuItem(ctx, f.leader, edit); err != nil {
			t.Fatalf("leader edits their item: %v", err)
		}
		if err := f.svc.SetMenuItemActive(ctx, f.leader, own, false); err != nil {
			t.Fatal(err)
		}
		m, _ := s.MenuItemByID(ctx, own)
		if m.Title != "科技蹲点（春耕）" || m.Active {
			t.Fatalf("after edit and deactivation: %+v", m)
		}
		if got, _ := f.svc.ManagedMenu(ctx, f.leader, service.MenuAdminFilter{Active: "active"}); len(got) != 0 {
			t.Fatalf("active filter lists %v", titles(got))
		}
		if got, _ := f.svc.ManagedMenu(ctx, f.leader, service.MenuAdminFilter{Active: "inactive"}); len(got) != 1 {
			t.Fatalf("inactive filter lists %v", titles(got))
		}
		es, err := s.ListAudit(ctx, domain.AuditFilter{Action: "menu_item."})
		if err != nil || len(es) != 4 {
			t.Fatalf("audit = %d menu_item entries, %v; want 2 creates, 1 edit, 1 deactivation", len(es), err)
		}
	})
}

func TestSharedItemKeepsTeamsTheEditorDoesNotManage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newMenu(t, s)
		id, err := f.svc.CreateMenuItem(ctx, f.admin, f.item("组团义诊", 0, f.teamA, f.teamB))
		if err != nil {
			t.Fatal(err)
		}
		// The leader of team A submits only their own team: team B stays.
		edit := f.item("组团义诊（夏季）", 0, f.teamA)
		edit.ID = id
		if err := f.svc.UpdateMenuItem(ctx, f.leader, edit); err != nil {
			t.Fatalf("leader edits a shared item: %v", err)
		}
		m, _ := s.MenuItemByID(ctx, id)
		if !slices.Contains(m.TeamIDs, f.teamB) || !slices.Contains(m.TeamIDs, f.teamA) || m.Title != "组团义诊（夏季）" {
			t.Fatalf("after the leader's edit: teams %v title %q; want both teams kept", m.TeamIDs, m.Title)
		}
		// Nor can they bring in a team they do not manage.
		edit.TeamIDs = []int64{f.teamA, f.teamB, f.teamBranch}
		if err := f.svc.UpdateMenuItem(ctx, f.leader, edit); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("leader adds a team they do not manage: got %v, want forbidden", err)
		}
		// Dropping their own team leaves the item to team B alone.
		edit.TeamIDs = nil
		if err := f.svc.UpdateMenuItem(ctx, f.leader, edit); err != nil {
			t.Fatalf("leader withdraws their team: %v", err)
		}
		if m, _ := s.MenuItemByID(ctx, id); !slices.Equal(m.TeamIDs, []int64{f.teamB}) {
			t.Fatalf("after withdrawing: teams %v, want only team B", m.TeamIDs)
		}
	})
}

func TestOrgAdminManagesItemsOfTheirSubtree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newMenu(t, s)
		if _, err := f.svc.CreateMenuItem(ctx, f.orgAdmin, f.item("青年助牧", 1, f.teamBranch)); err != nil {
			t.Fatalf("org admin creates an item for a team of their branch: %v", err)
		}
		if _, err := f.svc.CreateMenuItem(ctx, f.orgAdmin, f.item("普法宣传", 4, f.teamB)); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("org admin creates an item for another unit's team: got %v, want forbidden", err)
		}
		outside, err := f.svc.CreateMenuItem(ctx, f.admin, f.item("普法宣传", 4, f.teamB))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.CreateMenuItem(ctx, f.leader, f.item("科技蹲点", 7, f.teamA)); err != nil {
			t.Fatal(err)
		}
		items, err := f.svc.ManagedMenu(ctx, f.orgAdmin, service.MenuAdminFilter{})
		if err != nil || !slices.Equal(titles(items), []string{"青年助牧", "科技蹲点"}) {
			t.Fatalf("org admin's menu = %v, %v; want the two items of unit A's teams", titles(items), err)
		}
		if _, err := f.svc.ManagedMenuItem(ctx, f.orgAdmin, outside); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("org admin opens another unit's item: got %v, want forbidden", err)
		}
		teams, err := f.svc.MenuTeams(ctx, f.orgAdmin)
		if err != nil || len(teams) != 2 {
			t.Fatalf("org admin may offer for %d teams, %v; want team A and the branch's", len(teams), err)
		}
		if teams, _ := f.svc.MenuTeams(ctx, f.leader); len(teams) != 1 || teams[0].ID != f.teamA {
			t.Fatalf("leader may offer for %v, want team A only", teams)
		}
		volunteer := domain.Caller{Principal: domain.Principal{UserID: 9, Username: "v", PersonID: linkedPerson,
			Grants: []domain.Grant{{Role: domain.RoleVolunteer}}}}
		if _, err := f.svc.ManagedMenu(ctx, volunteer, service.MenuAdminFilter{}); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("volunteer lists the menu to manage: got %v, want forbidden", err)
		}
	})
}

func TestMenuItemValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newMenu(t, s)
		var village int64
		err := s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error {
			banner, err := tx.CreateRegion(domain.Region{Level: domain.RegionBanner, Name: "陈巴尔虎旗", Lat: 49.3, Lng: 119.4})
			if err != nil {
				return err
			}
			town, err := tx.CreateRegion(domain.Region{ParentID: banner, Level: domain.RegionTown, Name: "巴彦库仁镇", Lat: 49.3, Lng: 119.4})
			if err != nil {
				return err
			}
			village, err = tx.CreateRegion(domain.Region{ParentID: town, Level: domain.RegionVillage, Name: "巴彦嘎查", Lat: 49.3, Lng: 119.4})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		bad := domain.MenuItem{Title: " ", Kind: "x", Term: "y", Volunteers: 0, CategoryID: 999999,
			RegionIDs: []int64{village}, TeamIDs: []int64{f.teamA}}
		_, err = f.svc.CreateMenuItem(ctx, f.leader, bad)
		for field, key := range map[string]string{"title": "err.required", "kind": "err.menu.kind", "term": "err.menu.term",
			"volunteers": "err.menu.volunteers", "category_id": "err.category.not_found", "region_ids": "err.menu.region"} {
			if !menuFieldErr(err, field, key) {
				t.Errorf("bad item: no %s on %s; got %v", key, field, err)
			}
		}
		noTeam := f.item("无队项目", 0)
		if _, err := f.svc.CreateMenuItem(ctx, f.admin, noTeam); !menuFieldErr(err, "team_ids", "err.menu.teams") {
			t.Errorf("an item with no team: got %v", err)
		}
		ghost := f.item("无此队", 0, 999999)
		if _, err := f.svc.CreateMenuItem(ctx, f.admin, ghost); !menuFieldErr(err, "team_ids", "err.team.not_found") {
			t.Errorf("an item of a team that does not exist: got %v", err)
		}
		if n, _ := s.ListMenuItems(ctx, store.MenuFilter{}); len(n) != 0 {
			t.Errorf("invalid items were stored: %v", titles(n))
		}
	})
}

func TestRetiredCategoryStaysOnOldItems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newMenu(t, s)
		culture := f.cats[6]
		old, err := f.svc.CreateMenuItem(ctx, f.leader, f.item("电影下乡", 6, f.teamA))
		if err != nil {
			t.Fatal(err)
		}
		other, err := f.svc.CreateMenuItem(ctx, f.leader, f.item("科技讲座", 7, f.teamA))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetCategoryRetired(ctx, f.leader, culture.ID, true); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("leader retires a category: got %v, want forbidden", err)
		}
		if err := f.svc.SetCategoryRetired(ctx, f.admin, culture.ID, true); err != nil {
			t.Fatal(err)
		}
		// Gone from pickers, kept on the item and in every list of records.
		active, _ := f.svc.Categories(ctx, false)
		if slices.ContainsFunc(active, func(c domain.Category) bool { return c.ID == culture.ID }) {
			t.Error("a retired category is still offered by the picker list")
		}
		all, _ := f.svc.Categories(ctx, true)
		if !slices.ContainsFunc(all, func(c domain.Category) bool { return c.ID == culture.ID && c.Retired }) {
			t.Error("a retired category is missing from the full list")
		}
		m, err := f.svc.ManagedMenuItem(ctx, f.leader, old)
		if err != nil || m.CategoryID != culture.ID {
			t.Fatalf("old item after retiring its category: %+v, %v", m, err)
		}
		// The old item may be edited and keep it; no item may newly take it.
		edit := f.item("电影下乡（冬季）", 6, f.teamA)
		edit.ID = old
		if err := f.svc.UpdateMenuItem(ctx, f.leader, edit); err != nil {
			t.Fatalf("editing an item that keeps its retired category: %v", err)
		}
		if _, err := f.svc.CreateMenuItem(ctx, f.leader, f.item("文艺演出", 6, f.teamA)); !menuFieldErr(err, "category_id", "err.category.retired") {
			t.Fatalf("a new item in a retired category: got %v", err)
		}
		edit = f.item("科技讲座", 6, f.teamA)
		edit.ID = other
		if err := f.svc.UpdateMenuItem(ctx, f.leader, edit); !menuFieldErr(err, "category_id", "err.category.retired") {
			t.Fatalf("moving an item into a retired category: got %v", err)
		}
		if err := f.svc.SetCategoryRetired(ctx, f.admin, culture.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.CreateMenuItem(ctx, f.leader, f.item("文艺演出", 6, f.teamA)); err != nil {
			t.Fatalf("a new item in a restored category: %v", err)
		}
	})
}

func TestCategoriesAreData(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newMenu(t, s)
		for _, c := range []struct{ code, field, key string }{
			{"Mental-Health", "code", "err.category.code"},
			{"_x", "code", "err.category.code"},
			{"medical", "code", "err.category.code_taken"},
		} {
			_, err := f.svc.CreateCategory(ctx, f.admin, domain.Category{Code: c.code, NameZH: "心理健康", NameEN: "Mental health", Sort: 120})
			if !menuFieldErr(err, c.field, c.key) {
				t.Errorf("code %q: got %v, want %s on %s", c.code, err, c.key, c.field)
			}
		}
		if _, err := f.svc.CreateCategory(ctx, f.admin, domain.Category{Code: "x", Sort: -1}); !menuFieldErr(err, "name_zh", "err.required") ||
			!menuFieldErr(err, "name_en", "err.required") || !menuFieldErr(err, "sort", "err.category.sort") {
			t.Errorf("a category without names: got %v", err)
		}
		if _, err := f.svc.CreateCategory(ctx, f.orgAdmin, domain.Category{Code: "x", NameZH: "x", NameEN: "x"}); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("org admin adds a category: got %v", err)
		}
		id, err := f.svc.CreateCategory(ctx, f.admin, domain.Category{Code: "mental_health", NameZH: " 心理健康 ", NameEN: "Mental health", Sort: 120})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.UpdateCategory(ctx, f.admin, domain.Category{ID: id, Code: "ignored", NameZH: "心理疏导", NameEN: "Counselling", Sort: 5}); err != nil {
			t.Fatal(err)
		}
		c, _ := s.CategoryByID(ctx, id)
		if c.Code != "mental_health" || c.NameZH != "心理疏导" || c.NameEN != "Counselling" || c.Sort != 5 {
			t.Fatalf("after renaming: %+v; the code must stay", c)
		}
		if err := f.svc.UpdateCategory(ctx, f.admin, domain.Category{ID: 999999, NameZH: "x", NameEN: "x"}); domain.ErrCode(err) != domain.CodeNotFound {
			t.Errorf("renaming a category that does not exist: got %v", err)
		}
		// Usage counts: a menu item, a team, a willing person.
		if _, err := f.svc.CreateMenuItem(ctx, f.admin, domain.MenuItem{Title: "心理咨询", CategoryID: id, Kind: domain.MenuProfessional,
			Term: domain.TermShort, Volunteers: 2, TeamIDs: []int64{f.teamA}}); err != nil {
			t.Fatal(err)
		}
		team, _ := s.TeamByID(ctx, f.teamA)
		team.Categories = []int64{id}
		if err := f.svc.UpdateTeam(ctx, f.admin, team); err != nil {
			t.Fatal(err)
		}
		p := person("赵敏", "13800000009", f.unitA)
		p.Willingness = []int64{id}
		if _, err := f.svc.CreatePerson(ctx, f.admin, p); err != nil {
			t.Fatal(err)
		}
		usage, err := f.svc.CategoryUsage(ctx, f.admin)
		if err != nil {
			t.Fatal(err)
		}
		if usage[0].ID != id || usage[0].MenuItems != 1 || usage[0].Teams != 1 || usage[0].Willing != 1 {
			t.Fatalf("first category by order = %+v; want the renamed one (sort 5) used once each", usage[0])
		}
		if err := f.svc.SetCategoryRetired(ctx, f.admin, id, true); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetCategoryRetired(ctx, f.admin, id, true); err != nil {
			t.Fatalf("retiring twice: %v", err)
		}
		// The team and the person keep it.
		if team, _ := s.TeamByID(ctx, f.teamA); !slices.Equal(team.Categories, []int64{id}) {
			t.Errorf("the team's categories after retiring = %v", team.Categories)
		}
		es, _ := s.ListAudit(ctx, domain.AuditFilter{Action: "category."})
		var actions []string
		for _, e := range es {
			actions = append(actions, e.Action)
		}
		slices.Sort(actions)
		if !slices.Equal(actions, []string{"category.create", "category.retire", "category.update"}) {
			t.Errorf("audit = %v", actions)
		}
	})
}
