package web

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strconv"

	"vanguard/chart"
	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/report"
	"vanguard/service"
	"vanguard/web/views"
)

// The annual report (年度工作报告): the page, printable on A4, and its
// tables as a workbook.

// annualParams reads ?year=&org=; a year that is not a number in the
// statistics' range, or an org that is not a number, is a field error.
func annualParams(r *http.Request) (int, int64, error) {
	var year int
	var org int64
	var v domain.Validation
	if y := r.URL.Query().Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		v.Check(err == nil && n >= 2000 && n <= 2100, "year", "err.annual.year")
		year = n
	}
	if o := r.URL.Query().Get("org"); o != "" {
		n, err := strconv.ParseInt(o, 10, 64)
		v.Check(err == nil && n > 0, "org", "err.annual.org")
		org = n
	}
	return year, org, v.Err()
}

func (s *Server) annualReport(r *http.Request) (service.AnnualView, error) {
	year, org, err := annualParams(r)
	if err != nil {
		return service.AnnualView{}, err
	}
	return s.svc.AnnualReport(r.Context(), caller(r), year, org)
}

func (s *Server) annualPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.annualReport(r)
	if err != nil {
		return err
	}
	d := views.AnnualData{View: v, Year: v.Year}
	if v.Stats.Org != nil {
		d.OrgID = v.Stats.Org.ID
	}
	d.Charts = annualCharts(r.Context(), v)
	this, _ := strconv.Atoi(today()[:4])
	for y := max(this, v.Year); y >= min(this, v.Year)-4; y-- {
		d.Years = append(d.Years, y)
	}
	s.render(w, r, http.StatusOK, views.AnnualPage(page(r, "annual.title", "stats"), d))
	return nil
}

