package domain

import (
	"testing"
	"time"
)

func TestMinutesHours(t *testing.T) {
	for _, c := range []struct {
		m    Minutes
		want string
	}{
		{0, "0"}, {1, "0.02"}, {30, "0.5"}, {60, "1"}, {90, "1.5"}, {100, "1.67"},
		{1004, "16.73"}, {1005, "16.75"}, {1859, "30.98"}, {2215, "36.92"},
		{6000, "100"}, {5999, "99.98"}, {-90, "-1.5"},
	} {
		if got := c.m.Hours(); got != c.want {
			t.Errorf("Minutes(%d).Hours() = %q, want %q", c.m, got, c.want)
		}
	}
}

// TestMinutesSumExactly is the fault seen on the walk: hours summed as
// floats printed 16.740000000000002; minutes sum and print exactly.
func TestMinutesSumExactly(t *testing.T) {
	var f float64
	var m Minutes
	for _, h := range []float64{3.3, 4.62, 8.82} {
		f += h
	}
	for _, x := range []Minutes{198, 277, 529} { // 3.3 h, 4.62 h (4 h 37 min), 8.82 h (8 h 49 min)
		m += x
	}
	if f == 16.74 {
		t.Fatalf("the float sum happened to be exact; pick other figures")
	}
	if got := m.Hours(); got != "16.73" || len(got) > 5 {
		t.Fatalf("sum = %q, want 16.73", got)
	}
}

func TestParseHours(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Minutes
		ok   bool
	}{
		{"1.5", 90, true}, {"2", 120, true}, {" 0.25 ", 15, true}, {"16.74", 1004, true},
		{"１．５", 90, true}, {"1,5", 90, true}, {".5", 30, true}, {"3.", 180, true},
		{"0.008", 0, true}, {"0.009", 1, true},
		{"", 0, false}, {".", 0, false}, {"-1", 0, false}, {"1e3", 0, false}, {"abc", 0, false},
		{"1.2.3", 0, false}, {"NaN", 0, false}, {"1234567890123", 0, false},
	} {
		got, ok := ParseHours(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseHours(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestMinutesIn(t *testing.T) {
	if got := MinutesIn(3*time.Hour - time.Nanosecond); got != 179 {
		t.Fatalf("MinutesIn(3h-1ns) = %d, want 179", got)
	}
	if got := MinutesIn(-time.Hour); got != 0 {
		t.Fatalf("MinutesIn(-1h) = %d", got)
	}
}
