package store_test

import (
	"context"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestCampaignSums puts activities in two batches and checks the sums: per
// batch and in total, people counted once across batches, metric values
// exact (0.3 t + 0.4 t + 1.3 t is 2 t), cancelled activities counting
// nothing, and moving an activity out of a batch audited.
func TestCampaignSums(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		ppl := f.people(t, 5)
		day := time.Date(2026, 5, 12, 1, 0, 0, 0, time.UTC)
		a1 := f.pastActivity(t, day, ppl[:3])                   // batch 1: people 0,1,2
		a2 := f.pastActivity(t, day.AddDate(0, 0, 1), ppl[2:4]) // batch 1: people 2,3
		a3 := f.pastActivity(t, day.AddDate(0, 0, 14), ppl[3:]) // batch 2: people 3,4
		cancelled := f.activity(t, domain.ModeUnit, 5, day.AddDate(0, 0, 20))
		tons, trees := metricID(t, s, "garbage_tons"), metricID(t, s, "trees_planted")

		var camp int64
		var b1, b2 domain.Batch
		must(t, s.Write(ctx, actor, func(tx *store.Tx) (err error) {
			if camp, err = tx.CreateCampaign(domain.CampaignInput{Name: "十个全覆盖", StartsOn: "2026-05-01", EndsOn: "2026-07-31"}); err != nil {
				return err
			}
			if b1, err = tx.AddBatch(camp, domain.BatchInput{Note: "陈巴尔虎旗"}); err != nil {
				return err
			}
			if b2, err = tx.AddBatch(camp, domain.BatchInput{}); err != nil {
				return err
			}
			for _, o := range []domain.Outcome{
				{ActivityID: a1, Beneficiaries: 100, Values: []domain.OutcomeValue{{MetricID: tons, Value: 30}, {MetricID: trees, Value: domain.Units(120)}}},
				{ActivityID: a2, Beneficiaries: 50, Values: []domain.OutcomeValue{{MetricID: tons, Value: 40}}},
				{ActivityID: a3, Beneficiaries: 10, Values: []domain.OutcomeValue{{MetricID: tons, Value: 130}}},
			} {
				if err := tx.SaveOutcome(o); err != nil {
					return err
				}
			}
			return tx.SetBatchActivities(b1.ID, []int64{a1, a2})
		}))
		if b1.Number != 1 || b2.Number != 2 {
			t.Fatalf("batch numbers %d, %d; want 1, 2", b1.Number, b2.Number)
		}
		must(t, s.Write(ctx, actor, func(tx *store.Tx) error { return tx.SetActivityBatch(a3, 0, b2.ID) }))
		must(t, s.Write(ctx, actor, func(tx *store.Tx) error { return tx.SetActivityBatch(cancelled, 0, b2.ID) }))
		must(t, s.Write(ctx, actor, func(tx *store.Tx) error { return tx.CancelActivity(cancelled, "天气") }))

		per, total, err := s.CampaignSums(ctx, camp)
		must(t, err)
		if x := per[b1.ID]; x.Activities != 2 || x.People != 4 || x.PersonTimes != 5 || x.Minutes != 600 || x.Beneficiaries != 150 ||
			x.Value("garbage_tons") != 70 || x.Value("trees_planted") != domain.Units(120) {
			t.Errorf("batch 1 sums %+v", x)
		}
		if x := per[b2.ID]; x.Activities != 1 || x.People != 2 || x.PersonTimes != 2 || x.Beneficiaries != 10 {
			t.Errorf("batch 2 sums %+v (the cancelled activity must count nothing)", x)
		}
		if total.Activities != 3 || total.People != 5 || total.PersonTimes != 7 || total.Beneficiaries != 160 ||
			total.Value("garbage_tons") != domain.Units(2) || total.Value("garbage_tons").String() != "2" {
			t.Errorf("total sums %+v", total)
		}
		if len(total.Metrics) != 2 || total.Metrics[0].Metric.Code != "trees_planted" {
			t.Errorf("total metrics %+v, want trees then tons, in the metrics' order", total.Metrics)
		}

		// Out of the batch again, and the sums follow.
		must(t, s.Write(ctx, actor, func(tx *store.Tx) error { return tx.SetActivityBatch(a2, b1.ID, 0) }))
		per, _, err = s.CampaignSums(ctx, camp)
		must(t, err)
		if x := per[b1.ID]; x.Activities != 1 || x.People != 3 {
			t.Errorf("batch 1 after taking a2 out: %+v", x)
		}
		if l, _ := s.ActivityLinksOf(ctx, a2); l.BatchID != 0 {
			t.Errorf("a2 still in batch %d", l.BatchID)
		}
		entries, _ := s.ListAudit(ctx, domain.AuditFilter{Action: "campaign.unassign"})
		if len(entries) != 1 || entries[0].ObjectID == "" {
			t.Errorf("unassign audit: %+v", entries)
		}
		c, err := s.CampaignByID(ctx, camp)
		if err != nil || len(c.Batches) != 2 || c.Batches[0].Note != "陈巴尔虎旗" {
			t.Errorf("CampaignByID = %+v, %v", c, err)
		}
		cands, err := s.BatchCandidates(ctx, "2026-05-01", "2026-07-31")
		must(t, err)
		if len(cands) != 1 || cands[0].ID != a2 {
			t.Errorf("candidates %v, want only a2 (the rest are in batches or cancelled)", cands)
		}
		byBatch, err := s.CampaignActivities(ctx, camp)
		if err != nil || len(byBatch[b1.ID]) != 1 || len(byBatch[b2.ID]) != 2 {
			t.Errorf("CampaignActivities = %v, %v", byBatch, err)
		}
	})
}

