package match

import (
	"fmt"
	"math"
)

// Categories are the platform's eleven default categories of service, by
// code; Generate draws from them.
var Categories = []string{
	"medical", "livestock", "disease_prevention", "party_education", "legal", "family_planning",
	"culture", "scitech", "poverty_relief", "environment", "tree_planting",
}

// categoryWeight is how often each of Categories is ordered and offered.
var categoryWeight = []float64{3, 2, 1.5, 2, 2, 1, 2, 1.5, 2, 1.5, 1.5}

// town is a cluster of places in Hulunbuir-like geography.
type town struct {
	lat, lng, weight, spread float64 // spread: standard deviation in degrees
}

var towns = []town{
	{49.21, 119.76, 10, 0.12}, // 海拉尔 Hailar
	{49.60, 117.43, 5, 0.10},  // 满洲里 Manzhouli
	{48.01, 122.74, 6, 0.15},  // 扎兰屯 Zalantun
	{49.29, 120.73, 5, 0.12},  // 牙克石 Yakeshi
	{50.24, 120.18, 3, 0.15},  // 额尔古纳 Ergun
	{50.78, 121.52, 2, 0.15},  // 根河 Genhe
	{48.13, 123.46, 4, 0.20},  // 阿荣旗 Arun Banner
	{48.48, 124.51, 4, 0.20},  // 莫力达瓦 Morin Dawa
	{50.57, 123.72, 2, 0.25},  // 鄂伦春 Oroqen
	{49.33, 119.43, 2, 0.20},  // 陈巴尔虎旗 Old Barag
	{48.22, 118.27, 2, 0.25},  // 新巴尔虎左旗 New Barag Left
	{48.67, 116.82, 2, 0.25},  // 新巴尔虎右旗 New Barag Right
	{49.46, 117.70, 2, 0.08},  // 扎赉诺尔 Jalainur
	{49.14, 119.76, 2, 0.20},  // 鄂温克旗 Evenk
}

// rng is splitmix64: small, and its output is fixed forever, so a seed
// names the same instance in every Go release (golden optima depend on it).
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// float returns a number in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// intn returns a number in [0, n).
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// normal returns a standard normal number (Box–Muller).
func (r *rng) normal() float64 {
	u := 1 - r.float()
	return math.Sqrt(-2*math.Log(u)) * math.Cos(2*math.Pi*r.float())
}

func (r *rng) pick(weights []float64) int {
	var sum float64
	for _, w := range weights {
		sum += w
	}
	x := r.float() * sum
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// distinct draws n distinct categories, weighted, returned in draw order.
func (r *rng) distinct(n int) []int {
	w := append([]float64(nil), categoryWeight...)
	out := make([]int, 0, n)
	for len(out) < n {
		c := r.pick(w)
		w[c] = 0
		out = append(out, c)
	}
	return out
}

// round rounds x to a multiple of unit (1/unit a whole number), so that the
// result prints as a short decimal.
func round(x, unit float64) float64 {
	k := math.Round(1 / unit)
	return math.Round(x*k) / k
}

// place draws a point around a town (or, with probability remote, far out
// in the grassland), clipped to lat 47–53, lng 115–126.
func (r *rng) place(spreadScale, remote float64) (lat, lng float64) {
	t := towns[r.pick(townWeights)]
	s := t.spread * spreadScale
	if r.float() < remote {
		s = 0.6
	}
	lat = math.Min(53, math.Max(47, t.lat+s*r.normal()))
	lng = math.Min(126, math.Max(115, t.lng+s*1.5*r.normal()))
	return round(lat, 1e-4), round(lng, 1e-4)
}

var townWeights = func() []float64 {
	w := make([]float64, len(towns))
	for i, t := range towns {
		w[i] = t.weight
	}
	return w
}()

// Generate makes a deterministic benchmark instance of nOrders orders and
// nTeams teams: places clustered around Hulunbuir's towns, 1–4 categories
// per order of 1–6 person-days each, teams offering 2–5 categories at
// willingness 0.3–1.0, and capacities that leave about 25 % more room than
// the batch needs, so fairness costs bite and capacity binds. The same seed
// gives the same instance forever: golden optima in testdata depend on it.
func Generate(seed uint64, nOrders, nTeams int) Instance {
	r := &rng{s: seed*0x2545f4914f6cdd1d + 0x5eed}
	in := Instance{Orders: make([]Order, nOrders), Teams: make([]Team, nTeams)}
	var total float64
	for i := range in.Orders {
		lat, lng := r.place(1, 0.15)
		o := Order{ID: fmt.Sprintf("o%05d", i+1), Lat: lat, Lng: lng, Demand: map[string]float64{}}
		n := 1 + r.pick([]float64{35, 35, 20, 10})
		for _, c := range r.distinct(n) {
			d := float64(1 + r.intn(6))
			o.Demand[Categories[c]] = d
			total += d
		}
		in.Orders[i] = o
	}
	size := make([]float64, nTeams)
	used := make([]float64, nTeams)
	var free float64
	for i := range in.Teams {
		lat, lng := r.place(0.5, 0.05)
		t := Team{ID: fmt.Sprintf("t%04d", i+1), Lat: lat, Lng: lng, Willingness: map[string]float64{}}
		cats := r.distinct(2 + r.intn(4))
		// Every category offered somewhere: team i offers each category
		// j with j mod nTeams = i.
		for j := i; j < len(Categories); j += nTeams {
			if j == i {
				cats[0] = j
			} else {
				cats = append(cats, j)
			}
		}
		cats = dedupe(cats)
		for _, c := range cats {
			t.Willingness[Categories[c]] = round(0.3+0.7*r.float(), 0.05)
		}
		size[i] = 0.7 + 0.6*r.float()
		used[i] = 0.45 * r.float()
		free += size[i] * (1 - used[i])
		in.Teams[i] = t
	}
	scale := 1.25 * total / math.Max(free, 1e-9)
	for i := range in.Teams {
		c := math.Max(5, math.Round(scale*size[i]))
		in.Teams[i].Capacity = c
		in.Teams[i].Load = math.Round(c * used[i])
	}
	return in
}

func dedupe(cs []int) []int {
	var out []int
	for _, c := range cs {
		dup := false
		for _, d := range out {
			dup = dup || d == c
		}
		if !dup {
			out = append(out, c)
		}
	}
	return out
}
