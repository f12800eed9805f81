package service

import (
	"context"
	"sort"

	"vanguard/domain"
	"vanguard/store"
)

// InboxItem is one order a team was sent, with the slots it holds.
type InboxItem struct {
	Order      domain.Order
	TeamID     int64
	TeamName   string
	Dispatches []domain.Dispatch // this team's slots of the order
	Overdue    bool
	ActivityID int64 // the activity arranged for the order, if any
}

// Arrange reports whether the item should offer to arrange the order's
// activity: the team confirmed, the whole group did, and none is arranged.
func (it InboxItem) Arrange() bool {
	if it.ActivityID != 0 || it.Order.State != domain.OrderConfirmed {
		return false
	}
	for _, d := range it.Dispatches {
		if d.State == domain.DispatchConfirmed {
			return true
		}
	}
	return false
}

// TeamInbox lists what the caller's teams were sent: pending first, then
// answered ones (when all is true).
func (s *Service) TeamInbox(ctx context.Context, c domain.Caller, all bool) ([]InboxItem, error) {
	if err := domain.Authorize(c.Principal, domain.ActDispatchAnswer, domain.Target{}); err != nil {
		return nil, err
	}
	sc := domain.ScopeOf(c.Principal, domain.ActDispatchAnswer)
	teamIDs := sc.TeamIDs
	if sc.All {
		teams, err := s.store.ListTeams(ctx, store.TeamFilter{Scope: sc})
		if err != nil {
			return nil, err
		}
		teamIDs = nil
		for _, t := range teams {
			teamIDs = append(teamIDs, t.ID)
		}
	}
	ds, err := s.store.TeamDispatches(ctx, teamIDs, !all)
	if err != nil {
		return nil, err
	}
	cutoff := s.store.Now().Add(-domain.DispatchOverdue)
	var out []InboxItem
	idx := map[[2]int64]int{}
	for _, d := range ds {
		key := [2]int64{d.OrderID, d.TeamID}
		i, ok := idx[key]
		if !ok {
			o, err := s.store.OrderByID(ctx, d.OrderID)
			if err != nil {
				return nil, err
			}
			out = append(out, InboxItem{Order: o, TeamID: d.TeamID, TeamName: d.TeamName})
			i = len(out) - 1
			idx[key] = i
		}
		out[i].Dispatches = append(out[i].Dispatches, d)
		if d.State == domain.DispatchPending && d.DispatchedAt.Before(cutoff) {
			out[i].Overdue = true
		}
	}
	ids := make([]int64, len(out))
	for i, it := range out {
		ids[i] = it.Order.ID
	}
	acts, err := s.store.OrderActivities(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].ActivityID = acts[out[i].Order.ID]
	}
	// Pending first, then newest.
	pending := func(it InboxItem) bool {
		for _, d := range it.Dispatches {
			if d.State == domain.DispatchPending {
				return true
			}
		}
		return false
	}
	sort.SliceStable(out, func(i, j int) bool {
		if pi, pj := pending(out[i]), pending(out[j]); pi != pj {
			return pi
		}
		return out[i].Dispatches[0].DispatchedAt.After(out[j].Dispatches[0].DispatchedAt)
	})
	return out, nil
}

// AnswerDispatch confirms (接单) or declines, with a reason, what a team was
// sent for an order.
func (s *Service) AnswerDispatch(ctx context.Context, c domain.Caller, orderID, teamID int64, confirm bool, reason string) error {
	t, err := s.store.TeamByID(ctx, teamID)
	if err != nil {
		return err
	}
	if err := domain.Authorize(c.Principal, domain.ActDispatchAnswer, t.Target()); err != nil {
		return err
	}
	reason, err = domain.ValidText("reason", reason, 500)
	if err != nil {
		return err
	}
	if !confirm && reason == "" {
		return domain.Invalid("reason", "err.order.reason_required")
	}
	if len([]rune(reason)) > 500 {
		return domain.Invalid("reason", "err.too_long", 500)
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		if err := tx.AnswerDispatch(orderID, teamID, confirm, reason); err != nil {
			return err
		}
		return notifyAnswered(tx, orderID, teamID, confirm, reason)
	})
}

// OverdueDispatches lists dispatches waiting for an answer longer than
// domain.DispatchOverdue, for the committee.
func (s *Service) OverdueDispatches(ctx context.Context, c domain.Caller) ([]domain.Dispatch, error) {
	if err := domain.Authorize(c.Principal, domain.ActDispatch, domain.Target{}); err != nil {
		return nil, err
	}
	return s.store.OverdueDispatches(ctx, s.store.Now().Add(-domain.DispatchOverdue).UnixMicro())
}
