package match

import (
	"math"
	"math/bits"
)

// The exact per-order step. An order's categories are split into blocks;
// each block goes to one team that offers all of it (travel is paid once per
// team), distinct blocks to distinct teams, and any category may be left
// unassigned. The solver enumerates the set partitions of the categories
// (lowest remaining category first, so each group is met once) with, per
// block, the teams of the pool sorted by cost, pruned by a lower bound on
// what the remaining categories must cost.

// entry is one team's cost for one block.
type entry struct {
	cost float64
	team int32
}

func entryLess(a, b entry) bool { return a.cost < b.cost || a.cost == b.cost && a.team < b.team }

// pricing says how a block's cost is counted beyond travel and mismatch.
type pricing struct {
	loads  []float64 // per team: capacity is checked against cap − loads[t]
	price  []float64 // per team, per person-day (nil: none)
	fair   bool      // add the fairness increase f(load+D) − f(load)
	beyond bool      // relaxed step: teams outside the pool cost at least pool.beyond
	nocap  bool      // ignore capacity (to find which team an ejection must free)
}

// found is a complete group met by the search: its cost and, per category
// of the order, the team index (noTeam when unassigned).
type found struct {
	cost float64
	key  [MaxCategories]int32
}

// foundLess orders groups by cost, then by team ids category by category.
func foundLess(a, b *found, m int) bool {
	if a.cost != b.cost {
		return a.cost < b.cost
	}
	for i := 0; i < m; i++ {
		if a.key[i] != b.key[i] {
			return a.key[i] < b.key[i]
		}
	}
	return false
}

const maxMasks = 1 << MaxCategories

// solver is the workspace of the per-order step; one per goroutine.
type solver struct {
	p     *problem
	pl    *pool
	m     int
	una   [MaxCategories]float64 // unassigned cost per category
	dem   [maxMasks]float64      // person-days per block
	lists [maxMasks][]entry      // per block, the cheapest teams (see limit)
	lb    [maxMasks]float64      // lower bound on covering a set of categories
	pick  [maxMasks]int32        // relaxed step: block chosen for the set's lowest category
	pickE [maxMasks]int32        // relaxed step: entry index, -1 unassigned, -2 beyond
	far   [maxMasks]float64      // relaxed step: the beyond-pool bound per block

	// search state
	n    int
	top  []found
	cur  found
	used [MaxCategories]int32
	nUse int
}

func newSolver(p *problem) *solver { return &solver{p: p} }

// prepare fills the per-block lists and the lower bounds for order o with
// pool pl, keeping per block enough teams to find the n best groups (n = 0
// for the relaxed step, which needs only the cheapest team per block).
func (s *solver) prepare(o *orderData, pl *pool, pr *pricing, n int) {
	s.pl, s.m, s.n = pl, len(o.cats), n
	m := s.m
	full := 1<<m - 1
	for i := 0; i < m; i++ {
		s.una[i] = UnassignedCost * o.dem[i]
	}
	s.dem[0] = 0
	for b := 1; b <= full; b++ {
		low := bits.TrailingZeros(uint(b))
		s.dem[b] = s.dem[b&(b-1)] + o.dem[low]
		s.lists[b] = s.lists[b][:0]
	}
	cands := pl.cands
	for j := range cands {
		s.addEntries(int32(j), &cands[j], pr)
	}
	s.bound(pr.beyond)
}

// addEntries inserts team cand j's cost for every block it can take.
func (s *solver) addEntries(j int32, c *cand, pr *pricing) {
	td := &s.p.teams[c.team]
	room := td.cap - pr.loads[c.team] + td.tol
	if pr.nocap {
		room = math.Inf(1)
	}
	load := pr.loads[c.team]
	price := 0.0
	if pr.price != nil {
		price = pr.price[c.team]
	}
	var f0 float64
	if pr.fair {
		f0 = Fairness(load, td.cap)
	}
	mis := s.pl.mis[int(j)*s.m : int(j+1)*s.m]
	mask := int(c.mask)
	for b := mask; b > 0; b = (b - 1) & mask {
		d := s.dem[b]
		if d > room {
			continue
		}
		if l := s.lists[b]; len(l) > 0 && len(l) == s.limit(b) && c.dist > l[len(l)-1].cost {
			continue // costs at least its distance: it cannot enter the list
		}
		cost := c.dist
		for r := b; r != 0; r &= r - 1 {
			cost += mis[bits.TrailingZeros(uint(r))]
		}
		cost += price * d
		if pr.fair {
			cost += Fairness(load+d, td.cap) - f0
		}
		s.insert(b, entry{cost: cost, team: c.team})
	}
}

