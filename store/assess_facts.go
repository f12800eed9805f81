package store

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"vanguard/assess"
	"vanguard/domain"
)

// The facts of the assessment (党建考核加分) come from one query per rule.
// Each returns the records that earn the rule's points, each with the org
// path it is credited to; the facts of every org at a level are those rows
// rolled up to the org's subtree, and the records page behind a line of an
// org's breakdown is the same query kept to that subtree. So the list
// behind a line always adds up to the line's quantity.

// AssessRecord is one record behind a line of a breakdown.
type AssessRecord struct {
	Path       string    // path of the org it is credited to
	Kind       string    // what ID is: activity, order, batch
	ID         int64     // the activity, order or batch
	Title      string    // the activity's title, the team, or the campaign
	At         time.Time // when it happened
	Quantity   int64     // person-times, rating, batch number, or 1
	Minutes    int64     // hours, in minutes, for activity totals
	Categories []int64   // an activity's categories
}

// yearWindow is the year in China: [Jan 1 00:00, next Jan 1) as micros.
func yearWindow(year int) (int64, int64) {
	lo := time.Date(year, 1, 1, 0, 0, 0, 0, domain.Shanghai)
	return micros(lo), micros(lo.AddDate(1, 0, 0))
}

// assessQueries are the queries of the rules: ? ? for the year's window,
// then whatever assessArgs adds; each selects path, id, title, at,
// quantity, minutes. %s is where a subtree condition on o.path goes.
var assessQueries = map[assess.Rule]string{
	assess.RuleOwnActivity: `SELECT o.path, a.id, a.title, a.starts_at, 1, 0 FROM activities a JOIN orgs o ON o.id = a.org_id
		WHERE a.starts_at >= ? AND a.starts_at < ? AND a.state = 'completed' AND NOT (` + groupServiceCond + `)%s`,
	assess.RuleGroupService: `SELECT DISTINCT o.path, a.id, a.title, a.starts_at, 1, 0 FROM activities a
		JOIN activity_teams xt ON xt.activity_id = a.id JOIN teams t ON t.id = xt.team_id JOIN orgs o ON o.id = t.org_id
		WHERE a.starts_at >= ? AND a.starts_at < ? AND ` + groupServiceCond + `%s`,
	assess.RulePersonTimes: `SELECT o.path, a.id, a.title, a.starts_at, SUM(x.person_times), SUM(x.minutes)
		FROM activity_totals x JOIN activities a ON a.id = x.activity_id JOIN orgs o ON o.id = x.org_id
		WHERE a.starts_at >= ? AND a.starts_at < ?%s GROUP BY o.path, a.id, a.title, a.starts_at`,
	// A batch counts for the org that ran its activity and for the orgs of
	// the teams in it. The two are a UNION joined by activity, not an OR in
	// the join to orgs, which PostgreSQL can only answer with a nested loop
	// over every org (274 s on the generated province, against 0.4 s).
	assess.RuleBatch: `SELECT DISTINCT o.path, b.id, c.name, b.created_at, b.number, 0 FROM activities a
		JOIN campaign_batches b ON b.id = a.batch_id JOIN campaigns c ON c.id = b.campaign_id
		JOIN (SELECT id AS activity_id, org_id FROM activities WHERE batch_id IS NOT NULL
			UNION SELECT xt.activity_id, t.org_id FROM activity_teams xt JOIN teams t ON t.id = xt.team_id
			JOIN activities ba ON ba.id = xt.activity_id WHERE ba.batch_id IS NOT NULL) ao ON ao.activity_id = a.id
		JOIN orgs o ON o.id = ao.org_id
		WHERE a.starts_at >= ? AND a.starts_at < ? AND a.state = 'completed'%s`,
	assess.RuleEvaluation: `SELECT DISTINCT o.path, e.order_id, '', e.created_at, e.rating, 0 FROM evaluations e
		JOIN dispatches d ON d.order_id = e.order_id AND d.state = 'confirmed' JOIN teams t ON t.id = d.team_id JOIN orgs o ON o.id = t.org_id
		WHERE e.created_at >= ? AND e.created_at < ? AND e.rating > 0%s`,
	assess.RuleDeclined: `SELECT o.path, d.order_id, t.name, d.dispatched_at, 1, d.id FROM dispatches d
		JOIN teams t ON t.id = d.team_id JOIN orgs o ON o.id = t.org_id
		WHERE d.dispatched_at >= ? AND d.dispatched_at < ? AND d.state = 'declined'%s`,
	// Overdue: answered later than domain.DispatchOverdue after it was
	// sent, or still unanswered that long after (the two extra arguments).
	assess.RuleOverdue: `SELECT o.path, d.order_id, t.name, d.dispatched_at, 1, d.id FROM dispatches d
		JOIN teams t ON t.id = d.team_id JOIN orgs o ON o.id = t.org_id
		WHERE d.dispatched_at >= ? AND d.dispatched_at < ?
		AND ((d.answered_at > 0 AND d.answered_at - d.dispatched_at > ?) OR (d.answered_at = 0 AND d.state = 'pending' AND d.dispatched_at < ?))%s`,
	assess.RuleComplaint: `SELECT DISTINCT o.path, e.order_id, '', e.created_at, 1, 0 FROM evaluations e
		JOIN dispatches d ON d.order_id = e.order_id AND d.state = 'confirmed' JOIN teams t ON t.id = d.team_id JOIN orgs o ON o.id = t.org_id
		WHERE e.created_at >= ? AND e.created_at < ? AND e.complaint = ? AND e.upheld = ?%s`,
}

