package store_test

import (
	"cmp"
	"context"
	"slices"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/gen"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestAnnualGroupsCapped generates a year with more group services than
// the report lists and checks the capped table against the statistics'
// own drill-through lists: the total is every group service, and the rows
// are those with the most person-times credited to the scope (ties by
// date, then title), each with its teams — for the whole tree and for one
// team's scope, where only the team's own person-times count.
func TestAnnualGroupsCapped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 7, 9, 0, 0, 0, domain.ChinaZone)
		if _, err := gen.Generate(ctx, s, gen.Options{Scale: gen.People(2000), Year: 2026, Seed: 3, Now: now}); err != nil {
			t.Fatal(err)
		}
		from, to := domain.YearFilter(2026).Window()
		teams, err := s.ListTeams(ctx, store.TeamFilter{Scope: domain.Scope{All: true}})
		if err != nil {
			t.Fatal(err)
		}
		// A team leader's scope: the team in the most group services.
		var team domain.Scope
		most := int64(0)
		for _, tm := range teams {
			sc := domain.Scope{TeamIDs: []int64{tm.ID}}
			l, err := s.StatsRecords(ctx, store.StatsQuery{Scope: sc, From: from, To: to}, domain.FigGroupServices, 0, 1, 0)
			if err != nil {
				t.Fatal(err)
			}
			if l.Count > most {
				team, most = sc, l.Count
			}
		}
		if most == 0 {
			t.Fatal("no team took part in a group service")
		}
		for _, sc := range []domain.Scope{{All: true}, team} {
			q := store.StatsQuery{Scope: sc, From: from, To: to}
			const limit = 50
			got, total, err := s.AnnualGroups(ctx, q, limit)
			if err != nil {
				t.Fatal(err)
			}
			services, err := s.StatsRecords(ctx, q, domain.FigGroupServices, 0, 1_000_000, 0)
			if err != nil {
				t.Fatal(err)
			}
			times, err := s.StatsRecords(ctx, q, domain.FigGroupTimes, 0, 10_000_000, 0)
			if err != nil {
				t.Fatal(err)
			}
			if sc.All && total <= limit {
				t.Fatalf("the generated year has %d group services; the test needs more than %d", total, limit)
			}
			t.Logf("%v: %d group services, %d listed", sc, total, len(got))
			if int64(total) != services.Count {
				t.Errorf("%v: total %d, the statistics list %d group services", sc, total, services.Count)
			}
			perActivity := map[int64]int64{}
			for _, r := range times.Records {
				perActivity[r.ActivityID]++
			}
			want := slices.Clone(services.Records)
			slices.SortStableFunc(want, func(a, b store.StatsRecord) int {
				return cmp.Or(cmp.Compare(perActivity[b.ID], perActivity[a.ID]), a.At.Compare(b.At),
					cmp.Compare(a.Title, b.Title), cmp.Compare(a.ID, b.ID))
			})
			want = want[:min(len(want), limit)]
			if len(got) != len(want) {
				t.Fatalf("%v: %d rows, want %d", sc, len(got), len(want))
			}
			for i, g := range got {
				w := want[i]
				if g.ActivityID != w.ID || g.PersonTimes != perActivity[w.ID] || g.Title != w.Title || !g.StartsAt.Equal(w.At) {
					t.Errorf("%v: row %d is activity %d (%d person-times), want %d (%d)", sc, i, g.ActivityID, g.PersonTimes, w.ID, perActivity[w.ID])
				}
				if len(g.Teams) < 2 {
					t.Errorf("%v: group service %d lists teams %v; a group has two or more", sc, g.ActivityID, g.Teams)
				}
			}
		}
	})
}
