package service

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/store"
)

// Statistics (统计) for a period within the caller's scope: the committee
// the whole tree, drilling down one org subtree at a time; an org admin
// their subtree; a team leader their team. The rules of what counts where
// are in store/stats.go; here the filter is checked against the scope, the
// figures are gathered and org and region keys are rolled up to the level
// the page shows.

// StatsRow is one line of a breakdown: the figures under the view's filter
// narrowed by Filter.
type StatsRow struct {
	Key    int64
	Label  string
	Filter domain.StatsFilter // the view's filter narrowed to this row, for its links
	store.StatsMeasure
	Own bool // the level's own records, not those of a child
}

// StatsMetric is one outcome metric's total.
type StatsMetric struct {
	Metric domain.Metric
	Value  domain.Quantity
}

// StatsView is the statistics page's content.
type StatsView struct {
	Filter   domain.StatsFilter // as applied: the period filled in
	Org      *store.StatsOrg    // the org subtree drilled into, if any
	Team     *domain.Team
	Category *domain.Category
	Region   *domain.Region
	// Level is the org whose children the org breakdown lists (nil: the
	// scope's orgs themselves, or none for a team leader).
	Level *store.StatsOrg
	// Trail is the org drilled into and the orgs above it within the
	// caller's scope, top first: the breadcrumb back up.
	Trail []store.StatsOrg
	store.StatsHeadline
	Metrics []StatsMetric
	// RatingAvg is the average rating in hundredths (0 without ratings).
	RatingAvg int64
	// Median seconds from the step before to each funnel step; -1 when no
	// order made that step.
	Medians map[domain.Figure]int64
	// Breakdowns.
	ByCategory, ByOrg, ByRegion, ByTeam, ByMonth []StatsRow
	// CategoryMonth[i][j] is the activities of ByCategory[i] in month j.
	CategoryMonth [][]int
	Months        []string // YYYY-MM of ByMonth
	// The supply–demand gap by category: for the committee only, whose
	// menu it is.
	Gap *SupplyView
}

// statsFilter checks a filter and fills in the default period: the current
// year in China.
func (s *Service) statsFilter(f domain.StatsFilter) (domain.StatsFilter, error) {
	if f.From == "" && f.To == "" {
		y, _ := strconv.Atoi(s.chinaToday()[:4])
		year := domain.YearFilter(y)
		f.From, f.To = year.From, year.To
	} else if f.From == "" || f.To == "" {
		if f.From == "" {
			f.From = f.To[:min(4, len(f.To))] + "-01-01"
		} else {
			f.To = f.From[:min(4, len(f.From))] + "-12-31"
		}
	}
	return f, f.Validate()
}

// statsScope resolves a filter into a query within the caller's scope.
// An org or team outside it is not found, as if it did not exist.
func (s *Service) statsScope(ctx context.Context, c domain.Caller, f domain.StatsFilter, v *StatsView) (store.StatsQuery, error) {
	if err := domain.Authorize(c.Principal, domain.ActStatsView, domain.Target{}); err != nil {
		return store.StatsQuery{}, err
	}
	sc := domain.ScopeOf(c.Principal, domain.ActStatsView)
	from, to := f.Window()
	q := store.StatsQuery{Scope: sc, From: from, To: to, CategoryID: f.CategoryID}
	if f.OrgID > 0 {
		o, err := s.store.OrgByID(ctx, f.OrgID)
		if err != nil || !pathInScope(sc, o.Path) {
			return q, domain.Errorf(domain.CodeNotFound, "err.org.not_found")
		}
		q.Scope = domain.Scope{OrgPaths: []string{o.Path}}
		v.Org = &store.StatsOrg{ID: o.ID, ParentID: o.ParentID, Kind: o.Kind, Name: o.Name, Path: o.Path}
		if f.OrgOnly {
			q.OrgOnly = o.Path
		}
	}
	q.RegionOnly = f.RegionOnly
	if f.TeamID > 0 {
		t, err := s.store.TeamByID(ctx, f.TeamID)
		if err != nil || !(pathInScope(q.Scope, t.OrgPath) || slices.Contains(q.Scope.TeamIDs, t.ID)) {
			return q, domain.Errorf(domain.CodeNotFound, "err.team.not_found")
		}
		// The team within the scope: what it did there, so that a team's
		// row of a breakdown and the team's own figures agree.
		q.TeamID = t.ID
		v.Team = &t
	}
	if f.CategoryID > 0 {
		cat, err := s.store.CategoryByID(ctx, f.CategoryID)
		if err != nil {
			return q, domain.Invalid("category", "err.stats.category")
		}
		v.Category = &cat
	}
	if f.RegionID > 0 {
		regions, err := s.store.ListRegions(ctx)
		if err != nil {
			return q, err
		}
		i := slices.IndexFunc(regions, func(r domain.Region) bool { return r.ID == f.RegionID })
		if i < 0 {
			return q, domain.Invalid("region", "err.stats.region")
		}
		q.RegionPath, v.Region = regions[i].Path, &regions[i]
	}
	return q, nil
}

