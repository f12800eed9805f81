package service

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// Limits on the public, counted in the database so that they hold across
// instances; README's "Order limits" paragraph states them. Orders are
// limited per client address and per phone number: a village office, a
// school or a carrier's NAT puts many people behind one address, so the
// address limit is generous and the phone limit is what stops one person
// flooding the committee. Lookups by order number are limited per order as
// well as per address, so that the four digits cannot be found by trying
// from many addresses.
const (
	orderAddressLimit   = 30 // anonymous orders per hour from one client address
	orderPhoneLimit     = 3  // anonymous orders per hour for one phone number
	orderWindow         = time.Hour
	trackLimit          = 30 // status lookups per 10 minutes from one address, by code or number
	trackWindow         = 10 * time.Minute
	numberLimit         = 10 // lookups of one order number per hour, from any address
	numberWindow        = time.Hour
	numberDayLimit      = 20 // and per day: the four digits have 10,000 values, so tries must stay few
	numberDayWindow     = 24 * time.Hour
	codeLen             = 26 // 128 random bits in base32
	listSeenOrders      = "orders"
	rateOrderBucket     = "order"
	ratePhoneBucket     = "order_phone" // keyed by a keyed hash of the phone, never the number itself
	rateTrackBucket     = "track"
	rateNumberBucket    = "track_number"
	rateNumberDayBucket = "track_number_day"
)

var codeEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewCode returns an unguessable tracking code: 128 random bits, written in
// lower-case base32 (26 characters).
func NewCode() string {
	b := make([]byte, 16)
	rand.Read(b)
	return strings.ToLower(codeEncoding.EncodeToString(b))
}

// NormalizeCode reads a code as a person may type it: any case, with spaces
// or dashes. It returns "" for anything that cannot be a code.
func NormalizeCode(s string) string {
	s = strings.ToLower(strings.NewReplacer(" ", "", "-", "", "\u00a0", "").Replace(strings.TrimSpace(s)))
	if len(s) != codeLen {
		return ""
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '2' && r <= '7') {
			return ""
		}
	}
	return s
}

// chinaToday is the current date where the platform's users live.
func (s *Service) chinaToday() string {
	return s.store.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
}

// checkOrderRefs checks that an order's site, region and menu items exist
// and that the items are on the menu.
func (s *Service) checkOrderRefs(ctx context.Context, in domain.OrderInput) error {
	var v domain.Validation
	if in.SiteID > 0 {
		if _, err := s.store.SiteByID(ctx, in.SiteID); err != nil {
			v.Add("place", "err.site.not_found")
		}
	} else if in.RegionID > 0 {
		if !s.regionExists(ctx, in.RegionID) {
			v.Add("place", "err.region.not_found")
		}
	}
	for _, id := range in.ItemIDs {
		m, err := s.store.MenuItemByID(ctx, id)
		if err != nil || !m.Active {
			v.Add("items", "err.menu.not_found")
		}
	}
	if in.PreferredTeamID != 0 {
		// The team wished for must offer one of the services ordered.
		services, err := s.PublicServices(ctx, in.ItemIDs)
		if err != nil {
			return err
		}
		offers := false
		for _, sv := range services {
			offers = offers || sv.OfferedBy(in.PreferredTeamID)
		}
		v.Check(offers, "preferred_team_id", "err.order.preferred_team")
	}
	return v.Err()
}

func (s *Service) regionExists(ctx context.Context, id int64) bool {
	regions, err := s.store.ListRegions(ctx)
	if err != nil {
		return false
	}
	for _, r := range regions {
		if r.ID == id {
			return true
		}
	}
	return false
}

// PlaceOrder takes an order from the menu: from a member of the public (no
// account; limited per client address and per phone number) or from a site
// contact for their own site. The items ordered stand for their services
// (orderServices). It returns the tracking code.
func (s *Service) PlaceOrder(ctx context.Context, c domain.Caller, in domain.OrderInput) (string, error) {
	return s.PlaceOrderOnce(ctx, c, "", in)
}

// PlaceOrderOnce is PlaceOrder guarded by the order form's token: a second
// submission with the same token returns the first order's code and
// creates nothing (see idempotency.go).
func (s *Service) PlaceOrderOnce(ctx context.Context, c domain.Caller, token string, in domain.OrderInput) (string, error) {
	token = NormalizeCode(token)
	if code, ok, err := s.replayed(ctx, tokenOrder, token); ok || err != nil {
		return code, err
	}
	in.Channel = domain.ChannelOnline
	in, err := s.orderServices(ctx, in)
	if err != nil {
		return "", err
	}
	userID := int64(0)
	if !c.Anonymous() {
		if err := domain.Authorize(c.Principal, domain.ActOrderPlace, domain.Target{}); err != nil {
			return "", err
		}
		if !hasID(domain.ScopeOf(c.Principal, domain.ActOrderPlace).SiteIDs, in.SiteID) {
			return "", domain.Invalid("place", "err.order.not_your_site")
		}
		userID = c.UserID
	}
	return s.createOrder(ctx, c, in, store.NewOrder{UserID: userID}, token)
}

