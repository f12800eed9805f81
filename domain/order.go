package domain

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/width"
)

// OrderState is where an order is in the loop.
type OrderState string

// The order states, from DESIGN.md.
const (
	OrderSubmitted  OrderState = "submitted"
	OrderAccepted   OrderState = "accepted"
	OrderRejected   OrderState = "rejected"
	OrderCancelled  OrderState = "cancelled"
	OrderDispatched OrderState = "dispatched"
	OrderConfirmed  OrderState = "confirmed"
	OrderServed     OrderState = "served"
	OrderEvaluated  OrderState = "evaluated"
)

// OrderStates lists the states in the order of the loop.
var OrderStates = []OrderState{OrderSubmitted, OrderAccepted, OrderDispatched, OrderConfirmed,
	OrderServed, OrderEvaluated, OrderRejected, OrderCancelled}

// OrderEvent is something that happens to an order.
type OrderEvent string

// The events.
const (
	EventAccept   OrderEvent = "accept"   // the committee or the site's org admin takes it on
	EventReject   OrderEvent = "reject"   // … or turns it down, with a reason
	EventCancel   OrderEvent = "cancel"   // the requester withdraws it before dispatch
	EventDispatch OrderEvent = "dispatch" // the committee sends it to a group of teams
	EventDecline  OrderEvent = "decline"  // a team of the group declines: back for re-dispatch
	EventConfirm  OrderEvent = "confirm"  // every team of the group has confirmed
	EventServe    OrderEvent = "serve"    // the service took place
	EventEvaluate OrderEvent = "evaluate" // the requester rated it
)

// OrderEvents lists every event, for exhaustive tests.
var OrderEvents = []OrderEvent{EventAccept, EventReject, EventCancel, EventDispatch, EventDecline,
	EventConfirm, EventServe, EventEvaluate}

// orderTransitions is the order lifecycle: the one table of which event
// moves an order from which state to which. No code sets a state any other
// way.
var orderTransitions = map[OrderState]map[OrderEvent]OrderState{
	OrderSubmitted:  {EventAccept: OrderAccepted, EventReject: OrderRejected, EventCancel: OrderCancelled},
	OrderAccepted:   {EventDispatch: OrderDispatched, EventCancel: OrderCancelled},
	OrderDispatched: {EventConfirm: OrderConfirmed, EventDecline: OrderAccepted},
	OrderConfirmed:  {EventServe: OrderServed},
	OrderServed:     {EventEvaluate: OrderEvaluated},
}

// NextOrderState returns the state event e moves an order in state s to, or
// a conflict error naming both when the lifecycle does not allow it.
func NextOrderState(s OrderState, e OrderEvent) (OrderState, error) {
	if next, ok := orderTransitions[s][e]; ok {
		return next, nil
	}
	return s, &Error{Code: CodeConflict, Key: "err.order.transition",
		Args: []any{"enum.order_event." + string(e), "enum.order_state." + string(s)}}
}

// Final reports whether no event leaves state s.
func (s OrderState) Final() bool { return len(orderTransitions[s]) == 0 }

// Events lists the events allowed in state s.
func (s OrderState) Events() []OrderEvent {
	var out []OrderEvent
	for _, e := range OrderEvents {
		if _, ok := orderTransitions[s][e]; ok {
			out = append(out, e)
		}
	}
	return out
}

// ReasonRequired reports whether event e must carry a reason the requester
// reads.
func ReasonRequired(e OrderEvent) bool { return e == EventReject || e == EventDecline }

// Channel is how an order reached the committee.
type Channel string

// The channels.
const (
	ChannelOnline        Channel = "online"
	ChannelHotline       Channel = "hotline"
	ChannelSuggestionBox Channel = "suggestion_box"
	ChannelForum         Channel = "forum" // 座谈会
	ChannelVisit         Channel = "visit" // 走访
)

// Channels lists them; StaffChannels are those staff enter by hand.
var (
	Channels      = []Channel{ChannelOnline, ChannelHotline, ChannelSuggestionBox, ChannelForum, ChannelVisit}
	StaffChannels = []Channel{ChannelHotline, ChannelSuggestionBox, ChannelForum, ChannelVisit}
)

// ValidChannel reports whether c is a channel.
func ValidChannel(c Channel) bool {
	for _, x := range Channels {
		if c == x {
			return true
		}
	}
	return false
}

// Order is a request for services from the menu, or for a need the menu
// lacks.
type Order struct {
	ID             int64
	Code           string // the requester's tracking code: unguessable
	Channel        Channel
	State          OrderState
	RequesterName  string
	RequesterPhone string // full; pages show it masked
	UserID         int64  // the site contact who placed it, if any
	SiteID         int64
	SiteName       string
	OrgPath        string // the site's org, for the policy; "" for an address
	RegionID       int64
	RegionName     string
	Address        string
	DateFrom       string // YYYY-MM-DD
	DateTo         string
	Beneficiaries  int
	Need           string // a need the menu lacks, in the requester's words
	Notes          string
	TakenBy        int64 // the staff member who entered it (hotline, forum …)
	TakenByName    string
	SuggestionID   int64 // the suggestion it came from, if any
	// PreferredTeamID is the team the requester would like to serve, if
	// any: a wish the committee sees at dispatch, not a choice that binds.
	PreferredTeamID   int64
	PreferredTeamName string
	Items             []OrderItem
	CreatedAt         time.Time
	UpdatedAt         time.Time
	SeenAt            time.Time // when the requester last looked at it
}

