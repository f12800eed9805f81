package match

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// golden is testdata/golden.json: optima of generated instances that CBC
// proved (bench/match_cbc.sh golden writes it).
type golden struct {
	Instances []struct {
		Seed    uint64  `json:"seed"`
		Orders  int     `json:"orders"`
		Teams   int     `json:"teams"`
		Optimum float64 `json:"optimum"`
	} `json:"instances"`
}

// Plan's cost is within 1 % of the proven optimum on average, and its lower
// bound never above it. With -short or -race only the tiny instances run.
func TestGolden(t *testing.T) {
	b, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	var sum float64
	n := 0
	for _, x := range g.Instances {
		if (testing.Short() || raceEnabled) && x.Orders > 60 {
			continue
		}
		in := Generate(x.Seed, x.Orders, x.Teams)
		r, err := Plan(in, Options{})
		if err != nil {
			t.Fatal(err)
		}
		ratio := r.Cost.Total / x.Optimum
		t.Logf("%dx%d seed %d: cost ÷ optimum %.4f, bound ÷ optimum %.4f, %d iterations, %v",
			x.Orders, x.Teams, x.Seed, ratio, r.LowerBound/x.Optimum, r.Iterations, r.Elapsed)
		if r.LowerBound > x.Optimum+1e-6 {
			t.Errorf("%dx%d seed %d: lower bound %.6f above the optimum %.6f", x.Orders, x.Teams, x.Seed, r.LowerBound, x.Optimum)
		}
		if r.Cost.Total < x.Optimum-1e-6*math.Max(1, x.Optimum) {
			t.Errorf("%dx%d seed %d: cost %.6f below the proven optimum %.6f", x.Orders, x.Teams, x.Seed, r.Cost.Total, x.Optimum)
		}
		sum += ratio
		n++
	}
	if n == 0 {
		t.Fatal("no golden instances")
	}
	if avg := sum / float64(n); avg > 1.01 {
		t.Errorf("cost ÷ optimum %.4f on average over %d instances, want at most 1.01", avg, n)
	} else {
		t.Logf("cost ÷ optimum %.4f on average over %d instances", avg, n)
	}
}
