package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// The place of the test activity: Hailar.
const geoLat, geoLng = 49.2116, 119.7658

var nonceRE = regexp.MustCompile(`name="nonce" value="([^"]*)"`)

// openCheckin opens the check-in page as c and returns the form to post:
// the token and the nonce the page holds.
func openCheckin(t *testing.T, c *client, f *onsiteFixture, link string) url.Values {
	t.Helper()
	r := c.get(t, strings.TrimPrefix(link, f.a.url))
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET the check-in page: %d %s", r.StatusCode, r.h1())
	}
	m := nonceRE.FindStringSubmatch(r.body)
	if m == nil || m[1] == "" {
		t.Fatal("the check-in page holds no nonce")
	}
	return url.Values{"t": {tokenOf(t, link)}, "nonce": {html.UnescapeString(m[1])}}
}

func at(form url.Values, lat, lng float64) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = v
	}
	out.Set("lat", strconv.FormatFloat(lat, 'f', 6, 64))
	out.Set("lng", strconv.FormatFloat(lng, 'f', 6, 64))
	out.Set("acc", "15")
	return out
}

// deviceOf is the device cookie c holds.
func deviceOf(c *client) *http.Cookie {
	u, _ := url.Parse(c.app.url)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == "vanguard_device" {
			return ck
		}
	}
	return nil
}

