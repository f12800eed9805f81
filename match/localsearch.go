package match

import "math"

// Local search: take an order out of the plan and put it back in its
// cheapest group given all the others; when a group it would rather have
// lacks room on one team, eject another order from that team (or two small
// ones, in the later rounds) and put those back in their cheapest groups.
// Every move is kept only when the plan's total cost falls, which pl.total
// tracks.

// chainDepth is how many orders one move may eject in a row. Deeper chains
// were tried: two or three links cost two to five times the time for
// under 0.05 % of cost on the benchmark instances.
const chainDepth = 1

// put gives order o (out of the plan) the per-category teams of key.
func (pl *planner) put(o int, key []int32) {
	pl.total += pl.orderCost(o, key)
	od := &pl.p.orders[o]
	for i, t := range key {
		pl.assign[pl.off[o]+i] = t
		if t != noTeam {
			pl.loads[t] += od.dem[i]
		}
	}
}

// take takes order o out of the plan's loads (its slots keep their teams
// until the next put).
func (pl *planner) take(o int) {
	od := &pl.p.orders[o]
	slots := pl.assign[pl.off[o]:pl.off[o+1]]
	for i, t := range slots {
		if t != noTeam {
			pl.loads[t] -= od.dem[i]
		}
	}
	pl.total -= pl.orderCost(o, slots)
}

// orderCost is what order o adds to the plan's cost with per-category
// teams key, at the current loads (which must not hold o): travel once per
// team, mismatch, each team's fairness increase, and unassigned slots.
func (pl *planner) orderCost(o int, key []int32) float64 {
	od := &pl.p.orders[o]
	var c float64
	for i, t := range key {
		if t == noTeam {
			c += UnassignedCost * od.dem[i]
			continue
		}
		c += pl.mis(o, i, t)
		if containsBefore(key, i) {
			continue
		}
		d := od.dem[i]
		for j := i + 1; j < len(key); j++ {
			if key[j] == t {
				d += od.dem[j]
			}
		}
		td := &pl.p.teams[t]
		c += pl.dist(o, t) + Fairness(pl.loads[t]+d, td.cap) - Fairness(pl.loads[t], td.cap)
	}
	return c
}

// dist is the distance from order o to team t, from o's candidates when
// there (they were computed once) or afresh.
func (pl *planner) dist(o int, t int32) float64 {
	for _, c := range pl.cands[o].cands {
		if c.team == t {
			return c.dist
		}
	}
	return pl.p.orders[o].pt.km(&pl.p.pts[t])
}

// mis is the mismatch cost of order o's category i at team t.
func (pl *planner) mis(o, i int, t int32) float64 {
	pc := &pl.cands[o]
	m := len(pl.p.orders[o].cats)
	for j, c := range pc.cands {
		if c.team == t {
			return pc.mis[j*m+i]
		}
	}
	od := &pl.p.orders[o]
	w, _ := pl.p.teams[t].willingness(od.cats[i])
	return mismatch(w, od.dem[i])
}

func containsBefore(ts []int32, i int) bool {
	for _, u := range ts[:i] {
		if u == ts[i] {
			return true
		}
	}
	return false
}

// localSearch improves the current plan until no move helps, ejecting
// pairs of orders when pairs is set (they cost most of the time and pay
// most once the prices are good). An order is looked at again only when a
// team of its pool changed load.
func (pl *planner) localSearch(pairs bool) {
	pl.pairs = pairs
	pl.total = pl.evaluate(pl.assign).Total
	for o := range pl.dirty {
		pl.dirty[o] = true
	}
	s := pl.solvers[0]
	old := make([]int32, 0, MaxCategories)
	for pass, changed := 0, true; changed && pass < 100 && !pl.expired(); pass++ {
		changed = false
		for o := range pl.p.orders {
			if !pl.dirty[o] {
				continue
			}
			pl.dirty[o] = false
			before := pl.total
			old = append(old[:0], pl.assign[pl.off[o]:pl.off[o+1]]...)
			pl.take(o)
			pl.chain = pl.chain[:0]
			if pl.place(s, o, chainDepth, before-1e-9*math.Max(1, math.Abs(before))) {
				changed = true
				continue
			}
			pl.put(o, old)
		}
	}
}

// place puts order o (out of the plan) back so that the plan's total falls
// below target, ejecting up to depth other orders in a chain, and reports
// whether it could; when it could not, o is out and all else as it was.
func (pl *planner) place(s *solver, o, depth int, target float64) bool {
	pl.solve(s, o, &pricing{loads: pl.loads, fair: true})
	key := s.top[0].key[:s.m]
	old := append([]int32(nil), pl.assign[pl.off[o]:pl.off[o+1]]...)
	pl.put(o, key)
	if pl.total < target {
		pl.touch(old, key)
		return true
	}
	pl.take(o)
	if depth == 0 {
		return false
	}
	// The groups o would take if capacity did not bind, and for each the
	// one team that then lacks room.
	s.prepare(&pl.p.orders[o], &pl.cands[o], &pricing{loads: pl.loads, fair: true, nocap: true}, wantGroups)
	s.search()
	var wants [][]int32
	for i := range s.top {
		if pl.total+s.top[i].cost < target {
			wants = append(wants, append([]int32(nil), s.top[i].key[:s.m]...))
		}
	}
	pl.chain = append(pl.chain, int32(o))
	defer func() { pl.chain = pl.chain[:len(pl.chain)-1] }()
	for _, want := range wants {
		if pl.eject(s, o, depth, old, want, target) {
			return true
		}
	}
	return false
}