// assessPersonTimesByOrg sums the rows of the person-times query per org:
// the facts need only the sums, and the year's 267,000 (activity, org)
// rows of the generated province cost 1.9 s to group by path and read,
// against 0.2 s for these sums. The join and the conditions are those of
// assessQueries[RulePersonTimes], so an org's sums equal its records'.
const assessPersonTimesByOrg = `SELECT o.path, 0, '', 0, x.person_times, x.minutes FROM (SELECT x.org_id,
		SUM(x.person_times) AS person_times, SUM(x.minutes) AS minutes
		FROM activity_totals x JOIN activities a ON a.id = x.activity_id
		WHERE a.starts_at >= ? AND a.starts_at < ? GROUP BY x.org_id) x JOIN orgs o ON o.id = x.org_id%s`

var assessKinds = map[assess.Rule]string{assess.RuleBatch: "batch", assess.RuleEvaluation: "order",
	assess.RuleDeclined: "order", assess.RuleOverdue: "order", assess.RuleComplaint: "order"}

// assessRows runs the query of rule for year, kept to the subtree at path
// when path is not empty. Hours share the person-times query.
func (s *Store) assessRows(ctx context.Context, year int, rule assess.Rule, path string) ([]AssessRecord, error) {
	if rule == assess.RuleHours {
		rule = assess.RulePersonTimes
	}
	q, ok := assessQueries[rule]
	if !ok {
		return nil, domain.Errorf(domain.CodeNotFound, "err.not_found")
	}
	return s.assessQuery(ctx, year, rule, q, path)
}

