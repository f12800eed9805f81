package e2e

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// demoCaller signs a demo account in as the service sees it.
func demoCaller(t *testing.T, st *store.Store, username string) domain.Caller {
	t.Helper()
	ctx := context.Background()
	u, err := st.UserByUsername(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	grants, err := st.Grants(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	person, err := st.PersonIDOfUser(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return domain.Caller{Principal: domain.Principal{UserID: u.ID, PersonID: person, Username: username, DisplayName: u.DisplayName,
		Grants: grants}, IP: "127.0.0.1", RequestID: "e2e"}
}

// bringToFirstStar gives the demo volunteer the hours she lacks for 1★:
// her team's leader runs a fortnight of village help (驻村帮扶) that began
// days ago, she signs up, the leader enters a day's pair from the paper
// sign-in sheet for each day she came, and completes it — all through the
// services, as the pages would.
func bringToFirstStar(t *testing.T, srv *server) domain.Person {
	t.Helper()
	ctx := context.Background()
	st, svc := srv.Main.Store, srv.Main.Service
	vol, leader := demoCaller(t, st, "volunteer"), demoCaller(t, st, "nmj-leader")
	p, err := st.PersonByUserID(ctx, vol.UserID)
	if err != nil {
		t.Fatal(err)
	}
	h0, _ := st.PersonMinutes(ctx, p.ID)
	if domain.StarLevel(h0) != 0 {
		t.Fatalf("the demo volunteer starts with %s h, already a star", h0.Hours())
	}
	days := int(math.Ceil(float64(domain.HoursOf(100)-h0)/(8*60))) + 1
	cats, _ := st.ListCategories(ctx, false)
	var cat int64
	for _, c := range cats {
		if c.Code == "poverty_relief" {
			cat = c.ID
		}
	}
	sites, _ := st.ListSites(ctx, store.SiteFilter{Scope: domain.Scope{All: true}})
	var site int64
	for _, s := range sites {
		if s.Name == "巴彦嘎查" {
			site = s.ID
		}
	}
	now := time.Now().In(domain.ChinaZone)
	first := time.Date(now.Year(), now.Month(), now.Day(), 8, 0, 0, 0, domain.ChinaZone).AddDate(0, 0, -days)
	in := domain.ActivityInput{Title: "驻村帮扶：巴彦嘎查春耕生产", Mode: domain.ModeUnit, TeamID: leader.Grants[0].ScopeID,
		SiteID: site, CategoryIDs: []int64{cat}, StartsAt: first, EndsAt: now.Add(2 * time.Hour), Capacity: 5,
		Description: "连续驻村帮扶，按天签到签退。"}
	id, err := svc.CreateActivity(ctx, leader, in)
	if err != nil {
		t.Fatalf("CreateActivity: %v", err)
	}
	if state, err := svc.SignUp(ctx, vol, id); err != nil || state != domain.SignupConfirmed {
		t.Fatalf("SignUp = %s, %v", state, err)
	}
	for d := 0; d < days; d++ {
		day := first.AddDate(0, 0, d)
		if err := svc.RecordPair(ctx, leader, id, p.ID, day.Add(30*time.Minute), day.Add(8*time.Hour+30*time.Minute)); err != nil {
			t.Fatalf("RecordPair day %d: %v", d, err)
		}
	}
	if _, _, err := svc.CompleteActivity(ctx, leader, id); err != nil {
		t.Fatalf("CompleteActivity: %v", err)
	}
	h, _ := st.PersonMinutes(ctx, p.ID)
	if domain.StarLevel(h) != 1 {
		t.Fatalf("after %d days the volunteer has %s h, not 1★", days, h.Hours())
	}
	t.Logf("the volunteer went from %s h to %s h", h0.Hours(), h.Hours())
	return p
}

// TestBrowserStarCertificateAndVerify is issue 7's browser test for
// records: a volunteer reaches 1★ and sees it on her record; the org admin
// of her unit issues a certificate and opens its print layout (looked at
// with print media on an A4 page); the public, in a fresh browser, verifies
// it by number and sees masked data only.
func TestBrowserStarCertificateAndVerify(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	p := bringToFirstStar(t, srv)

	b := newBrowser(t, srv.URL)
	b.navigate("/login")
	b.login("volunteer", service.DemoPassword)
	b.navigate("/records/me")
	b.expectPage("/records/me", "我的志愿服务记录", "zh-CN")
	if got := b.eval(`document.getElementById("star-summary").dataset.level`); got != "1" {
		t.Errorf("the volunteer's star level shows %q, want 1", got)
	}
	if got := b.text("#star-summary"); !strings.Contains(got, "1 星志愿者") || !strings.Contains(got, "可达 2 星") {
		t.Errorf("the star summary reads %q", got)
	}
	if got := b.text("#records-table"); !strings.Contains(got, "驻村帮扶：巴彦嘎查春耕生产") {
		t.Errorf("the record does not list the new activity: %q", got)
	}
	b.screenshot("volunteer-record-1-star")
	b.onPhone("/me", "me-with-star-phone")
	b.click("#logout")

	// The org admin of her unit issues the certificate.
	b.navigate("/login")
	b.login("nmj-admin", service.DemoPassword)
	b.navigate("/records/" + strconv.FormatInt(p.ID, 10))
	b.expectPage("/records/"+strconv.FormatInt(p.ID, 10), p.Name, "zh-CN")
	b.click("#issue-link")
	b.expectPage("/certificates/new", "开具志愿服务记录证明", "zh-CN")
	if got := b.eval(`document.getElementById("org_id").selectedOptions[0].textContent`); got != "市农牧业局" {
		t.Errorf("the issuing org offered first is %q, want 市农牧业局", got)
	}
	if status := b.click("#issue-submit"); status != 422 {
		t.Errorf("issue without the responsible person: status %d, want 422", status)
	}
	if got := b.text("#responsible-error"); !strings.Contains(got, "必填") {
		t.Errorf("the responsible person's error reads %q", got)
	}
	b.typeInto("#responsible", "张志强")
	b.typeInto("#contact", "0471-1234567")
	b.click("#issue-submit")
	if path := b.path(); !strings.HasPrefix(path, "/certificates/") {
		b.screenshot("after-issue")
		t.Fatalf("after issuing: on %s", path)
	}
	number := b.text("#cert-number")
	if domain.NormalizeCertificateNumber(number) != number {
		t.Fatalf("the certificate number reads %q", number)
	}
	body := b.text("#cert-body")
	if !strings.Contains(body, p.Name) || !strings.Contains(body, "市农牧业局") || strings.Contains(body, "%!") {
		t.Errorf("the certificate reads %q", body)
	}
	b.screenshot("certificate-screen")

	// The print layout: print media on an A4-sized page (96 dpi).
	b.step("print media", chromedp.EmulateViewport(794, 1123), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	if got := b.eval(`getComputedStyle(document.querySelector("header.top")).display`); got != "none" {
		t.Errorf("in print the header is %q, want none", got)
	}
	if got := b.eval(`getComputedStyle(document.querySelector(".no-print")).display`); got != "none" {
		t.Errorf("in print the toolbar is %q, want none", got)
	}
	b.screenshot("certificate-print-a4")
	b.step("screen media", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
		return err
	}))

	// The demo's record corrected twice: three versions for the admin.
	recs, _ := srv.Main.Store.PersonRecords(context.Background(), p.ID)
	for _, r := range recs {
		if r.Corrections == 2 {
			b.navigate("/records/" + strconv.FormatInt(p.ID, 10) + "/activities/" + strconv.FormatInt(r.ActivityID, 10))
			if n := b.count("#versions-table tbody tr"); n != 3 {
				t.Errorf("the twice-corrected record shows %d versions, want 3", n)
			}
			b.screenshot("record-versions")
		}
	}

	// The public checks it by number in a fresh browser.
	pub := newBrowser(t, srv.URL)
	pub.navigate("/verify")
	pub.expectPage("/verify", "证明查验", "zh-CN")
	pub.typeInto("#number", strings.ToLower(number))
	pub.click("#verify-submit")
	if got := pub.text("#verify-state"); !strings.Contains(got, "证明真实有效") {
		t.Errorf("the check says %q", got)
	}
	if got := pub.text("#verify-name"); got != domain.MaskName(p.Name) {
		t.Errorf("the check shows the name %q, want %q", got, domain.MaskName(p.Name))
	}
	if got := pub.text("body"); strings.Contains(got, p.Name) || strings.Contains(got, p.Phone) {
		t.Errorf("the public check shows the full name or phone: %q", got)
	}
	pub.screenshot("verify-valid")
	pub.onPhone("/verify?number="+number, "verify-phone")
}
