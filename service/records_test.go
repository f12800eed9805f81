package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// recordFixture is the activity fixture with staff who are real accounts
// (corrections name their requester and approver) and a clock to move.
type recordFixture struct {
	*activityFixture
	leader, orgAdmin, orgAdminB, committee domain.Caller
	clock                                  time.Time
}

func newRecords(t *testing.T, s *store.Store) *recordFixture {
	t.Helper()
	f := &recordFixture{activityFixture: newActivities(t, s)}
	ctx := context.Background()
	orgA, _ := s.OrgByID(ctx, f.unitA)
	orgB, _ := s.OrgByID(ctx, f.unitB)
	staff := func(name string, g domain.Grant) domain.Caller {
		var id int64
		err := s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
			if id, err = tx.CreateUser(store.NewUser{Username: name, DisplayName: name + "显示名", PasswordHash: "x"}); err != nil {
				return err
			}
			return tx.Grant(id, g.Role, g.ScopeID)
		})
		if err != nil {
			t.Fatal(err)
		}
		g.UserID = id
		return domain.Caller{Principal: domain.Principal{UserID: id, Username: name, DisplayName: name + "显示名",
			Grants: []domain.Grant{g}, PersonID: linkedPerson}, IP: "127.0.0.1", RequestID: name}
	}
	f.leader = staff("rec-leader", domain.Grant{Role: domain.RoleTeamLeader, ScopeID: f.teamA})
	f.orgAdmin = staff("rec-orgadmin", domain.Grant{Role: domain.RoleOrgAdmin, ScopeID: f.unitA, OrgPath: orgA.Path})
	f.orgAdminB = staff("rec-orgadmin-b", domain.Grant{Role: domain.RoleOrgAdmin, ScopeID: f.unitB, OrgPath: orgB.Path})
	f.committee = staff("rec-committee", domain.Grant{Role: domain.RoleCommitteeAdmin})
	f.clock = time.Date(2026, 3, 1, 8, 0, 0, 0, domain.ChinaZone)
	s.SetClock(func() time.Time { return f.clock })
	return f
}

// serve runs an activity of team A starting at start for hours, v attending
// all of it, and completes it as the leader would.
func (f *recordFixture) serve(t *testing.T, v volunteer, title string, start time.Time, hours domain.Minutes) int64 {
	t.Helper()
	ctx := context.Background()
	f.clock = start.Add(-48 * time.Hour)
	in := f.input(domain.ModeUnit, 10, start)
	in.Title, in.EndsAt = title, start.Add(hours.Duration())
	id := f.create(t, in)
	if _, err := f.svc.SignUp(ctx, v.Caller, id); err != nil {
		t.Fatalf("SignUp: %v", err)
	}
	f.clock = in.EndsAt.Add(time.Hour)
	if err := f.svc.RecordPair(ctx, f.leader, id, v.person, start, in.EndsAt); err != nil {
		t.Fatalf("RecordPair: %v", err)
	}
	if _, _, err := f.svc.CompleteActivity(ctx, f.leader, id); err != nil {
		t.Fatalf("CompleteActivity: %v", err)
	}
	return id
}

