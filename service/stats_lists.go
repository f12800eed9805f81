package service

import (
	"context"
	"slices"
	"strings"

	"vanguard/domain"
	"vanguard/store"
)

// StatsPageSize is how many records one page of a drill-through list shows.
const StatsPageSize = 50

// StatsMaxPage bounds the page number a drill-through list accepts.
const StatsMaxPage = 1_000_000

// StatsRecordsView is one page of the drill-through list of a figure: the
// records behind it under the same filter and scope as the statistics
// page, and the list's total, which equals the figure.
type StatsRecordsView struct {
	Filter   domain.StatsFilter
	Figure   domain.Figure
	Metric   *domain.Metric // for a metric's figure
	Org      *store.StatsOrg
	Team     *domain.Team
	Category *domain.Category
	Region   *domain.Region
	store.StatsList
	// Total is the list's total in the figure's own terms: the number of
	// records, or the sum of their values (beneficiaries, minutes, a
	// metric's quantity).
	Total       int64
	Page, Pages int
}

// StatsFigures lists every figure that has a drill-through list, metrics
// apart.
var StatsFigures = []domain.Figure{
	domain.FigTeamsParty, domain.FigTeamsYouth, domain.FigVolunteersParty, domain.FigVolunteersYouth,
	domain.FigActivities, domain.FigPersonTimes, domain.FigMinutes, domain.FigBeneficiaries,
	domain.FigGroupServices, domain.FigGroupUnits, domain.FigGroupTimes, domain.FigGroupBenefit,
	domain.FigEvaluations, domain.FigComplaintsOpen, domain.FigComplaintsDone,
	domain.FigOrdered, domain.FigAccepted, domain.FigDispatched, domain.FigConfirmed, domain.FigServed,
	domain.FigEvaluated, domain.FigRejected, domain.FigCancelled, domain.FigDeclines, domain.FigDispatches,
}

// SumFigure reports whether a figure is the sum of its records' values
// rather than their number.
func SumFigure(f domain.Figure) bool {
	return f == domain.FigMinutes || f == domain.FigBeneficiaries || f == domain.FigGroupBenefit ||
		strings.HasPrefix(string(f), domain.FigMetricPrefix)
}

// StatsRecords reads page (from 1) of the drill-through list of fig.
func (s *Service) StatsRecords(ctx context.Context, c domain.Caller, f domain.StatsFilter, fig domain.Figure, page int) (StatsRecordsView, error) {
	// A page past any list's end is simply empty; the bound keeps the
	// offset from overflowing.
	v := StatsRecordsView{Figure: fig, Page: min(max(page, 1), StatsMaxPage)}
	f, err := s.statsFilter(f)
	if err != nil {
		return v, err
	}
	v.Filter = f
	var sv StatsView
	q, err := s.statsScope(ctx, c, f, &sv)
	if err != nil {
		return v, err
	}
	v.Org, v.Team, v.Category, v.Region = sv.Org, sv.Team, sv.Category, sv.Region
	var metricID int64
	if code, ok := strings.CutPrefix(string(fig), domain.FigMetricPrefix); ok {
		metrics, err := s.store.ListMetrics(ctx, true)
		if err != nil {
			return v, err
		}
		i := slices.IndexFunc(metrics, func(m domain.Metric) bool { return m.Code == code })
		if i < 0 {
			return v, domain.Invalid("fig", "err.stats.figure")
		}
		v.Metric, metricID = &metrics[i], metrics[i].ID
	} else if slices.Contains(domain.GapFigures, fig) {
		return s.gapRecords(ctx, c, v)
	} else if !slices.Contains(StatsFigures, fig) {
		return v, domain.Invalid("fig", "err.stats.figure")
	}
	if fig == domain.FigGroupUnits {
		return s.statsUnits(ctx, q, v)
	}
	v.StatsList, err = s.store.StatsRecords(ctx, q, fig, metricID, StatsPageSize, (v.Page-1)*StatsPageSize)
	if err != nil {
		return v, err
	}
	v.Total = v.Count
	if SumFigure(fig) {
		v.Total = v.Sum
	}
	v.Pages = int((v.Count + StatsPageSize - 1) / StatsPageSize)
	return v, nil
}

// gapRecords lists the records behind a cell of the supply–demand gap: the
// committee's view (as Supply), for the filter's category, period and
// region. Like the gap on the statistics page it ignores the month, the
// org and the team.
func (s *Service) gapRecords(ctx context.Context, c domain.Caller, v StatsRecordsView) (StatsRecordsView, error) {
	if err := domain.Authorize(c.Principal, domain.ActSupplyRead, domain.Target{}); err != nil {
		return v, err
	}
	if v.Category == nil {
		return v, domain.Invalid("cat", "err.stats.figure")
	}
	q := SupplyQuery{From: v.Filter.From, To: v.Filter.To}
	from, to, err := s.supplyWindow(&q)
	if err != nil {
		return v, err
	}
	f := store.SupplyFilter{From: from, To: to}
	if v.Region != nil {
		f.RegionPath = v.Region.Path
	}
	if v.StatsList, err = s.store.GapRecords(ctx, f, v.Figure, v.Category.ID, StatsPageSize, (v.Page-1)*StatsPageSize); err != nil {
		return v, err
	}
	v.Total = v.Count
	v.Pages = int((v.Count + StatsPageSize - 1) / StatsPageSize)
	return v, nil
}

// statsUnits lists the units whose teams took part in the group services:
// the store lists (org, activity) pairs, rolled up here to units as the
// headline counts them, each with the number of group services it joined.
func (s *Service) statsUnits(ctx context.Context, q store.StatsQuery, v StatsRecordsView) (StatsRecordsView, error) {
	pairs, err := s.store.StatsRecords(ctx, q, domain.FigGroupUnits, 0, 1<<30, 0)
	if err != nil {
		return v, err
	}
	orgs, err := s.store.StatsOrgs(ctx)
	if err != nil {
		return v, err
	}
	units := unitsOf(orgs)
	name := make(map[int64]string, len(orgs))
	for _, o := range orgs {
		name[o.ID] = o.Name
	}
	acts := map[int64]map[int64]bool{}
	var order []int64
	for _, r := range pairs.Records {
		u := r.ID
		if x, ok := units[u]; ok {
			u = x
		}
		if acts[u] == nil {
			acts[u] = map[int64]bool{}
			order = append(order, u)
		}
		acts[u][r.ActivityID] = true
	}
	slices.SortFunc(order, func(a, b int64) int { return strings.Compare(name[a], name[b]) })
	v.Kind, v.Count, v.Total = store.ListUnits, int64(len(order)), int64(len(order))
	v.Pages = (len(order) + StatsPageSize - 1) / StatsPageSize
	lo := min((v.Page-1)*StatsPageSize, len(order))
	for _, u := range order[lo:min(lo+StatsPageSize, len(order))] {
		v.Records = append(v.Records, store.StatsRecord{ID: u, Org: name[u], Value: int64(len(acts[u]))})
	}
	return v, nil
}
