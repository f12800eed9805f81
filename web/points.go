package web

import (
	"net/http"
	"strconv"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/web/views"
)

// The points bank and the points shop: /me/points, /shop (the volunteer's,
// on the phone), /shop/manage (the items and pickups of an org's or a
// site's managers) and /admin/points (the committee's rate).

// myPointsPage shows the volunteer's balance, ledger and redemptions.
func (s *Server) myPointsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMyPoints(w, r, http.StatusOK, views.PointsView{Cancelled: r.URL.Query().Get("cancelled") == "1"})
}

func (s *Server) renderMyPoints(w http.ResponseWriter, r *http.Request, status int, d views.PointsView) error {
	var err error
	if d.Page, err = s.svc.MyPoints(r.Context(), caller(r)); err != nil {
		return err
	}
	s.render(w, r, status, views.MyPoints(page(r, "points.title", "points"), d))
	return nil
}

// shopPage lists the items the volunteer can redeem.
func (s *Server) shopPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderShop(w, r, http.StatusOK, views.ShopView{})
}

func (s *Server) renderShop(w http.ResponseWriter, r *http.Request, status int, d views.ShopView) error {
	var err error
	if d.Page, err = s.svc.Shop(r.Context(), caller(r)); err != nil {
		return err
	}
	s.render(w, r, status, views.Shop(page(r, "points.shop_title", "shop"), d))
	return nil
}

// redeem spends the volunteer's points on an item and shows the code.
func (s *Server) redeem(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	red, err := s.svc.Redeem(r.Context(), caller(r), id)
	if e, ok := errAsConflict(err); ok {
		return s.renderShop(w, r, http.StatusConflict, views.ShopView{Notice: translate(r, e), Failed: id})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/shop/redemptions/"+strconv.FormatInt(red.ID, 10)+"?new=1", http.StatusSeeOther)
	return nil
}

// redemptionPage shows one of the volunteer's redemptions with its pickup
// code and a QR of it.
func (s *Server) redemptionPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderRedemption(w, r, http.StatusOK, views.RedemptionView{New: r.URL.Query().Get("new") == "1"})
}

func (s *Server) renderRedemption(w http.ResponseWriter, r *http.Request, status int, d views.RedemptionView) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if d.R, err = s.svc.MyRedemption(r.Context(), caller(r), id); err != nil {
		return err
	}
	if d.R.State == domain.RedemptionPending {
		svg, err := qrSVG(d.R.Code)
		if err != nil {
			return err
		}
		d.QR = string(svg)
	}
	noStore(w)
	s.render(w, r, status, views.Redemption(page(r, "points.redemption_title", "shop"), d))
	return nil
}

// cancelMyRedemption cancels the volunteer's own redemption before pickup.
func (s *Server) cancelMyRedemption(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err = s.svc.CancelMyRedemption(r.Context(), caller(r), id, trimTo(r.PostForm.Get("reason"), 400))
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderRedemption(w, r, http.StatusUnprocessableEntity, views.RedemptionView{Errors: errs})
	} else if e, ok := errAsConflict(err); ok {
		return s.renderRedemption(w, r, http.StatusConflict, views.RedemptionView{Notice: translate(r, e)})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/me/points?cancelled=1", http.StatusSeeOther)
	return nil
}

// shopAdminPage is the managers' page of pickups and items.
func (s *Server) shopAdminPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return s.renderShopAdmin(w, r, http.StatusOK, views.ShopAdminView{Saved: q.Get("saved") == "1",
		Cancelled: q.Get("cancelled") == "1"})
}

func (s *Server) renderShopAdmin(w http.ResponseWriter, r *http.Request, status int, d views.ShopAdminView) error {
	var err error
	if d.Admin, err = s.svc.ShopAdmin(r.Context(), caller(r)); err != nil {
		return err
	}
	s.render(w, r, status, views.ShopAdmin(page(r, "points.admin_title", "shop_admin"), d))
	return nil
}

// pickUp confirms a pickup by its code.
func (s *Server) pickUp(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	code := trimTo(r.PostForm.Get("code"), 40)
	red, err := s.svc.PickUp(r.Context(), caller(r), code)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderShopAdmin(w, r, http.StatusUnprocessableEntity, views.ShopAdminView{Code: code, Errors: errs})
	} else if e, ok := errAsConflict(err); ok {
		return s.renderShopAdmin(w, r, http.StatusConflict, views.ShopAdminView{Code: code, Notice: translate(r, e)})
	} else if err != nil {
		return err
	}
	return s.renderShopAdmin(w, r, http.StatusOK, views.ShopAdminView{PickedUp: &red})
}

