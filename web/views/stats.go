package views

import (
	"context"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"vanguard/chart"
	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// StatsPageView is the statistics page's data.
type StatsPageView struct {
	View    service.StatsView
	All     string             // the breakdown shown in full ("org", "region", "team"), else each is capped
	Typed   domain.StatsFilter // the filter as typed, kept when it has faults
	Lookups Lookups
	Errors  map[string]string
}

// StatsQuery is a statistics filter as a query string, without the
// defaults' empty fields.
func StatsQuery(f domain.StatsFilter) url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" && v != "0" {
			q.Set(k, v)
		}
	}
	set("from", f.From)
	set("to", f.To)
	set("org", itoa(f.OrgID))
	set("team", itoa(f.TeamID))
	set("cat", itoa(f.CategoryID))
	set("region", itoa(f.RegionID))
	set("month", f.Month)
	if f.OrgOnly {
		q.Set("org_only", "1")
	}
	if f.RegionOnly {
		q.Set("region_only", "1")
	}
	return q
}

// statsHref links the statistics page under a filter.
func statsHref(f domain.StatsFilter) string { return "/stats?" + StatsQuery(f).Encode() }

// recordsHref links the drill-through list of a figure under a filter.
func recordsHref(f domain.StatsFilter, fig domain.Figure) string {
	q := StatsQuery(f)
	q.Set("fig", string(fig))
	return "/stats/records?" + q.Encode()
}

// gapHref links the list behind a cell of the supply–demand gap: the
// category's, for the period and region, which is all the gap looks at.
func gapHref(f domain.StatsFilter, categoryID int64, fig domain.Figure) string {
	g := domain.StatsFilter{From: f.From, To: f.To, RegionID: f.RegionID, CategoryID: categoryID}
	return recordsHref(g, fig)
}

// XLSXHref links the statistics workbook under a filter.
func statsXLSXHref(f domain.StatsFilter) string { return "/stats.xlsx?" + StatsQuery(f).Encode() }

// FigureKey is the catalogue key naming a figure.
func FigureKey(f domain.Figure) string { return "stats.fig." + string(f) }

// FigureLabel names a figure, a metric by its own name.
func FigureLabel(ctx context.Context, f domain.Figure, m *domain.Metric) string {
	if m != nil {
		return m.Name(string(Lang(ctx)))
	}
	return T(ctx, FigureKey(f))
}

func n64(n int64) string { return strconv.FormatInt(n, 10) }

// grouped writes a count for a reader, its thousands grouped: 1,234,567.
func grouped(n int) string { return domain.Grouped(int64(n)) }

// Rate is n out of d as a percent with at most one decimal; "—" for none.
func Rate(n, d int) string {
	if d <= 0 {
		return "—"
	}
	t := (int64(n)*1000 + int64(d)/2) / int64(d) // tenths of a percent
	s := strconv.FormatInt(t/10, 10)
	if t%10 != 0 {
		s += "." + strconv.FormatInt(t%10, 10)
	}
	return s + "%"
}

// Hundredths writes a value in hundredths with two decimals: 435 is "4.35".
func Hundredths(v int64) string {
	return strconv.FormatInt(v/100, 10) + "." + strconv.FormatInt(v%100+100, 10)[1:]
}

// Span writes a median duration in seconds as a clerk would: minutes under
// an hour, hours under two days, else days, at most one decimal.
func Span(ctx context.Context, secs int64) string {
	if secs < 0 {
		return "—"
	}
	tenths := func(v, unit int64) string {
		t := (v*10 + unit/2) / unit
		s := strconv.FormatInt(t/10, 10)
		if t%10 != 0 {
			s += "." + strconv.FormatInt(t%10, 10)
		}
		return s
	}
	switch {
	case secs < 3600:
		return T(ctx, "stats.span.minutes", tenths(secs, 60))
	case secs < 48*3600:
		return T(ctx, "stats.span.hours", tenths(secs, 3600))
	}
	return T(ctx, "stats.span.days", tenths(secs, 86400))
}

