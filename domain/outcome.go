package domain

import (
	"strconv"
	"strings"
	"time"
)

// Metric is a measure of outcomes the committee keeps, with its unit: trees
// planted (棵), truckloads of garbage (车), metres of fence (米) … Like a
// category it is data, not code: it is added, renamed and retired, never
// deleted, so outcomes that name it keep their meaning.
type Metric struct {
	ID      int64
	Code    string
	NameZH  string
	NameEN  string
	UnitZH  string
	UnitEN  string
	Sort    int
	Retired bool
}

// Name is the metric's name in lang ("zh-CN" or "en").
func (m Metric) Name(lang string) string {
	if lang == "en" && m.NameEN != "" {
		return m.NameEN
	}
	return m.NameZH
}

// Unit is the metric's unit in lang.
func (m Metric) Unit(lang string) string {
	if lang == "en" && m.UnitEN != "" {
		return m.UnitEN
	}
	return m.UnitZH
}

// Limits on metrics and outcomes.
const (
	MetricCodeMax       = 40
	MetricNameMax       = 40
	MetricUnitMax       = 10
	MetricSortMax       = 100000
	MaxBeneficiaries    = 1000000
	OutcomeNarrativeMax = 2000
)

// ValidMetricCode reports whether code is lower-case letters, digits and
// underscores, starting with a letter.
func ValidMetricCode(code string) bool {
	if code == "" || len(code) > MetricCodeMax || code[0] < 'a' || code[0] > 'z' {
		return false
	}
	for _, r := range code {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// Validate checks a metric's names, units and place in the order, and its
// code when it is new, and returns it trimmed.
func (m Metric) Validate(isNew bool) (Metric, error) {
	var v Validation
	if isNew {
		m.Code = strings.TrimSpace(m.Code)
		v.Check(ValidMetricCode(m.Code), "code", "err.metric.code", MetricCodeMax)
	}
	m.NameZH = ValidateName(&v, "name_zh", m.NameZH, MetricNameMax)
	m.NameEN = ValidateName(&v, "name_en", m.NameEN, 2*MetricNameMax)
	m.UnitZH = ValidateName(&v, "unit_zh", m.UnitZH, MetricUnitMax)
	m.UnitEN = ValidateName(&v, "unit_en", m.UnitEN, 2*MetricUnitMax)
	v.Check(m.Sort >= 0 && m.Sort <= MetricSortMax, "sort", "err.metric.sort", MetricSortMax)
	return m, v.Err()
}

// Quantity is a metric's value in hundredths of its unit, so that sums are
// exact on both databases: 2 t of garbage from six batches add up to 2, not
// 1.9999999.
type Quantity int64

// MaxQuantity is the largest value one activity may record for one metric:
// ten million of the unit (yuan, trees, metres …).
const MaxQuantity Quantity = 10_000_000 * 100

// Units makes a quantity of whole units.
func Units(n int64) Quantity { return Quantity(n * 100) }

// ParseQuantity reads a non-negative decimal with at most two decimal
// places, as typed: "250", "0.5", "1,200", "2.25". Full-width digits and
// separators from a Chinese keyboard are accepted.
func ParseQuantity(s string) (Quantity, bool) {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '．' || r == '。':
			return '.'
		case r == ',' || r == '，' || r == ' ' || r == '\u3000':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" && (!dot || frac == "") || len(frac) > 2 || len(whole) > 12 {
		return 0, false
	}
	if whole == "" {
		whole = "0"
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, false
			}
		}
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	return Quantity(w*100 + f), true
}

// String writes the quantity without needless decimals: 250, 0.5, 2.25.
func (q Quantity) String() string {
	neg := ""
	if q < 0 {
		neg, q = "-", -q
	}
	s := strconv.FormatInt(int64(q/100), 10)
	if f := q % 100; f != 0 {
		s += "." + strings.TrimRight(strconv.FormatInt(int64(100+f), 10)[1:], "0")
	}
	return neg + s
}

