package service_test

import (
	"context"
	"errors"

	"testing"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// demoPeriod is the demo city's year: the twelve months before today.
func demoPeriod() domain.StatsFilter {
	now := time.Now().In(domain.ChinaZone)
	return domain.StatsFilter{From: now.AddDate(-1, 0, -1).Format("2006-01-02"), To: now.Format("2006-01-02")}
}

// headlineFigures maps every headline figure of a view to its value.
func headlineFigures(v service.StatsView) map[domain.Figure]int64 {
	out := map[domain.Figure]int64{
		domain.FigTeamsParty: int64(v.Teams[domain.TeamParty]), domain.FigTeamsYouth: int64(v.Teams[domain.TeamYouth]),
		domain.FigVolunteersParty: int64(v.Volunteers[domain.TeamParty]), domain.FigVolunteersYouth: int64(v.Volunteers[domain.TeamYouth]),
		domain.FigActivities: int64(v.Activities), domain.FigPersonTimes: v.PersonTimes, domain.FigMinutes: int64(v.Minutes),
		domain.FigBeneficiaries: v.Beneficiaries, domain.FigGroupServices: int64(v.Group.Activities),
		domain.FigGroupUnits: int64(v.GroupUnits), domain.FigGroupTimes: v.Group.PersonTimes,
		domain.FigGroupBenefit: v.Group.Beneficiaries, domain.FigEvaluations: int64(v.Evaluations),
		domain.FigComplaintsOpen: int64(v.ComplaintsOpen), domain.FigComplaintsDone: int64(v.ComplaintsDone),
		domain.FigDeclines: int64(v.Declines), domain.FigDispatches: int64(v.Dispatches),
	}
	for _, f := range append(append([]domain.Figure{}, domain.FunnelSteps...), domain.FigRejected, domain.FigCancelled) {
		out[f] = int64(v.Funnel[f])
	}
	for _, m := range v.Metrics {
		out[domain.Figure(domain.FigMetricPrefix+m.Metric.Code)] = int64(m.Value)
	}
	return out
}

// drillTotal is the total of a figure's drill-through list.
func drillTotal(t *testing.T, svc *service.Service, c domain.Caller, f domain.StatsFilter, fig domain.Figure) int64 {
	t.Helper()
	l, err := svc.StatsRecords(context.Background(), c, f, fig, 1)
	if err != nil {
		t.Fatalf("StatsRecords(%s, %+v): %v", fig, f, err)
	}
	if l.Count > 0 && len(l.Records) == 0 {
		t.Errorf("StatsRecords(%s, %+v): total %d but no records on page 1", fig, f, l.Count)
	}
	return l.Total
}

// checkDrillThrough holds every figure of the statistics view of f — the
// headline, every metric, every cell of every breakdown — equal to the
// total of its drill-through list. It returns the view and how many
// figures it checked.
func checkDrillThrough(t *testing.T, svc *service.Service, c domain.Caller, f domain.StatsFilter) (service.StatsView, int) {
	t.Helper()
	v, err := svc.Statistics(context.Background(), c, f)
	if err != nil {
		t.Fatalf("Statistics(%+v): %v", f, err)
	}
	n := 0
	for fig, want := range headlineFigures(v) {
		if got := drillTotal(t, svc, c, v.Filter, fig); got != want {
			t.Errorf("%s under %+v: list total %d, figure %d", fig, v.Filter, got, want)
		}
		n++
	}
	rows := map[string][]service.StatsRow{"category": v.ByCategory, "org": v.ByOrg, "region": v.ByRegion,
		"team": v.ByTeam, "month": v.ByMonth}
	for by, rs := range rows {
		for _, r := range rs {
			for fig, want := range map[domain.Figure]int64{domain.FigActivities: int64(r.Activities),
				domain.FigBeneficiaries: r.Beneficiaries, domain.FigPersonTimes: r.PersonTimes, domain.FigMinutes: int64(r.Minutes)} {
				if got := drillTotal(t, svc, c, r.Filter, fig); got != want {
					t.Errorf("by %s, row %q (%+v): %s list total %d, figure %d", by, r.Label, r.Filter, fig, got, want)
				}
				n++
			}
		}
	}
	if v.Gap != nil {
		// The supply–demand gap's cells: the list of each is the category's,
		// for the period and region (the page's links drop the rest).
		for _, r := range v.Gap.Rows {
			g := domain.StatsFilter{From: v.Filter.From, To: v.Filter.To, RegionID: v.Filter.RegionID, CategoryID: r.Category.ID}
			for fig, want := range map[domain.Figure]int{domain.FigGapOrders: r.Orders, domain.FigGapItems: r.Items,
				domain.FigGapTeams: r.Teams, domain.FigGapWilling: r.Willing} {
				if got := drillTotal(t, svc, c, g, fig); got != int64(want) {
					t.Errorf("gap, category %q (%+v): %s list total %d, figure %d", r.Category.NameZH, g, fig, got, want)
				}
				n++
			}
		}
	}
	for i, cat := range v.ByCategory {
		for j, m := range v.Months {
			g := cat.Filter
			g.Month = m
			if got, want := drillTotal(t, svc, c, g, domain.FigActivities), int64(v.CategoryMonth[i][j]); got != want {
				t.Errorf("category %q × %s: list total %d, figure %d", cat.Label, m, got, want)
			}
			n++
		}
	}
	return v, n
}

// TestStatsDrillThroughOnDemo checks, on the demo city, that every figure
// the statistics page shows equals the total of the list it links to: for
// the committee on the whole city, drilled into an org and into a region,
// for the org admin and for a team leader.
func TestStatsDrillThroughOnDemo(t *testing.T) {
	skipUnderRace(t)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		svc, logins := loadDemo(t, s)
		who := demoPrincipals(t, svc, logins)
		f := demoPeriod()
		v, n := checkDrillThrough(t, svc, who[domain.RoleCommitteeAdmin], f)
		if v.PersonTimes == 0 || v.Activities == 0 || len(v.Metrics) == 0 || v.Funnel[domain.FigServed] == 0 {
			t.Fatalf("the demo year is empty: %+v", v.StatsHeadline)
		}
		total := n
		for _, row := range []*service.StatsRow{first(v.ByOrg, false), first(v.ByRegion, false), first(v.ByOrg, true), first(v.ByRegion, true)} {
			if row != nil {
				_, n := checkDrillThrough(t, svc, who[domain.RoleCommitteeAdmin], row.Filter)
				total += n
			}
		}
		for _, role := range []domain.Role{domain.RoleOrgAdmin, domain.RoleTeamLeader} {
			_, n := checkDrillThrough(t, svc, who[role], f)
			total += n
		}
		if total < 50 {
			t.Errorf("only %d figures checked", total)
		}
		// The gap is the committee's: an org admin's list of a cell is refused.
		g := domain.StatsFilter{From: f.From, To: f.To, CategoryID: v.ByCategory[0].Key}
		if _, err := svc.StatsRecords(context.Background(), who[domain.RoleOrgAdmin], g, domain.FigGapOrders, 1); !isCode(err, domain.CodeForbidden) {
			t.Errorf("org admin, a gap list: got %v, want forbidden", err)
		}
		if v.Gap == nil || len(v.Gap.Rows) == 0 {
			t.Error("the committee's view has no supply-demand gap to check")
		}
		t.Logf("%d figures checked against their lists", total)
	})
}