// statsYears are the years the year picker offers: five back from the
// filter's, and the next.
func statsYears(f domain.StatsFilter) []int {
	y, _ := strconv.Atoi(f.To[:min(4, len(f.To))])
	if y == 0 {
		y = time.Now().In(domain.ChinaZone).Year()
	}
	var out []int
	for i := y + 1; i >= y-5; i-- {
		out = append(out, i)
	}
	return out
}

// wholeYear is the year a filter spans exactly, or 0.
func wholeYear(f domain.StatsFilter) int {
	if len(f.From) == 10 && strings.HasSuffix(f.From, "-01-01") && f.To == f.From[:4]+"-12-31" {
		y, _ := strconv.Atoi(f.From[:4])
		return y
	}
	return 0
}

// orgTrail is the org drilled into and the orgs above it up to the top of
// the caller's scope, top first.
func orgTrail(v service.StatsView) []store.StatsOrg { return v.Trail }

// regionTrail is the region drilled into and the regions above it, top
// first.
func regionTrail(regions []domain.Region, r *domain.Region) []domain.Region {
	if r == nil {
		return nil
	}
	byID := map[int64]domain.Region{}
	for _, x := range regions {
		byID[x.ID] = x
	}
	var out []domain.Region
	for _, p := range strings.Split(strings.Trim(r.Path, "/"), "/") {
		id, _ := strconv.ParseInt(p, 10, 64)
		if x, ok := byID[id]; ok {
			out = append(out, x)
		}
	}
	return out
}

// RowLabel names a breakdown row; a level's own row says so.
func RowLabel(ctx context.Context, r service.StatsRow, by string) string {
	if !r.Own {
		return r.Label
	}
	if r.Label == "" {
		return T(ctx, "stats.row.no_place")
	}
	if by == "region" {
		return T(ctx, "stats.row.own_region", r.Label)
	}
	return T(ctx, "stats.row.own_org", r.Label)
}

// drillHref is where a breakdown row's label leads: org and region rows
// drill the page down, the others narrow it.
func drillHref(r service.StatsRow) string { return statsHref(r.Filter) }

// chartSVG renders a chart for inline embedding: the SVG is generated here
// with every text escaped, so it is safe as raw HTML.
func chartSVG(svg []byte) string { return string(svg) }

// barsOf draws the activities of a breakdown's rows.
func barsOf(ctx context.Context, title string, rows []service.StatsRow, by string) string {
	labels := make([]string, len(rows))
	values := make([]float64, len(rows))
	for i, r := range rows {
		labels[i], values[i] = RowLabel(ctx, r, by), float64(r.Activities)
	}
	return chartSVG(chart.Bars(title, T(ctx, "stats.chart.bars_desc", title), labels, values))
}

// lineOf draws the person-times by month.
func lineOf(ctx context.Context, v service.StatsView) string {
	values := make([]float64, len(v.ByMonth))
	for i, r := range v.ByMonth {
		values[i] = float64(r.PersonTimes)
	}
	title := T(ctx, "stats.chart.month")
	return chartSVG(chart.Line(title, T(ctx, "stats.chart.month_desc"), v.Months, values))
}

// stackedOf draws the activities of each category by month.
func stackedOf(ctx context.Context, v service.StatsView) string {
	series := make([]chart.Series, len(v.ByCategory))
	for i, c := range v.ByCategory {
		vals := make([]float64, len(v.Months))
		for j := range v.Months {
			vals[j] = float64(v.CategoryMonth[i][j])
		}
		series[i] = chart.Series{Name: c.Label, Values: vals}
	}
	title := T(ctx, "stats.chart.category_month")
	return chartSVG(chart.Stacked(title, T(ctx, "stats.chart.category_month_desc"), v.Months, series))
}