// cancelRedemption cancels a pending redemption with a reason.
func (s *Server) cancelRedemption(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err = s.svc.CancelRedemption(r.Context(), caller(r), id, trimTo(r.PostForm.Get("reason"), 400))
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderShopAdmin(w, r, http.StatusUnprocessableEntity, views.ShopAdminView{CancelFor: id, CancelErrs: errs,
			Notice: errs["reason"]})
	} else if e, ok := errAsConflict(err); ok {
		return s.renderShopAdmin(w, r, http.StatusConflict, views.ShopAdminView{Notice: translate(r, e)})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/shop/manage?cancelled=1", http.StatusSeeOther)
	return nil
}

// newShopItemPage is the form of a new item.
func (s *Server) newShopItemPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderShopItem(w, r, http.StatusOK, views.ShopItemView{In: domain.ShopItemInput{Active: true}})
}

// shopItemPage is the form of an existing item.
func (s *Server) shopItemPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	it, err := s.svc.ShopItem(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	in := domain.ShopItemInput{Name: it.Name, Description: it.Description, Cost: strconv.FormatInt(it.Cost, 10),
		Stock: strconv.FormatInt(it.Stock, 10), Place: it.Place, ValidUntil: it.ValidUntil, Active: it.Active}
	return s.renderShopItem(w, r, http.StatusOK, views.ShopItemView{ID: id, In: in})
}

func (s *Server) renderShopItem(w http.ResponseWriter, r *http.Request, status int, d views.ShopItemView) error {
	if d.ID == 0 {
		a, err := s.svc.ShopAdmin(r.Context(), caller(r))
		if err != nil {
			return err
		}
		d.Owners = a.Owners
	}
	s.render(w, r, status, views.ShopItemForm(page(r, "points.item_title", "shop_admin"), d))
	return nil
}

// saveShopItem lists a new item or changes one.
func (s *Server) saveShopItem(w http.ResponseWriter, r *http.Request) error {
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = pathID(r, "id"); err != nil {
			return err
		}
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	in := domain.ShopItemInput{Owner: trimTo(f.Get("owner"), 40), Name: trimTo(f.Get("name"), 200),
		Description: trimTo(f.Get("description"), 2000), Cost: trimTo(f.Get("cost"), 20), Stock: trimTo(f.Get("stock"), 20),
		Place: trimTo(f.Get("place"), 400), ValidUntil: trimTo(f.Get("valid_until"), 20), Active: f.Get("active") == "1"}
	_, err := s.svc.SaveShopItem(r.Context(), caller(r), id, in)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderShopItem(w, r, http.StatusUnprocessableEntity, views.ShopItemView{ID: id, In: in, Errors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/shop/manage?saved=1", http.StatusSeeOther)
	return nil
}

// pointsRatePage is the committee's rate of points for an hour.
func (s *Server) pointsRatePage(w http.ResponseWriter, r *http.Request) error {
	rate, err := s.svc.PointsRate(r.Context(), caller(r))
	if err != nil {
		return err
	}
	d := views.PointsRateView{Rate: strconv.FormatInt(rate, 10), Saved: r.URL.Query().Get("saved") == "1"}
	s.render(w, r, http.StatusOK, views.PointsRate(page(r, "points.rate_title", "admin"), d))
	return nil
}

// setPointsRate sets the rate.
func (s *Server) setPointsRate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	rate := trimTo(r.PostForm.Get("rate"), 20)
	err := s.svc.SetPointsRate(r.Context(), caller(r), rate)
	if errs, ok := fieldErrors(r, err); ok {
		s.render(w, r, http.StatusUnprocessableEntity, views.PointsRate(page(r, "points.rate_title", "admin"),
			views.PointsRateView{Rate: rate, Errors: errs}))
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/points?saved=1", http.StatusSeeOther)
	return nil
}

// honoursQuery reads the honours list's year and order.
func honoursQuery(r *http.Request) (int, bool) {
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	return year, r.URL.Query().Get("by") == "points"
}

// honoursPage is the yearly list of top volunteers (推先评优).
func (s *Server) honoursPage(w http.ResponseWriter, r *http.Request) error {
	year, byPoints := honoursQuery(r)
	d, err := s.svc.Honours(r.Context(), caller(r), year, byPoints)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.Honours(page(r, "points.honours_title", "honours"), d))
	return nil
}

// honoursExport is the list as xlsx.
func (s *Server) honoursExport(w http.ResponseWriter, r *http.Request) error {
	year, byPoints := honoursQuery(r)
	b, d, err := s.svc.HonoursBook(r.Context(), caller(r), year, byPoints)
	if err != nil {
		return err
	}
	y := strconv.Itoa(d.Year)
	return sendBook(w, b, i18n.T(r.Context(), "points.honours_file", y), "honours-"+y)
}
