package store_test

import (
	"context"
	"fmt"
	"testing"

	"vanguard/domain"
	"vanguard/store"
)

// bigTree builds 10,000 orgs (100 units × 99 descendants in three levels)
// with 50,000 people spread over them, and returns the path of one unit.
func bigTree(b *testing.B, s *store.Store) string {
	ctx := context.Background()
	var unitPath string
	err := s.Write(ctx, actor, func(tx *store.Tx) error {
		root, err := tx.CreateOrg(0, "committee", "工委")
		if err != nil {
			return err
		}
		n := 0
		for u := 0; u < 100; u++ {
			unit, err := tx.CreateOrg(root, "unit", fmt.Sprintf("单位%d", u))
			if err != nil {
				return err
			}
			orgs := []int64{unit}
			for i := 0; i < 99; i++ {
				parent := orgs[i/4] // a bushy tree three or four levels deep
				id, err := tx.CreateOrg(parent, "branch", fmt.Sprintf("支部%d-%d", u, i))
				if err != nil {
					return err
				}
				orgs = append(orgs, id)
			}
			for i := 0; i < 500; i++ {
				n++
				p := domain.ValidPerson{Name: fmt.Sprintf("人员%d", n), Gender: domain.GenderMale,
					Phone: fmt.Sprintf("139%08d", n), PoliticalStatus: domain.PartyMember, OrgID: orgs[i%len(orgs)]}
				if _, err := tx.CreatePerson(p, store.SealedID{}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	orgs, err := s.ListOrgs(ctx, domain.Scope{All: true})
	if err != nil || len(orgs) != 10001 {
		b.Fatalf("ListOrgs = %d orgs, %v", len(orgs), err)
	}
	for _, o := range orgs {
		if o.Name == "单位42" {
			unitPath = o.Path
		}
	}
	return unitPath
}

// BenchmarkSubtree measures an org admin's views on a tree of 10,000 orgs
// and 50,000 people: their org subtree, the first page of their people, and
// the overview's counts.
func BenchmarkSubtree(b *testing.B) {
	for name, open := range benchStores(b) {
		b.Run(name, func(b *testing.B) {
			s := open(b)
			path := bigTree(b, s)
			ctx := context.Background()
			scope := domain.Scope{OrgPaths: []string{path}}
			b.Run("orgs", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if orgs, err := s.ListOrgs(ctx, scope); err != nil || len(orgs) != 100 {
						b.Fatalf("ListOrgs = %d, %v", len(orgs), err)
					}
				}
			})
			b.Run("people-page", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if ps, total, err := s.ListPeople(ctx, store.PeopleFilter{Scope: scope, Limit: 50}); err != nil || total != 500 || len(ps) != 50 {
						b.Fatalf("ListPeople = %d of %d, %v", len(ps), total, err)
					}
				}
			})
			b.Run("people-search-all", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, _, err := s.ListPeople(ctx, store.PeopleFilter{Scope: domain.Scope{All: true}, Query: "人员4999", Limit: 50}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("counts", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if c, err := s.CountRegistry(ctx, scope); err != nil || c.People != 500 {
						b.Fatalf("CountRegistry = %+v, %v", c, err)
					}
				}
			})
		})
	}
}
