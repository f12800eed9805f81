package service_test

import (
	"context"
	"strconv"
	"testing"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// The figures are kept between requests until the records change: a change
// made after the page was read shows on the next read, and the list behind
// the figure agrees with it.
func TestStatisticsFollowTheRecords(t *testing.T) {
	skipUnderRace(t)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, logins := loadDemo(t, s)
		c := demoPrincipals(t, svc, logins)[domain.RoleCommitteeAdmin]
		f := demoPeriod()
		before, err := svc.Statistics(ctx, c, f)
		if err != nil {
			t.Fatal(err)
		}
		again, err := svc.Statistics(ctx, c, f)
		if err != nil {
			t.Fatal(err)
		}
		if again.Beneficiaries != before.Beneficiaries || again.PersonTimes != before.PersonTimes {
			t.Fatalf("a second read changed the figures with no change of records")
		}
		acts, err := svc.StatsRecords(ctx, c, f, domain.FigActivities, 1)
		if err != nil || len(acts.Records) == 0 {
			t.Fatalf("no activities to change: %v", err)
		}
		id := acts.Records[0].ActivityID
		o, err := svc.OutcomeForm(ctx, c, id)
		if err != nil {
			t.Fatal(err)
		}
		was := o.Outcome.Beneficiaries
		form := domain.OutcomeForm{Beneficiaries: strconv.Itoa(was + 7), Narrative: o.Outcome.Narrative,
			Values: map[int64]string{}}
		for _, v := range o.Outcome.Values {
			form.Values[v.MetricID] = v.Value.String()
		}
		if err := svc.SaveOutcome(ctx, c, id, form); err != nil {
			t.Fatal(err)
		}
		after, err := svc.Statistics(ctx, c, f)
		if err != nil {
			t.Fatal(err)
		}
		if after.Beneficiaries != before.Beneficiaries+7 {
			t.Errorf("beneficiaries after adding 7 to an activity: %d, before %d", after.Beneficiaries, before.Beneficiaries)
		}
		if got := drillTotal(t, svc, c, f, domain.FigBeneficiaries); got != after.Beneficiaries {
			t.Errorf("beneficiaries %d, its list totals %d", after.Beneficiaries, got)
		}
	})
}

// A city on its first day has no records: the statistics read as zeros.
func TestStatisticsOfAnEmptyCity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		svc := service.New(s, fast, make([]byte, 32), nil)
		v, err := svc.Statistics(context.Background(), committeeCaller(), domain.YearFilter(2026))
		if err != nil {
			t.Fatal(err)
		}
		if v.Activities != 0 || v.PersonTimes != 0 || v.Funnel[domain.FigOrdered] != 0 || len(v.ByOrg) != 0 {
			t.Errorf("an empty city has figures: %+v", v.StatsHeadline)
		}
		if v.Gap == nil {
			t.Error("the committee's view has no supply–demand gap")
		}
	})
}
