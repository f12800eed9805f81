package service

import (
	"context"

	"vanguard/domain"
	"vanguard/store"
)

// Metrics of outcomes are data the committee keeps, as it keeps the
// categories: it adds them with their units, renames them and retires them.

// MetricUsage lists every metric, retired ones included, with how many
// outcomes record each.
func (s *Service) MetricUsage(ctx context.Context, c domain.Caller) ([]store.MetricUsage, error) {
	if err := domain.Authorize(c.Principal, domain.ActMetricManage, domain.Target{}); err != nil {
		return nil, err
	}
	return s.store.ListMetricUsage(ctx)
}

// CreateMetric adds a metric.
func (s *Service) CreateMetric(ctx context.Context, c domain.Caller, m domain.Metric) (int64, error) {
	if err := domain.Authorize(c.Principal, domain.ActMetricManage, domain.Target{}); err != nil {
		return 0, err
	}
	m, err := m.Validate(true)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		id, err = tx.CreateMetric(m)
		return err
	})
	return id, err
}

// UpdateMetric renames a metric and its unit and moves it in the order.
func (s *Service) UpdateMetric(ctx context.Context, c domain.Caller, m domain.Metric) error {
	if err := domain.Authorize(c.Principal, domain.ActMetricManage, domain.Target{}); err != nil {
		return err
	}
	before, err := s.store.MetricByID(ctx, m.ID)
	if err != nil {
		return err
	}
	if m, err = m.Validate(false); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.UpdateMetric(before, m) })
}

// SetMetricRetired retires a metric, or restores a retired one.
func (s *Service) SetMetricRetired(ctx context.Context, c domain.Caller, id int64, retired bool) error {
	if err := domain.Authorize(c.Principal, domain.ActMetricManage, domain.Target{}); err != nil {
		return err
	}
	before, err := s.store.MetricByID(ctx, id)
	if err != nil {
		return err
	}
	if before.Retired == retired {
		return nil
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.SetMetricRetired(before, retired) })
}

// OutcomeView is an activity's outcome as one caller sees it: on the
// outcome form and on the activity's page.
type OutcomeView struct {
	Activity domain.Activity
	Outcome  domain.Outcome
	Recorded bool
	// Metrics are those the form offers: the ones in use, and retired ones
	// the outcome still records.
	Metrics []domain.Metric
	// Suggested marks the metrics the form offers first: those that
	// outcomes of activities in the same categories report, and those this
	// outcome records. The rest wait behind "other metrics".
	Suggested map[int64]bool
	Photos    []domain.Photo // only when CanSeePhotos
	// CanRecord: the caller organises the activity; Closed is why the
	// outcome cannot be recorded now (a message key), if it cannot.
	CanRecord    bool
	Closed       string
	CanSeePhotos bool
	Batch        *BatchRef
	Project      *ProjectRef
}

// BatchRef names the campaign batch an activity belongs to.
type BatchRef struct {
	CampaignID   int64
	CampaignName string
	BatchID      int64
	Number       int
	Note         string
}

// ProjectRef names the brand project an activity belongs to.
type ProjectRef struct {
	ID   int64
	Name string
	Term domain.ProjectTerm
}

// MetricValue returns the outcome's value of a metric.
func (v OutcomeView) MetricValue(id int64) domain.Quantity { return v.Outcome.Value(id) }

// ActivityOutcome returns an activity's outcome for its page: anyone who
// may read the activity sees the figures; photos only those allowed.
func (s *Service) ActivityOutcome(ctx context.Context, c domain.Caller, activityID int64) (OutcomeView, error) {
	if err := domain.Authorize(c.Principal, domain.ActActivityRead, domain.Target{}); err != nil {
		return OutcomeView{}, err
	}
	a, err := s.store.ActivityByID(ctx, activityID)
	if err != nil {
		return OutcomeView{}, err
	}
	return s.outcomeView(ctx, c, a)
}

