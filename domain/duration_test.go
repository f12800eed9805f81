package domain

import (
	"math/rand"
	"testing"
)

func exampleRule() *DurationRule {
	return &DurationRule{Version: 1, EffectiveOn: "2026-01-01", MinShare: 60, DailyMax: 8 * 60,
		Bands: []DurationBand{{Upto: 15, Counts: 0}, {Upto: 45, Counts: 30}, {Upto: 60, Counts: 60}}}
}

func TestCountMinutesExamples(t *testing.T) {
	r := exampleRule()
	cases := []struct {
		scheduled, attended, already Minutes
		want                         Minutes
		why                          string
	}{
		{120, 130, 0, 120, WhyAttended},
		{100, 71, 0, 60, WhyRounded},   // 1h11 → 1h (under 15 counts 0)
		{120, 80, 0, 90, WhyRounded},   // 1h20 → 1.5h
		{120, 110, 0, 120, WhyRounded}, // 1h50 → 2h
		{100, 75, 0, 90, WhyRounded},
		{120, 60, 0, 0, WhyShare}, // 50 % < 60 %
		{50, 49, 0, 50, WhySchedule},
		{600, 600, 300, 180, WhyDaily},
		{600, 600, 600, 0, WhyDaily},
	}
	for _, c := range cases {
		got := CountMinutes(r, c.scheduled, c.attended, c.already)
		if got.Minutes != c.want || got.Why != c.why {
			t.Errorf("CountMinutes(%d, %d, %d) = %+v, want %d %s", c.scheduled, c.attended, c.already, got, c.want, c.why)
		}
	}
	if got := CountMinutes(nil, 90, 95, 900); got.Minutes != 90 {
		t.Errorf("no rule: got %d, want the attended 90", got.Minutes)
	}
}

func randomRule(rnd *rand.Rand) *DurationRule {
	var bands []DurationBand
	lower, counts := 0, 0
	for lower < 60 {
		upto := lower + 1 + rnd.Intn(60-lower)
		if rnd.Intn(3) == 0 {
			upto = 60
		}
		c := counts + rnd.Intn(upto-counts+1)
		if rnd.Intn(2) == 0 {
			c = max(counts, min(lower, upto)) // no rounding up in this band
		}
		bands = append(bands, DurationBand{Upto: upto, Counts: c})
		lower, counts = upto, c
	}
	r := &DurationRule{Version: 1, EffectiveOn: "2026-01-01", Bands: bands, MinShare: rnd.Intn(101)}
	if rnd.Intn(4) > 0 {
		r.DailyMax = Minutes(rnd.Intn(int(MaxDailyMax) + 1))
	}
	return r
}

// TestCountMinutesProperties checks the bounds of time served on 10,000
// seeded random rules and attendances.
func TestCountMinutesProperties(t *testing.T) {
	rnd := rand.New(rand.NewSource(15))
	for i := 0; i < 10000; i++ {
		r := randomRule(rnd)
		if err := r.Validate(); err != nil {
			t.Fatalf("case %d: generated rule %+v invalid: %v", i, r.Bands, err)
		}
		scheduled := Minutes(rnd.Intn(16 * 60))
		attended := Minutes(rnd.Intn(int(scheduled) + 1))
		already := Minutes(rnd.Intn(10 * 60))
		got := CountMinutes(r, scheduled, attended, already).Minutes
		if got < 0 || got > scheduled {
			t.Fatalf("case %d: counted %d outside 0..scheduled %d (rule %+v, attended %d)", i, got, scheduled, r, attended)
		}
		if r.DailyMax > 0 && got+already > max(r.DailyMax, already) {
			t.Fatalf("case %d: counted %d + already %d over the daily maximum %d", i, got, already, r.DailyMax)
		}
		if !r.RoundsUp() && got > attended {
			t.Fatalf("case %d: counted %d over attended %d with no band rounding up (%v)", i, got, attended, r.Bands)
		}
		if more := attended + Minutes(rnd.Intn(60)+1); more <= scheduled {
			if got2 := CountMinutes(r, scheduled, more, already).Minutes; got2 < got {
				t.Fatalf("case %d: attending %d counts %d, less than %d for %d (%v)", i, more, got2, got, attended, r.Bands)
			}
		}
	}
}

func TestValidateDurationRule(t *testing.T) {
	for _, c := range []struct {
		bands string
		key   string
	}{
		{"15:0, 45:30, 60:60", ""},
		{"", "err.rules.bands_empty"},
		{"15:0, 45:30", "err.rules.bands_end"},
		{"15:0, 10:5, 60:60", "err.rules.bands_order"},
		{"15:20, 60:60", "err.rules.bands_counts"},
		{"15:10, 45:5, 60:60", "err.rules.bands_monotone"},
		{"15-0", "err.rules.bands_syntax"},
	} {
		_, err := ParseBands(c.bands)
		e, _ := AsError(err)
		switch {
		case c.key == "" && err != nil:
			t.Errorf("%q: unexpected %v", c.bands, err)
		case c.key != "" && (e == nil || e.Key != c.key):
			t.Errorf("%q: got %v, want %s", c.bands, err, c.key)
		}
	}
	r := exampleRule()
	r.MinShare, r.DailyMax, r.EffectiveOn = 101, 25*60, "2026-13-01"
	e, _ := AsError(r.Validate())
	if e == nil || e.Fields["min_share"] == nil || e.Fields["daily_max"] == nil || e.Fields["effective_on"] == nil {
		t.Errorf("Validate = %v, want faults in min_share, daily_max, effective_on", e)
	}
}
