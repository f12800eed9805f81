package service_test

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// account makes a real account with one grant and returns it signed in.
func account(t *testing.T, s *store.Store, name string, g domain.Grant) domain.Caller {
	t.Helper()
	var id int64
	err := s.Write(context.Background(), service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
		if id, err = tx.CreateUser(store.NewUser{Username: name, DisplayName: name, PasswordHash: "x"}); err != nil {
			return err
		}
		return tx.Grant(id, g.Role, g.ScopeID)
	})
	if err != nil {
		t.Fatal(err)
	}
	g.UserID = id
	p := domain.Principal{UserID: id, Username: name, DisplayName: name, Grants: []domain.Grant{g}}
	if g.Role == domain.RoleTeamLeader {
		p.PersonID = linkedPerson // a leader acts as one only when linked to a person
	}
	return domain.Caller{Principal: p, IP: "127.0.0.1", RequestID: name}
}

// events lists the events of a user's in-app notifications, oldest first,
// checking that each renders in both languages with every key present.
func events(t *testing.T, s *store.Store, userID int64) []domain.Event {
	t.Helper()
	list, err := s.Notifications(context.Background(), userID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []domain.Event
	for i := len(list) - 1; i >= 0; i-- {
		checkText(t, list[i])
		out = append(out, list[i].Event)
	}
	return out
}

// checkText renders n in zh-CN and en and fails on a missing key, a
// missing or extra argument, or an empty argument.
func checkText(t testing.TB, n store.Notification) {
	t.Helper()
	for _, l := range i18n.Langs {
		key := "notify." + string(n.Event)
		if !i18n.Has(l, key+".title") || !i18n.Has(l, key+".body") {
			t.Errorf("%s: no catalogue text for %s", l, key)
		}
		n.Lang = string(l)
		title, body := service.NotificationText(n)
		for _, text := range []string{title, body} {
			if strings.Contains(text, "%!") || strings.Contains(text, "notify.") || strings.Contains(text, "enum.") {
				t.Errorf("%s %s renders badly: %q (args %q)", l, n.Event, text, n.Args)
			}
		}
		for i, a := range n.Args {
			if a == "" && !(n.Event == domain.EventCorrectionDecided && i == 3) {
				t.Errorf("%s: argument %d is empty (%q)", n.Event, i+1, n.Args)
			}
		}
	}
}

// texts are the gateway deliveries (texts to a phone or openid) queued so
// far, as "event phone".
func texts(t *testing.T, s *store.Store) []string {
	t.Helper()
	var out []string
	for id := int64(1); ; id++ {
		d, err := s.Delivery(context.Background(), id)
		if domain.ErrCode(err) == domain.CodeNotFound {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if d.Channel == domain.ByGateway {
			checkText(t, d.Notification)
			var addr store.GatewayAddress
			if err := json.Unmarshal([]byte(d.Address), &addr); err != nil {
				t.Fatal(err)
			}
			out = append(out, string(d.Event)+" "+addr.Phone)
		}
	}
}

func countOf(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// TestOrderEventsNotify runs an order through its loop and checks who hears
// of each step: the site contact who placed it (account) and the phone on
// it (a text), the leaders of each team it is sent to and no other, the
// committee's admins of a decline and no org admin, each once.
func TestOrderEventsNotify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRecords(t, s)
		f.clock = time.Now()
		var teamC, teamD int64
		// Team C offers one category: after it declines, the desk's view
		// drops it, and the re-dispatch must still be proposed.
		err := s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
			if teamC, err = tx.CreateTeam(domain.Team{OrgID: f.unitA, Kind: domain.TeamParty, Name: "防疫服务队",
				BaseRegionID: f.region, Categories: []int64{f.cat}}); err != nil {
				return err
			}
			teamD, err = tx.CreateTeam(domain.Team{OrgID: f.unitB, Kind: domain.TeamParty, Name: "普法服务队",
				BaseRegionID: f.region, Categories: []int64{f.cat}})
			return err
		})
		must(t, err)
		f.volunteers(t, teamC, 2)
		f.volunteers(t, teamD, 2)
		leaderC := account(t, s, "c-leader", domain.Grant{Role: domain.RoleTeamLeader, ScopeID: teamC})
		leaderD := account(t, s, "d-leader", domain.Grant{Role: domain.RoleTeamLeader, ScopeID: teamD})
		contact := account(t, s, "gacha", domain.Grant{Role: domain.RoleSiteContact, ScopeID: f.site})

		in := f.orderFixture.input()
		code, err := f.svc.PlaceOrder(ctx, contact, in)
		must(t, err)
		o, err := s.OrderByCode(ctx, code)
		must(t, err)
		must(t, f.svc.ReviewOrder(ctx, f.committee, o.ID, domain.EventAccept, ""))
		// Told again of the same acceptance: nobody hears twice.
		must(t, s.Write(ctx, f.committee.Actor(), func(tx *store.Tx) error {
			if err := service.NotifyReviewed(tx, o.ID, domain.EventAccept, ""); err != nil {
				return err
			}
			return tx.Audit("test", "order", "", nil, nil)
		}))

		dispatch := func(team int64) {
			t.Helper()
			f.clock = f.clock.Add(time.Minute)
			must(t, f.svc.DispatchOrder(ctx, f.committee, o.ID, map[int64]int64{f.cat: team}, map[int64]string{f.cat: "离嘎查最近"}))
		}
		dispatch(teamC)
		f.clock = f.clock.Add(time.Minute)
		must(t, f.svc.AnswerDispatch(ctx, leaderC, o.ID, teamC, false, "人手不足"))
		dispatch(teamD) // the desk sends the declined part to another team
		f.clock = f.clock.Add(time.Minute)
		must(t, f.svc.AnswerDispatch(ctx, leaderD, o.ID, teamD, true, ""))

		draft, err := f.svc.ActivityDraftFromOrder(ctx, f.committee, o.ID)
		must(t, err)
		act, err := f.svc.CreateActivity(ctx, f.committee, draft)
		must(t, err)
		f.clock = draft.EndsAt.Add(time.Hour)
		_, _, err = f.svc.CompleteActivity(ctx, f.committee, act)
		must(t, err)
		must(t, s.Write(ctx, f.committee.Actor(), func(tx *store.Tx) error {
			if err := service.NotifyServed(tx, o.ID); err != nil {
				return err
			}
			return tx.Audit("test", "order", "", nil, nil)
		}))

		for _, c := range []struct {
			who  string
			id   int64
			want []domain.Event
		}{
			{"the site contact", contact.UserID, []domain.Event{domain.EventOrderAccepted, domain.EventOrderConfirmed, domain.EventOrderServed}},
			{"the first team's leader", leaderC.UserID, []domain.Event{domain.EventDispatched}},
			{"the second team's leader", leaderD.UserID, []domain.Event{domain.EventDispatched}},
			{"team A's leader", f.leader.UserID, nil},
			{"a committee admin", f.committee.UserID, []domain.Event{domain.EventDispatchDeclined}},
			{"an org admin", f.orgAdmin.UserID, nil},
		} {
			if got := events(t, s, c.id); !slices.Equal(got, c.want) {
				t.Errorf("%s heard %v, want %v", c.who, got, c.want)
			}
		}
		list, _ := s.Notifications(ctx, contact.UserID, 0, 10)
		evalCode, _ := s.EvalCode(ctx, o.ID)
		if len(list) == 0 || list[0].Link != "/evaluate?code="+evalCode || evalCode == "" {
			t.Errorf("served: link %q, want the evaluation link with code %q", list[0].Link, evalCode)
		}
		if list[len(list)-1].Link != "/track?code="+code {
			t.Errorf("accepted: link %q, want the status page", list[len(list)-1].Link)
		}
		decl, _ := s.Notifications(ctx, f.committee.UserID, 0, 10)
		if len(decl) != 1 || decl[0].Args[2] != "防疫服务队" || decl[0].Args[3] != "人手不足" {
			t.Errorf("decline notice %+v, want the team and its reason", decl)
		}

		// A member of the public: texts to the phone alone, with the reason
		// of a rejection.
		in.RequesterPhone = "13987654321"
		code2, err := f.svc.PlaceOrder(ctx, f.public, in)
		must(t, err)
		o2, _ := s.OrderByCode(ctx, code2)
		must(t, f.svc.ReviewOrder(ctx, f.committee, o2.ID, domain.EventReject, "冬季道路封闭"))
		got := texts(t, s)
		for _, want := range []string{"order_accepted 13912345678", "order_confirmed 13912345678", "order_served 13912345678",
			"order_rejected 13987654321"} {
			if countOf(got, want) != 1 {
				t.Errorf("texts %q: want one %q", got, want)
			}
		}
	})
}

