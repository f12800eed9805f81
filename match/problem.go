package match

import (
	"math"
	"sort"
)

// DefaultNeighbours is how many nearest capable teams per category the
// per-order step considers (K). Research on this kind of instance found that
// pruning to 15 cost 0.02 % of the objective.
const DefaultNeighbours = 15

// noTeam marks an unassigned slot; it sorts after every team index.
const noTeam = math.MaxInt32

// capTol is the slack allowed on capacity for sums of fractional
// person-days; whole person-days are summed exactly.
func capTol(c float64) float64 { return 1e-9 * math.Max(1, c) }

// problem is an instance compiled for the optimiser: teams sorted by id (so
// a team's index breaks ties as its id does), categories sorted by name, and
// per category a k-d tree of the teams that offer it.
type problem struct {
	cats   []string
	catIdx map[string]int32
	teams  []teamData
	pts    []point // the teams' points, by index
	trees  []*kdTree
	orders []orderData
}

type teamData struct {
	id        string
	cap, load float64 // load is the initial load
	tol       float64 // capTol(cap)
	cats      []int32 // offered categories, ascending
	will      []float64
}

// willingness returns the team's willingness for category c, or false when
// it does not offer c.
func (t *teamData) willingness(c int32) (float64, bool) {
	for i, x := range t.cats {
		if x == c {
			return t.will[i], true
		}
		if x > c {
			break
		}
	}
	return 0, false
}

type orderData struct {
	id    string
	pt    point
	cats  []int32 // by category name; -1 for a category no team offers
	names []string
	dem   []float64
}

