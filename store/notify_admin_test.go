package store_test

import (
	"context"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestJobRetryAndCancel: a dead (discarded) job becomes available again
// when retried and cancelled when cancelled, a job that does not exist is
// not found, and a deliver job's delivery names its channel.
func TestJobRetryAndCancel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		// Noon in Shanghai: no quiet hours.
		s.SetClock(func() time.Time { return time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC) })
		var pid int64
		err := s.Write(ctx, actor, func(tx *store.Tx) (err error) {
			root, err := tx.CreateOrg(0, "committee", "工委")
			if err != nil {
				return err
			}
			pid, err = tx.CreatePerson(domain.ValidPerson{Name: "王芳", Gender: domain.GenderFemale, Phone: "13800000009",
				PoliticalStatus: domain.PartyMember, OrgID: root, Email: "wf@example.org"}, store.SealedID{})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Housekeep(ctx, func(tx *store.Tx) error {
			_, err := tx.Notify(store.NewNotification{Event: domain.EventCertificateIssued, Subject: "certificate:1",
				PersonID: pid, Args: []string{"x"}, Link: "/certificates/1"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		jobs, err := s.Jobs(ctx, "available", 10)
		if err != nil || len(jobs) != 2 {
			t.Fatalf("available jobs = %d (%v), want 2 (email and gateway)", len(jobs), err)
		}
		job := jobs[0]
		if err := store.DiscardJobForTest(s, job.ID); err != nil {
			t.Fatal(err)
		}
		state := func() string {
			t.Helper()
			for _, st := range store.JobStates {
				list, err := s.Jobs(ctx, st, 10)
				if err != nil {
					t.Fatal(err)
				}
				for _, j := range list {
					if j.ID == job.ID {
						return st
					}
				}
			}
			return "missing"
		}
		if got := state(); got != "discarded" {
			t.Fatalf("after discarding: state %s, want discarded", got)
		}
		if err := s.Housekeep(ctx, func(tx *store.Tx) error { return tx.RetryJob(job.ID) }); err != nil {
			t.Fatal(err)
		}
		if got := state(); got != "available" {
			t.Errorf("after retry: state %s, want available", got)
		}
		if err := s.Housekeep(ctx, func(tx *store.Tx) error { return tx.CancelJob(job.ID) }); err != nil {
			t.Fatal(err)
		}
		if got := state(); got != "cancelled" {
			t.Errorf("after cancel: state %s, want cancelled", got)
		}
		err = s.Housekeep(ctx, func(tx *store.Tx) error { return tx.RetryJob(999999) })
		if domain.ErrCode(err) != domain.CodeNotFound {
			t.Errorf("retry of a missing job: %v, want not found", err)
		}
		ch, err := s.DeliveryChannels(ctx, []int64{1, 2, 999})
		if err != nil {
			t.Fatal(err)
		}
		if len(ch) != 2 || ch[1] == ch[2] {
			t.Errorf("DeliveryChannels = %v, want email and gateway for deliveries 1 and 2", ch)
		}
	})
}

// TestPersonEmail: the email and WeChat openid are kept with the person,
// changed by an update, and removed when the person is erased.
func TestPersonEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var pid int64
		v := domain.ValidPerson{Name: "王芳", Gender: domain.GenderFemale, Phone: "13800000009",
			PoliticalStatus: domain.PartyMember, Email: "wf@example.org", WeChatOpenID: "oAbCdEfGhIjKlMnOpQrStUvWxYz0"}
		err := s.Write(ctx, actor, func(tx *store.Tx) (err error) {
			if v.OrgID, err = tx.CreateOrg(0, "committee", "工委"); err != nil {
				return err
			}
			pid, err = tx.CreatePerson(v, store.SealedID{})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.PersonByID(ctx, pid)
		if err != nil || p.Email != v.Email || p.WeChatOpenID != v.WeChatOpenID {
			t.Fatalf("created: email %q openid %q (%v), want %q %q", p.Email, p.WeChatOpenID, err, v.Email, v.WeChatOpenID)
		}
		v.Email, v.WeChatOpenID = "wang@example.cn", ""
		if err := s.Write(ctx, actor, func(tx *store.Tx) error { return tx.UpdatePerson(pid, p, v, nil) }); err != nil {
			t.Fatal(err)
		}
		if p, _ = s.PersonByID(ctx, pid); p.Email != "wang@example.cn" || p.WeChatOpenID != "" {
			t.Errorf("updated: email %q openid %q, want wang@example.cn and none", p.Email, p.WeChatOpenID)
		}
		if err := s.Write(ctx, actor, func(tx *store.Tx) error {
			_, err := tx.ErasePerson(pid, "本人申请")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if p, _ = s.PersonByID(ctx, pid); p.Email != "" {
			t.Errorf("erased person keeps email %q", p.Email)
		}
	})
}
