package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestCheckinFraudFlags: a phone that checks in a second person flags that
// check-in; a person's check-in from another phone than their first is
// refused (one phone per person), from the same phone is a repeat; the
// caller's own flag is kept; the leader clears a flag with a note once.
func TestCheckinFraudFlags(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		now := time.Date(2026, 5, 16, 1, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		id := f.activity(t, domain.ModeUnit, 10, now)
		ps := f.people(t, 3)
		for _, p := range ps {
			if _, err := f.signUp(id, p, false); err != nil {
				t.Fatal(err)
			}
		}
		mark := func(p int64, m store.CheckinMark) error {
			return f.write(func(tx *store.Tx) error { return tx.CheckInMarked(id, p, domain.MethodQR, m) })
		}
		if err := mark(ps[0], store.CheckinMark{Device: "phoneA", Geo: "49.2,119.7,12"}); err != nil {
			t.Fatal(err)
		}
		// The same phone for a friend: recorded and flagged.
		if err := mark(ps[1], store.CheckinMark{Device: "phoneA"}); err != nil {
			t.Fatal(err)
		}
		// A person's second check-in from another phone: refused.
		if err := mark(ps[0], store.CheckinMark{Device: "phoneB"}); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("check-in from another phone: %v, want a conflict", err)
		}
		// From the same phone: a repeat.
		if err := mark(ps[0], store.CheckinMark{Device: "phoneA"}); !errors.Is(err, store.ErrAlreadyRecorded) {
			t.Fatalf("repeat: %v", err)
		}
		// A flag the caller brings is kept.
		if err := mark(ps[2], store.CheckinMark{Device: "phoneC", Flag: domain.FlagOtherDevice}); err != nil {
			t.Fatal(err)
		}
		flagged, err := s.FlaggedCheckins(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(flagged) != 2 || flagged[0].PersonID != ps[1] || flagged[0].Flags[0] != domain.FlagSharedDevice ||
			flagged[1].PersonID != ps[2] || flagged[1].Flags[0] != domain.FlagOtherDevice {
			t.Fatalf("flagged = %+v", flagged)
		}
		if got := f.pairs(t, id, ps[0]); len(got) != 1 {
			t.Fatalf("person 0 has %d pairs, want 1", len(got))
		}
		// Clearing: once, with a note; the flag stays listed as cleared.
		clear := func(att int64) error {
			return f.write(func(tx *store.Tx) error { return tx.ClearCheckinFlag(id, att, "本人手机没电，已核实") })
		}
		if err := clear(flagged[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := clear(flagged[0].ID); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("clear twice: %v", err)
		}
		if err := f.write(func(tx *store.Tx) error { return tx.ClearCheckinFlag(id+1, flagged[1].ID, "x") }); domain.ErrCode(err) != domain.CodeNotFound {
			t.Fatalf("clear through another activity: %v", err)
		}
		flagged, _ = s.FlaggedCheckins(ctx, id)
		if len(flagged) != 2 || flagged[0].Cleared != "" || flagged[1].Cleared != "本人手机没电，已核实" {
			t.Fatalf("after clearing: %+v", flagged)
		}
	})
}

// TestActivityGeo: the requirement is saved, read back and removed.
func TestActivityGeo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		now := time.Date(2026, 5, 16, 1, 0, 0, 0, time.UTC)
		id := f.activity(t, domain.ModeUnit, 10, now)
		if g, err := s.ActivityGeo(ctx, id); err != nil || g.Required() {
			t.Fatalf("new activity: %+v, %v", g, err)
		}
		want := domain.GeoRule{Lat: 49.211, Lng: 119.765, Radius: 200}
		if err := f.write(func(tx *store.Tx) error { return tx.SetActivityGeo(id, want) }); err != nil {
			t.Fatal(err)
		}
		if g, err := s.ActivityGeo(ctx, id); err != nil || g != want {
			t.Fatalf("got %+v, %v; want %+v", g, err, want)
		}
		if err := f.write(func(tx *store.Tx) error { return tx.SetActivityGeo(id, domain.GeoRule{}) }); err != nil {
			t.Fatal(err)
		}
		if g, _ := s.ActivityGeo(ctx, id); g.Required() || g.Lat != 0 {
			t.Fatalf("removed: %+v", g)
		}
	})
}