// TestActivityEventsNotify: a volunteer moved up from the waitlist hears of
// it; a change of time tells everyone signed up (not one who cancelled, not
// a member who never signed up), once per change, a change of title alone
// nobody; a cancellation within a day is urgent.
func TestActivityEventsNotify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		now := time.Now().Truncate(time.Second)
		s.SetClock(func() time.Time { return now })
		vs := f.volunteers(t, f.teamA, 4)
		stays, leaves, waits, outsider := vs[0], vs[1], vs[2], vs[3]
		in := f.input(domain.ModeUnit, 2, now.Add(72*time.Hour))
		id := f.create(t, in)
		for _, v := range []volunteer{stays, leaves, waits} {
			if _, err := f.svc.SignUp(ctx, v.Caller, id); err != nil {
				t.Fatal(err)
			}
		}
		must(t, f.svc.CancelSignup(ctx, leaves.Caller, id))

		now = now.Add(time.Second)
		in.StartsAt, in.EndsAt = in.StartsAt.Add(time.Hour), in.EndsAt.Add(time.Hour)
		must(t, f.svc.UpdateActivity(ctx, f.leader, id, in))
		now = now.Add(time.Second)
		in.Title = "春季防疫（二）"
		must(t, f.svc.UpdateActivity(ctx, f.leader, id, in))
		now = now.Add(time.Second)
		in.Address = "嘎查委员会院内"
		must(t, f.svc.UpdateActivity(ctx, f.leader, id, in))

		changed := []domain.Event{domain.EventActivityChanged, domain.EventActivityChanged}
		for _, c := range []struct {
			who  string
			v    volunteer
			want []domain.Event
		}{
			{"the one who stays", stays, changed},
			{"the one who left", leaves, nil},
			{"the one moved up", waits, append([]domain.Event{domain.EventSignupPromoted}, changed...)},
			{"a member not signed up", outsider, nil},
		} {
			if got := events(t, s, c.v.UserID); !slices.Equal(got, c.want) {
				t.Errorf("%s heard %v, want %v", c.who, got, c.want)
			}
		}
		list, _ := s.Notifications(ctx, stays.UserID, 0, 1)
		if len(list) != 1 || list[0].Args[0] != "春季防疫（二）" || !strings.Contains(list[0].Args[2], "嘎查委员会院内") {
			t.Errorf("the second change: %+v, want the new title and place", list)
		}

		// Called off five hours before the start: at once, whatever the hour.
		soon := f.create(t, f.input(domain.ModeUnit, 5, now.Add(5*time.Hour)))
		if _, err := f.svc.SignUp(ctx, stays.Caller, soon); err != nil {
			t.Fatal(err)
		}
		must(t, f.svc.CancelActivity(ctx, f.leader, soon, "暴雪预警"))
		list, _ = s.Notifications(ctx, stays.UserID, 0, 1)
		if len(list) != 1 || list[0].Event != domain.EventActivityCancelled || list[0].Args[2] != "暴雪预警" {
			t.Fatalf("cancelled: %+v", list)
		}
		urgent := 0
		for id := int64(1); ; id++ {
			d, err := s.Delivery(ctx, id)
			if err != nil {
				break
			}
			if d.Event == domain.EventActivityCancelled && d.Urgent {
				urgent++
			}
		}
		if urgent != 1 {
			t.Errorf("%d urgent deliveries of the cancellation, want the one text", urgent)
		}
	})
}

