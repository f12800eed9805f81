package match

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"
)

// tinyBatch draws a batch small enough to price every plan.
func tinyBatch(seed uint64) Instance {
	r := &rng{s: seed}
	cats := Categories[:4]
	var in Instance
	nt := 1 + r.intn(3)
	for i := 0; i < nt; i++ {
		t := Team{ID: fmt.Sprintf("t%d", i), Lat: 49 + r.float(), Lng: 119 + r.float(), Willingness: map[string]float64{}}
		for _, c := range cats {
			if r.float() < 0.6 {
				t.Willingness[c] = round(r.float(), 0.1)
			}
		}
		if len(t.Willingness) == 0 {
			t.Willingness[cats[0]] = 1
		}
		t.Capacity = float64(2 + r.intn(12))
		t.Load = math.Floor(t.Capacity * r.float() * 0.6)
		in.Teams = append(in.Teams, t)
	}
	offered := map[string]bool{}
	for _, t := range in.Teams {
		for c := range t.Willingness {
			offered[c] = true
		}
	}
	no := 1 + r.intn(3)
	for i := 0; i < no; i++ {
		o := Order{ID: fmt.Sprintf("o%d", i), Lat: 49 + r.float(), Lng: 119 + r.float(), Demand: map[string]float64{}}
		for _, c := range cats {
			if offered[c] && r.float() < 0.4 && len(o.Demand) < 3 {
				o.Demand[c] = float64(1 + r.intn(5))
			}
		}
		if len(o.Demand) == 0 {
			o.Demand[sortedKeys(in.Teams[0].Willingness)[0]] = 1
		}
		in.Orders = append(in.Orders, o)
	}
	return in
}

// bruteOptimum prices every plan of a tiny batch and returns the least cost.
func bruteOptimum(t *testing.T, in Instance) float64 {
	type slot struct{ order, cat string }
	var slots []slot
	for _, o := range in.Orders {
		for _, c := range sortedKeys(o.Demand) {
			slots = append(slots, slot{o.ID, c})
		}
	}
	best := math.Inf(1)
	as := make([]Assignment, 0, len(slots))
	var rec func(i int)
	rec = func(i int) {
		if i == len(slots) {
			if c, err := Evaluate(in, as); err == nil && c.Total < best {
				best = c.Total
			}
			return
		}
		rec(i + 1)
		for _, tm := range in.Teams {
			if _, ok := tm.Willingness[slots[i].cat]; ok {
				as = append(as, Assignment{Order: slots[i].order, Category: slots[i].cat, Team: tm.ID})
				rec(i + 1)
				as = as[:len(as)-1]
			}
		}
	}
	rec(0)
	return best
}

func TestPlanBoundsBruteForce(t *testing.T) {
	n := 300
	if testing.Short() || raceEnabled {
		n = 40
	}
	exact := 0
	for seed := uint64(1); seed <= uint64(n); seed++ {
		in := tinyBatch(seed)
		r, err := Plan(in, Options{Workers: 1})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		opt := bruteOptimum(t, in)
		if r.LowerBound > opt+1e-6 {
			t.Fatalf("seed %d: lower bound %.6f above the optimum %.6f\n%+v", seed, r.LowerBound, opt, in)
		}
		if r.Cost.Total < opt-1e-6 {
			t.Fatalf("seed %d: plan cost %.6f below the optimum %.6f", seed, r.Cost.Total, opt)
		}
		if r.Cost.Total <= opt+1e-6 {
			exact++
		}
		checkPlan(t, fmt.Sprint("seed ", seed), in, r)
	}
	// Not a promise, but a heuristic that misses tiny optima often is broken.
	if exact < n*9/10 {
		t.Errorf("optimal on %d of %d tiny batches", exact, n)
	}
}

