package store_test

import (
	"context"
	"testing"

	"vanguard/assess"
	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

func TestAncestorAt(t *testing.T) {
	for _, c := range []struct {
		path  string
		level int
		want  string
	}{{"/1/4/9/", 2, "/1/4/"}, {"/1/4/9/", 3, "/1/4/9/"}, {"/1/", 2, ""}, {"/1/4/", 1, "/1/"}} {
		if got := store.AncestorAt(c.path, c.level); got != c.want {
			t.Errorf("AncestorAt(%q, %d) = %q, want %q", c.path, c.level, got, c.want)
		}
	}
}

func TestAssessRulesAndAdjustments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		// The migration's first version is the package's default.
		rv, err := s.RulesFor(ctx, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if rv.EffectiveOn != "2000-01-01" || rv.Rules.Cap != assess.Default().Cap || len(rv.Rules.Hours) != 2 ||
			assess.Validate(rv.Rules) != nil {
			t.Fatalf("seeded rules %+v", rv)
		}
		var unit, u1, u2 int64
		actor := domain.Actor{Username: "admin", Role: domain.RoleCommitteeAdmin}
		err = s.Write(ctx, actor, func(tx *store.Tx) error {
			r := assess.Default()
			r.OwnActivity = 300
			if _, err := tx.AddRules("2027-01-01", r, "明年起"); err != nil {
				return err
			}
			root, err := tx.CreateOrg(0, "committee", "工委")
			if err != nil {
				return err
			}
			if unit, err = tx.CreateOrg(root, "unit", "市林业局"); err != nil {
				return err
			}
			if u1, err = tx.CreateUser(store.NewUser{Username: "a1"}); err != nil {
				return err
			}
			u2, err = tx.CreateUser(store.NewUser{Username: "a2"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// A version effective next year leaves this year's rules alone.
		if rv, _ := s.RulesFor(ctx, 2026); rv.Rules.OwnActivity != 100 {
			t.Fatalf("2026 takes %+v", rv.Rules)
		}
		if rv, _ := s.RulesFor(ctx, 2027); rv.Rules.OwnActivity != 300 || rv.Note != "明年起" {
			t.Fatalf("2027 takes %+v", rv)
		}
		if vs, _ := s.RulesVersions(ctx); len(vs) != 2 || vs[0].EffectiveOn != "2027-01-01" {
			t.Fatalf("versions %+v", vs)
		}
		if _, err := s.RulesFor(ctx, 1999); domain.ErrCode(err) != domain.CodeNotFound {
			t.Fatalf("rules before any version: %v", err)
		}

		as := func(id int64) domain.Actor {
			return domain.Actor{UserID: id, Username: "a", Role: domain.RoleCommitteeAdmin}
		}
		var id int64
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(s.Write(ctx, as(u1), func(tx *store.Tx) error {
			if err := tx.SaveScores(2026, 2, rv.ID, []assess.Result{{OrgID: unit, Year: 2026, Total: 500,
				Lines: []assess.Line{{Rule: assess.RuleOwnActivity, Quantity: 5, Points: 500}}}}); err != nil {
				return err
			}
			id, err = tx.ProposeAdjustment(2026, unit, 150, "理由")
			return err
		}))
		// The proposer cannot decide; the other admin can, once.
		err = s.Write(ctx, as(u1), func(tx *store.Tx) error { _, err := tx.DecideAdjustment(id, true); return err })
		if domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("own decision: %v", err)
		}
		must(s.Write(ctx, as(u2), func(tx *store.Tx) error {
			a, err := tx.DecideAdjustment(id, true)
			if err != nil {
				return err
			}
			return tx.ApplyAdjustments(a.Year, a.OrgID)
		}))
		x, err := s.ScoreOf(ctx, 2026, unit)
		must(err)
		if x.Result.Total != 650 || len(x.Result.Lines) != 2 || x.Result.Lines[1].Reason != "理由" {
			t.Fatalf("score after approval %+v", x.Result)
		}
		adjs, err := s.ApprovedAdjustments(ctx, 2026)
		must(err)
		if len(adjs[unit]) != 1 || adjs[unit][0].Points != 150 {
			t.Fatalf("approved adjustments %+v", adjs)
		}
	})
}
