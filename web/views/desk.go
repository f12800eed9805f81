package views

import (
	"context"
	"strconv"
	"strings"

	"vanguard/match"
)

func km(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func money(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func pct(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" }

func sumKm(parts []match.Part) float64 {
	var s float64
	for _, p := range parts {
		s += p.DistanceKm
	}
	return s
}

// costWhy says in words where a costlier choice loses: the components by
// which it is worse, largest first.
func costWhy(ctx context.Context, v match.Cost) string {
	type part struct {
		key string
		v   float64
	}
	parts := []part{{"desk.why.travel", v.Travel}, {"desk.why.mismatch", v.Mismatch}, {"desk.why.fairness", v.Fairness},
		{"desk.why.unassigned", v.Unassigned}}
	var out []string
	for len(parts) > 0 {
		best := 0
		for i := range parts {
			if parts[i].v > parts[best].v {
				best = i
			}
		}
		if parts[best].v <= 0.05 {
			break
		}
		out = append(out, T(ctx, parts[best].key, money(parts[best].v)))
		parts = append(parts[:best], parts[best+1:]...)
	}
	if len(out) == 0 {
		return T(ctx, "desk.why.tie")
	}
	return strings.Join(out, T(ctx, "desk.why.sep"))
}