// TestCheckinFraud: the leader requires the location (bad input refused
// with the field named, nothing saved); a volunteer with no position or
// too far away is refused and told why; inside the range is recorded;
// a second check-in from another phone is refused; the same phone checking
// in a second person is flagged and listed for the leader; the leader
// checks a third person in by hand with a reason (flagged); and clears a
// flag with a note.
func TestCheckinFraud(t *testing.T) {
	t.Parallel()
	db := storetest.SQLitePath(t)
	copyDir(t, demoTemplate(t), filepath.Dir(db))
	f := newOnsiteFixture(t, db)
	ctx := context.Background()
	geoPath := "/activities/" + itoa(f.id) + "/checkin-geo"

	// The location requirement: bad input names its field and saves nothing.
	for _, c := range []struct {
		form  url.Values
		field string
		want  string
	}{
		{url.Values{"required": {"1"}, "geo_lat": {"49.2"}, "geo_lng": {"119.7"}, "geo_radius": {"10"}}, "geo_radius", "签到范围须在 50 至 5000 米之间。"},
		{url.Values{"required": {"1"}, "geo_lat": {"北纬"}, "geo_lng": {"119.7"}, "geo_radius": {"200"}}, "geo_lat", "请填写活动地点的纬度（-90 至 90 之间的数字）。"},
		{url.Values{"required": {"1"}, "geo_lat": {"49.2"}, "geo_lng": {"999"}, "geo_radius": {"200"}}, "geo_lng", "请填写活动地点的经度（-180 至 180 之间的数字）。"},
	} {
		r := f.leader.postForm(t, geoPath, c.form)
		if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()[c.field] != c.want {
			t.Errorf("POST %v: %d, errors %v; want 422 and %s: %s", c.form, r.StatusCode, r.fieldErrors(), c.field, c.want)
		}
		if !strings.Contains(r.body, `value="`+html.EscapeString(c.form.Get("geo_lat"))+`"`) {
			t.Errorf("POST %v: the form lost its input", c.form)
		}
	}
	if g, _ := f.a.Store.ActivityGeo(ctx, f.id); g.Required() {
		t.Fatalf("a refused form saved %+v", g)
	}
	r := f.leader.postForm(t, geoPath, url.Values{"required": {"1"}, "geo_lat": {"49.2116"}, "geo_lng": {"119.7658"}, "geo_radius": {"200"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save the requirement: %d %s %v", r.StatusCode, r.notice(), r.fieldErrors())
	}
	r = f.leader.get(t, f.onsitePath("in"))
	if !strings.Contains(r.body, "当前签到需定位：活动地点 200 米以内。") {
		t.Fatal("the on-site page does not show the requirement")
	}

	// The volunteer opens the page: a device cookie, the note, the script.
	link := f.checkinLink(t, "in")
	form := openCheckin(t, f.vol, f, link)
	dev := deviceOf(f.vol)
	if dev == nil || len(dev.Value) < 20 {
		t.Fatal("the check-in page set no device cookie")
	}
	if r := f.vol.get(t, strings.TrimPrefix(link, f.a.url)); !strings.Contains(r.body, "本活动签到需定位") ||
		!strings.Contains(r.body, "/static/checkin-geo.") || r.cookie("vanguard_device") != nil {
		t.Fatal("the page lacks the location note or its script, or set a second device cookie")
	}
	// No position: refused, and told what to do.
	r = f.vol.postForm(t, "/checkin", form)
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "未能获取您的位置，无法签到。请允许定位，或请队长代为签到。") {
		t.Fatalf("no position: %d %q", r.StatusCode, r.h1())
	}
	// About a kilometre north: refused with the distance.
	r = f.vol.postForm(t, "/checkin", at(form, geoLat+0.009, geoLng))
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "您距活动地点约 1001 米，超出签到范围（200 米以内）") {
		t.Fatalf("1 km away: %d %s", r.StatusCode, firstGroup(regexp.MustCompile(`id="checkin-error">(.*?)<`), r.body))
	}
	if n := len(f.attendance(t)); n != 0 {
		t.Fatalf("refused check-ins recorded %d pairs", n)
	}
	// About 55 m away: recorded with the position, no flag.
	r = f.vol.postForm(t, "/checkin", at(form, geoLat+0.0005, geoLng))
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.h1(), "签到成功 ") {
		t.Fatalf("inside: %d %q", r.StatusCode, r.h1())
	}
	if flagged, _ := f.a.Store.FlaggedCheckins(ctx, f.id); len(flagged) != 0 {
		t.Fatalf("an honest check-in was flagged: %+v", flagged)
	}

	// The same person from another phone: refused.
	other := f.a.login(t, "volunteer")
	form2 := openCheckin(t, other, f, link)
	r = other.postForm(t, "/checkin", at(form2, geoLat, geoLng))
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "您已用另一部手机签到过本活动") {
		t.Fatalf("the same person from another phone: %d %q", r.StatusCode, r.h1())
	}

	// The volunteer's phone checks in a friend: recorded, flagged.
	friendID, friendName := f.newMember(t)
	friend := f.friendClient(t, friendID)
	u, _ := url.Parse(f.a.url)
	friend.hc.Jar.SetCookies(u, []*http.Cookie{{Name: dev.Name, Value: dev.Value, Path: "/"}})
	form3 := openCheckin(t, friend, f, link)
	r = friend.postForm(t, "/checkin", at(form3, geoLat, geoLng+0.001))
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.h1(), "签到成功 ") {
		t.Fatalf("the friend on the same phone: %d %q", r.StatusCode, r.h1())
	}

	// A third member, checked in by the leader: a reason is required.
	third, _ := f.newMember(t, friendID)
	overridePath := "/activities/" + itoa(f.id) + "/attendance/override"
	r = f.leader.postForm(t, overridePath, url.Values{"person": {itoa(third)}, "reason": {"  "}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["reason"] != "请填写代签原因。" {
		t.Fatalf("override without a reason: %d %v", r.StatusCode, r.fieldErrors())
	}
	r = f.leader.postForm(t, overridePath, url.Values{"person": {itoa(third)}, "reason": {"手机无法定位，本人已到场"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("override: %d %s %v", r.StatusCode, r.notice(), r.fieldErrors())
	}

	// The leader sees both flags in words.
	r = f.leader.get(t, f.onsitePath("in"))
	for _, want := range []string{"待核实的签到（2）", "同一手机为多人签到", "超出定位范围（代签）", "原因：手机无法定位，本人已到场", friendName} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the on-site page lacks %q", want)
		}
	}
	if row := firstGroup(regexp.MustCompile(`(?s)id="state-`+itoa(friendID)+`">(.*?)</div>`), r.body); !strings.Contains(row, "同一手机为多人签到") {
		t.Errorf("the friend's row on the on-site page is not marked: %q", row)
	}
	flagged, err := f.a.Store.FlaggedCheckins(ctx, f.id)
	if err != nil || len(flagged) != 2 {
		t.Fatalf("flagged = %+v, %v", flagged, err)
	}
	byPerson := map[int64]store.FlaggedCheckin{}
	for _, fl := range flagged {
		byPerson[fl.PersonID] = fl
	}
	if fl := byPerson[friendID]; len(fl.Flags) != 1 || fl.Flags[0] != domain.FlagSharedDevice {
		t.Errorf("the friend's flags: %+v", fl)
	}
	if fl := byPerson[third]; len(fl.Flags) != 1 || fl.Flags[0] != domain.FlagGeoOverride || fl.Note != "手机无法定位，本人已到场" {
		t.Errorf("the override's flag: %+v", fl)
	}

	// Clearing: a note is required; then the flag shows as cleared.
	clearPath := "/activities/" + itoa(f.id) + "/attendance/" + itoa(byPerson[friendID].ID) + "/flag-clear"
	r = f.leader.postForm(t, clearPath, url.Values{"note": {""}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请填写核实说明。") {
		t.Fatalf("clear without a note: %d", r.StatusCode)
	}
	r = f.leader.postForm(t, clearPath, url.Values{"note": {"两人同来，一部手机没电，已核实"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("clear: %d %s", r.StatusCode, r.notice())
	}
	r = f.leader.get(t, f.onsitePath("in"))
	if !strings.Contains(r.body, "待核实的签到（1）") || !strings.Contains(r.body, "已消除：两人同来，一部手机没电，已核实") {
		t.Fatal("the cleared flag is not shown as cleared")
	}
	// A volunteer may not clear flags.
	if r := f.vol.postForm(t, clearPath, url.Values{"note": {"x"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a volunteer clears a flag: %d", r.StatusCode)
	}
}

// friendClient opens an account for person (a member of the leader's
// team without one) and signs it in.
func (f *onsiteFixture) friendClient(t *testing.T, person int64) *client {
	t.Helper()
	admin := staffCaller(t, f.a, "admin")
	name, pw, err := f.a.Service.OpenAccount(context.Background(), admin, person, domain.RoleVolunteer, 0, "friend-"+itoa(person))
	if err != nil {
		t.Fatalf("open an account: %v", err)
	}
	c := f.a.newClient(t)
	c.login(t, name, pw)
	newPW := "Friend-phone-2026!"
	r := c.postForm(t, "/account/password", url.Values{"current": {pw}, "new": {newPW}, "confirm": {newPW}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("change the one-time password: %d %v", r.StatusCode, r.fieldErrors())
	}
	return c
}

// newMember signs up another member of the team, one without an account,
// not taken yet, and returns them with their name.
func (f *onsiteFixture) newMember(t *testing.T, taken ...int64) (int64, string) {
	t.Helper()
	ctx := context.Background()
	roster, err := f.a.Store.Roster(ctx, f.team.ID, false)
	if err != nil {
		t.Fatal(err)
	}
next:
	for _, m := range roster {
		if m.PersonID == f.volPerson || m.PersonID == f.other {
			continue
		}
		for _, x := range taken {
			if m.PersonID == x {
				continue next
			}
		}
		if p, err := f.a.Store.PersonByID(ctx, m.PersonID); err != nil || p.UserID != 0 {
			continue
		}
		err = f.a.Store.Write(ctx, f.leaderCaller.Actor(), func(tx *store.Tx) error {
			_, err := tx.SignUp(f.id, m.PersonID, f.team.ID, false)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return m.PersonID, m.PersonName
	}
	t.Fatal("the team has no other member without an account")
	return 0, ""
}
