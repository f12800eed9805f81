package match

import (
	"math"
	"sort"
	"time"
)

// The feasible side of Plan: rebuilding a plan from the prices, local
// search, and pricing a plan exactly.

// widenNeighbours is how many more teams an order looks at for a category
// whose pool has no team with room left.
const widenNeighbours = 3

// rebuildAndPolish builds a feasible plan from the current prices, polishes
// it by local search (with pair ejections when pairs is set) and keeps it
// when it is the best so far.
func (pl *planner) rebuildAndPolish(pairs bool) {
	pl.rebuild()
	pl.localSearch(pairs)
	if c := pl.evaluate(pl.assign); c.Total < pl.bestCost.Total {
		copy(pl.best, pl.assign)
		pl.bestCost, pl.bestPaired = c, pairs
	}
}

// polish runs the local search with pair ejections on the best plan,
// unless that plan already came out of one.
func (pl *planner) polish() {
	if pl.bestPaired {
		return
	}
	pl.bestPaired = true
	copy(pl.assign, pl.best)
	copy(pl.loads, pl.load0)
	for o := range pl.p.orders {
		od := &pl.p.orders[o]
		for i, t := range pl.assign[pl.off[o]:pl.off[o+1]] {
			if t != noTeam {
				pl.loads[t] += od.dem[i]
			}
		}
	}
	pl.localSearch(true)
	if c := pl.evaluate(pl.assign); c.Total < pl.bestCost.Total {
		copy(pl.best, pl.assign)
		pl.bestCost = c
	}
}

// rebuild assigns the orders one by one, each to its cheapest group given
// what the earlier ones took, at travel + mismatch + λ per person-day, with
// capacity exact. Orders that ask for more person-days go first, then
// those whose relaxed step cost more.
func (pl *planner) rebuild() {
	copy(pl.loads, pl.load0)
	for i := range pl.assign {
		pl.assign[i] = noTeam
	}
	seq := make([]int, len(pl.p.orders))
	dem := make([]float64, len(seq))
	for o := range seq {
		seq[o] = o
		for _, d := range pl.p.orders[o].dem {
			dem[o] += d
		}
	}
	sort.SliceStable(seq, func(i, j int) bool {
		a, b := seq[i], seq[j]
		if dem[a] != dem[b] {
			return dem[a] > dem[b]
		}
		return pl.val[a] > pl.val[b]
	})
	pr := pricing{loads: pl.loads, price: pl.lambda}
	s := pl.solvers[0]
	for _, o := range seq {
		pl.solve(s, o, &pr)
		pl.put(o, s.top[0].key[:s.m])
	}
}

// solve finds order o's best group under pr at the current loads (which
// must not hold o), widening its pool when a category has no team with
// room left in it.
func (pl *planner) solve(s *solver, o int, pr *pricing) {
	od := &pl.p.orders[o]
	s.prepare(od, &pl.cands[o], pr, 1)
	if pl.widen(s, o) {
		s.prepare(od, &pl.cands[o], pr, 1)
	}
	s.search()
}

// widen adds to order o's pool the nearest teams with room for each
// category that no pool team can take any more, and reports whether it
// added any.
func (pl *planner) widen(s *solver, o int) bool {
	od := &pl.p.orders[o]
	pool := &pl.cands[o]
	added := false
	var scratch []neighbour
	for i, c := range od.cats {
		if c < 0 || len(s.lists[1<<i]) > 0 {
			continue
		}
		d := od.dem[i]
		keep := func(t int32) bool {
			td := &pl.p.teams[t]
			return td.cap-pl.loads[t]+td.tol >= d && !pool.hasCand(t)
		}
		scratch = pl.p.trees[c].nearest(&od.pt, widenNeighbours, keep, scratch[:0])
		for _, n := range scratch {
			pl.p.addCand(od, pool, n.team)
			added = true
		}
	}
	if added {
		for _, c := range pool.cands[pool.synced:] {
			pl.teamOrders[c.team] = append(pl.teamOrders[c.team], int32(o))
		}
		pool.synced = len(pool.cands)
	}
	return added
}

// evaluate prices a plan exactly, from scratch.
func (pl *planner) evaluate(assign []int32) Cost {
	var c Cost
	loads := append([]float64(nil), pl.load0...)
	for o := range pl.p.orders {
		od := &pl.p.orders[o]
		slots := assign[pl.off[o]:pl.off[o+1]]
		for i, t := range slots {
			if t == noTeam {
				c.Unassigned += UnassignedCost * od.dem[i]
				continue
			}
			loads[t] += od.dem[i]
			w, _ := pl.p.teams[t].willingness(od.cats[i])
			c.Mismatch += mismatch(w, od.dem[i])
			first := true
			for _, u := range slots[:i] {
				first = first && u != t
			}
			if first {
				c.Travel += od.pt.km(&pl.p.pts[t])
			}
		}
	}
	for t := range pl.p.teams {
		td := &pl.p.teams[t]
		c.Fairness += Fairness(loads[t], td.cap) - Fairness(td.load, td.cap)
	}
	return c.sum()
}

// result writes out the best plan.
func (pl *planner) result(iterations int) *Result {
	r := &Result{Cost: pl.bestCost, LowerBound: math.Max(0, pl.lb), Iterations: iterations}
	if r.Cost.Total > 0 {
		r.Gap = math.Max(0, r.Cost.Total/r.LowerBound-1)
	}
	copy(pl.assign, pl.best)
	copy(pl.loads, pl.load0)
	for o := range pl.p.orders {
		od := &pl.p.orders[o]
		for i, t := range pl.best[pl.off[o]:pl.off[o+1]] {
			if t == noTeam {
				r.Unassigned = append(r.Unassigned, Slot{Order: od.id, Category: od.names[i], PersonDays: od.dem[i]})
				continue
			}
			pl.loads[t] += od.dem[i]
			r.Assignments = append(r.Assignments, Assignment{Order: od.id, Category: od.names[i], Team: pl.p.teams[t].id})
		}
	}
	for o := range pl.p.orders {
		od := &pl.p.orders[o]
		slots := pl.best[pl.off[o]:pl.off[o+1]]
		pl.take(o)
		r.Groups = append(r.Groups, OrderGroup{Order: od.id, Group: pl.p.explain(od, slots, pl.loads, &pl.cands[o])})
		pl.put(o, slots)
	}
	for t := range pl.p.teams {
		td := &pl.p.teams[t]
		r.Teams = append(r.Teams, TeamLoad{Team: td.id, Capacity: td.cap, Before: td.load, After: pl.loads[t]})
	}
	if r.Assignments == nil {
		r.Assignments = []Assignment{}
	}
	if r.Unassigned == nil {
		r.Unassigned = []Slot{}
	}
	r.Elapsed = time.Since(pl.start)
	return r
}
