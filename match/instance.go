package match

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// The cost weights of the problem (see the package documentation).
const (
	EarthRadiusKm  = 6371.0 // haversine radius
	MismatchWeight = 10.0   // per person-day at willingness 0
	UnassignedCost = 1000.0 // per person-day left unassigned
)

// MaxPersonDays bounds a team's capacity and a slot's demand, so that every
// cost stays a finite number.
const MaxPersonDays = 1e9

// MaxCategories is the most categories one order may ask for: the exact
// per-order step enumerates the set partitions of an order's categories
// (Bell(9) = 21,147 with the option of leaving some unassigned).
const MaxCategories = 8

// Team is a volunteer team as the optimiser sees it. It offers exactly the
// categories that are keys of Willingness.
type Team struct {
	ID          string             `json:"id"`
	Lat         float64            `json:"lat"`
	Lng         float64            `json:"lng"`
	Capacity    float64            `json:"capacity"`    // person-days it can hold in the period
	Load        float64            `json:"load"`        // person-days it already holds
	Willingness map[string]float64 `json:"willingness"` // category → [0, 1]
}

// Order is an accepted order: person-days wanted per category at a place.
type Order struct {
	ID     string             `json:"id"`
	Lat    float64            `json:"lat"`
	Lng    float64            `json:"lng"`
	Demand map[string]float64 `json:"demand"` // category → person-days > 0
}

// Instance is a batch: the teams and the orders to dispatch to them. Its JSON
// form is the input of `vanguard dispatch plan`.
type Instance struct {
	Teams  []Team  `json:"teams"`
	Orders []Order `json:"orders"`
}

// Assignment gives one (order, category) slot to a team.
type Assignment struct {
	Order    string `json:"order"`
	Category string `json:"category"`
	Team     string `json:"team"`
}

// Slot is one category of one order, with its person-days.
type Slot struct {
	Order      string  `json:"order"`
	Category   string  `json:"category"`
	PersonDays float64 `json:"-"`
}

// Cost is a cost split into its components. Total is their sum.
type Cost struct {
	Travel     float64
	Mismatch   float64
	Fairness   float64
	Unassigned float64
	Total      float64
}

// Add returns c + d, component by component.
func (c Cost) Add(d Cost) Cost {
	return Cost{c.Travel + d.Travel, c.Mismatch + d.Mismatch, c.Fairness + d.Fairness,
		c.Unassigned + d.Unassigned, c.Total + d.Total}
}

// Sub returns c − d, component by component: with c a runner-up and d the
// choice, each positive component says how much worse the runner-up is there.
func (c Cost) Sub(d Cost) Cost {
	return Cost{c.Travel - d.Travel, c.Mismatch - d.Mismatch, c.Fairness - d.Fairness,
		c.Unassigned - d.Unassigned, c.Total - d.Total}
}

// Component names, for Cost.Largest and for the catalogue keys a page
// builds from them.
const (
	CompTravel     = "travel"
	CompMismatch   = "mismatch"
	CompFairness   = "fairness"
	CompUnassigned = "unassigned"
)

// Largest returns the component with the largest value and that value: for
// a runner-up's Versus, the main reason it lost (a page says "23 km
// farther" or "less willing"). Ties go to the first in the order travel,
// mismatch, fairness, unassigned.
func (c Cost) Largest() (string, float64) {
	name, v := CompTravel, c.Travel
	for _, x := range []struct {
		n string
		v float64
	}{{CompMismatch, c.Mismatch}, {CompFairness, c.Fairness}, {CompUnassigned, c.Unassigned}} {
		if x.v > v {
			name, v = x.n, x.v
		}
	}
	return name, v
}

func (c Cost) sum() Cost {
	c.Total = c.Travel + c.Mismatch + c.Fairness + c.Unassigned
	return c
}

// Distance is the great-circle distance in km between two points given in
// degrees (haversine, R = EarthRadiusKm).
func Distance(lat1, lng1, lat2, lng2 float64) float64 {
	a, b := newPoint(lat1, lng1), newPoint(lat2, lng2)
	return a.km(&b)
}

// Fairness is f(x) = 4·max(0, min(x, 0.85C) − 0.6C) + 12·max(0, x − 0.85C)
// for a team of capacity c at load x. It is convex and piecewise linear, with
// slopes 0, 4 and 12.
func Fairness(x, c float64) float64 {
	// The formula above, without math.Max's care for NaN and −0: this sits
	// in the innermost loop of the per-order step.
	hi := 0.85 * c
	m := x
	if hi < m {
		m = hi
	}
	var f float64
	if a := m - 0.6*c; a > 0 {
		f = 4 * a
	}
	if b := x - hi; b > 0 {
		f += 12 * b
	}
	return f
}

