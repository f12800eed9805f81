package domain_test

import (
	"math"
	"testing"

	"vanguard/domain"
)

// TestDistanceM checks the haversine distance against known pairs.
func TestDistanceM(t *testing.T) {
	for _, c := range []struct {
		name                   string
		lat1, lng1, lat2, lng2 float64
		want, tol              float64
	}{
		{"same point", 49.21, 119.76, 49.21, 119.76, 0, 0.001},
		{"one degree of latitude", 0, 0, 1, 0, 111195, 1},
		{"one degree of longitude at the equator", 0, 0, 0, 1, 111195, 1},
		{"Beijing–Shanghai", 39.9042, 116.4074, 31.2304, 121.4737, 1067300, 2000},
		{"Hailar–Manzhouli", 49.2116, 119.7658, 49.5978, 117.3789, 178500, 2000},
		{"100 m north in Hailar", 49.2116, 119.7658, 49.2116 + 100/111195.0, 119.7658, 100, 0.5},
		{"antipodes", 0, 0, 0, 180, math.Pi * 6371008.8, 1},
	} {
		got := domain.DistanceM(c.lat1, c.lng1, c.lat2, c.lng2)
		if math.Abs(got-c.want) > c.tol {
			t.Errorf("%s: got %.1f m, want %.1f ± %.1f", c.name, got, c.want, c.tol)
		}
		if back := domain.DistanceM(c.lat2, c.lng2, c.lat1, c.lng1); math.Abs(back-got) > 1e-6 {
			t.Errorf("%s: not symmetric: %f and %f", c.name, got, back)
		}
	}
}

// TestParsePosition: missing or out-of-range parts read as no position.
func TestParsePosition(t *testing.T) {
	if p, ok := domain.ParsePosition("49.2", "119.7", "15"); !ok || p.Lat != 49.2 || p.Accuracy != 15 {
		t.Fatalf("got %+v, %v", p, ok)
	}
	for _, bad := range [][2]string{{"", ""}, {"91", "0"}, {"0", "181"}, {"NaN", "1"}, {"x", "1"}} {
		if _, ok := domain.ParsePosition(bad[0], bad[1], ""); ok {
			t.Errorf("%q read as a position", bad)
		}
	}
	if err := (domain.GeoRule{Lat: 49.2, Lng: 119.7, Radius: 10}).Validate(); err == nil {
		t.Error("a 10 m radius was accepted")
	}
	if err := (domain.GeoRule{Lat: 49.2, Lng: 119.7, Radius: 200}).Validate(); err != nil {
		t.Errorf("a good rule: %v", err)
	}
}
