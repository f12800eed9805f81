package service

import (
	"context"
	"fmt"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// The supply–demand view (避免供需不符): per category, what grassroots
// places ordered against what teams offer and how many people are willing
// to serve, with the mismatches listed first — needs that no team offers and
// menu items nobody orders.

// SupplyQuery is the view's filter as a page gives it.
type SupplyQuery struct {
	From, To string // YYYY-MM-DD in China, both included; "" for the last 12 months
	RegionID int64  // a banner (or any region); 0 for the whole city
}

// SupplyFlag sums up one category's balance.
type SupplyFlag string

// The flags, worst first.
const (
	SupplyUnmet    SupplyFlag = "unmet"    // ordered, but no active menu item offers it
	SupplyTight    SupplyFlag = "tight"    // many orders for each item offered
	SupplyIdle     SupplyFlag = "idle"     // offered, but nobody ordered it
	SupplyBalanced SupplyFlag = "balanced" // ordered and offered
	SupplyNone     SupplyFlag = "none"     // neither ordered nor offered
)

// TightRatio is the number of orders per active item from which a category
// counts as short of supply.
const TightRatio = 5

// unmetListLimit bounds the list of needs no team offers.
const unmetListLimit = 50

// SupplyRow is one category's line of the view.
type SupplyRow struct {
	Category domain.Category
	store.CategorySupply
	Ratio float64 // orders per active menu item; 0 without items
	Flag  SupplyFlag
}

// SupplyView is the whole view.
type SupplyView struct {
	Query   SupplyQuery // as applied: the window filled in
	Region  domain.Region
	Rows    []SupplyRow
	Totals  store.SupplyTotals
	Unmet   []domain.Order    // needs no menu item covers, newest first (at most unmetListLimit)
	Missing []SupplyRow       // categories ordered with no active menu item
	Idle    []domain.MenuItem // active items nobody ordered in the window, oldest first
}

// flagOf decides a category's flag from its counts.
func flagOf(c store.CategorySupply) (SupplyFlag, float64) {
	switch {
	case c.Orders > 0 && c.Items == 0:
		return SupplyUnmet, 0
	case c.Orders == 0 && c.Items > 0:
		return SupplyIdle, 0
	case c.Orders == 0:
		return SupplyNone, 0
	}
	ratio := float64(c.Orders) / float64(c.Items)
	if ratio >= TightRatio {
		return SupplyTight, ratio
	}
	return SupplyBalanced, ratio
}

// supplyWindow checks the query's dates and returns the window as instants:
// from the start of From to the end of To, in China.
func (s *Service) supplyWindow(q *SupplyQuery) (time.Time, time.Time, error) {
	today, _ := time.ParseInLocation("2006-01-02", s.chinaToday(), cst)
	if q.To == "" {
		q.To = today.Format("2006-01-02")
	}
	if q.From == "" {
		to, err := time.ParseInLocation("2006-01-02", q.To, cst)
		if err != nil {
			to = today
		}
		q.From = to.AddDate(-1, 0, 0).Format("2006-01-02")
	}
	var v domain.Validation
	from, err1 := time.ParseInLocation("2006-01-02", q.From, cst)
	to, err2 := time.ParseInLocation("2006-01-02", q.To, cst)
	v.Check(err1 == nil, "from", "err.date_format")
	v.Check(err2 == nil, "to", "err.date_format")
	if err1 == nil && err2 == nil {
		v.Check(!to.Before(from), "to", "err.supply.range")
	}
	return from.UTC(), to.AddDate(0, 0, 1).UTC(), v.Err()
}

var cst = time.FixedZone("CST", 8*3600)

// Supply assembles the supply–demand view for the committee.
func (s *Service) Supply(ctx context.Context, c domain.Caller, q SupplyQuery) (SupplyView, error) {
	view := SupplyView{Query: q}
	if err := domain.Authorize(c.Principal, domain.ActSupplyRead, domain.Target{}); err != nil {
		return view, err
	}
	from, to, err := s.supplyWindow(&view.Query)
	if err != nil {
		return view, err
	}
	f := store.SupplyFilter{From: from, To: to}
	if q.RegionID != 0 {
		regions, err := s.store.ListRegions(ctx)
		if err != nil {
			return view, err
		}
		for _, r := range regions {
			if r.ID == q.RegionID {
				view.Region, f.RegionPath = r, r.Path
			}
		}
		if f.RegionPath == "" {
			return view, domain.Invalid("region", "err.region.not_found")
		}
	}
	// The gap is read again only when the records change (store.Remember):
	// on a province its reads scan the year's orders several times.
	filled, err := s.store.Remember(ctx, fmt.Sprintf("supply %+v %+v", view.Query, f), func() (any, error) {
		v := view
		return v, s.fillSupply(ctx, &v, f)
	})
	if err != nil {
		return view, err
	}
	return filled.(SupplyView), nil
}

func (s *Service) fillSupply(ctx context.Context, view *SupplyView, f store.SupplyFilter) error {
	// Five independent reads, each a scan of the window's orders on a
	// province: side by side.
	var cats []domain.Category
	var counts map[int64]*store.CategorySupply
	err := store.Parallel(
		func() (err error) { cats, err = s.store.ListCategories(ctx, true); return err },
		func() (err error) { counts, err = s.store.SupplyByCategory(ctx, f); return err },
		func() (err error) { view.Totals, err = s.store.SupplyTotals(ctx, f); return err },
		func() (err error) { view.Unmet, err = s.store.UnmetNeeds(ctx, f, unmetListLimit); return err },
		func() (err error) { view.Idle, err = s.store.UnorderedItems(ctx, f); return err },
	)
	if err != nil {
		return err
	}
	for _, cat := range cats {
		var n store.CategorySupply
		if p := counts[cat.ID]; p != nil {
			n = *p
		}
		if cat.Retired && n == (store.CategorySupply{}) {
			continue // retired and unused: nothing to weigh
		}
		row := SupplyRow{Category: cat, CategorySupply: n}
		row.Flag, row.Ratio = flagOf(n)
		view.Rows = append(view.Rows, row)
		if row.Flag == SupplyUnmet {
			view.Missing = append(view.Missing, row)
		}
	}
	return nil
}
