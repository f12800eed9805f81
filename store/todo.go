package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"vanguard/domain"
)

// The counts of the home pages' to-do lists. Each is one query that uses
// the condition of the list it links to (orderCond, activityCond,
// evaluationCond, the pool's open slot), so that a count and its list
// cannot drift apart.

// openSlot holds for an order x with a category that no pending or
// confirmed dispatch holds: the dispatch desk's pool (see DispatchPool).
const openSlot = `EXISTS (SELECT 1 FROM order_items oi JOIN menu_items m ON m.id = oi.menu_item_id
	WHERE oi.order_id = x.id AND NOT EXISTS (SELECT 1 FROM dispatches d WHERE d.order_id = oi.order_id
		AND d.category_id = m.category_id AND d.state IN ('pending', 'confirmed')))`

// inPool holds for an order x on the dispatch desk.
const inPool = `x.state IN ('accepted', 'dispatched') AND ` + openSlot

// declinedWaiting holds for an order x on the desk with a slot a team
// declined and no other team holds yet: it waits for re-dispatch.
const declinedWaiting = inPool + ` AND EXISTS (SELECT 1 FROM dispatches dd WHERE dd.order_id = x.id
	AND dd.state = 'declined' AND NOT EXISTS (SELECT 1 FROM dispatches dh WHERE dh.order_id = dd.order_id
		AND dh.category_id = dd.category_id AND dh.state IN ('pending', 'confirmed')))`

// OrderStateCount is how many orders of a scope are in one state, and how
// many of those someone other than the viewer changed since their last look
// at the work list.
type OrderStateCount struct {
	State   domain.OrderState
	Total   int
	Changed int
}

