package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/service"
	"vanguard/web/views"
)

// On site: the leader's page with the QR code, the code itself, attendance
// marked by hand, the volunteer's scan, the paper sign-in sheet, and a
// volunteer's own service.

// sheetBlankRows is how many empty rows the paper sheet has for walk-ins.
const sheetBlankRows = 8

// managedActivity loads an activity the caller organises, or refuses.
func (s *Server) managedActivity(r *http.Request) (service.ActivityView, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return service.ActivityView{}, err
	}
	v, err := s.svc.Activity(r.Context(), caller(r), id)
	if err != nil {
		return v, err
	}
	if !v.CanOnsite {
		return v, domain.Errorf(domain.CodeForbidden, "err.forbidden")
	}
	return v, nil
}

// codeKind reads which code to show: check-in unless out is asked for.
func codeKind(v string) service.CheckinKind {
	if v == string(service.KindOut) {
		return service.KindOut
	}
	return service.KindIn
}

func (s *Server) onsitePage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := views.OnsiteView{Kind: string(codeKind(q.Get("kind")))}
	return s.renderOnsite(w, r, http.StatusOK, d, q.Get("done"), q.Get("p"))
}

// renderOnsite fills in the activity, the current code and a note of what
// was just recorded (done, for person p), and renders the on-site page.
func (s *Server) renderOnsite(w http.ResponseWriter, r *http.Request, status int, d views.OnsiteView, done, p string) error {
	v, err := s.managedActivity(r)
	if err != nil {
		return err
	}
	d.View = v
	ctx := r.Context()
	now := s.svc.Store().Now()
	if d.Pair.Errors == nil && d.Pair.Notice == "" {
		// A fresh pair form starts on today while the activity runs, and
		// on its first day before or after; a refused one keeps its input.
		day := now
		if now.Before(v.Activity.StartsAt) || now.After(v.Activity.EndsAt) {
			day = v.Activity.StartsAt
		}
		d.Pair.Date = domain.ChinaDay(day)
	}
	tok, until, err := s.svc.CheckinToken(ctx, caller(r), v.Activity.ID, service.CheckinKind(d.Kind))
	if e, ok := errAsConflict(err); ok {
		d.Closed = translate(r, e)
	} else if err != nil {
		return err
	} else {
		d.Link = s.absURL(r, "/checkin?"+url.Values{"t": {tok}}.Encode())
		svg, err := qrSVG(d.Link)
		if err != nil {
			return err
		}
		d.QR, d.Until = string(svg), until
		d.RefreshIn = views.OnsiteRefresh(now, until)
	}
	if done != "" {
		d.Done = doneNote(r, v, done, p)
	}
	if err := s.fillCheckin2(r, &d, done); err != nil {
		return err
	}
	s.render(w, r, status, views.Onsite(page(r, "attend.onsite.title", "activities"), d))
	return nil
}

// doneKeys are the notes of what the last form recorded.
var doneKeys = map[string]string{
	"in": "attend.done.in", "out": "attend.done.out", "again_in": "attend.done.again_in",
	"again_out": "attend.done.again_out", "pair": "attend.done.pair",
}

// doneNote says what the last form recorded, for the person it names.
func doneNote(r *http.Request, v service.ActivityView, done, p string) string {
	name := ""
	for _, g := range v.Signups {
		if onsiteID(g.PersonID) == p {
			name = g.PersonName
		}
	}
	key, ok := doneKeys[done]
	if !ok || name == "" {
		return ""
	}
	return i18n.T(r.Context(), key, name)
}

// qrCode answers the current code of an activity as an SVG image.
func (s *Server) qrCode(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	kind := r.URL.Query().Get("kind")
	if kind == "" {
		kind = string(service.KindIn)
	}
	tok, _, err := s.svc.CheckinToken(r.Context(), caller(r), id, service.CheckinKind(kind))
	if err != nil {
		return err
	}
	svg, err := qrSVG(s.absURL(r, "/checkin?"+url.Values{"t": {tok}}.Encode()))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(svg)
	return nil
}

// formPerson reads the person a form names.
func formPerson(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get("person")), 10, 64)
	return id, err == nil && id > 0
}

// markAttendance checks someone in or out by hand.
func (s *Server) markAttendance(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	kind := r.PostForm.Get("kind")
	person, ok := formPerson(r)
	if !ok || (kind != "in" && kind != "out") {
		return domain.Invalid("person", "attend.err.person")
	}
	show := string(codeKind(r.PostForm.Get("show")))
	already, err := s.svc.MarkAttendance(r.Context(), caller(r), id, person, kind == "in")
	if e, ok := errAsConflict(err); ok {
		d := views.OnsiteView{Kind: show, Notice: translate(r, e)}
		return s.renderOnsite(w, r, statusOf[e.Code], d, "", "")
	} else if err != nil {
		return err
	}
	done := kind
	if already {
		done = "again_" + kind
	}
	s.redirectOnsite(w, r, id, show, done, person)
	return nil
}

func (s *Server) redirectOnsite(w http.ResponseWriter, r *http.Request, id int64, show, done string, person int64) {
	q := url.Values{"kind": {show}, "done": {done}, "p": {onsiteID(person)}}
	http.Redirect(w, r, "/activities/"+onsiteID(id)+"/onsite?"+q.Encode()+"#signup-"+onsiteID(person), http.StatusSeeOther)
}

