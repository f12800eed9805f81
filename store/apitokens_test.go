package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestAPITokens: a token is found by its hash; only its owner revokes it,
// once; the last-used time is written at most once a minute whoever
// touches it; a user holds at most domain.APITokenMax tokens in force.
func TestAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		var owner, other int64
		err := s.Write(ctx, domain.SystemActor, func(tx *store.Tx) (err error) {
			if owner, err = tx.CreateUser(store.NewUser{Username: "wangfang", DisplayName: "王芳", PasswordHash: "x"}); err != nil {
				return err
			}
			other, err = tx.CreateUser(store.NewUser{Username: "lilei", DisplayName: "李雷", PasswordHash: "x"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		create := func(user int64, hash string) (int64, error) {
			var id int64
			err := s.Write(ctx, domain.SystemActor, func(tx *store.Tx) (err error) {
				id, err = tx.CreateAPIToken(domain.APIToken{UserID: user, Name: "看板", Hint: "vgd_abcd"}, hash)
				return err
			})
			return id, err
		}
		id, err := create(owner, "hash-1")
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.APITokenByHash(ctx, "hash-1")
		if err != nil || got.ID != id || got.UserID != owner || !got.CreatedAt.Equal(now) || !got.Active(now) {
			t.Fatalf("by hash: %+v, %v", got, err)
		}
		if _, err := s.APITokenByHash(ctx, "hash-2"); domain.ErrCode(err) != domain.CodeNotFound {
			t.Errorf("an unknown hash: %v, want not found", err)
		}

		touch := func() time.Time {
			if err := s.Housekeep(ctx, func(tx *store.Tx) error { return tx.TouchAPIToken(id) }); err != nil {
				t.Fatal(err)
			}
			x, _ := s.APITokenByHash(ctx, "hash-1")
			return x.LastUsedAt
		}
		if got := touch(); !got.Equal(now) {
			t.Errorf("first use recorded %v, want %v", got, now)
		}
		first := now
		now = now.Add(40 * time.Second)
		if got := touch(); !got.Equal(first) {
			t.Errorf("a use 40 s later moved last used to %v", got)
		}
		now = now.Add(30 * time.Second)
		if got := touch(); !got.Equal(now) {
			t.Errorf("a use 70 s later recorded %v, want %v", got, now)
		}

		revoke := func(user int64) error {
			return s.Write(ctx, domain.SystemActor, func(tx *store.Tx) error { return tx.RevokeAPIToken(user, id) })
		}
		if err := revoke(other); domain.ErrCode(err) != domain.CodeNotFound {
			t.Errorf("another user revokes: %v, want not found", err)
		}
		if err := revoke(owner); err != nil {
			t.Fatal(err)
		}
		if err := revoke(owner); domain.ErrCode(err) != domain.CodeNotFound {
			t.Errorf("revoking twice: %v, want not found", err)
		}
		if x, _ := s.APITokenByHash(ctx, "hash-1"); x.Active(now) {
			t.Error("a revoked token is active")
		}

		for i := 0; i < domain.APITokenMax; i++ {
			if _, err := create(other, "other-"+strconv.Itoa(i)); err != nil {
				t.Fatalf("token %d of %d: %v", i+1, domain.APITokenMax, err)
			}
		}
		if _, err := create(other, "one-too-many"); domain.ErrCode(err) != domain.CodeConflict {
			t.Errorf("token %d: %v, want conflict", domain.APITokenMax+1, err)
		}
		list, err := s.APITokens(ctx, owner)
		if err != nil || len(list) != 1 {
			t.Errorf("the owner's tokens: %d, %v", len(list), err)
		}
	})
}

// TestPasswordResetRevokesAPITokens: an admin's reset (forcing a change)
// revokes the account's tokens; the user's own change keeps them.
func TestPasswordResetRevokesAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		var user int64
		err := s.Write(ctx, domain.SystemActor, func(tx *store.Tx) (err error) {
			if user, err = tx.CreateUser(store.NewUser{Username: "wangfang", DisplayName: "王芳", PasswordHash: "x"}); err != nil {
				return err
			}
			_, err = tx.CreateAPIToken(domain.APIToken{UserID: user, Name: "看板", Hint: "vgd_abcd"}, "hash-1")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		setPassword := func(mustChange bool) bool {
			t.Helper()
			if err := s.Write(ctx, domain.SystemActor, func(tx *store.Tx) error {
				return tx.SetPassword(user, "y", mustChange, "")
			}); err != nil {
				t.Fatal(err)
			}
			tok, err := s.APITokenByHash(ctx, "hash-1")
			return err == nil && tok.Active(now)
		}
		if !setPassword(false) {
			t.Error("the user's own password change revoked their token")
		}
		if setPassword(true) {
			t.Error("an admin's reset left the token working")
		}
	})
}
