package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// calFixture is an activity fixture with two people, each linked to an
// account, and activities around the feed's window.
type calFixture struct {
	*actFixture
	p1, p2, u1, u2 int64
	// soon: p1 and p2 hold places; other: p2 only; far: p1, beyond the
	// window; withdrawn: p1 signed up and cancelled; cancelled: p1 held a
	// place and the activity was cancelled; past: p1, a week ago.
	soon, other, far, withdrawn, cancelled, past int64
}

func newCalFixture(t *testing.T, s *store.Store) *calFixture {
	t.Helper()
	f := &calFixture{actFixture: newActFixture(t, s)}
	ps := f.people(t, 2)
	f.p1, f.p2 = ps[0], ps[1]
	must(t, f.write(func(tx *store.Tx) (err error) {
		if f.u1, err = tx.CreateUser(store.NewUser{Username: "cal1", DisplayName: "一", PasswordHash: "x"}); err != nil {
			return err
		}
		if f.u2, err = tx.CreateUser(store.NewUser{Username: "cal2", DisplayName: "二", PasswordHash: "x"}); err != nil {
			return err
		}
		if err := tx.LinkPersonUser(f.p1, f.u1); err != nil {
			return err
		}
		return tx.LinkPersonUser(f.p2, f.u2)
	}))
	now := time.Now()
	f.soon = f.activity(t, domain.ModeUnit, 10, now.Add(48*time.Hour))
	f.other = f.activity(t, domain.ModeUnit, 10, now.Add(72*time.Hour))
	f.far = f.activity(t, domain.ModeUnit, 10, now.Add(200*24*time.Hour))
	f.withdrawn = f.activity(t, domain.ModeUnit, 10, now.Add(96*time.Hour))
	f.cancelled = f.activity(t, domain.ModeUnit, 10, now.Add(120*time.Hour))
	for _, su := range []struct{ a, p int64 }{{f.soon, f.p1}, {f.soon, f.p2}, {f.other, f.p2}, {f.far, f.p1},
		{f.withdrawn, f.p1}, {f.cancelled, f.p1}} {
		if _, err := f.signUp(su.a, su.p, false); err != nil {
			t.Fatal(err)
		}
	}
	must(t, f.cancel(f.withdrawn, f.p1))
	must(t, f.write(func(tx *store.Tx) error { return tx.CancelActivity(f.cancelled, "雨天") }))
	// An activity a week ago, put there directly: validation refuses a past start.
	f.past = f.activity(t, domain.ModeUnit, 10, now.Add(24*time.Hour))
	if _, err := f.signUp(f.past, f.p1, false); err != nil {
		t.Fatal(err)
	}
	exec(t, s, fmt.Sprintf("UPDATE activities SET starts_at = %d, ends_at = %d WHERE id = %d",
		now.Add(-7*24*time.Hour).UnixMicro(), now.Add(-7*24*time.Hour+time.Hour).UnixMicro(), f.past))
	return f
}

func (f *calFixture) events(t *testing.T, feed domain.CalendarFeed) map[int64]domain.CalendarEvent {
	t.Helper()
	now := time.Now()
	es, err := f.s.CalendarEvents(context.Background(), feed, now.Add(-domain.CalendarPast), now.Add(domain.CalendarFuture))
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]domain.CalendarEvent{}
	for _, e := range es {
		out[e.ID] = e
	}
	return out
}

func (f *calFixture) feedByHash(t *testing.T, hash string) (domain.CalendarFeed, bool) {
	t.Helper()
	feed, err := f.s.CalendarFeedByHash(context.Background(), hash)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return feed, false
	} else if err != nil {
		t.Fatal(err)
	}
	return feed, true
}

