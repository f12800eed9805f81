package service_test

import (
	"context"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestPhoneOutsideScopeIsHeld: an org admin who types the mobile number of
// someone outside their scope gets the answer a free number gets — the
// person saved and shown with the number typed — and never learns that the
// number is taken; the committee sees both records as duplicates on each
// person's page; within the admin's scope the duplicate is refused by name.
// Editing the held person keeps the hold; the committee releases it by
// correcting the number.
func TestPhoneOutsideScopeIsHeld(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistry(t, s)
		outside, err := f.svc.CreatePerson(ctx, f.admin, person("李强", "13800000002", f.unitB))
		if err != nil {
			t.Fatal(err)
		}
		// What the org admin sees for a free number and for a number held
		// outside their scope.
		seen := func(phone string) (domain.Person, []domain.Person, int) {
			t.Helper()
			id, err := f.svc.CreatePerson(ctx, f.orgAdmin, person("王芳", phone, f.unitA))
			if err != nil {
				t.Fatalf("org admin registering %s: %v", phone, err)
			}
			p, err := f.svc.Person(ctx, f.orgAdmin, id)
			if err != nil {
				t.Fatal(err)
			}
			dups, err := f.svc.PhoneDuplicates(ctx, f.orgAdmin, p)
			if err != nil {
				t.Fatal(err)
			}
			list, _, err := f.svc.People(ctx, f.orgAdmin, store.PeopleFilter{Query: "王芳", Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			return p, dups, len(list)
		}
		free, freeDups, _ := seen("13800000005")
		held, heldDups, n := seen("13800000002")
		if free.Phone != "13800000005" || held.Phone != "13800000002" || len(freeDups) != 0 || len(heldDups) != 0 || n != 2 {
			t.Errorf("the org admin can tell: free %q %v, held %q %v, %d listed; want each with its number, no duplicates shown, both listed",
				free.Phone, freeDups, held.Phone, heldDups, n)
		}
		if domain.MaskPhone(held.Phone) != "138****0002" {
			t.Errorf("the held person's masked number is %q", domain.MaskPhone(held.Phone))
		}

		// The committee sees the duplicate from either side.
		p, _ := f.svc.Person(ctx, f.admin, held.ID)
		dups, err := f.svc.PhoneDuplicates(ctx, f.admin, p)
		if err != nil || len(dups) != 1 || dups[0].ID != outside {
			t.Errorf("committee on the held person: %v (%v), want 李强 #%d", dups, err, outside)
		}
		q, _ := f.svc.Person(ctx, f.admin, outside)
		if dups, _ := f.svc.PhoneDuplicates(ctx, f.admin, q); len(dups) != 1 || dups[0].ID != held.ID {
			t.Errorf("committee on the person on file: %v, want the held one", dups)
		}

		// Within the admin's scope the duplicate is refused by name.
		if _, err := f.svc.CreatePerson(ctx, f.orgAdmin, person("王芳芳", "13800000005", f.branchA)); !fieldIs(err, "phone", "err.phone.taken_by") {
			t.Errorf("a duplicate within scope: got %v, want err.phone.taken_by", err)
		} else if e, _ := domain.AsError(err); len(e.Args) != 1 || e.Args[0] != "王芳" {
			t.Errorf("a duplicate within scope names %v, want 王芳", e.Args)
		}

		// An edit by the org admin keeps the hold; the committee's correction
		// of the number releases it.
		edit := person("王芳", "", f.unitA)
		if err := f.svc.UpdatePerson(ctx, f.orgAdmin, held.ID, edit); err != nil {
			t.Fatalf("org admin editing the held person: %v", err)
		}
		if dups, _ := f.svc.PhoneDuplicates(ctx, f.admin, p); len(dups) != 1 {
			t.Errorf("after the admin's edit the committee sees %d duplicates, want 1", len(dups))
		}
		if err := f.svc.UpdatePerson(ctx, f.admin, held.ID, person("王芳", "13800000009", f.unitA)); err != nil {
			t.Fatalf("committee correcting the number: %v", err)
		}
		p, _ = f.svc.Person(ctx, f.admin, held.ID)
		if dups, _ := f.svc.PhoneDuplicates(ctx, f.admin, q); p.Phone != "13800000009" || len(dups) != 0 {
			t.Errorf("after the correction: phone %q, duplicates %v; want the new number and none", p.Phone, dups)
		}
	})
}

// ahead is the date n days from today in China, for an order's window: a
// window may reach at most a year ahead.
func ahead(n int) string {
	return time.Now().In(domain.ChinaZone).AddDate(0, 0, n).Format("2006-01-02")
}

// TestImportPeopleHoldsOutsideScope: the people import answers a number
// held outside the importer's scope as it answers a free one (the row is
// imported, held), and refuses one within scope as registered.
func TestImportPeopleHoldsOutsideScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newExcelFixture(t, s)
		outside, err := f.svc.CreatePerson(ctx, f.admin, domain.PersonInput{Name: "李强", Gender: "male", Phone: "13900000009",
			PoliticalStatus: "masses", OrgID: f.unitB})
		if err != nil {
			t.Fatal(err)
		}
		data := xlsxSheet(t, excelPeopleHeader,
			[]string{"王芳", "女", "13900000001", "", "中共党员", "市农牧业局"},
			[]string{"王刚", "男", "13900000009", "", "群众", "市农牧业局"},
		)
		res, err := f.svc.ImportPeople(ctx, f.orgAdmin, data)
		if err != nil || !res.OK() || res.Imported != 2 {
			t.Fatalf("import with a number held outside scope: %+v (faults %q), %v; want both rows imported", res, excelFaults(res), err)
		}
		people, _, err := f.svc.People(ctx, f.orgAdmin, store.PeopleFilter{Query: "王刚"})
		if err != nil || len(people) != 1 || people[0].Phone != "13900000009" {
			t.Fatalf("the org admin's list: %+v, %v; want 王刚 with the number typed", people, err)
		}
		if dups, _ := f.svc.PhoneDuplicates(ctx, f.orgAdmin, people[0]); len(dups) != 0 {
			t.Errorf("the org admin sees duplicates %v", dups)
		}
		if dups, _ := f.svc.PhoneDuplicates(ctx, f.admin, people[0]); len(dups) != 1 || dups[0].ID != outside {
			t.Errorf("the committee sees duplicates %v, want 李强", dups)
		}
		again := xlsxSheet(t, excelPeopleHeader, []string{"王芳芳", "女", "13900000001", "", "中共党员", "市农牧业局"})
		res, err = f.svc.ImportPeople(ctx, f.orgAdmin, again)
		if err != nil || excelFaults(res) != "2/手机号/excel.reason.phone_registered" {
			t.Errorf("a number registered within scope: faults %q, %v", excelFaults(res), err)
		}
	})
}

