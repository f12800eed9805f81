package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"vanguard/domain"
)

const menuColumns = `m.id, m.title, m.category_id, m.description, m.kind, m.term, m.duration, m.volunteers,
	m.active, m.created_at`

func scanMenuItem(row interface{ Scan(...any) error }) (domain.MenuItem, error) {
	var m domain.MenuItem
	var kind, term string
	var created int64
	err := row.Scan(&m.ID, &m.Title, &m.CategoryID, &m.Description, &kind, &term, &m.Duration, &m.Volunteers,
		&m.Active, &created)
	m.Kind, m.Term, m.CreatedAt = domain.MenuKind(kind), domain.MenuTerm(term), fromMicros(created)
	return m, err
}

// MenuFilter selects menu items.
type MenuFilter struct {
	ActiveOnly bool
	CategoryID int64
	RegionID   int64 // serves this region or one above it; items with no regions serve everywhere
	Query      string
	TeamIDs    []int64       // offered by one of these teams (a leader's own items)
	Scope      *domain.Scope // offered by a team in scope; nil for the whole menu
	WithOrders bool          // count orders per item
}

// ListMenuItems returns menu items matching f, by category and title, with
// their teams and regions.
func (s *Store) ListMenuItems(ctx context.Context, f MenuFilter) ([]domain.MenuItem, error) {
	cond, args := "1=1", []any{}
	if f.ActiveOnly {
		cond += " AND m.active = ?"
		args = append(args, true)
	}
	if f.CategoryID != 0 {
		cond += " AND m.category_id = ?"
		args = append(args, f.CategoryID)
	}
	if f.RegionID != 0 {
		// The item serves everywhere, or a region on the path from the root to
		// the asked region (a banner's items serve its towns).
		cond += ` AND (NOT EXISTS (SELECT 1 FROM menu_item_regions mr WHERE mr.menu_item_id = m.id)
			OR EXISTS (SELECT 1 FROM menu_item_regions mr JOIN regions r ON r.id = ?
				WHERE mr.menu_item_id = m.id AND r.path LIKE '%/' || mr.region_id || '/%'))`
		args = append(args, f.RegionID)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		cond += ` AND (m.title LIKE ? ESCAPE '\' OR m.description LIKE ? ESCAPE '\')`
		like := "%" + escapeLike(q) + "%"
		args = append(args, like, like)
	}
	if len(f.TeamIDs) > 0 || f.Scope != nil {
		var sc domain.Scope
		if f.Scope != nil {
			sc = *f.Scope
		}
		sc.TeamIDs = append(append([]int64(nil), sc.TeamIDs...), f.TeamIDs...)
		c, a := inScope("o.path", "t.id", sc)
		cond += ` AND EXISTS (SELECT 1 FROM menu_item_teams mt JOIN teams t ON t.id = mt.team_id
			JOIN orgs o ON o.id = t.org_id WHERE mt.menu_item_id = m.id AND ` + c + `)`
		args = append(args, a...)
	}
	orders := "0"
	if f.WithOrders {
		orders = "(SELECT COUNT(*) FROM order_items oi WHERE oi.menu_item_id = m.id)"
	}
	rows, err := s.query(ctx, "SELECT "+menuColumns+", "+orders+" FROM menu_items m JOIN categories c ON c.id = m.category_id WHERE "+
		cond+" ORDER BY c.sort, m.title, m.id", args...)
	if err != nil {
		return nil, fmt.Errorf("list menu: %w", err)
	}
	defer rows.Close()
	var out []domain.MenuItem
	for rows.Next() {
		var n int
		m, err := scanMenuItem(scanTail{rows, &n})
		if err != nil {
			return nil, err
		}
		m.Orders = n
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.loadMenuLists(ctx, out)
}

// scanTail scans a row into a scanner's columns plus extra trailing ones.
type scanTail struct {
	row   interface{ Scan(...any) error }
	extra *int
}

func (t scanTail) Scan(dest ...any) error { return t.row.Scan(append(dest, t.extra)...) }

func (s *Store) loadMenuLists(ctx context.Context, items []domain.MenuItem) error {
	if len(items) == 0 {
		return nil
	}
	idx := map[int64]*domain.MenuItem{}
	ids := make([]string, len(items))
	for i := range items {
		idx[items[i].ID] = &items[i]
		ids[i] = strconv.FormatInt(items[i].ID, 10)
	}
	in := strings.Join(ids, ",") // ids from the database, not input
	rows, err := s.query(ctx, `SELECT mt.menu_item_id, t.id, t.name FROM menu_item_teams mt JOIN teams t ON t.id = mt.team_id
		WHERE mt.menu_item_id IN (`+in+`) ORDER BY t.name`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var mid, tid int64
		var name string
		if err := rows.Scan(&mid, &tid, &name); err != nil {
			rows.Close()
			return err
		}
		idx[mid].TeamIDs = append(idx[mid].TeamIDs, tid)
		idx[mid].TeamNames = append(idx[mid].TeamNames, name)
	}
	rows.Close()
	rows, err = s.query(ctx, `SELECT menu_item_id, region_id FROM menu_item_regions WHERE menu_item_id IN (`+in+`) ORDER BY region_id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var mid, rid int64
		if err := rows.Scan(&mid, &rid); err != nil {
			return err
		}
		idx[mid].RegionIDs = append(idx[mid].RegionIDs, rid)
	}
	return rows.Err()
}

// menuItems runs a query whose columns are menuColumns and returns the items
// with their teams and regions.
func (s *Store) menuItems(ctx context.Context, what, query string, args ...any) ([]domain.MenuItem, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []domain.MenuItem
	for rows.Next() {
		m, err := scanMenuItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return out, s.loadMenuLists(ctx, out)
}

// MenuItemByID finds a menu item with its teams and regions.
func (s *Store) MenuItemByID(ctx context.Context, id int64) (domain.MenuItem, error) {
	m, err := scanMenuItem(s.queryRow(ctx, "SELECT "+menuColumns+" FROM menu_items m WHERE m.id = ?", id))
	if err != nil {
		return m, notFound(err, "err.menu.not_found")
	}
	list := []domain.MenuItem{m}
	err = s.loadMenuLists(ctx, list)
	return list[0], err
}

func menuSummary(m domain.MenuItem) map[string]any {
	return map[string]any{"title": m.Title, "category_id": m.CategoryID, "kind": m.Kind, "term": m.Term,
		"duration": m.Duration, "volunteers": m.Volunteers, "teams": m.TeamIDs, "regions": m.RegionIDs, "active": m.Active}
}

// CreateMenuItem puts an item on the menu and audits it.
func (tx *Tx) CreateMenuItem(m domain.MenuItem) (int64, error) {
	now := micros(tx.now)
	id, err := tx.insert(`INSERT INTO menu_items (title, category_id, description, kind, term, duration, volunteers,
		active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.Title, m.CategoryID, m.Description, string(m.Kind), string(m.Term), m.Duration, m.Volunteers, m.Active, now, now)
	if err != nil {
		return 0, fmt.Errorf("create menu item: %w", err)
	}
	if err := tx.setMenuLists(id, m); err != nil {
		return 0, err
	}
	return id, tx.Audit("menu_item.create", "menu_item", strconv.FormatInt(id, 10), nil, menuSummary(m))
}

// UpdateMenuItem changes a menu item and audits it.
func (tx *Tx) UpdateMenuItem(before, m domain.MenuItem) error {
	_, err := tx.exec(`UPDATE menu_items SET title = ?, category_id = ?, description = ?, kind = ?, term = ?,
		duration = ?, volunteers = ?, active = ?, updated_at = ? WHERE id = ?`,
		m.Title, m.CategoryID, m.Description, string(m.Kind), string(m.Term), m.Duration, m.Volunteers, m.Active,
		micros(tx.now), before.ID)
	if err != nil {
		return fmt.Errorf("update menu item: %w", err)
	}
	if err := tx.setMenuLists(before.ID, m); err != nil {
		return err
	}
	return tx.Audit("menu_item.update", "menu_item", strconv.FormatInt(before.ID, 10), menuSummary(before), menuSummary(m))
}

func (tx *Tx) setMenuLists(id int64, m domain.MenuItem) error {
	for _, q := range []string{"DELETE FROM menu_item_teams WHERE menu_item_id = ?", "DELETE FROM menu_item_regions WHERE menu_item_id = ?"} {
		if _, err := tx.exec(q, id); err != nil {
			return err
		}
	}
	for _, t := range m.TeamIDs {
		if _, err := tx.exec("INSERT INTO menu_item_teams (menu_item_id, team_id) VALUES (?, ?)", id, t); err != nil {
			return fmt.Errorf("menu team %d: %w", t, err)
		}
	}
	for _, r := range m.RegionIDs {
		if _, err := tx.exec("INSERT INTO menu_item_regions (menu_item_id, region_id) VALUES (?, ?)", id, r); err != nil {
			return fmt.Errorf("menu region %d: %w", r, err)
		}
	}
	return nil
}
