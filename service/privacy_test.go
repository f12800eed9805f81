package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestMyData: a volunteer's download holds their own record — their phone
// in full, their activity and hours — and nobody else's; it is audited as
// an export; a user with no person on file gets "not found"; the workbook
// carries the same data.
func TestMyData(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newPhotoFixture(t, s)
		d, err := f.svc.MyData(ctx, f.callers["volunteer in"], "json")
		must(t, err)
		raw, _ := json.Marshal(d)
		if d.Person.Name != "王芳" || d.Person.Phone != "13900000001" || len(d.Activities) != 1 || !d.Activities[0].Attended ||
			d.PersonTimes != 1 || d.TotalHours != "1" || len(d.Records) != 1 {
			t.Errorf("own data %s", raw)
		}
		if strings.Contains(string(raw), "李强") || strings.Contains(string(raw), "13900000002") {
			t.Errorf("own data holds another person's: %s", raw)
		}
		other, err := f.svc.MyData(ctx, f.callers["volunteer out"], "json")
		if err != nil || other.Person.Name != "李强" || len(other.Activities) != 0 {
			t.Errorf("the other volunteer's own data: %+v, %v", other, err)
		}
		if _, err := f.svc.MyData(ctx, f.callers["site contact"], "json"); domain.ErrCode(err) != domain.CodeNotFound {
			t.Errorf("a user with no person on file: %v, want not found", err)
		}
		if _, err := f.svc.MyData(ctx, domain.Caller{}, "json"); domain.ErrCode(err) != domain.CodeUnauthorized {
			t.Errorf("anonymous: %v, want unauthorized", err)
		}
		ex, err := f.svc.MyDataBook(ctx, f.callers["volunteer in"])
		must(t, err)
		var buf bytes.Buffer
		_, err = ex.Book.WriteTo(&buf)
		ex.Book.Close()
		must(t, err)
		x, err := excelize.OpenReader(&buf)
		must(t, err)
		defer x.Close()
		rows, err := x.GetRows("个人信息")
		must(t, err)
		if len(rows) < 4 || rows[1][1] != "王芳" || !strings.HasPrefix(rows[2][1], "XF") || rows[4][1] != "13900000001" {
			t.Errorf("person sheet %v", rows)
		}
		if acts, _ := x.GetRows("服务活动"); len(acts) != 2 || acts[1][0] != "春季防疫" {
			t.Errorf("activity sheet %v", acts)
		}
		entries, err := s.ListAudit(ctx, domain.AuditFilter{Action: "person.own_data_export"})
		if err != nil || len(entries) != 3 {
			t.Errorf("%d own-data audit entries, %v; want 3 (two JSON, one workbook)", len(entries), err)
		}
	})
}

// TestErasePersonService: only the committee erases, with a reason; the
// erased volunteer's account is gone from their person, so their own-data
// download finds nothing; a second erasure is refused.
func TestErasePersonService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newPhotoFixture(t, s)
		me, err := f.svc.MyData(ctx, f.callers["volunteer in"], "json")
		must(t, err)
		p, err := s.PersonByUserID(ctx, f.callers["volunteer in"].UserID)
		must(t, err)
		if _, err := f.svc.ErasePerson(ctx, f.callers["org admin"], p.ID, "本人申请"); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("org admin erases: %v, want forbidden", err)
		}
		_, err = f.svc.ErasePerson(ctx, f.callers["committee"], p.ID, "  ")
		if e, ok := domain.AsError(err); !ok || e.Field != "reason" {
			t.Errorf("no reason: %v, want a fault on reason", err)
		}
		e, err := f.svc.ErasePerson(ctx, f.callers["committee"], p.ID, "本人书面申请注销")
		must(t, err)
		if e.UserID != f.callers["volunteer in"].UserID {
			t.Errorf("erasure %+v did not take the account", e)
		}
		after, err := s.PersonByID(ctx, p.ID)
		must(t, err)
		if !after.Erased || after.Name == "王芳" || after.Phone == me.Person.Phone {
			t.Errorf("person after erasure %+v", after)
		}
		if _, err := f.svc.MyData(ctx, f.callers["volunteer in"], "json"); domain.ErrCode(err) != domain.CodeNotFound {
			t.Errorf("own data after erasure: %v, want not found", err)
		}
		if _, err := f.svc.ErasePerson(ctx, f.callers["committee"], p.ID, "再次"); domain.ErrCode(err) != domain.CodeConflict {
			t.Errorf("second erasure: %v, want conflict", err)
		}
		// An erased person is not edited or given an account again.
		in := domain.PersonInput{Name: "王芳", Gender: "female", Phone: "13900000001", PoliticalStatus: "party_member",
			OrgID: after.OrgID}
		if err := f.svc.UpdatePerson(ctx, f.callers["committee"], p.ID, in); domain.ErrCode(err) != domain.CodeConflict {
			t.Errorf("editing an erased person: %v, want conflict", err)
		}
		if _, _, err := f.svc.OpenAccount(ctx, f.callers["committee"], p.ID, domain.RoleVolunteer, 0, "wangfang2"); domain.ErrCode(err) != domain.CodeConflict {
			t.Errorf("opening an account for an erased person: %v, want conflict", err)
		}
	})
}

