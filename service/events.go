package service

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// Who hears of what in the loop (群众点单 → 组织派单 → 队伍接单 → 服务 → 群众评单).
// Each use case that causes an event calls one of these inside its own
// write transaction, after the write, so the notification commits or rolls
// back with it. tx.Notify keeps one notification per occurrence (subject)
// and recipient, so a second call is harmless. A volunteer promoted from the
// waitlist is told in store (recipients.go), where every path that frees a
// place passes. Reminders before an activity and overdue dispatches are the
// periodic tick's, not these.

// urgentWithin: a change to an activity that starts this soon goes out at
// once, even in quiet hours.
const urgentWithin = 24 * time.Hour

func orderSubject(id int64) string { return "order:" + strconv.FormatInt(id, 10) }

// orderPlace names where an order is served, for a text: its site, or its
// region and address.
func orderPlace(o domain.Order) string {
	if o.SiteName != "" {
		return o.SiteName
	}
	return strings.TrimSpace(o.RegionName + " " + o.Address)
}

// activityPlace names where an activity is held.
func activityPlace(a domain.Activity) string {
	if a.SiteName != "" {
		return strings.TrimSpace(a.SiteName + " " + a.Address)
	}
	return strings.TrimSpace(a.RegionName + " " + a.Address)
}

// trackLink is the order's public status page: its code is the requester's
// authority there, as in the link the order form gave them.
func trackLink(o domain.Order) string {
	return "/track?" + url.Values{"code": {o.Code}}.Encode()
}

// notifyRequester tells whoever placed an order of e: by text to the phone
// given on it (in Chinese: an order records no language) and, when a site
// contact placed it, their account as well — one text, not two, when the
// account's own phone is the order's.
func notifyRequester(tx *store.Tx, o domain.Order, e domain.Event, link string, args ...string) error {
	n := store.NewNotification{Event: e, Subject: orderSubject(o.ID), Args: args, Link: link}
	phone := strings.TrimSpace(o.RequesterPhone)
	if o.UserID != 0 {
		n.UserID = o.UserID
		if err := notifyTx(tx, n); err != nil {
			return err
		}
		own, err := tx.AccountPhone(o.UserID)
		if err != nil {
			return err
		}
		if own == phone {
			phone = ""
		}
	}
	if phone == "" {
		return nil
	}
	n.UserID, n.Phone, n.Lang = 0, phone, "zh-CN"
	return notifyTx(tx, n)
}

// notifyReviewed tells the requester that their order was accepted, or
// rejected and why.
func notifyReviewed(tx *store.Tx, orderID int64, e domain.OrderEvent, reason string) error {
	o, err := tx.OrderByID(orderID)
	if err != nil {
		return err
	}
	num, place := domain.OrderNumber(o.ID), orderPlace(o)
	if e == domain.EventReject {
		return notifyRequester(tx, o, domain.EventOrderRejected, trackLink(o), num, place, reason)
	}
	return notifyRequester(tx, o, domain.EventOrderAccepted, trackLink(o), num, place)
}

// notifyDispatched tells the leaders of each team sent part of an order
// that it waits in their inbox. The subject carries the dispatch's time, so
// a team sent the order again after declining hears again.
func notifyDispatched(tx *store.Tx, orderID int64, slots []store.NewDispatch) error {
	o, err := tx.OrderByID(orderID)
	if err != nil {
		return err
	}
	told := map[int64]bool{}
	for _, sl := range slots {
		if told[sl.TeamID] {
			continue
		}
		told[sl.TeamID] = true
		name, err := tx.TeamName(sl.TeamID)
		if err != nil {
			return err
		}
		leaders, err := tx.TeamLeaderUsers(sl.TeamID)
		if err != nil {
			return err
		}
		subject := orderSubject(o.ID) + ":team:" + strconv.FormatInt(sl.TeamID, 10) + ":" + strconv.FormatInt(tx.Now().UnixMicro(), 10)
		for _, u := range leaders {
			if err := notifyTx(tx, store.NewNotification{Event: domain.EventDispatched, Subject: subject, UserID: u,
				Args: []string{domain.OrderNumber(o.ID), orderPlace(o), name}, Link: "/inbox"}); err != nil {
				return err
			}
		}
	}
	return nil
}

// notifyAnswered follows a team's answer: a decline goes to the dispatch
// desk (the committee's admins) with the team's reason; the last
// confirmation tells the requester their order is taken.
func notifyAnswered(tx *store.Tx, orderID, teamID int64, confirm bool, reason string) error {
	o, err := tx.OrderByID(orderID)
	if err != nil {
		return err
	}
	num, place := domain.OrderNumber(o.ID), orderPlace(o)
	if confirm {
		if o.State != domain.OrderConfirmed {
			return nil
		}
		return notifyRequester(tx, o, domain.EventOrderConfirmed, trackLink(o), num, place)
	}
	name, err := tx.TeamName(teamID)
	if err != nil {
		return err
	}
	admins, err := tx.CommitteeAdminUsers()
	if err != nil {
		return err
	}
	subject := orderSubject(o.ID) + ":team:" + strconv.FormatInt(teamID, 10) + ":" + strconv.FormatInt(tx.Now().UnixMicro(), 10)
	for _, u := range admins {
		if err := notifyTx(tx, store.NewNotification{Event: domain.EventDispatchDeclined, Subject: subject, UserID: u,
			Args: []string{num, place, name, reason}, Link: "/orders/" + strconv.FormatInt(o.ID, 10)}); err != nil {
			return err
		}
	}
	return nil
}