func (s *Service) outcomeView(ctx context.Context, c domain.Caller, a domain.Activity) (OutcomeView, error) {
	v := OutcomeView{Activity: a, CanRecord: domain.Can(c.Principal, domain.ActOutcomeRecord, a.Target())}
	if err := domain.OutcomeOpen(a, s.store.Now()); err != nil {
		e, _ := domain.AsError(err)
		v.Closed = e.Key
	}
	var err error
	if v.Outcome, v.Recorded, err = s.store.OutcomeByActivity(ctx, a.ID); err != nil {
		return v, err
	}
	if v.Metrics, err = s.outcomeMetrics(ctx, v.Outcome); err != nil {
		return v, err
	}
	used, err := s.store.MetricsForCategories(ctx, a.ID)
	if err != nil {
		return v, err
	}
	v.Suggested = map[int64]bool{}
	for _, m := range v.Metrics {
		if used[m.ID] > 0 || v.Outcome.Value(m.ID) > 0 {
			v.Suggested[m.ID] = true
		}
	}
	if v.CanSeePhotos, err = s.canSeePhotos(ctx, c, a); err != nil {
		return v, err
	}
	if v.CanSeePhotos {
		if v.Photos, err = s.store.ActivityPhotos(ctx, a.ID); err != nil {
			return v, err
		}
	}
	links, err := s.store.ActivityLinksOf(ctx, a.ID)
	if err != nil {
		return v, err
	}
	if links.BatchID > 0 {
		b, err := s.store.BatchByID(ctx, links.BatchID)
		if err != nil {
			return v, err
		}
		camp, err := s.store.CampaignByID(ctx, b.CampaignID)
		if err != nil {
			return v, err
		}
		v.Batch = &BatchRef{CampaignID: camp.ID, CampaignName: camp.Name, BatchID: b.ID, Number: b.Number, Note: b.Note}
	}
	if links.ProjectID > 0 {
		p, err := s.store.ProjectByID(ctx, links.ProjectID)
		if err != nil {
			return v, err
		}
		v.Project = &ProjectRef{ID: p.ID, Name: p.Name, Term: p.Term}
	}
	return v, nil
}

// outcomeMetrics are the metrics in use and the retired ones o records.
func (s *Service) outcomeMetrics(ctx context.Context, o domain.Outcome) ([]domain.Metric, error) {
	all, err := s.store.ListMetrics(ctx, true)
	if err != nil {
		return nil, err
	}
	var out []domain.Metric
	for _, m := range all {
		if !m.Retired || o.Value(m.ID) > 0 {
			out = append(out, m)
		}
	}
	return out, nil
}

// OutcomeForm returns an activity's outcome for its organisers to record.
func (s *Service) OutcomeForm(ctx context.Context, c domain.Caller, activityID int64) (OutcomeView, error) {
	a, err := s.outcomeActivity(ctx, c, activityID)
	if err != nil {
		return OutcomeView{}, err
	}
	return s.outcomeView(ctx, c, a)
}

// outcomeActivity loads an activity whose outcome the caller may record.
func (s *Service) outcomeActivity(ctx context.Context, c domain.Caller, id int64) (domain.Activity, error) {
	if err := domain.Authorize(c.Principal, domain.ActOutcomeRecord, domain.Target{}); err != nil {
		return domain.Activity{}, err
	}
	a, err := s.store.ActivityByID(ctx, id)
	if err != nil {
		return a, err
	}
	return a, domain.Authorize(c.Principal, domain.ActOutcomeRecord, a.Target())
}

// SaveOutcome records an activity's outcome, or corrects it: beneficiaries,
// metric values and a narrative. It is open once the activity has started
// and until it is cancelled; every save is audited with before and after.
func (s *Service) SaveOutcome(ctx context.Context, c domain.Caller, activityID int64, f domain.OutcomeForm) error {
	a, err := s.outcomeActivity(ctx, c, activityID)
	if err != nil {
		return err
	}
	if err := domain.OutcomeOpen(a, s.store.Now()); err != nil {
		return err
	}
	before, _, err := s.store.OutcomeByActivity(ctx, a.ID)
	if err != nil {
		return err
	}
	metrics, err := s.outcomeMetrics(ctx, before)
	if err != nil {
		return err
	}
	o, err := f.Parse(metrics)
	if err != nil {
		return err
	}
	o.ActivityID = a.ID
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.SaveOutcome(o) })
}
