package match

import (
	"math"
	"math/bits"
	"runtime"
	"sync"
	"time"
)

// Options tune Plan. The zero value is a good default.
type Options struct {
	// Neighbours is K, the nearest capable teams per category each order
	// considers; 0 means DefaultNeighbours.
	Neighbours int
	// MaxIterations bounds the subgradient iterations; 0 means 300.
	MaxIterations int
	// RebuildEvery is how often (in iterations) a feasible plan is rebuilt
	// from the prices and polished; 0 means 15.
	RebuildEvery int
	// TargetGap stops the search once Cost/LowerBound − 1 is at most this;
	// 0 means 0.002.
	TargetGap float64
	// TimeLimit stops the search after this long (0: no limit). A plan cut
	// short by the clock depends on the machine's speed; without it the
	// same input always gives the same plan.
	TimeLimit time.Duration
	// Workers solve the relaxed per-order steps in parallel; 0 means
	// GOMAXPROCS. The plan does not depend on it.
	Workers int
}

func (o Options) withDefaults() Options {
	if o.Neighbours <= 0 {
		o.Neighbours = DefaultNeighbours
	}
	if o.MaxIterations <= 0 {
		o.MaxIterations = 300
	}
	if o.RebuildEvery <= 0 {
		o.RebuildEvery = 15
	}
	if o.TargetGap <= 0 {
		o.TargetGap = 0.002
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// Result is a batch plan.
type Result struct {
	Assignments []Assignment // by order id, then category
	Unassigned  []Slot       // by order id, then category
	Cost        Cost
	// LowerBound is the best Lagrangian dual value met: no plan of this
	// instance costs less.
	LowerBound float64
	Gap        float64 // Cost/LowerBound − 1 (0 when both are 0)
	Iterations int     // subgradient iterations run
	Elapsed    time.Duration
	// Groups explains each order's group (by order id) given the rest of
	// the plan: a part's load before is the team's final load without this
	// order, and its fairness cost is the increase this order causes.
	Groups []OrderGroup
	Teams  []TeamLoad // by team id
}

// OrderGroup is one order's group in a plan.
type OrderGroup struct {
	Order string
	Group
}

// TeamLoad is a team's load before and after a plan.
type TeamLoad struct {
	Team          string
	Capacity      float64
	Before, After float64
}

// planner holds a batch in flight. Slots are flattened: order o's
// categories are slots off[o] to off[o+1]-1.
type planner struct {
	p          *problem
	opt        Options
	start      time.Time
	off        []int
	pools      []pool    // per order, for the relaxed step: grows to keep the bound tight
	cands      []pool    // per order, for the feasible side: the K nearest, widened by need
	teamOrders [][]int32 // per team, the orders whose cands hold it
	solvers    []*solver
	load0      []float64

	// the current feasible plan and its cost (tracked by put and take)
	assign []int32
	loads  []float64
	total  float64
	chain  []int32 // orders in the ejection chain being tried
	pairs  bool    // local search may eject two orders at once

	best       []int32
	bestCost   Cost
	bestPaired bool // best came out of a local search with pair ejections
	lambda     []float64
	lb         float64

	// relaxed step results, per order and per slot
	val   []float64
	relax []int32
	dirty []bool
}

// Plan dispatches a batch: every (order, category) slot to a team or left
// unassigned, at near-least cost, with a lower bound on the optimum.
func Plan(in Instance, opt Options) (*Result, error) {
	if err := Validate(in); err != nil {
		return nil, err
	}
	pl := newPlanner(compile(in), opt.withDefaults())
	return pl.run(), nil
}

func newPlanner(p *problem, opt Options) *planner {
	pl := &planner{p: p, opt: opt, start: time.Now()}
	pl.off = make([]int, len(p.orders)+1)
	for i, o := range p.orders {
		pl.off[i+1] = pl.off[i] + len(o.cats)
	}
	nt := len(p.teams)
	pl.load0 = make([]float64, nt)
	for i := range p.teams {
		pl.load0[i] = p.teams[i].load
	}
	pl.solvers = make([]*solver, opt.Workers)
	for i := range pl.solvers {
		pl.solvers[i] = newSolver(p)
	}
	pl.pools = make([]pool, len(p.orders))
	pl.parallel(func(w, o int) {
		pl.p.buildPool(&p.orders[o], opt.Neighbours, pl.load0, &pl.pools[o], nil)
	})
	pl.cands = make([]pool, len(p.orders))
	for o := range pl.pools {
		pl.cands[o] = pool{cands: append([]cand(nil), pl.pools[o].cands...), mis: append([]float64(nil), pl.pools[o].mis...)}
	}
	pl.teamOrders = make([][]int32, nt)
	pl.syncCands()
	ns := pl.off[len(p.orders)]
	pl.assign = make([]int32, ns)
	pl.best = make([]int32, ns)
	pl.relax = make([]int32, ns)
	pl.loads = make([]float64, nt)
	pl.lambda = make([]float64, nt)
	pl.val = make([]float64, len(p.orders))
	pl.dirty = make([]bool, len(p.orders))
	return pl
}

// parallel calls f(worker, order) for every order, spread over the
// workers; f must write only to per-order places.
func (pl *planner) parallel(f func(w, o int)) {
	n, w := len(pl.p.orders), pl.opt.Workers
	if w == 1 || n < 64 {
		for o := 0; o < n; o++ {
			f(0, o)
		}
		return
	}
	var wg sync.WaitGroup
	for k := 0; k < w; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			for o := k; o < n; o += w {
				f(k, o)
			}
		}(k)
	}
	wg.Wait()
}