// notifyServed tells the requester their order was served, with the link
// to evaluate it (giving an order from before evaluation codes one now).
func notifyServed(tx *store.Tx, orderID int64) error {
	o, err := tx.OrderByID(orderID)
	if err != nil || o.State != domain.OrderServed {
		return err
	}
	code, err := tx.GiveEvalCode(o.ID, NewCode())
	if err != nil {
		return err
	}
	link := "/evaluate?" + url.Values{"code": {code}}.Encode()
	return notifyRequester(tx, o, domain.EventOrderServed, link, domain.OrderNumber(o.ID), orderPlace(o))
}

// activityMoved reports whether an edit changes when or where an activity
// is held: what the people signed up must hear of.
func activityMoved(a domain.Activity, in domain.ActivityInput) bool {
	return !a.StartsAt.Equal(in.StartsAt) || !a.EndsAt.Equal(in.EndsAt) || a.SiteID != in.SiteID ||
		a.RegionID != in.RegionID || strings.TrimSpace(a.Address) != strings.TrimSpace(in.Address)
}

// notifySignedUp tells everyone signed up for an activity (with a place, on
// the waitlist or asking) of a change or a cancellation. It is urgent when
// the activity starts, or started to, within a day.
func notifySignedUp(tx *store.Tx, e domain.Event, subject string, before time.Time, activityID int64, args func(domain.Activity) []string) error {
	a, err := tx.ActivityByID(activityID)
	if err != nil {
		return err
	}
	people, err := tx.SignedUpPeople(activityID)
	if err != nil {
		return err
	}
	soon := tx.Now().Add(urgentWithin)
	urgent := before.Before(soon) || a.StartsAt.Before(soon)
	for _, p := range people {
		if err := notifyTx(tx, store.NewNotification{Event: e, Subject: subject, PersonID: p, Args: args(a),
			Link: "/activities/" + strconv.FormatInt(a.ID, 10), Urgent: urgent}); err != nil {
			return err
		}
	}
	return nil
}

// notifyActivityChanged tells the people signed up the new time and place.
// The subject carries the change's time, so a second change is heard too.
func notifyActivityChanged(tx *store.Tx, before domain.Activity) error {
	subject := "activity:" + strconv.FormatInt(before.ID, 10) + ":changed:" + strconv.FormatInt(tx.Now().UnixMicro(), 10)
	return notifySignedUp(tx, domain.EventActivityChanged, subject, before.StartsAt, before.ID, func(a domain.Activity) []string {
		return []string{a.Title, domain.NoticeTime(a.StartsAt), activityPlace(a)}
	})
}

// notifyActivityCancelled tells the people signed up that it is off, and why.
func notifyActivityCancelled(tx *store.Tx, before domain.Activity, reason string) error {
	subject := "activity:" + strconv.FormatInt(before.ID, 10) + ":cancelled"
	return notifySignedUp(tx, domain.EventActivityCancelled, subject, before.StartsAt, before.ID, func(a domain.Activity) []string {
		return []string{a.Title, domain.NoticeTime(a.StartsAt), reason}
	})
}

// notifyCertificate tells a volunteer a certificate of their service was
// issued.
func notifyCertificate(tx *store.Tx, cert domain.Certificate, orgName string) error {
	return notifyTx(tx, store.NewNotification{Event: domain.EventCertificateIssued,
		Subject: "certificate:" + strconv.FormatInt(cert.ID, 10), PersonID: cert.PersonID,
		Args: []string{cert.Number, orgName}, Link: "/certificates/" + strconv.FormatInt(cert.ID, 10)})
}

// notifyCorrectionDecided tells whoever asked for a correction of a service
// record what was decided and why: the account that asked, or the
// volunteer whose record it is when no account did.
func notifyCorrectionDecided(tx *store.Tx, v domain.RecordVersion, approve bool, note string) error {
	state := domain.VersionRejected
	if approve {
		state = domain.VersionApproved
	}
	n := store.NewNotification{Event: domain.EventCorrectionDecided, Subject: "correction:" + strconv.FormatInt(v.ID, 10),
		UserID: v.RequestedBy,
		// The decision is a catalogue key: NotificationText shows it in the
		// reader's language.
		Args: []string{v.ActivityTitle, v.PersonName, "enum.record_version." + string(state), note},
		Link: "/records/" + strconv.FormatInt(v.PersonID, 10) + "/activities/" + strconv.FormatInt(v.ActivityID, 10)}
	if n.UserID == 0 {
		n.PersonID = v.PersonID
	}
	return notifyTx(tx, n)
}
