package domain

import "testing"

func TestContact(t *testing.T) {
	for in, want := range map[string]bool{
		"0471-1234567": true, "04711234567": true, "13900000000": true, "０４７１－１２３４５６７": true,
		"010-12345678-123": true, "": false, "12345": false, "1390000000": false, "tel:139": false, "0471-12": false,
	} {
		if got := ValidContact(NormalizeContact(in)); got != want {
			t.Errorf("ValidContact(%q) = %v, want %v", in, got, want)
		}
	}
	in := CertificateInput{OrgID: 1, Responsible: "王芳", From: "2026-01-01", To: "2026-01-31", Contact: "12"}
	if e, ok := AsError(in.Validate("2026-06-01")); !ok || e.Field != "contact" || e.Key != "err.cert.contact" {
		t.Errorf("a bad contact: %v", e)
	}
}

func TestByPeriod(t *testing.T) {
	c := Certificate{Items: []CertificateItem{{Day: "2026-01-03", Minutes: 60}, {Day: "2026-01-20", Minutes: 30}, {Day: "2026-03-01", Minutes: 90}}}
	got := c.ByPeriod()
	if len(got) != 2 || got[0].Label != "2026-01" || got[0].Minutes != 90 || got[0].PersonTimes != 2 || got[1].Label != "2026-03" {
		t.Fatalf("by month = %+v", got)
	}
	c.Items = append(c.Items, CertificateItem{Day: "2027-02-01", Minutes: 60})
	got = c.ByPeriod()
	if len(got) != 2 || got[0].Label != "2026Q1" || got[0].Minutes != 180 || got[1].Label != "2027Q1" {
		t.Fatalf("by quarter = %+v", got)
	}
}

func TestRegisterNumber(t *testing.T) {
	if got := RegisterNumber("市农牧业局", 2026, 7); got != "市农牧业局〔2026〕第0007号" {
		t.Errorf("RegisterNumber = %q", got)
	}
}