// TestHeldPhoneStillTaken: a number an org admin already entered is taken
// by that entry whether it was free or held (someone outside their scope
// has it): a second entry with it is refused naming the first, in the form
// and in the people import. Were the held entry not matched, the answers
// would differ and tell the admin the number is registered outside.
func TestHeldPhoneStillTaken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistry(t, s)
		if _, err := f.svc.CreatePerson(ctx, f.admin, person("李强", "13800000002", f.unitB)); err != nil {
			t.Fatal(err)
		}
		for _, phone := range []string{"13800000005", "13800000002"} { // free, held outside scope
			if _, err := f.svc.CreatePerson(ctx, f.orgAdmin, person("王芳", phone, f.unitA)); err != nil {
				t.Fatalf("first entry with %s: %v", phone, err)
			}
			_, err := f.svc.CreatePerson(ctx, f.orgAdmin, person("张敏", phone, f.branchA))
			if !fieldIs(err, "phone", "err.phone.taken_by") {
				t.Errorf("second entry with %s: %v, want err.phone.taken_by", phone, err)
			} else if e, _ := domain.AsError(err); len(e.Args) != 1 || e.Args[0] != "王芳" {
				t.Errorf("second entry with %s names %v, want 王芳", phone, e.Args)
			}
		}
	})
}

// TestImportHeldPhoneStillTaken: the people import refuses a number held
// by an entry within the importer's scope as registered, as it does a free
// number entered before.
func TestImportHeldPhoneStillTaken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newExcelFixture(t, s)
		if _, err := f.svc.CreatePerson(ctx, f.admin, domain.PersonInput{Name: "李强", Gender: "male", Phone: "13900000009",
			PoliticalStatus: "masses", OrgID: f.unitB}); err != nil {
			t.Fatal(err)
		}
		for _, phone := range []string{"13900000001", "13900000009"} { // free, held outside scope
			first := xlsxSheet(t, excelPeopleHeader, []string{"王刚", "男", phone, "", "群众", "市农牧业局"})
			if res, err := f.svc.ImportPeople(ctx, f.orgAdmin, first); err != nil || !res.OK() || res.Imported != 1 {
				t.Fatalf("first import of %s: %+v (faults %q), %v", phone, res, excelFaults(res), err)
			}
			again := xlsxSheet(t, excelPeopleHeader, []string{"王芳芳", "女", phone, "", "中共党员", "市农牧业局"})
			res, err := f.svc.ImportPeople(ctx, f.orgAdmin, again)
			if err != nil || excelFaults(res) != "2/手机号/excel.reason.phone_registered" {
				t.Errorf("second import of %s: faults %q, %v; want registered", phone, excelFaults(res), err)
			}
		}
	})
}

// TestHeldPhoneChecksIDCard: an entry whose number is held outside scope
// still has its ID number checked: one already on file within scope is
// refused on the ID field, not failed by the database.
func TestHeldPhoneChecksIDCard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistry(t, s)
		if _, err := f.svc.CreatePerson(ctx, f.admin, person("李强", "13800000002", f.unitB)); err != nil {
			t.Fatal(err)
		}
		first := person("王芳", "13800000005", f.unitA)
		first.IDCard = "11010519491231002X"
		if _, err := f.svc.CreatePerson(ctx, f.orgAdmin, first); err != nil {
			t.Fatal(err)
		}
		second := person("张敏", "13800000002", f.branchA)
		second.IDCard = "11010519491231002X"
		if _, err := f.svc.CreatePerson(ctx, f.orgAdmin, second); !fieldIs(err, "id_card", "err.id_card.taken") {
			t.Errorf("held number with an ID number on file: %v, want err.id_card.taken", err)
		}
		// The same through an edit: a person in scope given the held number
		// and the ID number on file.
		other, err := f.svc.CreatePerson(ctx, f.orgAdmin, person("赵雷", "13800000007", f.unitA))
		if err != nil {
			t.Fatal(err)
		}
		edit := person("赵雷", "13800000002", f.unitA)
		edit.IDCard = "11010519491231002X"
		if err := f.svc.UpdatePerson(ctx, f.orgAdmin, other, edit); !fieldIs(err, "id_card", "err.id_card.taken") {
			t.Errorf("edit to a held number with an ID number on file: %v, want err.id_card.taken", err)
		}
	})
}