// TestRecordEventsNotify: the volunteer hears of a certificate; whoever
// asked for a correction hears the decision and its reason.
func TestRecordEventsNotify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRecords(t, s)
		vs := f.volunteers(t, f.teamA, 2)
		v, other := vs[0], vs[1]
		a1 := f.serve(t, v, "春季牲畜防疫", time.Date(2026, 3, 2, 9, 0, 0, 0, domain.ChinaZone), 8*60)
		f.clock = time.Date(2026, 3, 20, 10, 0, 0, 0, domain.ChinaZone)
		cert, err := f.svc.IssueCertificate(ctx, f.orgAdmin, domain.CertificateInput{PersonID: v.person, OrgID: f.unitA,
			From: "2026-03-01", To: "2026-03-20", Responsible: "张志强", Contact: "0471-1234567"})
		must(t, err)
		vid, err := f.svc.RequestCorrection(ctx, f.leader, v.person, a1, domain.CorrectionInput{Minutes: 360, Reason: "中途离开两小时"})
		must(t, err)
		_, err = f.svc.DecideCorrection(ctx, f.orgAdmin, vid, false, "签到记录完整")
		must(t, err)

		if got := events(t, s, v.UserID); !slices.Equal(got, []domain.Event{domain.EventCertificateIssued}) {
			t.Errorf("the volunteer heard %v", got)
		}
		if got := events(t, s, other.UserID); len(got) != 0 {
			t.Errorf("another volunteer heard %v", got)
		}
		list, _ := s.Notifications(ctx, v.UserID, 0, 1)
		if len(list) != 1 || list[0].Link != "/certificates/"+strconv.FormatInt(cert, 10) {
			t.Errorf("certificate notice %+v", list)
		}
		list, _ = s.Notifications(ctx, f.leader.UserID, 0, 5)
		if len(list) != 1 || list[0].Event != domain.EventCorrectionDecided {
			t.Fatalf("the leader who asked heard %+v", list)
		}
		list[0].Lang = "zh-CN"
		if _, body := service.NotificationText(list[0]); !strings.Contains(body, "已驳回") || !strings.Contains(body, "签到记录完整") {
			t.Errorf("decision text %q, want the decision and its reason", body)
		}
		if got := events(t, s, f.orgAdmin.UserID); len(got) != 0 {
			t.Errorf("the deciding admin heard %v", got)
		}
	})
}

// checkDemoNotices checks every demo account opens onto unread
// notifications that render in both languages.
func checkDemoNotices(t *testing.T, s *store.Store, logins []service.DemoLogin) {
	t.Helper()
	ctx := context.Background()
	for _, l := range logins {
		a, err := s.AccountByUsername(ctx, l.Username)
		must(t, err)
		if n, err := s.UnreadNotifications(ctx, a.ID); err != nil || n == 0 {
			t.Errorf("demo account %s has %d unread notifications (%v), want a few", l.Username, n, err)
		}
		events(t, s, a.ID)
	}
}
