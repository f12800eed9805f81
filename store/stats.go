package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"vanguard/domain"
)

// Statistics (统计): the figures of a period within a scope, and the same
// figures broken down by one key. Three rules make every figure the total of
// a list of records (the drill-through lists in stats_lists.go build their
// WHERE clauses from the same functions):
//
//   - an activity counts when it was held (completed) and started in the
//     window; toward an org subtree by the org that organised it, toward a
//     team when the team took part;
//   - service (person-times and minutes) counts from the roll-up
//     activity_totals of those activities, toward the org and team each
//     person served for, whoever organised the activity;
//   - an order counts when it was received in the window, toward the org of
//     its site or a team it was dispatched to.

// StatsQuery is a resolved statistics filter.
type StatsQuery struct {
	Scope      domain.Scope // All, OrgPaths (subtrees) and TeamIDs are used
	From, To   time.Time    // the window [From, To)
	CategoryID int64
	RegionPath string // a region subtree; "" for everywhere
	// OrgOnly, when set, is the path of the one org whose own records count
	// (a breakdown's row for the level itself), not its children's.
	OrgOnly string
	// TeamID, when set, keeps what one team did within the scope: the
	// activities it took part in, the service credited to it, the orders
	// dispatched to it, the team itself.
	TeamID int64
	// RegionOnly keeps the records placed at RegionPath itself, not below
	// it, or with no place at all when RegionPath is "".
	RegionOnly bool
}

// regionCond is the region filter on the place column ar.
func regionCond(q StatsQuery) (string, []any) {
	switch {
	case q.RegionOnly && q.RegionPath == "":
		return "ar.id IS NULL", nil
	case q.RegionOnly:
		return "ar.path = ?", []any{q.RegionPath}
	case q.RegionPath != "":
		lo, hi := subtree(q.RegionPath)
		return "ar.path >= ? AND ar.path < ?", []any{lo, hi}
	}
	return "", nil
}

// statsActFrom joins what the activity conditions read: the organiser (o)
// and the place (ar: the activity's region, else its site's).
const statsActFrom = ` FROM activities a JOIN orgs o ON o.id = a.org_id
	LEFT JOIN sites s ON s.id = a.site_id LEFT JOIN regions ar ON ar.id = COALESCE(a.region_id, s.region_id)`

// statsActCond keeps the activities held in the window that pass the
// category and region filters; with scoped, also the query's scope.
func statsActCond(q StatsQuery, scoped bool) (string, []any) {
	conds := []string{"a.state = 'completed'", "a.starts_at >= ?", "a.starts_at < ?"}
	args := []any{micros(q.From), micros(q.To)}
	if q.CategoryID > 0 {
		conds = append(conds, "EXISTS (SELECT 1 FROM activity_categories qc WHERE qc.activity_id = a.id AND qc.category_id = ?)")
		args = append(args, q.CategoryID)
	}
	if c, a := regionCond(q); c != "" {
		conds, args = append(conds, c), append(args, a...)
	}
	if scoped && q.OrgOnly != "" {
		conds, args = append(conds, "o.path = ?"), append(args, q.OrgOnly)
	}
	if scoped && q.TeamID > 0 {
		conds = append(conds, "EXISTS (SELECT 1 FROM activity_teams qt WHERE qt.activity_id = a.id AND qt.team_id = ?)")
		args = append(args, q.TeamID)
	}
	if scoped && !q.Scope.All {
		c, a := scopeOr(q.Scope, "o.path", func(marks string) string {
			return "EXISTS (SELECT 1 FROM activity_teams qt WHERE qt.activity_id = a.id AND qt.team_id IN (" + marks + "))"
		})
		conds, args = append(conds, c), append(args, a...)
	}
	return strings.Join(conds, " AND "), args
}

// statsTotalsFrom joins the roll-up (t) to its activity and to the org the
// service is credited to (co).
const statsTotalsFrom = ` FROM activity_totals t JOIN activities a ON a.id = t.activity_id JOIN orgs o ON o.id = a.org_id
	LEFT JOIN sites s ON s.id = a.site_id LEFT JOIN regions ar ON ar.id = COALESCE(a.region_id, s.region_id)
	LEFT JOIN orgs co ON co.id = t.org_id`

