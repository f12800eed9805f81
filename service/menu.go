package service

import (
	"context"

	"vanguard/domain"
	"vanguard/store"
)

// The menu (服务项目菜单) as staff keep it: the committee curates every item,
// an org admin the items of the teams in their subtree, a team leader their
// own team's. An item may be offered by several teams; whoever manages one of
// them may edit it, and nobody removes a team they do not manage.

// MenuAdminFilter selects the items on the staff's menu page.
type MenuAdminFilter struct {
	CategoryID int64
	Active     string // "" for all, "active" or "inactive"
}

// ManagedMenu lists the menu items the caller may manage, each with its
// teams, regions and number of orders.
func (s *Service) ManagedMenu(ctx context.Context, c domain.Caller, f MenuAdminFilter) ([]domain.MenuItem, error) {
	if err := domain.Authorize(c.Principal, domain.ActMenuManage, domain.Target{}); err != nil {
		return nil, err
	}
	scope := domain.ScopeOf(c.Principal, domain.ActMenuManage)
	items, err := s.store.ListMenuItems(ctx, store.MenuFilter{
		Scope: &scope, CategoryID: f.CategoryID, ActiveOnly: f.Active == "active", WithOrders: true,
	})
	if err != nil || f.Active != "inactive" {
		return items, err
	}
	out := items[:0]
	for _, m := range items {
		if !m.Active {
			out = append(out, m)
		}
	}
	return out, nil
}

// MenuTeams lists the teams the caller may offer menu items for.
func (s *Service) MenuTeams(ctx context.Context, c domain.Caller) ([]domain.Team, error) {
	if err := domain.Authorize(c.Principal, domain.ActMenuManage, domain.Target{}); err != nil {
		return nil, err
	}
	return s.store.ListTeams(ctx, store.TeamFilter{Scope: domain.ScopeOf(c.Principal, domain.ActMenuManage)})
}

// ManagedMenuItem returns a menu item the caller may manage.
func (s *Service) ManagedMenuItem(ctx context.Context, c domain.Caller, id int64) (domain.MenuItem, error) {
	m, err := s.store.MenuItemByID(ctx, id)
	if err != nil {
		return m, err
	}
	teams, err := s.loadTeams(ctx, m.TeamIDs)
	if err != nil {
		return m, err
	}
	return m, canManageItem(c, teams)
}

// canManageItem allows the caller when they manage one of the item's teams.
func canManageItem(c domain.Caller, teams map[int64]domain.Team) error {
	for _, t := range teams {
		if domain.Can(c.Principal, domain.ActMenuManage, t.Target()) {
			return nil
		}
	}
	return domain.Errorf(domain.CodeForbidden, "err.menu.not_yours")
}

// loadTeams finds the teams with the ids; ids of no team are left out.
func (s *Service) loadTeams(ctx context.Context, ids []int64) (map[int64]domain.Team, error) {
	out := map[int64]domain.Team{}
	for _, id := range ids {
		t, err := s.store.TeamByID(ctx, id)
		if domain.ErrCode(err) == domain.CodeNotFound {
			continue
		} else if err != nil {
			return nil, err
		}
		out[id] = t
	}
	return out, nil
}

// CreateMenuItem puts an item on the menu, offered by teams the caller
// manages.
func (s *Service) CreateMenuItem(ctx context.Context, c domain.Caller, m domain.MenuItem) (int64, error) {
	if err := domain.Authorize(c.Principal, domain.ActMenuManage, domain.Target{}); err != nil {
		return 0, err
	}
	m.TeamIDs, m.RegionIDs, m.Active = dedupe(m.TeamIDs), dedupe(m.RegionIDs), true
	teams, err := s.loadTeams(ctx, m.TeamIDs)
	if err != nil {
		return 0, err
	}
	for _, t := range teams {
		if err := domain.Authorize(c.Principal, domain.ActMenuManage, t.Target()); err != nil {
			return 0, domain.Errorf(domain.CodeForbidden, "err.menu.team_not_yours", t.Name)
		}
	}
	if m, err = s.validateMenuItem(ctx, m, teams, 0); err != nil {
		return 0, err
	}
	var id int64
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		id, err = tx.CreateMenuItem(m)
		return err
	})
	return id, err
}

