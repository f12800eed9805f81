package store_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// certRegisterFixture makes two units, a team of the first with an activity in
// April 2026, and n people with recorded service in it.
func certRegisterFixture(t *testing.T, s *store.Store, n int) (unitA, unitB int64, people []int64) {
	t.Helper()
	ctx := context.Background()
	cats, _ := s.ListCategories(ctx, false)
	start := time.Date(2026, 4, 1, 9, 0, 0, 0, domain.ChinaZone)
	must(t, s.Write(ctx, actor, func(tx *store.Tx) (err error) {
		root, _ := tx.CreateOrg(0, "committee", "工委")
		unitA, _ = tx.CreateOrg(root, "unit", "农牧业局")
		unitB, _ = tx.CreateOrg(root, "unit", "司法局")
		team, err := tx.CreateTeam(domain.Team{OrgID: unitA, Kind: domain.TeamParty, Name: "农牧队"})
		if err != nil {
			return err
		}
		var vs []domain.ValidPerson
		for i := 0; i < n; i++ {
			vs = append(vs, domain.ValidPerson{Name: fmt.Sprintf("王芳%d", i), Gender: domain.GenderFemale,
				Phone: fmt.Sprintf("137%08d", i+1), PoliticalStatus: "party_member", OrgID: unitA})
		}
		if people, err = tx.CreatePeople(vs, make([]store.SealedID, n)); err != nil {
			return err
		}
		in := domain.ActivityInput{Title: "春季防疫", Mode: domain.ModeUnit, TeamID: team, Address: "镇政府",
			CategoryIDs: []int64{cats[0].ID}, StartsAt: start, EndsAt: start.Add(6 * time.Hour), Capacity: n}
		in.Normalize()
		act, err := tx.CreateActivity(in, unitA)
		if err != nil {
			return err
		}
		for _, p := range people {
			if _, err = tx.SignUp(act, p, team, false); err != nil {
				return err
			}
			if err = tx.RecordPair(act, p, start, start.Add(2*time.Hour)); err != nil {
				return err
			}
		}
		_, _, err = tx.CompleteActivity(act)
		return err
	}))
	return unitA, unitB, people
}

func issueFor(s *store.Store, person, org int64) (domain.Certificate, error) {
	var c domain.Certificate
	err := s.Write(context.Background(), actor, func(tx *store.Tx) (err error) {
		c, err = tx.IssueCertificate(store.NewCertificate{PersonID: person, OrgID: org, From: "2026-04-01", To: "2026-04-30",
			Responsible: "张志强", Handler: "管理员", Check: "ABCDEF", VolunteerNo: "V-1", Contact: "0471-1234567"})
		return err
	})
	return c, err
}

// TestCertificateRegisterNumbers: 20 concurrent issues by one org get the
// numbers 1…20 of the year, no gap and no duplicate; another org starts
// at 1; a failed issue gives its number back.
func TestCertificateRegisterNumbers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.SetClock(func() time.Time { return time.Date(2026, 5, 3, 10, 0, 0, 0, domain.ChinaZone) })
		unitA, unitB, people := certRegisterFixture(t, s, 20)
		var wg sync.WaitGroup
		errs := make([]error, len(people))
		for i, p := range people {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = issueFor(s, p, unitA)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("issue %d: %v", i, err)
			}
		}
		reg, err := s.CertificateRegister(ctx, store.RegisterFilter{OrgID: unitA, Year: 2026})
		must(t, err)
		var seqs []int
		for _, c := range reg {
			seqs = append(seqs, c.RegisterSeq)
			if c.RegisterNo != domain.RegisterNumber("农牧业局", 2026, c.RegisterSeq) || c.RegisterYear != 2026 {
				t.Errorf("register number %q for seq %d", c.RegisterNo, c.RegisterSeq)
			}
			if c.Contact != "0471-1234567" || c.VolunteerNo != "V-1" {
				t.Errorf("snapshot contact/number = %q/%q", c.Contact, c.VolunteerNo)
			}
		}
		sort.Ints(seqs)
		if len(seqs) != 20 {
			t.Fatalf("register has %d entries, want 20", len(seqs))
		}
		for i, n := range seqs {
			if n != i+1 {
				t.Fatalf("register numbers %v: want 1…20 without gaps", seqs)
			}
		}
		if reg[0].RegisterNo != "农牧业局〔2026〕第0001号" {
			t.Errorf("first register number %q", reg[0].RegisterNo)
		}
		// The person is not one unitB recorded: the issue fails and its
		// number is given back, so unitB still starts at 1.
		if _, err := issueFor(s, people[0], unitB); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("issue without service: %v", err)
		}
		if c, err := issueFor(s, people[0], unitA); err != nil || c.RegisterSeq != 21 {
			t.Fatalf("the 21st = %+v, %v", c.RegisterSeq, err)
		}
		if years, err := s.CertificateRegisterYears(ctx, unitB); err != nil || len(years) != 0 {
			t.Fatalf("unitB register years = %v, %v (a failed issue must leave nothing)", years, err)
		}
	})
}