// statsTotalsCond keeps the roll-up rows of the activities held in the
// window that pass the filters, credited to the query's scope.
func statsTotalsCond(q StatsQuery) (string, []any) {
	cond, args := statsActCond(q, false)
	credit, cargs := creditCond(q)
	return cond + " AND " + credit, append(args, cargs...)
}

// creditCond keeps the roll-up rows (t, credited to the org co) that are
// credited to the query's scope: the part of statsTotalsCond that is not
// about the activity.
func creditCond(q StatsQuery) (string, []any) {
	cond, args := "1=1", []any(nil)
	if q.OrgOnly != "" {
		cond, args = cond+" AND co.path = ?", append(args, q.OrgOnly)
	}
	if q.TeamID > 0 {
		cond, args = cond+" AND t.team_id = ?", append(args, q.TeamID)
	}
	if !q.Scope.All {
		c, a := scopeOr(q.Scope, "co.path", func(marks string) string { return "t.team_id IN (" + marks + ")" })
		cond, args = cond+" AND "+c, append(args, a...)
	}
	return cond, args
}

// statsOrderFrom joins an order (x) to its site's org (o) and its place.
const statsOrderFrom = ` FROM orders x LEFT JOIN sites s ON s.id = x.site_id LEFT JOIN orgs o ON o.id = s.org_id
	LEFT JOIN regions ar ON ar.id = COALESCE(x.region_id, s.region_id)`

// statsOrderCond keeps the orders in the query's scope that pass the
// category and region filters; with inWindow, only those received in the
// window.
func statsOrderCond(q StatsQuery, inWindow bool) (string, []any) {
	conds := []string{"1=1"}
	var args []any
	if inWindow {
		conds, args = append(conds, "x.created_at >= ?", "x.created_at < ?"), append(args, micros(q.From), micros(q.To))
	}
	if q.CategoryID > 0 {
		conds = append(conds, `EXISTS (SELECT 1 FROM order_items qi JOIN menu_items qm ON qm.id = qi.menu_item_id
			WHERE qi.order_id = x.id AND qm.category_id = ?)`)
		args = append(args, q.CategoryID)
	}
	if c, a := regionCond(q); c != "" {
		conds, args = append(conds, c), append(args, a...)
	}
	if q.OrgOnly != "" {
		conds, args = append(conds, "o.path = ?"), append(args, q.OrgOnly)
	}
	if q.TeamID > 0 {
		conds = append(conds, "EXISTS (SELECT 1 FROM dispatches qd WHERE qd.order_id = x.id AND qd.team_id = ?)")
		args = append(args, q.TeamID)
	}
	if !q.Scope.All {
		c, a := scopeOr(q.Scope, "o.path", func(marks string) string {
			return "EXISTS (SELECT 1 FROM dispatches qd WHERE qd.order_id = x.id AND qd.team_id IN (" + marks + "))"
		})
		// An org admin also sees orders dispatched to the teams of their subtree.
		for _, p := range q.Scope.OrgPaths {
			lo, hi := subtree(p)
			c = "(" + c + ` OR EXISTS (SELECT 1 FROM dispatches qd JOIN teams qt ON qt.id = qd.team_id JOIN orgs qo ON qo.id = qt.org_id
				WHERE qd.order_id = x.id AND qo.path >= ? AND qo.path < ?))`
			a = append(a, lo, hi)
		}
		conds, args = append(conds, c), append(args, a...)
	}
	return strings.Join(conds, " AND "), args
}

// statsDispatchCond keeps the dispatches (d) sent to the scope's teams:
// an order in scope may have gone to other units' teams too, and their
// answers are theirs. With a team chosen, only that team's.
func statsDispatchCond(q StatsQuery) (string, []any) {
	cond, args := "1=1", []any(nil)
	if !q.Scope.All {
		c, a := scopeOr(q.Scope, "dqo.path", func(marks string) string { return "dq.id IN (" + marks + ")" })
		cond = `EXISTS (SELECT 1 FROM teams dq JOIN orgs dqo ON dqo.id = dq.org_id WHERE dq.id = d.team_id AND ` + c + `)`
		args = a
	}
	if q.TeamID > 0 {
		cond, args = cond+" AND d.team_id = ?", append(args, q.TeamID)
	}
	return cond, args
}

