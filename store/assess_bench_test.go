package store

import (
	"context"
	"os"
	"testing"

	"vanguard/assess"
)

// BenchmarkAssessFactsAtScale times the assessment's facts queries on a
// generated database named by VANGUARD_BENCH_DSN (for example a copy of the
// province: createdb -T province province_assess); it is skipped without
// one. YEAR is 2026, the generator's default. It only reads.
//
//	VANGUARD_BENCH_DSN='postgres://postgres@127.0.0.1:5432/province_assess?sslmode=disable' \
//	  go test ./store -run XXX -bench AssessFactsAtScale -benchtime 3x
func BenchmarkAssessFactsAtScale(b *testing.B) {
	dsn := os.Getenv("VANGUARD_BENCH_DSN")
	if dsn == "" {
		b.Skip("VANGUARD_BENCH_DSN is not set")
	}
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const year = 2026
	var unit string
	if err := s.queryRow(ctx, `SELECT path FROM orgs WHERE kind = 'unit' ORDER BY id LIMIT 1`).Scan(&unit); err != nil {
		b.Fatal(err)
	}
	for _, rule := range assess.RecordRules {
		if rule == assess.RuleHours {
			continue
		}
		b.Run("rule="+string(rule), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.assessRows(ctx, year, rule, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("unit/rule="+string(rule), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.AssessRecords(ctx, year, rule, unit); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("categories", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.activityCategories(ctx, year); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("facts/level=2", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.AssessFacts(ctx, year, 2, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
}