// insert keeps lists[b] sorted and no longer than needed: a block with
// |b| categories shares the order with at most m−|b| other teams, so among
// its m−|b|+n cheapest teams one is always free for each of the n best
// groups (and a cheaper or equally cheap lower-id team only improves a
// group), so longer lists cannot change the answer.
func (s *solver) insert(b int, e entry) {
	l := s.lists[b]
	if len(l) == s.limit(b) {
		if !entryLess(e, l[len(l)-1]) {
			return
		}
		l = l[:len(l)-1]
	}
	l = append(l, e)
	i := len(l) - 1
	for i > 0 && entryLess(e, l[i-1]) {
		l[i] = l[i-1]
		i--
	}
	l[i] = e
	s.lists[b] = l
}

// limit is how long lists[b] may grow (see insert); with n = 0 the relaxed
// step needs only the cheapest.
func (s *solver) limit(b int) int {
	if s.n == 0 {
		return 1
	}
	return s.m - bits.OnesCount(uint(b)) + s.n
}

// bound computes lb[set] for every set of categories: the cheapest way to
// cover it when a team may take several blocks. It is a lower bound for the
// search and, with beyond, the exact value of the relaxed step, whose
// merged blocks never cost more than split ones (prices are linear). With
// beyond, every block has a second option standing for any team outside
// the pool: far[b], the largest beyond of b's categories, is a lower bound
// on such a team's travel, and its mismatch and price are ≥ 0.
func (s *solver) bound(beyond bool) {
	full := 1<<s.m - 1
	far := &s.far
	s.lb[0] = 0
	for set := 1; set <= full; set++ {
		low := bits.TrailingZeros(uint(set))
		bit := 1 << low
		if beyond {
			far[set] = math.Max(far[set&(set-1)], s.pl.beyond[low])
		}
		rest := set ^ bit
		best := s.una[low] + s.lb[rest]
		pick, pickE := int32(bit), int32(-1)
		for sub := rest; ; sub = (sub - 1) & rest {
			b := sub | bit
			if l := s.lists[b]; len(l) > 0 {
				if v := l[0].cost + s.lb[set^b]; v < best {
					best, pick, pickE = v, int32(b), 0
				}
			}
			if beyond {
				if v := far[b] + s.lb[set^b]; v < best {
					best, pick, pickE = v, int32(b), -2
				}
			}
			if sub == 0 {
				break
			}
		}
		s.lb[set] = best
		s.pick[set], s.pickE[set] = pick, pickE
	}
}

// search finds the n best groups (fewer when fewer exist; leaving every
// category unassigned is always one) into s.top, best first.
func (s *solver) search() {
	s.top = s.top[:0]
	s.nUse = 0
	s.dfs(1<<s.m-1, 0)
}

// threshold is the cost above which a partial group cannot enter the top n,
// with room for rounding so that ties reach the comparison of team ids.
func (s *solver) threshold() float64 {
	if len(s.top) < s.n {
		return math.Inf(1)
	}
	c := s.top[len(s.top)-1].cost
	return c + 1e-9*math.Max(1, math.Abs(c))
}

func (s *solver) dfs(rem int, partial float64) {
	if rem == 0 {
		s.cur.cost = partial
		s.offer()
		return
	}
	if partial+s.lb[rem] > s.threshold() {
		return
	}
	low := bits.TrailingZeros(uint(rem))
	bit := 1 << low
	rest := rem ^ bit
	for sub := rest; ; sub = (sub - 1) & rest {
		b := sub | bit
		after := s.lb[rem^b]
		for _, e := range s.lists[b] {
			if partial+e.cost+after > s.threshold() {
				break
			}
			if s.isUsed(e.team) {
				continue
			}
			for r := b; r != 0; r &= r - 1 {
				s.cur.key[bits.TrailingZeros(uint(r))] = e.team
			}
			s.used[s.nUse] = e.team
			s.nUse++
			s.dfs(rem^b, partial+e.cost)
			s.nUse--
		}
		if sub == 0 {
			break
		}
	}
	s.cur.key[low] = noTeam
	s.dfs(rest, partial+s.una[low])
}

func (s *solver) isUsed(t int32) bool {
	for _, u := range s.used[:s.nUse] {
		if u == t {
			return true
		}
	}
	return false
}

// offer inserts the current group into the top n if it belongs there.
func (s *solver) offer() {
	g := s.cur
	for i := s.m; i < MaxCategories; i++ {
		g.key[i] = 0
	}
	if len(s.top) == s.n {
		if !foundLess(&g, &s.top[len(s.top)-1], s.m) {
			return
		}
		s.top = s.top[:len(s.top)-1]
	}
	s.top = append(s.top, g)
	for i := len(s.top) - 1; i > 0 && foundLess(&s.top[i], &s.top[i-1], s.m); i-- {
		s.top[i], s.top[i-1] = s.top[i-1], s.top[i]
	}
}