// statsTeamCond keeps the teams of the scope (t is teams, g its org).
func statsTeamCond(q StatsQuery) (string, []any) {
	cond, args := "1=1", []any(nil)
	if !q.Scope.All {
		cond, args = scopeOr(q.Scope, "g.path", func(marks string) string { return "t.id IN (" + marks + ")" })
	}
	if q.OrgOnly != "" {
		cond, args = cond+" AND g.path = ?", append(args, q.OrgOnly)
	}
	if q.TeamID > 0 {
		cond, args = cond+" AND t.id = ?", append(args, q.TeamID)
	}
	return cond, args
}

// scopeOr is the scope as one condition: the org subtrees by pathCol, or
// the teams by the clause teams builds from their placeholders. An empty
// scope keeps nothing.
func scopeOr(sc domain.Scope, pathCol string, teams func(marks string) string) (string, []any) {
	var parts []string
	var args []any
	for _, p := range sc.OrgPaths {
		lo, hi := subtree(p)
		parts, args = append(parts, "("+pathCol+" >= ? AND "+pathCol+" < ?)"), append(args, lo, hi)
	}
	if len(sc.TeamIDs) > 0 {
		parts = append(parts, teams(strings.TrimSuffix(strings.Repeat("?,", len(sc.TeamIDs)), ",")))
		for _, id := range sc.TeamIDs {
			args = append(args, id)
		}
	}
	if len(parts) == 0 {
		return "1=0", nil
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

// StatsMeasure is what a set of activities amounts to.
type StatsMeasure struct {
	Activities    int
	Beneficiaries int64
	PersonTimes   int64
	Minutes       domain.Minutes
}

// StatsHeadline holds the figures of a query that are not per key.
type StatsHeadline struct {
	StatsMeasure
	Teams      map[domain.TeamKind]int
	Volunteers map[domain.TeamKind]int
	Metrics    map[int64]domain.Quantity // metric id → sum
	Group      StatsMeasure              // group services (组团式服务)
	GroupUnits int
	// Orders received in the window that reached each state (funnel steps
	// and ends), keyed by the state's figure.
	Funnel map[domain.Figure]int
	// Steps holds, per funnel step after the first, how long those orders
	// took to reach it from the step before: seconds, in no order.
	Steps      map[domain.Figure][]int64
	Dispatches int // dispatches sent in the window
	Declines   int // dispatches declined in the window
	// Evaluations made in the window: how many rated, the sum of ratings.
	Evaluations, RatingSum         int
	ComplaintsOpen, ComplaintsDone int
}

// StatsFigures computes the query's headline figures and reads the facts its
// breakdowns are summed from; units maps an org to its unit, for counting
// the units of group services. The independent parts run side by side.
//
// The result is kept (see statsCache) until the records change: callers
// must treat the headline's maps and slices and the facts as read-only.
func (s *Store) StatsFigures(ctx context.Context, q StatsQuery, units map[int64]int64) (StatsHeadline, *StatsFacts, error) {
	key := fmt.Sprintf("%+v", q)
	version, err := s.recordsVersion(ctx)
	if err != nil {
		return StatsHeadline{}, nil, err
	}
	if e := s.stats.get(key, version, s.now()); e != nil {
		return e.h, e.f, nil
	}
	h, f, err := s.statsFigures(ctx, q, units)
	if err == nil {
		s.stats.put(key, &statsEntry{version: version, at: s.now(), h: h, f: f})
	}
	return h, f, err
}

func (s *Store) statsFigures(ctx context.Context, q StatsQuery, units map[int64]int64) (StatsHeadline, *StatsFacts, error) {
	h := StatsHeadline{Teams: map[domain.TeamKind]int{}, Volunteers: map[domain.TeamKind]int{},
		Metrics: map[int64]domain.Quantity{}, Funnel: map[domain.Figure]int{}, Steps: map[domain.Figure][]int64{}}
	var facts *StatsFacts
	err := Parallel(
		func() (err error) {
			facts, err = s.StatsFacts(ctx, q)
			return err
		},
		func() error { return s.statsMetrics(ctx, q, &h) },
		func() error { return s.statsTeams(ctx, q, &h) },
		func() error { return s.statsFunnel(ctx, q, &h) },
		func() error { return s.statsOrders(ctx, q, &h) },
	)
	if err != nil {
		return h, nil, err
	}
	facts.headline(&h, units)
	return h, facts, nil
}

// statsMetrics sums the outcome values of the query's activities.
func (s *Store) statsMetrics(ctx context.Context, q StatsQuery, h *StatsHeadline) error {
	cond, args := statsActCond(q, true)
	rows, err := s.query(ctx, `SELECT v.metric_id, SUM(v.value)`+statsActFrom+
		` JOIN outcome_values v ON v.activity_id = a.id WHERE `+cond+` GROUP BY v.metric_id`, args...)
	if err != nil {
		return fmt.Errorf("sum metrics: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var v domain.Quantity
		if err := rows.Scan(&id, &v); err != nil {
			return err
		}
		h.Metrics[id] = v
	}
	return rows.Err()
}

// statsTeams counts the scope's teams by kind, founded by the window's end,
// and the distinct people who were members at its last day.
func (s *Store) statsTeams(ctx context.Context, q StatsQuery, h *StatsHeadline) error {
	cond, args := statsTeamCond(q)
	last := domain.ChinaDay(q.To.Add(-time.Nanosecond))
	counts, err := scanCounts(s.query(ctx, `SELECT t.kind, COUNT(*) FROM teams t JOIN orgs g ON g.id = t.org_id
		WHERE (t.founded_on = '' OR t.founded_on <= ?) AND `+cond+` GROUP BY t.kind`, append([]any{last}, args...)...))
	if err != nil {
		return fmt.Errorf("count teams: %w", err)
	}
	for k, n := range counts {
		h.Teams[domain.TeamKind(k)] = n
	}
	counts, err = scanCounts(s.query(ctx, `SELECT t.kind, COUNT(DISTINCT m.person_id) FROM team_members m
		JOIN teams t ON t.id = m.team_id JOIN orgs g ON g.id = t.org_id
		WHERE `+memberAtCond+` AND `+cond+` GROUP BY t.kind`, append([]any{last, last}, args...)...))
	if err != nil {
		return fmt.Errorf("count volunteers: %w", err)
	}
	for k, n := range counts {
		h.Volunteers[domain.TeamKind(k)] = n
	}
	return nil
}

// memberAtCond keeps memberships (m) current on a day given twice.
const memberAtCond = `m.joined_on <= ? AND (m.left_on = '' OR m.left_on > ?)`

// statsOrders counts the dispatches, declines, evaluations and complaints.
func (s *Store) statsOrders(ctx context.Context, q StatsQuery, h *StatsHeadline) error {
	all, allArgs := statsOrderCond(q, false)
	dcond, dargs := statsDispatchCond(q)
	err := s.queryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN d.dispatched_at >= ? AND d.dispatched_at < ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN d.state = 'declined' AND d.answered_at >= ? AND d.answered_at < ? THEN 1 ELSE 0 END), 0)
		FROM dispatches d WHERE d.order_id IN (SELECT x.id`+statsOrderFrom+` WHERE `+all+`) AND `+dcond+`
		AND (d.dispatched_at >= ? AND d.dispatched_at < ? OR d.answered_at >= ? AND d.answered_at < ?)`,
		append(append(append([]any{micros(q.From), micros(q.To), micros(q.From), micros(q.To)}, allArgs...), dargs...),
			micros(q.From), micros(q.To), micros(q.From), micros(q.To))...).Scan(&h.Dispatches, &h.Declines)
	if err != nil {
		return fmt.Errorf("count dispatches: %w", err)
	}
	err = s.queryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN e.rating > 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(e.rating), 0),
		COALESCE(SUM(CASE WHEN e.complaint AND e.answered_at = 0 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN e.complaint AND e.answered_at > 0 THEN 1 ELSE 0 END), 0)
		FROM evaluations e WHERE e.created_at >= ? AND e.created_at < ? AND e.order_id IN (SELECT x.id`+statsOrderFrom+` WHERE `+all+`)`,
		append([]any{micros(q.From), micros(q.To)}, allArgs...)...).
		Scan(&h.Evaluations, &h.RatingSum, &h.ComplaintsOpen, &h.ComplaintsDone)
	if err != nil {
		return fmt.Errorf("count evaluations: %w", err)
	}
	return nil
}

