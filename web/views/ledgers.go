package views

import (
	"context"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/service"
)

// ledgerBase is the address of a ledger without its filters.
func ledgerBase(d LedgerData) string {
	if d.Kind == "team" {
		return "/ledgers/teams/" + itoa(d.ID)
	}
	return "/ledgers/orgs/" + itoa(d.ID)
}

// ledgerFiltersOf fills the filter form from the period in force.
func ledgerFiltersOf(p domain.Period) LedgerFilters {
	if p.Year != 0 {
		return LedgerFilters{Year: strconv.Itoa(p.Year)}
	}
	return LedgerFilters{From: p.From, To: p.To}
}

// ledgerTitle is the ledger's heading: 某某服务队台帐.
func ledgerTitle(ctx context.Context, d LedgerData) string {
	if t := d.Ledger.Team; t != nil {
		return T(ctx, "ledger.team.heading", t.Name)
	}
	return T(ctx, "ledger.org.heading", d.Ledger.Org.Name)
}

// ledgerPeriodText is the period as a heading shows it: 2026年 or a range.
func ledgerPeriodText(ctx context.Context, p domain.Period) string {
	if p.Year != 0 {
		return T(ctx, "ledger.period_year", p.Year)
	}
	return p.From + " — " + p.To
}

// ledgerIndent indents an org by its depth in a select list.
func ledgerIndent(o domain.Org) string { return strings.Repeat("　", max(0, o.Depth)) }

func ledgerCategories(ctx context.Context, cats []domain.Category) string {
	names := make([]string, len(cats))
	for i, c := range cats {
		names[i] = c.Name(string(Lang(ctx)))
	}
	return strings.Join(names, "、")
}

func ledgerInt(n int64) string { return strconv.FormatInt(n, 10) }

// ledgerClock is the time of day of an instant, China time; "" for none.
func ledgerClock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(domain.ChinaZone).Format("15:04")
}

func ledgerRating(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// memberChange says whether a stay began or ended within the period.
func memberChange(ctx context.Context, m service.LedgerMember) string {
	var out []string
	if m.Joined {
		out = append(out, T(ctx, "ledger.joined"))
	}
	if m.Left {
		out = append(out, T(ctx, "ledger.left"))
	}
	return strings.Join(out, "、")
}