func (pl *planner) expired() bool {
	return pl.opt.TimeLimit > 0 && time.Since(pl.start) >= pl.opt.TimeLimit
}

// patience is how many iterations without a better dual value halve the
// subgradient step.
const patience = 10

// run is the Lagrangian loop: relaxed steps give the dual value and a
// subgradient; every few iterations a feasible plan is rebuilt from the
// prices and polished by local search; the best plan gets a last polish.
func (pl *planner) run() *Result {
	pl.bestCost.Total = math.Inf(1)
	pl.rebuildAndPolish(false) // λ = 0: a first plan and an upper bound
	theta, stall := 1.0, 0
	it := 0
	g := make([]float64, len(pl.p.teams))
	// One iteration at least, so that even a plan cut short has a bound.
	for it < pl.opt.MaxIterations && (it == 0 || !pl.expired()) && pl.gap() > pl.opt.TargetGap && theta > 1e-4 {
		it++
		l := pl.dual(g)
		if l > pl.lb+1e-9*math.Max(1, math.Abs(pl.lb)) {
			pl.lb, stall = l, 0
		} else if stall++; stall >= patience {
			theta, stall = theta/2, 0
		}
		if it%pl.opt.RebuildEvery == 0 {
			pl.rebuildAndPolish(2*it >= pl.opt.MaxIterations)
		}
		var norm float64
		for _, x := range g {
			norm += x * x
		}
		if norm == 0 { // zero is a subgradient: λ maximises the dual
			break
		}
		step := theta * (pl.bestCost.Total - l) / norm
		for t, x := range g {
			pl.lambda[t] = math.Max(0, pl.lambda[t]+step*x)
		}
	}
	if it%pl.opt.RebuildEvery != 0 && !pl.expired() {
		pl.rebuildAndPolish(true) // from the last prices
	}
	if !pl.expired() {
		pl.polish()
	}
	return pl.result(it)
}

func (pl *planner) gap() float64 {
	c := pl.bestCost.Total
	if c <= 0 {
		return 0
	}
	if pl.lb <= 0 {
		return math.Inf(1)
	}
	return c/pl.lb - 1
}

