package service

import (
	"context"
	"strconv"

	"vanguard/domain"
	"vanguard/store"
)

// The points bank and the points shop (积分超市): a volunteer's balance and
// ledger, the shop they redeem in, and the items and pickups its managers
// keep. The invariants (stock and balances never below zero, a code picks
// up once) are kept by store/shop.go; here are who may do what and the
// forms.

// PointsPage is a volunteer's own points: balance, earned in all, the
// ledger newest first, and their redemptions.
type PointsPage struct {
	Person      domain.Person
	Balance     int64
	Earned      int64
	Entries     []store.PointsEntry
	Redemptions []domain.Redemption
}

// pointsPerson is the person linked to the caller's account.
func (s *Service) pointsPerson(ctx context.Context, c domain.Caller) (domain.Person, error) {
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if err != nil {
		return p, domain.Errorf(domain.CodeConflict, "err.signup.no_person")
	}
	return s.withNumber(p), nil
}

// MyPoints returns the caller's own points page.
func (s *Service) MyPoints(ctx context.Context, c domain.Caller) (PointsPage, error) {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return PointsPage{}, err
	}
	p, err := s.pointsPerson(ctx, c)
	if err != nil {
		return PointsPage{}, err
	}
	d := PointsPage{Person: p}
	if d.Balance, d.Earned, err = s.store.PointsBalance(ctx, p.ID); err != nil {
		return d, err
	}
	if d.Entries, err = s.store.PointsLedger(ctx, p.ID, 200); err != nil {
		return d, err
	}
	d.Redemptions, err = s.store.PersonRedemptions(ctx, p.ID)
	return d, err
}

// PersonPoints returns a person's balance and earned points for staff who
// may read the person's record.
func (s *Service) PersonPoints(ctx context.Context, c domain.Caller, personID int64) (balance, earned int64, err error) {
	if _, err := s.readablePerson(ctx, c, personID); err != nil {
		return 0, 0, err
	}
	return s.store.PointsBalance(ctx, personID)
}

// ShopPage is what a volunteer's shop shows: their balance and the items
// they can redeem today.
type ShopPage struct {
	Balance int64
	Items   []domain.ShopItem
}

// Shop lists the items available to redeem today.
func (s *Service) Shop(ctx context.Context, c domain.Caller) (ShopPage, error) {
	if err := domain.Authorize(c.Principal, domain.ActShopRedeem, domain.Target{UserID: c.UserID}); err != nil {
		return ShopPage{}, err
	}
	p, err := s.pointsPerson(ctx, c)
	if err != nil {
		return ShopPage{}, err
	}
	var d ShopPage
	if d.Balance, _, err = s.store.PointsBalance(ctx, p.ID); err != nil {
		return d, err
	}
	d.Items, err = s.store.AvailableShopItems(ctx, s.chinaToday())
	return d, err
}

// Redeem spends the caller's points on one of an item.
func (s *Service) Redeem(ctx context.Context, c domain.Caller, itemID int64) (domain.Redemption, error) {
	if err := domain.Authorize(c.Principal, domain.ActShopRedeem, domain.Target{UserID: c.UserID}); err != nil {
		return domain.Redemption{}, err
	}
	p, err := s.pointsPerson(ctx, c)
	if err != nil {
		return domain.Redemption{}, err
	}
	var r domain.Redemption
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) (err error) {
		r, err = tx.Redeem(itemID, p.ID, s.chinaToday())
		return err
	})
	return r, err
}

// MyRedemption returns one of the caller's own redemptions; anyone else's
// is not found.
func (s *Service) MyRedemption(ctx context.Context, c domain.Caller, id int64) (domain.Redemption, error) {
	if err := domain.Authorize(c.Principal, domain.ActShopRedeem, domain.Target{UserID: c.UserID}); err != nil {
		return domain.Redemption{}, err
	}
	p, err := s.pointsPerson(ctx, c)
	if err != nil {
		return domain.Redemption{}, err
	}
	r, err := s.store.RedemptionByID(ctx, id)
	if err != nil || r.PersonID != p.ID {
		return domain.Redemption{}, domain.Errorf(domain.CodeNotFound, "err.shop.redemption_not_found")
	}
	return r, nil
}

