package store_test

import (
	"context"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// The sign-up and check-in benchmarks run on SQLite and, when
// VANGUARD_TEST_POSTGRES is set, on PostgreSQL, each beside the raw commit
// rate of the same database (BenchmarkCommit), so that a figure reads as a
// fraction of what the database can commit at all. Run them with, e.g.:
//
//	go test ./store -run XXX -bench 'Signup|Commit|CheckIn' -benchtime 3000x
//
// Parallel benchmarks run benchParallelism goroutines per CPU, all on one
// activity: that is the contention of a popular activity opening.
const benchParallelism = 16

// BenchmarkCommit is the raw commit rate: one audited single-row insert per
// transaction through store.Write, serially and from many goroutines.
func BenchmarkCommit(b *testing.B) {
	for name, open := range benchStores(b) {
		b.Run(name+"/serial", func(b *testing.B) {
			s := open(b)
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := s.Write(ctx, actor, func(tx *store.Tx) error {
					return tx.Audit("bench.commit", "bench", strconv.Itoa(i), nil, nil)
				}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
		})
		b.Run(name+"/parallel", func(b *testing.B) {
			s := open(b)
			ctx := context.Background()
			b.SetParallelism(benchParallelism)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := s.Write(ctx, actor, func(tx *store.Tx) error {
						return tx.Audit("bench.commit", "bench", "", nil, nil)
					}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
		})
	}
}

// parallelCommits measures the raw commit rate of s right now, as
// BenchmarkCommit's parallel case does, with n commits. The sign-up and
// check-in benchmarks call it right after their timed part, so that each
// figure comes with the commit rate of the same database in the same
// minute: on a shared machine the disk's speed drifts between runs.
func parallelCommits(b *testing.B, s *store.Store, n int) float64 {
	ctx := context.Background()
	var left atomic.Int64
	left.Store(int64(n))
	workers := benchParallelism * runtime.GOMAXPROCS(0)
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for left.Add(-1) >= 0 {
				if err := s.Write(ctx, actor, func(tx *store.Tx) error {
					return tx.Audit("bench.commit", "bench", "", nil, nil)
				}); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return float64(n) / time.Since(start).Seconds()
}

// reportBeside reports what per second and, beside it, the raw commit rate
// of the same database measured just after, and the ratio of the two.
func reportBeside(b *testing.B, s *store.Store, unit string) {
	rate := float64(b.N) / b.Elapsed().Seconds()
	b.StopTimer()
	commits := parallelCommits(b, s, max(b.N, 200))
	b.ReportMetric(rate, unit)
	b.ReportMetric(commits, "commits/s")
	b.ReportMetric(rate/commits, "of-commits")
}

// BenchmarkSignup: b.N distinct people sign up at once. "open": for one
// activity with places for everyone (a new activity every 10,000 sign-ups,
// the largest capacity); "full": for one activity whose one place is
// taken, so every sign-up joins the waitlist; "spread": for 32 activities
// with places, round robin, so that they do not all queue on one row.
func BenchmarkSignup(b *testing.B) {
	for name, open := range benchStores(b) {
		for _, kind := range []string{"open", "full", "spread"} {
			full := kind == "full"
			b.Run(name+"/"+kind, func(b *testing.B) {
				s := open(b)
				f := newActFixture(b, s)
				start := time.Now().Add(48 * time.Hour)
				var acts []int64
				per := domain.MaxActivityCapacity
				switch kind {
				case "full":
					acts, per = []int64{f.activity(b, domain.ModeUnit, 1, start)}, b.N+1
					if _, err := f.signUp(acts[0], f.people(b, 1)[0], false); err != nil {
						b.Fatal(err)
					}
				case "open":
					for i := 0; i < b.N; i += per {
						acts = append(acts, f.activity(b, domain.ModeUnit, per, start))
					}
				case "spread":
					for range 32 {
						acts = append(acts, f.activity(b, domain.ModeUnit, per, start))
					}
				}
				which := func(i int) int64 {
					if kind == "spread" {
						return acts[i%len(acts)]
					}
					return acts[i/per]
				}
				ps := f.people(b, b.N)
				var next atomic.Int64
				b.SetParallelism(benchParallelism)
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						i := int(next.Add(1) - 1)
						st, err := f.signUp(which(i), ps[i], false)
						if err != nil || (full && st != domain.SignupWaitlisted) || (!full && st != domain.SignupConfirmed) {
							b.Errorf("sign-up %d: %s, %v", i, st, err)
							return
						}
					}
				})
				reportBeside(b, s, "signups/s")
				for _, a := range acts {
					f.checkCapacity(b, a)
				}
			})
		}
	}
}

// BenchmarkCheckIn: b.N distinct people check in to one activity at once,
// each a transaction of its own.
func BenchmarkCheckIn(b *testing.B) {
	for name, open := range benchStores(b) {
		b.Run(name, func(b *testing.B) {
			s := open(b)
			f := newActFixture(b, s)
			id := f.activity(b, domain.ModeUnit, 10, time.Now())
			ps := f.people(b, b.N)
			var next atomic.Int64
			b.SetParallelism(benchParallelism)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := next.Add(1) - 1
					if err := f.checkIn(id, ps[i]); err != nil {
						b.Errorf("check-in %d: %v", i, err)
						return
					}
				}
			})
			reportBeside(b, s, "checkins/s")
		})
	}
}
