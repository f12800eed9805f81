package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
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
	assess.RuleBatch: `SELECT DISTINCT o.path, b.id, c.name, b.created_at, b.number, 0 FROM activities a
		JOIN campaign_batches b ON b.id = a.batch_id JOIN campaigns c ON c.id = b.campaign_id
		JOIN orgs o ON o.id = a.org_id OR o.id IN (SELECT t.org_id FROM activity_teams xt JOIN teams t ON t.id = xt.team_id WHERE xt.activity_id = a.id)
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

// AssessFacts gathers the facts of year for every org at level, or for the
// one org at path when path is not empty, keyed by org path.
func (s *Store) AssessFacts(ctx context.Context, year, level int, path string) (map[string]*assess.Facts, error) {
	cats, err := s.activityCategories(ctx, year)
	if err != nil {
		return nil, err
	}
	byOrg := map[string]map[assess.Rule][]AssessRecord{}
	for _, rule := range assess.RecordRules {
		if rule == assess.RuleHours {
			continue
		}
		rows, err := s.assessRows(ctx, year, rule, path)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
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
			rows = collapse(rows, rule)
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
