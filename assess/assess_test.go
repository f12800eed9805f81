package assess

import (
	"testing"

	"vanguard/domain"
)

func TestPointsText(t *testing.T) {
	for _, c := range []struct {
		p    Points
		want string
	}{{0, "0"}, {150, "1.5"}, {125, "1.25"}, {-25, "-0.25"}, {1200, "12"}, {-300, "-3"}} {
		if got := c.p.String(); got != c.want {
			t.Errorf("Points(%d) = %q, want %q", c.p, got, c.want)
		}
	}
	for _, c := range []struct {
		in   string
		neg  bool
		want Points
		ok   bool
	}{{"1.5", false, 150, true}, {"２", false, 200, true}, {"0.05", false, 5, true}, {"-2", true, -200, true},
		{"-2", false, 0, false}, {"1.234", false, 0, false}, {"x", false, 0, false}, {"", false, 0, false}, {".5", false, 50, true}} {
		got, ok := ParsePoints(c.in, c.neg)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("ParsePoints(%q, %v) = %d, %v; want %d, %v", c.in, c.neg, got, ok, c.want, c.ok)
		}
	}
}

func TestTiers(t *testing.T) {
	ts := []Tier{{Upto: 100, Per: 5}, {Upto: 300, Per: 2}, {Upto: 0, Per: 1}}
	for _, c := range []struct {
		q    int64
		want Points
	}{{0, 0}, {1, 5}, {100, 500}, {101, 502}, {300, 900}, {301, 901}, {1000, 1600}} {
		if got := tiered(ts, c.q, 1); got != c.want {
			t.Errorf("tiered(%d) = %d, want %d", c.q, got, c.want)
		}
	}
	// Hours in minutes: 0.02 points per hour for the first 10 hours, then
	// nothing; 90 minutes earn 0.03, rounded half up per band.
	hs := []Tier{{Upto: 10, Per: 2}}
	for _, c := range []struct {
		min  int64
		want Points
	}{{90, 3}, {15, 1}, {14, 0}, {600, 20}, {6000, 20}} {
		if got := tiered(hs, c.min, 60); got != c.want {
			t.Errorf("tiered hours(%d min) = %d, want %d", c.min, got, c.want)
		}
	}
}

func lineOf(r Result, rule Rule) (Line, bool) {
	for _, l := range r.Lines {
		if l.Rule == rule {
			return l, true
		}
	}
	return Line{}, false
}

func TestScoreWeightsCapDeductions(t *testing.T) {
	r := Rules{OwnActivity: 100, GroupService: 200, Batch: 50, EvalThreshold: 450, EvalMinCount: 2, EvalPoints: 300,
		Declined: 50, Overdue: 25, Complaint: 100, Weights: map[int64]int64{7: 150, 8: 50}}
	f := Facts{OrgID: 4, Year: 2026,
		OwnActivities: []Activity{{ID: 1, Categories: []int64{7}}, {ID: 2, Categories: []int64{8}}, {ID: 3, Categories: []int64{7, 8}}, {ID: 4}},
		GroupServices: []Activity{{ID: 9, Categories: []int64{8}}},
		Batches:       2, RatingSum: 9, RatingCount: 2, Declined: 1, Overdue: 2, Upheld: 1}
	s := Score(r, f)
	// own: 1.5 + 0.5 + 1.5 (highest weight) + 1 = 4.5; group: 2 × 0.5 = 1;
	// batches 1; evaluation 4.5 ≥ 4.5 with 2 ratings: 3 → 9.5 bonus;
	// deductions 0.5 + 0.5 + 1 = 2 → 7.5.
	want := map[Rule]Points{RuleOwnActivity: 450, RuleGroupService: 100, RuleBatch: 100, RuleEvaluation: 300,
		RuleDeclined: -50, RuleOverdue: -50, RuleComplaint: -100}
	for rule, p := range want {
		l, ok := lineOf(s, rule)
		if !ok || l.Points != p {
			t.Errorf("line %s = %+v, want %d points", rule, l, p)
		}
	}
	if s.Total != 750 {
		t.Fatalf("total = %d, want 750", s.Total)
	}
	if l, _ := lineOf(s, RuleEvaluation); l.Quantity != 450 {
		t.Errorf("evaluation quantity %d, want 450 (the average)", l.Quantity)
	}
	if l, _ := lineOf(s, RuleOwnActivity); l.Link != "/assessment/orgs/4/records?year=2026&rule=own_activity" {
		t.Errorf("link %q", l.Link)
	}
	// The cap takes bonus points off before deductions.
	r.Cap = 500
	s = Score(r, f)
	if l, ok := lineOf(s, RuleCap); !ok || l.Points != -450 {
		t.Errorf("cap line %+v, want -450", l)
	}
	if s.Total != 300 {
		t.Errorf("capped total %d, want 500 - 200 = 300", s.Total)
	}
	// One rating too few: no evaluation points, the line still shows the average.
	r.Cap, f.RatingCount, f.RatingSum = 0, 1, 5
	s = Score(r, f)
	if l, ok := lineOf(s, RuleEvaluation); !ok || l.Points != 0 || l.Quantity != 500 {
		t.Errorf("evaluation line %+v, want 0 points at 5.00", l)
	}
	// Adjustments come on top, after the cap, in id order.
	r.Cap = 100
	s = Evaluate(r, f, []Adjustment{{ID: 9, Points: 250, Reason: "b"}, {ID: 3, Points: -100, Reason: "a"}})
	n := len(s.Lines)
	if s.Lines[n-2].AdjustmentID != 3 || s.Lines[n-1].AdjustmentID != 9 {
		t.Errorf("adjustment lines out of order: %+v", s.Lines[n-2:])
	}
	if s.Total != 100-200+150 {
		t.Errorf("total with adjustments %d, want %d", s.Total, 100-200+150)
	}
	again := WithAdjustments(s, nil)
	if again.Total != 100-200 {
		t.Errorf("without adjustments %d", again.Total)
	}
}

