package domain

import "testing"

// idFor builds a valid ID number for a birth date (YYYYMMDD).
func idFor(birth string) string {
	s := "150702" + birth + "123"
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(s[i]-'0') * idWeights[i]
	}
	return s + string(idCheck[sum%11])
}

func TestBirthDateFromID(t *testing.T) {
	cases := []struct{ id, want string }{
		{idFor("20100315"), "2010-03-15"},
		{" " + idFor("20080229") + " ", "2008-02-29"},
		{idFor("20100315")[:17] + "0", ""}, // bad check character (unless 0 is right)
		{"15070220100315123", ""},
		{idFor("20100230"), ""}, // no such day
		{"", ""},
	}
	if idFor("20100315")[17] == '0' {
		cases[2].want = "2010-03-15"
	}
	for _, c := range cases {
		if got := BirthDateFromID(c.id); got != c.want {
			t.Errorf("BirthDateFromID(%q) = %q, want %q", c.id, got, c.want)
		}
	}
}

func TestAgeOn(t *testing.T) {
	cases := []struct {
		birth, day string
		want       int
	}{
		{"2008-06-10", "2026-06-09", 17},
		{"2008-06-10", "2026-06-10", 18},
		{"2008-06-10", "2026-06-11", 18},
		{"2008-02-29", "2026-02-28", 17},
		{"2008-02-29", "2026-03-01", 18},
		{"2008-02-29", "2028-02-29", 20},
		{"2008-02-29", "2028-02-28", 19},
		{"2008-12-31", "2026-12-31", 18},
		{"2008-12-31", "2026-12-30", 17},
		{"2008-06-10", "2008-06-10", 0},
		{"2008-06-10", "2008-06-09", -1},
		{"", "2026-01-01", -1},
		{"2008-13-01", "2026-01-01", -1},
	}
	for _, c := range cases {
		if got := AgeOn(c.birth, c.day); got != c.want {
			t.Errorf("AgeOn(%s, %s) = %d, want %d", c.birth, c.day, got, c.want)
		}
	}
}

func TestEligibilityCheck(t *testing.T) {
	key := func(err error) string {
		if err == nil {
			return ""
		}
		e, _ := AsError(err)
		return e.Key
	}
	cases := []struct {
		e    Eligibility
		want string
	}{
		{Eligibility{BirthDate: "2010-01-01", Day: "2026-12-20"}, "err.minors.no_consent"},
		{Eligibility{BirthDate: "2010-01-01", Day: "2026-12-20", HasConsent: true}, ""},
		{Eligibility{BirthDate: "2008-12-20", Day: "2026-12-20"}, ""},
		{Eligibility{BirthDate: "2008-12-21", Day: "2026-12-20"}, "err.minors.no_consent"},
		{Eligibility{BirthDate: "2010-01-01", Day: "2026-12-20", HasConsent: true, MinAge: 18}, "err.minors.too_young"},
		{Eligibility{Day: "2026-12-20", MinAge: 16}, "err.minors.age_unknown"},
		{Eligibility{Day: "2026-12-20"}, ""},
		{Eligibility{BirthDate: "1990-01-01", Day: "2026-12-20", RequiresInsurance: true}, "err.minors.no_insurance"},
		{Eligibility{BirthDate: "1990-01-01", Day: "2026-12-20", RequiresInsurance: true, Insured: true}, ""},
	}
	for _, c := range cases {
		if got := key(c.e.Check()); got != c.want {
			t.Errorf("%+v: got %q, want %q", c.e, got, c.want)
		}
	}
}

func TestConsentAndInsuranceValidate(t *testing.T) {
	if _, err := (ConsentInput{Guardian: "王芳", Relation: "mother", Phone: "13912345678", Date: "2026-12-01"}).Validate("2026-12-08"); err != nil {
		t.Errorf("good consent: %v", err)
	}
	_, err := (ConsentInput{Relation: "aunt", Phone: "123", Date: "2027-01-01"}).Validate("2026-12-08")
	e, _ := AsError(err)
	for _, f := range []string{"guardian", "relation", "phone", "date"} {
		if e == nil || e.Fields[f] == nil {
			t.Errorf("bad consent: no fault for %s in %v", f, err)
		}
	}
	if _, err := (InsuranceInput{Insurer: "中国人寿", PolicyNo: "P-1", ValidFrom: "2026-01-01", ValidUntil: "2026-12-31"}).Validate(); err != nil {
		t.Errorf("good insurance: %v", err)
	}
	_, err = (InsuranceInput{Insurer: "中国人寿", PolicyNo: "P-1", ValidFrom: "2026-12-31", ValidUntil: "2026-01-01"}).Validate()
	if e, _ := AsError(err); e == nil || e.Fields["valid_until"] == nil {
		t.Errorf("until before from: %v", err)
	}
	if !(Insurance{ValidFrom: "2026-01-01", ValidUntil: "2026-12-31"}).Covers("2026-12-31", "2026-12-31") {
		t.Error("Covers on the last day")
	}
	if (Insurance{ValidFrom: "2026-01-01", ValidUntil: "2026-12-31"}).Covers("2026-12-31", "2027-01-01") {
		t.Error("Covers past the end")
	}
}
