package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var ownerRe = regexp.MustCompile(`<option value="(site:[0-9]+)"`)

// TestShopItemForm: the site contact's item form refuses bad input field by
// field in Chinese and keeps what was typed; a good form lists the item for
// their site, which the shop then offers; the honours list exports as
// xlsx; the committee's rate refuses a bad number.
func TestShopItemForm(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	c := a.login(t, "gacha-contact")
	r := c.get(t, "/shop/manage/new")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "巴彦嘎查") {
		t.Fatalf("new item form: %d %q", r.StatusCode, r.h1())
	}
	owner := firstGroup(ownerRe, r.body)
	bad := url.Values{"owner": {owner}, "name": {"毛毯"}, "cost": {"很多"}, "stock": {"-3"}, "place": {""},
		"valid_until": {"2020-01-01"}, "description": {"羊毛毯"}}
	r = c.postForm(t, "/shop/manage/items", bad)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad item: status %d, want 422", r.StatusCode)
	}
	for _, want := range []string{"请填写 1 到 1000000 之间的整数", "请填写 0 到 100000 之间的整数", "此项必填", "羊毛毯", `value="毛毯"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the refused form lacks %q", want)
		}
	}
	good := url.Values{"owner": {owner}, "name": {"毛毯"}, "cost": {"150"}, "stock": {"3"}, "place": {"嘎查委员会"},
		"valid_until": {"2099-12-31"}, "description": {"羊毛毯"}, "active": {"1"}}
	if r = c.postForm(t, "/shop/manage/items", good); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("good item: status %d ", r.StatusCode)
	}
	if r = c.get(t, "/shop/manage"); !strings.Contains(r.body, "毛毯") {
		t.Fatalf("the new item is not listed")
	}
	v := a.login(t, "volunteer")
	if r = v.get(t, "/shop"); !strings.Contains(r.body, "毛毯") {
		t.Fatalf("the shop does not offer the new item")
	}

	admin := a.login(t, "admin")
	if r = admin.get(t, "/honours.xlsx"); r.StatusCode != http.StatusOK || !strings.HasPrefix(r.body, "PK") {
		t.Fatalf("honours export: %d %q", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if r = admin.get(t, "/honours?by=points"); !strings.Contains(r.body, "honours-table") {
		t.Fatalf("honours page has no table")
	}
	if r = admin.get(t, "/admin/points"); !strings.Contains(r.body, `value="10"`) {
		t.Fatalf("the rate page does not show the default rate 10")
	}
	if r = admin.postForm(t, "/admin/points", url.Values{"rate": {"-1"}}); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "请填写 0 到 1000 之间的整数") {
		t.Fatalf("a bad rate: %d", r.StatusCode)
	}
}
