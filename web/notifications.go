package web

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/web/views"
)

// A signed-in user's notifications: the bell in the header, the list,
// opening one, marking all read, and the choice of channels per event.
//
// Opening a notification is a POST (a small form whose button is the
// notice's title): it changes state — the notice becomes read — so a link
// preview, a prefetch or a crawler following a GET cannot mark anything
// read, and the redirect that follows goes only to the notice's own link
// when that is a path on this site (service.SiteLink), never to a URL taken
// from the request.

// withBell lets the layout show the bell's count for a signed-in user. The
// count is one indexed COUNT query, run only when a page is rendered, not
// for redirects, downloads or the API.
func (s *Server) withBell(r *http.Request) *http.Request {
	c := caller(r)
	if c.Anonymous() || c.MustChangePassword {
		return r
	}
	return r.WithContext(views.WithBell(r.Context(), func(ctx context.Context) int {
		n, err := s.svc.UnreadNotifications(ctx, c)
		if err != nil {
			s.log.LogAttrs(ctx, slog.LevelError, "unread notifications",
				slog.String("request_id", c.RequestID), slog.String("error", err.Error()))
			return 0
		}
		return n
	}))
}

func (s *Server) notificationsPage(w http.ResponseWriter, r *http.Request) error {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	list, older, err := s.svc.MyNotifications(r.Context(), caller(r), before, i18n.From(r.Context()))
	if err != nil {
		return err
	}
	d := views.NotificationsView{List: list, Older: older, Paged: before > 0,
		AllRead: r.URL.Query().Get("read") == "1"}
	s.render(w, r, http.StatusOK, views.Notifications(page(r, "notify.title", "notifications"), d))
	return nil
}

// openNotification marks a notification read and goes to its link.
func (s *Server) openNotification(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	link, err := s.svc.OpenNotification(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	if link == "" {
		link = "/notifications"
	}
	http.Redirect(w, r, link, http.StatusSeeOther)
	return nil
}

func (s *Server) readAllNotifications(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.MarkAllNotificationsRead(r.Context(), caller(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/notifications?read=1", http.StatusSeeOther)
	return nil
}

func (s *Server) notificationPrefsPage(w http.ResponseWriter, r *http.Request) error {
	prefs, err := s.svc.MyNotificationPrefs(r.Context(), caller(r))
	if err != nil {
		return err
	}
	d := views.NotificationPrefsView{Prefs: prefs, Saved: r.URL.Query().Get("saved") == "1"}
	s.render(w, r, http.StatusOK, views.NotificationPrefs(page(r, "notify.prefs.title", "me"), d))
	return nil
}

// saveNotificationPrefs reads one checkbox per event and channel, named
// "<event>:<channel>"; an unchecked box is not sent and turns that pair off.
func (s *Server) saveNotificationPrefs(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	on := map[domain.Event]map[domain.NoticeChannel]bool{}
	for _, e := range domain.Events {
		on[e] = map[domain.NoticeChannel]bool{}
		for _, ch := range domain.NoticeChannels {
			on[e][ch] = r.PostForm.Get(views.PrefField(e, ch)) != ""
		}
	}
	if err := s.svc.SaveNotificationPrefs(r.Context(), caller(r), on); err != nil {
		return err
	}
	http.Redirect(w, r, "/account/notifications?saved=1", http.StatusSeeOther)
	return nil
}

// updateMyEmail sets the email address notifications reach the volunteer at.
func (s *Server) updateMyEmail(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	email := r.PostForm.Get("email")
	if r.PostForm.Get("clear") != "" {
		email = ""
	}
	err := s.svc.SetMyEmail(r.Context(), caller(r), email)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderMe(w, r, http.StatusUnprocessableEntity, views.MeView{EmailErrors: errs, EmailTyped: email}, nil)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/me?saved=1", http.StatusSeeOther)
	return nil
}