// TestCertificateAcceptAndNotice: an application is accepted (受理), then
// issued; a decided one cannot be accepted; an issued certificate is posted
// for 7 days and a revoked one is taken down.
func TestCertificateAcceptAndNotice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 5, 3, 10, 0, 0, 0, domain.ChinaZone)
		s.SetClock(func() time.Time { return now })
		unitA, _, people := certRegisterFixture(t, s, 2)
		var req int64
		must(t, s.Write(ctx, actor, func(tx *store.Tx) (err error) {
			req, err = tx.CreateCertificateRequest(domain.CertificateRequest{PersonID: people[0], From: "2026-04-01",
				To: "2026-04-30", Purpose: "评优"})
			return err
		}))
		must(t, s.Write(ctx, actor, func(tx *store.Tx) error { return tx.AcceptCertificateRequest(req) }))
		r, err := s.CertificateRequestByID(ctx, req)
		if err != nil || r.State != domain.RequestAccepted || r.AcceptedAt.IsZero() || !r.Waiting() {
			t.Fatalf("accepted request = %+v, %v", r, err)
		}
		if err := s.Write(ctx, actor, func(tx *store.Tx) error { return tx.AcceptCertificateRequest(req) }); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("accepting twice: %v", err)
		}
		// Still one waiting application per person while accepted.
		err = s.Write(ctx, actor, func(tx *store.Tx) error {
			_, err := tx.CreateCertificateRequest(domain.CertificateRequest{PersonID: people[0], From: "2026-04-01",
				To: "2026-04-30", Purpose: "again"})
			return err
		})
		if domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("a second application while one is accepted: %v", err)
		}
		if n, err := s.CountCertificateRequests(ctx, domain.Scope{All: true}); err != nil || n != 1 {
			t.Fatalf("waiting count = %d, %v", n, err)
		}
		var cert domain.Certificate
		must(t, s.Write(ctx, actor, func(tx *store.Tx) (err error) {
			cert, err = tx.IssueCertificate(store.NewCertificate{PersonID: people[0], OrgID: unitA, From: "2026-04-01",
				To: "2026-04-30", Responsible: "张志强", Handler: "管理员", Check: "ABCDEF", Contact: "13900000000"})
			if err != nil {
				return err
			}
			return tx.FulfilCertificateRequest(req, cert.ID)
		}))
		if r, _ := s.CertificateRequestByID(ctx, req); r.State != domain.RequestIssued || r.CertificateID != cert.ID {
			t.Fatalf("issued request = %+v", r)
		}
		other, err := issueFor(s, people[1], unitA)
		must(t, err)

		posted := func(want int) {
			t.Helper()
			cs, err := s.NoticedCertificates(ctx, unitA)
			if err != nil || len(cs) != want {
				t.Fatalf("posted = %d, %v; want %d", len(cs), err, want)
			}
			orgs, err := s.NoticeOrgs(ctx)
			if err != nil || (want > 0) != (len(orgs) == 1) {
				t.Fatalf("notice orgs = %+v, %v", orgs, err)
			}
		}
		posted(2)
		must(t, s.Write(ctx, actor, func(tx *store.Tx) error { return tx.RevokeCertificate(other.ID, "重复出具") }))
		posted(1)
		// Revoked stays in the register.
		if reg, _ := s.CertificateRegister(ctx, store.RegisterFilter{OrgID: unitA}); len(reg) != 2 || !reg[1].Revoked() {
			t.Fatalf("register = %+v", reg)
		}
		now = now.AddDate(0, 0, 7).Add(-time.Minute)
		posted(1)
		now = now.Add(2 * time.Minute)
		posted(0)
	})
}
