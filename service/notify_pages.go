package service

import (
	"context"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/store"
)

// What a signed-in user does with their own notifications: the bell's
// count, the list, opening one, marking all read, choosing channels per
// event, the email address notifications go to, and the language they
// arrive in.
//
// Read marks and the language are the user's own bookkeeping, not changes
// to the platform's records: they are written without an audit row (a row
// per click would bury the log). Preferences and the email address are
// audited.

// NoticesPageSize is how many notifications the list shows at once.
const NoticesPageSize = 20

// Notice is one notification as the caller's page shows it: title and
// body in words.
type Notice struct {
	store.Notification
	Title, Body string
}

// UnreadNotifications counts the caller's unread notifications, for the
// bell; an anonymous caller has none.
func (s *Service) UnreadNotifications(ctx context.Context, c domain.Caller) (int, error) {
	if c.UserID == 0 {
		return 0, nil
	}
	return s.store.UnreadNotifications(ctx, c.UserID)
}

// MyNotifications lists a page of the caller's notifications, newest
// first, older than beforeID when it is not zero, rendered in lang. older
// is the cursor of the next page, 0 when there is none.
func (s *Service) MyNotifications(ctx context.Context, c domain.Caller, beforeID int64, lang i18n.Lang) (list []Notice, older int64, err error) {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return nil, 0, err
	}
	rows, err := s.store.Notifications(ctx, c.UserID, max(beforeID, 0), NoticesPageSize+1)
	if err != nil {
		return nil, 0, err
	}
	if len(rows) > NoticesPageSize {
		rows = rows[:NoticesPageSize]
		older = rows[len(rows)-1].ID
	}
	for _, n := range rows {
		// The page speaks the reader's language of now, which may differ
		// from the one the notice was written for.
		n.Lang = string(lang)
		title, body := NotificationText(n)
		list = append(list, Notice{Notification: n, Title: title, Body: body})
	}
	return list, older, nil
}

// OpenNotification marks one of the caller's notifications read and
// returns where it leads: its link when that is a path on this site, else
// "" (the page then stays on the list). Nothing else is ever returned, so
// the redirect cannot be turned into an open redirect.
func (s *Service) OpenNotification(ctx context.Context, c domain.Caller, id int64) (string, error) {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return "", err
	}
	n, err := s.store.Notification(ctx, c.UserID, id)
	if err != nil {
		return "", err
	}
	if !n.Read {
		err = s.store.Housekeep(ctx, func(tx *store.Tx) error {
			_, err := tx.MarkNotificationsRead(c.UserID, id)
			return err
		})
		if err != nil {
			return "", err
		}
	}
	return SiteLink(n.Link), nil
}

// MarkAllNotificationsRead marks every notification of the caller read.
func (s *Service) MarkAllNotificationsRead(ctx context.Context, c domain.Caller) error {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return err
	}
	return s.store.Housekeep(ctx, func(tx *store.Tx) error {
		_, err := tx.MarkNotificationsRead(c.UserID, 0)
		return err
	})
}

// SiteLink returns link when it is a path on this site ("/orders/12"),
// else "": no scheme, no host, no "//" or "/\" that a browser would read as
// another host, no control characters.
func SiteLink(link string) string {
	if !strings.HasPrefix(link, "/") || strings.HasPrefix(link, "//") || strings.ContainsAny(link, "\\\t\r\n") ||
		len(link) > 1024 || !domain.CleanLine(link) {
		return ""
	}
	return link
}

// NoticePrefs is the caller's choice of channels per event, and what of
// each channel they have on file.
type NoticePrefs struct {
	Events      []domain.Event // those that can reach the caller, in page order
	On          map[domain.Event]map[domain.NoticeChannel]bool
	EmailMasked string // "" when no email address is on file
	PhoneMasked string // "" when no mobile number is on file
	HasOpenID   bool
	HasPerson   bool // a person on file: only then can email or the gateway reach the caller
}