// first is the first row of a breakdown that is (own) or is not a level's
// own row.
func first(rows []service.StatsRow, own bool) *service.StatsRow {
	for i := range rows {
		if rows[i].Own == own && rows[i].Activities > 0 {
			return &rows[i]
		}
	}
	return nil
}

// TestStatsScope: an org admin asking for another unit's org or team gets
// not-found, as if it did not exist; a team leader's figures are their
// team's alone, and another team is not found.
func TestStatsScope(t *testing.T) {
	skipUnderRace(t)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, logins := loadDemo(t, s)
		who := demoPrincipals(t, svc, logins)
		f := demoPeriod()
		all, err := svc.Statistics(ctx, who[domain.RoleCommitteeAdmin], f)
		must(t, err)
		org := who[domain.RoleOrgAdmin]
		mine, err := svc.Statistics(ctx, org, f)
		must(t, err)
		var otherOrg, otherTeam, myTeam int64
		for _, r := range all.ByOrg {
			if !r.Own && (mine.Level == nil || r.Key != mine.Level.ID) && otherOrg == 0 {
				otherOrg = r.Key
			}
		}
		own := map[int64]bool{}
		for _, r := range mine.ByTeam {
			own[r.Key] = true
		}
		for _, r := range all.ByTeam {
			if !own[r.Key] && otherTeam == 0 {
				otherTeam = r.Key
			}
		}
		if otherOrg == 0 || otherTeam == 0 || mine.Level == nil {
			t.Fatalf("demo: no other org (%d) or team (%d), or no level for the org admin", otherOrg, otherTeam)
		}
		for name, g := range map[string]domain.StatsFilter{"org": {OrgID: otherOrg}, "team": {TeamID: otherTeam}} {
			g.From, g.To = f.From, f.To
			if _, err := svc.Statistics(ctx, org, g); !isCode(err, domain.CodeNotFound) {
				t.Errorf("org admin, another unit's %s: got %v, want not found", name, err)
			}
			if _, err := svc.StatsRecords(ctx, org, g, domain.FigPersonTimes, 1); !isCode(err, domain.CodeNotFound) {
				t.Errorf("org admin, records of another unit's %s: got %v, want not found", name, err)
			}
		}
		if mine.PersonTimes >= all.PersonTimes {
			t.Errorf("org admin sees %d person-times, the whole city %d", mine.PersonTimes, all.PersonTimes)
		}
		leader := who[domain.RoleTeamLeader]
		lv, err := svc.Statistics(ctx, leader, f)
		must(t, err)
		if len(lv.ByTeam) != 1 || len(lv.ByOrg) != 0 {
			t.Fatalf("team leader: %d team rows and %d org rows, want 1 and 0", len(lv.ByTeam), len(lv.ByOrg))
		}
		myTeam = lv.ByTeam[0].Key
		if lv.PersonTimes != lv.ByTeam[0].PersonTimes {
			t.Errorf("team leader: %d person-times in all, %d for their team", lv.PersonTimes, lv.ByTeam[0].PersonTimes)
		}
		l, err := svc.StatsRecords(ctx, leader, f, domain.FigPersonTimes, 1)
		must(t, err)
		for _, r := range l.Records {
			if r.Team != lv.ByTeam[0].Label {
				t.Errorf("team leader's person-times list holds a row of team %q", r.Team)
			}
		}
		for _, id := range []int64{otherTeam} {
			if id == myTeam {
				continue
			}
			g := f
			g.TeamID = id
			if _, err := svc.Statistics(ctx, leader, g); !isCode(err, domain.CodeNotFound) {
				t.Errorf("team leader, another team: got %v, want not found", err)
			}
		}
		g := f
		g.OrgID = otherOrg
		if _, err := svc.StatsRecords(ctx, leader, g, domain.FigActivities, 1); !isCode(err, domain.CodeNotFound) {
			t.Errorf("team leader, an org: got %v, want not found", err)
		}
		// Dispatches and declines are the scope's teams' own: an order in
		// scope may also have gone to another unit's team (the review found
		// those listed with their decline reasons).
		ownNames := map[string]bool{}
		for _, r := range mine.ByTeam {
			ownNames[r.Label] = true
		}
		for _, fig := range []domain.Figure{domain.FigDispatches, domain.FigDeclines} {
			for who, c := range map[string]domain.Caller{"org admin": org, "team leader": leader} {
				l, err := svc.StatsRecords(ctx, c, f, fig, 1)
				must(t, err)
				for _, r := range l.Records {
					if who == "team leader" && r.Team != lv.ByTeam[0].Label || who == "org admin" && !ownNames[r.Team] {
						t.Errorf("%s's %s list holds team %q, outside their scope", who, fig, r.Team)
					}
				}
			}
		}
		if mine.Dispatches >= all.Dispatches || lv.Dispatches > mine.Dispatches+all.Dispatches {
			t.Errorf("dispatches: org admin %d, whole city %d", mine.Dispatches, all.Dispatches)
		}
		// A page number far past the end is an empty page, not a crash.
		for _, fig := range []domain.Figure{domain.FigGroupUnits, domain.FigActivities} {
			l, err := svc.StatsRecords(ctx, who[domain.RoleCommitteeAdmin], f, fig, 184467440737095518)
			if err != nil || len(l.Records) != 0 {
				t.Errorf("%s, page 184467440737095518: %d records, %v", fig, len(l.Records), err)
			}
		}
	})
}

func isCode(err error, code domain.Code) bool {
	var e *domain.Error
	return errors.As(err, &e) && e.Code == code
}
