package store_test

import (
	"context"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestNotify: a notification for a person with an account goes to the
// account (bell, email, gateway) once however it is named; a second call
// for the same occurrence does nothing; a channel turned off is skipped; a
// requester with only a phone gets the gateway alone; quiet hours put the
// outside deliveries' jobs at 07:00; a rolled-back write leaves neither
// notification nor job.
func TestNotify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		// 23:00 in Shanghai.
		now := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		var uid, pid int64
		err := s.Write(ctx, actor, func(tx *store.Tx) (err error) {
			root, err := tx.CreateOrg(0, "committee", "工委")
			if err != nil {
				return err
			}
			if pid, err = tx.CreatePerson(domain.ValidPerson{Name: "王芳", Gender: domain.GenderFemale, Phone: "13800000009",
				PoliticalStatus: domain.PartyMember, OrgID: root}, store.SealedID{}); err != nil {
				return err
			}
			if uid, err = tx.CreateUser(store.NewUser{Username: "wf", DisplayName: "王芳", PasswordHash: "x"}); err != nil {
				return err
			}
			if err := tx.LinkPersonUser(pid, uid); err != nil {
				return err
			}
			return tx.SetPersonReach(pid, "wf@example.org", "")
		})
		if err != nil {
			t.Fatal(err)
		}
		notify := func(n store.NewNotification) bool {
			t.Helper()
			var created bool
			if err := s.Housekeep(ctx, func(tx *store.Tx) (err error) {
				created, err = tx.Notify(n)
				return err
			}); err != nil {
				t.Fatalf("Notify(%+v): %v", n, err)
			}
			return created
		}
		n := store.NewNotification{Event: domain.EventSignupPromoted, Subject: "activity:7", PersonID: pid,
			Args: []string{"植树"}, Link: "/activities/7"}
		if !notify(n) {
			t.Fatal("first notification not created")
		}
		n.PersonID, n.UserID = 0, uid
		if notify(n) {
			t.Error("the same occurrence named by account was notified twice")
		}
		if got, err := s.UnreadNotifications(ctx, uid); err != nil || got != 1 {
			t.Errorf("unread = %d (%v), want 1", got, err)
		}
		counts, err := s.DeliveryCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts["email"]["queued"] != 1 || counts["gateway"]["queued"] != 1 {
			t.Errorf("deliveries = %v, want one email and one gateway", counts)
		}
		jobs, err := s.Jobs(ctx, "scheduled", 10)
		if err != nil {
			t.Fatal(err)
		}
		want := time.Date(2026, 12, 8, 7, 0, 0, 0, domain.Shanghai)
		if len(jobs) != 2 || !jobs[0].ScheduledAt.Equal(want) {
			t.Errorf("jobs = %+v, want two scheduled at %s", jobs, want)
		}

		// Email turned off for one event: the next occurrence has no email.
		if err := s.Housekeep(ctx, func(tx *store.Tx) error {
			return tx.SetNotificationPref(uid, domain.EventActivityChanged, domain.ByEmail, false)
		}); err != nil {
			t.Fatal(err)
		}
		notify(store.NewNotification{Event: domain.EventActivityChanged, Subject: "activity:7:1", UserID: uid, Args: []string{"植树"}})
		counts, _ = s.DeliveryCounts(ctx)
		if counts["email"]["queued"] != 1 || counts["gateway"]["queued"] != 2 {
			t.Errorf("after turning email off: deliveries = %v, want 1 email and 2 gateway", counts)
		}

		// A requester with only a phone: the gateway alone, urgent at once.
		notify(store.NewNotification{Event: domain.EventPhoneCode, Subject: "code:1", Phone: "13900000001",
			Args: []string{"123456"}, Urgent: true})
		avail, _ := s.Jobs(ctx, "available", 10)
		if len(avail) != 1 {
			t.Errorf("available jobs = %d, want the urgent one", len(avail))
		}

		// Rolled back with its write: nothing stays.
		s.Housekeep(ctx, func(tx *store.Tx) error {
			tx.Notify(store.NewNotification{Event: domain.EventOrderServed, Subject: "order:9", Phone: "13900000002"})
			return context.Canceled
		})
		c, _ := s.JobCounts(ctx)
		if total := c["available"] + c["scheduled"]; total != 4 {
			t.Errorf("jobs after a rolled-back notify = %v, want 4", c)
		}

		list, err := s.Notifications(ctx, uid, 0, 10)
		if err != nil || len(list) != 2 || list[0].Event != domain.EventActivityChanged {
			t.Fatalf("list = %+v (%v)", list, err)
		}
		if err := s.Housekeep(ctx, func(tx *store.Tx) error { _, err := tx.MarkNotificationsRead(uid, 0); return err }); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.UnreadNotifications(ctx, uid); got != 0 {
			t.Errorf("unread after marking all = %d", got)
		}

		// Past the retention, housekeeping removes them and their deliveries.
		s.SetClock(func() time.Time { return now.Add(store.NotificationRetention + time.Hour) })
		if err := s.Housekeep(ctx, func(tx *store.Tx) error { return tx.DeleteOldNotifications() }); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.Notifications(ctx, uid, 0, 10); len(list) != 0 {
			t.Errorf("%d notifications kept past the retention", len(list))
		}
		if c, _ := s.DeliveryCounts(ctx); len(c) != 0 {
			t.Errorf("deliveries kept past the retention: %v", c)
		}
	})
}

