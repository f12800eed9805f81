package e2e

import (
	"context"
	"fmt"

	"github.com/chromedp/chromedp"
	"strconv"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// TestBrowserDispatch: the committee dispatches an order needing medical and
// legal service to the proposed group; the legal team declines; the
// committee re-dispatches the legal part to another team; both confirm and
// the order is confirmed.
func TestBrowserDispatch(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	ctx := context.Background()
	st, svc := srv.Main.Store, srv.Main.Service

	// An accepted order for one medical and one legal menu item.
	cats, _ := st.ListCategories(ctx, false)
	code := map[int64]string{}
	for _, c := range cats {
		code[c.ID] = c.Code
	}
	items, _ := st.ListMenuItems(ctx, store.MenuFilter{ActiveOnly: true})
	var medical, legal int64
	for _, m := range items {
		switch code[m.CategoryID] {
		case "medical":
			medical = m.ID
		case "legal":
			legal = m.ID
		}
	}
	sites, _ := st.ListSites(ctx, store.SiteFilter{Scope: domain.Scope{All: true}})
	if medical == 0 || legal == 0 || len(sites) == 0 {
		t.Fatalf("the demo lacks a medical or legal menu item (%d, %d) or sites", medical, legal)
	}
	// Find a site whose proposed group has two teams, one per category, as
	// the seed's 组团 has it (far from the teams, one team may be cheapest).
	var o domain.Order
	for i := 0; i < len(sites) && i < 40; i++ {
		tracking, err := svc.PlaceOrder(ctx, domain.Caller{IP: "192.0.2." + strconv.Itoa(i+1)}, domain.OrderInput{
			RequesterName: "宝音", RequesterPhone: fmt.Sprintf("136%08d", i+1), SiteID: sites[i].ID, DateFrom: time.Now().In(domain.ChinaZone).AddDate(0, 2, 0).Format("2006-01-02"),
			DateTo: time.Now().In(domain.ChinaZone).AddDate(0, 2, 0).Format("2006-01-02"), Beneficiaries: 120, ItemIDs: []int64{medical, legal}})
		if err != nil {
			t.Fatal(err)
		}
		o, _ = st.OrderByCode(ctx, tracking)
		if err := svc.ReviewOrder(ctx, service.SystemCaller, o.ID, domain.EventAccept, ""); err != nil {
			t.Fatal(err)
		}
		pr, err := svc.ProposeGroup(ctx, service.SystemCaller, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pr.Match.Best.Parts) == 2 {
			break
		}
	}
	id := strconv.FormatInt(o.ID, 10)

	b := newBrowser(t, srv.URL)
	b.navigate("/login")
	b.login("admin", service.DemoPassword)
	b.navigate("/desk")
	b.expectPage("/desk", "派单", "zh-CN")
	b.click("#propose-" + id)
	b.screenshot("proposal")
	if n := b.count("#proposal section"); n == 0 {
		t.Fatal("no proposed team on the order's page")
	}
	b.click("#dispatch-submit")
	b.screenshot("dispatched")
	ds, _ := st.OrderDispatches(ctx, o.ID)
	if len(ds) != 2 {
		t.Fatalf("%d dispatches after sending as proposed, want 2", len(ds))
	}
	var legalTeam, medicalTeam int64
	for _, d := range ds {
		if code[d.CategoryID] == "legal" {
			legalTeam = d.TeamID
		} else {
			medicalTeam = d.TeamID
		}
	}

	// Each team's leader answers from their inbox: an account linked to a
	// member of the team without one, as a leader's account must be.
	leader := func(team int64, name string) string {
		roster, err := st.Roster(ctx, team, false)
		if err != nil {
			t.Fatal(err)
		}
		var person int64
		for _, m := range roster {
			if p, err := st.PersonByID(ctx, m.PersonID); err == nil && p.UserID == 0 && person == 0 {
				person = p.ID
			}
		}
		_, _, err = svc.CreateUser(ctx, service.SystemCaller, service.NewAccount{Username: name, DisplayName: name,
			Role: domain.RoleTeamLeader, ScopeID: team, PersonID: person, Password: "leader password 2026"})
		if err != nil {
			t.Fatal(err)
		}
		return name
	}
	answer := func(user string, team int64, confirm bool) {
		b.navigate("/login")
		if b.count("#logout") > 0 {
			b.click("#logout")
		}
		b.login(user, "leader password 2026")
		b.navigate("/inbox")
		sel := "-" + id + "-" + strconv.FormatInt(team, 10)
		if confirm {
			b.click("#confirm" + sel)
		} else {
			b.step("type the reason", chromedp.SendKeys(chromedp.CSS("#reason"+sel), "本周队员外出培训，无法前往。"))
			b.click("#decline" + sel)
		}
		b.screenshot(user + "-answered")
		b.click("#logout")
	}
	answer(leader(legalTeam, "legal-leader"), legalTeam, false)
	if o, _ := st.OrderByID(ctx, o.ID); o.State != domain.OrderAccepted {
		t.Fatalf("after the decline the order is %s, want accepted (back in the pool)", o.State)
	}

	// The committee re-dispatches the legal part to another team, saying why.
	b.login("admin", service.DemoPassword)
	b.navigate("/desk/orders/" + id)
	b.screenshot("redispatch")
	legalCat := int64(0)
	for _, c := range cats {
		if c.Code == "legal" {
			legalCat = c.ID
		}
	}
	sel := "#team_" + strconv.FormatInt(legalCat, 10)
	other := b.eval(`(() => { const s = document.querySelector('` + sel + `'); const o = [...s.options].find(o => o.value !== "0" && o.value !== "` + strconv.FormatInt(legalTeam, 10) + `" && !o.selected); return o ? o.value : "" })()`)
	proposedNow := b.eval(`document.querySelector('` + sel + `').value`)
	newTeam, _ := strconv.ParseInt(proposedNow, 10, 64)
	if newTeam == 0 || newTeam == legalTeam {
		if other == "" {
			t.Fatal("no other team can take the legal part")
		}
		b.eval(`(() => { document.querySelector('` + sel + `').value = "` + other + `"; return "" })()`)
		b.typeInto("#reason_"+strconv.FormatInt(legalCat, 10), "原服务队已谢绝")
		newTeam, _ = strconv.ParseInt(other, 10, 64)
	}
	if status := b.click("#dispatch-submit"); status != 200 || b.count(".notice.error") > 0 {
		b.screenshot("redispatch-refused")
		t.Fatalf("re-dispatch refused: status %d, %q", status, b.text("main"))
	}
	b.click("#logout")
	t.Logf("legal team %d declined; re-sent to %d; medical team %d", legalTeam, newTeam, medicalTeam)
	answer(leader(newTeam, "legal-leader-2"), newTeam, true)
	if newTeam != medicalTeam { // a team holding both parts confirmed both at once
		answer(leader(medicalTeam, "medical-leader"), medicalTeam, true)
	}

	if o, _ := st.OrderByID(ctx, o.ID); o.State != domain.OrderConfirmed {
		t.Fatalf("after both confirmed the order is %s, want confirmed", o.State)
	}
	steps, _ := st.OrderSteps(ctx, o.ID)
	var events []string
	for _, s := range steps[1:] {
		events = append(events, string(s.Event))
	}
	if got := strings.Join(events, ","); got != "accept,dispatch,decline,dispatch,confirm" {
		t.Errorf("steps = %s", got)
	}
}
