package store

import (
	"context"
	"fmt"
	"time"

	"vanguard/domain"
)

// SupplyFilter is the window and the place the supply–demand view looks at.
type SupplyFilter struct {
	From, To   time.Time // orders received in [From, To)
	RegionPath string    // orders placed in this region's subtree and menu items serving it; "" for the whole city
}

// CategorySupply is what was asked for and what is offered in one category.
type CategorySupply struct {
	Orders  int // order items asking for a menu item of the category
	Items   int // active menu items
	Teams   int // teams serving in the category
	Willing int // people willing to serve in it
}

// SupplyTotals are the window's orders: all of them, and those describing a
// need with no menu item.
type SupplyTotals struct {
	Orders int
	Unmet  int
}

// orderInWindow keeps orders received in the filter's window and placed in
// its region (the order's own region, else its site's). It expects the
// joins of orderFrom.
func (f SupplyFilter) orderInWindow() (string, []any) {
	cond := "x.created_at >= ? AND x.created_at < ?"
	args := []any{micros(f.From), micros(f.To)}
	if f.RegionPath != "" {
		lo, hi := subtree(f.RegionPath)
		cond += " AND COALESCE(r.path, sr.path) >= ? AND COALESCE(r.path, sr.path) < ?"
		args = append(args, lo, hi)
	}
	return cond, args
}

// itemServes keeps menu items that serve the filter's region: items with no
// regions serve the whole city; others serve their regions' subtrees.
func (f SupplyFilter) itemServes() (string, []any) {
	if f.RegionPath == "" {
		return "1=1", nil
	}
	lo, hi := subtree(f.RegionPath)
	return `(NOT EXISTS (SELECT 1 FROM menu_item_regions mr WHERE mr.menu_item_id = m.id)
		OR EXISTS (SELECT 1 FROM menu_item_regions mr JOIN regions g ON g.id = mr.region_id
			WHERE mr.menu_item_id = m.id AND ((g.path >= ? AND g.path < ?) OR ? LIKE g.path || '%')))`,
		[]any{lo, hi, f.RegionPath}
}

// SupplyByCategory counts, per category id, the order items received in the
// window, the active menu items serving the region, the teams serving in
// the category and the people willing to: four GROUP BY queries.
func (s *Store) SupplyByCategory(ctx context.Context, f SupplyFilter) (map[int64]*CategorySupply, error) {
	out := map[int64]*CategorySupply{}
	row := func(id int64) *CategorySupply {
		if out[id] == nil {
			out[id] = &CategorySupply{}
		}
		return out[id]
	}
	win, winArgs := f.orderInWindow()
	serves, servesArgs := f.itemServes()
	queries := []struct {
		name  string
		query string
		args  []any
		dst   func(*CategorySupply) *int
	}{
		{"orders", `SELECT m.category_id, COUNT(*) FROM order_items oi JOIN menu_items m ON m.id = oi.menu_item_id
			JOIN orders x ON x.id = oi.order_id
			LEFT JOIN sites s ON s.id = x.site_id
			LEFT JOIN regions r ON r.id = x.region_id
			LEFT JOIN regions sr ON sr.id = s.region_id
			WHERE ` + win + ` GROUP BY m.category_id`, winArgs, func(c *CategorySupply) *int { return &c.Orders }},
		{"items", `SELECT m.category_id, COUNT(*) FROM menu_items m WHERE m.active = ? AND ` + serves +
			` GROUP BY m.category_id`, append([]any{true}, servesArgs...), func(c *CategorySupply) *int { return &c.Items }},
		{"teams", `SELECT category_id, COUNT(*) FROM team_categories GROUP BY category_id`, nil,
			func(c *CategorySupply) *int { return &c.Teams }},
		{"willing", `SELECT category_id, COUNT(*) FROM person_willingness GROUP BY category_id`, nil,
			func(c *CategorySupply) *int { return &c.Willing }},
	}
	counts := make([]map[int64]int, len(queries))
	fns := make([]func() error, len(queries))
	for i, q := range queries {
		fns[i] = func() error {
			rows, err := s.query(ctx, q.query, q.args...)
			if err != nil {
				return fmt.Errorf("supply %s: %w", q.name, err)
			}
			defer rows.Close()
			counts[i] = map[int64]int{}
			for rows.Next() {
				var id int64
				var n int
				if err := rows.Scan(&id, &n); err != nil {
					return err
				}
				counts[i][id] = n
			}
			if err := rows.Err(); err != nil {
				return fmt.Errorf("supply %s: %w", q.name, err)
			}
			return nil
		}
	}
	if err := Parallel(fns...); err != nil {
		return nil, err
	}
	for i, q := range queries {
		for id, n := range counts[i] {
			*q.dst(row(id)) = n
		}
	}
	return out, nil
}

// unmet keeps orders that describe a need and ask for no menu item.
const unmet = `x.need <> '' AND NOT EXISTS (SELECT 1 FROM order_items oi WHERE oi.order_id = x.id)`

// SupplyTotals counts the orders received in the window and region, and
// those among them that describe a need with no menu item.
func (s *Store) SupplyTotals(ctx context.Context, f SupplyFilter) (SupplyTotals, error) {
	var t SupplyTotals
	win, args := f.orderInWindow()
	err := s.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN `+unmet+` THEN 1 ELSE 0 END), 0)`+
		orderFrom+` WHERE `+win, args...).Scan(&t.Orders, &t.Unmet)
	if err != nil {
		return t, fmt.Errorf("supply totals: %w", err)
	}
	return t, nil
}

// UnmetNeeds returns up to limit orders of the window and region that
// describe a need and ask for no menu item, newest first.
func (s *Store) UnmetNeeds(ctx context.Context, f SupplyFilter, limit int) ([]domain.Order, error) {
	win, args := f.orderInWindow()
	rows, err := s.query(ctx, "SELECT "+orderColumns+orderFrom+" WHERE "+win+" AND "+unmet+
		fmt.Sprintf(" ORDER BY x.created_at DESC, x.id DESC LIMIT %d", max(limit, 1)), args...)
	if err != nil {
		return nil, fmt.Errorf("unmet needs: %w", err)
	}
	defer rows.Close()
	var out []domain.Order
	for rows.Next() {
		x, err := scanOrder(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// UnorderedItems returns the active menu items serving the region that no
// order of the window and region asked for, oldest first, with their teams.
func (s *Store) UnorderedItems(ctx context.Context, f SupplyFilter) ([]domain.MenuItem, error) {
	serves, args := f.itemServes()
	win, winArgs := f.orderInWindow()
	args = append(append([]any{true}, args...), winArgs...)
	return s.menuItems(ctx, "unordered items", "SELECT "+menuColumns+" FROM menu_items m WHERE m.active = ? AND "+serves+
		` AND NOT EXISTS (SELECT 1 FROM order_items oi JOIN orders x ON x.id = oi.order_id
			LEFT JOIN sites s ON s.id = x.site_id
			LEFT JOIN regions r ON r.id = x.region_id
			LEFT JOIN regions sr ON sr.id = s.region_id
			WHERE oi.menu_item_id = m.id AND `+win+`)
		ORDER BY m.created_at, m.id`, args...)
}
