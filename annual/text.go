package annual

import (
	"strconv"
	"strings"

	"vanguard/domain"
)

// Facts are the year's figures the text states, within one scope. Names
// and labels are already in the reader's language.
type Facts struct {
	Scope string // the committee or org subtree the report covers
	Year  int

	TeamsParty, TeamsYouth           int64
	VolunteersParty, VolunteersYouth int64

	Orders   int64   // received in the year
	Channels []Count // orders by channel, in the channels' order
	// Activities by mode: committee (集中开展), unit (自行决定), open.
	ModeCommittee, ModeUnit, ModeOpen int64
	Categories                        []string // the categories served most, most first

	GroupUnits, GroupTimes, GroupServices, GroupBenefit int64

	Campaigns []Campaign

	Dispatches, Declines int64
	// Median seconds from acceptance to dispatch and from dispatch to
	// confirmation; -1 when no order made the step.
	DispatchMedian, ConfirmMedian  int64
	Evaluations                    int64
	RatingAvg                      int64 // hundredths
	ComplaintsOpen, ComplaintsDone int64

	Activities, PersonTimes, Beneficiaries int64
	Minutes                                domain.Minutes
	Metrics                                []Metric
	Projects                               []Project

	Gap    []Gap    // categories ordered more than supplied, widest gap first
	Idle   []string // units with no service in the year
	Themes []Count  // recurring complaint themes (two or more complaints)
}

// Count is a labelled count.
type Count struct {
	Label string
	N     int64
}

// Metric is a metric's total with its name and unit.
type Metric struct {
	Name, Unit string
	Value      domain.Quantity
}

// Campaign is a key task's year.
type Campaign struct {
	Name                string
	Batches, Activities int64
	People, PersonTimes int64
	Metrics             []Metric
}

// Project is a brand project's year.
type Project struct {
	Name, Owner             string
	Activities, PersonTimes int64
	Metrics                 []Metric
}

// Gap is a category ordered more than it was supplied.
type Gap struct {
	Category          string
	Ordered, Supplied int64
}

// Paragraph is one section of the report: a heading and its sentences.
type Paragraph struct {
	Key     string // the section: teams, forms, tasks, mechanism, results, advice
	Heading string
	Text    []string
}