// Outcome is what came of an activity (成效): how many people benefited,
// the metrics it moved, and a narrative. An activity has at most one.
type Outcome struct {
	ActivityID    int64
	Beneficiaries int
	Narrative     string
	Values        []OutcomeValue // in the metrics' order; zero values are not kept
	RecordedBy    int64
	RecordedName  string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// OutcomeValue is one metric's value in an outcome.
type OutcomeValue struct {
	MetricID int64
	Value    Quantity
}

// Value returns the outcome's value for a metric, 0 when it has none.
func (o Outcome) Value(metricID int64) Quantity {
	for _, v := range o.Values {
		if v.MetricID == metricID {
			return v.Value
		}
	}
	return 0
}

// Summary is the outcome as the audit log records it.
func (o Outcome) Summary() map[string]any {
	vals := map[string]string{}
	for _, v := range o.Values {
		vals[strconv.FormatInt(v.MetricID, 10)] = v.Value.String()
	}
	return map[string]any{"beneficiaries": o.Beneficiaries, "narrative": o.Narrative, "metrics": vals}
}

// OutcomeForm is the outcome form as typed: the numbers stay text so that a
// form with a fault comes back as the user left it.
type OutcomeForm struct {
	Beneficiaries string
	Narrative     string
	Values        map[int64]string // metric id → value as typed
}

// MetricField is the form field of a metric's value.
func MetricField(id int64) string { return "metric_" + strconv.FormatInt(id, 10) }

// Parse checks the form against the metrics it may name and returns the
// outcome, or an invalid error naming each bad field. An empty or zero
// value records nothing for its metric.
func (f OutcomeForm) Parse(metrics []Metric) (Outcome, error) {
	var v Validation
	var o Outcome
	b := strings.TrimSpace(f.Beneficiaries)
	if b != "" {
		q, ok := ParseQuantity(b)
		switch {
		case !ok || q%100 != 0:
			v.Add("beneficiaries", "err.outcome.beneficiaries", MaxBeneficiaries)
		case q > Units(MaxBeneficiaries):
			v.Add("beneficiaries", "err.outcome.beneficiaries", MaxBeneficiaries)
		default:
			o.Beneficiaries = int(q / 100)
		}
	}
	o.Narrative = v.Text("narrative", f.Narrative, OutcomeNarrativeMax)
	known := map[int64]bool{}
	for _, m := range metrics {
		known[m.ID] = true
		s := strings.TrimSpace(f.Values[m.ID])
		if s == "" {
			continue
		}
		q, ok := ParseQuantity(s)
		switch {
		case !ok:
			v.Add(MetricField(m.ID), "err.outcome.value")
		case q > MaxQuantity:
			v.Add(MetricField(m.ID), "err.outcome.value_max", MaxQuantity.String())
		case q > 0:
			o.Values = append(o.Values, OutcomeValue{MetricID: m.ID, Value: q})
		}
	}
	for id, s := range f.Values {
		if !known[id] && strings.TrimSpace(s) != "" {
			v.Add(MetricField(id), "err.metric.not_found")
		}
	}
	return o, v.Err()
}

// Form is the outcome as the form shows it.
func (o Outcome) Form() OutcomeForm {
	f := OutcomeForm{Narrative: o.Narrative, Values: map[int64]string{}}
	if o.Beneficiaries > 0 {
		f.Beneficiaries = strconv.Itoa(o.Beneficiaries)
	}
	for _, v := range o.Values {
		f.Values[v.MetricID] = v.Value.String()
	}
	return f
}

// OutcomeOpen says whether an activity's outcome may be recorded at now:
// once it has started, until it is cancelled. It returns a conflict that
// says why not otherwise.
func OutcomeOpen(a Activity, now time.Time) error {
	switch {
	case a.State == ActivityCancelled:
		return Errorf(CodeConflict, "err.outcome.cancelled")
	case a.State == ActivityScheduled && now.Before(a.StartsAt):
		return Errorf(CodeConflict, "err.outcome.not_started")
	}
	return nil
}

// Photo limits: jpeg or png, at most 5 MB each, nine per activity.
const (
	MaxPhotoBytes        = 5 << 20
	MaxPhotosPerActivity = 9
)

// Photo is an activity's photo: the file lives outside the database under
// a random name; the row holds what is needed to serve and check it.
type Photo struct {
	ID           int64
	ActivityID   int64
	StoredName   string
	ContentType  string
	Size         int64
	SHA256       string
	Width        int
	Height       int
	UploadedBy   int64
	UploaderName string
	CreatedAt    time.Time
}

// Summary is the photo as the audit log records it.
func (p Photo) Summary() map[string]any {
	return map[string]any{"activity_id": p.ActivityID, "stored_name": p.StoredName, "content_type": p.ContentType,
		"size": p.Size, "sha256": p.SHA256}
}