// recordPair enters a check-in and a check-out together from the paper
// sheet; a bad entry shows the form again with each error by its field.
func (s *Server) recordPair(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := views.PairForm{
		Person: strings.TrimSpace(r.PostForm.Get("person")),
		Date:   strings.TrimSpace(r.PostForm.Get("date")),
		In:     strings.TrimSpace(r.PostForm.Get("check_in")),
		Out:    strings.TrimSpace(r.PostForm.Get("check_out")),
	}
	show := string(codeKind(r.PostForm.Get("show")))
	person, in, out, keys := parsePair(f)
	errs := map[string]string{}
	for field, key := range keys {
		errs[field] = i18n.T(r.Context(), key)
	}
	if len(errs) == 0 {
		err = s.svc.RecordPair(r.Context(), caller(r), id, person, in, out)
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
		return s.renderOnsite(w, r, status, views.OnsiteView{Kind: show, Pair: f}, "", "")
	}
	s.redirectOnsite(w, r, id, show, "pair", person)
	return nil
}

// parsePair reads the pair form: a person, a date and two times of day in
// China. Its errors are catalogue keys by field.
func parsePair(f views.PairForm) (person int64, in, out time.Time, errs map[string]string) {
	errs = map[string]string{}
	person, err := strconv.ParseInt(f.Person, 10, 64)
	if err != nil || person <= 0 {
		errs["person"] = "attend.err.person"
	}
	day, err := time.ParseInLocation("2006-01-02", f.Date, domain.ChinaZone)
	if err != nil {
		errs["date"] = "attend.err.date"
	}
	clock := func(field, v string) time.Time {
		c, err := time.Parse("15:04", v)
		if err != nil {
			errs[field] = "attend.err.clock"
			return time.Time{}
		}
		return day.Add(time.Duration(c.Hour())*time.Hour + time.Duration(c.Minute())*time.Minute)
	}
	in, out = clock("check_in", f.In), clock("check_out", f.Out)
	if len(errs) == 0 && !out.After(in) {
		errs["check_out"] = "attend.err.out_before_in"
	}
	return person, in, out, errs
}

// checkinPage is where a scanned code lands: it shows the activity and one
// button, and records nothing.
func (s *Server) checkinPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.svc.CheckinPage(r.Context(), caller(r), r.URL.Query().Get("t"))
	if err != nil {
		return s.checkinFailed(w, r, service.CheckinResult{}, err)
	}
	title := views.ByKind(string(v.Kind), "attend.confirm.title_in", "attend.confirm.title_out")
	nonce := s.svc.CheckinNonce(s.checkinDevice(w, r), v.Token)
	s.render(w, r, http.StatusOK, views.CheckinConfirm(page(r, title, "myservice"), views.CheckinConfirmView{Checkin: v, Nonce: nonce}))
	return nil
}

// checkin records the volunteer's check-in or check-out; a repeat scan is
// answered as done.
func (s *Server) checkin(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	res, err := s.svc.CheckInFrom(r.Context(), caller(r), r.PostForm.Get("t"), checkinClient(r))
	if err != nil {
		return s.checkinFailed(w, r, res, err)
	}
	p := page(r, views.ByKind(string(res.Kind), "attend.result.title_in", "attend.result.title_out"), "myservice")
	s.render(w, r, http.StatusOK, views.CheckinResult(p, views.CheckinResultView{Result: res}))
	return nil
}

// checkinFailed shows why a scan was not recorded in plain words, on the
// volunteer's page rather than a bare error page: an expired or unknown
// code, or no place in the activity. Other errors go to the adapter.
func (s *Server) checkinFailed(w http.ResponseWriter, r *http.Request, res service.CheckinResult, err error) error {
	e, ok := domain.AsError(err)
	if !ok {
		return err
	}
	switch e.Code {
	case domain.CodeInvalid, domain.CodeConflict, domain.CodeNotFound:
	default:
		return err
	}
	s.render(w, r, statusOf[e.Code], views.CheckinResult(page(r, "attend.result.failed", "myservice"),
		views.CheckinResultView{Result: res, Error: translate(r, e)}))
	return nil
}

// sheetPage is the printable paper sign-in sheet.
func (s *Server) sheetPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.managedActivity(r)
	if err != nil {
		return err
	}
	d := views.SheetView{View: v, Blank: sheetBlankRows, Printed: s.svc.Store().Now()}
	s.render(w, r, http.StatusOK, views.Sheet(page(r, "attend.sheet.title", "activities"), d))
	return nil
}

// myServicePage is a volunteer's own service: what is coming, what was
// done, and the totals.
func (s *Server) myServicePage(w http.ResponseWriter, r *http.Request) error {
	ms, err := s.svc.MyActivities(r.Context(), caller(r))
	found := true
	if domain.ErrCode(err) == domain.CodeNotFound {
		found, err = false, nil
	}
	if err != nil {
		return err
	}
	d := views.MyServiceView{Service: ms, Found: found, Now: s.svc.Store().Now()}
	if found {
		d.Star = views.StarSummary(service.StarsOf(ms.Minutes))
	}
	s.render(w, r, http.StatusOK, views.MyService(page(r, "myservice.title", "myservice"), d))
	return nil
}

// onsiteID is an id in a URL or a form.
func onsiteID(n int64) string { return strconv.FormatInt(n, 10) }
