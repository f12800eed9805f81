package domain

import "testing"

func TestOrderNumber(t *testing.T) {
	if got := OrderNumber(123); got != "000123" {
		t.Errorf("OrderNumber(123) = %q, want 000123", got)
	}
	if got := OrderNumber(12345678); got != "12345678" {
		t.Errorf("OrderNumber(12345678) = %q", got)
	}
	for in, want := range map[string]int64{"000123": 123, "123": 123, " 000 123 ": 123, "No.000123": 123,
		"#123": 123, "０００１２３": 123, "NO 123": 123} {
		if got, ok := ParseOrderNumber(in); !ok || got != want {
			t.Errorf("ParseOrderNumber(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "0", "000", "12a", "-5", "1234567890123", "一二三"} {
		if got, ok := ParseOrderNumber(in); ok {
			t.Errorf("ParseOrderNumber(%q) = %d, want no number", in, got)
		}
	}
	for in, want := range map[string]string{"13912345678": "5678", "139 1234 5678": "5678", "123": "", "１３９１２３４５６７８": "5678"} {
		if got := PhoneLast4(in); got != want {
			t.Errorf("PhoneLast4(%q) = %q, want %q", in, got, want)
		}
	}
}
