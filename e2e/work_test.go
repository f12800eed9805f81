package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// workSetup places two orders as the public for 巴彦嘎查, with a menu item of
// its own, and returns them with the item.
func workSetup(t *testing.T, srv *server) (first, second domain.Order, item int64) {
	t.Helper()
	ctx := context.Background()
	st, svc := srv.Main.Store, srv.Main.Service
	sites, err := st.ListSites(ctx, store.SiteFilter{Scope: domain.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	var site int64
	for _, s := range sites {
		if s.Name == "巴彦嘎查" {
			site = s.ID
		}
	}
	cats, _ := st.ListCategories(ctx, false)
	teams, err := st.ListTeams(ctx, store.TeamFilter{Scope: domain.Scope{All: true}})
	if site == 0 || len(cats) < 3 || len(teams) == 0 || err != nil {
		t.Fatalf("demo: site %d, %d categories, %d teams, %v", site, len(cats), len(teams), err)
	}
	err = st.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
		item, err = tx.CreateMenuItem(domain.MenuItem{Title: "春季牲畜防疫上门服务", CategoryID: cats[2].ID,
			Kind: domain.MenuProfessional, Term: domain.TermShort, Volunteers: 3, Active: true, TeamIDs: []int64{teams[0].ID}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	day := time.Now().In(time.FixedZone("CST", 8*3600))
	public := domain.Caller{IP: "203.0.113.80", RequestID: "e2e"}
	place := func(name, phone string) domain.Order {
		code, err := svc.PlaceOrder(ctx, public, domain.OrderInput{RequesterName: name, RequesterPhone: phone, SiteID: site,
			DateFrom: day.AddDate(0, 0, 10).Format("2006-01-02"), DateTo: day.AddDate(0, 0, 11).Format("2006-01-02"),
			Beneficiaries: 80, ItemIDs: []int64{item}})
		if err != nil {
			t.Fatalf("PlaceOrder: %v", err)
		}
		o, err := st.OrderByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	return place("巴特尔", "13912345678"), place("其其格", "13987654321"), item
}

// TestBrowserWorkReviewAndHotline: the committee opens its work list and
// finds two new orders marked, accepts one and rejects the other with a
// reason; the requester, without an account, reads that reason on the
// status page; then staff record an order that came by telephone and find it
// in the work list with its channel and who took it.
func TestBrowserWorkReviewAndHotline(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	first, second, item := workSetup(t, srv)
	const reason = "冬季道路封闭，开春后再安排"

	b := newBrowser(t, srv.URL)
	b.navigate("/login")
	b.login("admin", service.DemoPassword)
	b.navigate("/orders")
	b.expectPage("/orders", "点单受理", "zh-CN")
	for _, o := range []domain.Order{first, second} {
		row := "#order-" + itoa(int(o.ID))
		if b.count(row+".changed .pill.new") != 1 {
			t.Errorf("order %d is not marked new in the work list", o.ID)
		}
		if got := b.text(row); !strings.Contains(got, domain.MaskPhone(o.RequesterPhone)) || strings.Contains(got, o.RequesterPhone) ||
			!strings.Contains(got, "春季牲畜防疫上门服务") || !strings.Contains(got, "已提交") {
			t.Errorf("row of order %d reads %q", o.ID, got)
		}
	}
	b.screenshot("work-list-new")

	// Accept the first from its page.
	b.click("#order-" + itoa(int(first.ID)) + " td:nth-child(4) a")
	b.expectPage("/orders/"+itoa(int(first.ID)), "点单 "+domain.OrderNumber(first.ID), "zh-CN")
	b.screenshot("order-submitted")
	b.click("#accept")
	b.expectPage("/orders/"+itoa(int(first.ID)), "已受理", "zh-CN")
	if got := b.text(".notice.ok"); !strings.Contains(got, "已受理该点单") {
		t.Errorf("after accepting the notice is %q", got)
	}

	// Reject the second: first without a reason, then with one.
	b.navigate("/orders/" + itoa(int(second.ID)))
	if status := b.click("#reject"); status != 422 {
		t.Errorf("reject without a reason: status %d, want 422", status)
	}
	if got := b.text("#reason-error"); !strings.Contains(got, "请填写原因") {
		t.Errorf("the reason's error is %q", got)
	}
	b.typeIntoArea("#reason", reason)
	b.screenshot("order-reject-reason")
	b.click("#reject")
	b.expectPage("/orders/"+itoa(int(second.ID)), "未受理", "zh-CN")
	if got := b.text("#order-steps"); !strings.Contains(got, reason) || !strings.Contains(got, "工委管理员") {
		t.Errorf("the steps read %q, want the reason and who gave it", got)
	}
	b.screenshot("order-rejected")

	// The requester, signed out, follows the order by its code.
	b.click("#logout")
	b.navigate("/track?code=" + second.Code)
	b.expectPage("/track", "", "zh-CN")
	if got := b.text("#track-reason"); got != reason {
		t.Errorf("the status page shows the reason %q, want %q", got, reason)
	}
	if got := b.text("#track-state-name"); got != "未受理" {
		t.Errorf("the status page shows the state %q, want 未受理", got)
	}
	b.onPhone("/track?code="+second.Code, "track-rejected-phone")

	// Staff record an order that came by telephone.
	b.navigate("/login")
	b.login("admin", service.DemoPassword)
	b.navigate("/orders/new")
	b.expectPage("/orders/new", "录入点单", "zh-CN")
	day := time.Now().In(time.FixedZone("CST", 8*3600))
	b.eval(`(() => {
		const set = (id, v) => { document.getElementById(id).value = v; };
		set("channel", "hotline");
		set("site_id", "` + strconv.FormatInt(first.SiteID, 10) + `");
		set("date_from", "` + day.AddDate(0, 0, 3).Format("2006-01-02") + `");
		set("date_to", "` + day.AddDate(0, 0, 4).Format("2006-01-02") + `");
		document.querySelector('input[name=items][value="` + strconv.FormatInt(item, 10) + `"]').click();
		return "";
	})()`)
	b.typeInto("#requester_name", "额尔敦")
	b.typeInto("#requester_phone", "13611112222")
	b.typeInto("#beneficiaries", "35")
	b.typeIntoArea("#need", "另请讲解春季防疫要点")
	b.screenshot("hotline-form")
	b.click("#work-order-submit")
	if got := b.path(); !strings.HasPrefix(got, "/orders/") || got == "/orders/new" {
		b.screenshot("hotline-not-saved")
		t.Fatalf("after recording the hotline order the browser is on %s (errors: %s)", got, b.text("main"))
	}
	code := strings.ToLower(strings.ReplaceAll(b.text("#order-code"), " ", ""))
	if service.NormalizeCode(code) != code || b.text("#order-channel") != "热线电话" || b.text("#order-taken-by") != "工委管理员" {
		t.Errorf("the recorded order shows code %q, channel %q, taken by %q", code, b.text("#order-channel"), b.text("#order-taken-by"))
	}
	b.screenshot("hotline-recorded")
	o, err := srv.Main.Store.OrderByCode(context.Background(), code)
	if err != nil || o.Channel != domain.ChannelHotline || o.TakenByName != "工委管理员" {
		t.Fatalf("the recorded order: %+v, %v", o, err)
	}
	b.navigate("/orders?channel=hotline")
	if got := b.text("#order-" + itoa(int(o.ID))); !strings.Contains(got, "热线电话") || !strings.Contains(got, "录入：工委管理员") {
		t.Errorf("the hotline order's row reads %q, want the channel and who took it", got)
	}
	b.screenshot("work-list-hotline")
	b.onPhone("/orders", "work-list-phone")
}

// TestBrowserSuggestionBox: a member of the public writes a suggestion on a
// phone and keeps the code; the committee finds it marked new, replies, and
// the writer reads the reply by the code.
func TestBrowserSuggestionBox(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	b := newBrowser(t, srv.URL)
	const reply = "已转环境整治服务队，本周六上午清理"

	b.onPhone("/suggest", "suggest-phone")
	b.typeIntoArea("#body", "河边的垃圾很久没人清理了")
	b.typeInto("#phone", "13912345678")
	b.click("#suggest-submit")
	b.expectPage("/suggest/status", "意见查询", "zh-CN")
	code := strings.ToLower(strings.ReplaceAll(b.text("#suggest-code"), " ", ""))
	if service.NormalizeCode(code) != code {
		t.Fatalf("the code shown is %q", code)
	}
	b.screenshot("suggest-sent")

	b.navigate("/login")
	b.login("admin", service.DemoPassword)
	b.navigate("/admin/suggestions")
	b.expectPage("/admin/suggestions", "意见箱", "zh-CN")
	if b.count("#suggestions-table tr.changed .pill.new") != 1 || !strings.Contains(b.text("#suggestions-table"), "139****5678") {
		t.Errorf("the new suggestion is not marked new with its phone masked: %q", b.text("#suggestions-table"))
	}
	b.screenshot("suggestions-list")
	b.click("#suggestions-table tbody tr:first-child td:nth-child(2) a")
	b.typeIntoArea("#reply", reply)
	b.click("#reply-submit")
	if got := b.text("#suggestion-reply"); got != reply {
		t.Errorf("after replying the page shows %q", got)
	}
	b.screenshot("suggestion-replied")
	b.click("#logout")

	b.navigate("/suggest/status?code=" + code)
	if got := b.text("#suggestion-reply"); got != reply {
		t.Errorf("the writer reads %q, want the reply", got)
	}
	b.onPhone("/suggest/status?code="+code, "suggest-reply-phone")
}

// typeIntoArea types text into an empty textarea key by key (chromedp's
// Clear needs a text node, which an empty textarea lacks) and checks that
// it holds exactly the text.
func (b *browser) typeIntoArea(sel, text string) {
	b.t.Helper()
	b.eval(`(() => { document.querySelector(` + strconv.Quote(sel) + `).value = ""; return "" })()`)
	b.step("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
	if got := value(b, "value of "+sel, chromedp.Value(chromedp.CSS(sel))); got != text {
		b.t.Fatalf("typed %q into %s, the field holds %q", text, sel, got)
	}
}
