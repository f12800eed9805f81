package match

import (
	"fmt"
	"sort"
)

// Group is a proposed group of teams for one order, with what each team
// does and why.
type Group struct {
	Parts      []Part // one per team, by team id
	Unassigned []Slot // categories left unassigned, by category
	Cost       Cost
}

// Part is one team's share of a group.
type Part struct {
	Team       string
	Categories []Fit // by category
	PersonDays float64
	DistanceKm float64
	LoadBefore float64 // without this order
	LoadAfter  float64 // with it
	Capacity   float64
	Cost       Cost      // this team's travel, mismatch and fairness increase
	RunnerUp   *RunnerUp // the best other team for the same categories; nil when none could
}

// Fit is how one category suits the team that takes it.
type Fit struct {
	Category    string
	PersonDays  float64
	Willingness float64
	Mismatch    float64 // 10 × (1 − willingness) × person-days
}

// RunnerUp is the cheapest team that could have taken a part's categories
// instead, the rest of the group unchanged; Versus says by how much it
// would have cost more, component by component.
type RunnerUp struct {
	Team       string
	Categories []Fit
	DistanceKm float64
	LoadBefore float64
	LoadAfter  float64
	Capacity   float64
	Cost       Cost
	Versus     Cost // runner-up minus chosen
}

// Alternative is a next-best group, with Versus its cost minus the best
// group's, component by component: why it was not chosen.
type Alternative struct {
	Group
	Versus Cost
}

// Proposal is the answer for one order: the cheapest group and the next
// cheapest distinct groups.
type Proposal struct {
	Order        string
	Best         Group
	Alternatives []Alternative
}

// part computes team t's share for block b (a mask over the order's
// categories) at load `before`.
func (p *problem) part(o *orderData, t int32, b int, before float64) Part {
	td := &p.teams[t]
	pt := Part{Team: td.id, DistanceKm: o.pt.km(&p.pts[t]), LoadBefore: before, Capacity: td.cap}
	pt.Cost.Travel = pt.DistanceKm
	for i, c := range o.cats {
		if b&(1<<i) == 0 {
			continue
		}
		w, _ := td.willingness(c)
		f := Fit{Category: o.names[i], PersonDays: o.dem[i], Willingness: w, Mismatch: mismatch(w, o.dem[i])}
		pt.Categories = append(pt.Categories, f)
		pt.PersonDays += f.PersonDays
		pt.Cost.Mismatch += f.Mismatch
	}
	pt.LoadAfter = before + pt.PersonDays
	pt.Cost.Fairness = Fairness(pt.LoadAfter, td.cap) - Fairness(before, td.cap)
	pt.Cost = pt.Cost.sum()
	return pt
}

// blocks turns a per-category team vector into the teams' blocks, in team
// index order (so by team id), and the mask of unassigned categories.
func blocks(key []int32) (teams []int32, masks []int, una int) {
	for i, t := range key {
		if t == noTeam {
			una |= 1 << i
			continue
		}
		j := 0
		for j < len(teams) && teams[j] != t {
			j++
		}
		if j == len(teams) {
			teams = append(teams, t)
			masks = append(masks, 0)
		}
		masks[j] |= 1 << i
	}
	idx := make([]int, len(teams))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return teams[idx[a]] < teams[idx[b]] })
	st, sm := make([]int32, len(teams)), make([]int, len(teams))
	for i, j := range idx {
		st[i], sm[i] = teams[j], masks[j]
	}
	return st, sm, una
}

// explain builds the group for a per-category team vector at the given
// loads (which exclude this order). With a pool, each part gets its
// runner-up from the pool.
func (p *problem) explain(o *orderData, key []int32, loads []float64, pl *pool) Group {
	var g Group
	teams, masks, una := blocks(key)
	for i, t := range teams {
		pt := p.part(o, t, masks[i], loads[t])
		if pl != nil {
			pt.RunnerUp = p.runnerUp(o, pl, teams, masks[i], loads, pt.Cost)
		}
		g.Parts = append(g.Parts, pt)
		g.Cost = g.Cost.Add(pt.Cost)
	}
	for i := range o.cats {
		if una&(1<<i) != 0 {
			g.Unassigned = append(g.Unassigned, Slot{Order: o.id, Category: o.names[i], PersonDays: o.dem[i]})
			g.Cost.Unassigned += UnassignedCost * o.dem[i]
		}
	}
	g.Cost = g.Cost.sum()
	return g
}

// runnerUp finds the cheapest team of the pool, other than the group's,
// that offers every category of block b and has room for it.
func (p *problem) runnerUp(o *orderData, pl *pool, group []int32, b int, loads []float64, chosen Cost) *RunnerUp {
	m := len(o.cats)
	var d float64
	for i := 0; i < m; i++ {
		if b&(1<<i) != 0 {
			d += o.dem[i]
		}
	}
	best, bestCost := int32(-1), 0.0
	for j, c := range pl.cands {
		if int(c.mask)&b != b || contains(group, c.team) {
			continue
		}
		td := &p.teams[c.team]
		l := loads[c.team]
		if l+d > td.cap+td.tol {
			continue
		}
		cost := c.dist + Fairness(l+d, td.cap) - Fairness(l, td.cap)
		for i := 0; i < m; i++ {
			if b&(1<<i) != 0 {
				cost += pl.mis[j*m+i]
			}
		}
		if best < 0 || cost < bestCost || cost == bestCost && c.team < best {
			best, bestCost = c.team, cost
		}
	}
	if best < 0 {
		return nil
	}
	pt := p.part(o, best, b, loads[best])
	return &RunnerUp{Team: pt.Team, Categories: pt.Categories, DistanceKm: pt.DistanceKm,
		LoadBefore: pt.LoadBefore, LoadAfter: pt.LoadAfter, Capacity: pt.Capacity,
		Cost: pt.Cost, Versus: pt.Cost.Sub(chosen)}
}

