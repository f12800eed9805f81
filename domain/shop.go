package domain

import (
	"strconv"
	"strings"
	"time"
)

// The points shop (积分超市): an org or a site lists items that volunteers
// redeem for points and collect with a one-time code.

// ShopItem is one item of a points shop. Exactly one of OrgID and SiteID is
// set: the owner, whose managers list it and confirm pickups.
type ShopItem struct {
	ID          int64
	OrgID       int64
	SiteID      int64
	OwnerName   string // the org's or the site's name
	OwnerPath   string // the org path of the org, or of the site's org
	Name        string
	Description string
	Cost        int64
	Stock       int64
	Place       string // where to collect it
	ValidUntil  string // YYYY-MM-DD, the last day it can be redeemed
	Active      bool
	Redeemed    int64 // redemptions not cancelled
}

// Target is what the policy checks for managing the item: the site (for its
// contact) and the org path (for the admins above it).
func (it ShopItem) Target() Target {
	return Target{SiteID: it.SiteID, OrgPath: it.OwnerPath}
}

// Available reports whether a volunteer can redeem the item on day today.
func (it ShopItem) Available(today string) bool {
	return it.Active && it.Stock > 0 && it.ValidUntil >= today
}

// ShopItemInput is the form for an item.
type ShopItemInput struct {
	Owner       string // "org:ID" or "site:ID"
	Name        string
	Description string
	Cost        string
	Stock       string
	Place       string
	ValidUntil  string
	Active      bool
}

// ValidShopItem is a checked ShopItemInput.
type ValidShopItem struct {
	OrgID, SiteID     int64
	Name, Description string
	Cost, Stock       int64
	Place, ValidUntil string
	Active            bool
}

// MaxShopCost and MaxShopStock bound an item's cost and stock.
const (
	MaxShopCost  = 1_000_000
	MaxShopStock = 100_000
)

// Validate checks an item's form; today is the first day valid_until may be.
func (in ShopItemInput) Validate(today string) (ValidShopItem, error) {
	var v Validation
	var out ValidShopItem
	kind, id, _ := strings.Cut(in.Owner, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	switch {
	case err != nil || n <= 0:
		v.Add("owner", "err.required")
	case kind == "org":
		out.OrgID = n
	case kind == "site":
		out.SiteID = n
	default:
		v.Add("owner", "err.required")
	}
	out.Name = v.Line("name", in.Name, 60)
	if out.Name == "" {
		v.Add("name", "err.required")
	}
	out.Description = v.Text("description", in.Description, 500)
	out.Cost = number(&v, "cost", in.Cost, 1, MaxShopCost)
	out.Stock = number(&v, "stock", in.Stock, 0, MaxShopStock)
	out.Place = v.Line("place", in.Place, 100)
	if out.Place == "" {
		v.Add("place", "err.required")
	}
	out.ValidUntil = strings.TrimSpace(in.ValidUntil)
	if out.ValidUntil == "" || out.ValidUntil == ShopNoEnd {
		out.ValidUntil = ShopNoEnd // left empty: redeemable until taken off the shelf
	} else {
		v.CheckDate("valid_until", out.ValidUntil, today, "2099-12-31")
	}
	out.Active = in.Active
	return out, v.Err()
}

func number(v *Validation, field, s string, min, max int64) int64 {
	s = strings.TrimSpace(s)
	if s == "" {
		v.Add(field, "err.required")
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < min || n > max {
		v.Add(field, "err.shop.number", min, max)
		return 0
	}
	return n
}

// RedemptionState is where a redemption stands.
type RedemptionState string

// Redemption states: pending until picked up or cancelled.
const (
	RedemptionPending   RedemptionState = "pending"
	RedemptionPickedUp  RedemptionState = "picked_up"
	RedemptionCancelled RedemptionState = "cancelled"
)

// Redemption is a volunteer's redemption of an item.
type Redemption struct {
	ID           int64
	ItemID       int64
	ItemName     string
	Place        string
	OwnerName    string
	OwnerPath    string
	SiteID       int64
	PersonID     int64
	PersonName   string
	Cost         int64
	Code         string
	State        RedemptionState
	CreatedAt    time.Time
	ClosedAt     time.Time // picked up or cancelled
	CancelReason string
}

// Target is the policy target of managing the redemption: its item's owner.
func (r Redemption) Target() Target { return Target{SiteID: r.SiteID, OrgPath: r.OwnerPath} }

// PickupAlphabet is the pickup codes' alphabet: no 0/O, 1/I/L.
const PickupAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// PickupCodeLen is the length of a pickup code.
const PickupCodeLen = 8

// NormalizePickupCode upper-cases a typed code and drops spaces and dashes.
func NormalizePickupCode(s string) string {
	s = strings.ToUpper(s)
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
}

// ShopNoEnd is the valid-until date of an item without one (长期有效).
const ShopNoEnd = "9999-12-31"
