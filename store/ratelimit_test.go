package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"vanguard/store"
	"vanguard/store/storetest"
)

// TestAllowInParallel: 30 attempts at once against a limit of 5 let exactly
// 5 through, on both databases.
func TestAllowInParallel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		var allowed atomic.Int64
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < 30; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				err := s.Housekeep(context.Background(), func(tx *store.Tx) error {
					ok, err := tx.Allow("test", "192.0.2.1", 5, time.Hour)
					if ok {
						allowed.Add(1)
					}
					time.Sleep(20 * time.Millisecond) // overlap, as requests do
					return err
				})
				if err != nil {
					t.Errorf("attempt %d: %v", i, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if got := allowed.Load(); got != 5 {
			t.Errorf("30 attempts at once against a limit of 5: %d allowed, want 5", got)
		}
	})
}
