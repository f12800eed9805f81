package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
)

const orderColumns = `x.id, x.code, x.channel, x.state, x.requester_name, x.requester_phone, COALESCE(x.user_id, 0),
	COALESCE(x.site_id, 0), COALESCE(s.name, ''), COALESCE(o.path, ''), COALESCE(x.region_id, s.region_id, 0),
	COALESCE(r.name, sr.name, ''), x.address, x.date_from, x.date_to, x.beneficiaries, x.need, x.notes,
	COALESCE(x.taken_by, 0), COALESCE(u.display_name, ''), COALESCE(x.suggestion_id, 0),
	x.created_at, x.updated_at, x.seen_at, COALESCE(x.preferred_team_id, 0), COALESCE(pt.name, '')`

const orderFrom = ` FROM orders x
	LEFT JOIN sites s ON s.id = x.site_id
	LEFT JOIN orgs o ON o.id = s.org_id
	LEFT JOIN regions r ON r.id = x.region_id
	LEFT JOIN regions sr ON sr.id = s.region_id
	LEFT JOIN users u ON u.id = x.taken_by
	LEFT JOIN teams pt ON pt.id = x.preferred_team_id`

func scanOrder(row interface{ Scan(...any) error }) (domain.Order, error) {
	var x domain.Order
	var channel, state string
	var created, updated, seen int64
	err := row.Scan(&x.ID, &x.Code, &channel, &state, &x.RequesterName, &x.RequesterPhone, &x.UserID,
		&x.SiteID, &x.SiteName, &x.OrgPath, &x.RegionID, &x.RegionName, &x.Address, &x.DateFrom, &x.DateTo,
		&x.Beneficiaries, &x.Need, &x.Notes, &x.TakenBy, &x.TakenByName, &x.SuggestionID, &created, &updated, &seen,
		&x.PreferredTeamID, &x.PreferredTeamName)
	x.Channel, x.State = domain.Channel(channel), domain.OrderState(state)
	x.CreatedAt, x.UpdatedAt, x.SeenAt = fromMicros(created), fromMicros(updated), fromMicros(seen)
	return x, err
}

// OrderByID finds an order with its items.
func (s *Store) OrderByID(ctx context.Context, id int64) (domain.Order, error) {
	return s.orderWhere(ctx, "x.id = ?", id)
}

// OrderByCode finds an order by its tracking code.
func (s *Store) OrderByCode(ctx context.Context, code string) (domain.Order, error) {
	return s.orderWhere(ctx, "x.code = ?", code)
}

func (s *Store) orderWhere(ctx context.Context, cond string, arg any) (domain.Order, error) {
	x, err := scanOrder(s.queryRow(ctx, "SELECT "+orderColumns+orderFrom+" WHERE "+cond, arg))
	if err != nil {
		return x, notFound(err, "err.order.not_found")
	}
	list := []domain.Order{x}
	err = s.loadOrderItems(ctx, list)
	return list[0], err
}

func (s *Store) loadOrderItems(ctx context.Context, orders []domain.Order) error {
	if len(orders) == 0 {
		return nil
	}
	idx := map[int64]*domain.Order{}
	ids := make([]string, len(orders))
	for i := range orders {
		idx[orders[i].ID] = &orders[i]
		ids[i] = strconv.FormatInt(orders[i].ID, 10)
	}
	rows, err := s.query(ctx, `SELECT oi.order_id, m.id, m.title, m.category_id FROM order_items oi
		JOIN menu_items m ON m.id = oi.menu_item_id WHERE oi.order_id IN (`+strings.Join(ids, ",")+`) ORDER BY m.id`)
	if err != nil {
		return fmt.Errorf("order items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var oid int64
		var it domain.OrderItem
		if err := rows.Scan(&oid, &it.MenuItemID, &it.Title, &it.CategoryID); err != nil {
			return err
		}
		idx[oid].Items = append(idx[oid].Items, it)
	}
	return rows.Err()
}

// OrderFilter selects orders for the staff's work list.
type OrderFilter struct {
	Scope   domain.Scope // the viewer's: orders of sites in their orgs or their sites; All also sees address-only orders
	State   domain.OrderState
	Channel domain.Channel
	Query   string // part of the requester's name or the need
	Offset  int
	Limit   int
	// After, when its ID is set, keeps the orders that come after this
	// one in the list's order (a cursor for the JSON API): changed
	// earlier, or at the same time with a smaller id.
	After OrderKey
}

// OrderKey is an order's place in the list: when it last changed, and its id.
type OrderKey struct {
	UpdatedAt time.Time
	ID        int64
}

// ListOrders returns orders matching f, most recently changed first, and how
// many match.
func (s *Store) ListOrders(ctx context.Context, f OrderFilter) ([]domain.Order, int, error) {
	cond, args := orderCond(f)
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*)"+orderFrom+" WHERE "+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count orders: %w", err)
	}
	q := "SELECT " + orderColumns + orderFrom + " WHERE " + cond + " ORDER BY x.updated_at DESC, x.id DESC"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list orders: %w", err)
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
	return out, total, s.loadOrderItems(ctx, out)
}