// MyNotificationPrefs returns the caller's preferences.
func (s *Service) MyNotificationPrefs(ctx context.Context, c domain.Caller) (NoticePrefs, error) {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return NoticePrefs{}, err
	}
	on, err := s.store.NotificationPrefs(ctx, c.UserID)
	if err != nil {
		return NoticePrefs{}, err
	}
	out := NoticePrefs{On: on}
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if domain.ErrCode(err) == domain.CodeNotFound {
		out.Events = myEvents(c, false)
		return out, nil
	} else if err != nil {
		return out, err
	}
	out.Events = myEvents(c, true)
	out.HasPerson, out.HasOpenID = true, p.WeChatOpenID != ""
	if p.Email != "" {
		out.EmailMasked = domain.MaskEmail(p.Email)
	}
	if domain.ValidPhone(p.Phone) {
		out.PhoneMasked = domain.MaskPhone(p.Phone)
	}
	return out, nil
}

// SaveNotificationPrefs records the caller's choice for every event the page
// shows them and every channel at once: on holds the pairs turned on, every
// other pair of those events is off; events not shown keep their choice.
// One audit row lists what is off before and after.
func (s *Service) SaveNotificationPrefs(ctx context.Context, c domain.Caller, on map[domain.Event]map[domain.NoticeChannel]bool) error {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return err
	}
	before, err := s.store.NotificationPrefs(ctx, c.UserID)
	if err != nil {
		return err
	}
	_, err = s.store.PersonByUserID(ctx, c.UserID)
	if err != nil && domain.ErrCode(err) != domain.CodeNotFound {
		return err
	}
	shown := myEvents(c, err == nil)
	after := map[domain.Event]map[domain.NoticeChannel]bool{}
	for e, chs := range before {
		after[e] = chs
	}
	for _, e := range shown {
		after[e] = on[e]
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		for _, e := range shown {
			for _, ch := range domain.NoticeChannels {
				if err := tx.SetNotificationPref(c.UserID, e, ch, on[e][ch]); err != nil {
					return err
				}
			}
		}
		return tx.Audit("notification.prefs", "user", strconv.FormatInt(c.UserID, 10),
			map[string]any{"off": offList(before)}, map[string]any{"off": offList(after)})
	})
}

// myEvents are the events that can reach the caller (domain.EventsFor).
func myEvents(c domain.Caller, hasPerson bool) []domain.Event {
	roles := make([]domain.Role, 0, len(c.Grants))
	for _, g := range c.Grants {
		roles = append(roles, g.Role)
	}
	return domain.EventsFor(roles, hasPerson)
}

// offList names the pairs turned off, "event:channel", in page order.
func offList(on map[domain.Event]map[domain.NoticeChannel]bool) []string {
	out := []string{}
	for _, e := range domain.Events {
		for _, ch := range domain.NoticeChannels {
			if !on[e][ch] {
				out = append(out, string(e)+":"+string(ch))
			}
		}
	}
	return out
}

// SetMyEmail sets or clears ("") the email address notifications reach the
// caller's own person at. The WeChat openid is left as it is: staff set it.
func (s *Service) SetMyEmail(ctx context.Context, c domain.Caller, email string) error {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return err
	}
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if err != nil {
		return err
	}
	email = domain.NormalizeEmail(email)
	if email != "" && !domain.ValidEmail(email) {
		return domain.Invalid("email", "err.email")
	}
	if email == p.Email {
		return nil
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		if err := tx.SetPersonReach(p.ID, email, p.WeChatOpenID); err != nil {
			return err
		}
		return tx.Audit("person.email", "person", strconv.FormatInt(p.ID, 10),
			map[string]any{"email": p.Email}, map[string]any{"email": email})
	})
}

// SetMyLang records the language the caller reads, so notifications reach
// them in it. It is a preference, kept without an audit row.
func (s *Service) SetMyLang(ctx context.Context, c domain.Caller, lang i18n.Lang) error {
	if c.UserID == 0 {
		return nil
	}
	return s.store.Housekeep(ctx, func(tx *store.Tx) error {
		return tx.SetUserLang(c.UserID, string(lang))
	})
}