func contains(ts []int32, t int32) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// MatchOptions tune a Matcher.
type MatchOptions struct {
	// Neighbours is K, the nearest capable teams per category with room
	// that the exact step considers; 0 means DefaultNeighbours. With K at
	// least the number of teams the step is exact over all teams.
	Neighbours int
}

// Matcher proposes groups for single orders against the teams' current
// loads. It is safe for concurrent use; build a new one when loads change
// (building for 5,000 teams takes a few milliseconds).
type Matcher struct {
	p     *problem
	loads []float64
	k     int
}

// NewMatcher checks the teams and indexes them.
func NewMatcher(teams []Team, opt MatchOptions) (*Matcher, error) {
	if err := ValidateTeams(teams); err != nil {
		return nil, err
	}
	p := compileTeams(teams)
	loads := make([]float64, len(p.teams))
	for i := range p.teams {
		loads[i] = p.teams[i].load
	}
	k := opt.Neighbours
	if k <= 0 {
		k = DefaultNeighbours
	}
	return &Matcher{p: p, loads: loads, k: k}, nil
}

// order checks and compiles an order for the matcher. A category no team
// offers is allowed here: it can only stay unassigned.
func (m *Matcher) order(o Order) (orderData, error) {
	var c checker
	c.demand("demand", o.Demand, nil)
	c.place("order", o.Lat, o.Lng)
	if err := c.err(); err != nil {
		return orderData{}, err
	}
	return m.p.compileOrder(o), nil
}

// Group finds the cheapest group for order o and up to alternatives
// next-cheapest distinct groups, with explanations. Groups are ordered by
// cost, ties by team id category by category.
func (m *Matcher) Group(o Order, alternatives int) (Proposal, error) {
	od, err := m.order(o)
	if err != nil {
		return Proposal{}, err
	}
	if alternatives < 0 {
		alternatives = 0
	}
	var pl pool
	m.p.buildPool(&od, m.k, m.loads, &pl, nil)
	s := newSolver(m.p)
	s.prepare(&od, &pl, &pricing{loads: m.loads, fair: true}, 1+alternatives)
	s.search()
	pr := Proposal{Order: o.ID}
	for i := range s.top {
		g := m.p.explain(&od, s.top[i].key[:s.m], m.loads, &pl)
		if i == 0 {
			pr.Best = g
			continue
		}
		pr.Alternatives = append(pr.Alternatives, Alternative{Group: g, Versus: g.Cost.Sub(pr.Best.Cost)})
	}
	return pr, nil
}

// UnfitError is why Explain refuses a team chosen by hand: it does not
// offer Category, or (Full) taking its share would bring its load
// to LoadAfter, over its Capacity. Category is the first of the team's
// categories in the second case. A page words it for a clerk from these
// fields; Error is for logs and the command line.
type UnfitError struct {
	Team      string
	Category  string
	Full      bool
	LoadAfter float64
	Capacity  float64
}

func (e *UnfitError) Error() string {
	if e.Full {
		return fmt.Sprintf("choice: team %q would hold %s of its %s person-days", e.Team, num(e.LoadAfter), num(e.Capacity))
	}
	return fmt.Sprintf("choice[%q]: team %q does not offer this category", e.Category, e.Team)
}

// Explain prices a group chosen by hand for order o: choice maps each
// category to a team id, and a category left out (or mapped to "") stays
// unassigned. It fails when the order does not ask for a category, a team
// does not exist or does not offer its category, or a team lacks room.
func (m *Matcher) Explain(o Order, choice map[string]string) (Group, error) {
	od, err := m.order(o)
	if err != nil {
		return Group{}, err
	}
	for _, cat := range sortedKeys(choice) {
		if _, ok := o.Demand[cat]; !ok && choice[cat] != "" {
			return Group{}, &InputError{Path: key("choice", cat), Msg: "the order does not ask for this category"}
		}
	}
	teams := make([]int32, len(od.cats))
	for i, c := range od.cats {
		teams[i] = noTeam
		id := choice[od.names[i]]
		if id == "" {
			continue
		}
		t, ok := m.p.teamIndex(id)
		if !ok {
			return Group{}, &InputError{Path: key("choice", od.names[i]), Msg: fmt.Sprintf("no team %q", id)}
		}
		if _, offers := m.p.teams[t].willingness(c); !offers {
			return Group{}, &UnfitError{Team: id, Category: od.names[i]}
		}
		teams[i] = t
	}
	g := m.p.explain(&od, teams, m.loads, nil)
	for _, pt := range g.Parts {
		if pt.LoadAfter > pt.Capacity+capTol(pt.Capacity) {
			return Group{}, &UnfitError{Team: pt.Team, Category: pt.Categories[0].Category,
				Full: true, LoadAfter: pt.LoadAfter, Capacity: pt.Capacity}
		}
	}
	return g, nil
}
