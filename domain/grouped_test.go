package domain

import "testing"

func TestGrouped(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {-999, "-999"}, {-1000, "-1,000"},
		{1234567, "1,234,567"}, {-1234567, "-1,234,567"}, {100000, "100,000"},
		{9223372036854775807, "9,223,372,036,854,775,807"},
	} {
		if got := Grouped(c.n); got != c.want {
			t.Errorf("Grouped(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

func TestGroupedDecimals(t *testing.T) {
	for _, c := range []struct {
		in, want string
	}{
		{"", ""}, {"0.5", "0.5"}, {"999.99", "999.99"}, {"1000.01", "1,000.01"},
		{"18006.87", "18,006.87"}, {"-1234.5", "-1,234.5"}, {"—", "—"},
	} {
		if got := GroupDigits(c.in); got != c.want {
			t.Errorf("GroupDigits(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// Hours keep their exact two decimals: 1,080,412 minutes are 18,006.87 h.
	for _, c := range []struct {
		m    Minutes
		want string
	}{
		{0, "0"}, {59940, "999"}, {60000, "1,000"}, {1080412, "18,006.87"}, {-60090, "-1,001.5"},
	} {
		if got := c.m.HoursGrouped(); got != c.want {
			t.Errorf("Minutes(%d).HoursGrouped() = %q, want %q", c.m, got, c.want)
		}
	}
	for _, c := range []struct {
		q    Quantity
		want string
	}{
		{0, "0"}, {99900, "999"}, {100000, "1,000"}, {123456789, "1,234,567.89"}, {-100050, "-1,000.5"},
	} {
		if got := c.q.Grouped(); got != c.want {
			t.Errorf("Quantity(%d).Grouped() = %q, want %q", c.q, got, c.want)
		}
	}
}