// orderCond is f as a condition over orderFrom, with its arguments.
func orderCond(f OrderFilter) (string, []any) {
	var cond string
	var args []any
	switch {
	case f.Scope.All:
		cond = "1=1"
	case len(f.Scope.SiteIDs) > 0:
		marks := strings.TrimSuffix(strings.Repeat("?,", len(f.Scope.SiteIDs)), ",")
		cond = "x.site_id IN (" + marks + ")"
		for _, id := range f.Scope.SiteIDs {
			args = append(args, id)
		}
		if len(f.Scope.OrgPaths) > 0 {
			c, a := inScope("o.path", "", f.Scope)
			cond = "(" + cond + " OR " + c + ")"
			args = append(args, a...)
		}
	default:
		cond, args = inScope("o.path", "", f.Scope)
	}
	if f.State != "" {
		cond += " AND x.state = ?"
		args = append(args, string(f.State))
	}
	if f.Channel != "" {
		cond += " AND x.channel = ?"
		args = append(args, string(f.Channel))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		// The order number the requester was given ("000123") finds
		// its order too: they quote it on the phone.
		like := "%" + escapeLike(q) + "%"
		byNumber, n := "", int64(0)
		if id, ok := domain.ParseOrderNumber(q); ok {
			byNumber, n = " OR x.id = ?", id
		}
		cond += ` AND (x.requester_name LIKE ? ESCAPE '\' OR x.need LIKE ? ESCAPE '\'` + byNumber + `)`
		args = append(args, like, like)
		if byNumber != "" {
			args = append(args, n)
		}
	}
	if f.After.ID != 0 {
		at := micros(f.After.UpdatedAt)
		cond += " AND (x.updated_at < ? OR (x.updated_at = ? AND x.id < ?))"
		args = append(args, at, at, f.After.ID)
	}
	return cond, args
}

