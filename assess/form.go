package assess

import (
	"strconv"
	"strings"

	"vanguard/domain"
)

// TierRows is how many tier rows the rule form offers per tiered rule.
const TierRows = 3

// Form is the rule form as typed: field name → text. It comes back filled
// when it fails.
type Form map[string]string

// FormOf writes r as a form, for the given categories.
func FormOf(r Rules, categories []int64) Form {
	f := Form{
		FieldOwnActivity: r.OwnActivity.String(), FieldGroupService: r.GroupService.String(),
		FieldBatch: r.Batch.String(), FieldEvalThreshold: Points(r.EvalThreshold).String(),
		FieldEvalMinCount: strconv.FormatInt(r.EvalMinCount, 10), FieldEvalPoints: r.EvalPoints.String(),
		FieldDeclined: r.Declined.String(), FieldOverdue: r.Overdue.String(), FieldComplaint: r.Complaint.String(),
		FieldCap: r.Cap.String(),
	}
	for rule, ts := range map[string][]Tier{"person_times": r.PersonTimes, "hours": r.Hours} {
		for i, t := range ts {
			if i >= TierRows {
				break
			}
			if t.Upto > 0 {
				f[TierField(rule, i+1, "upto")] = strconv.FormatInt(t.Upto, 10)
			}
			f[TierField(rule, i+1, "per")] = t.Per.String()
		}
	}
	for _, c := range categories {
		w, ok := r.Weights[c]
		if !ok {
			w = 100
		}
		f[WeightField(c)] = Points(w).String()
	}
	return f
}

// Rules reads the form into a rule set and validates it; every fault names
// its field. A weight of 1 is not stored.
func (f Form) Rules(categories []int64) (Rules, error) {
	var v domain.Validation
	pts := func(field string) Points {
		s := strings.TrimSpace(f[field])
		if s == "" {
			return 0
		}
		p, ok := ParsePoints(s, true)
		if !ok {
			v.Add(field, "err.assess.number")
		}
		return p
	}
	count := func(field string) int64 {
		s := strings.TrimSpace(f[field])
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n > 1e12 {
			v.Add(field, "err.assess.whole")
		}
		return n
	}
	r := Rules{OwnActivity: pts(FieldOwnActivity), GroupService: pts(FieldGroupService), Batch: pts(FieldBatch),
		EvalThreshold: int64(pts(FieldEvalThreshold)), EvalMinCount: count(FieldEvalMinCount),
		EvalPoints: pts(FieldEvalPoints), Declined: pts(FieldDeclined), Overdue: pts(FieldOverdue),
		Complaint: pts(FieldComplaint), Cap: pts(FieldCap)}
	for _, rule := range []string{"person_times", "hours"} {
		var ts []Tier
		for i := 1; i <= TierRows; i++ {
			up, per := strings.TrimSpace(f[TierField(rule, i, "upto")]), strings.TrimSpace(f[TierField(rule, i, "per")])
			if up == "" && per == "" {
				continue
			}
			ts = append(ts, Tier{Upto: count(TierField(rule, i, "upto")), Per: pts(TierField(rule, i, "per"))})
		}
		if rule == "hours" {
			r.Hours = ts
		} else {
			r.PersonTimes = ts
		}
	}
	for _, c := range categories {
		field := WeightField(c)
		if strings.TrimSpace(f[field]) == "" {
			continue
		}
		if w := pts(field); w != 100 {
			if r.Weights == nil {
				r.Weights = map[int64]int64{}
			}
			r.Weights[c] = int64(w)
		}
	}
	if err := v.Err(); err != nil {
		return r, err
	}
	return r, Validate(r)
}
