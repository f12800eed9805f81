package service

import (
	"context"

	"vanguard/domain"
	"vanguard/store"
)

// The public pages — the menu, the order form and tracking by code — need no
// account. What they read here is public reference data: the active menu,
// categories, regions and the sites' names.

// PublicMenu is the menu as the public browses it: the active items that
// match a filter, and how many active items each category holds under the
// same region and search, so that the category list can show counts.
type PublicMenu struct {
	Items  []domain.MenuItem
	Counts map[int64]int // category id → active items under the region and query
	Total  int           // active items under the region and query, every category
}

// PublicMenu returns the active menu items matching f's category, region and
// query; other fields of f are ignored. One read of the menu serves both the
// list and the category counts.
func (s *Service) PublicMenu(ctx context.Context, f store.MenuFilter) (PublicMenu, error) {
	items, err := s.store.ListMenuItems(ctx, store.MenuFilter{ActiveOnly: true, RegionID: f.RegionID, Query: f.Query})
	if err != nil {
		return PublicMenu{}, err
	}
	m := PublicMenu{Counts: map[int64]int{}, Total: len(items)}
	for _, it := range items {
		m.Counts[it.CategoryID]++
		if f.CategoryID == 0 || it.CategoryID == f.CategoryID {
			m.Items = append(m.Items, it)
		}
	}
	return m, nil
}

// PublicMenuItem returns one active menu item; an inactive one is not found.
func (s *Service) PublicMenuItem(ctx context.Context, id int64) (domain.MenuItem, error) {
	m, err := s.store.MenuItemByID(ctx, id)
	if err != nil {
		return m, err
	}
	if !m.Active {
		return domain.MenuItem{}, domain.Errorf(domain.CodeNotFound, "err.menu.not_found")
	}
	return m, nil
}

// PublicMenuItems returns the active menu items among ids, for the order
// form's list of chosen items; unknown and inactive ids are left out.
func (s *Service) PublicMenuItems(ctx context.Context, ids []int64) ([]domain.MenuItem, error) {
	items, err := s.store.MenuItemsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := items[:0]
	for _, m := range items {
		if m.Active {
			out = append(out, m)
		}
	}
	return out, nil
}

// PublicSites lists every site for the public order form: anyone may order
// for any place, so the sites' names, kinds and regions are public; their
// orgs and contacts are not.
func (s *Service) PublicSites(ctx context.Context) ([]store.PublicSite, error) {
	return s.store.ListPublicSites(ctx)
}

// MenuItemTeams returns the names of the teams that offer each of the menu
// items ids, active or not, so that a status page can tell apart two items
// of the same title.
func (s *Service) MenuItemTeams(ctx context.Context, ids []int64) (map[int64][]string, error) {
	items, err := s.store.MenuItemsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]string, len(items))
	for _, m := range items {
		out[m.ID] = m.TeamNames
	}
	return out, nil
}

// MenuRegions lists the regions the public menu names: banners and towns,
// and any region a menu item serves.
func (s *Service) MenuRegions(ctx context.Context) ([]domain.Region, error) {
	return s.store.ListMenuRegions(ctx)
}
