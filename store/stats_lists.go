package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"vanguard/domain"
)

// Drill-through lists (统计明细): for every figure of StatsHeadline the
// records that produce it, filtered by the same condition builders
// (statsActCond, statsTotalsCond, statsOrderCond, statsTeamCond,
// memberAtCond, groupServiceCond), so that the list's total equals the
// figure. Service lists read activity_hours itself, not the roll-up the
// headline sums: the equality of the two is the check that the roll-up is
// right.

// StatsListKind is the kind of record a drill-through list holds.
type StatsListKind string

// The kinds of drill-through list.
const (
	ListActivities  StatsListKind = "activities"  // activities held
	ListHours       StatsListKind = "hours"       // attendance rows (activity_hours)
	ListTeams       StatsListKind = "teams"       // teams
	ListMembers     StatsListKind = "members"     // people in teams
	ListOrders      StatsListKind = "orders"      // orders received
	ListEvaluations StatsListKind = "evaluations" // evaluations of orders
	ListDispatches  StatsListKind = "dispatches"  // dispatches to teams
	ListUnits       StatsListKind = "units"       // orgs whose teams joined group services
	ListOrderItems  StatsListKind = "order_items" // items of orders (the gap's demand)
	ListMenuItems   StatsListKind = "menu_items"  // menu items (the gap's supply)
	ListPeople      StatsListKind = "people"      // people willing to serve in a category
)

// StatsRecord is one line of a drill-through list; which fields are set
// depends on the list's kind.
type StatsRecord struct {
	ID         int64 // activity, team, person, order or dispatch
	ActivityID int64
	Title      string // the activity's title
	At         time.Time
	Org        string // organiser, owner or credited org
	Place      string
	Person     string
	Team       string
	Teams      int // a member's teams of the kind
	Kind       string
	State      string
	Channel    string
	Reason     string
	Rating     int
	Complaint  bool
	Answered   bool
	Value      int64 // beneficiaries, minutes or a metric's value
}

// StatsList is one page of a drill-through list and the list's totals:
// Count records, summing to Sum (beneficiaries, minutes or a metric).
type StatsList struct {
	Kind    StatsListKind
	Records []StatsRecord
	Count   int64
	Sum     int64
}

// statsListSpec is how one figure's list is read: its FROM with joins, its
// WHERE with arguments, the expression summed, the columns listed and how
// a row scans.
type statsListSpec struct {
	kind    StatsListKind
	from    string
	where   string
	args    []any
	count   string // what COUNT counts; "*" for rows
	sum     string // what SUM sums; "0" for nothing
	cols    string
	groupBy string
	orderBy string
	scan    func(rows *sql.Rows, r *StatsRecord) error
}

// activityCols are the columns of a list of activities, before its value column.
const activityCols = `a.id, a.title, a.starts_at, o.name, COALESCE(NULLIF(a.address, ''), s.name, ar.name, ''), `

func scanStatsActivity(rows *sql.Rows, r *StatsRecord) error {
	var at int64
	err := rows.Scan(&r.ID, &r.Title, &at, &r.Org, &r.Place, &r.Value)
	r.ActivityID, r.At = r.ID, fromMicros(at)
	return err
}

// StatsRecords reads page (limit rows from offset) of the list of fig under
// q, and its totals. metricID names the metric of a metric figure.
func (s *Store) StatsRecords(ctx context.Context, q StatsQuery, fig domain.Figure, metricID int64, limit, offset int) (StatsList, error) {
	sp, err := statsSpec(q, fig, metricID)
	if err != nil {
		return StatsList{}, err
	}
	return s.statsList(ctx, sp, fig, limit, offset)
}