// CountOrdersByState counts the orders in f's scope by state in one
// grouped query, in the lifecycle's order, leaving out states with none.
func (s *Store) CountOrdersByState(ctx context.Context, f OrderFilter, since time.Time, viewer int64) ([]OrderStateCount, error) {
	f.State = ""
	cond, args := orderCond(f)
	rows, err := s.query(ctx, "SELECT x.state, COUNT(*), COALESCE(SUM(CASE WHEN"+changedBy+" THEN 1 ELSE 0 END), 0)"+
		orderFrom+" WHERE "+cond+" GROUP BY x.state", append([]any{micros(since), viewer}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("count orders by state: %w", err)
	}
	defer rows.Close()
	by := map[domain.OrderState]OrderStateCount{}
	for rows.Next() {
		var c OrderStateCount
		var st string
		if err := rows.Scan(&st, &c.Total, &c.Changed); err != nil {
			return nil, err
		}
		c.State = domain.OrderState(st)
		by[c.State] = c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []OrderStateCount
	for _, st := range domain.OrderStates {
		if c, ok := by[st]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// CountDispatchPool counts the orders on the dispatch desk: those
// DispatchPool lists.
func (s *Store) CountDispatchPool(ctx context.Context) (int, error) {
	return s.count(ctx, "SELECT COUNT(*) FROM orders x WHERE "+inPool)
}

// CountDeclinedWaiting counts the orders on the desk with a slot a team
// declined that waits for another team.
func (s *Store) CountDeclinedWaiting(ctx context.Context) (int, error) {
	return s.count(ctx, "SELECT COUNT(*) FROM orders x WHERE "+declinedWaiting)
}

// DeclinedWaiting returns the ids of the orders CountDeclinedWaiting
// counts, for the desk's filter.
func (s *Store) DeclinedWaiting(ctx context.Context) (map[int64]bool, error) {
	rows, err := s.query(ctx, "SELECT x.id FROM orders x WHERE "+declinedWaiting)
	if err != nil {
		return nil, fmt.Errorf("declined dispatches: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// CountOverdueDispatches counts what OverdueDispatches lists.
func (s *Store) CountOverdueDispatches(ctx context.Context, before int64) (int, error) {
	return s.count(ctx, "SELECT COUNT(*) FROM dispatches d WHERE d.state = 'pending' AND d.dispatched_at < ?", before)
}

// CountPendingAnswers counts the inbox items waiting for an answer from
// some teams: orders each team holds a pending dispatch of.
func (s *Store) CountPendingAnswers(ctx context.Context, teamIDs []int64) (int, error) {
	if len(teamIDs) == 0 {
		return 0, nil
	}
	return s.count(ctx, `SELECT COUNT(*) FROM (SELECT DISTINCT d.order_id, d.team_id FROM dispatches d
		WHERE d.state = 'pending' AND d.team_id IN (`+idList(teamIDs)+`)) q`)
}

// CountEvaluations counts what ListEvaluations lists for f.
func (s *Store) CountEvaluations(ctx context.Context, f EvaluationFilter) (int, error) {
	cond, args := evaluationCond(f)
	return s.count(ctx, "SELECT COUNT(*)"+orderFrom+" JOIN evaluations e ON e.order_id = x.id WHERE "+cond, args...)
}

// CountPendingCorrections counts what PendingCorrections lists (without its
// limit).
func (s *Store) CountPendingCorrections(ctx context.Context, sc domain.Scope) (int, error) {
	cond, args := inScope("o.path", "a.team_id", sc)
	return s.count(ctx, "SELECT COUNT(*)"+versionFrom+" WHERE v.state = 'pending' AND "+cond, args...)
}

// CountActivities counts what ListActivities lists for f.
func (s *Store) CountActivities(ctx context.Context, f ActivityFilter) (int, error) {
	cond, args := activityCond(f)
	return s.count(ctx, "SELECT COUNT(*)"+activityFrom+" WHERE "+cond, args...)
}

// CountJoinRequests counts the requests to join waiting on the activities
// f selects (f.Requests is implied).
func (s *Store) CountJoinRequests(ctx context.Context, f ActivityFilter) (int, error) {
	f.Requests = true
	cond, args := activityCond(f)
	return s.count(ctx, "SELECT COUNT(*)"+activityFrom+" JOIN signups g ON g.activity_id = a.id WHERE g.state = 'requested' AND "+
		cond, args...)
}

// unarranged holds for a confirmed order x with no activity arranged for
// it (a cancelled one does not count).
const unarranged = `x.state = 'confirmed' AND NOT EXISTS (SELECT 1 FROM activities ua
	WHERE ua.order_id = x.id AND ua.state <> 'cancelled')`

// unarrangedCond is unarranged within a scope: the committee every order;
// an org admin the orders of their subtree's sites; a team leader those
// their team confirmed. These are who may arrange the activity.
func unarrangedCond(sc domain.Scope) (string, []any) {
	if sc.All {
		return unarranged, nil
	}
	var parts []string
	var args []any
	if len(sc.OrgPaths) > 0 {
		c, a := inScope("o.path", "", sc)
		parts, args = append(parts, c), a
	}
	if len(sc.TeamIDs) > 0 {
		parts = append(parts, `EXISTS (SELECT 1 FROM dispatches ud WHERE ud.order_id = x.id AND ud.state = 'confirmed'
			AND ud.team_id IN (`+idList(sc.TeamIDs)+`))`)
	}
	if len(parts) == 0 {
		return "1=0", nil
	}
	return unarranged + " AND (" + strings.Join(parts, " OR ") + ")", args
}

// UnarrangedOrders returns the confirmed orders in scope with no activity
// yet, oldest service date first, at most limit of them, and how many
// there are.
func (s *Store) UnarrangedOrders(ctx context.Context, sc domain.Scope, limit int) ([]domain.Order, int, error) {
	cond, args := unarrangedCond(sc)
	total, err := s.count(ctx, "SELECT COUNT(*)"+orderFrom+" WHERE "+cond, args...)
	if err != nil || total == 0 {
		return nil, total, err
	}
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	rows, err := s.query(ctx, "SELECT "+orderColumns+orderFrom+" WHERE "+cond+
		fmt.Sprintf(" ORDER BY x.date_from, x.id LIMIT %d", limit), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("unarranged orders: %w", err)
	}
	defer rows.Close()
	var out []domain.Order
	for rows.Next() {
		x, err := scanOrder(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	return out, total, s.loadOrderItems(ctx, out)
}

// OrderActivities maps each of some orders to its activity arranged for it
// (the first not cancelled), for orders that have one.
func (s *Store) OrderActivities(ctx context.Context, orderIDs []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(orderIDs) == 0 {
		return out, nil
	}
	rows, err := s.query(ctx, `SELECT order_id, MIN(id) FROM activities WHERE state <> 'cancelled'
		AND order_id IN (`+idList(orderIDs)+`) GROUP BY order_id`)
	if err != nil {
		return nil, fmt.Errorf("order activities: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o, a int64
		if err := rows.Scan(&o, &a); err != nil {
			return nil, err
		}
		out[o] = a
	}
	return out, rows.Err()
}

// activeSignup holds for a sign-up g that holds or waits for a place.
const activeSignup = `g.state IN ('confirmed', 'waitlisted', 'requested')`

// CountUpcomingSignups counts a person's sign-ups that hold or wait for a
// place in a scheduled activity not yet over: the upcoming part of "my
// service" less withdrawn and turned-down ones.
func (s *Store) CountUpcomingSignups(ctx context.Context, personID int64, now time.Time) (int, error) {
	return s.count(ctx, `SELECT COUNT(*) FROM signups g JOIN activities a ON a.id = g.activity_id
		WHERE g.person_id = ? AND `+activeSignup+` AND a.state = 'scheduled' AND a.ends_at > ?`, personID, micros(now))
}

// JoinableActivities returns the scheduled activities starting after now
// that a person may sign up for or ask to join and has not yet: open-mode
// ones, those a team of theirs takes part in, and committee-led ones
// without teams (for a member of any team). With categories, only those of
// one of them. Soonest first, at most limit.
func (s *Store) JoinableActivities(ctx context.Context, personID int64, now time.Time, categories []int64, limit int) ([]domain.Activity, error) {
	member := `SELECT tm.team_id FROM team_members tm WHERE tm.person_id = ? AND tm.left_on = ''`
	cond := `a.state = 'scheduled' AND a.starts_at > ?
		AND NOT EXISTS (SELECT 1 FROM signups g WHERE g.activity_id = a.id AND g.person_id = ? AND g.state <> 'cancelled')
		AND (a.mode = 'open' OR a.team_id IN (` + member + `)
			OR a.id IN (SELECT at.activity_id FROM activity_teams at WHERE at.team_id IN (` + member + `))
			OR (a.mode = 'committee' AND NOT EXISTS (SELECT 1 FROM activity_teams at2 WHERE at2.activity_id = a.id)
				AND EXISTS (` + member + `)))`
	args := []any{micros(now), personID, personID, personID, personID}
	if len(categories) > 0 {
		cond += " AND a.id IN (SELECT ac.activity_id FROM activity_categories ac WHERE ac.category_id IN (" + idList(categories) + "))"
	}
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	rows, err := s.query(ctx, "SELECT "+activityColumns+activityFrom+" WHERE "+cond+
		fmt.Sprintf(" ORDER BY a.starts_at, a.id LIMIT %d", limit), args...)
	if err != nil {
		return nil, fmt.Errorf("joinable activities: %w", err)
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

func (s *Store) count(ctx context.Context, q string, args ...any) (int, error) {
	var n int
	if err := s.queryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	return n, nil
}