// TestRecordCorrectedTwiceKeepsCertificate is issue 7's must-show: a
// record corrected twice shows three versions to an admin, the hours that
// count are the latest approved, and the certificate issued before the
// corrections is unchanged.
func TestRecordCorrectedTwiceKeepsCertificate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRecords(t, s)
		vs := f.volunteers(t, f.teamA, 2)
		v, other := vs[0], vs[1]
		a1 := f.serve(t, v, "春季牲畜防疫", time.Date(2026, 3, 2, 9, 0, 0, 0, domain.ChinaZone), 8*60)
		f.serve(t, v, "法律宣传进嘎查", time.Date(2026, 3, 9, 9, 0, 0, 0, domain.ChinaZone), 4*60)
		f.clock = time.Date(2026, 3, 20, 10, 0, 0, 0, domain.ChinaZone)

		id, err := f.svc.IssueCertificate(ctx, f.orgAdmin, domain.CertificateInput{PersonID: v.person, OrgID: f.unitA,
			From: "2026-03-01", To: "2026-03-20", Responsible: "张志强", Contact: "0471-1234567"})
		if err != nil {
			t.Fatalf("IssueCertificate: %v", err)
		}
		before, err := f.svc.Certificate(ctx, f.orgAdmin, id)
		if err != nil || before.Minutes != 720 || before.PersonTimes != 2 || len(before.Items) != 2 ||
			before.Handler != "rec-orgadmin显示名" || !strings.HasPrefix(before.Number, "VG-2026-") {
			t.Fatalf("the certificate: %+v, %v", before, err)
		}

		// First correction: asked by the leader, approved by the org admin.
		f.clock = f.clock.Add(time.Hour)
		if _, err := f.svc.RequestCorrection(ctx, f.leader, v.person, a1, domain.CorrectionInput{Minutes: 360, Reason: "中途离开两小时"}); err != nil {
			t.Fatalf("RequestCorrection: %v", err)
		}
		if _, err := f.svc.RequestCorrection(ctx, f.orgAdmin, v.person, a1, domain.CorrectionInput{Minutes: 300, Reason: "x"}); !codeKey(err, domain.CodeConflict, "err.record.pending") {
			t.Fatalf("a second request while one waits: got %v", err)
		}
		pending, _ := f.svc.PendingCorrections(ctx, f.orgAdmin)
		if len(pending) != 1 || pending[0].Previous != 480 || pending[0].Minutes != 360 || !service.CanDecide(f.orgAdmin, pending[0]) ||
			service.CanDecide(f.leader, pending[0]) {
			t.Fatalf("the queue: %+v", pending)
		}
		if _, err := f.svc.DecideCorrection(ctx, f.leader, pending[0].ID, true, ""); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("a leader approves: got %v, want forbidden", err)
		}
		if _, err := f.svc.DecideCorrection(ctx, f.orgAdminB, pending[0].ID, true, ""); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("another unit's admin approves: got %v, want forbidden", err)
		}
		if _, err := f.svc.DecideCorrection(ctx, f.orgAdmin, pending[0].ID, false, " "); !fieldIs(err, "note", "err.record.reject_reason") {
			t.Fatalf("a rejection without a reason: got %v", err)
		}
		f.clock = f.clock.Add(time.Hour)
		if _, err := f.svc.DecideCorrection(ctx, f.orgAdmin, pending[0].ID, true, ""); err != nil {
			t.Fatalf("approve: %v", err)
		}
		if _, err := f.svc.DecideCorrection(ctx, f.committee, pending[0].ID, true, ""); !codeKey(err, domain.CodeConflict, "err.record.decided") {
			t.Fatalf("approve twice: got %v", err)
		}

		// Second correction: asked by the org admin, who may not approve
		// it; the committee does.
		f.clock = f.clock.Add(time.Hour)
		vid, err := f.svc.RequestCorrection(ctx, f.orgAdmin, v.person, a1, domain.CorrectionInput{Minutes: 450, Reason: "复核签到表"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.DecideCorrection(ctx, f.orgAdmin, vid, true, ""); !codeKey(err, domain.CodeForbidden, "err.record.own_request") {
			t.Fatalf("approving one's own request: got %v", err)
		}
		f.clock = f.clock.Add(time.Hour)
		if _, err := f.svc.DecideCorrection(ctx, f.committee, vid, true, "已核实"); err != nil {
			t.Fatal(err)
		}

		d, err := f.svc.Record(ctx, f.orgAdmin, v.person, a1)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, x := range d.Versions {
			got = append(got, x.Minutes.Hours()+" "+string(x.State)+" "+x.RequestedName+" "+x.DecidedName)
		}
		want := []string{"8 approved  ", "6 approved rec-leader显示名 rec-orgadmin显示名", "7.5 approved rec-orgadmin显示名 rec-committee显示名"}
		if strings.Join(got, "|") != strings.Join(want, "|") || d.Record.Minutes != 450 || !d.Record.Corrected() {
			t.Fatalf("versions: %q (minutes %v), want %q", got, d.Record.Minutes, want)
		}
		page, err := f.svc.PersonRecords(ctx, f.orgAdmin, v.person)
		if err != nil || page.Stars.Minutes != 690 || len(page.Records) != 2 || len(page.Certificates) != 1 {
			t.Fatalf("the record page: %+v, %v", page, err)
		}

		after, err := f.svc.Certificate(ctx, f.orgAdmin, id)
		if err != nil || after.Minutes != 720 || after.Items[0].Minutes != 480 || after.Items[1].Minutes != 240 || after.Number != before.Number {
			t.Fatalf("the certificate after the corrections: %+v, %v; want it unchanged: %+v", after, err, before)
		}
		// A new certificate counts the corrected hours.
		id2, err := f.svc.IssueCertificate(ctx, f.committee, domain.CertificateInput{PersonID: v.person,
			OrgID: mustRoot(t, s), From: "2026-03-01", To: "2026-03-20", Responsible: "李明", Contact: "0471-1234567"})
		if err != nil {
			t.Fatal(err)
		}
		if c2, _ := f.svc.Certificate(ctx, f.committee, id2); c2.Minutes != 690 || c2.Number == before.Number {
			t.Fatalf("a certificate issued after: %+v", c2)
		}

		// Every step is in the audit log.
		for _, action := range []string{"service_record.correct_request", "service_record.correct_approve", "certificate.issue"} {
			es, err := s.ListAudit(ctx, domain.AuditFilter{Action: action, Limit: 10})
			if err != nil || len(es) == 0 {
				t.Errorf("audit %s: %d entries, %v", action, len(es), err)
			}
		}

		// The volunteer sees their own record, not another's.
		if _, err := f.svc.PersonRecords(ctx, v.Caller, v.person); err != nil {
			t.Errorf("own record: %v", err)
		}
		if mine, err := f.svc.MyRecords(ctx, v.Caller); err != nil || !mine.Self || mine.Stars.Minutes != 690 {
			t.Errorf("MyRecords: %+v, %v", mine.Stars, err)
		}
		if _, err := f.svc.PersonRecords(ctx, other.Caller, v.person); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("another volunteer's record: got %v, want forbidden", err)
		}
		if _, err := f.svc.Record(ctx, other.Caller, v.person, a1); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("another volunteer's record details: got %v, want forbidden", err)
		}
		if _, err := f.svc.Certificate(ctx, other.Caller, id); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("another volunteer's certificate: got %v, want forbidden", err)
		}
		if _, err := f.svc.Certificate(ctx, v.Caller, id); err != nil {
			t.Errorf("own certificate: %v", err)
		}
		if _, err := f.svc.RequestCorrection(ctx, v.Caller, v.person, a1, domain.CorrectionInput{Minutes: 480, Reason: "x"}); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("a volunteer corrects: got %v, want forbidden", err)
		}
		if l, err := f.svc.Certificates(ctx, v.Caller, 10, 0); err != nil || !l.Own || l.Total != 2 {
			t.Errorf("a volunteer's certificates: %+v, %v", l, err)
		}
		if l, err := f.svc.Certificates(ctx, f.orgAdminB, 10, 0); err != nil || l.Total != 0 {
			t.Errorf("another unit's certificates: %+v, %v", l, err)
		}
	})
}