// mismatch is the mismatch cost of a slot of d person-days at willingness w.
func mismatch(w, d float64) float64 { return MismatchWeight * (1 - w) * d }

// InputError names the place of one fault in an instance, such as
// `orders[3].demand["legal"]: negative person-days`.
type InputError struct {
	Path string // teams[2].capacity; empty for the whole input
	Msg  string
	Line int // 1-based position in the JSON text, when known
	Col  int
}

func (e *InputError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Col)
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// InputErrors are the faults of an instance, in the order of the input.
type InputErrors []*InputError

// maxInputErrors bounds how many faults Validate lists.
const maxInputErrors = 20

func (es InputErrors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

type checker struct{ errs InputErrors }

func (c *checker) add(path, format string, args ...any) {
	if len(c.errs) < maxInputErrors {
		c.errs = append(c.errs, &InputError{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
}

func (c *checker) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return c.errs
}

func key(path, k string) string { return path + "[" + strconv.Quote(k) + "]" }

func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func (c *checker) place(path string, lat, lng float64) {
	if !finite(lat) || lat < -90 || lat > 90 {
		c.add(path+".lat", "latitude %s is outside [-90, 90]", num(lat))
	}
	if !finite(lng) || lng < -180 || lng > 180 {
		c.add(path+".lng", "longitude %s is outside [-180, 180]", num(lng))
	}
}

// sortedKeys returns a map's keys in byte order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// ValidateTeams checks teams on their own: ids, places, capacities, loads
// and willingness.
func ValidateTeams(teams []Team) error {
	var c checker
	c.teams(teams)
	return c.err()
}

func (c *checker) teams(teams []Team) {
	seen := make(map[string]int, len(teams))
	for i, t := range teams {
		p := fmt.Sprintf("teams[%d]", i)
		if t.ID == "" {
			c.add(p+".id", "missing")
		} else if j, dup := seen[t.ID]; dup {
			c.add(p+".id", "duplicate id %q (also teams[%d])", t.ID, j)
		} else {
			seen[t.ID] = i
		}
		c.place(p, t.Lat, t.Lng)
		switch {
		case !finite(t.Capacity) || t.Capacity < 0 || t.Capacity > MaxPersonDays:
			c.add(p+".capacity", "capacity %s is not between 0 and %s person-days", num(t.Capacity), num(MaxPersonDays))
		case !finite(t.Load) || t.Load < 0:
			c.add(p+".load", "load %s is not a number ≥ 0", num(t.Load))
		case t.Load > t.Capacity:
			c.add(p+".load", "load %s exceeds capacity %s", num(t.Load), num(t.Capacity))
		}
		if len(t.Willingness) == 0 {
			c.add(p+".willingness", "offers no category")
		}
		for _, k := range sortedKeys(t.Willingness) {
			w := t.Willingness[k]
			switch {
			case k == "":
				c.add(p+".willingness", "empty category name")
			case !finite(w) || w < 0 || w > 1:
				c.add(key(p+".willingness", k), "willingness %s is outside [0, 1]", num(w))
			}
		}
	}
}

// Validate checks an instance and returns InputErrors naming the place of
// each fault (at most 20), or nil.
func Validate(in Instance) error {
	var c checker
	c.teams(in.Teams)
	offered := map[string]bool{}
	for _, t := range in.Teams {
		for k := range t.Willingness {
			offered[k] = true
		}
	}
	seen := make(map[string]int, len(in.Orders))
	for i, o := range in.Orders {
		p := fmt.Sprintf("orders[%d]", i)
		if o.ID == "" {
			c.add(p+".id", "missing")
		} else if j, dup := seen[o.ID]; dup {
			c.add(p+".id", "duplicate id %q (also orders[%d])", o.ID, j)
		} else {
			seen[o.ID] = i
		}
		c.place(p, o.Lat, o.Lng)
		c.demand(p+".demand", o.Demand, offered)
	}
	return c.err()
}

func (c *checker) demand(p string, demand map[string]float64, offered map[string]bool) {
	switch {
	case len(demand) == 0:
		c.add(p, "asks for no category")
	case len(demand) > MaxCategories:
		c.add(p, "asks for %d categories; at most %d in one order", len(demand), MaxCategories)
	}
	for _, k := range sortedKeys(demand) {
		d := demand[k]
		switch {
		case k == "":
			c.add(p, "empty category name")
		case !finite(d):
			c.add(key(p, k), "person-days %s is not a number", num(d))
		case d < 0:
			c.add(key(p, k), "negative person-days")
		case d == 0:
			c.add(key(p, k), "zero person-days (leave the category out)")
		case d > MaxPersonDays:
			c.add(key(p, k), "%s person-days is more than %s", num(d), num(MaxPersonDays))
		case offered != nil && !offered[k]:
			c.add(key(p, k), "no team offers %q", k)
		}
	}
}
