package service_test

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

var ledgerActor = domain.Actor{Username: "loader", Role: "system"}

// loadRegisterOrders writes n hotline orders of 2026, every third rejected,
// every other one dispatched to a team that declined, in batches.
func loadRegisterOrders(tb testing.TB, s *store.Store, n int) {
	tb.Helper()
	ctx := context.Background()
	err := s.Write(ctx, ledgerActor, func(tx *store.Tx) error {
		root, err := tx.CreateOrg(0, "committee", "市直机关工委")
		if err != nil {
			return err
		}
		site, err := tx.CreateSite(domain.Site{OrgID: root, Kind: domain.SiteCommunity, Name: "建设社区"})
		if err != nil {
			return err
		}
		cats, err := s.ListCategories(ctx, false)
		if err != nil {
			return err
		}
		team, err := tx.CreateTeam(domain.Team{OrgID: root, Kind: domain.TeamParty, Name: "先锋队", Categories: []int64{cats[0].ID}})
		if err != nil {
			return err
		}
		item, err := tx.CreateMenuItem(domain.MenuItem{Title: "义诊", CategoryID: cats[0].ID, Kind: domain.MenuProfessional,
			Term: domain.TermShort, Volunteers: 4, Active: true, TeamIDs: []int64{team}})
		if err != nil {
			return err
		}
		start := time.Date(2026, 1, 1, 2, 0, 0, 0, time.UTC)
		for lo := 0; lo < n; lo += 5000 {
			var orders []store.PastOrder
			for i := lo; i < min(n, lo+5000); i++ {
				at := start.Add(time.Duration(i) * 20 * time.Minute % (360 * 24 * time.Hour))
				o := store.PastOrder{NewOrder: store.NewOrder{Code: fmt.Sprintf("code-%d", i), OrderInput: domain.OrderInput{
					Channel: domain.ChannelHotline, RequesterName: fmt.Sprintf("牧民%d", i), RequesterPhone: fmt.Sprintf("138%08d", i),
					SiteID: site, DateFrom: "2026-06-01", DateTo: "2026-06-30", Beneficiaries: 20, ItemIDs: []int64{item}}},
					CreatedAt: at, State: domain.OrderAccepted,
					Steps: []store.PastStep{{Event: domain.EventAccept, Actor: "工委", At: at.Add(time.Hour)}}}
				switch {
				case i%3 == 1:
					o.State, o.Steps = domain.OrderRejected, []store.PastStep{{Event: domain.EventReject, Reason: "超出服务范围", At: at.Add(time.Hour)}}
				case i%2 == 0:
					o.Steps = append(o.Steps, store.PastStep{Event: domain.EventDispatch, At: at.Add(2 * time.Hour)},
						store.PastStep{Event: domain.EventDecline, At: at.Add(3 * time.Hour)})
					o.Dispatches = []store.PastDispatch{{CategoryID: cats[0].ID, TeamID: team, PersonDays: 1,
						State: domain.DispatchDeclined, Reason: "人手不足", At: at.Add(2 * time.Hour), AnsweredAt: at.Add(3 * time.Hour)}}
				}
				orders = append(orders, o)
			}
			if err := tx.LoadPastOrders(orders); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

func committeeCaller() domain.Caller {
	return domain.Caller{Principal: domain.Principal{UserID: 1, Username: "admin",
		Grants: []domain.Grant{{Role: domain.RoleCommitteeAdmin}}}, IP: "127.0.0.1", RequestID: "t"}
}

func isForbidden(err error) bool {
	e, ok := domain.AsError(err)
	return ok && e.Code == domain.CodeForbidden
}

func plainTr(key string, args ...any) string { return key }

// TestOrderRegisterExport writes a year's register and opens it: one sheet,
// a header and one row per order, phones masked; an org admin may not.
func TestOrderRegisterExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadRegisterOrders(t, s, 30)
		svc := service.New(s, fast, make([]byte, 32), nil)
		ctx := context.Background()
		orgAdmin := domain.Caller{Principal: domain.Principal{UserID: 2, Username: "nmj-admin",
			Grants: []domain.Grant{{Role: domain.RoleOrgAdmin, ScopeID: 1, OrgPath: "/1/"}}}}
		if _, err := svc.ExportOrderRegister(ctx, orgAdmin, domain.YearPeriod(2026), plainTr); !isForbidden(err) {
			t.Fatalf("org admin export: %v, want forbidden", err)
		}
		ex, err := svc.ExportOrderRegister(ctx, committeeCaller(), domain.YearPeriod(2026), plainTr)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := ex.Book.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		ex.Book.Close()
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) != 1 || sheets[0] != "ledger.sheet.register" {
			t.Fatalf("sheets %v", sheets)
		}
		rows, err := f.GetRows(sheets[0])
		if err != nil || len(rows) != 31 || ex.Rows != 30 {
			t.Fatalf("%d rows (%d reported), %v; want a header and 30", len(rows), ex.Rows, err)
		}
		if rows[1][0] != "000001" || rows[1][5] != "138****0000" || rows[2][8] != "ledger.review.reject" || rows[2][10] != "超出服务范围" {
			t.Errorf("first rows %q / %q", rows[1], rows[2])
		}
		if rows[1][13] != "先锋队 2026-01-01 13:00 人手不足" {
			t.Errorf("decline cell %q", rows[1][13])
		}
	})
}

// BenchmarkOrderRegisterExport streams the register of 20,000 orders of a
// year into an xlsx (SQLite; PostgreSQL too when VANGUARD_TEST_POSTGRES is
// set), reporting allocations and the peak heap in use while it runs. The
// province figure (100k+ orders) is measured with bench/ on PostgreSQL.
//
//	go test -run '^$' -bench BenchmarkOrderRegisterExport -benchtime 3x ./service/
func BenchmarkOrderRegisterExport(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			var s *store.Store
			if db == "sqlite" {
				s = storetest.SQLite(b)
			} else {
				s = storetest.Postgres(b)
			}
			loadRegisterOrders(b, s, 20_000)
			svc := service.New(s, fast, make([]byte, 32), nil)
			ctx := context.Background()
			var peak atomic.Uint64
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				var m runtime.MemStats
				for {
					select {
					case <-stop:
						return
					case <-time.After(5 * time.Millisecond):
					}
					runtime.ReadMemStats(&m)
					if m.HeapInuse > peak.Load() {
						peak.Store(m.HeapInuse)
					}
				}
			}()
			b.ReportAllocs()
			b.ResetTimer()
			var size int
			for range b.N {
				ex, err := svc.ExportOrderRegister(ctx, committeeCaller(), domain.YearPeriod(2026), plainTr)
				if err != nil {
					b.Fatal(err)
				}
				var buf bytes.Buffer
				if _, err := ex.Book.WriteTo(&buf); err != nil {
					b.Fatal(err)
				}
				ex.Book.Close()
				if ex.Rows != 20_000 {
					b.Fatalf("%d rows", ex.Rows)
				}
				size = buf.Len()
			}
			b.StopTimer()
			close(stop)
			wg.Wait()
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(size)/(1<<20), "xlsx-MB")
		})
	}
}