// TestCalendarFeedCreateLookupRevoke: a person's feed is found by its hash
// and nothing else, lists the activities the person holds or waits for in
// the window (a cancelled activity included, a withdrawn place and another
// person's activity not); making a new one revokes the old; disabling the
// account silences it; revoking deletes it; each write is audited.
func TestCalendarFeedCreateLookupRevoke(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newCalFixture(t, s)
		ctx := context.Background()
		must(t, f.write(func(tx *store.Tx) error {
			_, err := tx.SetCalendarFeed(f.p1, 0, "hash-one", "zh-CN")
			return err
		}))
		feed, ok := f.feedByHash(t, "hash-one")
		if !ok || feed.PersonID != f.p1 || feed.TeamID != 0 || feed.Name != "志愿者1" || feed.Lang != "zh-CN" {
			t.Fatalf("feed by hash = %+v, %v; want person %d named 志愿者1", feed, ok, f.p1)
		}
		if _, ok := f.feedByHash(t, "hash-other"); ok {
			t.Fatal("a made-up hash found a feed")
		}
		got := f.events(t, feed)
		for _, id := range []int64{f.soon, f.cancelled, f.past} {
			if _, ok := got[id]; !ok {
				t.Errorf("activity %d missing from p1's feed: %v", id, got)
			}
		}
		for _, id := range []int64{f.other, f.far, f.withdrawn} {
			if _, ok := got[id]; ok {
				t.Errorf("activity %d in p1's feed, want it left out", id)
			}
		}
		if e := got[f.cancelled]; e.State != domain.ActivityCancelled || e.Signup != domain.SignupConfirmed {
			t.Errorf("cancelled activity: state %s, sign-up %s", e.State, e.Signup)
		}
		if e := got[f.soon]; len(e.Categories) != 1 || e.SiteName != "建设社区" || e.TeamName != "先锋队" {
			t.Errorf("soon: categories %v, site %q, team %q", e.Categories, e.SiteName, e.TeamName)
		}

		// A new feed replaces the old one.
		var second int64
		must(t, f.write(func(tx *store.Tx) (err error) {
			second, err = tx.SetCalendarFeed(f.p1, 0, "hash-two", "en")
			return err
		}))
		if _, ok := f.feedByHash(t, "hash-one"); ok {
			t.Fatal("the replaced feed still answers")
		}
		if of, err := s.CalendarFeedOf(ctx, f.p1, 0); err != nil || of.ID != second || of.Lang != "en" {
			t.Fatalf("CalendarFeedOf = %+v, %v; want id %d in en", of, err, second)
		}

		// A disabled account's feed is silent until it is enabled again.
		must(t, f.write(func(tx *store.Tx) error { return tx.SetUserDisabled(f.u1, true) }))
		if _, ok := f.feedByHash(t, "hash-two"); ok {
			t.Fatal("the feed of a disabled account answers")
		}
		must(t, f.write(func(tx *store.Tx) error { return tx.SetUserDisabled(f.u1, false) }))
		if _, ok := f.feedByHash(t, "hash-two"); !ok {
			t.Fatal("the feed does not answer after the account is enabled again")
		}

		// Revoking deletes it; revoking again is not found.
		must(t, f.write(func(tx *store.Tx) error { return tx.DeleteCalendarFeed(f.p1, 0) }))
		if _, ok := f.feedByHash(t, "hash-two"); ok {
			t.Fatal("a revoked feed answers")
		}
		if _, err := s.CalendarFeedOf(ctx, f.p1, 0); !isKey(err, domain.CodeNotFound, "err.cal.no_feed") {
			t.Fatalf("CalendarFeedOf after revoke: %v", err)
		}
		err := f.write(func(tx *store.Tx) error { return tx.DeleteCalendarFeed(f.p1, 0) })
		if !isKey(err, domain.CodeNotFound, "err.cal.no_feed") {
			t.Fatalf("second revoke: %v, want not found", err)
		}

		entries, err := s.ListAudit(ctx, domain.AuditFilter{Action: "calendar_feed.", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		want := []string{"calendar_feed.revoke", "calendar_feed.regenerate", "calendar_feed.create"}
		if len(actions) != len(want) || actions[0] != want[0] || actions[1] != want[1] || actions[2] != want[2] {
			t.Fatalf("audit actions = %v, want %v (newest first)", actions, want)
		}
	})
}

// TestCalendarFeedOfTeam: a team's feed lists every activity the team takes
// part in within the window, whoever signed up, and is one per team.
func TestCalendarFeedOfTeam(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newCalFixture(t, s)
		must(t, f.write(func(tx *store.Tx) error {
			_, err := tx.SetCalendarFeed(0, f.team, "team-hash", "zh-CN")
			return err
		}))
		feed, ok := f.feedByHash(t, "team-hash")
		if !ok || feed.TeamID != f.team || feed.PersonID != 0 || feed.Name != "先锋队" {
			t.Fatalf("team feed = %+v, %v", feed, ok)
		}
		got := f.events(t, feed)
		for _, id := range []int64{f.soon, f.other, f.withdrawn, f.cancelled, f.past} {
			if e, ok := got[id]; !ok || e.Signup != "" {
				t.Errorf("activity %d in the team feed: %v (sign-up %q)", id, ok, e.Signup)
			}
		}
		if _, ok := got[f.far]; ok {
			t.Error("an activity beyond the window is in the team feed")
		}
		// A person and a team feed never share a row.
		must(t, f.write(func(tx *store.Tx) error {
			_, err := tx.SetCalendarFeed(0, f.team, "team-hash-2", "zh-CN")
			return err
		}))
		if _, ok := f.feedByHash(t, "team-hash"); ok {
			t.Fatal("the team's replaced feed still answers")
		}
	})
}

// TestErasePersonRevokesCalendarFeed: erasing a person deletes their feed.
func TestErasePersonRevokesCalendarFeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newCalFixture(t, s)
		must(t, f.write(func(tx *store.Tx) error {
			_, err := tx.SetCalendarFeed(f.p2, 0, "erase-hash", "zh-CN")
			return err
		}))
		must(t, f.write(func(tx *store.Tx) error {
			_, err := tx.ErasePerson(f.p2, "本人申请")
			return err
		}))
		if _, ok := f.feedByHash(t, "erase-hash"); ok {
			t.Fatal("an erased person's feed answers")
		}
		if _, err := s.CalendarFeedOf(context.Background(), f.p2, 0); domain.ErrCode(err) != domain.CodeNotFound {
			t.Fatalf("an erased person's feed row is still there: %v", err)
		}
	})
}
