package service

import (
	"fmt"
	"net/url"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// demoNoticeDays: the demo's orders of the last days are told to whoever
// the use cases would have told, so that every demo account opens onto a
// few unread notifications. Older steps were heard long ago.
const demoNoticeDays = 10

// writeDemoNotices replays the notifications of the recent steps of the
// demo's orders, at the time of each step, through the same helpers the use
// cases call. The demo's site contact stands for the requester of their
// site's orders, which the generator records by phone only.
func (s *Service) writeDemoNotices(tx *store.Tx, c *demoCity) error {
	contact, err := tx.UserIDByName("gacha-contact")
	if err != nil {
		return err
	}
	since := tx.Now().Add(-demoNoticeDays * 24 * time.Hour)
	for _, po := range c.orders {
		if len(po.Steps) == 0 || po.Steps[len(po.Steps)-1].At.Before(since) {
			continue
		}
		o, err := tx.OrderByCode(po.Code)
		if err != nil {
			return fmt.Errorf("demo notices: %w", err)
		}
		if o.SiteID == c.gacha.id {
			o.UserID = contact
		}
		for _, st := range po.Steps {
			if st.At.Before(since) {
				continue
			}
			err := tx.Replay(domain.SystemActor, st.At, func() error { return demoStepNotice(tx, o, po, st) })
			if err != nil {
				return fmt.Errorf("demo notices of order %d: %w", o.ID, err)
			}
		}
	}
	return demoLatestNotices(tx, c)
}

// demoLatestNotices tells the committee of the latest decline and the youth
// team's leader of the latest dispatch to their team, however old, when
// the last days held none: so that those accounts too see what a
// notification looks like.
func demoLatestNotices(tx *store.Tx, c *demoCity) error {
	var decline, youth *store.PastDispatch
	var declineOrder, youthOrder string
	for i := range c.orders {
		for j := range c.orders[i].Dispatches {
			d := &c.orders[i].Dispatches[j]
			if d.State == domain.DispatchDeclined && (decline == nil || d.AnsweredAt.After(decline.AnsweredAt)) {
				decline, declineOrder = d, c.orders[i].Code
			}
			if d.TeamID == c.nmjYouth.id && (youth == nil || d.At.After(youth.At)) {
				youth, youthOrder = d, c.orders[i].Code
			}
		}
	}
	if decline != nil {
		o, err := tx.OrderByCode(declineOrder)
		if err != nil {
			return err
		}
		if err := tx.Replay(domain.SystemActor, decline.AnsweredAt, func() error {
			return notifyAnswered(tx, o.ID, decline.TeamID, false, decline.Reason)
		}); err != nil {
			return err
		}
	}
	if youth != nil {
		o, err := tx.OrderByCode(youthOrder)
		if err != nil {
			return err
		}
		return tx.Replay(domain.SystemActor, youth.At, func() error {
			return notifyDispatched(tx, o.ID, []store.NewDispatch{{CategoryID: youth.CategoryID, TeamID: youth.TeamID}})
		})
	}
	return nil
}

// demoStepNotice notifies one past step of an order as its use case does.
func demoStepNotice(tx *store.Tx, o domain.Order, po store.PastOrder, st store.PastStep) error {
	num, place := domain.OrderNumber(o.ID), orderPlace(o)
	switch st.Event {
	case domain.EventAccept:
		return notifyRequester(tx, o, domain.EventOrderAccepted, trackLink(o), num, place)
	case domain.EventReject:
		return notifyRequester(tx, o, domain.EventOrderRejected, trackLink(o), num, place, st.Reason)
	case domain.EventDispatch:
		var slots []store.NewDispatch
		for _, d := range po.Dispatches {
			if d.At.Equal(st.At) {
				slots = append(slots, store.NewDispatch{CategoryID: d.CategoryID, TeamID: d.TeamID})
			}
		}
		return notifyDispatched(tx, o.ID, slots)
	case domain.EventDecline:
		for _, d := range po.Dispatches {
			if d.State == domain.DispatchDeclined && d.AnsweredAt.Equal(st.At) {
				if err := notifyAnswered(tx, o.ID, d.TeamID, false, d.Reason); err != nil {
					return err
				}
			}
		}
	case domain.EventConfirm:
		return notifyRequester(tx, o, domain.EventOrderConfirmed, trackLink(o), num, place)
	case domain.EventServe:
		code, err := tx.GiveEvalCode(o.ID, NewCode())
		if err != nil {
			return err
		}
		return notifyRequester(tx, o, domain.EventOrderServed, "/evaluate?"+url.Values{"code": {code}}.Encode(), num, place)
	}
	return nil
}
