package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/notify"
	"vanguard/store"
)

// NotificationText is a notification's title and body in its recipient's
// language, from the catalogue keys "notify.<event>.title" and
// "notify.<event>.body" filled in with its arguments.
func NotificationText(n store.Notification) (title, body string) {
	lang := i18n.Parse(n.Lang)
	args := make([]any, len(n.Args))
	for i, a := range n.Args {
		args[i] = a
	}
	key := "notify." + string(n.Event)
	return fill(lang, key+".title", args), fill(lang, key+".body", args)
}

// fill translates key with args, or without them when its message takes
// none (a title that names nothing, say), so no "%!(EXTRA…)" reaches anyone.
func fill(lang i18n.Lang, key string, args []any) string {
	if msg := i18n.Translate(lang, key); !strings.Contains(msg, "%") {
		return msg
	}
	return i18n.Translate(lang, key, args...)
}

// AbsoluteLink turns a notification's link into one that works outside the
// site (in an email or a text message), under base such as
// "https://vanguard.example.gov.cn".
func AbsoluteLink(base, link string) string {
	if link == "" || strings.Contains(link, "://") || base == "" {
		return link
	}
	return strings.TrimRight(base, "/") + "/" + strings.TrimLeft(link, "/")
}

// Senders are the transports of the outside channels. A nil one is not
// configured: its notifications are written to the log instead (what a
// demo without SMTP or a gateway shows).
type Senders struct {
	Email   notify.Sender
	Gateway notify.Sender
	BaseURL string // makes links absolute in emails and texts
}

// SetSenders plugs in the outside channels. With a gateway, phones are
// confirmed by code (phonecodes.go).
func (s *Service) SetSenders(x Senders) {
	s.senders = x
	s.SetGatewayEnabled(x.Gateway != nil)
}

// DeliverNotification sends one delivery by its channel: the work of one
// job. A delivery already sent is not sent again; a failure is returned for
// the queue to retry, and recorded.
func (s *Service) DeliverNotification(ctx context.Context, id int64) error {
	d, err := s.store.Delivery(ctx, id)
	if err != nil {
		return err
	}
	if d.State == "sent" || d.State == "logged" {
		return nil
	}
	title, body := NotificationText(d.Notification)
	link := AbsoluteLink(s.senders.BaseURL, d.Link)
	msg := notify.Message{Key: "vanguard-delivery-" + strconv.FormatInt(d.ID, 10), Event: string(d.Event),
		Lang: d.Lang, Subject: title, Text: body, Link: link}
	if link != "" {
		msg.Text += "\n" + link
	}
	var sender notify.Sender
	switch d.Channel {
	case domain.ByEmail:
		sender, msg.Email = s.senders.Email, d.Address
	case domain.ByGateway:
		var a store.GatewayAddress
		if err := json.Unmarshal([]byte(d.Address), &a); err != nil {
			return fmt.Errorf("delivery %d address: %w", id, err)
		}
		sender, msg.Phone, msg.OpenID = s.senders.Gateway, a.Phone, a.OpenID
	default:
		return fmt.Errorf("delivery %d: unknown channel %q", id, d.Channel)
	}
	state, lastErr := "sent", ""
	if sender == nil {
		// The log shows what would have gone, but not the link (it may
		// carry a tracking or evaluation code) nor a phone code.
		state = "logged"
		text := body
		if d.Event == domain.EventPhoneCode {
			text = "…"
		}
		s.logger().Info("notification not sent: no transport configured for this channel",
			"channel", string(d.Channel), "event", string(d.Event), "to", maskAddress(msg),
			"subject", title, "text", text)
	} else if err = sender.Send(ctx, msg); err != nil {
		state, lastErr = "failed", shorten(err.Error(), 300)
	}
	if ferr := s.store.Housekeep(ctx, func(tx *store.Tx) error { return tx.FinishDelivery(id, state, lastErr) }); ferr != nil {
		return errors.Join(err, ferr)
	}
	return err
}

// maskAddress shows where a message went without the whole address.
func maskAddress(m notify.Message) string {
	switch {
	case m.Email != "":
		at := strings.IndexByte(m.Email, '@')
		if at > 1 {
			return m.Email[:1] + "***" + m.Email[at:]
		}
		return "***"
	case m.Phone != "":
		return domain.MaskPhone(m.Phone)
	case m.OpenID != "":
		return "wechat:***"
	}
	return ""
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

func (s *Service) logger() *slog.Logger {
	if s.log == nil {
		return slog.Default()
	}
	return s.log
}

// notifyTx records a notification in tx; see store.Tx.Notify.
func notifyTx(tx *store.Tx, n store.NewNotification) error {
	_, err := tx.Notify(n)
	return err
}
