package web

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/service"
	"vanguard/web/views"
)

// Check-in that resists fraud (issue 15 item 5; the rules are in
// service/checkin_fraud.go): the phone's device cookie, the position the
// check-in page sends, and the leader's part on the on-site page: the
// location requirement, checking someone in by hand with a reason, and
// the flagged check-ins with a form to clear each.

// deviceCookie holds a phone's random device id for the check-in checks.
const deviceCookie = "vanguard_device"

// deviceMaxAge keeps the device cookie for two years.
const deviceMaxAge = 2 * 365 * 24 * 3600

// checkinDevice reads the phone's device id, giving it one when it has
// none (the check-in page, the first time it opens).
func (s *Server) checkinDevice(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(deviceCookie); err == nil && len(c.Value) >= 20 && len(c.Value) <= 64 {
		return c.Value
	}
	b := make([]byte, 24)
	rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{
		Name: deviceCookie, Value: v, Path: "/", MaxAge: deviceMaxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r),
	})
	return v
}

// postedDevice reads the device id a check-in form came with; "" when none.
func postedDevice(r *http.Request) string {
	if c, err := r.Cookie(deviceCookie); err == nil && len(c.Value) <= 64 {
		return c.Value
	}
	return ""
}

// checkinClient reads what the check-in page posted with the code.
func checkinClient(r *http.Request) service.CheckinClient {
	f := r.PostForm
	pos, ok := domain.ParsePosition(strings.TrimSpace(f.Get("lat")), strings.TrimSpace(f.Get("lng")), strings.TrimSpace(f.Get("acc")))
	return service.CheckinClient{Web: true, Device: postedDevice(r), Nonce: f.Get("nonce"), Position: pos, HasPos: ok}
}

// fillCheckin2 adds the location requirement and the flagged check-ins to
// the on-site page.
func (s *Server) fillCheckin2(r *http.Request, d *views.OnsiteView, done string) error {
	ctx := r.Context()
	if key, ok := map[string]string{"geo": "checkin2.done.geo", "cleared": "checkin2.done.cleared"}[done]; ok && d.Done == "" {
		d.Done = i18n.T(ctx, key)
	}
	id := d.View.Activity.ID
	g, err := s.svc.ActivityGeo(ctx, caller(r), id)
	if err != nil {
		return err
	}
	if d.Geo.Errors == nil {
		d.Geo = views.GeoForm{Required: g.Rule.Required(), Radius: "200"}
		lat, lng := g.Rule.Lat, g.Rule.Lng
		if !g.Rule.Required() && g.HasDefault {
			lat, lng = g.DefaultLat, g.DefaultLng
		}
		if g.Rule.Required() || g.HasDefault {
			d.Geo.Lat, d.Geo.Lng = fmtCoord(lat), fmtCoord(lng)
		}
		if g.Rule.Required() {
			d.Geo.Radius = strconv.Itoa(g.Rule.Radius)
		}
		d.Geo.Saved = g.Rule
	}
	d.Flagged, err = s.svc.FlaggedCheckins(ctx, caller(r), id)
	return err
}

func fmtCoord(x float64) string { return strconv.FormatFloat(x, 'f', 6, 64) }

// setCheckinGeo saves or removes the activity's location requirement.
func (s *Server) setCheckinGeo(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := views.GeoForm{
		Required: r.PostForm.Get("required") == "1",
		Lat:      strings.TrimSpace(r.PostForm.Get("geo_lat")),
		Lng:      strings.TrimSpace(r.PostForm.Get("geo_lng")),
		Radius:   strings.TrimSpace(r.PostForm.Get("geo_radius")),
	}
	var g domain.GeoRule
	errs := map[string]string{}
	if f.Required {
		var e1, e2, e3 error
		g.Lat, e1 = strconv.ParseFloat(f.Lat, 64)
		g.Lng, e2 = strconv.ParseFloat(f.Lng, 64)
		g.Radius, e3 = strconv.Atoi(f.Radius)
		if e1 != nil {
			errs["geo_lat"] = i18n.T(r.Context(), "err.checkin2.lat")
		}
		if e2 != nil {
			errs["geo_lng"] = i18n.T(r.Context(), "err.checkin2.lng")
		}
		if e3 != nil {
			errs["geo_radius"] = i18n.T(r.Context(), "err.checkin2.radius", domain.MinGeoRadius, domain.MaxGeoRadius)
		}
	}
	if len(errs) == 0 {
		err = s.svc.SetActivityGeo(r.Context(), caller(r), id, g)
		if fe, ok := fieldErrors(r, err); ok {
			errs = fe
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		f.Errors = errs
		return s.renderOnsite(w, r, http.StatusUnprocessableEntity, views.OnsiteView{Kind: "in", Geo: f}, "", "")
	}
	http.Redirect(w, r, "/activities/"+onsiteID(id)+"/onsite?done=geo#checkin-geo", http.StatusSeeOther)
	return nil
}

// overrideCheckin is the leader checking a person in by hand with a reason.
func (s *Server) overrideCheckin(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := views.OverrideForm{Person: strings.TrimSpace(r.PostForm.Get("person")), Reason: strings.TrimSpace(r.PostForm.Get("reason"))}
	person, ok := formPerson(r)
	errs := map[string]string{}
	if !ok {
		errs["person"] = i18n.T(r.Context(), "attend.err.person")
	}
	if len(errs) == 0 {
		_, err = s.svc.OverrideCheckIn(r.Context(), caller(r), id, person, f.Reason)
		if fe, ok := fieldErrors(r, err); ok {
			errs = fe
		} else if e, ok := errAsConflict(err); ok {
			f.Notice = translate(r, e)
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 || f.Notice != "" {
		f.Errors = errs
		status := http.StatusUnprocessableEntity
		if f.Notice != "" {
			status = http.StatusConflict
		}
		return s.renderOnsite(w, r, status, views.OnsiteView{Kind: "in", Override: f}, "", "")
	}
	s.redirectOnsite(w, r, id, "in", "in", person)
	return nil
}

// clearCheckinFlag clears one flagged check-in with the leader's note.
func (s *Server) clearCheckinFlag(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	att, err := pathID(r, "att")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err = s.svc.ClearCheckinFlag(r.Context(), caller(r), id, att, r.PostForm.Get("note"))
	if fe, ok := fieldErrors(r, err); ok {
		d := views.OnsiteView{Kind: "in", ClearErrors: map[int64]string{att: fe["note"]}}
		return s.renderOnsite(w, r, http.StatusUnprocessableEntity, d, "", "")
	} else if e, ok := errAsConflict(err); ok {
		return s.renderOnsite(w, r, http.StatusConflict, views.OnsiteView{Kind: "in", Notice: translate(r, e)}, "", "")
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/activities/"+onsiteID(id)+"/onsite?done=cleared#checkin-flags", http.StatusSeeOther)
	return nil
}
