package match

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// The example: one order for medical and legal near Hailar.
func exampleTeams() []Team {
	return []Team{
		{ID: "t1", Lat: 49.21, Lng: 119.76, Capacity: 40, Load: 10, Willingness: map[string]float64{"medical": 0.9, "legal": 0.5}},
		{ID: "t2", Lat: 49.22, Lng: 119.70, Capacity: 20, Load: 16, Willingness: map[string]float64{"legal": 1}},
		{ID: "t3", Lat: 49.60, Lng: 117.43, Capacity: 60, Willingness: map[string]float64{"legal": 0.9, "medical": 1}},
	}
}

func TestGroupExplains(t *testing.T) {
	m, err := NewMatcher(exampleTeams(), MatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	o := Order{ID: "o1", Lat: 49.13, Lng: 119.81, Demand: map[string]float64{"medical": 3, "legal": 1}}
	pr, err := m.Group(o, 2)
	if err != nil {
		t.Fatal(err)
	}
	best := pr.Best
	// t1 takes both (one trip; legal at 0.5 costs 5 of mismatch, less than
	// a second trip to t2).
	if len(best.Parts) != 1 || best.Parts[0].Team != "t1" || len(best.Unassigned) != 0 {
		t.Fatalf("best group %+v", best)
	}
	p := best.Parts[0]
	d := Distance(49.13, 119.81, 49.21, 119.76)
	if p.DistanceKm != d || p.LoadBefore != 10 || p.LoadAfter != 14 || p.Capacity != 40 || p.PersonDays != 4 {
		t.Fatalf("part %+v", p)
	}
	if len(p.Categories) != 2 || p.Categories[0].Category != "legal" || p.Categories[0].Willingness != 0.5 ||
		p.Categories[0].Mismatch != 5 || p.Categories[1].Category != "medical" || math.Abs(p.Categories[1].Mismatch-3) > 1e-12 {
		t.Fatalf("categories %+v", p.Categories)
	}
	want := Cost{Travel: d, Mismatch: 8, Fairness: 0}
	want.Total = want.Travel + want.Mismatch
	if math.Abs(p.Cost.Total-want.Total) > 1e-9 || best.Cost != p.Cost {
		t.Fatalf("cost %+v, want %+v", p.Cost, want)
	}
	// t3 is the only other team offering both; it is ~180 km away.
	if p.RunnerUp == nil || p.RunnerUp.Team != "t3" || p.RunnerUp.Versus.Travel < 100 {
		t.Fatalf("runner-up %+v", p.RunnerUp)
	}
	if c, _ := p.RunnerUp.Versus.Largest(); c != CompTravel {
		t.Fatalf("runner-up lost on %s", c)
	}
	if len(pr.Alternatives) != 2 {
		t.Fatalf("%d alternatives", len(pr.Alternatives))
	}
	// Next: t1 medical + t2 legal (a second trip, t2 pays fairness).
	a := pr.Alternatives[0]
	if len(a.Parts) != 2 || a.Parts[0].Team != "t1" || a.Parts[1].Team != "t2" {
		t.Fatalf("first alternative %+v", a.Group)
	}
	for i, a := range pr.Alternatives {
		if a.Versus.Total < 0 || math.Abs(a.Versus.Total-(a.Cost.Total-best.Cost.Total)) > 1e-9 {
			t.Fatalf("alternative %d: versus %+v", i, a.Versus)
		}
		if i > 0 && a.Cost.Total < pr.Alternatives[i-1].Cost.Total {
			t.Fatal("alternatives out of order")
		}
	}
}

func TestGroupUnofferedAndFull(t *testing.T) {
	teams := exampleTeams()
	teams[0].Load = 40 // t1 full
	m, err := NewMatcher(teams, MatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	o := Order{ID: "o", Lat: 49.13, Lng: 119.81, Demand: map[string]float64{"medical": 3, "culture": 2, "legal": 5}}
	pr, err := m.Group(o, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Nobody offers culture; t2 has room for 4 legal, not 5: medical and
	// legal go to t3, culture stays unassigned.
	g := pr.Best
	if len(g.Parts) != 1 || g.Parts[0].Team != "t3" || len(g.Unassigned) != 1 || g.Unassigned[0].Category != "culture" {
		t.Fatalf("group %+v", g)
	}
	if g.Cost.Unassigned != 2000 || len(pr.Alternatives) != 0 {
		t.Fatalf("cost %+v, %d alternatives", g.Cost, len(pr.Alternatives))
	}
	if _, err := m.Group(Order{ID: "x", Lat: 49, Lng: 119, Demand: map[string]float64{"legal": -1}}, 0); err == nil ||
		!strings.Contains(err.Error(), `demand["legal"]: negative person-days`) {
		t.Fatalf("got %v", err)
	}
}

func TestExplainChoice(t *testing.T) {
	m, _ := NewMatcher(exampleTeams(), MatchOptions{})
	o := Order{ID: "o1", Lat: 49.13, Lng: 119.81, Demand: map[string]float64{"medical": 3, "legal": 1}}
	g, err := m.Explain(o, map[string]string{"medical": "t1", "legal": "t2"})
	if err != nil {
		t.Fatal(err)
	}
	pr, _ := m.Group(o, 1)
	if g.Cost != pr.Alternatives[0].Cost {
		t.Fatalf("explained %+v, the matcher priced %+v", g.Cost, pr.Alternatives[0].Cost)
	}
	g, err = m.Explain(o, map[string]string{"medical": "t1"})
	if err != nil || len(g.Unassigned) != 1 || g.Cost.Unassigned != 1000 {
		t.Fatalf("%+v %v", g, err)
	}
	for choice, want := range map[string]map[string]string{
		`choice["legal"]: no team "t9"`:                               {"legal": "t9"},
		`choice["medical"]: team "t2" does not offer this category`:   {"medical": "t2"},
		`choice["culture"]: the order does not ask for this category`: {"culture": "t1"},
		`choice: team "t2" would hold 21 of its 20 person-days`:       nil,
	} {
		if want == nil {
			o2 := o
			o2.Demand = map[string]float64{"legal": 5}
			_, err = m.Explain(o2, map[string]string{"legal": "t2"})
		} else {
			_, err = m.Explain(o, want)
		}
		if err == nil || err.Error() != choice {
			t.Errorf("got %v, want %s", err, choice)
		}
	}
	// A page words the refusal from the error's fields.
	o.Demand = map[string]float64{"legal": 5}
	_, err = m.Explain(o, map[string]string{"legal": "t2"})
	var ue *UnfitError
	if !errors.As(err, &ue) || !ue.Full || ue.Team != "t2" || ue.Category != "legal" || ue.LoadAfter != 21 || ue.Capacity != 20 {
		t.Errorf("a full team: got %#v", err)
	}
}

func TestNewMatcherRejectsBadTeams(t *testing.T) {
	_, err := NewMatcher([]Team{{ID: "a", Lat: 99, Lng: 0, Capacity: 1, Willingness: map[string]float64{"x": 1}}}, MatchOptions{})
	if err == nil || err.Error() != "teams[0].lat: latitude 99 is outside [-90, 90]" {
		t.Fatalf("got %v", err)
	}
}
