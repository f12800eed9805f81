package domain

import "testing"

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		year, from, to string
		want           Period
		field          string // the field of the fault, "" for none
	}{
		{"", "", "", YearPeriod(2026), ""},
		{"2025", "", "", Period{Year: 2025, From: "2025-01-01", To: "2025-12-31"}, ""},
		{"2025", "2026-03-01", "2026-03-31", Period{From: "2026-03-01", To: "2026-03-31"}, ""},
		{"19x", "", "", Period{}, "year"},
		{"1999", "", "", Period{}, "year"},
		{"", "2026-03-31", "2026-03-01", Period{}, "to"},
		{"", "2026-03-01", "", Period{}, "to"},
		{"", "2020-01-01", "2026-01-01", Period{}, "to"},
		{"", "2025-01-01", "2026-06-30", Period{}, "to"},
	}
	for _, tt := range tests {
		got, err := ParsePeriod(tt.year, tt.from, tt.to, "2026-12-07")
		e, _ := AsError(err)
		switch {
		case tt.field == "" && (err != nil || got != tt.want):
			t.Errorf("ParsePeriod(%q, %q, %q) = %+v, %v; want %+v", tt.year, tt.from, tt.to, got, err, tt.want)
		case tt.field != "" && (e == nil || (e.Field != tt.field && e.Fields[tt.field] == nil)):
			t.Errorf("ParsePeriod(%q, %q, %q): %v, want a fault of %s", tt.year, tt.from, tt.to, err, tt.field)
		}
	}
	start, end := YearPeriod(2026).Bounds()
	if start.UTC().Format("2006-01-02 15") != "2025-12-31 16" || end.Sub(start).Hours() != 365*24 {
		t.Errorf("bounds of 2026: %v – %v, want China days", start, end)
	}
}
