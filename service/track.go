package service

import (
	"context"
	"crypto/subtle"
	"strconv"

	"vanguard/domain"
	"vanguard/store"
)

// Finding an order again without its tracking code, and what the status
// page tells about who serves it and when.

// errNoSuchNumber is the one answer to an order number and four digits that
// find no order: it never says which of the two was wrong.
var errNoSuchNumber = domain.Errorf(domain.CodeNotFound, "err.order.no_such_number")

// FindOrder finds an order by its short number (domain.OrderNumber) and the
// last four digits of the phone given on it, and returns its tracking code:
// the two together are the requester's authority, as the code is. Lookups
// are limited per client address (shared with lookups by code) and per order
// number from any address, wrong ones included, so that the four digits
// cannot be found by trying.
func (s *Service) FindOrder(ctx context.Context, c domain.Caller, number, last4 string) (string, error) {
	id, isNumber := domain.ParseOrderNumber(number)
	var allowed, numberAllowed, dayAllowed bool
	err := s.store.Housekeep(ctx, func(tx *store.Tx) (err error) {
		if allowed, err = tx.Allow(rateTrackBucket, c.IP, trackLimit, trackWindow); err != nil || !allowed || !isNumber {
			return err
		}
		key := strconv.FormatInt(id, 10)
		if dayAllowed, err = tx.Allow(rateNumberDayBucket, key, numberDayLimit, numberDayWindow); err != nil || !dayAllowed {
			return err
		}
		numberAllowed, err = tx.Allow(rateNumberBucket, key, numberLimit, numberWindow)
		return err
	})
	switch {
	case err != nil:
		return "", err
	case !allowed:
		return "", domain.Errorf(domain.CodeTooMany, "err.rate.track", int(trackWindow.Minutes()))
	case !isNumber:
		return "", errNoSuchNumber
	case !dayAllowed:
		return "", domain.Errorf(domain.CodeTooMany, "err.rate.number_day")
	case !numberAllowed:
		return "", domain.Errorf(domain.CodeTooMany, "err.rate.number", int(numberWindow.Minutes()))
	}
	o, err := s.store.OrderByID(ctx, id)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return "", errNoSuchNumber
	} else if err != nil {
		return "", err
	}
	given, want := domain.PhoneLast4(last4), domain.PhoneLast4(o.RequesterPhone)
	if len(last4) > 20 || given == "" || want == "" || subtle.ConstantTimeCompare([]byte(given), []byte(want)) != 1 {
		return "", errNoSuchNumber
	}
	return o.Code, nil
}

// TrackTeam is a team serving an order, as its requester sees it.
type TrackTeam struct {
	Name      string
	Confirmed bool // the team has confirmed every part it was sent
}

// trackServing fills in the teams serving the order and its activities.
func (s *Service) trackServing(ctx context.Context, t *Tracking) error {
	ds, err := s.store.OrderDispatches(ctx, t.Order.ID)
	if err != nil {
		return err
	}
	at := map[int64]int{}
	for _, d := range ds {
		if d.State != domain.DispatchPending && d.State != domain.DispatchConfirmed {
			continue
		}
		i, ok := at[d.TeamID]
		if !ok {
			i, at[d.TeamID] = len(t.Teams), len(t.Teams)
			t.Teams = append(t.Teams, TrackTeam{Name: d.TeamName, Confirmed: true})
		}
		t.Teams[i].Confirmed = t.Teams[i].Confirmed && d.State == domain.DispatchConfirmed
	}
	acts, _, err := s.store.ListActivities(ctx, store.ActivityFilter{OrderID: t.Order.ID, Limit: 20})
	if err != nil {
		return err
	}
	for _, a := range acts {
		if a.State != domain.ActivityCancelled {
			t.Activities = append(t.Activities, a)
		}
	}
	return nil
}
