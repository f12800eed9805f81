package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
)

// Campaigns and batches.

const campaignColumns = `c.id, c.name, c.description, c.starts_on, c.ends_on, c.created_at`

func scanCampaign(row interface{ Scan(...any) error }, extra ...any) (domain.Campaign, error) {
	var c domain.Campaign
	var created int64
	err := row.Scan(append([]any{&c.ID, &c.Name, &c.Description, &c.StartsOn, &c.EndsOn, &created}, extra...)...)
	c.CreatedAt = fromMicros(created)
	return c, err
}

// ListCampaigns returns every campaign, newest first, each with its batches
// and its number of activities.
func (s *Store) ListCampaigns(ctx context.Context) ([]domain.Campaign, error) {
	rows, err := s.query(ctx, "SELECT "+campaignColumns+`, (SELECT COUNT(*) FROM activities a
		JOIN campaign_batches b ON b.id = a.batch_id WHERE b.campaign_id = c.id AND a.state <> 'cancelled')
		FROM campaigns c ORDER BY c.starts_on DESC, c.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	var out []domain.Campaign
	for rows.Next() {
		var n int
		c, err := scanCampaign(rows, &n)
		if err != nil {
			rows.Close()
			return nil, err
		}
		c.Activities = n
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Batches, err = s.campaignBatches(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CampaignByID finds a campaign with its batches in number order.
func (s *Store) CampaignByID(ctx context.Context, id int64) (domain.Campaign, error) {
	c, err := scanCampaign(s.queryRow(ctx, "SELECT "+campaignColumns+" FROM campaigns c WHERE c.id = ?", id))
	if err != nil {
		return c, notFound(err, "err.campaign.not_found")
	}
	c.Batches, err = s.campaignBatches(ctx, id)
	return c, err
}

func (s *Store) campaignBatches(ctx context.Context, campaignID int64) ([]domain.Batch, error) {
	rows, err := s.query(ctx, `SELECT id, campaign_id, number, note, starts_on, ends_on FROM campaign_batches
		WHERE campaign_id = ? ORDER BY number`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("campaign batches: %w", err)
	}
	defer rows.Close()
	var out []domain.Batch
	for rows.Next() {
		var b domain.Batch
		if err := rows.Scan(&b.ID, &b.CampaignID, &b.Number, &b.Note, &b.StartsOn, &b.EndsOn); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// BatchByID finds a batch.
func (s *Store) BatchByID(ctx context.Context, id int64) (domain.Batch, error) {
	var b domain.Batch
	err := s.queryRow(ctx, `SELECT id, campaign_id, number, note, starts_on, ends_on FROM campaign_batches WHERE id = ?`, id).
		Scan(&b.ID, &b.CampaignID, &b.Number, &b.Note, &b.StartsOn, &b.EndsOn)
	return b, notFound(err, "err.batch.not_found")
}

// CreateCampaign adds a campaign and audits it.
func (tx *Tx) CreateCampaign(in domain.CampaignInput) (int64, error) {
	now := micros(tx.now)
	id, err := tx.insert(`INSERT INTO campaigns (name, description, starts_on, ends_on, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, in.Name, in.Description, in.StartsOn, in.EndsOn, nullID(tx.actor.UserID), now, now)
	if err != nil {
		return 0, fmt.Errorf("create campaign: %w", err)
	}
	return id, tx.Audit("campaign.create", "campaign", strconv.FormatInt(id, 10), nil, in.Summary())
}

// UpdateCampaign changes a campaign's name, description and period.
func (tx *Tx) UpdateCampaign(before domain.Campaign, in domain.CampaignInput) error {
	if _, err := tx.exec(`UPDATE campaigns SET name = ?, description = ?, starts_on = ?, ends_on = ?, updated_at = ?
		WHERE id = ?`, in.Name, in.Description, in.StartsOn, in.EndsOn, micros(tx.now), before.ID); err != nil {
		return fmt.Errorf("update campaign: %w", err)
	}
	b := domain.CampaignInput{Name: before.Name, Description: before.Description, StartsOn: before.StartsOn, EndsOn: before.EndsOn}
	return tx.Audit("campaign.update", "campaign", strconv.FormatInt(before.ID, 10), b.Summary(), in.Summary())
}

// AddBatch adds the next batch of a campaign, numbered after the last, and
// audits it.
func (tx *Tx) AddBatch(campaignID int64, in domain.BatchInput) (domain.Batch, error) {
	b := domain.Batch{CampaignID: campaignID, Note: in.Note, StartsOn: in.StartsOn, EndsOn: in.EndsOn}
	if err := tx.queryRow("SELECT COALESCE(MAX(number), 0) + 1 FROM campaign_batches WHERE campaign_id = ?", campaignID).
		Scan(&b.Number); err != nil {
		return b, err
	}
	if b.Number > domain.MaxBatches {
		return b, domain.Errorf(domain.CodeConflict, "err.batch.too_many", domain.MaxBatches)
	}
	var err error
	b.ID, err = tx.insert(`INSERT INTO campaign_batches (campaign_id, number, note, starts_on, ends_on, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, campaignID, b.Number, b.Note, b.StartsOn, b.EndsOn, micros(tx.now))
	if isUniqueViolation(err) {
		return b, domain.Errorf(domain.CodeConflict, "err.batch.taken")
	}
	if err != nil {
		return b, fmt.Errorf("add batch: %w", err)
	}
	return b, tx.Audit("campaign.batch_add", "campaign", strconv.FormatInt(campaignID, 10), nil,
		map[string]any{"batch_id": b.ID, "number": b.Number, "note": b.Note, "starts_on": b.StartsOn, "ends_on": b.EndsOn})
}

// ActivityLinks are the batch and project an activity belongs to, 0 for
// none.
type ActivityLinks struct {
	BatchID, ProjectID int64
}

// ActivityLinksOf returns the batch and project of an activity.
func (s *Store) ActivityLinksOf(ctx context.Context, activityID int64) (ActivityLinks, error) {
	var l ActivityLinks
	err := s.queryRow(ctx, "SELECT COALESCE(batch_id, 0), COALESCE(project_id, 0) FROM activities WHERE id = ?", activityID).
		Scan(&l.BatchID, &l.ProjectID)
	return l, notFound(err, "err.activity.not_found")
}

// SetActivityBatch puts an activity in a batch (0: takes it out of the one
// it is in) and audits the move with the batch before and after.
func (tx *Tx) SetActivityBatch(activityID, before, batchID int64) error {
	if _, err := tx.exec("UPDATE activities SET batch_id = ?, updated_at = ? WHERE id = ?",
		nullID(batchID), micros(tx.now), activityID); err != nil {
		return fmt.Errorf("set batch: %w", err)
	}
	action := "campaign.assign"
	if batchID == 0 {
		action = "campaign.unassign"
	}
	return tx.Audit(action, "activity", strconv.FormatInt(activityID, 10),
		map[string]any{"batch_id": before}, map[string]any{"batch_id": batchID})
}

// SetBatchActivities puts activities in a batch in bulk, for loaders, and
// audits it as one entry.
func (tx *Tx) SetBatchActivities(batchID int64, ids []int64) error {
	if len(ids) > 0 {
		if _, err := tx.exec("UPDATE activities SET batch_id = ? WHERE id IN ("+idList(ids)+")", batchID); err != nil {
			return err
		}
	}
	return tx.Audit("campaign.assign", "batch", strconv.FormatInt(batchID, 10), nil, map[string]any{"activities": ids})
}

// activitiesWhere lists activities matching a condition on a (activities)
// with their details.
func (s *Store) activitiesWhere(ctx context.Context, cond string, args []any, order string, limit int) ([]domain.Activity, error) {
	rows, err := s.query(ctx, "SELECT "+activityColumns+activityFrom+" WHERE "+cond+" ORDER BY "+order+" LIMIT ?",
		append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list activities: %w", err)
	}
	var out []domain.Activity
	for rows.Next() {
		a, err := scanActivity(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.loadActivityDetails(ctx, out)
}

// CampaignActivities lists the activities of a campaign's batches by start,
// cancelled ones too, with their batch ids.
func (s *Store) CampaignActivities(ctx context.Context, campaignID int64) (map[int64][]domain.Activity, error) {
	rows, err := s.query(ctx, `SELECT a.id, a.batch_id FROM activities a JOIN campaign_batches b ON b.id = a.batch_id
		WHERE b.campaign_id = ?`, campaignID)
	if err != nil {
		return nil, err
	}
	batchOf := map[int64]int64{}
	for rows.Next() {
		var id, b int64
		if err := rows.Scan(&id, &b); err != nil {
			rows.Close()
			return nil, err
		}
		batchOf[id] = b
	}
	rows.Close()
	as, err := s.activitiesWhere(ctx, "a.batch_id IN (SELECT id FROM campaign_batches WHERE campaign_id = ?)",
		[]any{campaignID}, "a.starts_at, a.id", 2000)
	if err != nil {
		return nil, err
	}
	out := map[int64][]domain.Activity{}
	for _, a := range as {
		out[batchOf[a.ID]] = append(out[batchOf[a.ID]], a)
	}
	return out, nil
}

// BatchCandidates lists activities starting within [from, to] (dates, China
// time) that are in no batch and not cancelled: what may join a batch.
func (s *Store) BatchCandidates(ctx context.Context, from, to string) ([]domain.Activity, error) {
	lo, err := time.ParseInLocation("2006-01-02", from, domain.ChinaZone)
	if err != nil {
		return nil, nil
	}
	hi := lo.AddDate(1, 0, 0)
	if t, err := time.ParseInLocation("2006-01-02", to, domain.ChinaZone); err == nil {
		hi = t.AddDate(0, 0, 1)
	}
	return s.activitiesWhere(ctx, "a.batch_id IS NULL AND a.state <> 'cancelled' AND a.starts_at >= ? AND a.starts_at < ?",
		[]any{micros(lo), micros(hi)}, "a.starts_at, a.id", 300)
}

// Sums.

// sumsBy adds up the activities matching cond (on a, activities), grouped
// by groupCol (a column of a), or in one total when groupCol is empty.
// Cancelled activities count nothing.
func (s *Store) sumsBy(ctx context.Context, groupCol, cond string, args []any) (map[int64]*domain.Sums, error) {
	return s.sumsByJoin(ctx, "", groupCol, cond, args)
}

// sumsByJoin is sumsBy with join (a JOIN clause on a) added to each query,
// so that groupCol may be a column of a joined table. A joined column, not
// a subquery per row: on PostgreSQL a per-row subquery over the hours of
// a year makes the plan cost enough to be compiled (JIT) first, which took
// longer than the query itself.
func (s *Store) sumsByJoin(ctx context.Context, join, groupCol, cond string, args []any) (map[int64]*domain.Sums, error) {
	sel, group, groupM := "0", "", "GROUP BY v.metric_id"
	if groupCol != "" {
		sel, group, groupM = groupCol, "GROUP BY "+groupCol, "GROUP BY "+groupCol+", v.metric_id"
	}
	cond = "(" + cond + ") AND a.state <> 'cancelled'"
	out := map[int64]*domain.Sums{}
	get := func(g int64) *domain.Sums {
		if out[g] == nil {
			out[g] = &domain.Sums{}
		}
		return out[g]
	}
	scan := func(q string, fn func(rows interface{ Scan(...any) error }) error) error {
		rows, err := s.query(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("sums: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	err := scan("SELECT "+sel+", COUNT(*) FROM activities a "+join+" WHERE "+cond+" "+group, func(r interface{ Scan(...any) error }) error {
		var g int64
		var n int
		if err := r.Scan(&g, &n); err != nil {
			return err
		}
		get(g).Activities = n
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scan("SELECT "+sel+`, COUNT(DISTINCT h.person_id), COUNT(*), COALESCE(SUM(h.minutes), 0)
		FROM activity_hours h JOIN activities a ON a.id = h.activity_id `+join+` WHERE `+cond+" "+group,
		func(r interface{ Scan(...any) error }) error {
			var g int64
			var people, times int
			var minutes domain.Minutes
			if err := r.Scan(&g, &people, &times, &minutes); err != nil {
				return err
			}
			x := get(g)
			x.People, x.PersonTimes, x.Minutes = people, times, minutes
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = scan("SELECT "+sel+`, CAST(COALESCE(SUM(o.beneficiaries), 0) AS BIGINT)
		FROM outcomes o JOIN activities a ON a.id = o.activity_id `+join+` WHERE `+cond+" "+group,
		func(r interface{ Scan(...any) error }) error {
			var g int64
			var n int
			if err := r.Scan(&g, &n); err != nil {
				return err
			}
			get(g).Beneficiaries = n
			return nil
		})
	if err != nil {
		return nil, err
	}
	metrics, err := s.ListMetrics(ctx, true)
	if err != nil {
		return nil, err
	}
	totals := map[int64]map[int64]domain.Quantity{}
	err = scan("SELECT "+sel+`, v.metric_id, CAST(SUM(v.value) AS BIGINT)
		FROM outcome_values v JOIN activities a ON a.id = v.activity_id `+join+` WHERE `+cond+" "+groupM,
		func(r interface{ Scan(...any) error }) error {
			var g, m int64
			var q int64
			if err := r.Scan(&g, &m, &q); err != nil {
				return err
			}
			if totals[g] == nil {
				totals[g] = map[int64]domain.Quantity{}
			}
			totals[g][m] = domain.Quantity(q)
			return nil
		})
	if err != nil {
		return nil, err
	}
	for g, byMetric := range totals {
		x := get(g)
		for _, m := range metrics {
			if q, ok := byMetric[m.ID]; ok && q > 0 {
				x.Metrics = append(x.Metrics, domain.MetricSum{Metric: m, Value: q})
			}
		}
	}
	return out, nil
}

// CampaignSums adds up a campaign's activities per batch and in total:
// activities, people (distinct volunteers who attended), person-times,
// hours, beneficiaries and every metric.
func (s *Store) CampaignSums(ctx context.Context, campaignID int64) (map[int64]domain.Sums, domain.Sums, error) {
	cond := "a.batch_id IN (SELECT id FROM campaign_batches WHERE campaign_id = ?)"
	per, err := s.sumsBy(ctx, "a.batch_id", cond, []any{campaignID})
	if err != nil {
		return nil, domain.Sums{}, err
	}
	total, err := s.sumsBy(ctx, "", cond, []any{campaignID})
	if err != nil {
		return nil, domain.Sums{}, err
	}
	out := map[int64]domain.Sums{}
	for g, x := range per {
		out[g] = *x
	}
	var t domain.Sums
	if x := total[0]; x != nil {
		t = *x
	}
	return out, t, nil
}

// idList writes ids for an IN (…) list: integers, never text from a user.
func idList(ids []int64) string {
	in := make([]string, len(ids))
	for i, id := range ids {
		in[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(in, ",")
}

// OutcomesOf returns the outcomes of activities, by activity id.
func (s *Store) OutcomesOf(ctx context.Context, ids []int64) (map[int64]domain.Outcome, error) {
	out := map[int64]domain.Outcome{}
	if len(ids) == 0 {
		return out, nil
	}
	list := idList(ids)
	rows, err := s.query(ctx, "SELECT activity_id, beneficiaries, narrative FROM outcomes WHERE activity_id IN ("+list+")")
	if err != nil {
		return nil, fmt.Errorf("outcomes: %w", err)
	}
	for rows.Next() {
		var o domain.Outcome
		if err := rows.Scan(&o.ActivityID, &o.Beneficiaries, &o.Narrative); err != nil {
			rows.Close()
			return nil, err
		}
		out[o.ActivityID] = o
	}
	rows.Close()
	rows, err = s.query(ctx, `SELECT v.activity_id, v.metric_id, v.value FROM outcome_values v
		JOIN metrics m ON m.id = v.metric_id WHERE v.activity_id IN (`+list+`) ORDER BY m.sort, m.id`)
	if err != nil {
		return nil, fmt.Errorf("outcome values: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var aid int64
		var v domain.OutcomeValue
		if err := rows.Scan(&aid, &v.MetricID, &v.Value); err != nil {
			return nil, err
		}
		o := out[aid]
		o.ActivityID = aid
		o.Values = append(o.Values, v)
		out[aid] = o
	}
	return out, rows.Err()
}

// Brand projects.

const projectColumns = `p.id, p.name, p.term, p.org_id, o.name, o.path, COALESCE(p.team_id, 0), COALESCE(t.name, ''),
	p.description, p.started_on, p.ended_on, p.created_at, p.updated_at,
	(SELECT COUNT(*) FROM activities a WHERE a.project_id = p.id AND a.state <> 'cancelled'),
	(SELECT COUNT(*) FROM activity_hours h JOIN activities a ON a.id = h.activity_id WHERE a.project_id = p.id),
	(SELECT COALESCE(MAX(a.starts_at), 0) FROM activities a WHERE a.project_id = p.id AND a.state <> 'cancelled')`

const projectFrom = ` FROM projects p JOIN orgs o ON o.id = p.org_id LEFT JOIN teams t ON t.id = p.team_id`

func scanProject(row interface{ Scan(...any) error }) (domain.Project, error) {
	var p domain.Project
	var term string
	var created, updated, last int64
	err := row.Scan(&p.ID, &p.Name, &term, &p.OrgID, &p.OrgName, &p.OrgPath, &p.TeamID, &p.TeamName,
		&p.Description, &p.StartedOn, &p.EndedOn, &created, &updated, &p.Activities, &p.PersonTimes, &last)
	p.Term = domain.ProjectTerm(term)
	p.CreatedAt, p.UpdatedAt = fromMicros(created), fromMicros(updated)
	if last > 0 {
		p.LastOn = domain.ChinaDay(fromMicros(last))
	}
	return p, err
}

// ListProjects returns the projects a scope covers (by the owner's org
// subtree or team), long-term first, then by name.
func (s *Store) ListProjects(ctx context.Context, sc domain.Scope) ([]domain.Project, error) {
	cond, args := inScope("o.path", "p.team_id", sc)
	rows, err := s.query(ctx, "SELECT "+projectColumns+projectFrom+" WHERE "+cond+
		" ORDER BY CASE WHEN p.term = 'long' THEN 0 ELSE 1 END, p.started_on DESC, p.id", args...)
	if err != nil {
		return nil, fmt.Errorf("list projects: %w", err)
	}
	defer rows.Close()
	var out []domain.Project
	for rows.Next() {
		p, err := scanProject(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ProjectByID finds a project.
func (s *Store) ProjectByID(ctx context.Context, id int64) (domain.Project, error) {
	p, err := scanProject(s.queryRow(ctx, "SELECT "+projectColumns+projectFrom+" WHERE p.id = ?", id))
	return p, notFound(err, "err.project.not_found")
}

// CreateProject adds a project and audits it.
func (tx *Tx) CreateProject(in domain.ProjectInput) (int64, error) {
	now := micros(tx.now)
	id, err := tx.insert(`INSERT INTO projects (name, term, org_id, team_id, description, started_on, ended_on, created_by,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, in.Name, string(in.Term), in.OrgID, nullID(in.TeamID),
		in.Description, in.StartedOn, in.EndedOn, nullID(tx.actor.UserID), now, now)
	if err != nil {
		return 0, fmt.Errorf("create project: %w", err)
	}
	return id, tx.Audit("project.create", "project", strconv.FormatInt(id, 10), nil, in.Summary())
}

// UpdateProject changes a project.
func (tx *Tx) UpdateProject(before domain.Project, in domain.ProjectInput) error {
	if _, err := tx.exec(`UPDATE projects SET name = ?, term = ?, org_id = ?, team_id = ?, description = ?, started_on = ?,
		ended_on = ?, updated_at = ? WHERE id = ?`, in.Name, string(in.Term), in.OrgID, nullID(in.TeamID), in.Description,
		in.StartedOn, in.EndedOn, micros(tx.now), before.ID); err != nil {
		return fmt.Errorf("update project: %w", err)
	}
	b := domain.ProjectInput{Name: before.Name, Term: before.Term, TeamID: before.TeamID, OrgID: before.OrgID,
		Description: before.Description, StartedOn: before.StartedOn, EndedOn: before.EndedOn}
	return tx.Audit("project.update", "project", strconv.FormatInt(before.ID, 10), b.Summary(), in.Summary())
}

// SetActivityProject links an activity to a project (0: unlinks it) and
// audits it.
func (tx *Tx) SetActivityProject(activityID, before, projectID int64) error {
	if _, err := tx.exec("UPDATE activities SET project_id = ?, updated_at = ? WHERE id = ?",
		nullID(projectID), micros(tx.now), activityID); err != nil {
		return fmt.Errorf("set project: %w", err)
	}
	action := "project.link"
	if projectID == 0 {
		action = "project.unlink"
	}
	return tx.Audit(action, "activity", strconv.FormatInt(activityID, 10),
		map[string]any{"project_id": before}, map[string]any{"project_id": projectID})
}

// SetProjectActivities links activities to a project in bulk, for loaders,
// and audits it as one entry.
func (tx *Tx) SetProjectActivities(projectID int64, ids []int64) error {
	if len(ids) > 0 {
		if _, err := tx.exec("UPDATE activities SET project_id = ? WHERE id IN ("+idList(ids)+")", projectID); err != nil {
			return err
		}
	}
	return tx.Audit("project.link", "project", strconv.FormatInt(projectID, 10), nil, map[string]any{"activities": ids})
}

// ProjectActivities lists a project's activities by date, newest first.
func (s *Store) ProjectActivities(ctx context.Context, projectID int64) ([]domain.Activity, error) {
	return s.activitiesWhere(ctx, "a.project_id = ?", []any{projectID}, "a.starts_at DESC, a.id DESC", 1000)
}

// ProjectSums adds up a project's activities.
func (s *Store) ProjectSums(ctx context.Context, projectID int64) (domain.Sums, error) {
	m, err := s.sumsBy(ctx, "", "a.project_id = ?", []any{projectID})
	if err != nil || m[0] == nil {
		return domain.Sums{}, err
	}
	return *m[0], nil
}

// ProjectCandidates lists recent activities that may join a project: those
// of its team (or, for a project without a team, organised within its org's
// subtree) in no project and not cancelled, newest first.
func (s *Store) ProjectCandidates(ctx context.Context, p domain.Project) ([]domain.Activity, error) {
	cond := "a.project_id IS NULL AND a.state <> 'cancelled'"
	var args []any
	if p.TeamID > 0 {
		cond += " AND a.id IN (SELECT activity_id FROM activity_teams WHERE team_id = ?)"
		args = append(args, p.TeamID)
	} else {
		lo, hi := subtree(p.OrgPath)
		cond += " AND o.path >= ? AND o.path < ?"
		args = append(args, lo, hi)
	}
	return s.activitiesWhere(ctx, cond, args, "a.starts_at DESC, a.id DESC", 200)
}
