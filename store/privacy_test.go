package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestErasePerson erases a volunteer with hours, a certificate, skills and
// an account: every personal field is gone, the account is disabled and
// signed out, the team's and the org's totals are identical before and
// after, the audit summary names no personal data, and a second erasure is
// refused.
func TestErasePerson(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		cats, _ := s.ListCategories(ctx, false)
		var root, unit, team, act, future, user, order, otherOrder int64
		var people []int64
		start := time.Date(2026, 4, 1, 9, 0, 0, 0, domain.ChinaZone)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(s.Write(ctx, actor, func(tx *store.Tx) (err error) {
			if root, err = tx.CreateOrg(0, "committee", "工委"); err != nil {
				return err
			}
			if unit, err = tx.CreateOrg(root, "unit", "农牧业局"); err != nil {
				return err
			}
			if team, err = tx.CreateTeam(domain.Team{OrgID: unit, Kind: domain.TeamParty, Name: "农牧队"}); err != nil {
				return err
			}
			people, err = tx.CreatePeople([]domain.ValidPerson{
				{Name: "王芳", Gender: domain.GenderFemale, Phone: "13700000001", PoliticalStatus: "party_member", OrgID: unit,
					Skills: []string{"住在幸福小区3号楼"}, Talents: []string{"王家祖传书法"}},
				{Name: "李强", Gender: domain.GenderMale, Phone: "13700000002", PoliticalStatus: "party_member", OrgID: unit},
			}, []store.SealedID{{Cipher: "sealed", Hash: "hash1", Masked: "1501**********1234"}, {}})
			if err != nil {
				return err
			}
			if user, err = tx.CreateUser(store.NewUser{Username: "13700000001", DisplayName: "王芳", PasswordHash: "x"}); err != nil {
				return err
			}
			if err := tx.LinkPersonUser(people[0], user); err != nil {
				return err
			}
			// The account's two-factor data, a pending sign-in, failures
			// counted under its username (the phone), an order it placed
			// and its registration, rejected with a reason.
			if err := tx.BeginTOTP(user, "sealed-secret"); err != nil {
				return err
			}
			if err := tx.EnableTOTP(user, 1, []string{"code1", "code2"}); err != nil {
				return err
			}
			if err := tx.CreateLoginChallenge(store.LoginChallenge{ID: "challenge", SecretHash: "x", UserID: user,
				IP: "10.0.0.1", UserAgent: "test"}); err != nil {
				return err
			}
			if _, err := tx.RecordLoginFailure("13700000001", "10.0.0.1"); err != nil {
				return err
			}
			placed := store.NewOrder{Code: "placed", UserID: user, OrderInput: domain.OrderInput{Channel: domain.ChannelOnline,
				RequesterName: "王芳", RequesterPhone: "13700000001", Address: "幸福小区活动室", DateFrom: "2026-05-01", DateTo: "2026-05-01"}}
			if order, err = tx.CreateOrder(placed); err != nil {
				return err
			}
			hotline := store.NewOrder{Code: "hotline", OrderInput: domain.OrderInput{Channel: domain.ChannelHotline,
				RequesterName: "赵大妈", RequesterPhone: "13900000009", DateFrom: "2026-05-01", DateTo: "2026-05-01"}}
			if otherOrder, err = tx.CreateOrder(hotline); err != nil {
				return err
			}
			reg, err := tx.CreateRegistration(store.NewRegistration{UserID: user, Name: "王芳", Phone: "13700000001",
				Gender: domain.GenderFemale, PoliticalStatus: "party_member", DecideOrgID: unit})
			if err != nil {
				return err
			}
			if err := tx.RejectRegistration(domain.Registration{ID: reg}, "王芳的电话13700000001与花名册不符"); err != nil {
				return err
			}
			for _, p := range people {
				if _, err := tx.AddMember(team, p, domain.MemberRegular, "2026-01-01"); err != nil {
					return err
				}
			}
			in := domain.ActivityInput{Title: "春季防疫", Mode: domain.ModeUnit, TeamID: team, Address: "镇政府",
				CategoryIDs: []int64{cats[0].ID}, StartsAt: start, EndsAt: start.Add(6 * time.Hour), Capacity: 5}
			in.Normalize()
			if act, err = tx.CreateActivity(in, unit); err != nil {
				return err
			}
			for i, p := range people {
				if _, err = tx.SignUp(act, p, team, false); err != nil {
					return err
				}
				if err = tx.RecordPair(act, p, start, start.Add(time.Duration(3+i)*time.Hour)); err != nil {
					return err
				}
			}
			if _, _, err = tx.CompleteActivity(act); err != nil {
				return err
			}
			// An activity still to come, where the volunteer holds a place.
			later := time.Now().Add(30 * 24 * time.Hour)
			in2 := domain.ActivityInput{Title: "秋季义诊", Mode: domain.ModeUnit, TeamID: team, Address: "镇卫生院",
				CategoryIDs: []int64{cats[0].ID}, StartsAt: later, EndsAt: later.Add(3 * time.Hour), Capacity: 5}
			in2.Normalize()
			if future, err = tx.CreateActivity(in2, unit); err != nil {
				return err
			}
			if _, err = tx.SignUp(future, people[0], team, false); err != nil {
				return err
			}
			if err := tx.SetPersonReach(people[0], "wangfang@example.org", "wx-openid-1"); err != nil {
				return err
			}
			// A notification waiting to be emailed and texted.
			if _, err := tx.Notify(store.NewNotification{Event: domain.EventSignupPromoted, Subject: "activity:1",
				PersonID: people[0], Args: []string{"秋季义诊"}}); err != nil {
				return err
			}
			_, err = tx.IssueCertificate(store.NewCertificate{PersonID: people[0], OrgID: unit, From: "2026-04-01",
				To: "2026-04-30", Responsible: "张志强", Handler: "管理员", Check: "ABCDEF"})
			return err
		}))
		must(store.ExecForTest(s, "INSERT INTO login_locks (username, ip, locked_until) VALUES ('13700000001', '*', 4102444800000000)"))
		teamBefore, err := s.TeamCredit(ctx, team)
		must(err)
		orgBefore, err := s.OrgCredit(ctx, root)
		must(err)
		minutesBefore, err := s.PersonMinutes(ctx, people[0])
		must(err)

		var e store.Erasure
		must(s.Write(ctx, actor, func(tx *store.Tx) (err error) {
			e, err = tx.ErasePerson(people[0], "本人申请注销")
			return err
		}))
		p, err := s.PersonByID(ctx, people[0])
		must(err)
		if !p.Erased || p.Name != domain.ErasedName(people[0]) || p.Phone == "13700000001" || p.HasIDCard ||
			p.IDCardMasked != "" || p.UserID != 0 || len(p.Skills) != 0 {
			t.Errorf("erased person %+v", p)
		}
		if len(p.Talents) != 0 || store.CountForTest(s, "SELECT COUNT(*) FROM person_talents WHERE person_id = ?", people[0]) != 0 {
			t.Errorf("talents kept: %v", p.Talents)
		}
		if n := store.CountForTest(s, "SELECT COUNT(*) FROM people WHERE id = ? AND (email <> '' OR wechat_openid <> '')", people[0]); n != 0 {
			t.Error("the erased person's email or WeChat openid kept")
		}
		if n := store.CountForTest(s, "SELECT COUNT(*) FROM notification_deliveries"); n != 0 {
			t.Errorf("%d deliveries (with the erased person's address) kept", n)
		}
		for _, table := range []string{"totp_secrets", "totp_recovery_codes", "login_challenges", "notifications"} {
			if n := store.CountForTest(s, "SELECT COUNT(*) FROM "+table+" WHERE user_id = ?", user); n != 0 {
				t.Errorf("%s: %d rows of the erased account kept", table, n)
			}
		}
		for _, table := range []string{"login_failures", "login_locks"} {
			if n := store.CountForTest(s, "SELECT COUNT(*) FROM "+table+" WHERE username = ?", "13700000001"); n != 0 {
				t.Errorf("%s: %d rows under the erased account's username kept", table, n)
			}
		}
		if o, err := s.OrderByID(ctx, order); err != nil || o.RequesterName != "" || o.RequesterPhone != "" || o.Address != "幸福小区活动室" {
			t.Errorf("order the account placed: %q %q %q, %v; want no name, no phone, the place kept",
				o.RequesterName, o.RequesterPhone, o.Address, err)
		}
		if o, _ := s.OrderByID(ctx, otherOrder); o.RequesterName != "赵大妈" || o.RequesterPhone != "13900000009" {
			t.Errorf("another requester's order changed: %q %q", o.RequesterName, o.RequesterPhone)
		}
		if r, err := s.RegistrationByUser(ctx, user); err != nil || r.Reason != "" || r.Name != e.Pseudonym || r.Phone != "" {
			t.Errorf("registration after erasure: %+v, %v", r, err)
		}
		if cipher, _ := s.IDCardCipher(ctx, people[0]); cipher != "" {
			t.Errorf("ID cipher kept: %q", cipher)
		}
		if other, _ := s.PersonByID(ctx, people[1]); other.Name != "李强" || other.Erased {
			t.Errorf("the other person changed: %+v", other)
		}
		u, err := s.UserByID(ctx, user)
		must(err)
		if !u.Disabled || u.Username == "13700000001" || u.DisplayName == "王芳" || e.UserID != user {
			t.Errorf("account after erasure %+v (erasure %+v)", u, e)
		}
		certs, _, err := s.ListCertificates(ctx, store.CertificateFilter{Scope: domain.Scope{All: true}, PersonID: people[0], Limit: 10})
		must(err)
		if len(certs) != 1 || certs[0].PersonName != e.Pseudonym || certs[0].Minutes != minutesBefore {
			t.Errorf("certificates after erasure %+v", certs)
		}
		teamAfter, _ := s.TeamCredit(ctx, team)
		orgAfter, _ := s.OrgCredit(ctx, root)
		minutesAfter, _ := s.PersonMinutes(ctx, people[0])
		if teamAfter != teamBefore || orgAfter != orgBefore || minutesAfter != minutesBefore || teamBefore.Minutes != 7*60 {
			t.Errorf("totals changed: team %+v -> %+v, org %+v -> %+v, person %v -> %v",
				teamBefore, teamAfter, orgBefore, orgAfter, minutesBefore, minutesAfter)
		}
		// Their place in the activity to come is given up.
		if fa, err := s.ActivityByID(ctx, future); err != nil || fa.Taken != 0 || e.Signups != 1 {
			t.Errorf("activity to come after erasure: taken %d, %v (erasure %+v)", fa.Taken, err, e)
		}
		// The erased person has left the team; the other is still a member.
		if roster, err := s.Roster(ctx, team, false); err != nil || len(roster) != 1 || roster[0].PersonID != people[1] || e.Memberships != 1 {
			t.Errorf("current roster after erasure %+v, %v (erasure %+v)", roster, err, e)
		}
		entries, err := s.ListAudit(ctx, domain.AuditFilter{Action: "person.erase"})
		must(err)
		if len(entries) != 1 {
			t.Fatalf("%d erase audit entries", len(entries))
		}
		if raw := fmt.Sprint(entries[0]); containsAny(raw, "王芳", "13700000001", "1501", "幸福小区") {
			t.Errorf("the erase audit entry holds personal data: %s", raw)
		}
		err = s.Write(ctx, actor, func(tx *store.Tx) error { _, err := tx.ErasePerson(people[0], "again"); return err })
		if domain.ErrCode(err) != domain.CodeConflict {
			t.Errorf("second erasure: %v, want conflict", err)
		}
	})
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if len(x) > 0 && strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// TestClearOldContacts runs contact retention with the store's clock: an
// order closed 25 months ago loses its requester's name and phone, one
// closed 23 months ago and one still open keep them; suggestions the same;
// the batch limit holds; each non-empty pass is one audited system entry
// with the counts, and an empty pass writes nothing.
func TestClearOldContacts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
		at := func(months int) { s.SetClock(func() time.Time { return now.AddDate(0, -months, 0) }) }
		order := func(code string, closeIt bool) int64 {
			var id int64
			err := s.Write(ctx, actor, func(tx *store.Tx) (err error) {
				id, err = tx.CreateOrder(store.NewOrder{Code: code, OrderInput: domain.OrderInput{Channel: domain.ChannelHotline,
					RequesterName: "赵大妈", RequesterPhone: "13900000009", DateFrom: "2024-05-16", DateTo: "2024-05-16"}})
				if err == nil && closeIt {
					_, err = tx.TransitionOrder(id, domain.EventReject, "不在服务范围")
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		suggestion := func(code string, closeIt bool) int64 {
			var id int64
			err := s.Write(ctx, actor, func(tx *store.Tx) (err error) {
				id, err = tx.CreateSuggestion(code, domain.SuggestionInput{Name: "钱大爷", Phone: "13900000008", Body: "路灯坏了"})
				if err == nil && closeIt {
					err = tx.CloseSuggestion(id)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		at(25)
		old1, old2, old3 := order("o1", true), order("o2", true), order("o3", true)
		openOld := order("o4", false)
		oldS := suggestion("s1", true)
		at(23)
		recent := order("o5", true)
		recentS := suggestion("s2", true)
		at(0)
		cutoff := now.AddDate(0, -24, 0)
		pass := func(limit int) (o, sg int64) {
			err := s.Write(ctx, domain.SystemActor, func(tx *store.Tx) (err error) {
				o, sg, err = tx.ClearOldContacts(cutoff, limit)
				if err == nil && o+sg == 0 {
					return errNothing
				}
				return err
			})
			if err != nil && err != errNothing {
				t.Fatal(err)
			}
			return o, sg
		}
		if o, sg := pass(2); o != 2 || sg != 1 {
			t.Errorf("first pass cleared %d orders, %d suggestions; want 2 (the batch) and 1", o, sg)
		}
		if o, sg := pass(2); o != 1 || sg != 0 {
			t.Errorf("second pass cleared %d orders, %d suggestions; want 1 and 0", o, sg)
		}
		if o, sg := pass(2); o != 0 || sg != 0 {
			t.Errorf("third pass cleared %d, %d; want nothing", o, sg)
		}
		for _, id := range []int64{old1, old2, old3} {
			if o, _ := s.OrderByID(ctx, id); o.RequesterName != "" || o.RequesterPhone != "" {
				t.Errorf("old closed order %d kept %q %q", id, o.RequesterName, o.RequesterPhone)
			}
		}
		for _, id := range []int64{openOld, recent} {
			if o, _ := s.OrderByID(ctx, id); o.RequesterName != "赵大妈" || o.RequesterPhone != "13900000009" {
				t.Errorf("order %d (open or recent) lost its contact: %q %q", id, o.RequesterName, o.RequesterPhone)
			}
		}
		if sg, _ := s.SuggestionByID(ctx, oldS); sg.Name != "" || sg.Phone != "" {
			t.Errorf("old suggestion kept %q %q", sg.Name, sg.Phone)
		}
		if sg, _ := s.SuggestionByID(ctx, recentS); sg.Name != "钱大爷" || sg.Phone != "13900000008" {
			t.Errorf("recent suggestion lost %q %q", sg.Name, sg.Phone)
		}
		entries, err := s.ListAudit(ctx, domain.AuditFilter{Action: "privacy.contacts_cleared"})
		if err != nil || len(entries) != 2 {
			t.Fatalf("%d retention audit entries, %v; want 2 (empty passes write none)", len(entries), err)
		}
		if raw := fmt.Sprint(entries); containsAny(raw, "赵大妈", "13900000009", "钱大爷") {
			t.Errorf("retention audit holds personal data: %s", raw)
		}
	})
}

var errNothing = fmt.Errorf("nothing to clear")
