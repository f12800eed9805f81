package domain

import (
	"slices"
	"testing"
)

// TestGroupServices: the same service offered by four teams is one service
// of the public menu, whatever the spacing or width of its title; another
// category or title stays apart. The oldest item represents the service.
func TestGroupServices(t *testing.T) {
	item := func(id, cat int64, title string, team int64, name string, regions ...int64) MenuItem {
		return MenuItem{ID: id, CategoryID: cat, Title: title, TeamIDs: []int64{team}, TeamNames: []string{name},
			RegionIDs: regions, Volunteers: 6, Active: true}
	}
	items := []MenuItem{
		item(7, 3, "布病防治宣传", 4, "丁队", 11),
		item(3, 3, "布病防治宣传", 1, "甲队", 12),
		item(9, 3, "布病 防治宣传", 2, "乙队", 11),
		item(12, 3, "布病防治宣传 ", 3, "丙队", 13),
		item(5, 4, "布病防治宣传", 5, "戊队"),
		item(6, 3, "兽医巡诊", 1, "甲队"),
		item(8, 3, "ＡＢＣ 讲座", 1, "甲队", 11),
		item(10, 3, "abc讲座", 2, "乙队"),
	}
	got := GroupServices(items)
	if len(got) != 4 {
		t.Fatalf("GroupServices made %d services, want 4: %+v", len(got), got)
	}
	bp := got[0]
	if bp.ID != 3 || !slices.Equal(bp.ItemIDs, []int64{3, 7, 9, 12}) {
		t.Errorf("布病防治宣传: representative %d, items %v; want 3 and [3 7 9 12]", bp.ID, bp.ItemIDs)
	}
	if len(bp.TeamIDs) != 4 || !slices.IsSorted(bp.TeamNames) {
		t.Errorf("teams %v %v, want the four teams by name", bp.TeamIDs, bp.TeamNames)
	}
	for i, id := range bp.TeamIDs {
		if want := map[int64]string{1: "甲队", 2: "乙队", 3: "丙队", 4: "丁队"}[id]; bp.TeamNames[i] != want {
			t.Errorf("team %d is named %q, want %q", id, bp.TeamNames[i], want)
		}
	}
	if !slices.Equal(bp.RegionIDs, []int64{11, 12, 13}) {
		t.Errorf("regions %v, want [11 12 13]", bp.RegionIDs)
	}
	if !bp.OfferedBy(4) || bp.OfferedBy(5) {
		t.Error("OfferedBy: team 4 offers 布病防治宣传 in category 3, team 5 only in category 4")
	}
	if got[1].ID != 5 || got[2].ID != 6 || len(got[1].ItemIDs) != 1 {
		t.Errorf("another category or title is another service: got %d and %d", got[1].ID, got[2].ID)
	}
	if abc := got[3]; abc.ID != 8 || len(abc.ItemIDs) != 2 || abc.RegionIDs != nil {
		t.Errorf("ＡＢＣ 讲座 and abc讲座: got %d %v regions %v; want one service, offered everywhere", abc.ID, abc.ItemIDs, abc.RegionIDs)
	}
	if ServiceKey(3, "布病防治宣传") != bp.Key() {
		t.Error("Key is not the ServiceKey of the representative")
	}
}
