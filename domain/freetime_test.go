package domain

import (
	"testing"
	"time"
)

func TestSlotOfAndFits(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, ChinaZone)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC() // the database's instants are UTC; slots are China time
	}
	tests := []struct {
		when string
		want Availability
	}{
		{"2026-05-04 09:00", WeekdayMorning}, // a Monday
		{"2026-05-04 12:00", WeekdayAfternoon},
		{"2026-05-08 19:30", WeekdayEvening}, // a Friday evening
		{"2026-05-09 07:00", WeekendMorning}, // a Saturday, before 08:00 China time is still Saturday
		{"2026-05-10 17:59", WeekendAfternoon},
		{"2026-05-10 18:00", WeekendEvening},
	}
	for _, tt := range tests {
		if got := SlotOf(at(tt.when)); got != tt.want {
			t.Errorf("SlotOf(%s) = %b, want %b", tt.when, got, tt.want)
		}
	}
	weekends := WeekendMorning | WeekendAfternoon
	if weekends.Fits(at("2026-05-04 09:00")) || !weekends.Fits(at("2026-05-09 09:00")) {
		t.Error("weekend availability should fit Saturday morning only")
	}
	if !Availability(0).Fits(at("2026-05-04 09:00")) {
		t.Error("no declared free time should fit any time")
	}
}
