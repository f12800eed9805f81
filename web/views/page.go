// Package views holds Vanguard's pages, written in templ. Every string a
// page shows comes from the catalogue through T.
package views

import (
	"context"
	"net/url"
	"time"

	"vanguard/domain"
	"vanguard/i18n"
)

// Page is what the layout needs from every request.
type Page struct {
	TitleKey  string
	Principal domain.Principal
	Path      string // the current path and query, for the language switch
	Nav       string // the active navigation item
	RequestID string
}

// T translates a catalogue key into the request's language.
func T(ctx context.Context, key string, args ...any) string { return i18n.T(ctx, key, args...) }

// Lang is the request's language.
func Lang(ctx context.Context) i18n.Lang { return i18n.From(ctx) }

// otherLang is the language the switch offers.
func otherLang(ctx context.Context) i18n.Lang {
	if i18n.From(ctx) == i18n.EN {
		return i18n.ZH
	}
	return i18n.EN
}

func langURL(ctx context.Context, path string) string {
	return "/lang/" + string(otherLang(ctx)) + "?next=" + url.QueryEscape(path)
}

func navCurrent(p Page, item string) string {
	if p.Nav == item {
		return "page"
	}
	return ""
}

func can(p Page, a domain.Action) bool { return domain.Can(p.Principal, a, domain.Target{}) }

// FormatTime shows an instant in China Standard Time, which every user of
// the platform lives in; the database keeps UTC.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(cst).Format("2006-01-02 15:04:05")
}

var cst = time.FixedZone("CST", 8*3600)

func roleKey(r domain.Role) string { return "role." + string(r) }