// monthFilter narrows a category row's filter to one month.
func monthFilter(f domain.StatsFilter, m string) domain.StatsFilter {
	f.Month = m
	return f
}

// headlineCard is one figure of the headline.
type headlineCard struct {
	Fig   domain.Figure
	Value string
}

// HeadlineCards are the headline's figures in the seed's order.
func HeadlineCards(v service.StatsView) []headlineCard {
	i := func(n int) string { return strconv.Itoa(n) }
	return []headlineCard{
		{domain.FigTeamsParty, i(v.Teams[domain.TeamParty])},
		{domain.FigVolunteersParty, i(v.Volunteers[domain.TeamParty])},
		{domain.FigTeamsYouth, i(v.Teams[domain.TeamYouth])},
		{domain.FigVolunteersYouth, i(v.Volunteers[domain.TeamYouth])},
		{domain.FigActivities, i(v.Activities)},
		{domain.FigPersonTimes, n64(v.PersonTimes)},
		{domain.FigMinutes, v.Minutes.Hours()},
		{domain.FigBeneficiaries, n64(v.Beneficiaries)},
		{domain.FigGroupServices, i(v.Group.Activities)},
		{domain.FigGroupUnits, i(v.GroupUnits)},
		{domain.FigGroupTimes, n64(v.Group.PersonTimes)},
		{domain.FigGroupBenefit, n64(v.Group.Beneficiaries)},
	}
}

// recordDay is a record's date in China.
func recordDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(domain.ChinaZone).Format("2006-01-02")
}

// recordValue writes a record's value for its figure: hours for minutes, a
// metric's quantity with its unit, else the number.
func recordValue(ctx context.Context, v service.StatsRecordsView, r store.StatsRecord) string {
	switch {
	case v.Metric != nil:
		return domain.Quantity(r.Value).Grouped() + " " + v.Metric.Unit(string(Lang(ctx)))
	case v.Kind == store.ListHours:
		return domain.Minutes(r.Value).HoursGrouped()
	}
	return domain.Grouped(r.Value)
}

// recordsTotal writes the list's total in the figure's terms.
func recordsTotal(ctx context.Context, v service.StatsRecordsView) string {
	switch {
	case v.Metric != nil:
		return domain.Quantity(v.Total).Grouped() + " " + v.Metric.Unit(string(Lang(ctx)))
	case v.Figure == domain.FigMinutes:
		return domain.Minutes(v.Total).HoursGrouped()
	}
	return domain.Grouped(v.Total)
}

// pageHref links another page of a drill-through list.
func pageHref(v service.StatsRecordsView, page int) string {
	q := StatsQuery(v.Filter)
	q.Set("fig", string(v.Figure))
	q.Set("page", strconv.Itoa(page))
	return "/stats/records?" + q.Encode()
}

// StatsRowCap is how many rows of a breakdown by org, region or team the
// page lists: a province has a thousand units and two thousand teams, and
// the export has them all.
const StatsRowCap = 100

// CapRows keeps the StatsRowCap rows with the most person-times (then
// activities), in their order, unless all are asked for.
func CapRows(rows []service.StatsRow, all bool) []service.StatsRow {
	if all || len(rows) <= StatsRowCap {
		return rows
	}
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ra, rb := rows[idx[a]], rows[idx[b]]
		if ra.PersonTimes != rb.PersonTimes {
			return ra.PersonTimes > rb.PersonTimes
		}
		return ra.Activities > rb.Activities
	})
	keep := idx[:StatsRowCap]
	sort.Ints(keep)
	out := make([]service.StatsRow, len(keep))
	for i, j := range keep {
		out[i] = rows[j]
	}
	return out
}

// allSuffix is what statsHref's link needs to show a breakdown in full.
func allSuffix(f domain.StatsFilter, by string) string {
	sep := "&"
	if len(StatsQuery(f)) == 0 {
		sep = "" // statsHref ends in "?"
	}
	return sep + "all=" + by + "#by-" + by
}
