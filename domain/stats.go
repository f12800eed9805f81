package domain

import (
	"strconv"
	"time"
)

// Statistics (统计) count the records of a period within a scope. Every
// figure has a name (a Figure) and is a total over a list of records that a
// drill-through shows with the same filter, so that the list's total equals
// the figure. A breakdown row is the same figures under a narrower filter:
// one category, one org subtree one level down, one region subtree, one
// team or one month.

// StatsFilter narrows statistics. The zero values mean "all of the caller's
// scope"; From and To are China dates, both included.
type StatsFilter struct {
	From, To   string
	OrgID      int64  // an org subtree inside the caller's scope
	TeamID     int64  // one team
	CategoryID int64  // activities of this category; orders asking for it
	RegionID   int64  // a region subtree: the activity's place, the order's place
	Month      string // YYYY-MM: one month of the period
	// OrgOnly keeps the records of the org OrgID itself (the root when 0),
	// not of the orgs below it: a breakdown's row for its own level.
	OrgOnly bool
	// RegionOnly keeps the records placed at the region RegionID itself,
	// not below it, or with no place at all when RegionID is 0.
	RegionOnly bool
}

// StatsMaxDays bounds a statistics period: five years.
const StatsMaxDays = 5*366 + 1

// YearFilter is the filter of a calendar year.
func YearFilter(year int) StatsFilter {
	y := strconv.Itoa(year)
	return StatsFilter{From: y + "-01-01", To: y + "-12-31"}
}

// Validate checks the period: two dates, in order, at most StatsMaxDays
// apart, and a month inside it.
func (f StatsFilter) Validate() error {
	var v Validation
	okFrom := v.CheckDate("from", f.From, EarliestService, LatestPlan)
	okTo := v.CheckDate("to", f.To, EarliestService, LatestPlan)
	if okFrom && okTo {
		from, _ := time.Parse("2006-01-02", f.From)
		to, _ := time.Parse("2006-01-02", f.To)
		v.Check(!to.Before(from), "to", "err.stats.order")
		v.Check(to.Sub(from) < StatsMaxDays*24*time.Hour, "to", "err.stats.span", 5)
	}
	if f.Month != "" {
		_, err := time.Parse("2006-01", f.Month)
		v.Check(err == nil && f.Month >= f.From[:min(7, len(f.From))] && f.Month <= f.To[:min(7, len(f.To))],
			"month", "err.stats.month")
	}
	return v.Err()
}

// Window returns the filter's instants: [start of From, start of the day
// after To), narrowed to Month when one is set, in China.
func (f StatsFilter) Window() (time.Time, time.Time) {
	from, _ := time.ParseInLocation("2006-01-02", f.From, ChinaZone)
	to, _ := time.ParseInLocation("2006-01-02", f.To, ChinaZone)
	to = to.AddDate(0, 0, 1)
	if f.Month != "" {
		m, err := time.ParseInLocation("2006-01", f.Month, ChinaZone)
		if err == nil {
			if m.After(from) {
				from = m
			}
			if end := m.AddDate(0, 1, 0); end.Before(to) {
				to = end
			}
		}
	}
	return from, to
}

// Months lists the months of the period, YYYY-MM, in order.
func (f StatsFilter) Months() []string {
	from, to := f.Window()
	var out []string
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, ChinaZone); m.Before(to); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// Figure names one statistic; the drill-through list of a figure is named
// the same.
type Figure string

// The figures. Activities are those held (completed) that started in the
// period; service (person-times, minutes) is the hours recorded on them,
// counted toward the org and team each person served for; orders are those
// received in the period; evaluations and complaints those made in it.
const (
	FigTeamsParty      Figure = "teams_party"      // party-member teams (党员志愿服务队)
	FigTeamsYouth      Figure = "teams_youth"      // youth teams (青年志愿服务队)
	FigVolunteersParty Figure = "volunteers_party" // people in a party team at the period's end
	FigVolunteersYouth Figure = "volunteers_youth" // people in a youth team at the period's end
	FigActivities      Figure = "activities"       // activities held
	FigPersonTimes     Figure = "person_times"     // 人次: one per person per activity
	FigMinutes         Figure = "minutes"          // hours of service
	FigBeneficiaries   Figure = "beneficiaries"    // people who benefited, as recorded in outcomes
	FigGroupServices   Figure = "group_services"   // 组团式服务: group activities held for served orders
	FigGroupUnits      Figure = "group_units"      // distinct units whose teams took part in them
	FigGroupTimes      Figure = "group_times"      // person-times on them
	FigGroupBenefit    Figure = "group_benefit"    // their beneficiaries
	FigEvaluations     Figure = "evaluations"      // ratings given
	FigComplaintsOpen  Figure = "complaints_open"  // complaints not yet answered
	FigComplaintsDone  Figure = "complaints_done"  // complaints answered
	FigOrdered         Figure = "ordered"          // orders received
	FigAccepted        Figure = "accepted"         // of those, accepted at some point
	FigDispatched      Figure = "dispatched"       // … dispatched
	FigConfirmed       Figure = "confirmed"        // … confirmed by their group
	FigServed          Figure = "served"           // … served
	FigEvaluated       Figure = "evaluated"        // … evaluated
	FigRejected        Figure = "rejected"         // … rejected
	FigCancelled       Figure = "cancelled"        // … cancelled
	FigDeclines        Figure = "declines"         // dispatches declined by a team in the period
	FigDispatches      Figure = "dispatches"       // dispatches sent in the period
	// A metric's figure is FigMetricPrefix + the metric's code.
	FigMetricPrefix = "metric:"
)

// The supply–demand gap's figures, one column each of its table: per
// category (the filter's), for the period's orders and the filter's region.
const (
	FigGapOrders  Figure = "gap_orders"  // order items asking for the category
	FigGapItems   Figure = "gap_items"   // active menu items of it serving the region
	FigGapTeams   Figure = "gap_teams"   // teams serving in it
	FigGapWilling Figure = "gap_willing" // people willing to serve in it
)

// GapFigures are the gap table's figures in its columns' order.
var GapFigures = []Figure{FigGapOrders, FigGapItems, FigGapTeams, FigGapWilling}

// FunnelSteps are the order funnel's steps in order, each the state an
// order reached.
var FunnelSteps = []Figure{FigOrdered, FigAccepted, FigDispatched, FigConfirmed, FigServed, FigEvaluated}
