package views

import (
	"context"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// siteStates is a count for every state of the order lifecycle, zero ones
// included, so that a site contact's page keeps its shape.
func siteStates(t *service.SiteTodo) []store.OrderStateCount {
	by := map[domain.OrderState]store.OrderStateCount{}
	for _, c := range t.States {
		by[c.State] = c
	}
	out := make([]store.OrderStateCount, len(domain.OrderStates))
	for i, st := range domain.OrderStates {
		out[i] = by[st]
		out[i].State = st
	}
	return out
}

// siteStateLabel names a state, with how many of its orders changed since
// the last look.
func siteStateLabel(ctx context.Context, c store.OrderStateCount) string {
	label := T(ctx, enumKey("order_state", string(c.State)))
	if c.Changed > 0 {
		label += " · " + T(ctx, "home.todo.new_n", c.Changed)
	}
	return label
}
