package service

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"sync"

	"vanguard/annual"
	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/store"
)

// The annual report (年度工作报告) of a year and scope: the committee the
// whole tree or one org subtree, an org admin their own subtree. Every
// figure comes from Statistics and the store's annual queries; the text is
// written by the pure package annual from those facts, in the caller's
// language, and the tables below it keep the exact figures.

// AnnualView is the report page and its workbook.
type AnnualView struct {
	Year       int
	Stats      StatsView
	Committee  string // the root org's name, for the heading
	Orgs       []store.StatsOrg
	Facts      annual.Facts
	Paragraphs []annual.Paragraph
	// Groups are the AnnualGroupRows group services with the most
	// person-times; GroupsTotal is how many there are in all.
	Groups      []store.AnnualGroup
	GroupsTotal int
	Campaigns   []AnnualSums
	Projects    []AnnualSums
	Units       []StatsRow // service by unit (the level's children)
	Idle        []string
	Themes      []annual.Count
	// Choices are the orgs the caller may narrow the report to: the root
	// and the units in their scope.
	Choices []store.StatsOrg
}

// AnnualGroupRows is how many group services the report lists: those with
// the most person-times. A province holds tens of thousands a year; the
// report states how many there are and links the full list.
const AnnualGroupRows = 50

// AnnualSums is a campaign's or project's year.
type AnnualSums struct {
	Name, Owner string
	Batches     int
	domain.Sums
}

// AnnualReport builds the report of year (0: the current one) for the
// caller's scope, narrowed to the org subtree orgID when it is not 0; an
// org outside the scope is not found.
func (s *Service) AnnualReport(ctx context.Context, c domain.Caller, year int, orgID int64) (AnnualView, error) {
	var v AnnualView
	if err := domain.Authorize(c.Principal, domain.ActAnnualReport, domain.Target{}); err != nil {
		return v, err
	}
	if year == 0 {
		year, _ = strconv.Atoi(s.chinaToday()[:4])
	}
	v.Year = year
	f := domain.YearFilter(year)
	f.OrgID = orgID
	if err := f.Validate(); err != nil {
		return v, err
	}
	sf, err := s.statsFilter(f)
	if err != nil {
		return v, err
	}
	var tmp StatsView
	q, err := s.statsScope(ctx, c, sf, &tmp)
	if err != nil {
		return v, err
	}
	// The report's own facts are read while the statistics are computed:
	// neither needs the other's figures.
	facts := make(chan annualFacts, 1)
	go func() { facts <- s.annualFacts(ctx, q) }()
	st, err := s.Statistics(ctx, c, f)
	d := <-facts
	if err != nil {
		return v, err
	}
	if d.err != nil {
		return v, d.err
	}
	v.Stats = st
	if v.Orgs, err = s.store.StatsOrgs(ctx); err != nil {
		return v, err
	}
	sc := domain.ScopeOf(c.Principal, domain.ActAnnualReport)
	for _, o := range v.Orgs {
		if o.ParentID == 0 {
			v.Committee = o.Name
		}
		if (o.ParentID == 0 || o.Kind == domain.OrgUnit || slices.Contains(sc.OrgPaths, o.Path)) && pathInScope(sc, o.Path) {
			v.Choices = append(v.Choices, o)
		}
	}
	v.Units = st.ByOrg
	lang := string(i18n.From(ctx))
	fa := annual.Facts{Scope: v.Committee, Year: year,
		TeamsParty: int64(st.Teams[domain.TeamParty]), TeamsYouth: int64(st.Teams[domain.TeamYouth]),
		VolunteersParty: int64(st.Volunteers[domain.TeamParty]), VolunteersYouth: int64(st.Volunteers[domain.TeamYouth]),
		Orders: int64(st.Funnel[domain.FigOrdered]), GroupUnits: int64(st.GroupUnits), GroupTimes: st.Group.PersonTimes,
		GroupServices: int64(st.Group.Activities), GroupBenefit: st.Group.Beneficiaries,
		Dispatches: int64(st.Dispatches), Declines: int64(st.Declines),
		DispatchMedian: st.Medians[domain.FigDispatched], ConfirmMedian: st.Medians[domain.FigConfirmed],
		Evaluations: int64(st.Evaluations), RatingAvg: st.RatingAvg,
		ComplaintsOpen: int64(st.ComplaintsOpen), ComplaintsDone: int64(st.ComplaintsDone),
		Activities: int64(st.Activities), PersonTimes: st.PersonTimes, Beneficiaries: st.Beneficiaries, Minutes: st.Minutes}
	if st.Org != nil {
		fa.Scope = st.Org.Name
	}
	s.annualForms(ctx, d, &fa, &v)
	for _, m := range st.Metrics {
		fa.Metrics = append(fa.Metrics, annualMetric(m.Metric, m.Value, lang))
	}
	if err := s.annualTasks(ctx, d, lang, &fa, &v); err != nil {
		return v, err
	}
	if err := s.annualAdvice(ctx, q, d, lang, &fa, &v); err != nil {
		return v, err
	}
	v.Facts = fa
	v.Paragraphs = annual.Build(fa, func(key string, args ...any) string { return i18n.T(ctx, key, args...) })
	return v, nil
}

func annualMetric(m domain.Metric, q domain.Quantity, lang string) annual.Metric {
	return annual.Metric{Name: m.Name(lang), Unit: m.Unit(lang), Value: q}
}

// annualFacts are what the report reads from the store besides the
// statistics. They are read concurrently, each query on its own
// connection: on a province each takes a few hundred milliseconds.
type annualFacts struct {
	channels, modes map[string]int
	groups          []store.AnnualGroup
	groupsTotal     int
	campaigns       map[int64]*domain.Sums
	batches         map[int64]int
	projects        map[int64]*domain.Sums
	serving         []int64
	themes          []store.ComplaintTheme
	err             error // the first error of any of them
}

