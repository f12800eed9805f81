package service_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/jobs"
	"vanguard/notify"
	"vanguard/notify/notifytest"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestLoopReachesPeople is issue 13's must-show: one full loop — order,
// acceptance, dispatch, confirmation, activity, reminder, service — with
// the job queue running, a real SMTP server and a gateway receiver; each
// gets exactly the messages expected, the requester's last text carrying
// the evaluation link.
func TestLoopReachesPeople(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRecords(t, s)
		// Ten in the morning in Shanghai today: outside quiet hours.
		today := time.Now().In(domain.Shanghai)
		f.clock = time.Date(today.Year(), today.Month(), today.Day(), 10, 0, 0, 0, domain.Shanghai)
		smtp := notifytest.NewSMTPSink(t)
		secret := []byte("the gateway's shared secret")
		gw := notifytest.NewGateway(t, secret)
		mailer, err := notify.NewMailer(smtp.URL())
		must(t, err)
		f.svc.SetSenders(service.Senders{Email: mailer, Gateway: &notify.Webhook{URL: gw.URL, Secret: secret},
			BaseURL: "https://vanguard.example"})

		// The team's leader is a person with a phone and an email; so is
		// the volunteer who will serve.
		var team int64
		must(t, s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
			team, err = tx.CreateTeam(domain.Team{OrgID: f.unitB, Kind: domain.TeamParty, Name: "普法服务队",
				BaseRegionID: f.region, Categories: []int64{f.cat}})
			return err
		}))
		crew := f.volunteers(t, team, 2)
		leaderV, v := crew[0], crew[1]
		// The first of the crew leads the team with their own account.
		must(t, s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error {
			if err := tx.Grant(leaderV.UserID, domain.RoleTeamLeader, team); err != nil {
				return err
			}
			if err := tx.SetPersonReach(leaderV.person, "leader@example.org", ""); err != nil {
				return err
			}
			if err := tx.SetPersonReach(v.person, "volunteer@example.org", ""); err != nil {
				return err
			}
			return tx.Audit("test", "person", "", nil, nil)
		}))
		leader := leaderV.Caller
		leader.Grants = append(slices.Clone(leader.Grants), domain.Grant{UserID: leaderV.UserID, Role: domain.RoleTeamLeader, ScopeID: team})

		in := f.orderFixture.input()
		in.RequesterPhone = "13911112222"
		code, err := f.svc.PlaceOrder(ctx, f.public, in)
		must(t, err)
		o, err := s.OrderByCode(ctx, code)
		must(t, err)
		must(t, f.svc.ReviewOrder(ctx, f.committee, o.ID, domain.EventAccept, ""))
		must(t, f.svc.DispatchOrder(ctx, f.committee, o.ID, map[int64]int64{f.cat: team}, map[int64]string{f.cat: "最近"}))
		must(t, f.svc.AnswerDispatch(ctx, leader, o.ID, team, true, ""))
		draft, err := f.svc.ActivityDraftFromOrder(ctx, f.committee, o.ID)
		must(t, err)
		act, err := f.svc.CreateActivity(ctx, f.committee, draft)
		must(t, err)
		if _, err := f.svc.SignUp(ctx, v.Caller, act); err != nil {
			t.Fatal(err)
		}
		// The day before, at 10:00: the reminder round.
		day := draft.StartsAt.In(domain.Shanghai).AddDate(0, 0, -1)
		f.clock = time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, domain.Shanghai)
		must(t, f.svc.RemindRound(ctx))
		// Served: attended and completed in the afternoon.
		f.clock = draft.EndsAt.Add(time.Hour)
		must(t, f.svc.RecordPair(ctx, f.committee, act, v.person, draft.StartsAt, draft.EndsAt))
		_, _, err = f.svc.CompleteActivity(ctx, f.committee, act)
		must(t, err)

		quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
		r, err := jobs.Start(ctx, s, f.svc, jobs.Config{Poll: 200 * time.Millisecond, Log: quiet})
		must(t, err)
		defer r.Stop(ctx)
		deadline := time.Now().Add(60 * time.Second)
		for len(gw.Received()) < 5 || len(smtp.Mail()) < 2 {
			if time.Now().After(deadline) {
				c, _ := s.DeliveryCounts(ctx)
				t.Fatalf("after 60 s: %d texts, %d emails; deliveries %v", len(gw.Received()), len(smtp.Mail()), c)
			}
			time.Sleep(100 * time.Millisecond)
		}
		time.Sleep(time.Second) // anything more would arrive now

		var texts []string
		var servedLink string
		for _, p := range gw.Received() {
			texts = append(texts, p.Event+" "+p.Phone)
			if p.Event == string(domain.EventOrderServed) {
				servedLink = p.Link
			}
		}
		slices.Sort(texts)
		want := []string{
			"activity_tomorrow " + phoneOf(t, s, v.person),
			"dispatched " + phoneOf(t, s, leaderV.person),
			"order_accepted 13911112222",
			"order_confirmed 13911112222",
			"order_served 13911112222",
		}
		if !slices.Equal(texts, want) {
			t.Errorf("the gateway got %q, want %q", texts, want)
		}
		evalCode, _ := s.EvalCode(ctx, o.ID)
		if servedLink != "https://vanguard.example/evaluate?code="+evalCode {
			t.Errorf("the served text links to %q, want the evaluation link", servedLink)
		}
		var mails []string
		for _, m := range smtp.Mail() {
			mails = append(mails, m.To+" "+m.Subject)
			if !strings.Contains(m.Body, "https://vanguard.example/") {
				t.Errorf("email %q has no link: %q", m.Subject, m.Body)
			}
		}
		slices.Sort(mails)
		if len(mails) != 2 || !strings.HasPrefix(mails[0], "leader@example.org ") || !strings.HasPrefix(mails[1], "volunteer@example.org ") {
			t.Errorf("the SMTP server got %q, want one email to the leader (dispatch) and one to the volunteer (reminder)", mails)
		}
	})
}

func phoneOf(t *testing.T, s *store.Store, person int64) string {
	t.Helper()
	p, err := s.PersonByID(context.Background(), person)
	if err != nil {
		t.Fatal(err)
	}
	return p.Phone
}