// statsList reads page (limit rows from offset) of the list sp and its
// totals.
func (s *Store) statsList(ctx context.Context, sp statsListSpec, fig domain.Figure, limit, offset int) (StatsList, error) {
	out := StatsList{Kind: sp.kind}
	err := s.queryRow(ctx, `SELECT COUNT(`+sp.count+`), COALESCE(SUM(`+sp.sum+`), 0)`+sp.from+` WHERE `+sp.where, sp.args...).
		Scan(&out.Count, &out.Sum)
	if err != nil {
		return out, fmt.Errorf("total of %s: %w", fig, err)
	}
	if limit <= 0 {
		return out, nil
	}
	rows, err := s.query(ctx, `SELECT `+sp.cols+sp.from+` WHERE `+sp.where+sp.groupBy+` ORDER BY `+sp.orderBy+
		` LIMIT ? OFFSET ?`, append(sp.args, limit, offset)...)
	if err != nil {
		return out, fmt.Errorf("list %s: %w", fig, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r StatsRecord
		if err := sp.scan(rows, &r); err != nil {
			return out, err
		}
		out.Records = append(out.Records, r)
	}
	return out, rows.Err()
}

// statsSpec chooses the list of a figure.
func statsSpec(q StatsQuery, fig domain.Figure, metricID int64) (statsListSpec, error) {
	if strings.HasPrefix(string(fig), domain.FigMetricPrefix) {
		cond, args := statsActCond(q, true)
		return statsListSpec{kind: ListActivities, from: statsActFrom + ` JOIN outcome_values v ON v.activity_id = a.id`,
			where: cond + " AND v.metric_id = ?", args: append(args, metricID), count: "*", sum: "v.value",
			cols: activityCols + "v.value", orderBy: "a.starts_at, a.id", scan: scanStatsActivity}, nil
	}
	switch fig {
	case domain.FigActivities, domain.FigBeneficiaries, domain.FigGroupServices, domain.FigGroupBenefit:
		cond, args := statsActCond(q, true)
		switch fig {
		case domain.FigBeneficiaries:
			cond += " AND oc.beneficiaries > 0"
		case domain.FigGroupServices:
			cond += " AND " + groupServiceCond
		case domain.FigGroupBenefit:
			cond += " AND oc.beneficiaries > 0 AND " + groupServiceCond
		}
		return statsListSpec{kind: ListActivities, from: statsActFrom + ` LEFT JOIN outcomes oc ON oc.activity_id = a.id`,
			where: cond, args: args, count: "*", sum: "oc.beneficiaries",
			cols: activityCols + "COALESCE(oc.beneficiaries, 0)", orderBy: "a.starts_at, a.id", scan: scanStatsActivity}, nil
	case domain.FigPersonTimes, domain.FigMinutes, domain.FigGroupTimes:
		return hoursSpec(q, fig == domain.FigGroupTimes), nil
	case domain.FigGroupUnits:
		cond, args := statsActCond(q, true)
		return statsListSpec{kind: ListUnits, from: statsActFrom + ` JOIN activity_teams gx ON gx.activity_id = a.id
			JOIN teams gt ON gt.id = gx.team_id JOIN orgs go2 ON go2.id = gt.org_id`,
			where: cond + " AND " + groupServiceCond, args: args, count: "*", sum: "0",
			cols: "go2.id, go2.name, a.id", orderBy: "go2.id, a.id", scan: func(rows *sql.Rows, r *StatsRecord) error {
				return rows.Scan(&r.ID, &r.Org, &r.ActivityID)
			}}, nil
	case domain.FigTeamsParty, domain.FigTeamsYouth:
		cond, args := statsTeamCond(q)
		kind := domain.TeamParty
		if fig == domain.FigTeamsYouth {
			kind = domain.TeamYouth
		}
		return statsListSpec{kind: ListTeams, from: ` FROM teams t JOIN orgs g ON g.id = t.org_id`,
			where: "(t.founded_on = '' OR t.founded_on <= ?) AND t.kind = ? AND " + cond,
			args:  append([]any{lastDay(q), string(kind)}, args...), count: "*", sum: "0",
			cols: "t.id, t.name, g.name, t.founded_on", orderBy: "g.path, t.name, t.id",
			scan: func(rows *sql.Rows, r *StatsRecord) error { return rows.Scan(&r.ID, &r.Team, &r.Org, &r.Reason) }}, nil
	case domain.FigVolunteersParty, domain.FigVolunteersYouth:
		cond, args := statsTeamCond(q)
		kind := domain.TeamParty
		if fig == domain.FigVolunteersYouth {
			kind = domain.TeamYouth
		}
		last := lastDay(q)
		return statsListSpec{kind: ListMembers, from: ` FROM team_members m JOIN teams t ON t.id = m.team_id
			JOIN orgs g ON g.id = t.org_id JOIN people p ON p.id = m.person_id`,
			where: memberAtCond + " AND t.kind = ? AND " + cond, args: append([]any{last, last, string(kind)}, args...),
			count: "DISTINCT m.person_id", sum: "0",
			cols: "p.id, p.name, MIN(t.name), COUNT(*)", groupBy: " GROUP BY p.id, p.name", orderBy: "p.name, p.id",
			scan: func(rows *sql.Rows, r *StatsRecord) error { return rows.Scan(&r.ID, &r.Person, &r.Team, &r.Teams) }}, nil
	case domain.FigEvaluations, domain.FigComplaintsOpen, domain.FigComplaintsDone:
		all, args := statsOrderCond(q, false)
		cond := "e.created_at >= ? AND e.created_at < ?"
		switch fig {
		case domain.FigEvaluations:
			cond += " AND e.rating > 0"
		case domain.FigComplaintsOpen:
			cond += " AND e.complaint AND e.answered_at = 0"
		case domain.FigComplaintsDone:
			cond += " AND e.complaint AND e.answered_at > 0"
		}
		return statsListSpec{kind: ListEvaluations, from: ` FROM evaluations e`,
			where: cond + ` AND e.order_id IN (SELECT x.id` + statsOrderFrom + ` WHERE ` + all + `)`,
			args:  append([]any{micros(q.From), micros(q.To)}, args...), count: "*", sum: "e.rating",
			cols: "e.order_id, e.created_at, e.rating, e.complaint, e.answered_at", orderBy: "e.created_at, e.order_id",
			scan: func(rows *sql.Rows, r *StatsRecord) error {
				var at, answered int64
				err := rows.Scan(&r.ID, &at, &r.Rating, &r.Complaint, &answered)
				r.At, r.Answered = fromMicros(at), answered > 0
				return err
			}}, nil
	case domain.FigDispatches, domain.FigDeclines:
		all, args := statsOrderCond(q, false)
		dcond, dargs := statsDispatchCond(q)
		cond := "d.dispatched_at >= ? AND d.dispatched_at < ?"
		if fig == domain.FigDeclines {
			cond = "d.state = 'declined' AND d.answered_at >= ? AND d.answered_at < ?"
		}
		return statsListSpec{kind: ListDispatches, from: ` FROM dispatches d JOIN teams dt ON dt.id = d.team_id`,
			where: cond + ` AND d.order_id IN (SELECT x.id` + statsOrderFrom + ` WHERE ` + all + `) AND ` + dcond,
			args:  append(append([]any{micros(q.From), micros(q.To)}, args...), dargs...), count: "*", sum: "0",
			cols: "d.id, d.order_id, dt.name, d.state, d.reason, d.dispatched_at, d.answered_at", orderBy: "d.dispatched_at, d.id",
			scan: func(rows *sql.Rows, r *StatsRecord) error {
				var at, answered int64
				err := rows.Scan(&r.ID, &r.ActivityID, &r.Team, &r.State, &r.Reason, &at, &answered)
				r.At = fromMicros(at)
				if fig == domain.FigDeclines {
					r.At = fromMicros(answered)
				}
				return err
			}}, nil
	}
	for _, f := range append(append([]domain.Figure{}, domain.FunnelSteps...), domain.FigRejected, domain.FigCancelled) {
		if fig != f {
			continue
		}
		cond, args := statsOrderCond(q, true)
		if fig != domain.FigOrdered {
			cond += " AND EXISTS (SELECT 1 FROM order_steps st WHERE st.order_id = x.id AND st.to_state = ?)"
			args = append(args, string(fig))
		}
		return statsListSpec{kind: ListOrders, from: statsOrderFrom, where: cond, args: args, count: "*", sum: "0",
			cols: "x.id, x.created_at, x.state, x.channel, COALESCE(s.name, ar.name, '')", orderBy: "x.created_at, x.id",
			scan: func(rows *sql.Rows, r *StatsRecord) error {
				var at int64
				err := rows.Scan(&r.ID, &at, &r.State, &r.Channel, &r.Place)
				r.At = fromMicros(at)
				return err
			}}, nil
	}
	return statsListSpec{}, fmt.Errorf("stats list: unknown figure %q", fig)
}

// GapRecords reads page (limit rows from offset) of the list behind a cell
// of the supply–demand gap (FigGapOrders …) for the category, and its
// totals. The gap is counted by SupplyByCategory under a SupplyFilter; each
// list here is its count's FROM and WHERE kept to the category, so its
// total equals the cell.
func (s *Store) GapRecords(ctx context.Context, f SupplyFilter, fig domain.Figure, categoryID int64, limit, offset int) (StatsList, error) {
	var sp statsListSpec
	switch fig {
	case domain.FigGapOrders:
		win, args := f.orderInWindow()
		sp = statsListSpec{kind: ListOrderItems, from: ` FROM order_items oi JOIN menu_items m ON m.id = oi.menu_item_id
			JOIN orders x ON x.id = oi.order_id LEFT JOIN sites s ON s.id = x.site_id
			LEFT JOIN regions r ON r.id = x.region_id LEFT JOIN regions sr ON sr.id = s.region_id`,
			where: win + " AND m.category_id = ?", args: append(args, categoryID),
			cols: "x.id, x.created_at, x.state, COALESCE(s.name, r.name, ''), m.title", orderBy: "x.created_at, x.id, m.id",
			scan: func(rows *sql.Rows, r *StatsRecord) error {
				var at int64
				err := rows.Scan(&r.ID, &at, &r.State, &r.Place, &r.Title)
				r.At = fromMicros(at)
				return err
			}}
	case domain.FigGapItems:
		serves, args := f.itemServes()
		sp = statsListSpec{kind: ListMenuItems, from: ` FROM menu_items m`,
			where: "m.active = ? AND " + serves + " AND m.category_id = ?",
			args:  append(append([]any{true}, args...), categoryID),
			cols:  "m.id, m.title, m.created_at", orderBy: "m.created_at, m.id",
			scan: func(rows *sql.Rows, r *StatsRecord) error {
				var at int64
				err := rows.Scan(&r.ID, &r.Title, &at)
				r.At = fromMicros(at)
				return err
			}}
	case domain.FigGapTeams:
		sp = statsListSpec{kind: ListTeams, from: ` FROM team_categories tc JOIN teams t ON t.id = tc.team_id
			LEFT JOIN orgs g ON g.id = t.org_id`, where: "tc.category_id = ?", args: []any{categoryID},
			cols: "t.id, t.name, COALESCE(g.name, ''), t.founded_on", orderBy: "g.path, t.name, t.id",
			scan: func(rows *sql.Rows, r *StatsRecord) error { return rows.Scan(&r.ID, &r.Team, &r.Org, &r.Reason) }}
	case domain.FigGapWilling:
		sp = statsListSpec{kind: ListPeople, from: ` FROM person_willingness w JOIN people p ON p.id = w.person_id
			LEFT JOIN orgs g ON g.id = p.org_id`, where: "w.category_id = ?", args: []any{categoryID},
			cols: "p.id, p.name, COALESCE(g.name, '')", orderBy: "p.name, p.id",
			scan: func(rows *sql.Rows, r *StatsRecord) error { return rows.Scan(&r.ID, &r.Person, &r.Org) }}
	default:
		return StatsList{}, fmt.Errorf("gap list: unknown figure %q", fig)
	}
	sp.count, sp.sum = "*", "0"
	return s.statsList(ctx, sp, fig, limit, offset)
}

// hoursSpec lists the attendance rows credited in the query's scope, read
// from activity_hours (h) with the roll-up's own grouping rule: a row
// counts toward its team and its credited org (co).
func hoursSpec(q StatsQuery, group bool) statsListSpec {
	cond, args := statsActCond(q, false)
	if q.OrgOnly != "" {
		cond, args = cond+" AND co.path = ?", append(args, q.OrgOnly)
	}
	if q.TeamID > 0 {
		cond, args = cond+" AND h.team_id = ?", append(args, q.TeamID)
	}
	if !q.Scope.All {
		c, a := scopeOr(q.Scope, "co.path", func(marks string) string { return "h.team_id IN (" + marks + ")" })
		cond, args = cond+" AND "+c, append(args, a...)
	}
	if group {
		cond += " AND " + groupServiceCond
	}
	return statsListSpec{kind: ListHours, from: ` FROM activity_hours h JOIN activities a ON a.id = h.activity_id
		JOIN orgs o ON o.id = a.org_id LEFT JOIN sites s ON s.id = a.site_id
		LEFT JOIN regions ar ON ar.id = COALESCE(a.region_id, s.region_id)
		LEFT JOIN orgs co ON co.id = h.org_id JOIN people p ON p.id = h.person_id LEFT JOIN teams ht ON ht.id = h.team_id`,
		where: cond, args: args, count: "*", sum: "h.minutes",
		cols:    "h.person_id, p.name, a.id, a.title, a.starts_at, COALESCE(ht.name, ''), COALESCE(co.name, ''), h.minutes",
		orderBy: "a.starts_at, a.id, p.name, h.person_id",
		scan: func(rows *sql.Rows, r *StatsRecord) error {
			var at int64
			err := rows.Scan(&r.ID, &r.Person, &r.ActivityID, &r.Title, &at, &r.Team, &r.Org, &r.Value)
			r.At = fromMicros(at)
			return err
		}}
}

// lastDay is the China date of the window's last day.
func lastDay(q StatsQuery) string { return domain.ChinaDay(q.To.Add(-time.Nanosecond)) }