// assessQuery runs q, one of the rules' queries, for year and the subtree
// at path (all orgs when empty).
func (s *Store) assessQuery(ctx context.Context, year int, rule assess.Rule, q, path string) ([]AssessRecord, error) {
	lo, hi := yearWindow(year)
	args := []any{lo, hi}
	switch rule {
	case assess.RuleOverdue:
		args = append(args, int64(domain.DispatchOverdue/time.Microsecond), micros(s.now().Add(-domain.DispatchOverdue)))
	case assess.RuleComplaint:
		args = append(args, true, true)
	}
	cond := ""
	if path != "" {
		plo, phi := subtree(path)
		cond = " AND o.path >= ? AND o.path < ?"
		args = append(args, plo, phi)
	}
	rows, err := s.query(ctx, fmt.Sprintf(q, cond), args...)
	if err != nil {
		return nil, fmt.Errorf("assessment %s: %w", rule, err)
	}
	defer rows.Close()
	kind := assessKinds[rule]
	if kind == "" {
		kind = "activity"
	}
	var out []AssessRecord
	for rows.Next() {
		r := AssessRecord{Kind: kind}
		var at, extra int64
		if err := rows.Scan(&r.Path, &r.ID, &r.Title, &at, &r.Quantity, &extra); err != nil {
			return nil, err
		}
		r.At = fromMicros(at)
		if rule == assess.RulePersonTimes {
			r.Minutes = extra
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// activityCategories returns the categories of the activities starting in
// the year.
func (s *Store) activityCategories(ctx context.Context, year int) (map[int64][]int64, error) {
	lo, hi := yearWindow(year)
	rows, err := s.query(ctx, `SELECT ac.activity_id, ac.category_id FROM activity_categories ac
		JOIN activities a ON a.id = ac.activity_id WHERE a.starts_at >= ? AND a.starts_at < ? ORDER BY 1, 2`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("assessment categories: %w", err)
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var a, c int64
		if err := rows.Scan(&a, &c); err != nil {
			return nil, err
		}
		out[a] = append(out[a], c)
	}
	return out, rows.Err()
}

// AncestorAt returns the path of the org at level (1 is the root) above or
// at the org with path, or "" when the org lies above that level.
func AncestorAt(path string, level int) string {
	n := 0
	for i := 0; i < len(path); i++ {
		if path[i] == '/' {
			if n == level {
				return path[:i+1]
			}
			n++
		}
	}
	return ""
}

// OrgLevel is the level of an org in the tree: 1 for the root.
func OrgLevel(path string) int { return strings.Count(path, "/") - 1 }

// AssessRecords returns the records behind one line of the breakdown of
// the org at path: one row per activity, order or batch, ordered by time,
// with the same rows the facts count (so their total is the line's
// quantity).
func (s *Store) AssessRecords(ctx context.Context, year int, rule assess.Rule, path string) ([]AssessRecord, error) {
	rows, err := s.assessRows(ctx, year, rule, path)
	if err != nil {
		return nil, err
	}
	out := collapse(rows, rule)
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// collapse keeps one record per activity, order or batch of one org's
// rows: several rows of one record (teams of two of its orgs in one group
// service) count once, and person-times and minutes add up. Declined and
// overdue dispatches count per dispatch, so they are kept as they are.
func collapse(rows []AssessRecord, rule assess.Rule) []AssessRecord {
	if rule == assess.RuleDeclined || rule == assess.RuleOverdue {
		return rows
	}
	idx := map[int64]int{}
	var out []AssessRecord
	for _, r := range rows {
		if i, ok := idx[r.ID]; ok {
			if rule == assess.RulePersonTimes || rule == assess.RuleHours {
				out[i].Quantity += r.Quantity
				out[i].Minutes += r.Minutes
			}
			continue
		}
		idx[r.ID] = len(out)
		out = append(out, r)
	}
	return out
}

// assessAll runs the query of every rule with records for year (hours
// share the person-times sums), kept to the subtree at path when path is
// not empty, three at a time: on the generated province each takes up to
// a second of the database's time, most of it in one backend, so running
// them side by side shortens a recomputation on a multi-core server.
func (s *Store) assessAll(ctx context.Context, year int, path string) ([]assess.Rule, [][]AssessRecord, error) {
	var rules []assess.Rule
	for _, rule := range assess.RecordRules {
		if rule != assess.RuleHours {
			rules = append(rules, rule)
		}
	}
	results := make([][]AssessRecord, len(rules))
	errs := make([]error, len(rules))
	sem := make(chan struct{}, 3)
	var wg sync.WaitGroup
	for i, rule := range rules {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if rule == assess.RulePersonTimes {
				results[i], errs[i] = s.assessQuery(ctx, year, rule, assessPersonTimesByOrg, path)
			} else {
				results[i], errs[i] = s.assessRows(ctx, year, rule, path)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return rules, results, nil
}

// AssessFacts gathers the facts of year for every org at level, or for the
// one org at path when path is not empty, keyed by org path.
func (s *Store) AssessFacts(ctx context.Context, year, level int, path string) (map[string]*assess.Facts, error) {
	cats, err := s.activityCategories(ctx, year)
	if err != nil {
		return nil, err
	}
	rules, results, err := s.assessAll(ctx, year, path)
	if err != nil {
		return nil, err
	}
	byOrg := map[string]map[assess.Rule][]AssessRecord{}
	for i, rule := range rules {
		for _, r := range results[i] {
			key := path
			if key == "" {
				if key = AncestorAt(r.Path, level); key == "" {
					continue
				}
			}
			if byOrg[key] == nil {
				byOrg[key] = map[assess.Rule][]AssessRecord{}
			}
			byOrg[key][rule] = append(byOrg[key][rule], r)
		}
	}
	out := map[string]*assess.Facts{}
	for key, m := range byOrg {
		f := &assess.Facts{Year: year}
		for rule, rows := range m {
			if rule != assess.RulePersonTimes { // sums per org already
				rows = collapse(rows, rule)
			}
			switch rule {
			case assess.RuleOwnActivity, assess.RuleGroupService:
				as := make([]assess.Activity, len(rows))
				for i, r := range rows {
					as[i] = assess.Activity{ID: r.ID, Categories: cats[r.ID]}
				}
				sort.Slice(as, func(i, j int) bool { return as[i].ID < as[j].ID })
				if rule == assess.RuleOwnActivity {
					f.OwnActivities = as
				} else {
					f.GroupServices = as
				}
			case assess.RulePersonTimes:
				for _, r := range rows {
					f.PersonTimes += r.Quantity
					f.Minutes += domain.Minutes(r.Minutes)
				}
			case assess.RuleBatch:
				f.Batches = int64(len(rows))
			case assess.RuleEvaluation:
				for _, r := range rows {
					f.RatingSum += r.Quantity
					f.RatingCount++
				}
			case assess.RuleDeclined:
				f.Declined = int64(len(rows))
			case assess.RuleOverdue:
				f.Overdue = int64(len(rows))
			case assess.RuleComplaint:
				f.Upheld = int64(len(rows))
			}
		}
		out[key] = f
	}
	return out, nil
}
