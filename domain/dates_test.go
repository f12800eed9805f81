package domain

import "testing"

// TestDateRanges: issue 12, fault 9. Every date field takes only dates that
// make sense for it; 0000-01-01 and 9999-12-31 were accepted.
func TestDateRanges(t *testing.T) {
	const today = "2026-11-28"
	order := func(ch Channel, from, to string) error {
		in := OrderInput{Channel: ch, RequesterName: "巴特尔", RequesterPhone: "13912345678", SiteID: 1,
			DateFrom: from, DateTo: to, ItemIDs: []int64{3}}
		_, err := in.Validate(today)
		return err
	}
	campaign := func(from, to string) error {
		_, err := CampaignInput{Name: "十个全覆盖", StartsOn: from, EndsOn: to}.Validate()
		return err
	}
	award := func(date string) error {
		a := Award{Title: "优秀志愿者", Issuer: "市直机关工委", Date: date}
		return a.Validate(today)
	}
	cert := func(from, to string) error {
		in := CertificateInput{OrgID: 1, Responsible: "王芳", Contact: "13900000000", From: from, To: to}
		return in.Validate(today)
	}
	request := func(from, to string) error {
		r := CertificateRequest{Purpose: "升学", From: from, To: to}
		return r.Validate(today)
	}
	cases := []struct {
		name, field, key string // key "" when accepted
		err              error
	}{
		{"online order from today", "", "", order(ChannelOnline, today, "2026-11-30")},
		{"online order a year ahead", "", "", order(ChannelOnline, "2027-11-27", "2027-11-28")},
		{"online order in the past", "date_from", "err.order.date_past", order(ChannelOnline, "2026-11-27", "2026-11-30")},
		{"online order 9999-12-30", "date_from", "err.date_range", order(ChannelOnline, "9999-12-30", "9999-12-31")},
		{"online order ending past a year", "date_to", "err.date_range", order(ChannelOnline, "2027-11-01", "2027-11-29")},
		{"staff order 9999-12-30", "date_from", "err.date_range", order(ChannelHotline, "9999-12-30", "9999-12-30")},
		{"hotline order from last month", "", "", order(ChannelHotline, "2026-10-20", "2026-10-21")},
		{"forum order a year back", "", "", order(ChannelForum, "2025-11-28", "2025-11-28")},
		{"visit order over a year back", "date_from", "err.date_range", order(ChannelVisit, "2025-11-27", "2025-11-28")},
		{"staff order 0000-01-01", "date_from", "err.date_range", order(ChannelHotline, "0000-01-01", "0000-01-02")},
		{"campaign in 2018", "", "", campaign("2018-05-01", "2018-10-31")},
		{"campaign from 0000", "starts_on", "err.date_range", campaign("0000-01-01", "")},
		{"campaign to 9999", "ends_on", "err.date_range", campaign("2026-01-01", "9999-12-31")},
		{"award last year", "", "", award("2025-07-01")},
		{"award in 0000", "date", "err.date_range", award("0000-01-01")},
		{"certificate for 2025", "", "", cert("2025-01-01", "2025-12-31")},
		{"certificate from 0000", "from", "err.date_range", cert("0000-01-01", "2025-12-31")},
		{"certificate to 9999", "to", "err.date_range", cert("2025-01-01", "9999-12-31")},
		{"request from 0000", "from", "err.date_range", request("0000-01-01", "2025-12-31")},
		{"request to 9999", "to", "err.date_range", request("2025-01-01", "9999-12-31")},
	}
	for _, c := range cases {
		if c.key == "" {
			if c.err != nil {
				t.Errorf("%s: got %v, want accepted", c.name, c.err)
			}
			continue
		}
		e, ok := AsError(c.err)
		if !ok {
			t.Errorf("%s: got %v, want %s on %s", c.name, c.err, c.key, c.field)
			continue
		}
		f := e.Fields[c.field]
		if f == nil && e.Field == c.field {
			f = e
		}
		if f == nil || f.Key != c.key {
			t.Errorf("%s: got %v (fields %v), want %s on %s", c.name, c.err, e.Fields, c.key, c.field)
		}
	}
}