// CancelMyRedemption cancels one of the caller's own redemptions before
// pickup; the reason is optional.
func (s *Service) CancelMyRedemption(ctx context.Context, c domain.Caller, id int64, reason string) error {
	if _, err := s.MyRedemption(ctx, c, id); err != nil {
		return err
	}
	reason, err := domain.ValidLine("reason", reason, 200)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.CancelRedemption(id, reason) })
}

// ShopOwner is an org or a site a manager may list items for.
type ShopOwner struct {
	Key  string // "org:ID" or "site:ID"
	Name string
}

// ShopAdmin is a manager's page: their items, the redemptions waiting for
// pickup, and the owners they may list items for.
type ShopAdmin struct {
	Items   []domain.ShopItem
	Pending []domain.Redemption
	Owners  []ShopOwner
}

// ShopAdmin lists the items and pending pickups within the caller's scope.
func (s *Service) ShopAdmin(ctx context.Context, c domain.Caller) (ShopAdmin, error) {
	var d ShopAdmin
	if err := domain.Authorize(c.Principal, domain.ActShopManage, domain.Target{}); err != nil {
		return d, err
	}
	sc := domain.ScopeOf(c.Principal, domain.ActShopManage)
	var err error
	if d.Items, err = s.store.ShopItems(ctx, sc); err != nil {
		return d, err
	}
	if d.Pending, err = s.store.PendingRedemptions(ctx, sc); err != nil {
		return d, err
	}
	d.Owners, err = s.shopOwners(ctx, sc)
	return d, err
}

func (s *Service) shopOwners(ctx context.Context, sc domain.Scope) ([]ShopOwner, error) {
	var out []ShopOwner
	for _, id := range sc.SiteIDs {
		x, err := s.store.SiteByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, ShopOwner{Key: "site:" + strconv.FormatInt(x.ID, 10), Name: x.Name})
	}
	if !sc.All && len(sc.OrgPaths) == 0 {
		return out, nil
	}
	orgScope := domain.Scope{All: sc.All, OrgPaths: sc.OrgPaths}
	orgs, err := s.store.ListOrgNames(ctx, orgScope)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		out = append(out, ShopOwner{Key: "org:" + strconv.FormatInt(o.ID, 10), Name: o.Name})
	}
	sites, err := s.store.ListSites(ctx, store.SiteFilter{Scope: orgScope})
	if err != nil {
		return nil, err
	}
	for _, x := range sites {
		out = append(out, ShopOwner{Key: "site:" + strconv.FormatInt(x.ID, 10), Name: x.Name})
	}
	return out, nil
}

// ShopItem returns an item to a manager of it.
func (s *Service) ShopItem(ctx context.Context, c domain.Caller, id int64) (domain.ShopItem, error) {
	if err := domain.Authorize(c.Principal, domain.ActShopManage, domain.Target{}); err != nil {
		return domain.ShopItem{}, err
	}
	it, err := s.store.ShopItem(ctx, id)
	if err != nil {
		return it, err
	}
	return it, domain.Authorize(c.Principal, domain.ActShopManage, it.Target())
}

// ownerTarget is the policy target of an item's owner before it exists.
func (s *Service) ownerTarget(ctx context.Context, in domain.ValidShopItem) (domain.Target, error) {
	if in.SiteID != 0 {
		x, err := s.store.SiteByID(ctx, in.SiteID)
		if err != nil {
			return domain.Target{}, domain.Invalid("owner", "err.required")
		}
		return domain.Target{SiteID: x.ID, OrgPath: x.OrgPath}, nil
	}
	o, err := s.store.OrgByID(ctx, in.OrgID)
	if err != nil {
		return domain.Target{}, domain.Invalid("owner", "err.required")
	}
	return domain.Target{OrgPath: o.Path}, nil
}

