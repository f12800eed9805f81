package service

import (
	"context"

	"vanguard/domain"
	"vanguard/store"
)

// The public pages — the menu, the order form and tracking by code — need no
// account. What they read here is public reference data: the active menu,
// categories, regions and the sites' names.

// PublicMenu is the menu as the public browses it: one entry per service
// (domain.MenuService), however many teams offer it, matching a filter, and
// how many services each category holds under the same region and search,
// so that the category list can show counts.
type PublicMenu struct {
	Services []domain.MenuService
	Counts   map[int64]int // category id → services under the region and query
	Total    int           // services under the region and query, every category
}

// PublicMenu returns the services of the active menu matching f's category,
// region and query; other fields of f are ignored. One read of the menu
// serves both the list and the category counts.
func (s *Service) PublicMenu(ctx context.Context, f store.MenuFilter) (PublicMenu, error) {
	items, err := s.store.ListMenuItems(ctx, store.MenuFilter{ActiveOnly: true, RegionID: f.RegionID, Query: f.Query})
	if err != nil {
		return PublicMenu{}, err
	}
	services := domain.GroupServices(items)
	m := PublicMenu{Counts: map[int64]int{}, Total: len(services)}
	for _, sv := range services {
		m.Counts[sv.CategoryID]++
		if f.CategoryID == 0 || sv.CategoryID == f.CategoryID {
			m.Services = append(m.Services, sv)
		}
	}
	return m, nil
}

// PublicService returns the service a menu item belongs to, with every
// active item of it. The item itself may be inactive: an old link to one
// team's item still leads to the service while another team offers it. A
// service no team offers any more is not found.
func (s *Service) PublicService(ctx context.Context, itemID int64) (domain.MenuService, error) {
	list, err := s.PublicServices(ctx, []int64{itemID})
	if err != nil {
		return domain.MenuService{}, err
	}
	if len(list) == 0 {
		return domain.MenuService{}, domain.Errorf(domain.CodeNotFound, "err.menu.not_found")
	}
	return list[0], nil
}

// PublicServices returns the services the menu items ids belong to, each
// once, in the order of ids; unknown ids and services no team offers any
// more are left out.
func (s *Service) PublicServices(ctx context.Context, ids []int64) ([]domain.MenuService, error) {
	items, err := s.store.MenuItemsByIDs(ctx, ids)
	if err != nil || len(items) == 0 {
		return nil, err
	}
	byID := map[int64]domain.MenuItem{}
	var all []domain.MenuItem
	seenCat := map[int64]bool{}
	for _, it := range items {
		byID[it.ID] = it
		if seenCat[it.CategoryID] {
			continue
		}
		seenCat[it.CategoryID] = true
		list, err := s.store.ListMenuItems(ctx, store.MenuFilter{ActiveOnly: true, CategoryID: it.CategoryID})
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
	}
	byKey := map[string]domain.MenuService{}
	for _, sv := range domain.GroupServices(all) {
		byKey[sv.Key()] = sv
	}
	var out []domain.MenuService
	taken := map[string]bool{}
	for _, id := range ids {
		it, ok := byID[id]
		if !ok {
			continue
		}
		k := domain.ServiceKey(it.CategoryID, it.Title)
		if sv, ok := byKey[k]; ok && !taken[k] {
			taken[k] = true
			out = append(out, sv)
		}
	}
	return out, nil
}

// orderServices turns the menu items of a public order into the services
// they belong to: each service once, by its representative item. The order
// asks for the service; dispatch covers its category with any capable team.
// Ids that name no offered service stay as they are, for the order's checks
// to refuse.
func (s *Service) orderServices(ctx context.Context, in domain.OrderInput) (domain.OrderInput, error) {
	services, err := s.PublicServices(ctx, in.ItemIDs)
	if err != nil {
		return in, err
	}
	rep := map[int64]int64{}
	for _, sv := range services {
		for _, id := range sv.ItemIDs {
			rep[id] = sv.ID
		}
	}
	ids := make([]int64, 0, len(in.ItemIDs))
	for _, id := range in.ItemIDs {
		if r, ok := rep[id]; ok {
			id = r
		}
		if !hasID(ids, id) {
			ids = append(ids, id)
		}
	}
	in.ItemIDs = ids
	return in, nil
}

// PublicSites lists every site for the public order form: anyone may order
// for any place, so the sites' names, kinds and regions are public; their
// orgs and contacts are not.
func (s *Service) PublicSites(ctx context.Context) ([]store.PublicSite, error) {
	return s.store.ListPublicSites(ctx)
}

// MenuRegions lists the regions the public menu names: banners and towns,
// and any region a menu item serves.
func (s *Service) MenuRegions(ctx context.Context) ([]domain.Region, error) {
	return s.store.ListMenuRegions(ctx)
}
