package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/report"
	"vanguard/service"
	"vanguard/web/views"
)

// statsFilter reads the statistics filter from a query string: a year, or
// from/to dates, and the org, team, category, region and month to narrow
// to. An id that does not read is -1, so that the service reports it.
func statsFilter(q url.Values) domain.StatsFilter {
	f := domain.StatsFilter{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
		Month: strings.TrimSpace(q.Get("month")), OrgOnly: q.Get("org_only") == "1", RegionOnly: q.Get("region_only") == "1"}
	if y, err := strconv.Atoi(strings.TrimSpace(q.Get("year"))); err == nil && f.From == "" && f.To == "" {
		year := domain.YearFilter(y)
		f.From, f.To = year.From, year.To
	}
	id := func(key string) int64 {
		v := strings.TrimSpace(q.Get(key))
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return -1
		}
		return n
	}
	f.OrgID, f.TeamID, f.CategoryID, f.RegionID = id("org"), id("team"), id("cat"), id("region")
	return f
}

// statsPage shows the statistics of a period. A filter that does not read
// is shown with its faults over the default view, the filter as typed.
func (s *Server) statsPage(w http.ResponseWriter, r *http.Request) error {
	ctx, c := r.Context(), caller(r)
	f := statsFilter(r.URL.Query())
	d := views.StatsPageView{Typed: f}
	if all := r.URL.Query().Get("all"); all == "org" || all == "region" || all == "team" {
		d.All = all
	}
	v, err := s.svc.Statistics(ctx, c, f)
	if errs, ok := fieldErrors(r, err); ok {
		d.Errors = errs
		if v, err = s.svc.Statistics(ctx, c, domain.StatsFilter{}); err != nil {
			return err
		}
	} else if err != nil {
		return err
	} else {
		d.Typed = v.Filter
	}
	d.View = v
	if d.Lookups, err = s.lookups(ctx); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.StatsPage(page(r, "stats.title", "stats"), d))
	return nil
}

// statsRecordsPage shows the drill-through list of one figure.
func (s *Server) statsRecordsPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pg, _ := strconv.Atoi(q.Get("page"))
	v, err := s.svc.StatsRecords(r.Context(), caller(r), statsFilter(q), domain.Figure(q.Get("fig")), pg)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.StatsRecordsPage(page(r, "stats.records.title", "stats"), v))
	return nil
}

// exportStats writes the statistics view as a workbook: the headline
// figures, the funnel and one sheet per breakdown.
func (s *Server) exportStats(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v, err := s.svc.Statistics(ctx, caller(r), statsFilter(r.URL.Query()))
	if err != nil {
		return err
	}
	tr := func(key string, args ...any) string { return i18n.T(ctx, key, args...) }
	b, err := report.NewBook()
	if err != nil {
		return err
	}
	if err := statsBook(ctx, b, v); err != nil {
		b.Close()
		return err
	}
	name := tr("stats.title") + " " + v.Filter.From + "_" + v.Filter.To
	return sendBook(w, b, name, "statistics-"+v.Filter.From+"_"+v.Filter.To)
}

// statsBook writes the sheets of the statistics workbook: the headline
// (with the evaluations and metrics), the funnel and one sheet per
// breakdown, in the reader's language.
func statsBook(ctx context.Context, b *report.Book, v service.StatsView) error {
	tr := func(key string, args ...any) string { return i18n.T(ctx, key, args...) }
	lang := string(i18n.From(ctx))
	pairs := [][2]string{{tr("stats.field.from"), v.Filter.From}, {tr("stats.field.to"), v.Filter.To}}
	for _, c := range views.HeadlineCards(v) {
		pairs = append(pairs, [2]string{tr(views.FigureKey(c.Fig)), c.Value})
	}
	avg := "—"
	if v.Evaluations > 0 {
		avg = views.Hundredths(v.RatingAvg)
	}
	pairs = append(pairs, [2]string{tr("stats.eval.average"), avg},
		[2]string{tr(views.FigureKey(domain.FigEvaluations)), strconv.Itoa(v.Evaluations)},
		[2]string{tr(views.FigureKey(domain.FigComplaintsOpen)), strconv.Itoa(v.ComplaintsOpen)},
		[2]string{tr(views.FigureKey(domain.FigComplaintsDone)), strconv.Itoa(v.ComplaintsDone)})
	for _, m := range v.Metrics {
		pairs = append(pairs, [2]string{m.Metric.Name(lang), m.Value.String() + " " + m.Metric.Unit(lang)})
	}
	if err := b.AppendPairs(tr("stats.sheet.headline"), pairs); err != nil {
		return err
	}
	sh, err := b.Sheet(tr("stats.sheet.funnel"), []report.Column{{Header: tr("stats.col.step"), Width: 20},
		{Header: tr("stats.col.orders")}, {Header: tr("stats.col.of_ordered")}, {Header: tr("stats.col.median"), Width: 18}})
	if err != nil {
		return err
	}
	for i, step := range domain.FunnelSteps {
		med := ""
		if i > 0 {
			med = views.Span(ctx, v.Medians[step])
		}
		if err := sh.Row(tr(views.FigureKey(step)), strconv.Itoa(v.Funnel[step]),
			views.Rate(v.Funnel[step], v.Funnel[domain.FigOrdered]), med); err != nil {
			return err
		}
	}
	for _, r := range []struct {
		fig   domain.Figure
		n, of int
	}{{domain.FigRejected, v.Funnel[domain.FigRejected], v.Funnel[domain.FigOrdered]},
		{domain.FigCancelled, v.Funnel[domain.FigCancelled], v.Funnel[domain.FigOrdered]},
		{domain.FigDeclines, v.Declines, v.Dispatches}, {domain.FigDispatches, v.Dispatches, 0}} {
		rate := ""
		if r.of > 0 {
			rate = views.Rate(r.n, r.of)
		}
		if err := sh.Row(tr(views.FigureKey(r.fig)), strconv.Itoa(r.n), rate, ""); err != nil {
			return err
		}
	}
	for _, bd := range []struct {
		by   string
		rows []service.StatsRow
	}{{"category", v.ByCategory}, {"org", v.ByOrg}, {"region", v.ByRegion}, {"team", v.ByTeam}, {"month", v.ByMonth}} {
		sh, err := b.Sheet(tr("stats.by."+bd.by), []report.Column{{Header: tr("stats.col." + bd.by), Width: 30},
			{Header: tr("stats.fig.activities")}, {Header: tr("stats.fig.person_times")},
			{Header: tr("stats.fig.minutes")}, {Header: tr("stats.fig.beneficiaries")}})
		if err != nil {
			return err
		}
		for _, r := range bd.rows {
			if err := sh.Row(views.RowLabel(ctx, r, bd.by), strconv.Itoa(r.Activities), strconv.FormatInt(r.PersonTimes, 10),
				r.Minutes.Hours(), strconv.FormatInt(r.Beneficiaries, 10)); err != nil {
				return err
			}
		}
	}
	return nil
}
