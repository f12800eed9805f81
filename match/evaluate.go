package match

import (
	"fmt"
	"sort"
)

// Evaluate prices a plan of an instance exactly: the assignments listed,
// every other slot unassigned. It fails when an assignment names an unknown
// order, category or team, a team that does not offer the category, a slot
// twice, or overfills a team.
func Evaluate(in Instance, assignments []Assignment) (Cost, error) {
	if err := Validate(in); err != nil {
		return Cost{}, err
	}
	p := compile(in)
	pl := &planner{p: p}
	pl.off = make([]int, len(p.orders)+1)
	for i, o := range p.orders {
		pl.off[i+1] = pl.off[i] + len(o.cats)
	}
	pl.load0 = make([]float64, len(p.teams))
	for i := range p.teams {
		pl.load0[i] = p.teams[i].load
	}
	assign := make([]int32, pl.off[len(p.orders)])
	for i := range assign {
		assign[i] = noTeam
	}
	for k, a := range assignments {
		path := fmt.Sprintf("assignments[%d]", k)
		o := sort.Search(len(p.orders), func(i int) bool { return p.orders[i].id >= a.Order })
		if o == len(p.orders) || p.orders[o].id != a.Order {
			return Cost{}, &InputError{Path: path + ".order", Msg: fmt.Sprintf("no order %q", a.Order)}
		}
		od := &p.orders[o]
		i := sort.SearchStrings(od.names, a.Category)
		if i == len(od.names) || od.names[i] != a.Category {
			return Cost{}, &InputError{Path: path + ".category", Msg: fmt.Sprintf("order %q does not ask for %q", a.Order, a.Category)}
		}
		t, ok := p.teamIndex(a.Team)
		if !ok {
			return Cost{}, &InputError{Path: path + ".team", Msg: fmt.Sprintf("no team %q", a.Team)}
		}
		if _, offers := p.teams[t].willingness(od.cats[i]); !offers {
			return Cost{}, &InputError{Path: path + ".team", Msg: fmt.Sprintf("team %q does not offer %q", a.Team, a.Category)}
		}
		if assign[pl.off[o]+i] != noTeam {
			return Cost{}, &InputError{Path: path, Msg: fmt.Sprintf("slot %q/%q assigned twice", a.Order, a.Category)}
		}
		assign[pl.off[o]+i] = t
	}
	loads := append([]float64(nil), pl.load0...)
	for o := range p.orders {
		for i, t := range assign[pl.off[o]:pl.off[o+1]] {
			if t != noTeam {
				loads[t] += p.orders[o].dem[i]
			}
		}
	}
	for t, f := range loads {
		if c := p.teams[t].cap; f > c+capTol(c) {
			return Cost{}, &InputError{Path: "assignments", Msg: fmt.Sprintf("team %q holds %s of its %s person-days", p.teams[t].id, num(f), num(c))}
		}
	}
	return pl.evaluate(assign), nil
}