// OrderSteps returns an order's steps, oldest first.
func (s *Store) OrderSteps(ctx context.Context, orderID int64) ([]domain.OrderStep, error) {
	rows, err := s.query(ctx, `SELECT id, from_state, to_state, event, reason, actor_name, at FROM order_steps
		WHERE order_id = ? ORDER BY id`, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.OrderStep
	for rows.Next() {
		var st domain.OrderStep
		var from, to, ev string
		var at int64
		if err := rows.Scan(&st.ID, &from, &to, &ev, &st.Reason, &st.Actor, &at); err != nil {
			return nil, err
		}
		st.From, st.To, st.Event, st.At = domain.OrderState(from), domain.OrderState(to), domain.OrderEvent(ev), fromMicros(at)
		out = append(out, st)
	}
	return out, rows.Err()
}

// NewOrder is what CreateOrder stores.
type NewOrder struct {
	domain.OrderInput
	Code         string
	EvalCode     string // the requester's one-time evaluation code; "" gives it one later
	UserID       int64  // the site contact placing it
	TakenBy      int64  // the staff member entering it
	SuggestionID int64
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// CreateOrder stores a submitted order, its items and its first step, and
// audits it.
func (tx *Tx) CreateOrder(n NewOrder) (int64, error) {
	now := micros(tx.now)
	id, err := tx.insert(`INSERT INTO orders (code, eval_code, channel, state, requester_name, requester_phone, user_id,
		site_id, region_id, address, date_from, date_to, beneficiaries, need, notes, taken_by, suggestion_id,
		preferred_team_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.Code, nullText(n.EvalCode), string(n.Channel), string(domain.OrderSubmitted), n.RequesterName, n.RequesterPhone, nullID(n.UserID),
		nullID(n.SiteID), nullID(n.RegionID), n.Address, n.DateFrom, n.DateTo, n.Beneficiaries, n.Need, n.Notes,
		nullID(n.TakenBy), nullID(n.SuggestionID), nullID(n.PreferredTeamID), now, now)
	if err != nil {
		return 0, fmt.Errorf("create order: %w", err)
	}
	for _, item := range n.ItemIDs {
		if _, err := tx.exec("INSERT INTO order_items (order_id, menu_item_id) VALUES (?, ?)", id, item); err != nil {
			return 0, fmt.Errorf("order item %d: %w", item, err)
		}
	}
	if err := tx.addStep(id, "", domain.OrderSubmitted, "", ""); err != nil {
		return 0, err
	}
	return id, tx.Audit("order.submit", "order", strconv.FormatInt(id, 10), nil, map[string]any{
		"channel": n.Channel, "requester_name": n.RequesterName, "phone": n.RequesterPhone, "site_id": n.SiteID,
		"region_id": n.RegionID, "items": n.ItemIDs, "date_from": n.DateFrom, "date_to": n.DateTo,
		"beneficiaries": n.Beneficiaries, "taken_by": n.TakenBy, "suggestion_id": n.SuggestionID,
		"preferred_team_id": n.PreferredTeamID,
	})
}

func (tx *Tx) addStep(orderID int64, from, to domain.OrderState, event domain.OrderEvent, reason string) error {
	actorName := ""
	if tx.actor.UserID != 0 {
		actorName = tx.actor.Username
		var display string
		if err := tx.queryRow("SELECT display_name FROM users WHERE id = ?", tx.actor.UserID).Scan(&display); err == nil {
			actorName = display
		}
	}
	_, err := tx.exec(`INSERT INTO order_steps (order_id, from_state, to_state, event, reason, actor_user_id, actor_name, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, orderID, string(from), string(to), string(event), reason,
		nullID(tx.actor.UserID), actorName, micros(tx.now))
	return err
}

// TransitionOrder applies an event to an order through the lifecycle table:
// it reads the state inside the transaction, refuses an event the table does
// not allow, and moves the state only if no one moved it meanwhile. It
// records the step and audits it.
func (tx *Tx) TransitionOrder(orderID int64, e domain.OrderEvent, reason string) (domain.OrderState, error) {
	var cur string
	if err := tx.queryRow("SELECT state FROM orders WHERE id = ?", orderID).Scan(&cur); err != nil {
		return "", notFound(err, "err.order.not_found")
	}
	from := domain.OrderState(cur)
	to, err := domain.NextOrderState(from, e)
	if err != nil {
		return from, err
	}
	res, err := tx.exec("UPDATE orders SET state = ?, updated_at = ? WHERE id = ? AND state = ?",
		string(to), micros(tx.now), orderID, cur)
	if err != nil {
		return from, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return from, domain.Errorf(domain.CodeConflict, "err.order.changed")
	}
	if err := tx.addStep(orderID, from, to, e, reason); err != nil {
		return from, err
	}
	return to, tx.Audit("order."+string(e), "order", strconv.FormatInt(orderID, 10),
		map[string]any{"state": from}, map[string]any{"state": to, "reason": reason})
}

// MarkOrderSeen records that the requester looked at the order's status.
func (tx *Tx) MarkOrderSeen(orderID int64) error {
	_, err := tx.exec("UPDATE orders SET seen_at = ? WHERE id = ?", micros(tx.now), orderID)
	return err
}

// SeenAt returns when a user last looked at a list, or the zero time.
func (s *Store) SeenAt(ctx context.Context, userID int64, list string) (time.Time, error) {
	var at int64
	err := s.queryRow(ctx, "SELECT COALESCE(MAX(seen_at), 0) FROM seen_marks WHERE user_id = ? AND list = ?", userID, list).Scan(&at)
	return fromMicros(at), err
}

// MarkSeen records that a user looked at a list now.
func (tx *Tx) MarkSeen(userID int64, list string) error {
	if _, err := tx.exec("DELETE FROM seen_marks WHERE user_id = ? AND list = ?", userID, list); err != nil {
		return err
	}
	_, err := tx.exec("INSERT INTO seen_marks (user_id, list, seen_at) VALUES (?, ?, ?)", userID, list, micros(tx.now))
	return err
}
