package domain

import "testing"

// TestOrderLifecycle walks every (state, event) pair: the allowed ones move
// to the state DESIGN.md names, every other one is refused with a conflict
// and leaves the state as it was.
func TestOrderLifecycle(t *testing.T) {
	want := map[OrderState]map[OrderEvent]OrderState{
		OrderSubmitted:  {EventAccept: OrderAccepted, EventReject: OrderRejected, EventCancel: OrderCancelled},
		OrderAccepted:   {EventDispatch: OrderDispatched, EventCancel: OrderCancelled},
		OrderDispatched: {EventConfirm: OrderConfirmed, EventDecline: OrderAccepted},
		OrderConfirmed:  {EventServe: OrderServed},
		OrderServed:     {EventEvaluate: OrderEvaluated},
	}
	pairs := 0
	for _, s := range OrderStates {
		for _, e := range OrderEvents {
			pairs++
			got, err := NextOrderState(s, e)
			next, allowed := want[s][e]
			switch {
			case allowed && (err != nil || got != next):
				t.Errorf("%s --%s--> got %s, %v; want %s", s, e, got, err, next)
			case !allowed && (err == nil || ErrCode(err) != CodeConflict || got != s):
				t.Errorf("%s --%s--> got %s, %v; want a conflict and no change", s, e, got, err)
			}
		}
	}
	if pairs != 8*8 {
		t.Fatalf("walked %d pairs, want 64", pairs)
	}
	for _, s := range []OrderState{OrderRejected, OrderCancelled, OrderEvaluated} {
		if !s.Final() {
			t.Errorf("%s is not final", s)
		}
	}
	// The requester may cancel only before dispatch.
	for _, s := range OrderStates {
		_, err := NextOrderState(s, EventCancel)
		if before := s == OrderSubmitted || s == OrderAccepted; before != (err == nil) {
			t.Errorf("cancel in %s: err %v", s, err)
		}
	}
}

func TestOrderInputValidate(t *testing.T) {
	ok := OrderInput{Channel: ChannelOnline, RequesterName: " 巴特尔 ", RequesterPhone: "13912345678",
		SiteID: 1, DateFrom: "2026-12-01", DateTo: "2026-12-03", Beneficiaries: 40, ItemIDs: []int64{3, 3, 5}}
	got, err := ok.Validate("2026-11-28")
	if err != nil || got.RequesterName != "巴特尔" || len(got.ItemIDs) != 2 {
		t.Fatalf("Validate = %+v, %v", got, err)
	}
	bad := OrderInput{Channel: "fax", RequesterPhone: "123", DateFrom: "2026-11-01", DateTo: "2026-10-01", Beneficiaries: -1}
	_, err = bad.Validate("2026-11-28")
	e, _ := AsError(err)
	for _, f := range []string{"requester_name", "requester_phone", "place", "items", "date_to", "beneficiaries", "channel"} {
		if e == nil || e.Fields[f] == nil {
			t.Errorf("no error on %s: %v", f, err)
		}
	}
	past := ok
	past.DateFrom, past.DateTo = "2026-11-01", "2026-11-02"
	if _, err := past.Validate("2026-11-28"); err == nil {
		t.Error("a date window in the past was accepted")
	}
	need := ok
	need.ItemIDs, need.Need = nil, "牧区需要兽医讲座"
	if _, err := need.Validate("2026-11-28"); err != nil {
		t.Errorf("a need without menu items: %v", err)
	}
}
