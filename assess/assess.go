// Package assess computes the yearly party-building assessment points
// (党建考核加分) of an org from its service record. It is pure: the store
// gathers the facts, this package applies a rule set to them and explains
// every point in a breakdown.
//
// Points are exact: integer hundredths of a point. Bonus points earned by
// the rules are capped per org and year; deductions are subtracted after
// the cap; approved manual adjustments come on top of everything.
package assess

import (
	"sort"
	"strconv"
	"strings"

	"vanguard/domain"
)

// Points are hundredths of a point: 150 is 1.5 points.
type Points int64

// String writes p with at most two decimals, trailing zeros trimmed:
// "1.5", "-0.25", "12".
func (p Points) String() string {
	neg := p < 0
	if neg {
		p = -p
	}
	s := strconv.FormatInt(int64(p)/100, 10)
	if f := int64(p) % 100; f != 0 {
		s += "." + strings.TrimSuffix(strconv.FormatInt(f+100, 10)[1:], "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// maxPointsText bounds what a person may type for points.
const maxPointsText = 12

// ParsePoints reads a decimal number of points with at most two decimals,
// "1.5" or "-2" (negative only when allowNeg); full-width digits and a
// Chinese point are accepted.
func ParsePoints(s string, allowNeg bool) (Points, bool) {
	s = strings.NewReplacer("。", ".", "．", ".", "，", ".", ",", ".").Replace(strings.TrimSpace(s))
	s = strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return '0' + (r - '０')
		}
		if r == '－' {
			return '-'
		}
		return r
	}, s)
	neg := strings.HasPrefix(s, "-")
	if neg {
		if !allowNeg {
			return 0, false
		}
		s = s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	if s == "" || len(s) > maxPointsText || len(frac) > 2 || (whole == "" && frac == "") {
		return 0, false
	}
	var n int64
	for _, r := range whole + (frac + "00")[:2] {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int64(r-'0')
	}
	if neg {
		n = -n
	}
	return Points(n), true
}

// Tier is one band of a tiered rule: each unit from the previous tier's
// Upto (or zero) up to this Upto earns Per points. Upto 0 on the last tier
// means no upper limit. Bands are marginal, like a tax schedule: the first
// 100 person-times at one rate, the next at another.
type Tier struct {
	Upto int64  `json:"upto"`
	Per  Points `json:"per"`
}

// Rules is a rule set of the assessment. Deductions are written as the
// positive points taken off per case.
type Rules struct {
	OwnActivity   Points `json:"own_activity"`   // per activity an org ran on its own (单独开展)
	GroupService  Points `json:"group_service"`  // per group service it took part in (参与组团服务)
	PersonTimes   []Tier `json:"person_times"`   // per person-time credited to it, in tiers
	Hours         []Tier `json:"hours"`          // per hour credited to it, in tiers of whole hours
	Batch         Points `json:"batch"`          // per campaign batch it took part in
	EvalThreshold int64  `json:"eval_threshold"` // hundredths of a rating: 450 is an average of 4.5
	EvalMinCount  int64  `json:"eval_min_count"` // evaluations needed before the average counts
	EvalPoints    Points `json:"eval_points"`    // for an average at or above the threshold
	Declined      Points `json:"declined"`       // off per declined dispatch
	Overdue       Points `json:"overdue"`        // off per dispatch answered late or not at all
	Complaint     Points `json:"complaint"`      // off per upheld complaint
	Cap           Points `json:"cap"`            // most bonus points per org and year; 0 is no cap
	// Weights multiply the points of activities (own and group services) by
	// category: percent, 150 is ×1.5. A category without one weighs 100;
	// an activity of several categories takes the highest of their weights.
	Weights map[int64]int64 `json:"weights"`
}

// Default is the rule set a new city starts with (migration 026 stores the
// same as its first version).
func Default() Rules {
	return Rules{
		OwnActivity: 100, GroupService: 200,
		PersonTimes: []Tier{{Upto: 100, Per: 5}, {Upto: 0, Per: 2}},
		Hours:       []Tier{{Upto: 200, Per: 2}, {Upto: 0, Per: 1}},
		Batch:       100, EvalThreshold: 450, EvalMinCount: 1, EvalPoints: 200,
		Declined: 50, Overdue: 50, Complaint: 100, Cap: 5000,
	}
}

// Field names of the rule form, which validation errors name.
const (
	FieldOwnActivity   = "own_activity"
	FieldGroupService  = "group_service"
	FieldBatch         = "batch"
	FieldEvalThreshold = "eval_threshold"
	FieldEvalMinCount  = "eval_min_count"
	FieldEvalPoints    = "eval_points"
	FieldDeclined      = "declined"
	FieldOverdue       = "overdue"
	FieldComplaint     = "complaint"
	FieldCap           = "cap"
)

// TierField names the form field of tier i (from 1) of a tiered rule
// (person_times or hours): part is "upto" or "per".
func TierField(rule string, i int, part string) string {
	return rule + "_" + part + "_" + strconv.Itoa(i)
}

// WeightField names the weight field of a category.
func WeightField(categoryID int64) string { return "weight_" + strconv.FormatInt(categoryID, 10) }

// Validate checks a rule set and reports every fault by field: no negative
// points, no negative cap, tiers ascending without overlap and open only at
// the end, a threshold within 0–5, weights above zero.
func Validate(r Rules) error {
	var v domain.Validation
	for _, f := range []struct {
		field string
		p     Points
	}{{FieldOwnActivity, r.OwnActivity}, {FieldGroupService, r.GroupService}, {FieldBatch, r.Batch},
		{FieldEvalPoints, r.EvalPoints}, {FieldDeclined, r.Declined}, {FieldOverdue, r.Overdue},
		{FieldComplaint, r.Complaint}} {
		v.Check(f.p >= 0, f.field, "err.assess.negative")
	}
	v.Check(r.Cap >= 0, FieldCap, "err.assess.negative_cap")
	v.Check(r.EvalThreshold >= 0 && r.EvalThreshold <= 500, FieldEvalThreshold, "err.assess.threshold")
	v.Check(r.EvalMinCount >= 0, FieldEvalMinCount, "err.assess.negative")
	checkTiers(&v, "person_times", r.PersonTimes)
	checkTiers(&v, "hours", r.Hours)
	ids := make([]int64, 0, len(r.Weights))
	for id := range r.Weights {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		w := r.Weights[id]
		v.Check(w > 0 && w <= 10000, WeightField(id), "err.assess.weight")
	}
	return v.Err()
}

func checkTiers(v *domain.Validation, rule string, ts []Tier) {
	var prev int64
	for i, t := range ts {
		n := i + 1
		last := i == len(ts)-1
		switch {
		case t.Upto < 0:
			v.Add(TierField(rule, n, "upto"), "err.assess.negative")
		case t.Upto == 0 && !last:
			v.Add(TierField(rule, n, "upto"), "err.assess.tier_open")
		case t.Upto != 0 && t.Upto <= prev:
			v.Add(TierField(rule, n, "upto"), "err.assess.tier_order", prev)
		}
		v.Check(t.Per >= 0, TierField(rule, n, "per"), "err.assess.negative")
		if t.Upto > prev {
			prev = t.Upto
		}
	}
}

// tiered applies tiers to q units, where one unit of the tiers' bounds is
// unit units of q (60 for hours counted in minutes), rounding the points of
// each band half up.
func tiered(ts []Tier, q, unit int64) Points {
	var total, lo int64
	for _, t := range ts {
		hi := t.Upto * unit
		if t.Upto == 0 || hi > q {
			hi = q
		}
		if hi > lo {
			total += (int64(t.Per)*(hi-lo)*2 + unit) / (2 * unit)
			lo = hi
		}
		if lo >= q || t.Upto == 0 {
			break
		}
	}
	return Points(total)
}