func (s *Service) annualFacts(ctx context.Context, q store.StatsQuery) annualFacts {
	var d annualFacts
	var mu sync.Mutex
	var wg sync.WaitGroup
	run := func(fn func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(); err != nil {
				mu.Lock()
				if d.err == nil {
					d.err = err
				}
				mu.Unlock()
			}
		}()
	}
	run(func() (err error) { d.channels, d.modes, err = s.store.AnnualCounts(ctx, q); return })
	run(func() (err error) {
		d.groups, d.groupsTotal, err = s.store.AnnualGroups(ctx, q, AnnualGroupRows)
		return
	})
	run(func() (err error) { d.campaigns, d.batches, err = s.store.AnnualCampaigns(ctx, q); return })
	run(func() (err error) { d.projects, err = s.store.AnnualProjects(ctx, q); return })
	run(func() (err error) { d.serving, err = s.store.AnnualServingOrgs(ctx, q); return })
	run(func() (err error) { d.themes, err = s.store.AnnualComplaints(ctx, q); return })
	wg.Wait()
	return d
}

// annualForms fills the forms of service: orders by channel, activities by
// mode, the categories served most and the group services.
func (s *Service) annualForms(ctx context.Context, d annualFacts, fa *annual.Facts, v *AnnualView) {
	for _, ch := range domain.Channels {
		if n := d.channels[string(ch)]; n > 0 {
			fa.Channels = append(fa.Channels, annual.Count{Label: i18n.T(ctx, "enum.channel."+string(ch)), N: int64(n)})
		}
	}
	fa.ModeCommittee, fa.ModeUnit = int64(d.modes[string(domain.ModeCommittee)]), int64(d.modes[string(domain.ModeUnit)])
	fa.ModeOpen = int64(d.modes[string(domain.ModeOpen)])
	cats := slices.Clone(v.Stats.ByCategory)
	sort.SliceStable(cats, func(i, j int) bool { return cats[i].Activities > cats[j].Activities })
	for _, c := range cats[:min(len(cats), 9)] {
		fa.Categories = append(fa.Categories, c.Label)
	}
	v.Groups, v.GroupsTotal = d.groups, d.groupsTotal
}

// annualTasks fills the year's campaigns and brand projects.
func (s *Service) annualTasks(ctx context.Context, d annualFacts, lang string, fa *annual.Facts, v *AnnualView) error {
	sums, batches := d.campaigns, d.batches
	camps, err := s.store.ListCampaigns(ctx)
	if err != nil {
		return err
	}
	for _, c := range camps {
		x := sums[c.ID]
		if x == nil {
			continue
		}
		v.Campaigns = append(v.Campaigns, AnnualSums{Name: c.Name, Batches: batches[c.ID], Sums: *x})
		fa.Campaigns = append(fa.Campaigns, annual.Campaign{Name: c.Name, Batches: int64(batches[c.ID]),
			Activities: int64(x.Activities), People: int64(x.People), PersonTimes: int64(x.PersonTimes), Metrics: metricSums(x.Metrics, lang)})
	}
	psums := d.projects
	projects, err := s.store.ListProjects(ctx, domain.Scope{All: true})
	if err != nil {
		return err
	}
	for _, p := range projects {
		x := psums[p.ID]
		if x == nil || p.Term != domain.TermLong {
			continue
		}
		owner := p.OrgName
		v.Projects = append(v.Projects, AnnualSums{Name: p.Name, Owner: owner, Sums: *x})
		fa.Projects = append(fa.Projects, annual.Project{Name: p.Name, Owner: owner, Activities: int64(x.Activities),
			PersonTimes: int64(x.PersonTimes), Metrics: metricSums(x.Metrics, lang)})
	}
	return nil
}

func metricSums(ms []domain.MetricSum, lang string) []annual.Metric {
	var out []annual.Metric
	for _, m := range ms {
		out = append(out, annualMetric(m.Metric, m.Value, lang))
	}
	return out
}

// annualAdvice fills the problems the data show: categories ordered more
// than the menu supplies, units of the scope with no service in the year,
// and complaints that recur on one category or site.
func (s *Service) annualAdvice(ctx context.Context, q store.StatsQuery, d annualFacts, lang string, fa *annual.Facts, v *AnnualView) error {
	if g := v.Stats.Gap; g != nil {
		rows := slices.Clone(g.Rows)
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].Ratio > rows[j].Ratio })
		for _, r := range rows {
			if r.Flag == SupplyTight || r.Flag == SupplyUnmet {
				fa.Gap = append(fa.Gap, annual.Gap{Category: r.Category.Name(lang), Ordered: int64(r.Orders), Supplied: int64(r.Items)})
			}
		}
	}
	units := unitsOf(v.Orgs)
	served := map[int64]bool{}
	for _, id := range d.serving {
		served[units[id]] = true
	}
	for _, o := range v.Orgs {
		if o.Kind == domain.OrgUnit && !served[o.ID] && pathInScope(q.Scope, o.Path) {
			v.Idle = append(v.Idle, o.Name)
		}
	}
	fa.Idle = v.Idle
	cats, err := s.store.ListCategories(ctx, true)
	if err != nil {
		return err
	}
	for _, t := range d.themes {
		label := t.Name
		if t.By == "category" {
			for _, c := range cats {
				if c.ID == t.ID {
					label = c.Name(lang)
				}
			}
		}
		if t.N >= 2 {
			v.Themes = append(v.Themes, annual.Count{Label: label, N: int64(t.N)})
		}
	}
	fa.Themes = v.Themes
	return nil
}
