package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// changedBy is true for an order that changed after a time (first argument)
// by someone other than a user (second): its last step was taken by another
// staff member, the requester or the program. A user's own accepts and
// entries are not news to them.
const changedBy = ` x.updated_at > ? AND COALESCE((SELECT st.actor_user_id FROM order_steps st
	WHERE st.order_id = x.id ORDER BY st.id DESC LIMIT 1), 0) <> ?`

// CountOrdersChanged counts the orders matching f that someone other than
// viewer changed after since: the staff's "new since you last looked".
func (s *Store) CountOrdersChanged(ctx context.Context, f OrderFilter, since time.Time, viewer int64) (int, error) {
	cond, args := orderCond(f)
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*)"+orderFrom+" WHERE "+cond+" AND"+changedBy,
		append(args, micros(since), viewer)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count changed orders: %w", err)
	}
	return n, nil
}

// OrdersChanged returns which of the orders ids someone other than viewer
// changed after since.
func (s *Store) OrdersChanged(ctx context.Context, ids []int64, since time.Time, viewer int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10) // ids, not input
	}
	rows, err := s.query(ctx, "SELECT x.id FROM orders x WHERE x.id IN ("+strings.Join(list, ",")+") AND"+changedBy,
		micros(since), viewer)
	if err != nil {
		return nil, fmt.Errorf("changed orders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
