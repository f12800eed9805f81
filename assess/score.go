package assess

import (
	"sort"
	"strconv"

	"vanguard/domain"
)

// Rule names a line of a breakdown; the same names key the records page
// behind each line and the catalogue ("assess.rule." + name).
type Rule string

// The lines of a breakdown, in the order they are shown.
const (
	RuleOwnActivity  Rule = "own_activity"
	RuleGroupService Rule = "group_service"
	RulePersonTimes  Rule = "person_times"
	RuleHours        Rule = "hours"
	RuleBatch        Rule = "batch"
	RuleEvaluation   Rule = "evaluation"
	RuleCap          Rule = "cap"
	RuleDeclined     Rule = "declined"
	RuleOverdue      Rule = "overdue"
	RuleComplaint    Rule = "complaint"
	RuleAdjustment   Rule = "adjustment"
)

// RecordRules are the rules whose lines have a list of records behind them.
var RecordRules = []Rule{RuleOwnActivity, RuleGroupService, RulePersonTimes, RuleHours, RuleBatch,
	RuleEvaluation, RuleDeclined, RuleOverdue, RuleComplaint}

// ValidRecordRule reports whether r has a records list.
func ValidRecordRule(r Rule) bool {
	for _, x := range RecordRules {
		if x == r {
			return true
		}
	}
	return false
}

// Activity is an activity that earns points, with its categories, which
// decide its weight.
type Activity struct {
	ID         int64
	Categories []int64
}

// Facts are an org's service record for a year, gathered from the records
// of its subtree.
type Facts struct {
	OrgID         int64
	Year          int
	OwnActivities []Activity // completed activities of its subtree that were no group service
	GroupServices []Activity // group services one of its teams took part in
	PersonTimes   int64      // attendance credited to its subtree
	Minutes       domain.Minutes
	Batches       int64 // distinct campaign batches it took part in
	RatingSum     int64 // of the evaluations (with a rating) of orders its teams served
	RatingCount   int64
	Declined      int64 // dispatches its teams declined
	Overdue       int64 // dispatches its teams answered later than domain.DispatchOverdue, or not at all
	Upheld        int64 // complaints found true (情况属实) about orders its teams served
}

// Adjustment is an approved manual adjustment, added on top of the capped
// rule points.
type Adjustment struct {
	ID     int64
	Points Points
	Reason string
}

// Line is one line of a breakdown: the quantity behind it (minutes for
// hours; the average in hundredths for evaluation), the points, and the
// link to the records that earned it.
type Line struct {
	Rule     Rule   `json:"rule"`
	Quantity int64  `json:"quantity"`
	Points   Points `json:"points"`
	Link     string `json:"link,omitempty"`
	// Reason and AdjustmentID are set on adjustment lines.
	Reason       string `json:"reason,omitempty"`
	AdjustmentID int64  `json:"adjustment_id,omitempty"`
}

// Result is an org's total and its breakdown.
type Result struct {
	OrgID int64
	Year  int
	Total Points
	Lines []Line
}

// Link is the address of the records page behind a line.
func Link(orgID int64, year int, r Rule) string {
	return "/assessment/orgs/" + strconv.FormatInt(orgID, 10) + "/records?year=" + strconv.Itoa(year) + "&rule=" + string(r)
}

// weighted returns the points of activities at per points each, each
// multiplied by its category weight and rounded half up.
func weighted(r Rules, as []Activity, per Points) Points {
	var total int64
	for _, a := range as {
		w := int64(0)
		for _, c := range a.Categories {
			cw, ok := r.Weights[c]
			if !ok {
				cw = 100
			}
			if cw > w {
				w = cw
			}
		}
		if len(a.Categories) == 0 {
			w = 100
		}
		total += (int64(per)*w*2 + 100) / 200
	}
	return Points(total)
}

// Score applies rules to facts and returns the score of the rules alone:
// bonus lines, a cap line when the cap took points off, then deductions.
// Lines are kept only where there is a quantity or a point.
func Score(r Rules, f Facts) Result {
	s := Result{OrgID: f.OrgID, Year: f.Year}
	add := func(rule Rule, q int64, p Points) {
		if q == 0 && p == 0 {
			return
		}
		s.Lines = append(s.Lines, Line{Rule: rule, Quantity: q, Points: p, Link: Link(f.OrgID, f.Year, rule)})
		s.Total += p
	}
	add(RuleOwnActivity, int64(len(f.OwnActivities)), weighted(r, f.OwnActivities, r.OwnActivity))
	add(RuleGroupService, int64(len(f.GroupServices)), weighted(r, f.GroupServices, r.GroupService))
	add(RulePersonTimes, f.PersonTimes, tiered(r.PersonTimes, f.PersonTimes, 1))
	add(RuleHours, int64(f.Minutes), tiered(r.Hours, int64(f.Minutes), 60))
	add(RuleBatch, f.Batches, Points(f.Batches)*r.Batch)
	if f.RatingCount > 0 {
		avg := (f.RatingSum*100*2 + f.RatingCount) / (2 * f.RatingCount)
		var p Points
		if f.RatingCount >= r.EvalMinCount && f.RatingSum*100 >= r.EvalThreshold*f.RatingCount {
			p = r.EvalPoints
		}
		add(RuleEvaluation, avg, p)
	}
	if r.Cap > 0 && s.Total > r.Cap {
		cut := r.Cap - s.Total
		s.Lines = append(s.Lines, Line{Rule: RuleCap, Quantity: int64(r.Cap), Points: cut})
		s.Total += cut
	}
	add(RuleDeclined, f.Declined, -Points(f.Declined)*r.Declined)
	add(RuleOverdue, f.Overdue, -Points(f.Overdue)*r.Overdue)
	add(RuleComplaint, f.Upheld, -Points(f.Upheld)*r.Complaint)
	return s
}

// WithAdjustments returns s with its adjustment lines replaced by adjs, in
// id order, and the total to match.
func WithAdjustments(s Result, adjs []Adjustment) Result {
	out := Result{OrgID: s.OrgID, Year: s.Year}
	for _, l := range s.Lines {
		if l.Rule != RuleAdjustment {
			out.Lines = append(out.Lines, l)
			out.Total += l.Points
		}
	}
	adjs = append([]Adjustment(nil), adjs...)
	sort.Slice(adjs, func(i, j int) bool { return adjs[i].ID < adjs[j].ID })
	for _, a := range adjs {
		out.Lines = append(out.Lines, Line{Rule: RuleAdjustment, Quantity: 1, Points: a.Points,
			Reason: a.Reason, AdjustmentID: a.ID})
		out.Total += a.Points
	}
	return out
}

// Evaluate is Score with the approved adjustments on top: the score a
// recomputation stores.
func Evaluate(r Rules, f Facts, adjs []Adjustment) Result {
	return WithAdjustments(Score(r, f), adjs)
}
