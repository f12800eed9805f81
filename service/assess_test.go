package service_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"vanguard/assess"
	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// freshScores computes the year's scores from scratch — fresh facts from
// the records, the rules in force, a fresh assess.Evaluate — and returns
// them by org.
func freshScores(t *testing.T, s *store.Store, year, level int) map[int64]assess.Result {
	t.Helper()
	ctx := context.Background()
	rv, err := s.RulesFor(ctx, year)
	must(t, err)
	facts, err := s.AssessFacts(ctx, year, level, "")
	must(t, err)
	adjs, err := s.ApprovedAdjustments(ctx, year)
	must(t, err)
	orgs, err := s.ListOrgs(ctx, domain.Scope{All: true})
	must(t, err)
	out := map[int64]assess.Result{}
	for _, o := range orgs {
		if store.OrgLevel(o.Path) != level {
			continue
		}
		f := assess.Facts{Year: year}
		if x := facts[o.Path]; x != nil {
			f = *x
		}
		f.OrgID = o.ID
		out[o.ID] = assess.Evaluate(rv.Rules, f, adjs[o.ID])
	}
	return out
}

// sameAsStored fails unless the stored scores of the year are exactly the
// fresh ones, breakdown and all.
func sameAsStored(t *testing.T, s *store.Store, year, level int, when string) []store.StoredScore {
	t.Helper()
	stored, err := s.Scores(context.Background(), year, domain.Scope{All: true})
	must(t, err)
	fresh := freshScores(t, s, year, level)
	if len(stored) != len(fresh) {
		t.Fatalf("%s: %d stored scores, %d orgs at level %d", when, len(stored), len(fresh), level)
	}
	for _, x := range stored {
		f := fresh[x.OrgID]
		if x.Result.Total != f.Total || !reflect.DeepEqual(x.Result.Lines, f.Lines) {
			t.Fatalf("%s: org %s stored %s %+v, recomputed %s %+v", when, x.OrgName, x.Result.Total, x.Result.Lines, f.Total, f.Lines)
		}
	}
	return stored
}

func TestAssessRecomputeEqualsStored(t *testing.T) {
	skipUnderRace(t)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, logins := loadDemo(t, s)
		callers := demoPrincipals(t, svc, logins)
		admin, orgAdmin := callers[domain.RoleCommitteeAdmin], callers[domain.RoleOrgAdmin]

		// The first activity still to come decides the year, so that
		// completing it changes the year's records.
		now := s.Now()
		upcoming, _, err := s.ListActivities(ctx, store.ActivityFilter{From: now, State: domain.ActivityScheduled, Limit: 1})
		must(t, err)
		if len(upcoming) == 0 {
			t.Fatal("the demo has no activity to come")
		}
		act := upcoming[0]
		year := act.StartsAt.In(domain.Shanghai).Year()
		const level = service.DefaultAssessLevel

		must(t, svc.Recompute(ctx, admin, year, level))
		stored := sameAsStored(t, s, year, level, "first recomputation")
		var earned, groups int
		for _, x := range stored {
			if x.Result.Total > 0 {
				earned++
			}
			for _, l := range x.Result.Lines {
				if l.Rule == assess.RuleGroupService {
					groups++
				}
			}
		}
		if earned == 0 || groups == 0 {
			t.Fatalf("the demo earned nothing: %d orgs with points, %d with group services", earned, groups)
		}
		// Every line's records add up to its quantity.
		for _, x := range stored[:min(len(stored), 6)] {
			for _, l := range x.Result.Lines {
				if !assess.ValidRecordRule(l.Rule) {
					continue
				}
				v, err := svc.AssessRecords(ctx, admin, year, x.OrgID, l.Rule)
				must(t, err)
				if v.Quantity != l.Quantity {
					t.Errorf("org %s, %s: records add up to %d, the line says %d", x.OrgName, l.Rule, v.Quantity, l.Quantity)
				}
			}
		}

		// Change records: complete the activity (after its start), decline a
		// pending dispatch, uphold a complaint; and change a rule.
		s.SetClock(func() time.Time { return act.EndsAt.Add(time.Hour) })
		defer s.SetClock(time.Now)
		must(t, s.Write(ctx, admin.Actor(), func(tx *store.Tx) error {
			if _, _, err := tx.CompleteActivity(act.ID); err != nil {
				return err
			}
			pending, err := tx.OverdueBatch(act.EndsAt.Add(time.Hour), 0, 1)
			if err != nil || len(pending) == 0 {
				t.Logf("no pending dispatch to decline (%v)", err)
				return tx.Audit("test.change", "activity", "", nil, nil)
			}
			var team int64
			ds, err := s.OrderDispatches(ctx, pending[0].OrderID)
			if err != nil {
				return err
			}
			for _, d := range ds {
				if d.ID == pending[0].ID {
					team = d.TeamID
				}
			}
			return tx.AnswerDispatch(pending[0].OrderID, team, false, "队员外出培训，无法按时到场")
		}))
		_, err = svc.SaveRules(ctx, admin, service.RulesInput{EffectiveOn: "2000-01-02", Note: "加大组团服务分值",
			Form: func() assess.Form {
				f := assess.FormOf(assess.Default(), nil)
				f[assess.FieldGroupService] = "3.5"
				f[assess.FieldCap] = "0"
				return f
			}(), Year: year, Level: level})
		must(t, err)
		rv, err := s.RulesFor(ctx, year)
		must(t, err)
		if rv.Rules.GroupService != 350 {
			t.Fatalf("rules in force %+v, want the new version", rv)
		}
		// SaveRules recomputed the year in its transaction.
		after := sameAsStored(t, s, year, level, "after the change of rules")
		must(t, svc.Recompute(ctx, admin, year, level))
		sameAsStored(t, s, year, level, "after recomputing again")
		if reflect.DeepEqual(after, stored) {
			t.Fatal("changing records and rules changed no score")
		}

		// Org admins read their own org's score and not others'.
		rk, err := svc.AssessRanking(ctx, orgAdmin, year)
		must(t, err)
		sc := domain.ScopeOf(orgAdmin.Principal, domain.ActAssessRead)
		for _, x := range rk.Scores {
			if !domain.Can(orgAdmin.Principal, domain.ActAssessRead, domain.Target{OrgPath: x.OrgPath}) {
				t.Fatalf("org admin (scope %+v) sees %s in the ranking", sc, x.OrgName)
			}
		}
		for _, x := range after {
			_, err := svc.AssessScore(ctx, orgAdmin, year, x.OrgID)
			mine := domain.Can(orgAdmin.Principal, domain.ActAssessRead, domain.Target{OrgPath: x.OrgPath})
			if mine && err != nil || !mine && domain.ErrCode(err) != domain.CodeForbidden {
				t.Fatalf("org admin reading %s (own %v): %v", x.OrgName, mine, err)
			}
			if !mine {
				if _, err := svc.AssessRecords(ctx, orgAdmin, year, x.OrgID, assess.RuleOwnActivity); domain.ErrCode(err) != domain.CodeForbidden {
					t.Fatalf("org admin reads the records of %s: %v", x.OrgName, err)
				}
			}
		}
		if _, err := svc.AssessRanking(ctx, callers[domain.RoleTeamLeader], year); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("a team leader reads the ranking: %v", err)
		}
	})
}

