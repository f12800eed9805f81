package store

import (
	"fmt"
	"time"

	"vanguard/domain"
)

// PastOrder is an order with its history already written: what the demo
// city loads, and what a migration from spreadsheets would load.
type PastOrder struct {
	NewOrder
	State      domain.OrderState
	CreatedAt  time.Time
	Steps      []PastStep // after the creation step, oldest first
	Dispatches []PastDispatch
}

// PastDispatch is a slot as it was dispatched and answered.
type PastDispatch struct {
	CategoryID int64
	TeamID     int64
	PersonDays float64
	State      domain.DispatchState
	Reason     string
	At         time.Time // when it was sent
	AnsweredAt time.Time // zero while pending
}

// PastStep is one transition of a PastOrder.
type PastStep struct {
	Event  domain.OrderEvent
	Reason string
	Actor  string
	At     time.Time
}

// LoadPastOrders writes orders with their items and steps as they happened,
// checking each step against the lifecycle table, and audits the load as one
// "order.bulk_load" entry.
func (tx *Tx) LoadPastOrders(orders []PastOrder) error {
	if len(orders) == 0 {
		return nil
	}
	var rows, items, steps [][]any
	for _, o := range orders {
		state := domain.OrderSubmitted
		updated := o.CreatedAt
		for _, st := range o.Steps {
			next, err := domain.NextOrderState(state, st.Event)
			if err != nil {
				return fmt.Errorf("past order %s: %w", o.Code, err)
			}
			state, updated = next, st.At
		}
		if state != o.State {
			return fmt.Errorf("past order %s: its steps end in %s, not %s", o.Code, state, o.State)
		}
		rows = append(rows, []any{o.Code, nullText(o.EvalCode), string(o.Channel), string(o.State), o.RequesterName, o.RequesterPhone,
			nullID(o.UserID), nullID(o.SiteID), nullID(o.RegionID), o.Address, o.DateFrom, o.DateTo, o.Beneficiaries,
			o.Need, o.Notes, nullID(o.TakenBy), micros(o.CreatedAt), micros(updated)})
	}
	err := tx.insertRows("orders", []string{"code", "eval_code", "channel", "state", "requester_name", "requester_phone", "user_id",
		"site_id", "region_id", "address", "date_from", "date_to", "beneficiaries", "need", "notes", "taken_by",
		"created_at", "updated_at"}, rows)
	if err != nil {
		return err
	}
	ids := map[string]int64{}
	r, err := tx.query("SELECT code, id FROM orders")
	if err != nil {
		return err
	}
	for r.Next() {
		var code string
		var id int64
		if err := r.Scan(&code, &id); err != nil {
			r.Close()
			return err
		}
		ids[code] = id
	}
	r.Close()
	for _, o := range orders {
		id := ids[o.Code]
		for _, it := range o.ItemIDs {
			items = append(items, []any{id, it})
		}
		state := domain.OrderSubmitted
		steps = append(steps, []any{id, "", string(state), "", "", "", micros(o.CreatedAt)})
		for _, st := range o.Steps {
			next, _ := domain.NextOrderState(state, st.Event)
			steps = append(steps, []any{id, string(state), string(next), string(st.Event), st.Reason, st.Actor, micros(st.At)})
			state = next
		}
	}
	if err := tx.insertRows("order_items", []string{"order_id", "menu_item_id"}, items); err != nil {
		return err
	}
	if err := tx.insertRows("order_steps", []string{"order_id", "from_state", "to_state", "event", "reason",
		"actor_name", "at"}, steps); err != nil {
		return err
	}
	var dispatches [][]any
	for _, o := range orders {
		for _, d := range o.Dispatches {
			dispatches = append(dispatches, []any{ids[o.Code], d.CategoryID, d.TeamID, d.PersonDays, string(d.State),
				d.Reason, micros(d.At), micros(d.AnsweredAt)})
		}
	}
	if err := tx.insertRows("dispatches", []string{"order_id", "category_id", "team_id", "person_days", "state",
		"reason", "dispatched_at", "answered_at"}, dispatches); err != nil {
		return err
	}
	return tx.Audit("order.bulk_load", "order", "", nil, map[string]any{
		"orders": len(orders), "items": len(items), "steps": len(steps), "dispatches": len(dispatches),
	})
}
