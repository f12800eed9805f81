package store

import (
	"context"
	"fmt"
	"strings"

	"vanguard/domain"
)

// PublicSite is a site as the public order form lists it: public reference
// data, without its org or its contacts.
type PublicSite struct {
	ID         int64
	Name       string
	Kind       domain.SiteKind
	RegionID   int64
	RegionName string
}

// ListPublicSites returns every site for the public order form, by region
// and name.
func (s *Store) ListPublicSites(ctx context.Context) ([]PublicSite, error) {
	rows, err := s.query(ctx, `SELECT x.id, x.name, x.kind, COALESCE(x.region_id, 0), COALESCE(r.name, '')
		FROM sites x LEFT JOIN regions r ON r.id = x.region_id ORDER BY COALESCE(r.path, ''), x.name, x.id`)
	if err != nil {
		return nil, fmt.Errorf("list public sites: %w", err)
	}
	defer rows.Close()
	var out []PublicSite
	for rows.Next() {
		var x PublicSite
		var kind string
		if err := rows.Scan(&x.ID, &x.Name, &kind, &x.RegionID, &x.RegionName); err != nil {
			return nil, err
		}
		x.Kind = domain.SiteKind(kind)
		out = append(out, x)
	}
	return out, rows.Err()
}

// MenuItemsByIDs returns the menu items with the given ids that exist, in
// menu order, with their teams and regions.
func (s *Store) MenuItemsByIDs(ctx context.Context, ids []int64) ([]domain.MenuItem, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return s.menuItems(ctx, "menu items by id", "SELECT "+menuColumns+` FROM menu_items m
		JOIN categories c ON c.id = m.category_id WHERE m.id IN (`+marks+`) ORDER BY c.sort, m.title, m.id`, args...)
}

// ListMenuRegions returns the regions the public menu names: the banners and
// towns its region filter offers, and any region a menu item serves. The
// villages, two thirds of the regions, are left out unless an item serves
// one.
func (s *Store) ListMenuRegions(ctx context.Context) ([]domain.Region, error) {
	rows, err := s.query(ctx, `SELECT id, COALESCE(parent_id, 0), level, name, path FROM regions
		WHERE level <> ? OR id IN (SELECT region_id FROM menu_item_regions) ORDER BY path`, string(domain.RegionVillage))
	if err != nil {
		return nil, fmt.Errorf("list menu regions: %w", err)
	}
	defer rows.Close()
	var out []domain.Region
	for rows.Next() {
		var r domain.Region
		var level string
		if err := rows.Scan(&r.ID, &r.ParentID, &level, &r.Name, &r.Path); err != nil {
			return nil, err
		}
		r.Level = domain.RegionLevel(level)
		out = append(out, r)
	}
	return out, rows.Err()
}