func TestAssessAdjustmentFourEyes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := service.New(s, fast, make([]byte, 32), nil)
		var unit, u1, u2 int64
		must(t, s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error {
			root, err := tx.CreateOrg(0, "committee", "市直机关工委")
			if err != nil {
				return err
			}
			if unit, err = tx.CreateOrg(root, "unit", "市农牧局"); err != nil {
				return err
			}
			for i, id := range []*int64{&u1, &u2} {
				if *id, err = tx.CreateUser(store.NewUser{Username: []string{"admin", "admin2"}[i]}); err != nil {
					return err
				}
				if err := tx.Grant(*id, domain.RoleCommitteeAdmin, 0); err != nil {
					return err
				}
			}
			return nil
		}))
		who := func(id int64, name string) domain.Caller {
			return domain.Caller{Principal: domain.Principal{UserID: id, Username: name,
				Grants: []domain.Grant{{Role: domain.RoleCommitteeAdmin}}}, IP: "127.0.0.1", RequestID: "t"}
		}
		a1, a2 := who(u1, "admin"), who(u2, "admin2")
		const year = 2026
		// Before any score is stored for the year, an adjustment has
		// nothing to add to: refused, naming the org.
		_, err := svc.ProposeAdjustment(ctx, a1, service.AdjustmentInput{Year: year, OrgID: unit, Points: "1", Reason: "表扬"})
		if e, ok := domain.AsError(err); !ok || e.Fields["org"] == nil {
			t.Fatalf("adjustment of an unscored org: %v", err)
		}
		must(t, svc.Recompute(ctx, a1, year, 2))

		// A reason and non-zero points are required; the form names them.
		_, err = svc.ProposeAdjustment(ctx, a1, service.AdjustmentInput{Year: year, OrgID: unit, Points: "0", Reason: " "})
		if e, ok := domain.AsError(err); !ok || e.Fields["reason"] == nil || e.Fields["points"] == nil {
			t.Fatalf("empty proposal: %v", err)
		}
		id, err := svc.ProposeAdjustment(ctx, a1, service.AdjustmentInput{Year: year, OrgID: unit, Points: "2.5",
			Reason: "牵头完成防汛抢险志愿服务，市委通报表扬"})
		must(t, err)
		if err := svc.DecideAdjustment(ctx, a1, id, true); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("the proposer approved their own adjustment: %v", err)
		}
		x, err := s.ScoreOf(ctx, year, unit)
		must(t, err)
		if x.Result.Total != 0 {
			t.Fatalf("a pending adjustment counted: %s", x.Result.Total)
		}
		must(t, svc.DecideAdjustment(ctx, a2, id, true))
		if err := svc.DecideAdjustment(ctx, a2, id, false); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("decided twice: %v", err)
		}
		x, err = s.ScoreOf(ctx, year, unit)
		must(t, err)
		if x.Result.Total != 250 || len(x.Result.Lines) != 1 || x.Result.Lines[0].Rule != assess.RuleAdjustment {
			t.Fatalf("approved adjustment not in the breakdown: %+v", x.Result)
		}
		sameAsStored(t, s, year, 2, "after the approval")

		// A rejected one changes nothing.
		id2, err := svc.ProposeAdjustment(ctx, a2, service.AdjustmentInput{Year: year, OrgID: unit, Points: "-1", Reason: "台帐不全"})
		must(t, err)
		must(t, svc.DecideAdjustment(ctx, a1, id2, false))
		sameAsStored(t, s, year, 2, "after the rejection")

		// Both steps are audited.
		for _, action := range []string{"assess.adjust.propose", "assess.adjust.approved", "assess.adjust.rejected"} {
			es, err := s.ListAudit(ctx, domain.AuditFilter{Action: action, Limit: 5})
			must(t, err)
			if len(es) == 0 {
				t.Errorf("no audit entry %s", action)
			}
		}
	})
}
