package match

import (
	"math"
	"sort"
)

// point is a place prepared for distances: latitude and longitude in
// radians, the latitude's cosine, and the unit vector used by the k-d tree
// (the chord between two unit vectors grows with the great-circle distance,
// so nearest by chord is nearest by haversine).
type point struct {
	lat, lng, cosLat float64
	v                [3]float64
}

func newPoint(latDeg, lngDeg float64) point {
	lat, lng := latDeg*math.Pi/180, lngDeg*math.Pi/180
	c := math.Cos(lat)
	return point{lat: lat, lng: lng, cosLat: c, v: [3]float64{c * math.Cos(lng), c * math.Sin(lng), math.Sin(lat)}}
}

// km is the haversine distance in km.
func (p *point) km(q *point) float64 {
	s1 := math.Sin((q.lat - p.lat) / 2)
	s2 := math.Sin((q.lng - p.lng) / 2)
	a := s1*s1 + p.cosLat*q.cosLat*s2*s2
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(math.Min(1, a)))
}

func (p *point) chord2(q *point) float64 {
	dx, dy, dz := p.v[0]-q.v[0], p.v[1]-q.v[1], p.v[2]-q.v[2]
	return dx*dx + dy*dy + dz*dz
}

// kdTree is a static 3-d tree over some teams' unit vectors. Nodes are the
// items in place: the median of each range is its node, split on axis
// depth mod 3.
type kdTree struct {
	items []int32 // team indices
	pts   []point // every team's point, by team index
}

func newKDTree(items []int32, pts []point) *kdTree {
	t := &kdTree{items: append([]int32(nil), items...), pts: pts}
	t.build(0, len(t.items), 0)
	return t
}

func (t *kdTree) build(lo, hi, axis int) {
	if hi-lo <= 1 {
		return
	}
	s := t.items[lo:hi]
	sort.Slice(s, func(i, j int) bool {
		a, b := t.pts[s[i]].v[axis], t.pts[s[j]].v[axis]
		if a != b {
			return a < b
		}
		return s[i] < s[j]
	})
	mid := (lo + hi) / 2
	next := (axis + 1) % 3
	t.build(lo, mid, next)
	t.build(mid+1, hi, next)
}

// neighbour is a team found by a query, with its squared chord.
type neighbour struct {
	team int32
	d2   float64
}

func less(a, b neighbour) bool { return a.d2 < b.d2 || a.d2 == b.d2 && a.team < b.team }

// nearest appends to out the k nearest items to q that pass keep, nearest
// first (ties by team index), and returns it.
func (t *kdTree) nearest(q *point, k int, keep func(team int32) bool, out []neighbour) []neighbour {
	if k <= 0 || t == nil {
		return out
	}
	base := len(out)
	out = t.search(q, k, keep, out, base, 0, len(t.items), 0)
	return out
}

func (t *kdTree) search(q *point, k int, keep func(int32) bool, out []neighbour, base, lo, hi, axis int) []neighbour {
	if lo >= hi {
		return out
	}
	mid := (lo + hi) / 2
	id := t.items[mid]
	p := &t.pts[id]
	if keep == nil || keep(id) {
		out = insertBounded(out, base, k, neighbour{id, q.chord2(p)})
	}
	diff := q.v[axis] - p.v[axis]
	next := (axis + 1) % 3
	nearLo, nearHi, farLo, farHi := lo, mid, mid+1, hi
	if diff > 0 {
		nearLo, nearHi, farLo, farHi = mid+1, hi, lo, mid
	}
	out = t.search(q, k, keep, out, base, nearLo, nearHi, next)
	// Strictly greater: a point at exactly the worst distance may still
	// win its tie on team index.
	if len(out)-base < k || diff*diff <= out[len(out)-1].d2 {
		out = t.search(q, k, keep, out, base, farLo, farHi, next)
	}
	return out
}

// insertBounded inserts n into the sorted tail out[base:], keeping at most k.
func insertBounded(out []neighbour, base, k int, n neighbour) []neighbour {
	m := len(out) - base
	if m == k {
		if !less(n, out[len(out)-1]) {
			return out
		}
		out = out[:len(out)-1]
	}
	out = append(out, n)
	i := len(out) - 1
	for i > base && less(n, out[i-1]) {
		out[i] = out[i-1]
		i--
	}
	out[i] = n
	return out
}