// Target is the order as an object of the policy: its site's org and site.
func (o Order) Target() Target { return Target{OrgPath: o.OrgPath, SiteID: o.SiteID, UserID: o.UserID} }

// OrderItem is one menu item of an order.
type OrderItem struct {
	MenuItemID int64
	Title      string
	CategoryID int64
}

// OrderStep is one transition of an order, as its status page lists it.
type OrderStep struct {
	ID     int64
	From   OrderState
	To     OrderState
	Event  OrderEvent // "" for the order's creation
	Reason string
	Actor  string // the staff member's display name, or "" for the requester
	At     time.Time
}

// OrderInput is an order as a form gives it.
type OrderInput struct {
	Channel        Channel
	RequesterName  string
	RequesterPhone string
	SiteID         int64
	RegionID       int64
	Address        string
	DateFrom       string
	DateTo         string
	Beneficiaries  int
	Need           string
	Notes          string
	ItemIDs        []int64
	// PreferredTeamID is the team the requester would like, or 0 for "no
	// preference, the committee dispatches".
	PreferredTeamID int64
}

// Validate checks an order's fields and returns them trimmed and
// normalised. Whether the site, region and items exist is the service's
// business.
func (in OrderInput) Validate(today string) (OrderInput, error) {
	var v Validation
	in.RequesterName = ValidateName(&v, "requester_name", in.RequesterName, 40)
	in.RequesterPhone = NormalizePhone(in.RequesterPhone)
	if in.RequesterPhone == "" {
		v.Add("requester_phone", "err.required")
	} else {
		v.Check(ValidPhone(in.RequesterPhone), "requester_phone", "err.phone")
	}
	in.Address = v.Line("address", in.Address, 200)
	in.Need = v.Text("need", in.Need, 1000)
	in.Notes = v.Text("notes", in.Notes, 1000)
	v.Check(in.SiteID > 0 || (in.RegionID > 0 && in.Address != ""), "place", "err.order.place")
	v.Check(len(in.ItemIDs) > 0 || in.Need != "", "items", "err.order.nothing")
	v.Check(len(in.ItemIDs) <= 10, "items", "err.too_many_items", 10)
	v.Check(in.Beneficiaries >= 0 && in.Beneficiaries <= 100000, "beneficiaries", "err.order.beneficiaries")
	// The window runs from today (staff may enter an order that reached them
	// up to a year ago) to at most a year ahead.
	earliest, latest := today, AddYears(today, OrderYears)
	if in.Channel != ChannelOnline {
		earliest = AddYears(today, -OrderYears)
	}
	switch {
	case !ValidDate(in.DateFrom):
		v.Add("date_from", "err.date_format")
	case !ValidDate(in.DateTo):
		v.Add("date_to", "err.date_format")
	case in.DateTo < in.DateFrom:
		v.Add("date_to", "err.order.date_order")
	case in.Channel == ChannelOnline && in.DateFrom < today:
		v.Add("date_from", "err.order.date_past")
	default:
		v.CheckDate("date_from", in.DateFrom, earliest, latest)
		v.CheckDate("date_to", in.DateTo, earliest, latest)
	}
	v.Check(ValidChannel(in.Channel), "channel", "err.order.channel")
	v.Check(in.PreferredTeamID >= 0, "preferred_team_id", "err.form")
	seen := map[int64]bool{}
	var items []int64
	for _, id := range in.ItemIDs {
		if id > 0 && !seen[id] {
			seen[id] = true
			items = append(items, id)
		}
	}
	in.ItemIDs = items
	return in, v.Err()
}

// OrderNumber is an order's short number, for the requester to note and a
// clerk to read out on the phone: its id with at least six digits. With the
// last four digits of the requester's phone it finds the order again.
func OrderNumber(id int64) string { return fmt.Sprintf("%06d", id) }

// ParseOrderNumber reads an order number as a person may type it: with
// spaces, leading zeros, or a "No." or "#" in front. It reports false for
// anything that cannot be one.
func ParseOrderNumber(s string) (int64, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "").Replace(width.Fold.String(strings.TrimSpace(s)))
	s = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(s), "no."), "no"), "#")
	if s == "" || len(s) > 12 {
		return 0, false
	}
	var n int64
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int64(r-'0')
	}
	return n, n > 0
}

// PhoneLast4 is the last four digits of a phone number, or "" when it has
// fewer digits.
func PhoneLast4(phone string) string {
	var digits []rune
	for _, r := range width.Fold.String(phone) {
		if r >= '0' && r <= '9' {
			digits = append(digits, r)
		}
	}
	if len(digits) < 4 {
		return ""
	}
	return string(digits[len(digits)-4:])
}