// Build writes the report's six sections in the seed's order.
func Build(f Facts, t Translate) []Paragraph {
	n := func(v int64) string { return Group(v) }
	about := func(v int64) string { return About(t, v) }
	var out []Paragraph
	add := func(key string, text ...string) {
		out = append(out, Paragraph{Key: key, Heading: t("annual.h." + key), Text: text})
	}
	// 组建情况.
	add("teams",
		t("annual.teams.party", f.Scope, n(f.TeamsParty), about(f.VolunteersParty)),
		t("annual.teams.youth", n(f.TeamsYouth), about(f.VolunteersYouth)))
	// 服务形式.
	var forms []string
	if f.Orders > 0 {
		var chans []string
		for _, c := range f.Channels {
			chans = append(chans, t("annual.forms.channel", c.Label, n(c.N)))
		}
		forms = append(forms, t("annual.forms.orders", n(f.Orders), strings.Join(chans, t("annual.list.sep"))))
	} else {
		forms = append(forms, t("annual.forms.no_orders"))
	}
	forms = append(forms, t("annual.forms.modes", n(f.ModeCommittee+f.ModeUnit+f.ModeOpen),
		n(f.ModeCommittee), n(f.ModeUnit), n(f.ModeOpen)))
	if len(f.Categories) > 0 {
		forms = append(forms, t("annual.forms.categories", strings.Join(f.Categories, t("annual.list.sep"))))
	}
	if f.GroupServices > 0 {
		forms = append(forms, t("annual.forms.group", n(f.GroupUnits), about(f.GroupTimes), n(f.GroupServices), about(f.GroupBenefit)))
	} else {
		forms = append(forms, t("annual.forms.no_group"))
	}
	add("forms", forms...)
	// 重点任务.
	var tasks []string
	for _, c := range f.Campaigns {
		s := t("annual.tasks.campaign", c.Name, n(c.Batches), about(c.People), n(c.Activities), about(c.PersonTimes))
		if len(c.Metrics) > 0 {
			s += t("annual.tasks.metrics", metricList(t, c.Metrics, false))
		}
		tasks = append(tasks, s)
	}
	if len(tasks) == 0 {
		tasks = append(tasks, t("annual.tasks.none"))
	}
	add("tasks", tasks...)
	// 机制与考核.
	mech := []string{t("annual.mech.dispatch", n(f.Dispatches), duration(t, f.DispatchMedian), duration(t, f.ConfirmMedian), n(f.Declines))}
	if f.Evaluations > 0 {
		mech = append(mech, t("annual.mech.evaluations", n(f.Evaluations), hundredths(f.RatingAvg)))
	} else {
		mech = append(mech, t("annual.mech.no_evaluations"))
	}
	mech = append(mech, t("annual.mech.complaints", n(f.ComplaintsOpen+f.ComplaintsDone), n(f.ComplaintsDone)))
	add("mechanism", mech...)
	// 成效.
	results := []string{t("annual.results.service", n(f.Activities), about(f.PersonTimes), f.Minutes.Hours(), about(f.Beneficiaries))}
	if len(f.Metrics) > 0 {
		results = append(results, t("annual.results.metrics", metricList(t, f.Metrics, true)))
	}
	for _, p := range f.Projects {
		s := t("annual.results.project", p.Owner, p.Name, n(p.Activities), about(p.PersonTimes))
		if len(p.Metrics) > 0 {
			s += t("annual.results.project_metrics", metricList(t, p.Metrics, true))
		}
		results = append(results, s)
	}
	add("results", results...)
	// 问题与建议, in the brief's order: the gap, idle units, complaints.
	var advice []string
	if len(f.Gap) > 0 {
		var gaps []string
		for _, g := range f.Gap {
			gaps = append(gaps, t("annual.advice.gap_item", g.Category, n(g.Ordered), n(g.Supplied)))
		}
		advice = append(advice, t("annual.advice.gap", strings.Join(gaps, t("annual.list.sep"))))
	}
	if len(f.Idle) > 0 {
		advice = append(advice, t("annual.advice.idle", n(int64(len(f.Idle))), strings.Join(f.Idle, t("annual.list.sep"))))
	}
	if len(f.Themes) > 0 {
		var themes []string
		for _, c := range f.Themes {
			themes = append(themes, t("annual.advice.theme_item", c.Label, n(c.N)))
		}
		advice = append(advice, t("annual.advice.themes", strings.Join(themes, t("annual.list.sep"))))
	}
	if len(advice) == 0 {
		advice = append(advice, t("annual.advice.none"))
	}
	add("advice", advice...)
	return out
}

// metricList writes metric totals: "植树 300 棵、新建栅栏 5,000 米"; with
// rounded, whole figures of 100 or more are rounded like people.
func metricList(t Translate, ms []Metric, rounded bool) string {
	var parts []string
	for _, m := range ms {
		v := t("annual.approx.exact", quantity(m.Value))
		if rounded && m.Value%100 == 0 && m.Value >= 10000 {
			v = About(t, int64(m.Value/100))
		}
		parts = append(parts, t("annual.metric", m.Name, v, m.Unit))
	}
	return strings.Join(parts, t("annual.list.sep"))
}

// quantity writes a metric's value with thousands separators and at most
// two decimals.
func quantity(q domain.Quantity) string {
	s := q.String()
	whole, frac, _ := strings.Cut(s, ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return s
	}
	if frac != "" {
		return Group(w) + "." + frac
	}
	return Group(w)
}

// duration writes a median in hours with one decimal, or "none".
func duration(t Translate, seconds int64) string {
	if seconds < 0 {
		return t("annual.none")
	}
	tenths := (seconds*10 + 1800) / 3600
	s := strconv.FormatInt(tenths/10, 10)
	if d := tenths % 10; d != 0 {
		s += "." + strconv.FormatInt(d, 10)
	}
	return t("annual.hours", s)
}

// hundredths writes 448 as "4.48".
func hundredths(v int64) string {
	return strconv.FormatInt(v/100, 10) + "." + strconv.FormatInt(100+v%100, 10)[1:]
}