// compileTeams prepares teams; orders may use only categories some team
// offers.
func compileTeams(teams []Team) *problem {
	p := &problem{catIdx: map[string]int32{}}
	names := map[string]bool{}
	for _, t := range teams {
		for k := range t.Willingness {
			names[k] = true
		}
	}
	p.cats = sortedKeys(names)
	for i, c := range p.cats {
		p.catIdx[c] = int32(i)
	}
	sorted := append([]Team(nil), teams...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	p.teams = make([]teamData, len(sorted))
	p.pts = make([]point, len(sorted))
	members := make([][]int32, len(p.cats))
	for i, t := range sorted {
		td := teamData{id: t.ID, cap: t.Capacity, load: t.Load, tol: capTol(t.Capacity)}
		for _, k := range sortedKeys(t.Willingness) {
			c := p.catIdx[k]
			td.cats = append(td.cats, c)
			td.will = append(td.will, t.Willingness[k])
			members[c] = append(members[c], int32(i))
		}
		p.teams[i] = td
		p.pts[i] = newPoint(t.Lat, t.Lng)
	}
	p.trees = make([]*kdTree, len(p.cats))
	for c := range p.cats {
		p.trees[c] = newKDTree(members[c], p.pts)
	}
	return p
}

func (p *problem) compileOrder(o Order) orderData {
	od := orderData{id: o.ID, pt: newPoint(o.Lat, o.Lng)}
	for _, k := range sortedKeys(o.Demand) {
		c, ok := p.catIdx[k]
		if !ok {
			c = -1
		}
		od.cats = append(od.cats, c)
		od.names = append(od.names, k)
		od.dem = append(od.dem, o.Demand[k])
	}
	return od
}

// compile prepares a validated instance; orders are sorted by id.
func compile(in Instance) *problem {
	p := compileTeams(in.Teams)
	sorted := append([]Order(nil), in.Orders...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	p.orders = make([]orderData, len(sorted))
	for i, o := range sorted {
		p.orders[i] = p.compileOrder(o)
	}
	return p
}

// cand is a team an order may use: the order's categories it offers (bit i
// for the order's i-th category) and its distance.
type cand struct {
	team int32
	mask uint16
	dist float64
}

// pool is an order's candidate teams: the union over its categories of the
// K nearest teams that offer the category and have room for its
// person-days. mis[j*m+i] is the mismatch cost of category i at cands[j].
// beyond[i] is a lower bound on the distance of any capable team outside
// the pool for category i (+Inf when the pool holds them all); the lower
// bound of Plan uses it to stay valid for teams the pool left out.
type pool struct {
	cands  []cand
	mis    []float64
	beyond [MaxCategories]float64
	k      [MaxCategories]int // neighbours searched per category
	synced int                // cands[:synced] are in planner.teamOrders (feasible side)
}

// buildPool finds the pool of order o, keeping teams whose room (capacity
// minus loads[t]) holds the category's person-days.
func (p *problem) buildPool(o *orderData, k int, loads []float64, pl *pool, scratch []neighbour) []neighbour {
	pl.cands = pl.cands[:0]
	pl.mis = pl.mis[:0]
	pl.synced = 0
	var seen []int32
	for i := range o.cats {
		scratch = p.nearestFor(o, i, k, loads, pl, scratch)
		for _, n := range scratch {
			seen = append(seen, n.team)
		}
	}
	// Nearest first, so that the per-order step's lists fill with cheap
	// teams early and skip far ones on distance alone.
	sort.Slice(seen, func(i, j int) bool { return seen[i] < seen[j] })
	type near struct {
		team int32
		km   float64
	}
	ns := make([]near, 0, len(seen))
	for i, t := range seen {
		if i == 0 || seen[i-1] != t {
			ns = append(ns, near{t, o.pt.km(&p.pts[t])})
		}
	}
	sort.Slice(ns, func(i, j int) bool { return ns[i].km < ns[j].km || ns[i].km == ns[j].km && ns[i].team < ns[j].team })
	for _, n := range ns {
		p.addCand(o, pl, n.team)
	}
	return scratch
}

// nearestFor finds the k nearest teams that offer the order's i-th
// category and have room for it at loads, and sets the pool's beyond for
// it: any team left out is at least that far.
func (p *problem) nearestFor(o *orderData, i, k int, loads []float64, pl *pool, scratch []neighbour) []neighbour {
	pl.beyond[i] = math.Inf(1)
	pl.k[i] = k
	c := o.cats[i]
	if c < 0 {
		return scratch[:0]
	}
	d := o.dem[i]
	keep := func(t int32) bool { return p.teams[t].cap-loads[t]+p.teams[t].tol >= d }
	scratch = p.trees[c].nearest(&o.pt, k, keep, scratch[:0])
	if len(scratch) == k {
		far := scratch[len(scratch)-1].team
		// Shave the rounding between chord order and haversine.
		pl.beyond[i] = o.pt.km(&p.pts[far]) * (1 - 1e-9)
	}
	return scratch
}

// expand searches k more neighbours for the order's i-th category (room at
// the initial loads) and adds the new teams to the pool.
func (p *problem) expand(o *orderData, i, k int, loads []float64, pl *pool) {
	found := p.nearestFor(o, i, pl.k[i]+k, loads, pl, nil)
	for _, n := range found {
		if !pl.hasCand(n.team) {
			p.addCand(o, pl, n.team)
		}
	}
}

// addCand adds team t to the order's pool.
func (p *problem) addCand(o *orderData, pl *pool, t int32) {
	td := &p.teams[t]
	var mask uint16
	for i, c := range o.cats {
		w, ok := td.willingness(c)
		if ok {
			mask |= 1 << i
		}
		pl.mis = append(pl.mis, mismatch(w, o.dem[i]))
	}
	pl.cands = append(pl.cands, cand{team: t, mask: mask, dist: o.pt.km(&p.pts[t])})
}

// hasCand reports whether team t is in the pool.
func (pl *pool) hasCand(t int32) bool {
	for _, c := range pl.cands {
		if c.team == t {
			return true
		}
	}
	return false
}

// teamIndex finds a team by id.
func (p *problem) teamIndex(id string) (int32, bool) {
	i := sort.Search(len(p.teams), func(i int) bool { return p.teams[i].id >= id })
	if i < len(p.teams) && p.teams[i].id == id {
		return int32(i), true
	}
	return 0, false
}
