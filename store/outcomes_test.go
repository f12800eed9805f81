package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// pastActivity loads a completed activity of the fixture's team in which
// people attended from start for three hours, and returns its id.
func (f *actFixture) pastActivity(tb testing.TB, start time.Time, people []int64) int64 {
	tb.Helper()
	in := domain.ActivityInput{Title: "环境整治", Mode: domain.ModeUnit, TeamID: f.team, SiteID: f.site,
		CategoryIDs: []int64{f.cat}, StartsAt: start, EndsAt: start.Add(3 * time.Hour), Capacity: len(people) + 1}
	in.Normalize()
	if err := in.Validate(start); err != nil {
		tb.Fatal(err)
	}
	a := &store.PastActivity{Input: in, OrgID: f.root, State: domain.ActivityCompleted}
	for _, p := range people {
		a.Signups = append(a.Signups, store.PastSignup{PersonID: p, TeamID: f.team, State: domain.SignupConfirmed, At: start.Add(-time.Hour)})
		a.Attendance = append(a.Attendance, store.PastAttendance{PersonID: p, In: start, Out: start.Add(2 * time.Hour),
			MethodIn: domain.MethodQR, MethodOut: domain.MethodQR})
	}
	if err := f.write(func(tx *store.Tx) error { return tx.LoadPastActivities([]*store.PastActivity{a}) }); err != nil {
		tb.Fatal(err)
	}
	return a.ID
}

func metricID(t *testing.T, s *store.Store, code string) int64 {
	t.Helper()
	ms, err := s.ListMetrics(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Code == code {
			return m.ID
		}
	}
	t.Fatalf("no metric %s", code)
	return 0
}

func TestMetrics(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ms, err := s.ListMetrics(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		seeded := map[string]string{}
		for _, m := range ms {
			seeded[m.Code] = m.UnitZH
		}
		for code, unit := range map[string]string{"trees_planted": "棵", "garbage_loads": "车", "garbage_tons": "吨",
			"fence_built": "米", "boards_cleared": "立方米", "clinic_patients": "人", "donations": "元", "films_shown": "场",
			"lectures": "场", "performances": "场", "livestock_vaccinated": "头", "materials": "份"} {
			if seeded[code] != unit {
				t.Errorf("seeded metric %s has unit %q, want %q", code, seeded[code], unit)
			}
		}
		m := domain.Metric{Code: "wells_dug", NameZH: "打井", NameEN: "Wells dug", UnitZH: "眼", UnitEN: "wells", Sort: 500}
		var id int64
		if err := s.Write(ctx, actor, func(tx *store.Tx) (err error) { id, err = tx.CreateMetric(m); return err }); err != nil {
			t.Fatal(err)
		}
		err = s.Write(ctx, actor, func(tx *store.Tx) error { _, err := tx.CreateMetric(m); return err })
		if e, ok := domain.AsError(err); !ok || e.Field != "code" {
			t.Errorf("a second wells_dug: %v, want a code fault", err)
		}
		before, _ := s.MetricByID(ctx, id)
		after := before
		after.NameZH, after.Code = "打水井", "changed"
		must(t, s.Write(ctx, actor, func(tx *store.Tx) error { return tx.UpdateMetric(before, after) }))
		must(t, s.Write(ctx, actor, func(tx *store.Tx) error { return tx.SetMetricRetired(after, true) }))
		got, _ := s.MetricByID(ctx, id)
		if got.NameZH != "打水井" || got.Code != "wells_dug" || !got.Retired {
			t.Errorf("after update and retire: %+v", got)
		}
		active, _ := s.ListMetrics(ctx, false)
		all, _ := s.ListMetrics(ctx, true)
		if len(all) != len(active)+1 {
			t.Errorf("%d metrics in all, %d in use; want the retired one out of use only", len(all), len(active))
		}
	})
}

