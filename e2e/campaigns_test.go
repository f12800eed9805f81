package e2e

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// TestBrowserCampaign opens the key-task campaign on the demo city as the
// committee: six batches and the seed's figures — 300 people, 250 m³ of old
// boards, 120 truckloads, 5,000 m of fence, 2 t of roadside garbage, 300
// trees. Then the demo leader records an activity's outcome with a photo.
func TestBrowserCampaign(t *testing.T) {
	srv := startServer(t, true)
	b := newBrowser(t, srv.URL)
	b.navigate("/login")
	b.login("admin", service.DemoPassword)

	b.navigate("/campaigns")
	b.click("#campaigns a")
	if got := b.text("#campaign-name"); got != "十个全覆盖" {
		t.Fatalf("campaign page h1 %q", got)
	}
	if n := b.count("#batch-table tbody tr"); n != 6 {
		t.Errorf("%d batch rows, want 6", n)
	}
	if got := b.text("#batch-table tbody"); !strings.Contains(got, "第一批") || !strings.Contains(got, "第六批") {
		t.Errorf("batch rows do not run from 第一批 to 第六批: %q", got)
	}
	figure := func(label string) string {
		return b.eval(`(() => { for (const s of document.querySelectorAll("#campaign-total .stat")) {
			if (s.querySelector(".stat-label").textContent.trim() === ` + strconv.Quote(label) + `) return s.querySelector(".stat-num").textContent.trim(); }
			return ""; })()`)
	}
	for label, want := range map[string]string{"人数": "300", "人次": "300", "整理旧木板": "250立方米", "清理垃圾": "120车",
		"新建栅栏": "5000米", "清运垃圾": "2吨", "植树": "300棵"} {
		if got := figure(label); got != want {
			t.Errorf("total %s = %q, want %q", label, got, want)
		}
	}
	b.screenshot("campaign")
	b.noCatalogueKeys("campaign page")
	b.onPhone(b.path(), "campaign-phone")

	// The leader records an outcome with a photo on one of their team's
	// activities that has none yet.
	act := outcomeFixture(t, srv)
	b.navigate("/")
	b.click("#logout")
	b.navigate("/login")
	b.login("nmj-leader", service.DemoPassword)
	base := "/activities/" + strconv.FormatInt(act, 10)
	b.navigate(base + "/outcome")
	b.typeInto("#beneficiaries", "120")
	b.typeInto("#metric_"+strconv.FormatInt(metricByCode(t, srv, "materials"), 10), "300")
	b.step("type the narrative", chromedp.SendKeys(chromedp.CSS("#narrative"), "为牧民讲解春季防疫知识，发放资料 300 份。"))
	// The photo is chosen in the same form and saved with the outcome.
	photo := filepath.Join(t.TempDir(), "现场.jpg")
	if err := os.WriteFile(photo, testJPEG(t), 0o600); err != nil {
		t.Fatal(err)
	}
	b.step("choose the photo", chromedp.SetUploadFiles(chromedp.CSS("#photo"), []string{photo}))
	b.click("#outcome-submit")
	if got := b.text(".notice.ok"); !strings.Contains(got, "成效和照片已保存") {
		t.Errorf("after saving: notice %q", got)
	}
	if n := b.count(".photo-grid img"); n != 1 {
		t.Fatalf("%d photos on the page after the upload, want 1", n)
	}
	shown := false // the browser fetches the photo after the page loads
	for i := 0; i < 50 && !shown; i++ {
		shown = b.eval(`String(document.querySelector(".photo-grid img").complete && document.querySelector(".photo-grid img").naturalWidth > 0)`) == "true"
		if !shown {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !shown {
		t.Errorf("the uploaded photo does not display")
	}
	b.screenshot("outcome")
	b.onPhone(base+"/outcome", "outcome-phone")
	o, ok, err := srv.Main.Store.OutcomeByActivity(context.Background(), act)
	if err != nil || !ok || o.Beneficiaries != 120 || len(o.Values) != 1 {
		t.Errorf("stored outcome %+v, %v, %v", o, ok, err)
	}
}

// outcomeFixture schedules an activity of the demo leader's team that
// started two hours ago, through the service as the committee would.
func outcomeFixture(t *testing.T, srv *server) int64 {
	t.Helper()
	ctx := context.Background()
	st, svc := srv.Main.Store, srv.Main.Service
	teams, err := st.ListTeams(ctx, store.TeamFilter{Scope: domain.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	var team int64
	for _, x := range teams {
		if x.Name == "市农牧业局党员志愿服务队" {
			team = x.ID
		}
	}
	sites, err := st.ListSites(ctx, store.SiteFilter{Scope: domain.Scope{All: true}})
	if err != nil || len(sites) == 0 {
		t.Fatal(err)
	}
	cats, _ := st.ListCategories(ctx, false)
	start := st.Now().Add(-2 * time.Hour).Truncate(time.Minute)
	in := domain.ActivityInput{Title: "春季防疫知识宣讲", Mode: domain.ModeUnit, TeamID: team, SiteID: sites[0].ID,
		CategoryIDs: []int64{cats[2].ID}, StartsAt: start, EndsAt: start.Add(4 * time.Hour), Capacity: 10}
	admin, err := st.UserByUsername(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	committee := domain.Caller{Principal: domain.Principal{UserID: admin.ID, Username: "admin",
		Grants: []domain.Grant{{Role: domain.RoleCommitteeAdmin}}}, IP: "127.0.0.1", RequestID: "e2e"}
	id, err := svc.CreateActivity(ctx, committee, in)
	if err != nil {
		t.Fatalf("CreateActivity: %v", err)
	}
	return id
}

func metricByCode(t *testing.T, srv *server, code string) int64 {
	t.Helper()
	ms, err := srv.Main.Store.ListMetrics(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Code == code {
			return m.ID
		}
	}
	t.Fatalf("no metric %s", code)
	return 0
}

// testJPEG is a small photo-like picture.
func testJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	for x := 0; x < 320; x++ {
		for y := 0; y < 240; y++ {
			img.Set(x, y, color.RGBA{uint8(60 + y/3), uint8(120 + x/5), uint8(200 - y/2), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
