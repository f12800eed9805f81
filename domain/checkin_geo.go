package domain

import (
	"math"
	"strconv"
)

// Check-in that resists fraud (issue 15 item 5): an activity may require
// the volunteer's position within a radius of its place, and each check-in
// may carry a flag the leader reviews.

// Bounds of a required radius, in metres: under 50 m a phone's own error
// refuses honest volunteers; over 5 km the check means nothing.
const (
	MinGeoRadius = 50
	MaxGeoRadius = 5000
)

// earthRadiusM is the mean radius of the earth in metres (IUGG).
const earthRadiusM = 6371008.8

// DistanceM is the great-circle distance in metres between two points
// given in degrees, by the haversine formula.
func DistanceM(lat1, lng1, lat2, lng2 float64) float64 {
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLng := (lng2 - lng1) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadiusM * math.Asin(math.Min(1, math.Sqrt(h)))
}

// GeoRule is an activity's location requirement; Radius 0 requires none.
type GeoRule struct {
	Lat, Lng float64
	Radius   int // metres
}

// Required reports whether check-in needs the volunteer's position.
func (g GeoRule) Required() bool { return g.Radius > 0 }

// Validate checks a rule before it is saved; errors name the fields.
func (g GeoRule) Validate() error {
	if g.Radius == 0 {
		return nil
	}
	var v Validation
	v.Check(g.Lat >= -90 && g.Lat <= 90 && !(g.Lat == 0 && g.Lng == 0), "geo_lat", "err.checkin2.lat")
	v.Check(g.Lng >= -180 && g.Lng <= 180, "geo_lng", "err.checkin2.lng")
	v.Check(g.Radius >= MinGeoRadius && g.Radius <= MaxGeoRadius, "geo_radius", "err.checkin2.radius", MinGeoRadius, MaxGeoRadius)
	return v.Err()
}

// Position is where the browser says the volunteer is.
type Position struct {
	Lat, Lng float64
	Accuracy float64 // metres, as reported; 0 unknown
}

// ParsePosition reads a position posted as text; ok is false when any part
// is missing or out of range (location denied or unavailable).
func ParsePosition(lat, lng, acc string) (Position, bool) {
	la, err1 := strconv.ParseFloat(lat, 64)
	ln, err2 := strconv.ParseFloat(lng, 64)
	if err1 != nil || err2 != nil || math.IsNaN(la) || math.IsNaN(ln) || la < -90 || la > 90 || ln < -180 || ln > 180 {
		return Position{}, false
	}
	a, err := strconv.ParseFloat(acc, 64)
	if err != nil || a < 0 || math.IsNaN(a) || math.IsInf(a, 0) {
		a = 0
	}
	return Position{Lat: la, Lng: ln, Accuracy: a}, true
}

// String is the position as stored with a check-in: "lat,lng,accuracy".
func (p Position) String() string {
	f := func(x float64, prec int) string { return strconv.FormatFloat(x, 'f', prec, 64) }
	return f(p.Lat, 6) + "," + f(p.Lng, 6) + "," + f(p.Accuracy, 0)
}

// Check-in flags: why a check-in needs the leader's eye. Each has a
// catalogue key "checkin2.flag.<flag>".
const (
	FlagSharedDevice = "shared_device" // the same phone checked in another person
	FlagOtherDevice  = "other_device"  // posted from a phone other than the one that opened the page
	FlagGeoOverride  = "geo_override"  // the leader checked the person in by hand, with a reason
)
