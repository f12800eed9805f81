package service

import (
	"strings"

	"vanguard/i18n"
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
	return i18n.Translate(lang, key+".title", args...), i18n.Translate(lang, key+".body", args...)
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

// notify records a notification in tx; see store.Tx.Notify.
func notify(tx *store.Tx, n store.NewNotification) error {
	_, err := tx.Notify(n)
	return err
}
