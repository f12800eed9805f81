package store

import (
	"context"
	"fmt"
	"strconv"
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
	Funnel     map[domain.Figure]int
	Dispatches int // dispatches sent in the window
	Declines   int // dispatches declined in the window
	// Evaluations made in the window: how many rated, the sum of ratings.
	Evaluations, RatingSum         int
	ComplaintsOpen, ComplaintsDone int
}

// StatsHeadline computes the query's headline figures.
func (s *Store) StatsHeadline(ctx context.Context, q StatsQuery, units map[int64]int64) (StatsHeadline, error) {
	h := StatsHeadline{Teams: map[domain.TeamKind]int{}, Volunteers: map[domain.TeamKind]int{},
		Metrics: map[int64]domain.Quantity{}, Funnel: map[domain.Figure]int{}}
	cond, args := statsActCond(q, true)
	err := s.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(oc.beneficiaries), 0)`+statsActFrom+
		` LEFT JOIN outcomes oc ON oc.activity_id = a.id WHERE `+cond, args...).Scan(&h.Activities, &h.Beneficiaries)
	if err != nil {
		return h, fmt.Errorf("count activities: %w", err)
	}
	err = s.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(oc.beneficiaries), 0)`+statsActFrom+
		` LEFT JOIN outcomes oc ON oc.activity_id = a.id WHERE `+cond+" AND "+groupServiceCond, args...).
		Scan(&h.Group.Activities, &h.Group.Beneficiaries)
	if err != nil {
		return h, fmt.Errorf("count group services: %w", err)
	}
	tcond, targs := statsTotalsCond(q)
	err = s.queryRow(ctx, `SELECT COALESCE(SUM(t.person_times), 0), COALESCE(SUM(t.minutes), 0)`+statsTotalsFrom+
		` WHERE `+tcond, targs...).Scan(&h.PersonTimes, &h.Minutes)
	if err != nil {
		return h, fmt.Errorf("sum service: %w", err)
	}
	err = s.queryRow(ctx, `SELECT COALESCE(SUM(t.person_times), 0), COALESCE(SUM(t.minutes), 0)`+statsTotalsFrom+
		` WHERE `+tcond+" AND "+groupServiceCond, targs...).Scan(&h.Group.PersonTimes, &h.Group.Minutes)
	if err != nil {
		return h, fmt.Errorf("sum group service: %w", err)
	}
	if err := s.statsGroupUnits(ctx, q, units, &h); err != nil {
		return h, err
	}
	if err := s.statsMetrics(ctx, q, &h); err != nil {
		return h, err
	}
	if err := s.statsTeams(ctx, q, &h); err != nil {
		return h, err
	}
	if err := s.statsOrders(ctx, q, &h); err != nil {
		return h, err
	}
	return h, nil
}

// statsGroupUnits counts the distinct units (units maps an org to its
// unit) whose teams took part in the group services of the query.
func (s *Store) statsGroupUnits(ctx context.Context, q StatsQuery, units map[int64]int64, h *StatsHeadline) error {
	cond, args := statsActCond(q, true)
	rows, err := s.query(ctx, `SELECT DISTINCT gt.org_id`+statsActFrom+` JOIN activity_teams gx ON gx.activity_id = a.id
		JOIN teams gt ON gt.id = gx.team_id WHERE `+cond+" AND "+groupServiceCond, args...)
	if err != nil {
		return fmt.Errorf("group units: %w", err)
	}
	defer rows.Close()
	seen := map[int64]bool{}
	for rows.Next() {
		var org int64
		if err := rows.Scan(&org); err != nil {
			return err
		}
		if u, ok := units[org]; ok {
			org = u
		}
		seen[org] = true
	}
	h.GroupUnits = len(seen)
	return rows.Err()
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

// statsOrders fills the order funnel, dispatches, declines, evaluations and
// complaints.
func (s *Store) statsOrders(ctx context.Context, q StatsQuery, h *StatsHeadline) error {
	cond, args := statsOrderCond(q, true)
	var ordered int
	if err := s.queryRow(ctx, `SELECT COUNT(*)`+statsOrderFrom+` WHERE `+cond, args...).Scan(&ordered); err != nil {
		return fmt.Errorf("count orders: %w", err)
	}
	h.Funnel[domain.FigOrdered] = ordered
	reached, err := scanCounts(s.query(ctx, `SELECT st.to_state, COUNT(DISTINCT st.order_id) FROM order_steps st
		WHERE st.order_id IN (SELECT x.id`+statsOrderFrom+` WHERE `+cond+`) GROUP BY st.to_state`, args...))
	if err != nil {
		return fmt.Errorf("order funnel: %w", err)
	}
	for st, n := range reached {
		if f := domain.Figure(st); st != string(domain.OrderSubmitted) {
			h.Funnel[f] = n
		}
	}
	all, allArgs := statsOrderCond(q, false)
	dcond, dargs := statsDispatchCond(q)
	err = s.queryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN d.dispatched_at >= ? AND d.dispatched_at < ? THEN 1 ELSE 0 END), 0),
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

