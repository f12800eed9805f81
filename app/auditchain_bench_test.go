package app_test

import (
	"context"
	"path/filepath"
	"testing"

	"vanguard/app"
	"vanguard/store"
	"vanguard/store/storetest"
)

// BenchmarkVerifyAuditChainDemo walks the audit chain of the demo city
// (what /admin/audit and `vanguard verify` do), on SQLite and, with
// VANGUARD_TEST_POSTGRES, PostgreSQL:
//
//	go test ./app -run '^$' -bench VerifyAuditChainDemo -benchmem
func BenchmarkVerifyAuditChainDemo(b *testing.B) {
	for _, db := range []struct {
		name string
		dsn  func(testing.TB) string
	}{{"sqlite", func(tb testing.TB) string { return filepath.Join(tb.TempDir(), "vanguard.db") }},
		{"postgres", storetest.PostgresDSN}} {
		b.Run(db.name, func(b *testing.B) {
			m, err := openAppCfg(b, app.Config{DB: db.dsn(b), DataDir: b.TempDir(), Demo: true})
			if err != nil {
				b.Fatal(err)
			}
			defer m.Close()
			var rep store.AuditChainReport
			for b.Loop() {
				if rep, err = m.VerifyAuditChain(context.Background()); err != nil || !rep.Intact {
					b.Fatalf("%+v, %v", rep, err)
				}
			}
			b.ReportMetric(float64(rep.Rows), "rows")
		})
	}
}
