package service_test

import (
	"context"
	"testing"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// idCardFor builds a valid citizen ID number for a birth date (YYYYMMDD).
func idCardFor(birth string) string {
	w := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	s := "150702" + birth + "321"
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(s[i]-'0') * w[i]
	}
	return s + string("10X98765432"[sum%11])
}

func fieldsOf(err error) map[string]*domain.Error {
	if e, ok := domain.AsError(err); ok && e.Code == domain.CodeInvalid {
		return e.Fields
	}
	return nil
}

// TestBirthDateConsentAndInsuranceRules: the birth date comes from the ID
// number at registration and again by FillBirthDates for people who lack
// it; staff type one only for people without an ID; consents and
// insurances are validated field by field and kept within the staff's
// scope, and nothing is written on a refusal.
func TestBirthDateConsentAndInsuranceRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistry(t, s)
		in := person("张敏", "13800000001", f.unitA)
		in.IDCard = idCardFor("20100315")
		withID, err := f.svc.CreatePerson(ctx, f.orgAdmin, in)
		if err != nil {
			t.Fatal(err)
		}
		noID, err := f.svc.CreatePerson(ctx, f.orgAdmin, person("李丽", "13800000002", f.unitA))
		if err != nil {
			t.Fatal(err)
		}
		outside, err := f.svc.CreatePerson(ctx, f.admin, person("王刚", "13800000003", f.unitB))
		if err != nil {
			t.Fatal(err)
		}
		file := func(id int64) store.MinorsFile {
			m, err := f.svc.PersonMinorsFile(ctx, f.admin, id)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		if got := file(withID).BirthDate; got != "2010-03-15" {
			t.Fatalf("birth date from the ID = %q", got)
		}
		if err := f.svc.SetBirthDate(ctx, f.orgAdmin, withID, "2000-01-01"); !isInvalid(err, "birth_date") {
			t.Fatalf("typing a birth date over the ID's: %v", err)
		}
		if err := f.svc.SetBirthDate(ctx, f.orgAdmin, noID, "2030-01-01"); !isInvalid(err, "birth_date") {
			t.Fatalf("a birth date in the future: %v", err)
		}
		if err := f.svc.SetBirthDate(ctx, f.orgAdmin, noID, "2011-07-01"); err != nil || file(noID).BirthDate != "2011-07-01" {
			t.Fatalf("typed birth date: %v", err)
		}

		// A person registered before migration 032: the date is read from
		// the sealed number.
		if err := s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error { return tx.SetBirthDate(withID, "") }); err != nil {
			t.Fatal(err)
		}
		if n, err := f.svc.FillBirthDates(ctx); err != nil || n != 1 || file(withID).BirthDate != "2010-03-15" {
			t.Fatalf("FillBirthDates: %d, %v, %q", n, err, file(withID).BirthDate)
		}
		if n, err := f.svc.FillBirthDates(ctx); err != nil || n != 0 {
			t.Fatalf("FillBirthDates again: %d, %v", n, err)
		}

		bad := domain.ConsentInput{Guardian: "", Relation: "uncle", Phone: "12345", Date: "2099-01-01"}
		err = f.svc.RecordConsent(ctx, f.orgAdmin, withID, bad)
		for _, field := range []string{"guardian", "relation", "phone", "date"} {
			if fieldsOf(err)[field] == nil {
				t.Errorf("bad consent: no fault for %s: %v", field, err)
			}
		}
		good := domain.ConsentInput{Guardian: "张建国", Relation: "father", Phone: "139 1234 5678", Date: "2026-01-05"}
		if err := f.svc.RecordConsent(ctx, f.orgAdmin, outside, good); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("consent outside the org admin's scope: %v", err)
		}
		if len(file(withID).Consents) != 0 || len(file(outside).Consents) != 0 {
			t.Fatal("a refused consent was written")
		}
		if err := f.svc.RecordConsent(ctx, f.orgAdmin, withID, good); err != nil {
			t.Fatal(err)
		}
		if c := file(withID).Consents; len(c) != 1 || c[0].Phone != "13912345678" || c[0].PhoneMasked == c[0].Phone {
			t.Fatalf("consent on file: %+v", c)
		}

		ins := domain.InsuranceInput{Insurer: "中国人寿", PolicyNo: "", ValidFrom: "2026-02-01", ValidUntil: "2026-01-01"}
		err = f.svc.RecordInsurance(ctx, f.orgAdmin, withID, ins)
		if fieldsOf(err)["policy_no"] == nil || fieldsOf(err)["valid_until"] == nil {
			t.Fatalf("bad insurance: %v", err)
		}
		if err := f.svc.RecordMyInsurance(ctx, f.admin, domain.InsuranceInput{Insurer: "a", PolicyNo: "b",
			ValidFrom: "2026-01-01", ValidUntil: "2026-12-31"}); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("own insurance without a person on file: %v", err)
		}
		if len(file(withID).Insurances) != 0 {
			t.Fatal("a refused insurance was written")
		}
	})
}

func isInvalid(err error, field string) bool {
	e, ok := domain.AsError(err)
	return ok && e.Code == domain.CodeInvalid && (e.Field == field || e.Fields[field] != nil)
}
