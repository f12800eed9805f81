package store_test

import (
	"context"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// minorsActivity schedules an activity two days ahead with requirements.
func (f *actFixture) minorsActivity(tb testing.TB, mode domain.ActivityMode, capacity int, r domain.ActivityRequirements) (int64, domain.ActivityInput) {
	tb.Helper()
	in := f.input(mode, capacity, time.Now().Add(48*time.Hour).Truncate(time.Hour))
	in.Requirements = r
	var id int64
	if err := f.write(func(tx *store.Tx) (err error) { id, err = tx.CreateActivity(in, f.root); return err }); err != nil {
		tb.Fatal(err)
	}
	return id, in
}

func (f *actFixture) birth(tb testing.TB, person int64, date string) {
	tb.Helper()
	if err := f.write(func(tx *store.Tx) error { return tx.SetBirthDate(person, date) }); err != nil {
		tb.Fatal(err)
	}
}

func (f *actFixture) consent(tb testing.TB, person int64) {
	tb.Helper()
	err := f.write(func(tx *store.Tx) error {
		_, err := tx.AddConsent(person, domain.ConsentInput{Guardian: "王芳", Relation: "mother", Phone: "13912345678", Date: "2026-01-01"})
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
}

func (f *actFixture) insure(tb testing.TB, person int64, from, until string) {
	tb.Helper()
	err := f.write(func(tx *store.Tx) error {
		_, err := tx.AddInsurance(person, domain.InsuranceInput{Insurer: "中国人寿", PolicyNo: "P-" + from, ValidFrom: from, ValidUntil: until})
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// TestSignupRefusesUnderageWithoutConsent: an under-18 needs a guardian's
// consent, on the direct sign-up and on an open-mode request; the 18th
// birthday on the activity's day is enough; a minimum age refuses younger
// people even with consent, and people whose age is unknown.
func TestSignupRefusesUnderageWithoutConsent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newActFixture(t, s)
		id, in := f.minorsActivity(t, domain.ModeOpen, 10, domain.ActivityRequirements{})
		day := domain.ChinaDay(in.StartsAt)
		p := f.people(t, 4)
		f.birth(t, p[0], domain.AddYears(day, -16))
		f.birth(t, p[1], domain.AddYears(day, -18)) // 18 on the day
		d, _ := time.Parse("2006-01-02", domain.AddYears(day, -18))
		f.birth(t, p[2], d.AddDate(0, 0, 1).Format("2006-01-02")) // 18 tomorrow
		for _, req := range []bool{false, true} {
			if _, err := f.signUp(id, p[0], req); !isKey(err, domain.CodeConflict, "err.minors.no_consent") {
				t.Fatalf("16-year-old without consent (request %v): %v", req, err)
			}
		}
		if _, err := f.signUp(id, p[2], false); !isKey(err, domain.CodeConflict, "err.minors.no_consent") {
			t.Fatalf("18 tomorrow: %v", err)
		}
		if st, err := f.signUp(id, p[1], false); err != nil || st != domain.SignupConfirmed {
			t.Fatalf("18 on the day: %s, %v", st, err)
		}
		f.consent(t, p[0])
		if st, err := f.signUp(id, p[0], false); err != nil || st != domain.SignupConfirmed {
			t.Fatalf("16 with consent: %s, %v", st, err)
		}
		if st, err := f.signUp(id, p[3], false); err != nil || st != domain.SignupConfirmed {
			t.Fatalf("age unknown, no minimum: %s, %v", st, err)
		}

		adult, _ := f.minorsActivity(t, domain.ModeUnit, 10, domain.ActivityRequirements{MinAge: 18})
		if _, err := f.signUp(adult, p[0], false); !isKey(err, domain.CodeConflict, "err.minors.too_young") {
			t.Fatalf("16 with consent, minimum 18: %v", err)
		}
		if _, err := f.signUp(adult, p[3], false); !isKey(err, domain.CodeConflict, "err.minors.age_unknown") {
			t.Fatalf("age unknown, minimum 18: %v", err)
		}
		if st, err := f.signUp(adult, p[1], false); err != nil || st != domain.SignupConfirmed {
			t.Fatalf("18 on the day, minimum 18: %s, %v", st, err)
		}
		if taken, _, err := s.CapacityCheck(context.Background(), adult); err != nil || taken != 1 {
			t.Fatalf("a refusal takes no place: taken %d, %v", taken, err)
		}
	})
}

// TestSignupRequiresInsuranceCoveringTheActivity: insurance that ends
// before the activity's day, or starts after it, is no insurance.
func TestSignupRequiresInsuranceCoveringTheActivity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newActFixture(t, s)
		id, in := f.minorsActivity(t, domain.ModeUnit, 10, domain.ActivityRequirements{RequiresInsurance: true})
		day, last := domain.ChinaDay(in.StartsAt), domain.ChinaDay(in.EndsAt)
		p := f.people(t, 1)[0]
		if _, err := f.signUp(id, p, false); !isKey(err, domain.CodeConflict, "err.minors.no_insurance") {
			t.Fatalf("no insurance: %v", err)
		}
		dd, _ := time.Parse("2006-01-02", day)
		f.insure(t, p, "2020-01-01", dd.AddDate(0, 0, -1).Format("2006-01-02"))
		f.insure(t, p, dd.AddDate(0, 0, 1).Format("2006-01-02"), "2099-12-31")
		if _, err := f.signUp(id, p, false); !isKey(err, domain.CodeConflict, "err.minors.no_insurance") {
			t.Fatalf("insurance not covering the day: %v", err)
		}
		f.insure(t, p, day, last)
		if st, err := f.signUp(id, p, false); err != nil || st != domain.SignupConfirmed {
			t.Fatalf("insured on the day: %s, %v", st, err)
		}
		file, err := s.PersonMinorsFile(context.Background(), p)
		if err != nil || len(file.Insurances) != 3 || file.Insurances[0].ValidFrom != day {
			t.Fatalf("insurance history, newest first: %+v, %v", file.Insurances, err)
		}
		el, err := s.RosterEligibility(context.Background(), id)
		if err != nil || !el[p].Insured || !el[p].RequiresInsurance {
			t.Fatalf("roster: %+v, %v", el, err)
		}
	})
}