// SaveShopItem lists a new item (id 0) or changes one. A manager lists
// items only for the orgs and sites in their scope; an item keeps its owner.
func (s *Service) SaveShopItem(ctx context.Context, c domain.Caller, id int64, in domain.ShopItemInput) (int64, error) {
	if err := domain.Authorize(c.Principal, domain.ActShopManage, domain.Target{}); err != nil {
		return 0, err
	}
	if id != 0 {
		it, err := s.ShopItem(ctx, c, id)
		if err != nil {
			return 0, err
		}
		in.Owner = "org:" + strconv.FormatInt(it.OrgID, 10)
		if it.SiteID != 0 {
			in.Owner = "site:" + strconv.FormatInt(it.SiteID, 10)
		}
	}
	v, err := in.Validate(s.chinaToday())
	if err != nil {
		return 0, err
	}
	if id == 0 {
		t, err := s.ownerTarget(ctx, v)
		if err != nil {
			return 0, err
		}
		if err := domain.Authorize(c.Principal, domain.ActShopManage, t); err != nil {
			return 0, domain.Invalid("owner", "err.shop.owner_scope")
		}
	}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) (err error) {
		if id == 0 {
			id, err = tx.CreateShopItem(v)
			return err
		}
		return tx.UpdateShopItem(id, v)
	})
	return id, err
}

// RedemptionByCode finds a redemption by its pickup code for a manager of
// its item; a code of another manager's item is as unknown as a wrong one.
func (s *Service) RedemptionByCode(ctx context.Context, c domain.Caller, code string) (domain.Redemption, error) {
	if err := domain.Authorize(c.Principal, domain.ActShopManage, domain.Target{}); err != nil {
		return domain.Redemption{}, err
	}
	code = domain.NormalizePickupCode(code)
	if code == "" {
		return domain.Redemption{}, domain.Invalid("code", "err.required")
	}
	r, err := s.store.RedemptionByCode(ctx, code)
	if err != nil || !domain.Can(c.Principal, domain.ActShopManage, r.Target()) {
		return domain.Redemption{}, domain.Invalid("code", "err.shop.code_unknown")
	}
	return r, nil
}

// PickUp confirms that the holder of a code collected their item.
func (s *Service) PickUp(ctx context.Context, c domain.Caller, code string) (domain.Redemption, error) {
	r, err := s.RedemptionByCode(ctx, c, code)
	if err != nil {
		return r, err
	}
	if r.State != domain.RedemptionPending {
		return r, domain.Invalid("code", "err.shop.closed", "points.state."+string(r.State))
	}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.PickUp(r.ID) })
	r.State = domain.RedemptionPickedUp
	return r, err
}

// CancelRedemption cancels a pending redemption of an item the caller
// manages, with a reason the volunteer reads.
func (s *Service) CancelRedemption(ctx context.Context, c domain.Caller, id int64, reason string) error {
	if err := domain.Authorize(c.Principal, domain.ActShopManage, domain.Target{}); err != nil {
		return err
	}
	r, err := s.store.RedemptionByID(ctx, id)
	if err != nil {
		return err
	}
	if err := domain.Authorize(c.Principal, domain.ActShopManage, r.Target()); err != nil {
		return err
	}
	reason, err = domain.ValidLine("reason", reason, 200)
	if err != nil {
		return err
	}
	if reason == "" {
		return domain.Invalid("reason", "err.required")
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.CancelRedemption(id, reason) })
}

// PointsRate returns the points an hour of service earns.
func (s *Service) PointsRate(ctx context.Context, c domain.Caller) (int64, error) {
	if err := domain.Authorize(c.Principal, domain.ActPointsManage, domain.Target{}); err != nil {
		return 0, err
	}
	v, ok, err := s.store.Setting(ctx, store.PointsPerHourSetting)
	if err != nil || !ok {
		return store.DefaultPointsPerHour, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return store.DefaultPointsPerHour, nil
	}
	return n, nil
}

// MaxPointsPerHour bounds the rate.
const MaxPointsPerHour = 1000

// SetPointsRate sets the points an hour of service earns from now on;
// points already credited stay (a later correction credits the difference
// at the new rate).
func (s *Service) SetPointsRate(ctx context.Context, c domain.Caller, rate string) error {
	if err := domain.Authorize(c.Principal, domain.ActPointsManage, domain.Target{}); err != nil {
		return err
	}
	n, err := strconv.ParseInt(rate, 10, 64)
	if err != nil || n < 0 || n > MaxPointsPerHour {
		return domain.Invalid("rate", "err.shop.number", 0, MaxPointsPerHour)
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.SetSetting(store.PointsPerHourSetting, strconv.FormatInt(n, 10))
	})
}
