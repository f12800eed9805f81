package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"vanguard/notify"
	"vanguard/notify/notifytest"
)

// TestMailerSendsToARealSMTPServer: the mailer speaks SMTP to a real server
// and the message arrives with its subject, Chinese body and a message id
// made from the delivery key.
func TestMailerSendsToARealSMTPServer(t *testing.T) {
	sink := notifytest.NewSMTPSink(t)
	m, err := notify.NewMailer(sink.URL())
	if err != nil {
		t.Fatal(err)
	}
	msg := notify.Message{Key: "delivery-7", Email: "wf@example.org", Subject: "活动提醒：明天植树",
		Text: "您报名的“植树”明天 09:00 开始。\nhttps://v.example/activities/3"}
	if err := m.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	got := sink.Mail()
	if len(got) != 1 {
		t.Fatalf("sink got %d messages, want 1", len(got))
	}
	g := got[0]
	if g.To != "wf@example.org" || g.From != "noreply@vanguard.test" || g.Subject != msg.Subject ||
		!strings.Contains(g.Body, "明天 09:00") || !strings.Contains(g.MessageID, "delivery-7@vanguard") {
		t.Errorf("received %+v", g)
	}
}

func TestNewMailerRefusesBadURLs(t *testing.T) {
	for _, raw := range []string{"http://x?from=a@b", "smtp://x", "smtp://x?from=nobody", "smtp://?from=a@b.c", "smtp://x?from=a@b.c&tls=maybe"} {
		if _, err := notify.NewMailer(raw); err == nil {
			t.Errorf("NewMailer(%q) accepted", raw)
		}
	}
	if _, err := notify.NewMailer("smtps://u:p@mail.example.org:465?from=noreply@example.org"); err != nil {
		t.Errorf("a good URL refused: %v", err)
	}
}

// TestWebhookSignature: the receiver accepts what Webhook signs, keyed by
// the delivery; a wrong secret, a changed body or an old timestamp fail
// Verify; a gateway error is an error to retry.
func TestWebhookSignature(t *testing.T) {
	secret := []byte("gateway secret")
	g := notifytest.NewGateway(t, secret)
	w := &notify.Webhook{URL: g.URL, Secret: secret}
	msg := notify.Message{Key: "delivery-9", Event: "order_accepted", Phone: "13800000001", Text: "您的点单已受理"}
	if err := w.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	g.FailFirst(1)
	if err := w.Send(context.Background(), msg); err == nil {
		t.Error("a 503 from the gateway was not an error")
	}
	bad := &notify.Webhook{URL: g.URL, Secret: []byte("other")}
	if err := bad.Send(context.Background(), msg); err == nil {
		t.Error("a wrongly signed webhook was accepted")
	}
	keys, refused := g.Counts()
	if keys["delivery-9"] != 1 || refused != 1 {
		t.Errorf("gateway counts %v, refused %d; want delivery-9 once and one refused", keys, refused)
	}
	p := g.Received()[0]
	if p.Phone != "13800000001" || p.Event != "order_accepted" || p.Text != "您的点单已受理" {
		t.Errorf("payload %+v", p)
	}

	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"id":"x"}`)
	sig := notify.Sign(secret, "1800000000", body)
	if !notify.Verify(secret, "1800000000", body, sig, now, time.Minute) {
		t.Error("a good signature failed")
	}
	if notify.Verify(secret, "1800000000", []byte(`{"id":"y"}`), sig, now, time.Minute) {
		t.Error("a changed body passed")
	}
	if notify.Verify(secret, "1800000000", body, sig, now.Add(10*time.Minute), time.Minute) {
		t.Error("an old timestamp passed")
	}
}
