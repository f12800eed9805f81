package store_test

import (
	"context"
	"testing"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestCertificateRequests: one application waits at a time per person; the
// count for the to-do pages sees only the orgs in scope; a decided
// application cannot be decided again.
func TestCertificateRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var root, unitA, unitB int64
		var people []int64
		must(t, s.Write(ctx, actor, func(tx *store.Tx) (err error) {
			root, _ = tx.CreateOrg(0, "committee", "工委")
			unitA, _ = tx.CreateOrg(root, "unit", "农牧业局")
			unitB, _ = tx.CreateOrg(root, "unit", "司法局")
			people, err = tx.CreatePeople([]domain.ValidPerson{
				{Name: "王芳", Gender: domain.GenderFemale, Phone: "13700000001", PoliticalStatus: "party_member", OrgID: unitA},
				{Name: "李强", Gender: domain.GenderMale, Phone: "13700000002", PoliticalStatus: "party_member", OrgID: unitB},
			}, make([]store.SealedID, 2))
			return err
		}))
		apply := func(person int64) (int64, error) {
			var id int64
			err := s.Write(ctx, actor, func(tx *store.Tx) (err error) {
				id, err = tx.CreateCertificateRequest(domain.CertificateRequest{PersonID: person, Services: true,
					ActivityIDs: []int64{7, 9}, Purpose: "评优"})
				return err
			})
			return id, err
		}
		a, err := apply(people[0])
		must(t, err)
		if _, err := apply(people[0]); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("a second waiting application: %v", err)
		}
		_, err = apply(people[1])
		must(t, err)
		orgA, _ := s.OrgByID(ctx, unitA)
		for _, c := range []struct {
			sc   domain.Scope
			want int
		}{{domain.Scope{All: true}, 2}, {domain.Scope{OrgPaths: []string{orgA.Path}}, 1}, {domain.Scope{}, 0}} {
			if n, err := s.CountCertificateRequests(ctx, c.sc); err != nil || n != c.want {
				t.Errorf("CountCertificateRequests(%+v) = %d, %v; want %d", c.sc, n, err, c.want)
			}
		}
		r, err := s.CertificateRequestByID(ctx, a)
		if err != nil || !r.Services || len(r.ActivityIDs) != 2 || r.ActivityIDs[1] != 9 || r.OrgID != unitA || r.State != domain.RequestPending {
			t.Fatalf("request = %+v, %v", r, err)
		}
		must(t, s.Write(ctx, actor, func(tx *store.Tx) error { return tx.DeclineCertificateRequest(a, "不符合条件") }))
		err = s.Write(ctx, actor, func(tx *store.Tx) error { return tx.DeclineCertificateRequest(a, "again") })
		if domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("deciding twice: %v", err)
		}
		if rs, _ := s.PersonCertificateRequests(ctx, people[0]); len(rs) != 1 || rs[0].Reason != "不符合条件" {
			t.Fatalf("her applications: %+v", rs)
		}
		if _, err := apply(people[0]); err != nil {
			t.Fatalf("applying again once decided: %v", err)
		}
	})
}