func TestScoreEmpty(t *testing.T) {
	s := Score(Default(), Facts{OrgID: 1, Year: 2026})
	if s.Total != 0 || len(s.Lines) != 0 {
		t.Fatalf("empty facts scored %+v", s)
	}
}

func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	e, ok := domain.AsError(err)
	if !ok {
		t.Fatalf("not an application error: %v", err)
	}
	out := map[string]string{}
	if e.Fields == nil {
		out[e.Field] = e.Key
	}
	for f, x := range e.Fields {
		out[f] = x.Key
	}
	return out
}

func TestValidate(t *testing.T) {
	if err := Validate(Default()); err != nil {
		t.Fatalf("default rules invalid: %v", err)
	}
	r := Default()
	r.Cap = -1
	r.OwnActivity = -5
	r.PersonTimes = []Tier{{Upto: 100, Per: 5}, {Upto: 100, Per: 2}}
	r.Hours = []Tier{{Upto: 0, Per: 1}, {Upto: 50, Per: 1}}
	r.Weights = map[int64]int64{3: 0}
	r.EvalThreshold = 600
	got := fieldsOf(t, Validate(r))
	want := map[string]string{"cap": "err.assess.negative_cap", "own_activity": "err.assess.negative",
		"person_times_upto_2": "err.assess.tier_order", "hours_upto_1": "err.assess.tier_open",
		"weight_3": "err.assess.weight", "eval_threshold": "err.assess.threshold"}
	for f, k := range want {
		if got[f] != k {
			t.Errorf("field %s: got %q, want %q (all: %v)", f, got[f], k, got)
		}
	}
}

func TestFormRoundTrip(t *testing.T) {
	r := Default()
	r.Weights = map[int64]int64{2: 150}
	f := FormOf(r, []int64{1, 2})
	back, err := f.Rules([]int64{1, 2})
	if err != nil {
		t.Fatalf("form of the default rules: %v", err)
	}
	if FormOf(back, []int64{1, 2})["weight_2"] != "1.5" || back.Weights[1] != 0 || len(back.PersonTimes) != 2 ||
		back.Cap != r.Cap || back.EvalThreshold != 450 {
		t.Fatalf("round trip changed the rules: %+v", back)
	}
	f["own_activity"] = "abc"
	f["person_times_upto_1"] = "1.5"
	got := fieldsOf(t, func() error { _, err := f.Rules([]int64{1, 2}); return err }())
	if got["own_activity"] != "err.assess.number" || got["person_times_upto_1"] != "err.assess.whole" {
		t.Fatalf("form faults %v", got)
	}
}
