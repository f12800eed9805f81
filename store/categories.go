package store

import (
	"context"
	"fmt"
	"strconv"

	"vanguard/domain"
)

// CategoryUsage is a category with how much of the platform uses it: the
// committee sees it before retiring one.
type CategoryUsage struct {
	domain.Category
	MenuItems int // menu items in the category, active or not
	Teams     int // teams that serve in it
	Willing   int // people willing to serve in it
}

// ListCategoryUsage returns every category, retired ones included, in their
// order, each with its counts of menu items, teams and willing people.
func (s *Store) ListCategoryUsage(ctx context.Context) ([]CategoryUsage, error) {
	rows, err := s.query(ctx, `SELECT c.id, c.code, c.name_zh, c.name_en, c.retired, c.sort,
		(SELECT COUNT(*) FROM menu_items m WHERE m.category_id = c.id),
		(SELECT COUNT(*) FROM team_categories tc WHERE tc.category_id = c.id),
		(SELECT COUNT(*) FROM person_willingness pw WHERE pw.category_id = c.id)
		FROM categories c ORDER BY c.sort, c.id`)
	if err != nil {
		return nil, fmt.Errorf("list category usage: %w", err)
	}
	defer rows.Close()
	var out []CategoryUsage
	for rows.Next() {
		var u CategoryUsage
		if err := rows.Scan(&u.ID, &u.Code, &u.NameZH, &u.NameEN, &u.Retired, &u.Sort,
			&u.MenuItems, &u.Teams, &u.Willing); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CategoryByID finds a category, retired or not.
func (s *Store) CategoryByID(ctx context.Context, id int64) (domain.Category, error) {
	var c domain.Category
	err := s.queryRow(ctx, "SELECT id, code, name_zh, name_en, retired, sort FROM categories WHERE id = ?", id).
		Scan(&c.ID, &c.Code, &c.NameZH, &c.NameEN, &c.Retired, &c.Sort)
	return c, notFound(err, "err.category.not_found")
}

func categorySummary(c domain.Category) map[string]any {
	return map[string]any{"code": c.Code, "name_zh": c.NameZH, "name_en": c.NameEN, "sort": c.Sort, "retired": c.Retired}
}

// CreateCategory adds a category and audits it. A code already in use, by a
// retired category too, is refused as invalid.
func (tx *Tx) CreateCategory(c domain.Category) (int64, error) {
	var n int
	if err := tx.queryRow("SELECT COUNT(*) FROM categories WHERE code = ?", c.Code).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		return 0, domain.Invalid("code", "err.category.code_taken")
	}
	id, err := tx.insert("INSERT INTO categories (code, name_zh, name_en, retired, sort, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		c.Code, c.NameZH, c.NameEN, false, c.Sort, micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("create category: %w", err)
	}
	c.Retired = false
	return id, tx.Audit("category.create", "category", strconv.FormatInt(id, 10), nil, categorySummary(c))
}

// UpdateCategory renames a category in both languages and moves it in the
// order, and audits it. Its code does not change: it is the category's
// name in data, not in the interface.
func (tx *Tx) UpdateCategory(before, c domain.Category) error {
	_, err := tx.exec("UPDATE categories SET name_zh = ?, name_en = ?, sort = ? WHERE id = ?",
		c.NameZH, c.NameEN, c.Sort, before.ID)
	if err != nil {
		return fmt.Errorf("update category: %w", err)
	}
	c.Code, c.Retired = before.Code, before.Retired
	return tx.Audit("category.update", "category", strconv.FormatInt(before.ID, 10), categorySummary(before), categorySummary(c))
}

// SetCategoryRetired retires a category or brings it back, and audits it.
// A retired category leaves the pickers and stays on every record that
// names it.
func (tx *Tx) SetCategoryRetired(before domain.Category, retired bool) error {
	if _, err := tx.exec("UPDATE categories SET retired = ? WHERE id = ?", retired, before.ID); err != nil {
		return fmt.Errorf("retire category: %w", err)
	}
	action := "category.retire"
	if !retired {
		action = "category.restore"
	}
	return tx.Audit(action, "category", strconv.FormatInt(before.ID, 10),
		map[string]any{"retired": before.Retired}, map[string]any{"retired": retired})
}