// checkPlan checks a plan against its instance: every slot once, offered
// categories only, capacity held, the cost as Evaluate prices it.
func checkPlan(t *testing.T, name string, in Instance, r *Result) {
	t.Helper()
	slots := map[[2]string]bool{}
	for _, a := range r.Assignments {
		slots[[2]string{a.Order, a.Category}] = true
	}
	for _, u := range r.Unassigned {
		k := [2]string{u.Order, u.Category}
		if slots[k] {
			t.Fatalf("%s: slot %v both assigned and unassigned", name, k)
		}
		slots[k] = true
	}
	n := 0
	for _, o := range in.Orders {
		n += len(o.Demand)
	}
	if len(slots) != n || len(r.Assignments)+len(r.Unassigned) != n {
		t.Fatalf("%s: %d slots in the plan, %d in the instance", name, len(slots), n)
	}
	loads := map[string]float64{}
	teams := map[string]Team{}
	for _, tm := range in.Teams {
		loads[tm.ID] = tm.Load
		teams[tm.ID] = tm
	}
	demand := map[[2]string]float64{}
	for _, o := range in.Orders {
		for c, d := range o.Demand {
			demand[[2]string{o.ID, c}] = d
		}
	}
	for _, a := range r.Assignments {
		loads[a.Team] += demand[[2]string{a.Order, a.Category}]
	}
	for id, f := range loads {
		if f > teams[id].Capacity {
			t.Fatalf("%s: team %s holds %v of its %v person-days", name, id, f, teams[id].Capacity)
		}
	}
	c, err := Evaluate(in, r.Assignments)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if math.Abs(c.Total-r.Cost.Total) > 1e-6*math.Max(1, c.Total) {
		t.Fatalf("%s: plan says cost %.6f, Evaluate %.6f", name, r.Cost.Total, c.Total)
	}
	if r.LowerBound > r.Cost.Total+1e-6*math.Max(1, c.Total) {
		t.Fatalf("%s: lower bound %.6f above the cost %.6f", name, r.LowerBound, r.Cost.Total)
	}
}

// Capacity holds on many random instances, tight and loose, small and
// middling, with any neighbour count.
func TestPlanCapacityProperty(t *testing.T) {
	n, orders, teams := 40, 120, 20
	if testing.Short() || raceEnabled {
		n, orders, teams = 10, 50, 8
	}
	for seed := uint64(1); seed <= uint64(n); seed++ {
		r := &rng{s: seed * 7919}
		in := Generate(seed, 10+r.intn(orders), 3+r.intn(teams))
		// Squeeze some teams to force unassigned slots and full teams.
		for i := range in.Teams {
			if r.float() < 0.3 {
				in.Teams[i].Capacity = math.Floor(in.Teams[i].Capacity * r.float())
				in.Teams[i].Load = math.Min(in.Teams[i].Load, in.Teams[i].Capacity)
			}
		}
		opt := Options{Neighbours: 1 + r.intn(20), MaxIterations: 5 + r.intn(30), RebuildEvery: 1 + r.intn(10)}
		res, err := Plan(in, opt)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		checkPlan(t, fmt.Sprintf("seed %d %+v", seed, opt), in, res)
	}
}

// The same input gives the same plan, byte for byte, whatever the number
// of workers and the order of teams and orders in the input.
func TestPlanDeterministic(t *testing.T) {
	size := [2]int{300, 40}
	if testing.Short() || raceEnabled {
		size = [2]int{80, 12}
	}
	in := Generate(42, size[0], size[1])
	plan := func(in Instance, workers int) []byte {
		r, err := Plan(in, Options{Workers: workers, MaxIterations: 60})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(struct {
			A []Assignment
			U []Slot
			C Cost
			L float64
			I int
			G []OrderGroup
		}{r.Assignments, r.Unassigned, r.Cost, r.LowerBound, r.Iterations, r.Groups})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	want := plan(in, 1)
	for _, w := range []int{1, 2, 3, 8} {
		if got := plan(in, w); !reflect.DeepEqual(got, want) {
			t.Fatalf("%d workers: a different plan", w)
		}
	}
	rev := Instance{}
	for i := len(in.Teams) - 1; i >= 0; i-- {
		rev.Teams = append(rev.Teams, in.Teams[i])
	}
	for i := len(in.Orders) - 1; i >= 0; i-- {
		rev.Orders = append(rev.Orders, in.Orders[i])
	}
	if got := plan(rev, 2); !reflect.DeepEqual(got, want) {
		t.Fatal("reversed input: a different plan")
	}
}

func TestPlanEmptyAndInvalid(t *testing.T) {
	r, err := Plan(Instance{}, Options{})
	if err != nil || r.Cost.Total != 0 || r.LowerBound != 0 || len(r.Assignments) != 0 {
		t.Fatalf("empty instance: %+v, %v", r, err)
	}
	_, err = Plan(Instance{Orders: []Order{{ID: "o", Demand: map[string]float64{"legal": -1}}}}, Options{})
	if err == nil || err.Error() != `orders[0].demand["legal"]: negative person-days` {
		t.Fatalf("got %v", err)
	}
}

// A time limit cuts the search short but still gives a feasible plan and
// a bound.
func TestPlanTimeLimit(t *testing.T) {
	in := Generate(3, 300, 30)
	r, err := Plan(in, Options{TimeLimit: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	if r.Iterations != 1 || r.LowerBound <= 0 || math.IsInf(r.Gap, 0) {
		t.Fatalf("iterations %d, bound %v, gap %v", r.Iterations, r.LowerBound, r.Gap)
	}
	checkPlan(t, "time limit", in, r)
}
