package views

import (
	"testing"

	"vanguard/service"
	"vanguard/store"
)

// A long breakdown keeps its StatsRowCap rows with the most person-times,
// in their own order; a short one, or one asked for in full, keeps all.
func TestCapRows(t *testing.T) {
	var rows []service.StatsRow
	n := StatsRowCap + 15
	for i := range n {
		// Person-times rise and fall so that the largest are not a prefix
		// (37 and n share no factor, so each value appears once).
		pt := int64((i * 37) % n)
		rows = append(rows, service.StatsRow{Key: int64(i), StatsMeasure: store.StatsMeasure{PersonTimes: pt, Activities: i}})
	}
	got := CapRows(rows, false)
	if len(got) != StatsRowCap {
		t.Fatalf("kept %d rows, want %d", len(got), StatsRowCap)
	}
	for i, r := range got {
		if r.PersonTimes < int64(n-StatsRowCap) {
			t.Errorf("row %d: person-times %d is not among the %d largest", i, r.PersonTimes, StatsRowCap)
		}
		if i > 0 && got[i-1].Key >= r.Key {
			t.Errorf("rows out of their order: %d before %d", got[i-1].Key, r.Key)
		}
	}
	if len(CapRows(rows, true)) != len(rows) || len(CapRows(rows[:StatsRowCap], false)) != StatsRowCap {
		t.Error("a breakdown asked for in full, or short enough, lost rows")
	}
}
