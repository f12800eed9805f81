package store_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// benchStores returns the stores a benchmark runs on: SQLite always,
// PostgreSQL when VANGUARD_TEST_POSTGRES is set.
func benchStores(b *testing.B) map[string]func(b *testing.B) *store.Store {
	m := map[string]func(b *testing.B) *store.Store{"sqlite": func(b *testing.B) *store.Store { return storetest.SQLite(b) }}
	if os.Getenv(storetest.EnvPostgres) != "" {
		m["postgres"] = func(b *testing.B) *store.Store { return storetest.Postgres(b) }
	}
	return m
}

// BenchmarkAuditedWrite measures one committed, audited write transaction:
// the cost floor of every change a user makes.
func BenchmarkAuditedWrite(b *testing.B) {
	for name, open := range benchStores(b) {
		b.Run(name, func(b *testing.B) {
			s := open(b)
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				err := s.Write(ctx, actor, func(tx *store.Tx) error {
					return tx.SetSetting("bench", strconv.Itoa(i))
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkListAudit measures the audit page's query, filtered by action
// prefix, over 50,000 rows.
func BenchmarkListAudit(b *testing.B) {
	for name, open := range benchStores(b) {
		b.Run(name, func(b *testing.B) {
			s := open(b)
			ctx := context.Background()
			err := s.Write(ctx, actor, func(tx *store.Tx) error {
				for i := 0; i < 50000; i++ {
					action := "user.login"
					if i%10 == 0 {
						action = "user.login_failed"
					}
					if err := tx.Audit(action, "user", strconv.Itoa(i%500), nil, map[string]any{"i": i}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				es, err := s.ListAudit(ctx, domain.AuditFilter{Action: "user.login_f", Limit: 100})
				if err != nil || len(es) != 100 {
					b.Fatalf("ListAudit = %d rows, %v", len(es), err)
				}
			}
		})
	}
}