// dual solves every order's relaxed step at the current prices and returns
// the Lagrangian dual value, a lower bound on the optimum, with the
// subgradient in g.
//
// Why it is a lower bound: let F_t be team t's final load. The problem is
// min Σ_o cost_o(x_o) + Σ_t φ_t(F_t) subject to F_t ≥ L0_t + Σ_o D_ot(x_o),
// L0_t ≤ F_t ≤ C_t, where φ_t(F) = f(F) − f(L0_t) is non-decreasing (so
// the ≥ is tight at an optimum) and D_ot is what order o gives team t.
// Pricing the coupling rows with λ_t ≥ 0 splits the problem into one
// problem per order, min cost_o(x_o) + Σ_t λ_t D_ot(x_o), and one per team,
// min over F in [L0, C] of φ_t(F) − λ_t (F − L0), whose sum is ≤ the
// optimum for any λ ≥ 0 (weak duality). Each per-order problem keeps only
// constraints every feasible plan meets — a block fits its team's room at
// the initial load, C_t − L0_t, since loads only grow — and may only get
// easier: a team may take two blocks (never cheaper than one merged block
// under linear prices); a team outside the pool, which offers the block's
// categories but is not among the nearest with room for any of them, is
// at least pool.beyond away from the order, so an option costing exactly
// that travel (mismatch and price ≥ 0 dropped) stands for all of them; and
// the team problem is solved exactly at the breakpoints of φ. Summing in
// floating point costs at most about 1e-12 relative.
func (pl *planner) dual(g []float64) float64 {
	pr := pricing{loads: pl.load0, price: pl.lambda, beyond: true}
	pl.parallel(func(w, o int) {
		s := pl.solvers[w]
		od := &pl.p.orders[o]
		s.prepare(od, &pl.pools[o], &pr, 0)
		// While the relaxed choice leans on the stand-in for teams beyond
		// the pool, search further for the category whose bound binds:
		// the value is then exact for the pool, not merely bounded.
		for pl.expandBeyond(s, o) {
			s.prepare(od, &pl.pools[o], &pr, 0)
		}
		pl.val[o] = s.lb[1<<s.m-1]
		slots := pl.relax[pl.off[o]:pl.off[o+1]]
		for i := range slots {
			slots[i] = noTeam
		}
		for set := 1<<s.m - 1; set != 0; {
			b := int(s.pick[set])
			if s.pickE[set] == 0 {
				t := s.lists[b][0].team
				for r := b; r != 0; r &= r - 1 {
					slots[bits.TrailingZeros(uint(r))] = t
				}
			}
			set ^= b
		}
	})
	pl.adoptRelaxed()
	var l float64
	for o := range pl.val {
		l += pl.val[o]
	}
	for t := range g {
		g[t] = 0
	}
	for o := range pl.p.orders {
		od := &pl.p.orders[o]
		for i, t := range pl.relax[pl.off[o]:pl.off[o+1]] {
			if t != noTeam {
				g[t] += od.dem[i]
			}
		}
	}
	for t := range pl.p.teams {
		td := &pl.p.teams[t]
		z, v := teamDual(td.load, td.cap, pl.lambda[t])
		l += v
		g[t] -= z - td.load
	}
	return l
}

// teamDual minimises φ(F) − λ(F − L0) over F in [L0, C], where φ(F) =
// f(F) − f(L0) is convex and piecewise linear, so a breakpoint wins.
func teamDual(l0, c, lambda float64) (z, v float64) {
	f0 := Fairness(l0, c)
	z, v = l0, 0
	for _, x := range [...]float64{0.6 * c, 0.85 * c, c} {
		if x <= l0 || x > c {
			continue
		}
		if w := Fairness(x, c) - f0 - lambda*(x-l0); w < v {
			z, v = x, w
		}
	}
	return z, v
}

// expandBeyond widens order o's pool when its relaxed choice gives a block
// to the stand-in for teams beyond the pool, and reports whether it did.
func (pl *planner) expandBeyond(s *solver, o int) bool {
	pool := &pl.pools[o]
	od := &pl.p.orders[o]
	for set := 1<<s.m - 1; set != 0; {
		b := int(s.pick[set])
		if s.pickE[set] == -2 {
			// far[b] is the largest beyond of b's categories: push it out.
			i := -1
			for r := b; r != 0; r &= r - 1 {
				j := bits.TrailingZeros(uint(r))
				if i < 0 || pool.beyond[j] > pool.beyond[i] {
					i = j
				}
			}
			pl.p.expand(od, i, pl.opt.Neighbours, pl.load0, pool)
			return true
		}
		set ^= b
	}
	return false
}

// adoptRelaxed adds to each order's cands the teams its relaxed step chose
// beyond them: where the prices send an order, the feasible side looks.
func (pl *planner) adoptRelaxed() {
	for o := range pl.cands {
		c := &pl.cands[o]
		for _, t := range pl.relax[pl.off[o]:pl.off[o+1]] {
			if t != noTeam && !c.hasCand(t) {
				pl.p.addCand(&pl.p.orders[o], c, t)
			}
		}
	}
	pl.syncCands()
}

// syncCands adds the teams that cands gained to the reverse index.
func (pl *planner) syncCands() {
	for o := range pl.cands {
		c := &pl.cands[o]
		for _, x := range c.cands[c.synced:] {
			pl.teamOrders[x.team] = append(pl.teamOrders[x.team], int32(o))
		}
		c.synced = len(c.cands)
	}
}
