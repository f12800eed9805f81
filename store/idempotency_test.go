package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"vanguard/store"
	"vanguard/store/storetest"
)

// TestIdempotencyTokens: a token is claimed once; a second claim finds the
// first result; a claim rolled back with its write leaves the token free;
// kinds do not share tokens; parallel claims of one token make one write;
// housekeeping drops tokens older than a day.
func TestIdempotencyTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		claim := func(kind, token, result string, fail error) (bool, string, error) {
			var claimed bool
			var first string
			err := s.Housekeep(ctx, func(tx *store.Tx) (err error) {
				if claimed, first, err = tx.ClaimToken(kind, token); err != nil || !claimed {
					return err
				}
				if err := tx.SetTokenResult(kind, token, result); err != nil {
					return err
				}
				return fail
			})
			return claimed, first, err
		}
		if ok, _, err := claim("order", "tok1", "code-a", nil); !ok || err != nil {
			t.Fatalf("first claim: %v %v, want claimed", ok, err)
		}
		if ok, first, err := claim("order", "tok1", "code-b", nil); ok || first != "code-a" || err != nil {
			t.Errorf("second claim: claimed %v result %q (%v), want the first result code-a", ok, first, err)
		}
		if got, ok, err := s.IdempotentResult(ctx, "order", "tok1"); !ok || got != "code-a" || err != nil {
			t.Errorf("IdempotentResult: %q %v %v, want code-a", got, ok, err)
		}
		if _, ok, _ := s.IdempotentResult(ctx, "suggestion", "tok1"); ok {
			t.Error("a token of one form replays for another")
		}
		boom := errors.New("the write failed")
		if _, _, err := claim("order", "tok2", "code-c", boom); !errors.Is(err, boom) {
			t.Fatalf("failing write: %v", err)
		}
		if _, ok, _ := s.IdempotentResult(ctx, "order", "tok2"); ok {
			t.Error("a token whose write rolled back has a result")
		}
		if ok, _, err := claim("order", "tok2", "code-d", nil); !ok || err != nil {
			t.Errorf("claiming a rolled-back token again: %v %v, want claimed", ok, err)
		}

		// Parallel claims of one token: exactly one claims it.
		var wg sync.WaitGroup
		var mu sync.Mutex
		claimed, replays := 0, map[string]int{}
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, first, err := claim("evaluation", "tok3", "code-e", nil)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					t.Errorf("parallel claim: %v", err)
				case ok:
					claimed++
				default:
					replays[first]++
				}
			}()
		}
		wg.Wait()
		if claimed != 1 || replays["code-e"] != 7 {
			t.Errorf("8 parallel claims: %d claimed, replays %v; want 1 claimed and 7 replays of code-e", claimed, replays)
		}

		// A day later the tokens are swept.
		now = now.Add(store.IdempotencyTTL + time.Minute)
		if err := s.Housekeep(ctx, func(tx *store.Tx) error { return tx.DeleteOldTokens() }); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := s.IdempotentResult(ctx, "order", "tok1"); ok {
			t.Error("a token older than a day survived housekeeping")
		}
	})
}