// TestNotifyDisabledAccount: a person whose account is disabled gets no
// email or text when named by person; re-enabled, they are the account.
func TestNotifyDisabledAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC) // 11:00 Shanghai
		s.SetClock(func() time.Time { return now })
		var uid, pid int64
		err := s.Write(ctx, actor, func(tx *store.Tx) (err error) {
			root, err := tx.CreateOrg(0, "committee", "工委")
			if err != nil {
				return err
			}
			if pid, err = tx.CreatePerson(domain.ValidPerson{Name: "王芳", Gender: domain.GenderFemale, Phone: "13800000009",
				PoliticalStatus: domain.PartyMember, OrgID: root}, store.SealedID{}); err != nil {
				return err
			}
			if uid, err = tx.CreateUser(store.NewUser{Username: "wf", DisplayName: "王芳", PasswordHash: "x"}); err != nil {
				return err
			}
			if err := tx.LinkPersonUser(pid, uid); err != nil {
				return err
			}
			if err := tx.SetPersonReach(pid, "wf@example.org", ""); err != nil {
				return err
			}
			return tx.SetUserDisabled(uid, true)
		})
		if err != nil {
			t.Fatal(err)
		}
		var created bool
		err = s.Housekeep(ctx, func(tx *store.Tx) (err error) {
			created, err = tx.Notify(store.NewNotification{Event: domain.EventActivityTomorrow, Subject: "activity:7:tomorrow", PersonID: pid,
				Args: []string{"植树", "2026-12-08 09:00", "x"}, Link: "/activities/7/attend-confirm"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		counts, _ := s.DeliveryCounts(ctx)
		if created || counts["email"]["queued"] != 0 || counts["gateway"]["queued"] != 0 {
			t.Errorf("a disabled account's person was notified: created=%v, deliveries %v", created, counts)
		}
		// Same occurrence by account: recipient key differs.
		err = s.Housekeep(ctx, func(tx *store.Tx) error { return tx.SetUserDisabled(uid, false) })
		if err != nil {
			t.Fatal(err)
		}
		err = s.Housekeep(ctx, func(tx *store.Tx) (err error) {
			created, err = tx.Notify(store.NewNotification{Event: domain.EventActivityTomorrow, Subject: "activity:7:tomorrow", PersonID: pid,
				Args: []string{"植树", "2026-12-08 09:00", "x"}, Link: "/activities/7/attend-confirm"})
			return err
		})
		if err != nil || !created {
			t.Fatalf("re-enabled: created %v (%v), want the account notified", created, err)
		}
		if counts, _ = s.DeliveryCounts(ctx); counts["email"]["queued"] != 1 || counts["gateway"]["queued"] != 1 {
			t.Errorf("re-enabled: deliveries %v, want one email and one text", counts)
		}
	})
}
