package service

import (
	"context"
	"strconv"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// Limits on the suggestion box, per client address, counted in the database.
const (
	suggestLimit        = 5 // suggestions per hour
	suggestWindow       = time.Hour
	rateSuggestBucket   = "suggest"
	listSeenSuggestions = "suggestions"
)

// errNoSuchSuggestion is the one answer to a malformed or unknown code.
var errNoSuchSuggestion = domain.Errorf(domain.CodeNotFound, "err.suggestion.no_such_code")

// SubmitSuggestion puts a suggestion from the public in the box and returns
// the code its writer reads the reply by. Writers are limited per client
// address; the attempt is counted in the same transaction as the write.
func (s *Service) SubmitSuggestion(ctx context.Context, c domain.Caller, in domain.SuggestionInput) (string, error) {
	return s.SubmitSuggestionOnce(ctx, c, "", in)
}

// SubmitSuggestionOnce is SubmitSuggestion guarded by the form's token: a
// second submission with the same token returns the first suggestion's code
// and creates nothing (see idempotency.go).
func (s *Service) SubmitSuggestionOnce(ctx context.Context, c domain.Caller, token string, in domain.SuggestionInput) (string, error) {
	token = NormalizeCode(token)
	if code, ok, err := s.replayed(ctx, tokenSuggestion, token); ok || err != nil {
		return code, err
	}
	in, err := in.Validate()
	if err != nil {
		return "", err
	}
	if in.RegionID > 0 && !s.regionExists(ctx, in.RegionID) {
		return "", domain.Invalid("region_id", "err.region.not_found")
	}
	code := NewCode()
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		if err := claimToken(tx, tokenSuggestion, token); err != nil {
			return err
		}
		ok, err := tx.Allow(rateSuggestBucket, c.IP, suggestLimit, suggestWindow)
		if err != nil {
			return err
		}
		if !ok {
			return domain.Errorf(domain.CodeTooMany, "err.rate.suggestions", suggestLimit)
		}
		if _, err = tx.CreateSuggestion(code, in); err != nil {
			return err
		}
		return recordToken(tx, tokenSuggestion, token, code)
	})
	if first, ok := replayResult(err); ok {
		return first, nil
	}
	return code, err
}

// SuggestionTracking is what the writer's status page shows: the suggestion
// with its reply, and the tracking code of the order made from it, if any.
type SuggestionTracking struct {
	Suggestion domain.Suggestion
	OrderCode  string
}

// TrackSuggestion returns a suggestion by its code. Possession of the code
// is the writer's authority; lookups share the order status pages' limit,
// so that codes cannot be guessed by trying.
func (s *Service) TrackSuggestion(ctx context.Context, c domain.Caller, code string) (SuggestionTracking, error) {
	var allowed bool
	err := s.store.Housekeep(ctx, func(tx *store.Tx) (err error) {
		allowed, err = tx.Allow(rateTrackBucket, c.IP, trackLimit, trackWindow)
		return err
	})
	if err != nil {
		return SuggestionTracking{}, err
	}
	if !allowed {
		return SuggestionTracking{}, domain.Errorf(domain.CodeTooMany, "err.rate.track", int(trackWindow.Minutes()))
	}
	code = NormalizeCode(code)
	if code == "" {
		return SuggestionTracking{}, errNoSuchSuggestion
	}
	x, err := s.store.SuggestionByCode(ctx, code)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return SuggestionTracking{}, errNoSuchSuggestion
	} else if err != nil {
		return SuggestionTracking{}, err
	}
	t := SuggestionTracking{Suggestion: x}
	if x.OrderID != 0 {
		o, err := s.store.OrderByID(ctx, x.OrderID)
		if err != nil {
			return t, err
		}
		t.OrderCode = o.Code
	}
	return t, nil
}

// SuggestionList is the staff's view of the box: a page of suggestions, how
// many are in each state, and what arrived since the viewer last looked.
type SuggestionList struct {
	Suggestions []domain.Suggestion
	Total       int
	Counts      map[domain.SuggestionState]int
	LastSeen    time.Time // zero on the first look
	NewCount    int       // suggestions that arrived since, in any state
}

