package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"vanguard/domain"
)

// PoolOrder is an accepted order waiting for (part of) its group: where it
// is and which slots are still open.
type PoolOrder struct {
	Order    domain.Order
	Lat, Lng float64
	Slots    []domain.Slot
}

// DispatchPool returns the orders with slots no open dispatch holds. A
// slot's person-days are what its menu items' service needs: each item's
// volunteers times the days its service takes (domain.ServiceDays, one day
// when the item does not say). The order's request window is when the
// service may happen, not how long it lasts, so it does not count.
func (s *Store) DispatchPool(ctx context.Context) ([]PoolOrder, error) {
	// Accepted orders, and dispatched ones with a slot no team holds yet (a
	// part kept back, or a category no team offered).
	var orders []domain.Order
	for _, st := range []domain.OrderState{domain.OrderAccepted, domain.OrderDispatched} {
		list, _, err := s.ListOrders(ctx, OrderFilter{Scope: domain.Scope{All: true}, State: st})
		if err != nil {
			return nil, err
		}
		orders = append(orders, list...)
	}
	var out []PoolOrder
	for _, o := range orders {
		p, err := s.poolOrder(ctx, o)
		if err != nil {
			return nil, err
		}
		if len(p.Slots) > 0 {
			out = append(out, p)
		}
	}
	return out, nil
}

// PoolOrderByID returns one order's open slots and place, whatever its state.
func (s *Store) PoolOrderByID(ctx context.Context, id int64) (PoolOrder, error) {
	o, err := s.OrderByID(ctx, id)
	if err != nil {
		return PoolOrder{}, err
	}
	return s.poolOrder(ctx, o)
}

func (s *Store) poolOrder(ctx context.Context, o domain.Order) (PoolOrder, error) {
	p := PoolOrder{Order: o}
	err := s.queryRow(ctx, `SELECT COALESCE(r.lat, 0), COALESCE(r.lng, 0) FROM orders x
		LEFT JOIN sites s ON s.id = x.site_id
		LEFT JOIN regions r ON r.id = COALESCE(x.region_id, s.region_id) WHERE x.id = ?`, o.ID).Scan(&p.Lat, &p.Lng)
	if err != nil {
		return p, err
	}
	rows, err := s.query(ctx, `SELECT m.category_id, m.volunteers, m.duration FROM order_items oi
		JOIN menu_items m ON m.id = oi.menu_item_id
		WHERE oi.order_id = ? AND NOT EXISTS (SELECT 1 FROM dispatches d WHERE d.order_id = oi.order_id
			AND d.category_id = m.category_id AND d.state IN ('pending', 'confirmed'))
		ORDER BY m.category_id, m.id`, o.ID)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		var cat int64
		var volunteers int
		var duration string
		if err := rows.Scan(&cat, &volunteers, &duration); err != nil {
			return p, err
		}
		need := float64(volunteers * domain.ServiceDays(duration))
		if n := len(p.Slots); n > 0 && p.Slots[n-1].CategoryID == cat {
			p.Slots[n-1].PersonDays += need
			continue
		}
		p.Slots = append(p.Slots, domain.Slot{OrderID: o.ID, CategoryID: cat, PersonDays: need})
	}
	return p, rows.Err()
}

// TeamSupply is a team as the dispatch planner sees it.
type TeamSupply struct {
	Team        domain.Team
	Lat, Lng    float64
	Members     int
	Load        float64           // person-days of its open dispatches of orders not yet served
	Willingness map[int64]float64 // category → willingness in [0, 1]
}

// DispatchCapacityPerMember is how many person-days one current member can
// give to open dispatches: a team of 20 can hold 40 person-days at once.
const DispatchCapacityPerMember = 2.0