func mustRoot(t *testing.T, s *store.Store) int64 {
	t.Helper()
	id, err := s.RootOrgID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestOnlyTheRecordingOrgIssues: an org admin of another subtree may not
// issue for the org that recorded the service, and their own org recorded
// none of it.
func TestOnlyTheRecordingOrgIssues(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRecords(t, s)
		v := f.volunteers(t, f.teamA, 1)[0]
		f.serve(t, v, "春季牲畜防疫", time.Date(2026, 3, 2, 9, 0, 0, 0, domain.ChinaZone), 3*60)
		f.clock = time.Date(2026, 3, 10, 9, 0, 0, 0, domain.ChinaZone)
		in := domain.CertificateInput{PersonID: v.person, OrgID: f.unitA, From: "2026-03-01", To: "2026-03-05", Responsible: "张志强", Contact: "0471-1234567"}
		if _, err := f.svc.IssueCertificate(ctx, f.orgAdminB, in); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("unit B's admin issues for unit A: got %v, want forbidden", err)
		}
		in.OrgID = f.unitB
		if _, err := f.svc.IssueCertificate(ctx, f.orgAdminB, in); !codeKey(err, domain.CodeConflict, "err.cert.no_service") {
			t.Fatalf("unit B's admin issues for unit B: got %v, want no service", err)
		}
		if _, err := f.svc.IssueCertificate(ctx, f.leader, in); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("a leader issues: got %v, want forbidden", err)
		}
		in.OrgID, in.From = f.unitA, "2026-03-03"
		if _, err := f.svc.IssueCertificate(ctx, f.orgAdmin, in); !codeKey(err, domain.CodeConflict, "err.cert.no_service") {
			t.Fatalf("a period without service: got %v", err)
		}
		in.From, in.Responsible = "2026-03-01", ""
		if _, err := f.svc.IssueCertificate(ctx, f.orgAdmin, in); !fieldIs(err, "responsible", "err.required") {
			t.Fatalf("no responsible person: got %v", err)
		}
		form, err := f.svc.CertificateIssueForm(ctx, f.orgAdmin, v.person)
		if err != nil || len(form.Orgs) != 1 || form.Orgs[0].ID != f.unitA || form.From != "2026-03-02" {
			t.Fatalf("the issue form: %+v, %v", form, err)
		}
		// Unit B neither recorded the service nor may read the record: no
		// form, so the form cannot be used to look people up.
		if form, err := f.svc.CertificateIssueForm(ctx, f.orgAdminB, v.person); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("unit B's issue form offers %+v, %v; want forbidden", form.Orgs, err)
		}
	})
}

