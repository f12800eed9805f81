package service

import (
	"context"

	"vanguard/domain"
	"vanguard/store"
)

// Use cases the JSON API reads that the pages read in another shape. Each
// authorises with the same action as the page it mirrors.

// OrderList lists the orders in the caller's scope matching f, like the
// work list (ActOrderRead) but without marking the list seen: a program
// polling the API must not clear the "new since you last looked" marks of
// the person's pages.
func (s *Service) OrderList(ctx context.Context, c domain.Caller, f store.OrderFilter) ([]domain.Order, error) {
	if err := domain.Authorize(c.Principal, domain.ActOrderRead, domain.Target{}); err != nil {
		return nil, err
	}
	f.Scope = domain.ScopeOf(c.Principal, domain.ActOrderRead)
	orders, _, err := s.store.ListOrders(ctx, f)
	return orders, err
}

// Stats is the statistics summary of the caller's scope: the orders they
// may read (ActOrderRead) and the activities they organise or whose teams
// they lead (ActActivityManage).
func (s *Service) Stats(ctx context.Context, c domain.Caller) (store.StatsSummary, error) {
	if err := domain.Authorize(c.Principal, domain.ActStatsRead, domain.Target{}); err != nil {
		return store.StatsSummary{}, err
	}
	return s.store.ScopeStats(ctx, domain.ScopeOf(c.Principal, domain.ActOrderRead), domain.ScopeOf(c.Principal, domain.ActActivityManage))
}
