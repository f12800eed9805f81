package views

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/match"
	"vanguard/service"
)

func km(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func pct(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" }

func sumKm(parts []match.Part) float64 {
	var s float64
	for _, p := range parts {
		s += p.DistanceKm
	}
	return s
}

// costWhy says in words why a costlier choice was not proposed: the ways
// it is worse, largest first, with no cost figures (a clerk cannot weigh
// "39863.7"). unassigned is how many more categories it leaves without a
// team. The matcher's cost units differ by component (kilometres for
// travel, weighted person-days for the others); they are compared only to
// order the reasons.
func costWhy(ctx context.Context, v match.Cost, unassigned int) string {
	type part struct {
		v    float64
		text func() string
	}
	parts := []part{
		{v.Unassigned, func() string { return T(ctx, "desk.why.unassigned", max(unassigned, 1)) }},
		{v.Travel, func() string { return T(ctx, "desk.why.travel", km(v.Travel)) }},
		{v.Mismatch, func() string { return T(ctx, "desk.why.mismatch") }},
		{v.Fairness, func() string { return T(ctx, "desk.why.fairness") }},
	}
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].v > parts[j].v })
	var out []string
	for _, p := range parts {
		if p.v > 0.05 {
			out = append(out, p.text())
		}
	}
	if len(out) == 0 {
		return T(ctx, "desk.why.tie")
	}
	return strings.Join(out, T(ctx, "desk.why.sep"))
}

// aloneText says why a proposed team's card names no runner-up, when the
// team lists on the page may still name other teams.
func aloneText(ctx context.Context, p service.Proposal, part match.Part) string {
	offering, withRoom := p.Others(part)
	switch {
	case offering == 0 && len(part.Categories) > 1:
		return T(ctx, "desk.alone.none_all")
	case offering == 0:
		return T(ctx, "desk.alone.none")
	case withRoom == 0:
		return T(ctx, "desk.alone.full", offering)
	default:
		return T(ctx, "desk.alone.far", withRoom)
	}
}

// orderNumberOf is the order number a requester was given, for an order id
// as the plan keeps it (a string); anything else is shown as it is.
func orderNumberOf(id string) string {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return id
	}
	return domain.OrderNumber(n)
}