// TeamsForDispatch returns every team with members, its place (its base
// region), its open load and its willingness per category: a declared
// category counts 0.6 plus 0.4 × the share of members willing to serve in
// it; an undeclared one is offered when at least a fifth of the members are
// willing, at half that share.
func (s *Store) TeamsForDispatch(ctx context.Context) ([]TeamSupply, error) {
	teams, err := s.ListTeams(ctx, TeamFilter{Scope: domain.Scope{All: true}})
	if err != nil {
		return nil, err
	}
	idx := map[int64]*TeamSupply{}
	var out []TeamSupply
	for _, t := range teams {
		if t.Members == 0 {
			continue
		}
		out = append(out, TeamSupply{Team: t, Members: t.Members, Willingness: map[int64]float64{}})
	}
	for i := range out {
		idx[out[i].Team.ID] = &out[i]
	}
	rows, err := s.query(ctx, `SELECT t.id, COALESCE(r.lat, 0), COALESCE(r.lng, 0) FROM teams t LEFT JOIN regions r ON r.id = t.base_region_id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var lat, lng float64
		if err := rows.Scan(&id, &lat, &lng); err != nil {
			rows.Close()
			return nil, err
		}
		if ts := idx[id]; ts != nil {
			ts.Lat, ts.Lng = lat, lng
		}
	}
	rows.Close()
	// A team's load is the work it holds and has not yet done: open slots of
	// orders not yet served.
	if err := s.scanPairs(ctx, `SELECT d.team_id, COALESCE(SUM(d.person_days), 0) FROM dispatches d
		JOIN orders x ON x.id = d.order_id
		WHERE d.state IN ('pending', 'confirmed') AND x.state IN ('accepted', 'dispatched', 'confirmed')
		GROUP BY d.team_id`, func(team int64, v float64) {
		if ts := idx[team]; ts != nil {
			ts.Load = v
		}
	}); err != nil {
		return nil, err
	}
	declared := map[[2]int64]bool{}
	if err := s.scanTriples(ctx, `SELECT team_id, category_id, 1 FROM team_categories`, func(team, cat int64, _ float64) {
		declared[[2]int64{team, cat}] = true
	}); err != nil {
		return nil, err
	}
	share := map[[2]int64]float64{}
	if err := s.scanTriples(ctx, `SELECT m.team_id, w.category_id, COUNT(DISTINCT m.person_id) FROM team_members m
		JOIN person_willingness w ON w.person_id = m.person_id WHERE m.left_on = '' GROUP BY m.team_id, w.category_id`,
		func(team, cat int64, n float64) {
			if ts := idx[team]; ts != nil {
				share[[2]int64{team, cat}] = n / float64(ts.Members)
			}
		}); err != nil {
		return nil, err
	}
	for key := range declared {
		if ts := idx[key[0]]; ts != nil {
			ts.Willingness[key[1]] = 0.6 + 0.4*share[key]
		}
	}
	for key, sh := range share {
		if ts := idx[key[0]]; ts != nil && !declared[key] && sh >= 0.2 {
			ts.Willingness[key[1]] = 0.5 * sh
		}
	}
	return out, nil
}

func (s *Store) scanPairs(ctx context.Context, q string, fn func(int64, float64)) error {
	rows, err := s.query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a int64
		var v float64
		if err := rows.Scan(&a, &v); err != nil {
			return err
		}
		fn(a, v)
	}
	return rows.Err()
}

func (s *Store) scanTriples(ctx context.Context, q string, fn func(int64, int64, float64)) error {
	rows, err := s.query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a, b int64
		var v float64
		if err := rows.Scan(&a, &b, &v); err != nil {
			return err
		}
		fn(a, b, v)
	}
	return rows.Err()
}

const dispatchColumns = `d.id, d.order_id, d.category_id, d.team_id, t.name, d.person_days, d.state,
	COALESCE(d.proposed_team_id, 0), d.override_reason, d.reason, COALESCE(u.display_name, ''), d.dispatched_at, d.answered_at`

const dispatchFrom = ` FROM dispatches d JOIN teams t ON t.id = d.team_id LEFT JOIN users u ON u.id = d.dispatched_by`

func (s *Store) dispatches(ctx context.Context, cond string, args ...any) ([]domain.Dispatch, error) {
	rows, err := s.query(ctx, "SELECT "+dispatchColumns+dispatchFrom+" WHERE "+cond+" ORDER BY d.id", args...)
	if err != nil {
		return nil, fmt.Errorf("dispatches: %w", err)
	}
	defer rows.Close()
	var out []domain.Dispatch
	for rows.Next() {
		var d domain.Dispatch
		var state string
		var at, answered int64
		if err := rows.Scan(&d.ID, &d.OrderID, &d.CategoryID, &d.TeamID, &d.TeamName, &d.PersonDays, &state,
			&d.ProposedTeamID, &d.OverrideReason, &d.Reason, &d.DispatchedBy, &at, &answered); err != nil {
			return nil, err
		}
		d.State, d.DispatchedAt, d.AnsweredAt = domain.DispatchState(state), fromMicros(at), fromMicros(answered)
		out = append(out, d)
	}
	return out, rows.Err()
}

// OrderDispatches returns every dispatch of an order, declined ones included.
func (s *Store) OrderDispatches(ctx context.Context, orderID int64) ([]domain.Dispatch, error) {
	return s.dispatches(ctx, "d.order_id = ?", orderID)
}

// TeamDispatches returns the dispatches of some teams: open ones, or all.
func (s *Store) TeamDispatches(ctx context.Context, teamIDs []int64, openOnly bool) ([]domain.Dispatch, error) {
	if len(teamIDs) == 0 {
		return nil, nil
	}
	ids := make([]string, len(teamIDs))
	for i, id := range teamIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	cond := "d.team_id IN (" + strings.Join(ids, ",") + ")" // integers from grants, not input
	if openOnly {
		cond += " AND d.state = 'pending'"
	}
	return s.dispatches(ctx, cond)
}

// OverdueDispatches returns pending dispatches sent before the cutoff.
func (s *Store) OverdueDispatches(ctx context.Context, before int64) ([]domain.Dispatch, error) {
	return s.dispatches(ctx, "d.state = 'pending' AND d.dispatched_at < ?", before)
}

// NewDispatch is one slot to send.
type NewDispatch struct {
	CategoryID     int64
	TeamID         int64
	PersonDays     float64
	ProposedTeamID int64
	OverrideReason string
}

// DispatchOrder sends slots of an accepted order to teams, moves the order
// to dispatched through the lifecycle table, and audits it. A slot already
// held by an open dispatch is a conflict.
func (tx *Tx) DispatchOrder(orderID int64, slots []NewDispatch) error {
	var cur string
	if err := tx.queryRow("SELECT state FROM orders WHERE id = ?", orderID).Scan(&cur); err != nil {
		return notFound(err, "err.order.not_found")
	}
	// An order already dispatched may have slots added (a part kept back
	// before); otherwise the lifecycle table decides.
	if domain.OrderState(cur) != domain.OrderDispatched {
		if _, err := tx.TransitionOrder(orderID, domain.EventDispatch, ""); err != nil {
			return err
		}
	}
	var summary []map[string]any
	for _, sl := range slots {
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM dispatches WHERE order_id = ? AND category_id = ?
			AND state IN ('pending', 'confirmed')`, orderID, sl.CategoryID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return domain.Errorf(domain.CodeConflict, "err.dispatch.slot_taken")
		}
		_, err := tx.insert(`INSERT INTO dispatches (order_id, category_id, team_id, person_days, state,
			proposed_team_id, override_reason, dispatched_by, dispatched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			orderID, sl.CategoryID, sl.TeamID, sl.PersonDays, string(domain.DispatchPending), nullID(sl.ProposedTeamID),
			sl.OverrideReason, nullID(tx.actor.UserID), micros(tx.now))
		if err != nil {
			return fmt.Errorf("dispatch order %d: %w", orderID, err)
		}
		item := map[string]any{"category_id": sl.CategoryID, "team_id": sl.TeamID, "person_days": sl.PersonDays}
		if sl.OverrideReason != "" {
			item["proposed_team_id"], item["override_reason"] = sl.ProposedTeamID, sl.OverrideReason
		}
		summary = append(summary, item)
	}
	return tx.Audit("dispatch.send", "order", strconv.FormatInt(orderID, 10), nil, map[string]any{"slots": summary})
}

// AnswerDispatch records a team's answer for all its pending slots of an
// order. Declining returns them to the pool (the order goes back to
// accepted); when every open slot of a dispatched order is confirmed, the
// order is confirmed.
func (tx *Tx) AnswerDispatch(orderID, teamID int64, confirm bool, reason string) error {
	var cur string
	if err := tx.queryRow("SELECT state FROM orders WHERE id = ?", orderID).Scan(&cur); err != nil {
		return notFound(err, "err.order.not_found")
	}
	if st := domain.OrderState(cur); st != domain.OrderDispatched && st != domain.OrderAccepted {
		return domain.Errorf(domain.CodeConflict, "err.dispatch.order_closed", "enum.order_state."+cur)
	}
	state := domain.DispatchConfirmed
	if !confirm {
		state = domain.DispatchDeclined
	}
	res, err := tx.exec(`UPDATE dispatches SET state = ?, reason = ?, answered_by = ?, answered_at = ?
		WHERE order_id = ? AND team_id = ? AND state = 'pending'`,
		string(state), reason, nullID(tx.actor.UserID), micros(tx.now), orderID, teamID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.CodeConflict, "err.dispatch.nothing_pending")
	}
	if err := tx.Audit("dispatch."+map[bool]string{true: "confirm", false: "decline"}[confirm], "order",
		strconv.FormatInt(orderID, 10), nil, map[string]any{"team_id": teamID, "reason": reason}); err != nil {
		return err
	}
	if domain.OrderState(cur) != domain.OrderDispatched {
		return nil
	}
	if !confirm {
		// The team's reason is for the committee (on the dispatch); the
		// requester's status page only learns that the order is being
		// re-dispatched.
		_, err := tx.TransitionOrder(orderID, domain.EventDecline, "")
		return err
	}
	var pending, open int
	if err := tx.queryRow("SELECT COUNT(*) FROM dispatches WHERE order_id = ? AND state = 'pending'", orderID).Scan(&pending); err != nil {
		return err
	}
	if err := tx.queryRow(`SELECT COUNT(DISTINCT m.category_id) FROM order_items oi JOIN menu_items m ON m.id = oi.menu_item_id
		WHERE oi.order_id = ? AND NOT EXISTS (SELECT 1 FROM dispatches d WHERE d.order_id = oi.order_id
			AND d.category_id = m.category_id AND d.state IN ('pending', 'confirmed'))`, orderID).Scan(&open); err != nil {
		return err
	}
	// Confirmed only when every category is held and every team has said yes.
	if pending == 0 && open == 0 {
		_, err := tx.TransitionOrder(orderID, domain.EventConfirm, "")
		return err
	}
	return nil
}
