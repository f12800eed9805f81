package match

import (
	"testing"
)

// BenchmarkGroup is the per-order step against 5,000 teams: candidate
// search in the k-d trees, the exact enumeration and the three best groups
// with explanations, as the dispatch desk asks for one order.
func BenchmarkGroup(b *testing.B) {
	in := Generate(7, 2000, 5000)
	m, err := NewMatcher(in.Teams, MatchOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := m.Group(in.Orders[i%len(in.Orders)], 2); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGroupBest is the same step for the best group alone, without
// explanations: what Plan does for each order (its pools are prepared once).
func BenchmarkGroupBest(b *testing.B) {
	in := Generate(7, 2000, 5000)
	m, err := NewMatcher(in.Teams, MatchOptions{})
	if err != nil {
		b.Fatal(err)
	}
	orders := make([]orderData, len(in.Orders))
	pools := make([]pool, len(in.Orders))
	for i, o := range in.Orders {
		orders[i] = m.p.compileOrder(o)
		m.p.buildPool(&orders[i], DefaultNeighbours, m.loads, &pools[i], nil)
	}
	s := newSolver(m.p)
	pr := &pricing{loads: m.loads, fair: true}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k := i % len(orders)
		s.prepare(&orders[k], &pools[k], pr, 1)
		s.search()
	}
}

func benchPlan(b *testing.B, orders, teams int) {
	in := Generate(1, orders, teams)
	b.ResetTimer()
	var r *Result
	for b.Loop() {
		var err error
		if r, err = Plan(in, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(r.Cost.Total, "cost")
	b.ReportMetric(r.LowerBound, "bound")
	b.ReportMetric(100*r.Gap, "gap%")
}

func BenchmarkPlan200x30(b *testing.B)   { benchPlan(b, 200, 30) }
func BenchmarkPlan2000x200(b *testing.B) { benchPlan(b, 2000, 200) }

func BenchmarkPlan10000x1000(b *testing.B) {
	if testing.Short() {
		b.Skip("slow: run without -short")
	}
	benchPlan(b, 10000, 1000)
}
