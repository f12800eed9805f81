package match

import (
	"fmt"
	"math"
	"sort"
	"testing"
)

// smallCase draws a few teams near one order, with tight capacities so that
// room, fairness and leaving a slot unassigned all matter.
func smallCase(seed uint64, nCats, maxTeams int) ([]Team, Order) {
	r := &rng{s: seed}
	cats := Categories[:nCats]
	nTeams := 1 + r.intn(maxTeams)
	teams := make([]Team, nTeams)
	for i := range teams {
		t := Team{ID: fmt.Sprintf("t%d", nTeams-i), Lat: 49 + r.float(), Lng: 119 + r.float(), Willingness: map[string]float64{}}
		for _, c := range cats {
			if r.float() < 0.5 {
				t.Willingness[c] = round(r.float(), 0.1)
			}
		}
		if len(t.Willingness) == 0 {
			t.Willingness[cats[r.intn(len(cats))]] = 0.5
		}
		t.Capacity = float64(r.intn(20))
		t.Load = math.Floor(t.Capacity * r.float())
		teams[i] = t
	}
	o := Order{ID: "o", Lat: 49 + r.float(), Lng: 119 + r.float(), Demand: map[string]float64{}}
	for _, c := range cats {
		if r.float() < 0.6 {
			o.Demand[c] = float64(1 + r.intn(6))
		}
	}
	if len(o.Demand) == 0 {
		o.Demand[cats[0]] = 2
	}
	return teams, o
}

// bruteGroup is one assignment met by brute force.
type bruteGroup struct {
	cost float64
	key  []string // per category (by name), team id or "~" for unassigned
}

// bruteForce prices every assignment of each slot to every team that offers
// it, or to nobody, straight from the definition of the cost.
func bruteForce(teams []Team, o Order) []bruteGroup {
	cats := sortedKeys(o.Demand)
	var out []bruteGroup
	choice := make([]int, len(cats)) // -1 unassigned, else team index
	var rec func(i int)
	rec = func(i int) {
		if i == len(cats) {
			if g, ok := priceBrute(teams, o, cats, choice); ok {
				out = append(out, g)
			}
			return
		}
		choice[i] = -1
		rec(i + 1)
		for t := range teams {
			if _, ok := teams[t].Willingness[cats[i]]; ok {
				choice[i] = t
				rec(i + 1)
			}
		}
	}
	rec(0)
	sort.Slice(out, func(i, j int) bool {
		if out[i].cost != out[j].cost {
			return out[i].cost < out[j].cost
		}
		for k := range out[i].key {
			if out[i].key[k] != out[j].key[k] {
				return out[i].key[k] < out[j].key[k]
			}
		}
		return false
	})
	return out
}

func priceBrute(teams []Team, o Order, cats []string, choice []int) (bruteGroup, bool) {
	g := bruteGroup{key: make([]string, len(cats))}
	add := map[int]float64{}
	for i, t := range choice {
		d := o.Demand[cats[i]]
		if t < 0 {
			g.cost += 1000 * d
			g.key[i] = "~"
			continue
		}
		g.key[i] = teams[t].ID
		if _, ok := add[t]; !ok {
			g.cost += Distance(o.Lat, o.Lng, teams[t].Lat, teams[t].Lng)
		}
		add[t] += d
		g.cost += 10 * (1 - teams[t].Willingness[cats[i]]) * d
	}
	for t, d := range add {
		tm := teams[t]
		if tm.Load+d > tm.Capacity {
			return g, false
		}
		g.cost += Fairness(tm.Load+d, tm.Capacity) - Fairness(tm.Load, tm.Capacity)
	}
	return g, true
}

// groupKey lists a group's team per category, as bruteForce does.
func groupKey(o Order, g Group) []string {
	by := map[string]string{}
	for _, p := range g.Parts {
		for _, f := range p.Categories {
			by[f.Category] = p.Team
		}
	}
	var key []string
	for _, c := range sortedKeys(o.Demand) {
		if t, ok := by[c]; ok {
			key = append(key, t)
		} else {
			key = append(key, "~")
		}
	}
	return key
}

func TestGroupEqualsBruteForce(t *testing.T) {
	n := 2000
	if testing.Short() || raceEnabled {
		n = 300
	}
	for seed := uint64(1); seed <= uint64(n); seed++ {
		teams, o := smallCase(seed, 5, 8)
		checkBrute(t, seed, teams, o)
	}
}

// Eight categories, the most one order may ask for, over a few teams.
func TestGroupEqualsBruteForceEight(t *testing.T) {
	n := 40
	if testing.Short() || raceEnabled {
		n = 5
	}
	for seed := uint64(1); seed <= uint64(n); seed++ {
		teams, o := smallCase(seed, 8, 4)
		for _, c := range Categories[:8] { // every category, to reach Bell(9)
			if _, ok := o.Demand[c]; !ok {
				o.Demand[c] = 1
			}
		}
		checkBrute(t, seed, teams, o)
	}
}

func checkBrute(t *testing.T, seed uint64, teams []Team, o Order) {
	t.Helper()
	{
		m, err := NewMatcher(teams, MatchOptions{})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		pr, err := m.Group(o, 2)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		want := bruteForce(teams, o)
		got := append([]Group{pr.Best}, groupsOf(pr.Alternatives)...)
		if len(got) != min(3, len(want)) {
			t.Fatalf("seed %d: %d groups, want %d", seed, len(got), min(3, len(want)))
		}
		for i, g := range got {
			if math.Abs(g.Cost.Total-want[i].cost) > 1e-9*math.Max(1, want[i].cost) {
				t.Fatalf("seed %d: group %d costs %.9f, brute force %.9f (%v)\nteams %+v\norder %+v", seed, i, g.Cost.Total, want[i].cost, want[i].key, teams, o)
			}
			// Among groups of equal cost (up to rounding) any order is
			// fair; the group must be one of them.
			k, ok := fmt.Sprint(groupKey(o, g)), false
			for _, w := range want {
				ok = ok || math.Abs(w.cost-g.Cost.Total) <= 1e-9*math.Max(1, w.cost) && fmt.Sprint(w.key) == k
			}
			if !ok {
				t.Fatalf("seed %d: group %d is %v, which brute force does not price at %.9f", seed, i, k, g.Cost.Total)
			}
			for _, h := range got[:i] {
				if fmt.Sprint(groupKey(o, h)) == k {
					t.Fatalf("seed %d: group %v proposed twice", seed, k)
				}
			}
		}
	}
}

func groupsOf(as []Alternative) []Group {
	var gs []Group
	for _, a := range as {
		gs = append(gs, a.Group)
	}
	return gs
}

func TestFairness(t *testing.T) {
	for _, c := range []float64{0, 1, 7, 40, 100, 1e6} {
		for x := 0.0; x <= c*1.2+1; x += c/97 + 0.25 {
			want := 4*math.Max(0, math.Min(x, 0.85*c)-0.6*c) + 12*math.Max(0, x-0.85*c)
			if got := Fairness(x, c); got != want {
				t.Fatalf("Fairness(%v, %v) = %v, want %v", x, c, got, want)
			}
		}
	}
}