// TestVerifyShowsMaskedDataAndIsLimited: the public check shows a masked
// name and no more, answers unknown and revoked numbers, and refuses a
// client over the limit.
func TestVerifyShowsMaskedDataAndIsLimited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRecords(t, s)
		v := f.volunteers(t, f.teamA, 1)[0]
		f.serve(t, v, "春季牲畜防疫", time.Date(2026, 3, 2, 9, 0, 0, 0, domain.ChinaZone), 3*60)
		id, err := f.svc.IssueCertificate(ctx, f.orgAdmin, domain.CertificateInput{PersonID: v.person, OrgID: f.unitA,
			From: "2026-03-01", To: "2026-03-05", Responsible: "张志强", Contact: "0471-1234567"})
		if err != nil {
			t.Fatal(err)
		}
		cert, _ := f.svc.Certificate(ctx, f.orgAdmin, id)
		public := domain.Caller{IP: "198.51.100.9", RequestID: "p"}
		got, err := f.svc.VerifyCertificate(ctx, public, " "+strings.ToLower(cert.Number))
		if err != nil || got.Revoked || got.Minutes != 180 || got.OrgName != "市农牧业局" || got.MaskedName == cert.PersonName ||
			!strings.Contains(got.MaskedName, "*") || got.Number != cert.Number {
			t.Fatalf("VerifyCertificate = %+v, %v", got, err)
		}
		other := cert.Number[:len(cert.Number)-1] + "2"
		if other == cert.Number {
			other = cert.Number[:len(cert.Number)-1] + "3"
		}
		for _, n := range []string{"VG-2026-999999-ABCDEF", "not a number", other} {
			if _, err := f.svc.VerifyCertificate(ctx, public, n); !codeKey(err, domain.CodeNotFound, "err.cert.unknown") {
				t.Errorf("verify %q: got %v, want unknown", n, err)
			}
		}
		if err := f.svc.RevokeCertificate(ctx, f.orgAdminB, id, "重复出具"); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("another unit revokes: got %v", err)
		}
		if err := f.svc.RevokeCertificate(ctx, f.orgAdmin, id, " "); !fieldIs(err, "reason", "err.cert.revoke_reason") {
			t.Errorf("revoke without a reason: got %v", err)
		}
		if err := f.svc.RevokeCertificate(ctx, f.orgAdmin, id, "重复出具"); err != nil {
			t.Fatal(err)
		}
		if got, err := f.svc.VerifyCertificate(ctx, public, cert.Number); err != nil || !got.Revoked || got.RevokedOn == "" {
			t.Errorf("a revoked certificate: %+v, %v", got, err)
		}
		// 20 lookups in ten minutes, wrong numbers included; then refused.
		limited := domain.Caller{IP: "198.51.100.10", RequestID: "p"}
		for i := 0; i < 20; i++ {
			if _, err := f.svc.VerifyCertificate(ctx, limited, "VG-2026-000009-ABCDEF"); domain.ErrCode(err) != domain.CodeNotFound {
				t.Fatalf("lookup %d: got %v", i+1, err)
			}
		}
		if _, err := f.svc.VerifyCertificate(ctx, limited, cert.Number); !codeKey(err, domain.CodeTooMany, "err.rate.verify") {
			t.Fatalf("lookup 21: got %v, want too many", err)
		}
		if _, err := f.svc.VerifyCertificate(ctx, public, cert.Number); err != nil {
			t.Errorf("another address is not limited: %v", err)
		}
		f.clock = f.clock.Add(11 * time.Minute)
		if _, err := f.svc.VerifyCertificate(ctx, limited, cert.Number); err != nil {
			t.Errorf("after the window: %v", err)
		}
	})
}

