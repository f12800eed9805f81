package domain

import (
	"strings"
	"testing"
	"time"
)

func TestParseQuantity(t *testing.T) {
	for in, want := range map[string]Quantity{
		"250": 25000, "0.5": 50, ".5": 50, "5.": 500, "2.25": 225, "1,200": 120000, "１２０": 12000, "０．３": 30,
		" 7 ": 700, "0": 0, "5000": 500000,
	} {
		if got, ok := ParseQuantity(in); !ok || got != want {
			t.Errorf("ParseQuantity(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "-1", "abc", "1.234", "1e3", ".", "1.2.3", "１２0x", "9999999999999"} {
		if got, ok := ParseQuantity(in); ok {
			t.Errorf("ParseQuantity(%q) = %d, want refused", in, got)
		}
	}
	for q, want := range map[Quantity]string{0: "0", 25000: "250", 50: "0.5", 5: "0.05", 225: "2.25", 200: "2", 30: "0.3", -150: "-1.5"} {
		if got := q.String(); got != want {
			t.Errorf("Quantity(%d).String() = %q, want %q", q, got, want)
		}
	}
}

func TestOutcomeFormParse(t *testing.T) {
	ms := []Metric{{ID: 1, Code: "trees_planted"}, {ID: 2, Code: "garbage_tons"}}
	o, err := OutcomeForm{Beneficiaries: "120", Narrative: "  植树  ", Values: map[int64]string{1: "300", 2: "0"}}.Parse(ms)
	if err != nil || o.Beneficiaries != 120 || o.Narrative != "植树" || len(o.Values) != 1 || o.Value(1) != Units(300) {
		t.Errorf("good form = %+v, %v", o, err)
	}
	_, err = OutcomeForm{Beneficiaries: "1.5", Narrative: strings.Repeat("字", OutcomeNarrativeMax+1),
		Values: map[int64]string{1: "x", 2: "99999999", 3: "1"}}.Parse(ms)
	e, ok := AsError(err)
	if !ok {
		t.Fatalf("bad form: %v", err)
	}
	for _, f := range []string{"beneficiaries", "narrative", "metric_1", "metric_2", "metric_3"} {
		if e.Fields[f] == nil {
			t.Errorf("no fault on %s: %v", f, e.Fields)
		}
	}
	if f := (Outcome{Beneficiaries: 3, Values: []OutcomeValue{{1, 50}}}).Form(); f.Beneficiaries != "3" || f.Values[1] != "0.5" {
		t.Errorf("Form() = %+v", f)
	}
}

func TestOutcomeOpen(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	a := Activity{State: ActivityScheduled, StartsAt: now.Add(time.Hour)}
	if e, _ := AsError(OutcomeOpen(a, now)); e == nil || e.Key != "err.outcome.not_started" {
		t.Errorf("before the start: %v", e)
	}
	a.StartsAt = now.Add(-time.Hour)
	if err := OutcomeOpen(a, now); err != nil {
		t.Errorf("under way: %v", err)
	}
	a.State = ActivityCompleted
	if err := OutcomeOpen(a, now); err != nil {
		t.Errorf("completed: %v", err)
	}
	a.State = ActivityCancelled
	if e, _ := AsError(OutcomeOpen(a, now)); e == nil || e.Key != "err.outcome.cancelled" {
		t.Errorf("cancelled: %v", e)
	}
}

func TestMetricValidate(t *testing.T) {
	m, err := Metric{Code: " wells_2 ", NameZH: "打井", NameEN: "Wells", UnitZH: "眼", UnitEN: "wells", Sort: 10}.Validate(true)
	if err != nil || m.Code != "wells_2" {
		t.Errorf("good metric: %+v, %v", m, err)
	}
	_, err = Metric{Code: "2wells", UnitZH: strings.Repeat("米", MetricUnitMax+1), Sort: -1}.Validate(true)
	e, _ := AsError(err)
	for _, f := range []string{"code", "name_zh", "name_en", "unit_zh", "unit_en", "sort"} {
		if e == nil || e.Fields[f] == nil {
			t.Errorf("no fault on %s", f)
		}
	}
}