// EnterOrder records an order that reached staff by the hotline, the
// suggestion box, a forum or a visit, with who took it.
func (s *Service) EnterOrder(ctx context.Context, c domain.Caller, in domain.OrderInput) (string, error) {
	if err := domain.Authorize(c.Principal, domain.ActOrderEnter, domain.Target{}); err != nil {
		return "", err
	}
	if in.Channel == domain.ChannelOnline {
		return "", domain.Invalid("channel", "err.order.channel")
	}
	if err := s.checkEnterPlace(ctx, c, in); err != nil {
		return "", err
	}
	return s.createOrder(ctx, c, in, store.NewOrder{TakenBy: c.UserID}, "")
}

func (s *Service) createOrder(ctx context.Context, c domain.Caller, in domain.OrderInput, n store.NewOrder, token string) (string, error) {
	in, err := in.Validate(s.chinaToday())
	if err != nil {
		return "", err
	}
	if err := s.checkOrderRefs(ctx, in); err != nil {
		return "", err
	}
	n.OrderInput, n.Code, n.EvalCode = in, NewCode(), NewCode()
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		if err := claimToken(tx, tokenOrder, token); err != nil {
			return err
		}
		if c.Anonymous() {
			if err := s.allowOrder(tx, c, in.RequesterPhone); err != nil {
				return err
			}
		}
		id, err := tx.CreateOrder(n)
		if err == nil && n.SuggestionID != 0 {
			err = tx.MarkSuggestionOrdered(n.SuggestionID, id) // the link both ways, in one transaction
		}
		if err == nil {
			err = recordToken(tx, tokenOrder, token, n.Code)
		}
		return err
	})
	if first, ok := replayResult(err); ok {
		return first, nil
	}
	return n.Code, err
}

// allowOrder counts an anonymous order against the limits per client
// address and per phone number, and refuses it over either. The phone is
// counted under a keyed hash, so the limits table holds no phone number.
func (s *Service) allowOrder(tx *store.Tx, c domain.Caller, phone string) error {
	ok, err := tx.Allow(rateOrderBucket, c.IP, orderAddressLimit, orderWindow)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.CodeTooMany, "err.rate.orders", orderAddressLimit)
	}
	ok, err = tx.Allow(ratePhoneBucket, s.KeyedHash("rate_phone", phone), orderPhoneLimit, orderWindow)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.CodeTooMany, "err.rate.orders_phone", orderPhoneLimit)
	}
	return nil
}

func hasID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// Tracking is what the status page shows: the order, every step, and the
// time the requester last looked, so that newer steps can be marked.
type Tracking struct {
	Order    domain.Order
	Steps    []domain.OrderStep
	LastSeen time.Time
	// EvalCode is the one-time evaluation code, once the order is served;
	// Evaluation is the requester's evaluation, once it is evaluated.
	EvalCode   string
	Evaluation *domain.Evaluation
	// Teams are the teams serving the order once it is dispatched: the
	// group the committee sent it to (not the menu items' teams), with
	// whether each has confirmed. Activities are its scheduled or held
	// activities, by start time.
	Teams      []TrackTeam
	Activities []domain.Activity
}

// errNoSuchCode is the one answer to a malformed or unknown code.
var errNoSuchCode = domain.Errorf(domain.CodeNotFound, "err.order.no_such_code")

// TrackOrder returns an order's status by its code. Possession of the code is
// the requester's authority. Lookups are limited per client address, wrong
// codes included, so that codes cannot be guessed by trying.
func (s *Service) TrackOrder(ctx context.Context, c domain.Caller, code string) (Tracking, error) {
	var allowed bool
	err := s.store.Housekeep(ctx, func(tx *store.Tx) (err error) {
		allowed, err = tx.Allow(rateTrackBucket, c.IP, trackLimit, trackWindow)
		return err
	})
	if err != nil {
		return Tracking{}, err
	}
	if !allowed {
		return Tracking{}, domain.Errorf(domain.CodeTooMany, "err.rate.track", int(trackWindow.Minutes()))
	}
	code = NormalizeCode(code)
	if code == "" {
		return Tracking{}, errNoSuchCode
	}
	o, err := s.store.OrderByCode(ctx, code)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return Tracking{}, errNoSuchCode
	} else if err != nil {
		return Tracking{}, err
	}
	steps, err := s.store.OrderSteps(ctx, o.ID)
	if err != nil {
		return Tracking{}, err
	}
	t := Tracking{Order: o, Steps: steps, LastSeen: o.SeenAt}
	if err := s.trackEvaluation(ctx, &t); err != nil {
		return t, err
	}
	if err := s.trackServing(ctx, &t); err != nil {
		return t, err
	}
	// Mark the order seen only when a step is newer than the last look: the
	// marks come out the same, and most lookups stay reads.
	if len(steps) > 0 && steps[len(steps)-1].At.After(o.SeenAt) {
		err = s.store.Housekeep(ctx, func(tx *store.Tx) error { return tx.MarkOrderSeen(o.ID) })
	}
	return t, err
}

