package service

import (
	"context"
	"strconv"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// WorkList is the staff's list of orders: a page of them, and what changed
// since the viewer last looked — the in-app notice of new orders, reviews
// by colleagues and cancellations by requesters.
type WorkList struct {
	Orders   []domain.Order
	Total    int
	LastSeen time.Time      // zero on the first look
	Changed  map[int64]bool // orders of this page that changed since
	NewCount int            // orders in the viewer's scope that changed since, on any page
}

// WorkList lists the orders in the caller's scope matching f and marks the
// list seen. An order counts as changed when its last step came after the
// previous look and was not the viewer's own.
func (s *Service) WorkList(ctx context.Context, c domain.Caller, f store.OrderFilter) (WorkList, error) {
	orders, total, seen, err := s.Orders(ctx, c, f)
	if err != nil {
		return WorkList{}, err
	}
	w := WorkList{Orders: orders, Total: total, LastSeen: seen}
	// The list is marked seen whatever the filter, so the count covers the
	// whole scope.
	scope := store.OrderFilter{Scope: domain.ScopeOf(c.Principal, domain.ActOrderRead)}
	if w.NewCount, err = s.store.CountOrdersChanged(ctx, scope, seen, c.UserID); err != nil {
		return w, err
	}
	ids := make([]int64, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	w.Changed, err = s.store.OrdersChanged(ctx, ids, seen, c.UserID)
	return w, err
}

// OrderAccess says what the caller may do with one order, so that a page
// shows only the buttons that work.
type OrderAccess struct {
	Review        bool // accept or reject, while it is submitted
	RevealPhone   bool // show the requester's full number, audited
	SeeCode       bool // read the tracking code of an order staff entered, to tell the requester
	SeeSuggestion bool // open the suggestion it came from
}

// OrderAccessFor answers OrderAccess for an order.
func (s *Service) OrderAccessFor(c domain.Caller, o domain.Order) OrderAccess {
	return OrderAccess{
		Review:        s.authorizeOrder(c, domain.ActOrderReview, o) == nil && o.State == domain.OrderSubmitted,
		RevealPhone:   s.authorizeOrder(c, domain.ActPersonalRead, o) == nil,
		SeeCode:       s.authorizeOrder(c, domain.ActOrderEnter, o) == nil && o.Channel != domain.ChannelOnline,
		SeeSuggestion: domain.Can(c.Principal, domain.ActSuggestionManage, domain.Target{}),
	}
}

// OrderByCodeForStaff returns an order that staff just entered, found by the
// code EnterOrder returned, when the caller may read it.
func (s *Service) OrderByCodeForStaff(ctx context.Context, c domain.Caller, code string) (domain.Order, error) {
	o, err := s.store.OrderByCode(ctx, code)
	if err != nil {
		return o, err
	}
	return o, s.authorizeOrder(c, domain.ActOrderRead, o)
}

// RevealOrderPhone returns an order's full phone number to a caller whose
// role needs it, and writes that it was shown to the audit log.
func (s *Service) RevealOrderPhone(ctx context.Context, c domain.Caller, id int64) (string, error) {
	o, err := s.store.OrderByID(ctx, id)
	if err != nil {
		return "", err
	}
	if err := s.authorizeOrder(c, domain.ActPersonalRead, o); err != nil {
		return "", err
	}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.Audit("order.reveal", "order", strconv.FormatInt(id, 10), nil, map[string]any{"field": "phone"})
	})
	return o.RequesterPhone, err
}

// checkEnterPlace keeps an order staff enter inside their own scope: an org
// admin enters orders for the sites of their subtree, and orders at an
// address (which only the committee reviews) are the committee's to enter.
// A site that does not exist is left for checkOrderRefs to report.
func (s *Service) checkEnterPlace(ctx context.Context, c domain.Caller, in domain.OrderInput) error {
	t := domain.Target{OrgPath: "/"}
	if in.SiteID > 0 {
		site, err := s.store.SiteByID(ctx, in.SiteID)
		if domain.ErrCode(err) == domain.CodeNotFound {
			return nil
		} else if err != nil {
			return err
		}
		t = site.Target()
	}
	if !domain.Can(c.Principal, domain.ActOrderEnter, t) {
		return domain.Invalid("place", "err.order.place_scope")
	}
	return nil
}

// WorkMenu is the active menu, for the staff's order form.
func (s *Service) WorkMenu(ctx context.Context, c domain.Caller) ([]domain.MenuItem, error) {
	if err := domain.Authorize(c.Principal, domain.ActOrderEnter, domain.Target{}); err != nil {
		return nil, err
	}
	return s.store.ListMenuItems(ctx, store.MenuFilter{ActiveOnly: true})
}