// TestApprovalAndPromotionCheckRequirements: an open-mode request is not
// approved, and a waitlisted person is not promoted, once the activity
// requires what they lack; the place goes to the next who qualifies and the
// skipped person keeps their place in the queue.
func TestApprovalAndPromotionCheckRequirements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		id, in := f.minorsActivity(t, domain.ModeOpen, 1, domain.ActivityRequirements{})
		p := f.people(t, 4)
		for i, q := range p[:3] {
			want := domain.SignupWaitlisted
			if i == 0 {
				want = domain.SignupConfirmed
			}
			if st, err := f.signUp(id, q, false); err != nil || st != want {
				t.Fatalf("sign-up %d: %s, %v", i, st, err)
			}
		}
		if st, err := f.signUp(id, p[3], true); err != nil || st != domain.SignupRequested {
			t.Fatalf("request: %s, %v", st, err)
		}
		in.Requirements.RequiresInsurance = true
		if err := f.write(func(tx *store.Tx) error { return tx.UpdateActivity(id, in) }); err != nil {
			t.Fatal(err)
		}
		g, _, _ := s.PersonSignup(ctx, id, p[3])
		err := f.write(func(tx *store.Tx) error { _, err := tx.DecideRequest(g.ID, true); return err })
		if !isKey(err, domain.CodeConflict, "err.minors.no_insurance") {
			t.Fatalf("approving an uninsured request: %v", err)
		}
		if err := f.write(func(tx *store.Tx) error { _, err := tx.DecideRequest(g.ID, false); return err }); err != nil {
			t.Fatalf("rejecting it is still possible: %v", err)
		}
		day, last := domain.ChinaDay(in.StartsAt), domain.ChinaDay(in.EndsAt)
		f.insure(t, p[2], day, last)
		if err := f.write(func(tx *store.Tx) error { return tx.CancelSignup(id, p[0]) }); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[int64]domain.SignupState{p[1]: domain.SignupWaitlisted, p[2]: domain.SignupConfirmed} {
			if g, _, err := s.PersonSignup(ctx, id, q); err != nil || g.State != want {
				t.Fatalf("after the cancel, %d is %s (%v), want %s", q, g.State, err, want)
			}
		}
		f.insure(t, p[1], day, last)
		if err := f.write(func(tx *store.Tx) error { return tx.CancelSignup(id, p[2]) }); err != nil {
			t.Fatal(err)
		}
		if g, _, err := s.PersonSignup(ctx, id, p[1]); err != nil || g.State != domain.SignupConfirmed {
			t.Fatalf("the skipped person, insured now, is promoted next: %s, %v", g.State, err)
		}
		if taken, confirmed, err := s.CapacityCheck(ctx, id); err != nil || taken != confirmed || taken != 1 {
			t.Fatalf("taken %d, confirmed %d, %v", taken, confirmed, err)
		}
	})
}