// UpdateMenuItem edits a menu item the caller manages. Its teams become the
// submitted teams the caller manages plus every team it had that the caller
// does not manage: a team leader cannot take an item away from another team.
// Whether it is active does not change here; see SetMenuItemActive.
func (s *Service) UpdateMenuItem(ctx context.Context, c domain.Caller, m domain.MenuItem) error {
	before, err := s.store.MenuItemByID(ctx, m.ID)
	if err != nil {
		return err
	}
	m.TeamIDs, m.RegionIDs, m.Active = dedupe(m.TeamIDs), dedupe(m.RegionIDs), before.Active
	teams, err := s.loadTeams(ctx, append(append([]int64(nil), before.TeamIDs...), m.TeamIDs...))
	if err != nil {
		return err
	}
	if err := canManageItem(c, pick(teams, before.TeamIDs)); err != nil {
		return err
	}
	var final []int64
	for _, id := range before.TeamIDs {
		if t, ok := teams[id]; ok && !domain.Can(c.Principal, domain.ActMenuManage, t.Target()) {
			final = append(final, id) // not the caller's to remove
		}
	}
	for _, id := range m.TeamIDs {
		t, ok := teams[id]
		switch {
		case !ok:
			final = append(final, id) // reported as not found by validation
		case domain.Can(c.Principal, domain.ActMenuManage, t.Target()):
			final = append(final, id)
		case !hasID(before.TeamIDs, id):
			return domain.Errorf(domain.CodeForbidden, "err.menu.team_not_yours", t.Name)
		}
	}
	m.TeamIDs = dedupe(final)
	if m, err = s.validateMenuItem(ctx, m, teams, before.CategoryID); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.UpdateMenuItem(before, m) })
}

// SetMenuItemActive puts a menu item the caller manages on the published
// menu or takes it off. Orders that asked for it keep it.
func (s *Service) SetMenuItemActive(ctx context.Context, c domain.Caller, id int64, active bool) error {
	before, err := s.ManagedMenuItem(ctx, c, id)
	if err != nil {
		return err
	}
	if before.Active == active {
		return nil // already so: a second click changes nothing
	}
	m := before
	m.Active = active
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.UpdateMenuItem(before, m) })
}

func pick(teams map[int64]domain.Team, ids []int64) map[int64]domain.Team {
	out := map[int64]domain.Team{}
	for _, id := range ids {
		if t, ok := teams[id]; ok {
			out[id] = t
		}
	}
	return out
}

// validateMenuItem checks an item's fields and that its category, regions
// and teams exist, reporting every fault at once. A retired category is
// refused, except on an item that already had it (keptCategory).
func (s *Service) validateMenuItem(ctx context.Context, m domain.MenuItem, teams map[int64]domain.Team, keptCategory int64) (domain.MenuItem, error) {
	m, fieldErr := m.Validate()
	var v domain.Validation
	addFields(&v, fieldErr)
	if m.CategoryID > 0 {
		cat, err := s.store.CategoryByID(ctx, m.CategoryID)
		switch {
		case domain.ErrCode(err) == domain.CodeNotFound:
			v.Add("category_id", "err.category.not_found")
		case err != nil:
			return m, err
		case cat.Retired && cat.ID != keptCategory:
			v.Add("category_id", "err.category.retired")
		}
	}
	if len(m.RegionIDs) > 0 {
		regions, err := s.store.ListRegions(ctx)
		if err != nil {
			return m, err
		}
		served := map[int64]bool{}
		for _, r := range regions {
			served[r.ID] = r.Level == domain.RegionBanner || r.Level == domain.RegionTown
		}
		for _, id := range m.RegionIDs {
			v.Check(served[id], "region_ids", "err.menu.region")
		}
	}
	for _, id := range m.TeamIDs {
		_, ok := teams[id]
		v.Check(ok, "team_ids", "err.team.not_found")
	}
	return m, v.Err()
}

// addFields adds every field fault of a validation error to v.
func addFields(v *domain.Validation, err error) {
	e, ok := domain.AsError(err)
	if !ok {
		v.AddErr(err)
		return
	}
	if e.Field != "" || len(e.Fields) == 0 {
		v.AddErr(domain.Invalid(e.Field, e.Key, e.Args...))
	}
	for _, fe := range e.Fields {
		v.AddErr(fe)
	}
}