// pathInScope reports whether an org path lies in the scope's subtrees.
func pathInScope(sc domain.Scope, path string) bool {
	if sc.All {
		return true
	}
	for _, p := range sc.OrgPaths {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// Statistics gathers the statistics page for a filter.
func (s *Service) Statistics(ctx context.Context, c domain.Caller, f domain.StatsFilter) (StatsView, error) {
	var v StatsView
	f, err := s.statsFilter(f)
	if err != nil {
		return v, err
	}
	v.Filter = f
	q, err := s.statsScope(ctx, c, f, &v)
	if err != nil {
		return v, err
	}
	// The supply–demand gap is independent of the rest: it is read while
	// the figures are gathered.
	var gap *SupplyView
	gapDone := make(chan error, 1)
	if domain.Can(c.Principal, domain.ActSupplyRead, domain.Target{}) && f.OrgID == 0 && f.TeamID == 0 {
		go func() {
			g, err := s.Supply(ctx, c, SupplyQuery{From: f.From, To: f.To, RegionID: f.RegionID})
			gap = &g
			gapDone <- err
		}()
	} else {
		gapDone <- nil
	}
	defer func() { <-gapDone }() // on an early return, the reader is not left running
	orgs, err := s.store.StatsOrgs(ctx)
	if err != nil {
		return v, err
	}
	if v.Org != nil {
		sc := domain.ScopeOf(c.Principal, domain.ActStatsView)
		for _, o := range orgs { // in path order: the top first
			if strings.HasPrefix(v.Org.Path, o.Path) && pathInScope(sc, o.Path) {
				v.Trail = append(v.Trail, o)
			}
		}
	}
	var facts *store.StatsFacts
	v.StatsHeadline, facts, err = s.store.StatsFigures(ctx, q, unitsOf(orgs))
	if err != nil {
		return v, err
	}
	if v.Evaluations > 0 {
		v.RatingAvg = (int64(v.RatingSum)*100 + int64(v.Evaluations)/2) / int64(v.Evaluations)
	}
	if err := s.statsMetrics(ctx, &v); err != nil {
		return v, err
	}
	v.Medians = map[domain.Figure]int64{}
	for _, step := range domain.FunnelSteps[1:] {
		v.Medians[step] = median(v.Steps[step])
	}
	if err := s.statsBreakdowns(ctx, q, facts, orgs, &v); err != nil {
		return v, err
	}
	if err := <-gapDone; err != nil {
		gapDone <- nil // for the deferred receive
		return v, err
	}
	gapDone <- nil
	v.Gap = gap
	return v, nil
}

// median is the middle value (the lower of the two middle ones), or -1 for
// none.
func median(xs []int64) int64 {
	if len(xs) == 0 {
		return -1
	}
	xs = slices.Clone(xs) // the store's, shared with other requests
	slices.Sort(xs)
	return xs[(len(xs)-1)/2]
}

// unitsOf maps every org to its unit: the nearest org of kind unit on its
// path, itself included; orgs above any unit map to themselves.
func unitsOf(orgs []store.StatsOrg) map[int64]int64 {
	kind := make(map[int64]domain.OrgKind, len(orgs))
	for _, o := range orgs {
		kind[o.ID] = o.Kind
	}
	out := make(map[int64]int64, len(orgs))
	for _, o := range orgs {
		out[o.ID] = o.ID
		ids := strings.Split(strings.Trim(o.Path, "/"), "/")
		for i := len(ids) - 1; i >= 0; i-- {
			id, _ := strconv.ParseInt(ids[i], 10, 64)
			if kind[id] == domain.OrgUnit {
				out[o.ID] = id
				break
			}
		}
	}
	return out
}

// statsMetrics lists the metrics with a total, in the committee's order.
func (s *Service) statsMetrics(ctx context.Context, v *StatsView) error {
	metrics, err := s.store.ListMetrics(ctx, true)
	if err != nil {
		return err
	}
	for _, m := range metrics {
		if q := v.StatsHeadline.Metrics[m.ID]; q != 0 {
			v.Metrics = append(v.Metrics, StatsMetric{Metric: m, Value: q})
		}
	}
	return nil
}

// statsBreakdowns fills the breakdowns by category, org, region, team and
// month, and categories by month.
func (s *Service) statsBreakdowns(ctx context.Context, q store.StatsQuery, facts *store.StatsFacts, orgs []store.StatsOrg, v *StatsView) error {
	f := v.Filter
	months := monthStarts(f)
	for _, m := range months {
		v.Months = append(v.Months, m.Format("2006-01"))
	}
	lang := string(i18n.From(ctx))
	// By category.
	byCat, err := facts.Breakdown(store.ByCategory, nil)
	if err != nil {
		return err
	}
	cats, err := s.store.ListCategories(ctx, true)
	if err != nil {
		return err
	}
	for _, c := range cats {
		if m := byCat[c.ID]; m != nil {
			g := f
			g.CategoryID = c.ID
			v.ByCategory = append(v.ByCategory, StatsRow{Key: c.ID, Label: c.Name(lang), Filter: g, StatsMeasure: *m})
		}
	}
	// Categories by month.
	cm, err := facts.Breakdown(store.ByCategoryMonth, months)
	if err != nil {
		return err
	}
	v.CategoryMonth = make([][]int, len(v.ByCategory))
	for i, row := range v.ByCategory {
		v.CategoryMonth[i] = make([]int, len(months))
		for j := range months {
			if m := cm[row.Key*1000+int64(j)]; m != nil {
				v.CategoryMonth[i][j] = m.Activities
			}
		}
	}
	// By month.
	byMonth, err := facts.Breakdown(store.ByMonth, months)
	if err != nil {
		return err
	}
	for j, m := range v.Months {
		g := f
		g.Month = m
		row := StatsRow{Key: int64(j), Label: m, Filter: g}
		if bm := byMonth[int64(j)]; bm != nil {
			row.StatsMeasure = *bm
		}
		v.ByMonth = append(v.ByMonth, row)
	}
	// By team.
	byTeam, err := facts.Breakdown(store.ByTeam, nil)
	if err != nil {
		return err
	}
	if err := s.statsTeamRows(ctx, q, byTeam, v); err != nil {
		return err
	}
	// By org and by region, rolled up to the level shown.
	if len(q.Scope.TeamIDs) == 0 && q.TeamID == 0 {
		byOrg, err := facts.Breakdown(store.ByOrg, nil)
		if err != nil {
			return err
		}
		v.ByOrg, v.Level = orgRows(f, q.Scope, orgs, v.Org, byOrg)
	}
	byRegion, err := facts.Breakdown(store.ByRegion, nil)
	if err != nil {
		return err
	}
	regions, err := s.store.ListRegions(ctx)
	if err != nil {
		return err
	}
	v.ByRegion = regionRows(f, regions, v.Region, byRegion)
	return nil
}

// statsTeamRows names the teams of the team breakdown: those of the scope
// with any figure, by name.
func (s *Service) statsTeamRows(ctx context.Context, q store.StatsQuery, byTeam map[int64]*store.StatsMeasure, v *StatsView) error {
	if len(byTeam) == 0 {
		return nil
	}
	teams, err := s.store.ListTeams(ctx, store.TeamFilter{Scope: q.Scope})
	if err != nil {
		return err
	}
	for _, t := range teams {
		if m := byTeam[t.ID]; m != nil {
			g := v.Filter
			g.TeamID = t.ID
			v.ByTeam = append(v.ByTeam, StatsRow{Key: t.ID, Label: t.Name, Filter: g, StatsMeasure: *m})
		}
	}
	sort.SliceStable(v.ByTeam, func(i, j int) bool { return v.ByTeam[i].PersonTimes > v.ByTeam[j].PersonTimes })
	return nil
}

// monthStarts are the first instants of the months of the filter's window.
func monthStarts(f domain.StatsFilter) []time.Time {
	var out []time.Time
	for _, m := range f.Months() {
		t, _ := time.ParseInLocation("2006-01", m, domain.ChinaZone)
		out = append(out, t)
	}
	return out
}

// orgRows rolls per-org figures up to the children of the level org: the
// org drilled into, else the root for the whole tree, else the scope's only
// org. With several scope orgs the rows are those orgs. The level's own
// records make a row of their own.
func orgRows(f domain.StatsFilter, sc domain.Scope, orgs []store.StatsOrg, drilled *store.StatsOrg,
	byOrg map[int64]*store.StatsMeasure) ([]StatsRow, *store.StatsOrg) {
	var level *store.StatsOrg
	var rows []store.StatsOrg
	switch {
	case drilled != nil:
		level = drilled
	case sc.All:
		for i := range orgs {
			if orgs[i].ParentID == 0 {
				level = &orgs[i]
				break
			}
		}
	case len(sc.OrgPaths) == 1:
		for i := range orgs {
			if orgs[i].Path == sc.OrgPaths[0] {
				level = &orgs[i]
			}
		}
	default:
		for _, o := range orgs {
			if slices.Contains(sc.OrgPaths, o.Path) {
				rows = append(rows, o)
			}
		}
	}
	if level != nil {
		for _, o := range orgs {
			if o.ParentID == level.ID {
				rows = append(rows, o)
			}
		}
	}
	path := make(map[int64]string, len(orgs))
	for _, o := range orgs {
		path[o.ID] = o.Path
	}
	out := make([]StatsRow, len(rows))
	var own StatsRow
	for i, o := range rows {
		g := f
		g.OrgID, g.TeamID = o.ID, 0
		out[i] = StatsRow{Key: o.ID, Label: o.Name, Filter: g}
	}
	index := make(map[int64]int, len(rows))
	for i, o := range rows {
		index[o.ID] = i
	}
	for id, m := range byOrg {
		if i, ok := rowOf(path[id], index); ok {
			addMeasure(&out[i].StatsMeasure, m)
		} else if level != nil && path[id] == level.Path {
			addMeasure(&own.StatsMeasure, m)
		}
	}
	if level != nil && own.StatsMeasure != (store.StatsMeasure{}) {
		own.Key, own.Label, own.Own, own.Filter = level.ID, level.Name, true, f
		own.Filter.OrgID, own.Filter.OrgOnly = level.ID, true
		out = append([]StatsRow{own}, out...)
	}
	return nonEmpty(out), level
}

// regionRows rolls per-region figures up to the children of the region
// drilled into, or to the top regions; records with no place make a row of
// their own (key 0).
func regionRows(f domain.StatsFilter, regions []domain.Region, drilled *domain.Region, byRegion map[int64]*store.StatsMeasure) []StatsRow {
	var parent int64
	if drilled != nil {
		parent = drilled.ID
	}
	path := make(map[int64]string, len(regions))
	var out []StatsRow
	for _, r := range regions {
		path[r.ID] = r.Path
		if r.ParentID == parent {
			g := f
			g.RegionID = r.ID
			out = append(out, StatsRow{Key: r.ID, Label: r.Name, Filter: g})
		}
	}
	index := make(map[int64]int, len(out))
	for i, r := range out {
		index[r.Key] = i
	}
	var own StatsRow
	for id, m := range byRegion {
		if i, ok := rowOf(path[id], index); ok {
			addMeasure(&out[i].StatsMeasure, m)
		} else {
			addMeasure(&own.StatsMeasure, m)
		}
	}
	if own.StatsMeasure != (store.StatsMeasure{}) {
		own.Own, own.Filter = true, f
		own.Filter.RegionOnly = true
		if drilled != nil {
			own.Key, own.Label = drilled.ID, drilled.Name
		}
		out = append([]StatsRow{own}, out...)
	}
	return nonEmpty(out)
}

// rowOf finds the row a materialised path ("/1/4/9/") falls in: the first
// id on the path that is a row's.
func rowOf(path string, index map[int64]int) (int, bool) {
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		id, err := strconv.ParseInt(seg, 10, 64)
		if err != nil {
			continue
		}
		if i, ok := index[id]; ok {
			return i, true
		}
	}
	return 0, false
}

func addMeasure(to *store.StatsMeasure, m *store.StatsMeasure) {
	to.Activities += m.Activities
	to.Beneficiaries += m.Beneficiaries
	to.PersonTimes += m.PersonTimes
	to.Minutes += m.Minutes
}

// nonEmpty drops the rows with no figure.
func nonEmpty(rows []StatsRow) []StatsRow {
	return slices.DeleteFunc(rows, func(r StatsRow) bool { return r.StatsMeasure == (store.StatsMeasure{}) })
}