// annualXLSX sends the report's tables, one sheet each.
func (s *Server) annualXLSX(w http.ResponseWriter, r *http.Request) error {
	v, err := s.annualReport(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	b, err := report.NewBook()
	if err != nil {
		return err
	}
	if err := writeAnnualBook(ctx, b, v); err != nil {
		b.Close()
		return err
	}
	return sendBook(w, b, i18n.T(ctx, "annual.xlsx.name", v.Year), "annual-report-"+strconv.Itoa(v.Year))
}

func writeAnnualBook(ctx context.Context, b *report.Book, v service.AnnualView) error {
	t := func(key string, args ...any) string { return i18n.T(ctx, key, args...) }
	col := func(key string, w float64) report.Column { return report.Column{Header: t(key), Width: w} }
	lang := string(i18n.From(ctx))
	i64 := func(n int64) string { return strconv.FormatInt(n, 10) }
	sh, err := b.Sheet(t("annual.t.teams"), []report.Column{col("annual.col.kind", 20), col("annual.col.teams", 10), col("annual.col.volunteers", 12)})
	if err != nil {
		return err
	}
	for _, k := range []domain.TeamKind{domain.TeamParty, domain.TeamYouth} {
		if err := sh.Row(t("enum.team_kind."+string(k)), strconv.Itoa(v.Stats.Teams[k]), strconv.Itoa(v.Stats.Volunteers[k])); err != nil {
			return err
		}
	}
	sh, err = b.Sheet(t("annual.sheet.groups"), []report.Column{col("annual.col.date", 12), col("annual.col.activity", 40),
		col("annual.col.group_teams", 50), col("annual.col.person_times", 10), col("annual.col.beneficiaries", 10)})
	if err != nil {
		return err
	}
	for _, g := range v.Groups {
		if err := sh.Row(domain.ChinaDay(g.StartsAt), report.SafeText(g.Title), report.SafeText(joinNames(g.Teams)),
			i64(g.PersonTimes), i64(g.Beneficiaries)); err != nil {
			return err
		}
	}
	if v.GroupsTotal > len(v.Groups) {
		if err := sh.Row(t("annual.t.groups_top", strconv.Itoa(v.GroupsTotal), strconv.Itoa(len(v.Groups)))); err != nil {
			return err
		}
	}
	sh, err = b.Sheet(t("annual.t.campaigns"), []report.Column{col("annual.col.name", 24), col("annual.col.owner", 24),
		col("annual.col.batches", 8), col("annual.col.activities", 8), col("annual.col.people", 8), col("annual.col.person_times", 10),
		col("annual.col.hours", 10), col("annual.col.beneficiaries", 10), col("annual.col.metrics", 60)})
	if err != nil {
		return err
	}
	for _, c := range append(append([]service.AnnualSums{}, v.Campaigns...), v.Projects...) {
		var ms string
		for i, m := range c.Metrics {
			if i > 0 {
				ms += t("annual.list.sep")
			}
			ms += m.Metric.Name(lang) + " " + m.Value.String() + " " + m.Metric.Unit(lang)
		}
		if err := sh.Row(report.SafeText(c.Name), report.SafeText(c.Owner), strconv.Itoa(c.Batches), strconv.Itoa(c.Activities),
			strconv.Itoa(c.People), strconv.Itoa(c.PersonTimes), c.Minutes.Hours(), strconv.Itoa(c.Beneficiaries), ms); err != nil {
			return err
		}
	}
	sh, err = b.Sheet(t("annual.t.metrics"), []report.Column{col("annual.col.metric", 20), col("annual.col.value", 12), col("annual.col.unit_of", 10)})
	if err != nil {
		return err
	}
	for _, m := range v.Stats.Metrics {
		if err := sh.Row(m.Metric.Name(lang), m.Value.String(), m.Metric.Unit(lang)); err != nil {
			return err
		}
	}
	for _, part := range []struct {
		sheet, key string
		rows       []service.StatsRow
	}{{"annual.t.categories", "annual.col.category", v.Stats.ByCategory}, {"annual.t.units", "annual.col.unit", v.Units}} {
		sh, err = b.Sheet(t(part.sheet), []report.Column{col(part.key, 28), col("annual.col.activities", 10),
			col("annual.col.person_times", 10), col("annual.col.hours", 12), col("annual.col.beneficiaries", 12)})
		if err != nil {
			return err
		}
		for _, r := range part.rows {
			if err := sh.Row(report.SafeText(r.Label), strconv.Itoa(r.Activities), i64(r.PersonTimes), r.Minutes.Hours(), i64(r.Beneficiaries)); err != nil {
				return err
			}
		}
	}
	return nil
}

func joinNames(list []string) string {
	out := ""
	for i, s := range list {
		if i > 0 {
			out += "、"
		}
		out += s
	}
	return out
}

// annualCharts draws the report's charts: activities by category,
// person-times by unit (the fifteen largest) and activities by month. The
// tables below them hold the same figures.
func annualCharts(ctx context.Context, v service.AnnualView) []views.AnnualChart {
	t := func(key string, args ...any) string { return i18n.T(ctx, key, args...) }
	var out []views.AnnualChart
	bars := func(id, title, desc string, rows []service.StatsRow, value func(service.StatsRow) float64, limit int) {
		if len(rows) == 0 {
			return
		}
		rows = slices.Clone(rows)
		sort.SliceStable(rows, func(i, j int) bool { return value(rows[i]) > value(rows[j]) })
		rows = rows[:min(len(rows), limit)]
		labels, values := make([]string, len(rows)), make([]float64, len(rows))
		for i, r := range rows {
			labels[i], values[i] = r.Label, value(r)
		}
		out = append(out, views.AnnualChart{ID: id, Title: title, SVG: string(chart.Bars(title, desc, labels, values))})
	}
	bars("annual-chart-category", t("annual.chart.category"), t("annual.chart.category_desc"), v.Stats.ByCategory,
		func(r service.StatsRow) float64 { return float64(r.Activities) }, 20)
	bars("annual-chart-unit", t("annual.chart.unit"), t("annual.chart.unit_desc"), v.Units,
		func(r service.StatsRow) float64 { return float64(r.PersonTimes) }, 15)
	if len(v.Stats.ByMonth) > 0 {
		labels, values := make([]string, len(v.Stats.ByMonth)), make([]float64, len(v.Stats.ByMonth))
		for i, r := range v.Stats.ByMonth {
			labels[i], values[i] = r.Label[len(r.Label)-2:], float64(r.Activities)
		}
		title := t("annual.chart.month")
		out = append(out, views.AnnualChart{ID: "annual-chart-month", Title: title,
			SVG: string(chart.Line(title, t("annual.chart.month_desc"), labels, values))})
	}
	return out
}