// TestStarsOfPeople: the people list's star levels come from one query.
func TestStarsOfPeople(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRecords(t, s)
		vs := f.volunteers(t, f.teamA, 2)
		start := time.Date(2026, 3, 2, 0, 0, 0, 0, domain.ChinaZone)
		a := f.serve(t, vs[0], "驻村帮扶", start, 99*60+59)
		stars, err := f.svc.StarsOfPeople(ctx, f.orgAdmin, []int64{vs[0].person, vs[1].person})
		if err != nil || len(stars) != 0 {
			t.Fatalf("99 h 59 min: %v, %v; want no stars", stars, err)
		}
		f.clock = f.clock.Add(time.Hour)
		if _, err := f.svc.RequestCorrection(ctx, f.leader, vs[0].person, a, domain.CorrectionInput{Minutes: 99*60 + 30, Reason: "x"}); err != nil {
			t.Fatal(err)
		}
		stars, _ = f.svc.StarsOfPeople(ctx, f.orgAdmin, []int64{vs[0].person, vs[1].person})
		if len(stars) != 0 {
			t.Fatalf("a pending correction counts: %v", stars)
		}
		f.serve(t, vs[0], "植树", start.AddDate(0, 0, 10), 1)
		stars, _ = f.svc.StarsOfPeople(ctx, f.orgAdmin, []int64{vs[0].person, vs[1].person})
		if stars[vs[0].person] != 1 || stars[vs[1].person] != 0 {
			t.Fatalf("100 h: %v, want 1 star", stars)
		}
		my, err := f.svc.MyStars(ctx, vs[0].Caller)
		if err != nil || my.Level != 1 || my.Next != 300*60 {
			t.Fatalf("MyStars = %+v, %v", my, err)
		}
	})
}
