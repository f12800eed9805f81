package domain_test

import (
	"strings"
	"testing"

	"vanguard/domain"
)

// TestVolunteerNumbers: numbers are stable under one key, distinct for
// distinct people, read back to the same person however they are typed,
// refuse a mistyped character, and differ under another key.
func TestVolunteerNumbers(t *testing.T) {
	c := domain.NewVolunteerCodec([]byte("key one"))
	other := domain.NewVolunteerCodec([]byte("key two"))
	seen := map[string]int64{}
	for _, id := range []int64{1, 2, 3, 57, 1000, 5716, 999_999, 1_000_000, 1<<40 - 1} {
		n := c.Number(id)
		if len(n) != 12 || !strings.HasPrefix(n, "XF") || n[6] != '-' {
			t.Fatalf("Number(%d) = %q; want XFxxxx-xxxxx", id, n)
		}
		if n != c.Number(id) {
			t.Fatalf("Number(%d) is not stable", id)
		}
		if prev, dup := seen[n]; dup {
			t.Fatalf("%d and %d share %s", prev, id, n)
		}
		seen[n] = id
		for _, typed := range []string{n, strings.ToLower(n), strings.ReplaceAll(n, "-", " "), " " + n[:4] + " " + n[4:] + " "} {
			if got, ok := c.ID(typed); !ok || got != id {
				t.Fatalf("ID(%q) = %d, %v; want %d", typed, got, ok, id)
			}
		}
		if other.Number(id) == n {
			t.Fatalf("two keys give %d the same number", id)
		}
		// One character changed is refused (the check character catches it).
		for i := 2; i < len(n); i++ {
			if n[i] == '-' {
				continue
			}
			b := []byte(n)
			if b[i] == '7' {
				b[i] = '8'
			} else {
				b[i] = '7'
			}
			if got, ok := c.ID(string(b)); ok && got == id {
				t.Fatalf("ID(%q) with position %d changed still gives %d", b, i, id)
			}
		}
	}
	// Neighbouring ids do not give neighbouring numbers.
	if a, b := c.Number(100), c.Number(101); a[:8] == b[:8] {
		t.Fatalf("numbers of 100 and 101 share a prefix: %s %s", a, b)
	}
	for _, bad := range []string{"", "XF", "123456789012", "XF3K7M-9QXP", "XFUUUU-UUUUU"} {
		if _, ok := c.ID(bad); ok {
			t.Fatalf("ID(%q) accepted", bad)
		}
	}
	if c.Number(0) != "" || c.Number(-1) != "" || c.Number(1<<40) != "" {
		t.Fatal("ids outside 1..2^40-1 have numbers")
	}
}

// TestVolunteerNumbersAreAPermutation: over a range of ids no two share a
// number and every number reads back.
func TestVolunteerNumbersAreAPermutation(t *testing.T) {
	c := domain.NewVolunteerCodec([]byte("k"))
	seen := make(map[string]bool, 20000)
	for id := int64(1); id <= 20000; id++ {
		n := c.Number(id)
		if seen[n] {
			t.Fatalf("duplicate %s at %d", n, id)
		}
		seen[n] = true
		if got, ok := c.ID(n); !ok || got != id {
			t.Fatalf("ID(Number(%d)) = %d, %v", id, got, ok)
		}
	}
}