// CancelByCode lets the requester withdraw their order before dispatch.
func (s *Service) CancelByCode(ctx context.Context, c domain.Caller, code, reason string) error {
	var allowed bool
	err := s.store.Housekeep(ctx, func(tx *store.Tx) (err error) {
		allowed, err = tx.Allow(rateTrackBucket, c.IP, trackLimit, trackWindow)
		return err
	})
	if err != nil {
		return err
	}
	if !allowed {
		return domain.Errorf(domain.CodeTooMany, "err.rate.track", int(trackWindow.Minutes()))
	}
	code = NormalizeCode(code)
	if code == "" {
		return errNoSuchCode
	}
	o, err := s.store.OrderByCode(ctx, code)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return errNoSuchCode
	} else if err != nil {
		return err
	}
	reason, err = domain.ValidText("reason", reason, 500)
	if err != nil {
		return err
	}
	ds, err := s.store.OrderDispatches(ctx, o.ID)
	if err != nil {
		return err
	}
	for _, x := range ds {
		if x.State == domain.DispatchPending || x.State == domain.DispatchConfirmed {
			return domain.Errorf(domain.CodeConflict, "err.order.cancel_dispatched")
		}
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		_, err := tx.TransitionOrder(o.ID, domain.EventCancel, reason)
		return err
	})
}

// Orders lists the orders in the caller's scope for their work list, and
// when they last looked at it; looking marks it seen.
func (s *Service) Orders(ctx context.Context, c domain.Caller, f store.OrderFilter) ([]domain.Order, int, time.Time, error) {
	if err := domain.Authorize(c.Principal, domain.ActOrderRead, domain.Target{}); err != nil {
		return nil, 0, time.Time{}, err
	}
	f.Scope = domain.ScopeOf(c.Principal, domain.ActOrderRead)
	orders, total, err := s.store.ListOrders(ctx, f)
	if err != nil {
		return nil, 0, time.Time{}, err
	}
	seen, err := s.store.SeenAt(ctx, c.UserID, listSeenOrders)
	if err != nil {
		return nil, 0, time.Time{}, err
	}
	err = s.store.Housekeep(ctx, func(tx *store.Tx) error { return tx.MarkSeen(c.UserID, listSeenOrders) })
	return orders, total, seen, err
}

// Order returns one order the caller may read with its steps: one in their
// scope, or, for a team leader, one their team was sent.
func (s *Service) Order(ctx context.Context, c domain.Caller, id int64) (domain.Order, []domain.OrderStep, error) {
	o, err := s.store.OrderByID(ctx, id)
	if err != nil {
		return o, nil, err
	}
	if err := s.authorizeOrderView(ctx, c, o); err != nil {
		return o, nil, err
	}
	steps, err := s.store.OrderSteps(ctx, id)
	return o, steps, err
}

// authorizeOrderView checks that the caller may read one order: staff whose
// scope holds it (as authorizeOrder), and the leaders of the teams it was
// sent to and have not declined, so that a leader can read what they are
// asked to serve. Pages mask the requester's phone for them as for staff.
func (s *Service) authorizeOrderView(ctx context.Context, c domain.Caller, o domain.Order) error {
	t := o.Target()
	if t.OrgPath == "" {
		t.OrgPath = "/"
	}
	targets := []domain.Target{t}
	if domain.Authorize(c.Principal, domain.ActOrderView, t) != nil {
		ds, err := s.store.OrderDispatches(ctx, o.ID)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if d.State != domain.DispatchDeclined {
				targets = append(targets, domain.Target{TeamID: d.TeamID})
			}
		}
	}
	return domain.AuthorizeAny(c.Principal, domain.ActOrderView, targets)
}

// authorizeOrder checks an action on an order: orders of a site belong to
// the site's org subtree and to the site; orders at an address only to the
// committee.
func (s *Service) authorizeOrder(c domain.Caller, a domain.Action, o domain.Order) error {
	t := o.Target()
	if t.OrgPath == "" {
		t.OrgPath = "/" // no org admin's subtree holds it; the committee's scope does
	}
	return domain.Authorize(c.Principal, a, t)
}

// ReviewOrder accepts or rejects a submitted order. A rejection needs a
// reason, which the requester reads on the status page.
func (s *Service) ReviewOrder(ctx context.Context, c domain.Caller, id int64, e domain.OrderEvent, reason string) error {
	if e != domain.EventAccept && e != domain.EventReject {
		return domain.Invalid("event", "err.form")
	}
	o, err := s.store.OrderByID(ctx, id)
	if err != nil {
		return err
	}
	if err := s.authorizeOrder(c, domain.ActOrderReview, o); err != nil {
		return err
	}
	reason, err = domain.ValidText("reason", reason, 500)
	if err != nil {
		return err
	}
	if domain.ReasonRequired(e) && reason == "" {
		return domain.Invalid("reason", "err.order.reason_required")
	}
	if len([]rune(reason)) > 500 {
		return domain.Invalid("reason", "err.too_long", 500)
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		if _, err := tx.TransitionOrder(id, e, reason); err != nil {
			return err
		}
		return notifyReviewed(tx, id, e, reason)
	})
}
