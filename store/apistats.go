package store

import (
	"context"
	"fmt"

	"vanguard/domain"
)

// StatsSummary is the statistics summary of a scope for the JSON API:
// orders by state, activities by state, and the person-times and minutes
// of service recorded on activities.
type StatsSummary struct {
	Orders      map[domain.OrderState]int
	Activities  map[domain.ActivityState]int
	PersonTimes int
	Minutes     domain.Minutes
}

// ScopeStats counts orders of the sites in orders (nothing when orders is
// empty) and the activities in activities, with their recorded service
// (nothing when activities is empty). Each figure is one grouped query.
func (s *Store) ScopeStats(ctx context.Context, orders, activities domain.Scope) (StatsSummary, error) {
	out := StatsSummary{Orders: map[domain.OrderState]int{}, Activities: map[domain.ActivityState]int{}}
	if !orders.Empty() {
		cond, args := orderCond(OrderFilter{Scope: orders})
		counts, err := scanCounts(s.query(ctx, "SELECT x.state, COUNT(*)"+orderFrom+" WHERE "+cond+" GROUP BY x.state", args...))
		if err != nil {
			return out, fmt.Errorf("count orders by state: %w", err)
		}
		for st, n := range counts {
			out.Orders[domain.OrderState(st)] = n
		}
	}
	if activities.Empty() {
		return out, nil
	}
	cond, args := activityCond(ActivityFilter{Scope: &activities})
	counts, err := scanCounts(s.query(ctx, "SELECT a.state, COUNT(*)"+activityFrom+" WHERE "+cond+" GROUP BY a.state", args...))
	if err != nil {
		return out, fmt.Errorf("count activities by state: %w", err)
	}
	for st, n := range counts {
		out.Activities[domain.ActivityState(st)] = n
	}
	err = s.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(h.minutes), 0) FROM activity_hours h
		WHERE h.activity_id IN (SELECT a.id`+activityFrom+" WHERE "+cond+")", args...).Scan(&out.PersonTimes, &out.Minutes)
	if err != nil {
		return out, fmt.Errorf("sum recorded service: %w", err)
	}
	return out, nil
}
