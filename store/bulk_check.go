package store

import (
	"context"
	"fmt"
)

// BulkCheck counts the rows of loaded data that break a rule the
// application keeps; every count is zero for consistent data. The generator's
// test runs it, and an operator may after a load.
type BulkCheck struct {
	HoursNotCompleted   int // hours of an activity that is not completed
	HoursWithoutPair    int // hours of a person with no attendance in that activity
	PairsWithoutHours   int // attendance of a completed activity that earned no hours
	HoursOutsideTeam    int // hours credited to a team the person was not in on the day
	HoursOutsideYear    int // hours of an activity outside [from, to)
	TakenMismatch       int // activities whose taken is not their confirmed sign-ups
	OverCapacity        int // activities with more confirmed sign-ups than places
	StepsOutOfOrder     int // order steps earlier than the step before them
	StepsBrokenChain    int // order steps that do not start where the one before ended
	OrdersWrongState    int // orders whose state is not their last step's
	ServedWithoutAct    int // served or evaluated orders with no completed activity
	GroupActivityTeams  int // order activities with a team the order was not confirmed by
	EvaluationsNotFinal int // evaluations of orders not evaluated
}

// CheckBulk runs the checks over activities that start in [from, to)
// (microseconds).
func (s *Store) CheckBulk(ctx context.Context, from, to int64) (BulkCheck, error) {
	var c BulkCheck
	for _, q := range []struct {
		n     *int
		query string
		args  []any
	}{
		{&c.HoursNotCompleted, `SELECT COUNT(*) FROM activity_hours h JOIN activities a ON a.id = h.activity_id WHERE a.state <> 'completed'`, nil},
		{&c.HoursWithoutPair, `SELECT COUNT(*) FROM activity_hours h WHERE NOT EXISTS (SELECT 1 FROM attendance x
			WHERE x.activity_id = h.activity_id AND x.person_id = h.person_id)`, nil},
		{&c.PairsWithoutHours, `SELECT COUNT(*) FROM attendance x JOIN activities a ON a.id = x.activity_id
			WHERE a.state = 'completed' AND NOT EXISTS (SELECT 1 FROM activity_hours h WHERE h.activity_id = x.activity_id AND h.person_id = x.person_id)`, nil},
		{&c.HoursOutsideTeam, `SELECT COUNT(*) FROM activity_hours h JOIN activities a ON a.id = h.activity_id
			JOIN attendance x ON x.activity_id = h.activity_id AND x.person_id = h.person_id AND x.pair = 1
			WHERE h.team_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = h.team_id
			AND m.person_id = h.person_id AND m.joined_on <= x.day AND (m.left_on = '' OR m.left_on > x.day))`, nil},
		{&c.HoursOutsideYear, `SELECT COUNT(*) FROM activity_hours h JOIN activities a ON a.id = h.activity_id
			WHERE a.starts_at < ? OR a.starts_at >= ?`, []any{from, to}},
		{&c.TakenMismatch, `SELECT COUNT(*) FROM activities a WHERE a.taken <> (SELECT COUNT(*) FROM signups g
			WHERE g.activity_id = a.id AND g.state = 'confirmed')`, nil},
		{&c.OverCapacity, `SELECT COUNT(*) FROM activities a WHERE a.taken > a.capacity`, nil},
		{&c.StepsOutOfOrder, `SELECT COUNT(*) FROM order_steps s JOIN order_steps p ON p.order_id = s.order_id
			AND p.id = (SELECT MAX(q.id) FROM order_steps q WHERE q.order_id = s.order_id AND q.id < s.id) WHERE s.at < p.at`, nil},
		{&c.StepsBrokenChain, `SELECT COUNT(*) FROM order_steps s JOIN order_steps p ON p.order_id = s.order_id
			AND p.id = (SELECT MAX(q.id) FROM order_steps q WHERE q.order_id = s.order_id AND q.id < s.id) WHERE s.from_state <> p.to_state`, nil},
		{&c.OrdersWrongState, `SELECT COUNT(*) FROM orders o WHERE o.state <> (SELECT s.to_state FROM order_steps s
			WHERE s.order_id = o.id ORDER BY s.id DESC LIMIT 1)`, nil},
		{&c.ServedWithoutAct, `SELECT COUNT(*) FROM orders o WHERE o.state IN ('served', 'evaluated') AND NOT EXISTS
			(SELECT 1 FROM activities a WHERE a.order_id = o.id AND a.state = 'completed')`, nil},
		{&c.GroupActivityTeams, `SELECT COUNT(*) FROM activity_teams x JOIN activities a ON a.id = x.activity_id
			WHERE a.order_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dispatches d WHERE d.order_id = a.order_id
			AND d.team_id = x.team_id AND d.state = 'confirmed')`, nil},
		{&c.EvaluationsNotFinal, `SELECT COUNT(*) FROM evaluations e JOIN orders o ON o.id = e.order_id WHERE o.state <> 'evaluated'`, nil},
	} {
		if err := s.queryRow(ctx, q.query, q.args...).Scan(q.n); err != nil {
			return c, fmt.Errorf("check bulk load: %w", err)
		}
	}
	return c, nil
}
