package service_test

import (
	"context"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestCheckinFraudService: with a location requirement, no position and a
// position outside the radius are refused (the distance in the message's
// arguments) and inside is recorded; the page's nonce binds the form to
// the phone that opened it, so a form from another phone is flagged; the
// requirement and the override validate their input.
func TestCheckinFraudService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		now := time.Date(2026, 5, 16, 1, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		id := f.create(t, f.input(domain.ModeUnit, 5, now))
		vs := f.volunteers(t, f.teamA, 3)
		for _, v := range vs {
			if _, err := f.svc.SignUp(ctx, v.Caller, id); err != nil {
				t.Fatal(err)
			}
		}
		// Bad requirements name their field and save nothing.
		for field, g := range map[string]domain.GeoRule{
			"geo_radius": {Lat: 49.2, Lng: 119.7, Radius: 6000},
			"geo_lat":    {Lat: 95, Lng: 119.7, Radius: 200},
		} {
			if err := f.svc.SetActivityGeo(ctx, f.leader, id, g); domain.ErrCode(err) != domain.CodeInvalid || !hasField(err, field) {
				t.Errorf("%+v: %v, want invalid %s", g, err, field)
			}
		}
		if err := f.svc.SetActivityGeo(ctx, vs[0].Caller, id, domain.GeoRule{Lat: 49.2, Lng: 119.7, Radius: 200}); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("a volunteer sets the requirement: %v", err)
		}
		must(t, f.svc.SetActivityGeo(ctx, f.leader, id, domain.GeoRule{Lat: 49.2116, Lng: 119.7658, Radius: 100}))

		tok, _, _ := f.svc.CheckinToken(ctx, f.leader, id, service.KindIn)
		if page, err := f.svc.CheckinPage(ctx, vs[0].Caller, tok); err != nil || !page.Geo {
			t.Fatalf("the page does not ask for the position: %+v, %v", page, err)
		}
		web := func(device, nonce string, lat, lng float64) service.CheckinClient {
			return service.CheckinClient{Web: true, Device: device, Nonce: nonce, HasPos: true,
				Position: domain.Position{Lat: lat, Lng: lng, Accuracy: 10}}
		}
		if _, err := f.svc.CheckInByToken(ctx, vs[0].Caller, tok); !codeKey(err, domain.CodeConflict, "err.checkin2.no_position") {
			t.Fatalf("no position: %v", err)
		}
		_, err := f.svc.CheckInFrom(ctx, vs[0].Caller, tok, web("dev-0-abcdefghijklmnopq", "", 49.2136, 119.7658))
		if e, ok := domain.AsError(err); !ok || e.Key != "err.checkin2.too_far" || e.Args[0] != 222 || e.Args[1] != 100 {
			t.Fatalf("222 m away: %v", err)
		}
		// Inside, from the phone that opened the page: no flag.
		d0 := "dev-0-abcdefghijklmnopq"
		if _, err := f.svc.CheckInFrom(ctx, vs[0].Caller, tok, web(d0, f.svc.CheckinNonce(d0, tok), 49.2117, 119.7658)); err != nil {
			t.Fatal(err)
		}
		// Inside, but the form came from another phone than the page's.
		d1, d2 := "dev-1-abcdefghijklmnopq", "dev-2-abcdefghijklmnopq"
		if _, err := f.svc.CheckInFrom(ctx, vs[1].Caller, tok, web(d2, f.svc.CheckinNonce(d1, tok), 49.2117, 119.7658)); err != nil {
			t.Fatal(err)
		}
		flagged, err := f.svc.FlaggedCheckins(ctx, f.leader, id)
		if err != nil || len(flagged) != 1 || flagged[0].Flags[0] != domain.FlagOtherDevice {
			t.Fatalf("flagged = %+v, %v", flagged, err)
		}
		if _, err := f.svc.FlaggedCheckins(ctx, vs[0].Caller, id); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("a volunteer lists flags: %v", err)
		}
		att, _ := s.ActivityAttendance(ctx, id)
		if len(att) != 2 {
			t.Fatalf("%d pairs, want 2", len(att))
		}
		// The override needs a reason; with one it is recorded and flagged.
		if _, err := f.svc.OverrideCheckIn(ctx, f.leader, id, vs[2].person, " "); !hasField(err, "reason") {
			t.Fatalf("override without a reason: %v", err)
		}
		if _, err := f.svc.OverrideCheckIn(ctx, f.leader, id, vs[2].person, "手机没电"); err != nil {
			t.Fatal(err)
		}
		if flagged, _ := f.svc.FlaggedCheckins(ctx, f.leader, id); len(flagged) != 2 {
			t.Fatalf("after the override %d flags, want 2", len(flagged))
		}
		if err := f.svc.ClearCheckinFlag(ctx, f.leader, id, flagged[0].ID, ""); !hasField(err, "note") {
			t.Fatalf("clear without a note: %v", err)
		}
	})
}

// hasField reports whether err is a validation error naming field.
func hasField(err error, field string) bool {
	e, ok := domain.AsError(err)
	if !ok {
		return false
	}
	_, many := e.Fields[field]
	return e.Field == field || many
}