// Suggestions lists the box for the committee and marks it seen.
func (s *Service) Suggestions(ctx context.Context, c domain.Caller, f store.SuggestionFilter) (SuggestionList, error) {
	if err := domain.Authorize(c.Principal, domain.ActSuggestionManage, domain.Target{}); err != nil {
		return SuggestionList{}, err
	}
	var l SuggestionList
	var err error
	if l.Suggestions, l.Total, err = s.store.ListSuggestions(ctx, f); err != nil {
		return l, err
	}
	if l.LastSeen, err = s.store.SeenAt(ctx, c.UserID, listSeenSuggestions); err != nil {
		return l, err
	}
	if l.Counts, l.NewCount, err = s.store.SuggestionCounts(ctx, l.LastSeen); err != nil {
		return l, err
	}
	err = s.store.Housekeep(ctx, func(tx *store.Tx) error { return tx.MarkSeen(c.UserID, listSeenSuggestions) })
	return l, err
}

// Suggestion returns one suggestion for the committee.
func (s *Service) Suggestion(ctx context.Context, c domain.Caller, id int64) (domain.Suggestion, error) {
	if err := domain.Authorize(c.Principal, domain.ActSuggestionManage, domain.Target{}); err != nil {
		return domain.Suggestion{}, err
	}
	return s.store.SuggestionByID(ctx, id)
}

// ReplySuggestion answers a suggestion; the writer reads the reply by their
// code.
func (s *Service) ReplySuggestion(ctx context.Context, c domain.Caller, id int64, reply string) error {
	if err := domain.Authorize(c.Principal, domain.ActSuggestionManage, domain.Target{}); err != nil {
		return err
	}
	reply, err := domain.ValidateSuggestionReply(reply)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.ReplySuggestion(id, reply) })
}

// CloseSuggestion closes a suggestion that needs nothing more.
func (s *Service) CloseSuggestion(ctx context.Context, c domain.Caller, id int64) error {
	if err := domain.Authorize(c.Principal, domain.ActSuggestionManage, domain.Target{}); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.CloseSuggestion(id) })
}

// SuggestionOrderDraft is the staff order form filled from a suggestion:
// channel suggestion box, the suggestion as the need, its region, and the
// writer's name. The writer's phone stays out of the page: an empty phone
// on the form takes it from the suggestion when the order is entered.
func (s *Service) SuggestionOrderDraft(ctx context.Context, c domain.Caller, id int64) (domain.OrderInput, domain.Suggestion, error) {
	x, err := s.Suggestion(ctx, c, id)
	if err != nil {
		return domain.OrderInput{}, x, err
	}
	if !x.State.CanMoveTo(domain.SuggestionOrdered) {
		return domain.OrderInput{}, x, domain.SuggestionMoveError(x.State)
	}
	return domain.OrderInput{Channel: domain.ChannelSuggestionBox, RequesterName: x.Name, RegionID: x.RegionID,
		Need: x.Body}, x, nil
}

// EnterOrderFromSuggestion enters an order made from a suggestion: the order
// records the suggestion, and the suggestion moves to "ordered" with the
// order's id, in one transaction. It returns the tracking code.
func (s *Service) EnterOrderFromSuggestion(ctx context.Context, c domain.Caller, id int64, in domain.OrderInput) (string, error) {
	if err := domain.Authorize(c.Principal, domain.ActOrderEnter, domain.Target{}); err != nil {
		return "", err
	}
	x, err := s.Suggestion(ctx, c, id)
	if err != nil {
		return "", err
	}
	if !x.State.CanMoveTo(domain.SuggestionOrdered) {
		return "", domain.SuggestionMoveError(x.State)
	}
	in.Channel = domain.ChannelSuggestionBox
	if in.RequesterPhone == "" {
		in.RequesterPhone = x.Phone
	}
	if err := s.checkEnterPlace(ctx, c, in); err != nil {
		return "", err
	}
	return s.createOrder(ctx, c, in, store.NewOrder{TakenBy: c.UserID, SuggestionID: id}, "")
}

// RevealSuggestionPhone returns a named writer's full phone number to the
// committee, and writes that it was shown to the audit log.
func (s *Service) RevealSuggestionPhone(ctx context.Context, c domain.Caller, id int64) (string, error) {
	x, err := s.Suggestion(ctx, c, id)
	if err != nil {
		return "", err
	}
	if err := domain.Authorize(c.Principal, domain.ActPersonalRead, domain.Target{OrgPath: "/"}); err != nil {
		return "", err
	}
	if x.Phone == "" {
		return "", domain.Errorf(domain.CodeNotFound, "err.not_found")
	}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.Audit("suggestion.reveal", "suggestion", strconv.FormatInt(id, 10), nil, map[string]any{"field": "phone"})
	})
	return x.Phone, err
}