// wantGroups is how many of the groups an order would take without
// capacity limits place tries to make room for.
const wantGroups = 5

// eject puts order o in group want by ejecting one order from the team of
// want that lacks room (or two, when no one frees enough) and placing it
// again; it reports whether the plan's total fell below target, and
// otherwise leaves o out and all else as it was.
func (pl *planner) eject(s *solver, o, depth int, old, want []int32, target float64) bool {
	full, need := pl.lacking(o, want)
	if full < 0 {
		return false
	}
	for _, q32 := range pl.teamOrders[full] {
		q := int(q32)
		if contains(pl.chain, q32) || pl.freed(q, full) < need {
			continue
		}
		qOld := append([]int32(nil), pl.assign[pl.off[q]:pl.off[q+1]]...)
		pl.take(q)
		pl.put(o, want)
		if pl.place(s, q, depth-1, target) {
			pl.touch(old, want)
			return true
		}
		pl.take(o)
		pl.put(q, qOld)
	}
	return pl.pairs && pl.ejectPair(s, o, old, want, full, need, target)
}

// maxPairTries bounds the pairs of orders one move may try to eject.
const maxPairTries = 16

// ejectPair is place's move when no one order on team full frees enough:
// eject two, put o in its wanted group, and put the two back in their best
// groups (another team, or unassigned when that is cheaper). Small slots
// packed around a scarce team's capacity need it.
func (pl *planner) ejectPair(s *solver, o int, old, want []int32, full int32, need, target float64) bool {
	var qs []int
	for _, q32 := range pl.teamOrders[full] {
		if f := pl.freed(int(q32), full); f > 0 && f < need && !contains(pl.chain, q32) {
			qs = append(qs, int(q32))
		}
	}
	tries := 0
	for i, q1 := range qs {
		for _, q2 := range qs[i+1:] {
			if pl.freed(q1, full)+pl.freed(q2, full) < need {
				continue
			}
			if tries++; tries > maxPairTries {
				return false
			}
			old1 := append([]int32(nil), pl.assign[pl.off[q1]:pl.off[q1+1]]...)
			old2 := append([]int32(nil), pl.assign[pl.off[q2]:pl.off[q2+1]]...)
			pl.take(q1)
			pl.take(q2)
			pl.put(o, want)
			pl.reinsert(s, q1)
			pl.reinsert(s, q2)
			if pl.total < target {
				pl.touch(old, want)
				pl.touch(old1, pl.assign[pl.off[q1]:pl.off[q1+1]])
				pl.touch(old2, pl.assign[pl.off[q2]:pl.off[q2+1]])
				return true
			}
			pl.take(q2)
			pl.take(q1)
			pl.take(o)
			pl.put(q1, old1)
			pl.put(q2, old2)
		}
	}
	return false
}

// reinsert puts order q (out of the plan) in its best group at the current
// loads.
func (pl *planner) reinsert(s *solver, q int) {
	pl.solve(s, q, &pricing{loads: pl.loads, fair: true})
	pl.put(q, s.top[0].key[:s.m])
}

// lacking returns the one team of group key (for order o, out of the plan)
// that lacks room, and by how much; -1 when none does or more than one.
func (pl *planner) lacking(o int, key []int32) (int32, float64) {
	od := &pl.p.orders[o]
	full, need := int32(-1), 0.0
	for i, t := range key {
		if t == noTeam || containsBefore(key, i) {
			continue
		}
		d := od.dem[i]
		for j := i + 1; j < len(key); j++ {
			if key[j] == t {
				d += od.dem[j]
			}
		}
		td := &pl.p.teams[t]
		if over := pl.loads[t] + d - td.cap - td.tol; over > 0 {
			if full >= 0 {
				return -1, 0
			}
			full, need = t, over
		}
	}
	return full, need
}

// freed is how many person-days order q holds on team t.
func (pl *planner) freed(q int, t int32) float64 {
	var d float64
	for j, u := range pl.assign[pl.off[q]:pl.off[q+1]] {
		if u == t {
			d += pl.p.orders[q].dem[j]
		}
	}
	return d
}

// touch marks the orders that a move of one order from teams old to teams
// now may let improve: where a team lost load, every order that may use it
// (its options there got cheaper); where a team only gained load, the
// orders on it (their share of its fairness grew), since no other order's
// options got cheaper there.
func (pl *planner) touch(old, now []int32) {
	for _, t := range old {
		if t != noTeam {
			for _, o := range pl.teamOrders[t] {
				pl.dirty[o] = true
			}
		}
	}
	for _, t := range now {
		if t == noTeam || contains(old, t) {
			continue
		}
		for _, o := range pl.teamOrders[t] {
			if !pl.dirty[o] && contains(pl.assign[pl.off[o]:pl.off[o+1]], t) {
				pl.dirty[o] = true
			}
		}
	}
}
