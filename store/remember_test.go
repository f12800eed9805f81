package store_test

import (
	"context"
	"testing"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// Remember keeps a result while the records are unchanged: a change of the
// records computes it again, a sign-in or an export does not.
func TestRememberFollowsChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		calls := 0
		read := func() int {
			v, err := s.Remember(ctx, "k", func() (any, error) { calls++; return calls, nil })
			if err != nil {
				t.Fatal(err)
			}
			return v.(int)
		}
		audit := func(action string) {
			t.Helper()
			err := s.Write(ctx, domain.SystemActor, func(tx *store.Tx) error {
				return tx.Audit(action, "test", "1", nil, map[string]any{"n": 1})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if read() != 1 || read() != 1 {
			t.Fatalf("computed %d times for two reads with no change", calls)
		}
		audit("user.login")
		audit("stats.export")
		if read() != 1 {
			t.Errorf("a sign-in or an export computed it again")
		}
		audit("org.rename")
		if read() != 2 {
			t.Errorf("a change of the records did not compute it again")
		}
	})
}