// TestBirthDatesAndConsentHistory: a birth date comes with the sealed ID at
// registration; people without one are found in batches and filled once;
// consents are kept newest first.
func TestBirthDatesAndConsentHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		ps := []domain.ValidPerson{
			{Name: "甲", Gender: domain.GenderMale, Phone: "13800000001", PoliticalStatus: "party_member", OrgID: f.root},
			{Name: "乙", Gender: domain.GenderMale, Phone: "13800000002", PoliticalStatus: "party_member", OrgID: f.root},
			{Name: "丙", Gender: domain.GenderMale, Phone: "13800000003", PoliticalStatus: "party_member", OrgID: f.root},
		}
		ids := []store.SealedID{{Cipher: "c1", Hash: "h1", Masked: "m1", BirthDate: "2010-05-06"}, {Cipher: "c2", Hash: "h2", Masked: "m2"}, {}}
		var got []int64
		if err := f.write(func(tx *store.Tx) (err error) { got, err = tx.CreatePeople(ps, ids); return err }); err != nil {
			t.Fatal(err)
		}
		if file, err := s.PersonMinorsFile(ctx, got[0]); err != nil || file.BirthDate != "2010-05-06" || !file.HasIDCard {
			t.Fatalf("birth date at registration: %+v, %v", file, err)
		}
		missing, ciphers, err := s.PeopleWithoutBirthDate(ctx, 0, 10)
		if err != nil || len(missing) != 1 || missing[0] != got[1] || ciphers[0] != "c2" {
			t.Fatalf("people without a birth date: %v %v %v", missing, ciphers, err)
		}
		var n int
		if err := f.write(func(tx *store.Tx) (err error) {
			n, err = tx.FillBirthDates(map[int64]string{got[1]: "1990-01-02", got[0]: "1999-09-09"})
			return err
		}); err != nil || n != 1 {
			t.Fatalf("fill: %d, %v; want 1 (a known date stays)", n, err)
		}
		if missing, _, _ := s.PeopleWithoutBirthDate(ctx, 0, 10); len(missing) != 0 {
			t.Fatalf("still missing: %v", missing)
		}
		f.consent(t, got[2])
		if err := f.write(func(tx *store.Tx) error {
			_, err := tx.AddConsent(got[2], domain.ConsentInput{Guardian: "李强", Relation: "father", Phone: "13912345679", Date: "2026-02-01"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		file, err := s.PersonMinorsFile(ctx, got[2])
		if err != nil || len(file.Consents) != 2 || file.Consents[0].Guardian != "李强" || file.Consents[1].Guardian != "王芳" {
			t.Fatalf("consent history: %+v, %v", file.Consents, err)
		}
		if file.Consents[0].PhoneMasked == file.Consents[0].Phone {
			t.Fatalf("phone not masked: %q", file.Consents[0].PhoneMasked)
		}
		if err := f.write(func(tx *store.Tx) error { _, err := tx.ErasePerson(got[2], "本人申请删除"); return err }); err != nil {
			t.Fatal(err)
		}
		file, err = s.PersonMinorsFile(ctx, got[2])
		if err != nil || len(file.Consents) != 2 || file.Consents[0].Guardian != "" || file.Consents[0].Phone != "" {
			t.Fatalf("erasure leaves the guardian: %+v, %v", file.Consents, err)
		}
	})
}