// StatsKey is what a breakdown groups by.
type StatsKey string

// The breakdown keys. Org and region keys are the org or region ids the
// records name; the service rolls them up to the level it shows.
const (
	ByCategory StatsKey = "category" // an activity under each of its categories
	ByTeam     StatsKey = "team"     // activities a team took part in; service credited to it
	ByOrg      StatsKey = "org"      // activities by organiser; service by credited org
	ByRegion   StatsKey = "region"   // the activity's place
	ByMonth    StatsKey = "month"    // the month the activity started, as the index into months
	// ByCategoryMonth keys are category id × 1000 + the month's index.
	ByCategoryMonth StatsKey = "category_month"
)

// StatsOrg is an org as statistics roll it up.
type StatsOrg struct {
	ID, ParentID int64
	Kind         domain.OrgKind
	Name, Path   string
}

// StatsOrgs lists every org, for rolling figures up the tree.
func (s *Store) StatsOrgs(ctx context.Context) ([]StatsOrg, error) {
	rows, err := s.query(ctx, `SELECT id, COALESCE(parent_id, 0), kind, name, path FROM orgs ORDER BY path`)
	if err != nil {
		return nil, fmt.Errorf("list orgs: %w", err)
	}
	defer rows.Close()
	var out []StatsOrg
	for rows.Next() {
		var o StatsOrg
		if err := rows.Scan(&o.ID, &o.ParentID, &o.Kind, &o.Name, &o.Path); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// funnelStates are the states an order's steps reach after submission,
// each a funnel figure.
var funnelStates = []domain.OrderState{domain.OrderAccepted, domain.OrderDispatched, domain.OrderConfirmed,
	domain.OrderServed, domain.OrderEvaluated, domain.OrderRejected, domain.OrderCancelled}

// statsFunnel counts the orders received in the window and those of them
// that reached each state, and times each funnel step from the one before,
// from one row per order: when it first reached each state.
func (s *Store) statsFunnel(ctx context.Context, q StatsQuery, h *StatsHeadline) error {
	cond, args := statsOrderCond(q, true)
	var cols strings.Builder
	for _, st := range funnelStates {
		cols.WriteString(", MIN(CASE WHEN st.to_state = '" + string(st) + "' THEN st.at END)")
	}
	rows, err := s.query(ctx, `SELECT x.created_at`+cols.String()+` FROM orders x
		LEFT JOIN order_steps st ON st.order_id = x.id
		WHERE x.id IN (SELECT x.id`+statsOrderFrom+` WHERE `+cond+`) GROUP BY x.id, x.created_at`, args...)
	if err != nil {
		return fmt.Errorf("order funnel: %w", err)
	}
	defer rows.Close()
	firsts := make([]sql.NullInt64, len(funnelStates))
	dest := make([]any, len(funnelStates)+1)
	var created int64
	dest[0] = &created
	for i := range firsts {
		dest[i+1] = &firsts[i]
	}
	reached := map[domain.Figure]int64{}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		h.Funnel[domain.FigOrdered]++
		clear(reached)
		reached[domain.FigOrdered] = created
		for i, st := range funnelStates {
			if firsts[i].Valid {
				reached[domain.Figure(st)] = firsts[i].Int64
				h.Funnel[domain.Figure(st)]++
			}
		}
		for i := 1; i < len(domain.FunnelSteps); i++ {
			prev, ok1 := reached[domain.FunnelSteps[i-1]]
			at, ok2 := reached[domain.FunnelSteps[i]]
			if ok1 && ok2 && at >= prev {
				h.Steps[domain.FunnelSteps[i]] = append(h.Steps[domain.FunnelSteps[i]], (at-prev)/1e6)
			}
		}
	}
	return rows.Err()
}