func TestProjects(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		ppl := f.people(t, 3)
		day := time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC)
		a1 := f.pastActivity(t, day, ppl)
		a2 := f.pastActivity(t, day.AddDate(0, 1, 0), ppl[:2])
		var long, short int64
		must(t, s.Write(ctx, actor, func(tx *store.Tx) (err error) {
			if long, err = tx.CreateProject(domain.ProjectInput{Name: "送医送药进牧区", Term: domain.TermLong, TeamID: f.team,
				OrgID: f.root, StartedOn: "2017-05-01"}); err != nil {
				return err
			}
			if short, err = tx.CreateProject(domain.ProjectInput{Name: "春季防疫", Term: domain.TermShort, OrgID: f.root,
				StartedOn: "2026-03-01", EndedOn: "2026-03-31"}); err != nil {
				return err
			}
			return tx.SaveOutcome(domain.Outcome{ActivityID: a1, Beneficiaries: 80})
		}))
		must(t, s.Write(ctx, actor, func(tx *store.Tx) error { return tx.SetActivityProject(a1, 0, long) }))
		must(t, s.Write(ctx, actor, func(tx *store.Tx) error { return tx.SetProjectActivities(long, []int64{a2}) }))

		p, err := s.ProjectByID(ctx, long)
		if err != nil || p.Activities != 2 || p.PersonTimes != 5 || p.TeamID != f.team || p.LastOn != "2026-04-10" {
			t.Fatalf("ProjectByID = %+v, %v", p, err)
		}
		sums, err := s.ProjectSums(ctx, long)
		if err != nil || sums.Activities != 2 || sums.People != 3 || sums.PersonTimes != 5 || sums.Beneficiaries != 80 {
			t.Errorf("ProjectSums = %+v, %v", sums, err)
		}
		acts, err := s.ProjectActivities(ctx, long)
		if err != nil || len(acts) != 2 || acts[0].ID != a2 {
			t.Errorf("ProjectActivities = %v, %v; want newest first", acts, err)
		}
		// Scopes: the team's leader sees the team's project only.
		team, err := s.ListProjects(ctx, domain.Scope{TeamIDs: []int64{f.team}})
		if err != nil || len(team) != 1 || team[0].ID != long {
			t.Errorf("team scope: %+v, %v", team, err)
		}
		all, _ := s.ListProjects(ctx, domain.Scope{All: true})
		if len(all) != 2 || all[0].ID != long || all[1].ID != short {
			t.Errorf("all projects %+v, want long-term first", all)
		}
		cands, err := s.ProjectCandidates(ctx, p)
		if err != nil || len(cands) != 0 {
			t.Errorf("candidates %v, %v; both activities are linked", cands, err)
		}
		must(t, s.Write(ctx, actor, func(tx *store.Tx) error { return tx.SetActivityProject(a2, long, 0) }))
		if cands, _ = s.ProjectCandidates(ctx, p); len(cands) != 1 || cands[0].ID != a2 {
			t.Errorf("candidates after unlinking a2: %v", cands)
		}
		outs, err := s.OutcomesOf(ctx, []int64{a1, a2})
		if err != nil || outs[a1].Beneficiaries != 80 || len(outs) != 1 {
			t.Errorf("OutcomesOf = %+v, %v", outs, err)
		}
	})
}