func TestSaveOutcome(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		aid := f.pastActivity(t, time.Date(2026, 5, 12, 1, 0, 0, 0, time.UTC), f.people(t, 2))
		if _, had, err := s.OutcomeByActivity(ctx, aid); err != nil || had {
			t.Fatalf("fresh activity: had %v, %v", had, err)
		}
		trees, tons := metricID(t, s, "trees_planted"), metricID(t, s, "garbage_tons")
		o := domain.Outcome{ActivityID: aid, Beneficiaries: 120, Narrative: "植树 120 棵",
			Values: []domain.OutcomeValue{{MetricID: trees, Value: domain.Units(120)}, {MetricID: tons, Value: 35}}}
		must(t, s.Write(ctx, actor, func(tx *store.Tx) error { return tx.SaveOutcome(o) }))
		got, had, err := s.OutcomeByActivity(ctx, aid)
		if err != nil || !had || got.Beneficiaries != 120 || got.Value(trees) != domain.Units(120) || got.Value(tons).String() != "0.35" {
			t.Fatalf("saved outcome = %+v, %v, %v", got, had, err)
		}
		// A correction replaces the values and the audit log keeps both.
		o.Beneficiaries, o.Values = 150, []domain.OutcomeValue{{MetricID: trees, Value: domain.Units(130)}}
		must(t, s.Write(ctx, actor, func(tx *store.Tx) error { return tx.SaveOutcome(o) }))
		got, _, _ = s.OutcomeByActivity(ctx, aid)
		if got.Beneficiaries != 150 || got.Value(tons) != 0 || got.Value(trees) != domain.Units(130) {
			t.Errorf("corrected outcome = %+v", got)
		}
		entries, err := s.ListAudit(ctx, domain.AuditFilter{Action: "outcome.save"})
		if err != nil || len(entries) != 2 {
			t.Fatalf("audit: %d entries, %v", len(entries), err)
		}
		last := entries[0]
		if !strings.Contains(last.Before, `"beneficiaries":120`) || !strings.Contains(last.After, `"beneficiaries":150`) {
			t.Errorf("audit of the correction: before %s, after %s", last.Before, last.After)
		}
		// A metric that does not exist is refused by the database too.
		bad := o
		bad.Values = []domain.OutcomeValue{{MetricID: 999999, Value: 1}}
		if err := s.Write(ctx, actor, func(tx *store.Tx) error { return tx.SaveOutcome(bad) }); err == nil {
			t.Error("an outcome naming metric 999999 was saved")
		}
	})
}

func TestPhotoMetadata(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		aid := f.pastActivity(t, time.Date(2026, 5, 12, 1, 0, 0, 0, time.UTC), f.people(t, 1))
		var ids []int64
		for i := 0; i < domain.MaxPhotosPerActivity; i++ {
			p := domain.Photo{ActivityID: aid, StoredName: strings.Repeat("a", 31) + string(rune('a'+i)) + ".jpg",
				ContentType: "image/jpeg", Size: 1000, SHA256: strings.Repeat("0", 63) + string(rune('a'+i)), Width: 4, Height: 3}
			var id int64
			must(t, s.Write(ctx, actor, func(tx *store.Tx) (err error) { id, err = tx.AddPhoto(p); return err }))
			ids = append(ids, id)
		}
		extra := domain.Photo{ActivityID: aid, StoredName: strings.Repeat("b", 32) + ".png", ContentType: "image/png", Size: 1, SHA256: "x"}
		err := s.Write(ctx, actor, func(tx *store.Tx) error { _, err := tx.AddPhoto(extra); return err })
		if e, ok := domain.AsError(err); !ok || e.Key != "err.photo.too_many" {
			t.Errorf("photo %d: %v, want err.photo.too_many", domain.MaxPhotosPerActivity+1, err)
		}
		p, err := s.PhotoByID(ctx, ids[0])
		if err != nil || p.ActivityID != aid || p.ContentType != "image/jpeg" || p.Size != 1000 || p.Width != 4 {
			t.Fatalf("PhotoByID = %+v, %v", p, err)
		}
		must(t, s.Write(ctx, actor, func(tx *store.Tx) error { return tx.DeletePhoto(p) }))
		if _, err := s.PhotoByID(ctx, ids[0]); domain.ErrCode(err) != domain.CodeNotFound {
			t.Errorf("deleted photo: %v, want not found", err)
		}
		// The place it left is free again.
		must(t, s.Write(ctx, actor, func(tx *store.Tx) error { _, err := tx.AddPhoto(extra); return err }))
		list, _ := s.ActivityPhotos(ctx, aid)
		if len(list) != domain.MaxPhotosPerActivity {
			t.Errorf("%d photos, want %d", len(list), domain.MaxPhotosPerActivity)
		}
	})
}