// TestContactRetention: the committee sets the retention within 6 to 120
// months; the housekeeping round clears the contact of an order closed
// longer ago than that, as the system, and keeps a newer one.
func TestContactRetention(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newPhotoFixture(t, s)
		committee := f.callers["committee"]
		if n, err := f.svc.PrivacySettings(ctx, committee); err != nil || n != domain.DefaultContactRetention {
			t.Errorf("default retention %d, %v; want 24", n, err)
		}
		for _, bad := range []string{"5", "121", "十二", ""} {
			if err := f.svc.SetContactRetention(ctx, committee, bad); domain.ErrCode(err) != domain.CodeInvalid {
				t.Errorf("retention %q: %v, want invalid", bad, err)
			}
		}
		if err := f.svc.SetContactRetention(ctx, f.callers["org admin"], "12"); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("org admin sets retention: %v, want forbidden", err)
		}
		must(t, f.svc.SetContactRetention(ctx, committee, "12"))
		now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
		order := func(code string, monthsAgo int) int64 {
			s.SetClock(func() time.Time { return now.AddDate(0, -monthsAgo, 0) })
			var id int64
			must(t, s.Write(ctx, domain.SystemActor, func(tx *store.Tx) (err error) {
				id, err = tx.CreateOrder(store.NewOrder{Code: code, OrderInput: domain.OrderInput{Channel: domain.ChannelHotline,
					RequesterName: "赵大妈", RequesterPhone: "13900000009", DateFrom: "2025-05-16", DateTo: "2025-05-16"}})
				if err == nil {
					_, err = tx.TransitionOrder(id, domain.EventCancel, "")
				}
				return err
			}))
			return id
		}
		old, recent := order("r1", 13), order("r2", 11)
		s.SetClock(func() time.Time { return now })
		must(t, f.svc.Housekeep(ctx))
		if o, _ := s.OrderByID(ctx, old); o.RequesterName != "" || o.RequesterPhone != "" {
			t.Errorf("order closed 13 months ago kept %q %q", o.RequesterName, o.RequesterPhone)
		}
		if o, _ := s.OrderByID(ctx, recent); o.RequesterPhone != "13900000009" {
			t.Errorf("order closed 11 months ago lost its phone")
		}
		entries, err := s.ListAudit(ctx, domain.AuditFilter{Action: "privacy.contacts_cleared"})
		if err != nil || len(entries) != 1 || entries[0].Username != "system" || !strings.Contains(entries[0].After, `"orders":1`) {
			t.Errorf("retention audit %+v, %v", entries, err)
		}
		must(t, f.svc.Housekeep(ctx))
		if entries, _ := s.ListAudit(ctx, domain.AuditFilter{Action: "privacy.contacts_cleared"}); len(entries) != 1 {
			t.Errorf("an idle round wrote %d entries, want none more", len(entries)-1)
		}
	})
}
