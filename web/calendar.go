package web

// Calendar feeds (日历订阅): the private iCalendar address of a volunteer or
// a team, and the forms on /me and /teams/{id} that make and revoke it.
//
// Times are written as local times with TZID=Asia/Shanghai and a VTIMEZONE
// for it (UTC+8, no daylight saving since 1991), not as UTC: a calendar then
// shows the event at the clock time the organiser chose, and keeps it there
// if the subscriber's device is set to another zone for a trip, which is
// what a volunteer expects of "09:00 at the gacha". Apple, Google and
// Outlook all read the VTIMEZONE; the IANA name lets them map it to their own.

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/web/views"
)

// calendarTZ is the zone of every time in a feed.
const calendarTZ = "Asia/Shanghai"

var shanghai = time.FixedZone("CST", 8*3600)

// calendarFeed answers GET (and HEAD) /cal/{file}: file is the secret
// followed by ".ics". A made-up, revoked or malformed secret is 404.
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request) error {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		return domain.Errorf(domain.CodeNotFound, "err.cal.no_feed")
	}
	f, events, err := s.svc.CalendarFeed(r.Context(), token)
	if err != nil {
		return err
	}
	body := []byte(s.icalendar(r, f, events))
	h := w.Header()
	h.Set("Cache-Control", "private, max-age=300")
	if notModified(w, r, body) {
		return nil
	}
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="vanguard.ics"`)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
	return nil
}

// icalendar writes a feed as RFC 5545 text: CRLF line ends, lines folded at
// 75 octets and TEXT values escaped, all by the library. There is no METHOD,
// so DTSTAMP is the event's last change (RFC 5545 3.8.7.2) and the same
// data gives the same bytes, which keeps the ETag stable.
func (s *Server) icalendar(r *http.Request, f domain.CalendarFeed, events []domain.CalendarEvent) string {
	lang := i18n.Parse(f.Lang)
	tr := func(key string, args ...any) string { return i18n.Translate(lang, key, args...) }
	cal := ics.NewCalendarFor("Vanguard")
	cal.SetProductId("-//Vanguard//Volunteer Service Platform//" + strings.ToUpper(string(lang)))
	cal.SetCalscale("GREGORIAN")
	if f.TeamID != 0 {
		cal.SetXWRCalName(tr("cal.feed_name_team", f.Name))
	} else {
		cal.SetXWRCalName(tr("cal.feed_name_me", f.Name))
	}
	cal.SetXWRTimezone(calendarTZ)
	cal.SetRefreshInterval("PT1H")
	cal.SetXPublishedTTL("PT1H")
	tz := cal.AddTimezone(calendarTZ)
	std := tz.AddStandard()
	std.AddProperty(ics.ComponentProperty(ics.PropertyDtstart), "19700101T000000")
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0800")
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0800")
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzname), "CST")
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	for _, e := range events {
		ev := cal.AddEvent("activity-" + strconv.FormatInt(e.ID, 10) + "@" + host)
		ev.SetDtStampTime(e.UpdatedAt)
		ev.SetCreatedTime(e.CreatedAt)
		ev.SetModifiedAt(e.UpdatedAt)
		ev.SetSequence(calendarSequence(e.Activity))
		ev.SetProperty(ics.ComponentPropertyDtStart, e.StartsAt.In(shanghai).Format("20060102T150405"), ics.WithTZID(calendarTZ))
		ev.SetProperty(ics.ComponentPropertyDtEnd, e.EndsAt.In(shanghai).Format("20060102T150405"), ics.WithTZID(calendarTZ))
		ev.SetSummary(oneLine(e.Title))
		if loc := eventLocation(e.Activity); loc != "" {
			ev.SetLocation(loc)
		}
		link := s.absURL(r, "/activities/"+strconv.FormatInt(e.ID, 10))
		ev.SetDescription(eventDescription(tr, lang, e, link))
		ev.SetURL(link)
		ev.SetStatus(eventStatus(e))
	}
	return cal.Serialize(ics.WithNewLineWindows)
}

// calendarSequence is the SEQUENCE of an activity: the seconds between its
// creation and its last change, so it grows with every change (RFC 5545
// asks only that it increase) without a counter column. Sign-ups do not
// touch updated_at, so they do not bump it.
func calendarSequence(a domain.Activity) int {
	d := a.UpdatedAt.Sub(a.CreatedAt)
	if d < 0 {
		return 0
	}
	return int(d / time.Second)
}

func eventStatus(e domain.CalendarEvent) ics.ObjectStatus {
	switch {
	case e.State == domain.ActivityCancelled:
		return ics.ObjectStatusCancelled
	case e.Signup == domain.SignupWaitlisted || e.Signup == domain.SignupRequested:
		return ics.ObjectStatusTentative
	}
	return ics.ObjectStatusConfirmed
}

// eventLocation is the place: the site and the address, or the region.
func eventLocation(a domain.Activity) string {
	var parts []string
	for _, p := range []string{a.SiteName, a.Address} {
		if p = oneLine(p); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 && a.RegionName != "" {
		parts = append(parts, a.RegionName)
	}
	return strings.Join(parts, " ")
}

// eventDescription says who serves, what, the volunteer's place when it is
// not yet sure, a short note and the link.
func eventDescription(tr func(string, ...any) string, lang i18n.Lang, e domain.CalendarEvent, link string) string {
	var lines []string
	var teams []string
	for _, t := range e.Teams {
		teams = append(teams, t.Name)
	}
	if len(teams) == 0 && e.TeamName != "" {
		teams = append(teams, e.TeamName)
	}
	sep := "、"
	if lang == i18n.EN {
		sep = ", "
	}
	if len(teams) > 0 {
		lines = append(lines, tr("cal.desc_team", strings.Join(teams, sep)))
	}
	var items []string
	for _, c := range e.Categories {
		if lang == i18n.EN && c.NameEn != "" {
			items = append(items, c.NameEn)
		} else {
			items = append(items, c.NameZh)
		}
	}
	if len(items) > 0 {
		lines = append(lines, tr("cal.desc_item", strings.Join(items, sep)))
	}
	if e.State == domain.ActivityCancelled {
		lines = append(lines, tr("cal.desc_cancelled"))
	} else if e.Signup != "" && e.Signup != domain.SignupConfirmed {
		lines = append(lines, tr("cal.desc_signup", tr("enum.signup_state."+string(e.Signup))))
	}
	if note := shortNote(e.Description, 200); note != "" {
		lines = append(lines, note)
	}
	lines = append(lines, tr("cal.desc_link", link))
	return strings.Join(lines, "\n")
}

// oneLine folds a value's line breaks into spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// shortNote is the first n characters of a description, with its line
// breaks kept as "\n" (the library escapes them) and carriage returns gone.
func shortNote(s string, n int) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r", ""))
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return s
}

// calendarView is the feed section for a page: whether a feed exists, and
// the new address when one was just made.
func (s *Server) calendarView(r *http.Request, action string, team bool, f domain.CalendarFeed, err error) (views.CalendarView, error) {
	d := views.CalendarView{Action: action, Team: team, Revoked: r.URL.Query().Get("cal") == "revoked"}
	if domain.ErrCode(err) == domain.CodeNotFound {
		return d, nil
	} else if err != nil {
		return d, err
	}
	d.Has, d.CreatedAt = true, f.CreatedAt
	if f.Token != "" {
		d.URL = s.absURL(r, "/cal/"+f.Token+".ics")
		d.Webcal = "webcal://" + strings.SplitN(d.URL, "://", 2)[1]
	}
	return d, nil
}

// createMyCalendar makes the volunteer's feed and shows its address in the
// answer, the only time anyone sees it.
func (s *Server) createMyCalendar(w http.ResponseWriter, r *http.Request) error {
	f, err := s.svc.CreateMyCalendarFeed(r.Context(), caller(r), string(i18n.From(r.Context())))
	if err != nil {
		return err
	}
	d, err := s.calendarView(r, "/me/calendar", false, f, nil)
	if err != nil {
		return err
	}
	noStore(w)
	return s.renderMe(w, r, http.StatusOK, views.MeView{Calendar: d}, nil)
}

func (s *Server) revokeMyCalendar(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.RevokeMyCalendarFeed(r.Context(), caller(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/me?cal=revoked#calendar", http.StatusSeeOther)
	return nil
}

// createTeamCalendar makes a team's feed and shows its address once.
func (s *Server) createTeamCalendar(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := s.svc.CreateTeamCalendarFeed(r.Context(), caller(r), id, string(i18n.From(r.Context())))
	if err != nil {
		return err
	}
	d, err := s.calendarView(r, "/teams/"+strconv.FormatInt(id, 10)+"/calendar", true, f, nil)
	if err != nil {
		return err
	}
	noStore(w)
	return s.renderTeam(w, r, http.StatusOK, views.TeamView{Calendar: d})
}

func (s *Server) revokeTeamCalendar(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svc.RevokeTeamCalendarFeed(r.Context(), caller(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/teams/"+strconv.FormatInt(id, 10)+"?cal=revoked#calendar", http.StatusSeeOther)
	return nil
}

// logPath is a request's path as the log keeps it: a calendar feed's
// address is a secret, so its last segment is left out.
func logPath(p string) string {
	if strings.HasPrefix(p, "/cal/") {
		return "/cal/…"
	}
	return p
}
