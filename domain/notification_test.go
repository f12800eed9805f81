package domain

import (
	"fmt"
	"testing"
	"time"
)

func TestSendAtQuietHours(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, Shanghai)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	cases := []struct {
		now    string
		ch     NoticeChannel
		urgent bool
		want   string
	}{
		{"2026-12-07 10:00", ByEmail, false, "2026-12-07 10:00"},
		{"2026-12-07 21:59", ByGateway, false, "2026-12-07 21:59"},
		{"2026-12-07 22:00", ByGateway, false, "2026-12-08 07:00"},
		{"2026-12-07 23:30", ByEmail, false, "2026-12-08 07:00"},
		{"2026-12-08 03:10", ByEmail, false, "2026-12-08 07:00"},
		{"2026-12-08 06:59", ByGateway, false, "2026-12-08 07:00"},
		{"2026-12-08 07:00", ByGateway, false, "2026-12-08 07:00"},
		{"2026-12-07 23:30", ByGateway, true, "2026-12-07 23:30"},
		{"2026-12-07 23:30", ByInApp, false, "2026-12-07 23:30"},
		{"2026-12-31 22:30", ByEmail, false, "2027-01-01 07:00"},
	}
	for _, c := range cases {
		got := SendAt(at(c.now), c.ch, c.urgent)
		if !got.Equal(at(c.want)) {
			t.Errorf("SendAt(%s, %s, urgent=%v) = %s, want %s", c.now, c.ch, c.urgent, got.In(Shanghai).Format("2006-01-02 15:04"), c.want)
		}
	}
}

func TestEventsFor(t *testing.T) {
	cases := []struct {
		roles     []Role
		hasPerson bool
		want      []Event
	}{
		{[]Role{RoleSiteContact}, false, []Event{EventOrderAccepted, EventOrderRejected, EventOrderConfirmed,
			EventOrderServed, EventCorrectionDecided}},
		{[]Role{RoleTeamLeader}, true, []Event{EventDispatched, EventActivityTomorrow, EventActivitySoon,
			EventSignupPromoted, EventActivityChanged, EventActivityCancelled, EventCertificateIssued,
			EventCorrectionDecided, EventPlaceReleased}},
		{[]Role{RoleCommitteeAdmin}, false, []Event{EventDispatchOverdue, EventDispatchDeclined, EventCorrectionDecided}},
	}
	for _, c := range cases {
		got := EventsFor(c.roles, c.hasPerson)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("EventsFor(%v, %v) = %v, want %v", c.roles, c.hasPerson, got, c.want)
		}
	}
}
