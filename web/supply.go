package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/web/views"
)

// supplyPage shows the supply–demand view. A filter that does not read
// (a bad date, an unknown region) is shown with its faults over the default
// view: the last 12 months of the whole city.
func (s *Server) supplyPage(w http.ResponseWriter, r *http.Request) error {
	ctx, c := r.Context(), caller(r)
	q := r.URL.Query()
	sq := service.SupplyQuery{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	if v := strings.TrimSpace(q.Get("region")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			id = -1 // reported as an unknown region
		}
		sq.RegionID = id
	}
	d := views.SupplyPageView{}
	view, err := s.svc.Supply(ctx, c, sq)
	if errs, ok := fieldErrors(r, err); ok {
		d.Errors = errs
		if view, err = s.svc.Supply(ctx, c, service.SupplyQuery{}); err != nil {
			return err
		}
		// Keep what was typed in the filter so that it can be corrected.
		view.Query = sq
	} else if err != nil {
		return err
	}
	d.View = view
	if d.Lookups, err = s.lookups(ctx); err != nil {
		return err
	}
	for _, rg := range d.Lookups.Regions {
		// Banners, and the region asked for when it is a town or village
		// (a link may ask for one), so that the filter shows what it shows.
		if rg.Level == domain.RegionBanner || rg.ID == view.Region.ID {
			d.Banners = append(d.Banners, rg)
		}
	}
	slices.SortFunc(d.Banners, func(a, b domain.Region) int { return cmp.Compare(a.ID, b.ID) })
	s.render(w, r, http.StatusOK, views.SupplyPage(page(r, "supply.title", "supply"), d))
	return nil
}