// StatsBreakdown computes the query's activities, beneficiaries and service
// per key. For ByMonth, months are the first instants of the months of the
// window, in order, and keys are their indexes.
func (s *Store) StatsBreakdown(ctx context.Context, q StatsQuery, by StatsKey, months []time.Time) (map[int64]*StatsMeasure, error) {
	var key, join string
	var keyArgs []any
	switch by {
	case ByCategory:
		key, join = "qk.category_id", " JOIN activity_categories qk ON qk.activity_id = a.id"
	case ByTeam:
		key, join = "qk.team_id", " JOIN activity_teams qk ON qk.activity_id = a.id"
	case ByOrg:
		key = "a.org_id"
	case ByRegion:
		key = "COALESCE(ar.id, 0)"
	case ByMonth:
		key, keyArgs = monthBucket(months)
	case ByCategoryMonth:
		key, keyArgs = monthBucket(months)
		key, join = "qk.category_id * 1000 + "+key, " JOIN activity_categories qk ON qk.activity_id = a.id"
	default:
		return nil, fmt.Errorf("stats breakdown: unknown key %q", by)
	}
	out := map[int64]*StatsMeasure{}
	at := func(k int64) *StatsMeasure {
		if out[k] == nil {
			out[k] = &StatsMeasure{}
		}
		return out[k]
	}
	cond, args := statsActCond(q, true)
	rows, err := s.query(ctx, `SELECT `+key+`, COUNT(*), COALESCE(SUM(oc.beneficiaries), 0)`+statsActFrom+join+
		` LEFT JOIN outcomes oc ON oc.activity_id = a.id WHERE `+cond+` GROUP BY 1`, append(keyArgs, args...)...)
	if err != nil {
		return nil, fmt.Errorf("activities by %s: %w", by, err)
	}
	for rows.Next() {
		var k int64
		var m StatsMeasure
		if err := rows.Scan(&k, &m.Activities, &m.Beneficiaries); err != nil {
			rows.Close()
			return nil, err
		}
		at(k).Activities, at(k).Beneficiaries = m.Activities, m.Beneficiaries
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	switch by {
	case ByTeam:
		key, join = "t.team_id", ""
	case ByOrg:
		key = "t.org_id"
	}
	tcond, targs := statsTotalsCond(q)
	rows, err = s.query(ctx, `SELECT `+key+`, SUM(t.person_times), SUM(t.minutes)`+statsTotalsFrom+join+
		` WHERE `+tcond+` GROUP BY 1`, append(keyArgs, targs...)...)
	if err != nil {
		return nil, fmt.Errorf("service by %s: %w", by, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, pt int64
		var min domain.Minutes
		if err := rows.Scan(&k, &pt, &min); err != nil {
			return nil, err
		}
		at(k).PersonTimes, at(k).Minutes = pt, min
	}
	return out, rows.Err()
}

// monthBucket is an expression that gives the index of the month an
// activity (a) started in, with its arguments.
func monthBucket(months []time.Time) (string, []any) {
	if len(months) == 0 {
		return "0", nil
	}
	var b strings.Builder
	var args []any
	b.WriteString("CASE")
	for i, m := range months[1:] {
		b.WriteString(" WHEN a.starts_at < ? THEN " + strconv.Itoa(i))
		args = append(args, micros(m))
	}
	b.WriteString(" ELSE " + strconv.Itoa(len(months)-1) + " END")
	return b.String(), args
}

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

// StatsStepTimes returns, per funnel step after the first, how long the
// orders received in the window took to reach it from the step before:
// durations in seconds, in no order.
func (s *Store) StatsStepTimes(ctx context.Context, q StatsQuery) (map[domain.Figure][]int64, error) {
	cond, args := statsOrderCond(q, true)
	rows, err := s.query(ctx, `SELECT st.order_id, x.created_at, st.to_state, MIN(st.at) FROM order_steps st
		JOIN orders x ON x.id = st.order_id
		WHERE st.order_id IN (SELECT x.id`+statsOrderFrom+` WHERE `+cond+`) GROUP BY st.order_id, x.created_at, st.to_state
		ORDER BY st.order_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("order step times: %w", err)
	}
	defer rows.Close()
	out := map[domain.Figure][]int64{}
	reached := map[domain.Figure]int64{}
	var cur int64 = -1
	flush := func() {
		for i := 1; i < len(domain.FunnelSteps); i++ {
			prev, ok1 := reached[domain.FunnelSteps[i-1]]
			at, ok2 := reached[domain.FunnelSteps[i]]
			if ok1 && ok2 && at >= prev {
				out[domain.FunnelSteps[i]] = append(out[domain.FunnelSteps[i]], (at-prev)/1e6)
			}
		}
		clear(reached)
	}
	for rows.Next() {
		var id, created, at int64
		var state string
		if err := rows.Scan(&id, &created, &state, &at); err != nil {
			return nil, err
		}
		if id != cur {
			if cur >= 0 {
				flush()
			}
			cur = id
			reached[domain.FigOrdered] = created
		}
		reached[domain.Figure(state)] = at
	}
	if cur >= 0 {
		flush()
	}
	return out, rows.Err()
}
