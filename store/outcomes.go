package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"vanguard/domain"
)

// Metrics.

const metricColumns = `id, code, name_zh, name_en, unit_zh, unit_en, sort, retired`

func scanMetric(row interface{ Scan(...any) error }, extra ...any) (domain.Metric, error) {
	var m domain.Metric
	err := row.Scan(append([]any{&m.ID, &m.Code, &m.NameZH, &m.NameEN, &m.UnitZH, &m.UnitEN, &m.Sort, &m.Retired},
		extra...)...)
	return m, err
}

// ListMetrics returns the metrics in their order, retired ones too when
// retired is set.
func (s *Store) ListMetrics(ctx context.Context, retired bool) ([]domain.Metric, error) {
	cond, args := "retired = ?", []any{false}
	if retired {
		cond, args = "1=1", nil
	}
	rows, err := s.query(ctx, "SELECT "+metricColumns+" FROM metrics WHERE "+cond+" ORDER BY sort, id", args...)
	if err != nil {
		return nil, fmt.Errorf("list metrics: %w", err)
	}
	defer rows.Close()
	var out []domain.Metric
	for rows.Next() {
		m, err := scanMetric(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MetricUsage is a metric with the number of outcomes that record it.
type MetricUsage struct {
	domain.Metric
	Outcomes int
}

// ListMetricUsage returns every metric, retired ones included, each with
// how many outcomes record it.
func (s *Store) ListMetricUsage(ctx context.Context) ([]MetricUsage, error) {
	rows, err := s.query(ctx, `SELECT `+metricColumns+`,
		(SELECT COUNT(*) FROM outcome_values v WHERE v.metric_id = metrics.id) FROM metrics ORDER BY sort, id`)
	if err != nil {
		return nil, fmt.Errorf("list metric usage: %w", err)
	}
	defer rows.Close()
	var out []MetricUsage
	for rows.Next() {
		var u MetricUsage
		if u.Metric, err = scanMetric(rows, &u.Outcomes); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// MetricByID finds a metric, retired or not.
func (s *Store) MetricByID(ctx context.Context, id int64) (domain.Metric, error) {
	m, err := scanMetric(s.queryRow(ctx, "SELECT "+metricColumns+" FROM metrics WHERE id = ?", id))
	return m, notFound(err, "err.metric.not_found")
}

func metricSummary(m domain.Metric) map[string]any {
	return map[string]any{"code": m.Code, "name_zh": m.NameZH, "name_en": m.NameEN, "unit_zh": m.UnitZH,
		"unit_en": m.UnitEN, "sort": m.Sort, "retired": m.Retired}
}

// CreateMetric adds a metric and audits it. A code already in use, by a
// retired metric too, is refused as invalid.
func (tx *Tx) CreateMetric(m domain.Metric) (int64, error) {
	var n int
	if err := tx.queryRow("SELECT COUNT(*) FROM metrics WHERE code = ?", m.Code).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		return 0, domain.Invalid("code", "err.metric.code_taken")
	}
	id, err := tx.insert(`INSERT INTO metrics (code, name_zh, name_en, unit_zh, unit_en, sort, retired, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, m.Code, m.NameZH, m.NameEN, m.UnitZH, m.UnitEN, m.Sort, false, micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("create metric: %w", err)
	}
	m.Retired = false
	return id, tx.Audit("metric.create", "metric", strconv.FormatInt(id, 10), nil, metricSummary(m))
}

// UpdateMetric renames a metric and its unit in both languages and moves it
// in the order; its code stays.
func (tx *Tx) UpdateMetric(before, m domain.Metric) error {
	_, err := tx.exec("UPDATE metrics SET name_zh = ?, name_en = ?, unit_zh = ?, unit_en = ?, sort = ? WHERE id = ?",
		m.NameZH, m.NameEN, m.UnitZH, m.UnitEN, m.Sort, before.ID)
	if err != nil {
		return fmt.Errorf("update metric: %w", err)
	}
	m.Code, m.Retired = before.Code, before.Retired
	return tx.Audit("metric.update", "metric", strconv.FormatInt(before.ID, 10), metricSummary(before), metricSummary(m))
}

// SetMetricRetired retires a metric or brings it back. A retired metric
// leaves the outcome form and stays on every outcome that records it.
func (tx *Tx) SetMetricRetired(before domain.Metric, retired bool) error {
	if _, err := tx.exec("UPDATE metrics SET retired = ? WHERE id = ?", retired, before.ID); err != nil {
		return fmt.Errorf("retire metric: %w", err)
	}
	action := "metric.retire"
	if !retired {
		action = "metric.restore"
	}
	return tx.Audit(action, "metric", strconv.FormatInt(before.ID, 10),
		map[string]any{"retired": before.Retired}, map[string]any{"retired": retired})
}

// MetricIDs maps every metric's code to its id, for loaders.
func (tx *Tx) MetricIDs() (map[string]int64, error) {
	rows, err := tx.query("SELECT code, id FROM metrics")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			return nil, err
		}
		out[code] = id
	}
	return out, rows.Err()
}

// Outcomes.

// OutcomeByActivity returns an activity's outcome and whether it has one.
func (s *Store) OutcomeByActivity(ctx context.Context, activityID int64) (domain.Outcome, bool, error) {
	return readOutcome(func(q string, args ...any) *sql.Row { return s.queryRow(ctx, q, args...) },
		func(q string, args ...any) (*sql.Rows, error) { return s.query(ctx, q, args...) }, activityID)
}

func readOutcome(queryRow func(string, ...any) *sql.Row, query func(string, ...any) (*sql.Rows, error),
	activityID int64) (domain.Outcome, bool, error) {
	o := domain.Outcome{ActivityID: activityID}
	var created, updated int64
	err := queryRow(`SELECT o.beneficiaries, o.narrative, COALESCE(o.recorded_by, 0),
		COALESCE(u.display_name, ''), o.created_at, o.updated_at
		FROM outcomes o LEFT JOIN users u ON u.id = o.recorded_by WHERE o.activity_id = ?`, activityID).
		Scan(&o.Beneficiaries, &o.Narrative, &o.RecordedBy, &o.RecordedName, &created, &updated)
	if noRows(err) {
		return o, false, nil
	}
	if err != nil {
		return o, false, fmt.Errorf("outcome: %w", err)
	}
	o.CreatedAt, o.UpdatedAt = fromMicros(created), fromMicros(updated)
	rows, err := query(`SELECT v.metric_id, v.value FROM outcome_values v JOIN metrics m ON m.id = v.metric_id
		WHERE v.activity_id = ? ORDER BY m.sort, m.id`, activityID)
	if err != nil {
		return o, false, fmt.Errorf("outcome values: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v domain.OutcomeValue
		if err := rows.Scan(&v.MetricID, &v.Value); err != nil {
			return o, false, err
		}
		o.Values = append(o.Values, v)
	}
	return o, true, rows.Err()
}

// SaveOutcome writes an activity's outcome, replacing the one it had, and
// audits the outcome before and after. Two first saves at once both land:
// the insert falls back to an update.
func (tx *Tx) SaveOutcome(o domain.Outcome) error {
	before, had, err := readOutcome(tx.queryRow, tx.query, o.ActivityID)
	if err != nil {
		return err
	}
	now := micros(tx.now)
	_, err = tx.exec(`INSERT INTO outcomes (activity_id, beneficiaries, narrative, recorded_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (activity_id) DO UPDATE SET beneficiaries = excluded.beneficiaries,
		narrative = excluded.narrative, recorded_by = excluded.recorded_by, updated_at = excluded.updated_at`,
		o.ActivityID, o.Beneficiaries, o.Narrative, nullID(tx.actor.UserID), now, now)
	if err != nil {
		return fmt.Errorf("save outcome: %w", err)
	}
	if err := tx.setOutcomeValues(o.ActivityID, o.Values); err != nil {
		return err
	}
	var b map[string]any
	if had {
		b = before.Summary()
	}
	return tx.Audit("outcome.save", "activity", strconv.FormatInt(o.ActivityID, 10), b, o.Summary())
}

func (tx *Tx) setOutcomeValues(activityID int64, vals []domain.OutcomeValue) error {
	if _, err := tx.exec("DELETE FROM outcome_values WHERE activity_id = ?", activityID); err != nil {
		return err
	}
	for _, v := range vals {
		if _, err := tx.exec("INSERT INTO outcome_values (activity_id, metric_id, value) VALUES (?, ?, ?)",
			activityID, v.MetricID, int64(v.Value)); err != nil {
			return fmt.Errorf("outcome value: %w", err)
		}
	}
	return nil
}

// PastOutcome is an outcome of the demo's year, recorded at At.
type PastOutcome struct {
	domain.Outcome
	At time.Time // zero: the transaction's time
}

// LoadPastOutcomes inserts outcomes in bulk, many rows a statement, and
// audits the load as one entry.
func (tx *Tx) LoadPastOutcomes(os []PastOutcome) error {
	var outcomes, values [][]any
	for _, o := range os {
		at := micros(o.At)
		if o.At.IsZero() {
			at = micros(tx.now)
		}
		outcomes = append(outcomes, []any{o.ActivityID, o.Beneficiaries, o.Narrative, at, at})
		for _, v := range o.Values {
			values = append(values, []any{o.ActivityID, v.MetricID, int64(v.Value)})
		}
	}
	if err := tx.insertRows("outcomes", []string{"activity_id", "beneficiaries", "narrative", "created_at", "updated_at"},
		outcomes); err != nil {
		return fmt.Errorf("load outcomes: %w", err)
	}
	if err := tx.insertRows("outcome_values", []string{"activity_id", "metric_id", "value"}, values); err != nil {
		return fmt.Errorf("load outcome values: %w", err)
	}
	return tx.Audit("outcome.load", "activity", "", nil, map[string]any{"outcomes": len(os), "values": len(values)})
}

// Photos.

const photoColumns = `p.id, p.activity_id, p.stored_name, p.content_type, p.size, p.sha256, p.width, p.height,
	COALESCE(p.uploaded_by, 0), COALESCE(u.display_name, ''), p.created_at`

func scanPhoto(row interface{ Scan(...any) error }) (domain.Photo, error) {
	var p domain.Photo
	var created int64
	err := row.Scan(&p.ID, &p.ActivityID, &p.StoredName, &p.ContentType, &p.Size, &p.SHA256, &p.Width, &p.Height,
		&p.UploadedBy, &p.UploaderName, &created)
	p.CreatedAt = fromMicros(created)
	return p, err
}

// ActivityPhotos lists an activity's photos, oldest first.
func (s *Store) ActivityPhotos(ctx context.Context, activityID int64) ([]domain.Photo, error) {
	rows, err := s.query(ctx, "SELECT "+photoColumns+` FROM activity_photos p LEFT JOIN users u ON u.id = p.uploaded_by
		WHERE p.activity_id = ? ORDER BY p.id`, activityID)
	if err != nil {
		return nil, fmt.Errorf("activity photos: %w", err)
	}
	defer rows.Close()
	var out []domain.Photo
	for rows.Next() {
		p, err := scanPhoto(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PhotoByID finds a photo.
func (s *Store) PhotoByID(ctx context.Context, id int64) (domain.Photo, error) {
	p, err := scanPhoto(s.queryRow(ctx, "SELECT "+photoColumns+` FROM activity_photos p
		LEFT JOIN users u ON u.id = p.uploaded_by WHERE p.id = ?`, id))
	return p, notFound(err, "err.photo.not_found")
}

// AddPhoto records a photo whose file is already written, and audits it.
// The activity's photo count rises by a conditional update, so at most
// domain.MaxPhotosPerActivity are kept whatever the concurrency.
func (tx *Tx) AddPhoto(p domain.Photo) (int64, error) {
	res, err := tx.exec("UPDATE activities SET photo_count = photo_count + 1 WHERE id = ? AND photo_count < ?",
		p.ActivityID, domain.MaxPhotosPerActivity)
	if err != nil {
		return 0, fmt.Errorf("count photo: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, domain.Invalid("photo", "err.photo.too_many", domain.MaxPhotosPerActivity)
	}
	id, err := tx.insert(`INSERT INTO activity_photos (activity_id, stored_name, content_type, size, sha256, width, height,
		uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ActivityID, p.StoredName, p.ContentType, p.Size,
		p.SHA256, p.Width, p.Height, nullID(tx.actor.UserID), micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("add photo: %w", err)
	}
	return id, tx.Audit("photo.add", "photo", strconv.FormatInt(id, 10), nil, p.Summary())
}

// DeletePhoto removes a photo's row and audits it; the caller removes the
// file once the transaction has committed.
func (tx *Tx) DeletePhoto(p domain.Photo) error {
	res, err := tx.exec("DELETE FROM activity_photos WHERE id = ?", p.ID)
	if err != nil {
		return fmt.Errorf("delete photo: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.CodeNotFound, "err.photo.not_found")
	}
	if _, err := tx.exec("UPDATE activities SET photo_count = photo_count - 1 WHERE id = ? AND photo_count > 0",
		p.ActivityID); err != nil {
		return err
	}
	return tx.Audit("photo.delete", "photo", strconv.FormatInt(p.ID, 10), p.Summary(), nil)
}

// TookPart reports whether a person held a confirmed place in an activity
// or attended it.
func (s *Store) TookPart(ctx context.Context, activityID, personID int64) (bool, error) {
	var n int
	err := s.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM signups WHERE activity_id = ? AND person_id = ? AND state = 'confirmed')
		+ (SELECT COUNT(*) FROM activity_hours WHERE activity_id = ? AND person_id = ?)`,
		activityID, personID, activityID, personID).Scan(&n)
	return n > 0, err
}

// MetricsForCategories counts, per metric, the outcomes recorded for
// activities that share a category with activity id: the metrics that
// services of its kind report, which the outcome form offers first.
func (s *Store) MetricsForCategories(ctx context.Context, id int64) (map[int64]int, error) {
	rows, err := s.query(ctx, `SELECT ov.metric_id, COUNT(DISTINCT ov.activity_id) FROM outcome_values ov
		JOIN activity_categories ac ON ac.activity_id = ov.activity_id
		WHERE ac.category_id IN (SELECT category_id FROM activity_categories WHERE activity_id = ?)
		GROUP BY ov.metric_id`, id)
	if err != nil {
		return nil, fmt.Errorf("metrics for categories: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var m int64
		var n int
		if err := rows.Scan(&m, &n); err != nil {
			return nil, err
		}
		out[m] = n
	}
	return out, rows.Err()
}
