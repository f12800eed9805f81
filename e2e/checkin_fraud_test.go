package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"vanguard/domain"
	"vanguard/service"
)

// The place of the activity in this walk: Hailar.
const hailarLat, hailarLng = 49.2116, 119.7658

// locate lets the page read the browser's position, and sets it.
func (b *browser) locate(lat, lng float64) {
	b.t.Helper()
	acc := 12.0
	b.step(fmt.Sprintf("locate at %.4f,%.4f", lat, lng), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
			Permission: &cdpbrowser.PermissionDescriptor{Name: "geolocation"},
			Setting:    cdpbrowser.PermissionSettingGranted, Origin: b.base,
		}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{
			Latitude: &lat, Longitude: &lng, Accuracy: &acc})
		return err
	}))
}

// tapCheckin taps the check-in button, which asks for the position before
// it posts, and waits for the answer.
func (b *browser) tapCheckin() {
	b.t.Helper()
	b.scrollTo("#checkin-confirm")
	b.step("tap check in", chromedp.Click(chromedp.CSS("#checkin-confirm"), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("#checkin-result")))
}

// TestBrowserCheckinFraud is issue 15's check-in that resists fraud on
// phones: the leader requires the location within 200 m; the volunteer,
// a kilometre away, is refused with the distance; at the place, checked
// in; a member whose phone cannot be located is checked in by the leader
// with a reason, and the leader sees that check-in flagged.
func TestBrowserCheckinFraud(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	ctx := context.Background()
	id, volPerson, other := checkinActivity(t, srv)
	act := "/activities/" + strconv.FormatInt(id, 10)
	if _, err := srv.Main.Service.SignUp(ctx, checkinCaller(t, srv, "volunteer"), id); err != nil {
		t.Fatalf("sign up: %v", err)
	}

	// The leader requires the location on the on-site page.
	leader := newBrowser(t, srv.URL)
	leader.phone()
	leader.navigate("/login")
	leader.login("nmj-leader", service.DemoPassword)
	leader.navigate(act + "/onsite")
	leader.scrollTo("#checkin-geo")
	leader.eval(`(() => { document.querySelector("#geo-required").checked = true; return "" })()`)
	leader.typeInto("#geo-lat", strconv.FormatFloat(hailarLat, 'f', 4, 64))
	leader.typeInto("#geo-lng", strconv.FormatFloat(hailarLng, 'f', 4, 64))
	leader.typeInto("#geo-radius", "200")
	leader.scrollTo("#geo-submit")
	if status := leader.click("#geo-submit"); status != 200 {
		t.Fatalf("save the requirement: status %d", status)
	}
	if got := leader.text("#geo-state"); !strings.Contains(got, "200 米以内") {
		t.Fatalf("after saving, the requirement reads %q", got)
	}
	leader.noSidewaysScroll(act + "/onsite")
	link := leader.eval(`document.querySelector("#checkin-link").href`)

	// The volunteer, a kilometre north, is refused with the distance.
	vol := newBrowser(t, srv.URL)
	vol.phone()
	vol.navigate("/login")
	vol.login("volunteer", service.DemoPassword)
	vol.locate(hailarLat+0.009, hailarLng)
	vol.navigate(strings.TrimPrefix(link, srv.URL))
	vol.expectPage("/checkin", "确认签到", "zh-CN")
	if got := vol.text("#checkin-geo-note"); !strings.Contains(got, "签到需定位") {
		t.Errorf("the location note reads %q", got)
	}
	vol.noSidewaysScroll("/checkin")
	vol.screenshot("checkin-geo-phone")
	vol.tapCheckin()
	if got := vol.text("#checkin-error"); !strings.Contains(got, "您距活动地点约 1001 米，超出签到范围（200 米以内）") {
		t.Fatalf("1 km away the page says %q", got)
	}
	vol.noSidewaysScroll("refused check-in")
	vol.screenshot("checkin-too-far-phone")

	// At the place: checked in, with the position kept.
	vol.locate(hailarLat+0.0003, hailarLng+0.0002)
	vol.navigate(strings.TrimPrefix(link, srv.URL))
	vol.tapCheckin()
	if h1 := vol.text("h1"); !strings.HasPrefix(h1, "签到成功 ") {
		t.Fatalf("at the place the page says %q", h1)
	}
	vol.screenshot("checkin-inside-phone")
	att, err := srv.Main.Store.ActivityAttendance(ctx, id)
	if err != nil || len(att) != 1 || att[0].PersonID != volPerson || att[0].MethodIn != domain.MethodQR {
		t.Fatalf("attendance = %+v, %v", att, err)
	}

	// The second member's phone cannot be located: the leader checks them
	// in by hand with a reason, and sees the check-in flagged.
	leader.navigate(act + "/onsite")
	leader.scrollTo("#override-form")
	leader.eval(fmt.Sprintf(`(() => { document.querySelector("#override-person").value = %q; return "" })()`,
		strconv.FormatInt(other.PersonID, 10)))
	leader.typeInto("#override-reason", "手机无法定位，本人已到场")
	leader.scrollTo("#override-submit")
	if status := leader.click("#override-submit"); status != 200 {
		t.Fatalf("override: status %d", status)
	}
	flags := leader.text("#checkin-flags")
	for _, want := range []string{"待核实的签到（1）", other.PersonName, "超出定位范围（代签）", "原因：手机无法定位，本人已到场"} {
		if !strings.Contains(flags, want) {
			t.Errorf("the flagged check-ins read %q, want %q in it", flags, want)
		}
	}
	leader.noSidewaysScroll(act + "/onsite")
	leader.scrollTo("#checkin-flags")
	leader.viewportShot("onsite-flagged-phone")
	leader.screenshot("onsite-flagged-full-phone")
}
