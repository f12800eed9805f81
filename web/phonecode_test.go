package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"vanguard/domain"
)

// textedCode is the newest code texted to phone, read from the notification
// queued for the gateway.
func textedCode(t *testing.T, a *testApp, phone string) string {
	t.Helper()
	list, err := a.Store.NotificationsToPhone(context.Background(), phone, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range list {
		if n.Event == domain.EventPhoneCode && len(n.Args) > 0 {
			return n.Args[0]
		}
	}
	t.Fatalf("no code was texted to %s", phone)
	return ""
}

// TestRegisterWithPhoneCode: with a gateway, the registration form asks for
// a code; "send code" texts one and shows the form again with everything
// typed; a wrong code refuses the registration under the code field, a
// second code within the minute is refused with Retry-After, and the right
// code registers. Without a gateway there is no code field.
func TestRegisterWithPhoneCode(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	org, _ := orgLabelOf(t, a, "nmj-admin")
	c := a.newClient(t)
	if r := c.get(t, "/register"); strings.Contains(r.body, `id="phone_code"`) || strings.Contains(r.body, "/register/code") {
		t.Fatal("without a gateway the form asks for an SMS code")
	}
	if r := c.postForm(t, "/register/code", registerForm("王晓梅", "13900000071", org, "wangxm")); r.StatusCode != http.StatusConflict {
		t.Errorf("POST /register/code without a gateway: %d, want 409", r.StatusCode)
	}

	a.Service.SetGatewayEnabled(true)
	r := c.get(t, "/register")
	if !strings.Contains(r.body, `id="phone_code"`) || !strings.Contains(r.body, `formaction="/register/code"`) || !strings.Contains(r.body, "发送验证码") {
		t.Fatal("with a gateway the form has no code field or send button")
	}
	form := registerForm("王晓梅", "139 0000 0071", org, "wangxm")
	r = c.postForm(t, "/register/code", form)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="code-sent"`) || !strings.Contains(r.body, "139****0071") {
		t.Fatalf("send code: %d, sent notice shown %v (errors %v %q)", r.StatusCode, strings.Contains(r.body, `id="code-sent"`), r.fieldErrors(), r.notice())
	}
	for _, kept := range []string{`value="王晓梅"`, `value="139 0000 0071"`, `value="wangxm"`, `value="` + org + `"`} {
		if !strings.Contains(r.body, kept) {
			t.Errorf("after sending a code the form lost %s", kept)
		}
	}
	if strings.Contains(r.body, "Grassland-2026") {
		t.Error("the page sent the password back")
	}
	code := textedCode(t, a, "13900000071")

	// Asked again at once: refused with the wait, nothing lost.
	r = c.postForm(t, "/register/code", form)
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" || !strings.Contains(r.notice(), "秒后再获取验证码") ||
		!strings.Contains(r.body, `value="王晓梅"`) {
		t.Errorf("a second code at once: %d Retry-After %q notice %q", r.StatusCode, r.Header.Get("Retry-After"), r.notice())
	}

	wrong := "000000"
	if code == wrong {
		wrong = "000001"
	}
	form.Set("phone_code", wrong)
	r = c.postForm(t, "/register", form)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.fieldErrors()["phone_code"], "验证码不对，还可以再试 4 次") {
		t.Fatalf("a wrong code: %d, errors %v", r.StatusCode, r.fieldErrors())
	}
	if r.cookie(sessionCookie) != nil {
		t.Error("a wrong code signed someone in")
	}
	form.Set("phone_code", code)
	r = c.postForm(t, "/register", form)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/register/status?new=1" {
		t.Fatalf("the right code: %d Location %q, errors %v", r.StatusCode, r.Header.Get("Location"), r.fieldErrors())
	}
	if strings.Contains(a.logs.String(), code) {
		t.Error("the code reached the log")
	}
}

// TestTrackFindWithPhoneCode: with a gateway, /track finds an order by its
// number and the full phone once a code sent to that phone is typed; asking
// for a code answers alike whether or not the pair exists, and only a real
// pair gets a text.
func TestTrackFindWithPhoneCode(t *testing.T) {
	t.Parallel()
	f := newPublicFixture(t)
	ctx := context.Background()
	c := f.a.newClient(t)
	code := placeOrder(t, c, f.orderForm(f.clinic)) // phone 13912345678
	o, err := f.a.Store.OrderByCode(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	number := domain.OrderNumber(o.ID)
	f.a.Service.SetGatewayEnabled(true)

	r := c.get(t, "/track")
	if !strings.Contains(r.body, `formaction="/track/code"`) || !strings.Contains(r.body, `name="phone"`) || strings.Contains(r.body, `name="phone4"`) {
		t.Fatal("with a gateway /track does not ask for the phone and a code")
	}
	// Without a code: asked for one, what was typed kept.
	r = c.postForm(t, "/track/find", url.Values{"number": {number}, "phone": {"13912345678"}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["phone_code"] == "" || !strings.Contains(r.body, `value="13912345678"`) {
		t.Fatalf("a lookup without a code: %d, errors %v", r.StatusCode, r.fieldErrors())
	}

	var said []string
	for _, p := range []url.Values{
		{"number": {number}, "phone": {"13912345678"}},
		{"number": {number}, "phone": {"13900000000"}},
		{"number": {domain.OrderNumber(o.ID + 5000)}, "phone": {"13900000001"}},
	} {
		r = c.postForm(t, "/track/code", p)
		if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `value="`+p.Get("phone")+`"`) {
			t.Fatalf("POST /track/code %v: %d, want 200 with the phone kept", p, r.StatusCode)
		}
		said = append(said, firstGroup(codeSentRe, r.body))
	}
	if said[0] == "" || said[0] != said[1] || said[1] != said[2] {
		t.Errorf("asking for a code says %q; want one answer whether or not the pair exists", said)
	}
	if list, _ := f.a.Store.NotificationsToPhone(ctx, "13900000000", 10); len(list) != 0 {
		t.Error("a code was texted to a phone that placed no such order")
	}
	sent := textedCode(t, f.a, "13912345678")

	wrong := "000000"
	if sent == wrong {
		wrong = "000001"
	}
	var refusals []string
	for _, w := range []url.Values{
		{"number": {number}, "phone": {"13912345678"}, "phone_code": {wrong}},
		{"number": {number}, "phone": {"13900000000"}, "phone_code": {sent}},
	} {
		r = c.postForm(t, "/track/find", w)
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("POST /track/find %v: %d, want 422", w, r.StatusCode)
		}
		refusals = append(refusals, r.fieldErrors()["phone_code"])
	}
	if refusals[0] == "" || refusals[0] != refusals[1] {
		t.Errorf("a wrong code says %q and a wrong phone %q; want one answer", refusals[0], refusals[1])
	}
	r = c.postForm(t, "/track/find", url.Values{"number": {number}, "phone": {"139-1234-5678"}, "phone_code": {sent}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/track?code="+code {
		t.Fatalf("the right code: %d Location %q, errors %v %q", r.StatusCode, r.Header.Get("Location"), r.fieldErrors(), r.notice())
	}
	r = c.postForm(t, "/track/find", url.Values{"number": {number}, "phone": {"13912345678"}, "phone_code": {sent}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("the code a second time: %d, want 422", r.StatusCode)
	}
	if logs := f.a.logs.String(); strings.Contains(logs, sent) || strings.Contains(logs, "13912345678") {
		t.Error("the code or the phone reached the log")
	}
}

var codeSentRe = regexp.MustCompile(`(?s)<div class="notice ok" role="status" id="code-sent">(.*?)</div>`)
