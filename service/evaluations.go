package service

import (
	"context"
	"errors"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// Evaluation (评单) and complaints. Every order carries a one-time
// evaluation code; the requester reaches it from the order's status page
// and, once the service has taken place, rates it or files a complaint with
// no account. Possession of the code is their authority, as with tracking.

// Limits on evaluation by code, per client address: lookups share the
// tracking limit; submissions, wrong codes included, have their own.
const (
	evalLimit      = 20
	evalWindow     = 10 * time.Minute
	rateEvalBucket = "evaluate"
)

// The answers a requester may meet on the evaluation page.
var (
	errNoSuchEvalCode = domain.Errorf(domain.CodeNotFound, "err.eval.no_such_code")
	errEvalAlready    = domain.Errorf(domain.CodeConflict, "err.eval.already")
	errEvalNotServed  = domain.Errorf(domain.CodeConflict, "err.eval.not_served")
	errEvalClosed     = domain.Errorf(domain.CodeConflict, "err.eval.closed")
)

// EvaluationPage is what the evaluation page shows for a code: the order,
// the teams that served it, and its evaluation once there is one.
type EvaluationPage struct {
	Order      domain.Order
	Teams      []string
	Evaluation *domain.Evaluation
}

// allowPublic counts one attempt of the caller's address in bucket and
// refuses it over the limit. The attempt is kept whatever follows, so that
// wrong codes count too.
func (s *Service) allowPublic(ctx context.Context, c domain.Caller, bucket string, limit int, window time.Duration, key string) error {
	var allowed bool
	err := s.store.Housekeep(ctx, func(tx *store.Tx) (err error) {
		allowed, err = tx.Allow(bucket, c.IP, limit, window)
		return err
	})
	if err != nil {
		return err
	}
	if !allowed {
		return domain.Errorf(domain.CodeTooMany, key, int(window.Minutes()))
	}
	return nil
}

// orderByEvalCode finds the order of an evaluation code, giving one answer to
// a malformed and an unknown code.
func (s *Service) orderByEvalCode(ctx context.Context, code string) (domain.Order, error) {
	code = NormalizeCode(code)
	if code == "" {
		return domain.Order{}, errNoSuchEvalCode
	}
	o, err := s.store.OrderByEvalCode(ctx, code)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return o, errNoSuchEvalCode
	}
	return o, err
}

// EvaluationByCode returns what the evaluation page shows for a code.
func (s *Service) EvaluationByCode(ctx context.Context, c domain.Caller, code string) (EvaluationPage, error) {
	if err := s.allowPublic(ctx, c, rateTrackBucket, trackLimit, trackWindow, "err.rate.track"); err != nil {
		return EvaluationPage{}, err
	}
	o, err := s.orderByEvalCode(ctx, code)
	if err != nil {
		return EvaluationPage{}, err
	}
	p := EvaluationPage{Order: o}
	teams, err := s.store.ServingTeams(ctx, []int64{o.ID})
	if err != nil {
		return p, err
	}
	p.Teams = teams[o.ID]
	p.Evaluation, err = s.evaluationOf(ctx, o)
	return p, err
}

// evaluationOf returns an order's evaluation, or nil when it has none.
func (s *Service) evaluationOf(ctx context.Context, o domain.Order) (*domain.Evaluation, error) {
	if o.State != domain.OrderEvaluated {
		return nil, nil
	}
	e, err := s.store.EvaluationOfOrder(ctx, o.ID)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return &e, nil
}

// EvaluateByCode records the requester's evaluation of a served order and
// moves the order to evaluated. The code works once: a second submission is
// refused as already evaluated, and an order whose service has not taken
// place yet cannot be evaluated.
func (s *Service) EvaluateByCode(ctx context.Context, c domain.Caller, code string, in domain.EvaluationInput) error {
	_, err := s.EvaluateByCodeOnce(ctx, c, "", code, in)
	return err
}

// EvaluateByCodeOnce is EvaluateByCode guarded by the form's token: a
// second submission with the same token is answered as the first was, with
// success, and writes nothing (see idempotency.go). It returns the
// evaluation code of the order evaluated: the first submission's.
func (s *Service) EvaluateByCodeOnce(ctx context.Context, c domain.Caller, token, code string, in domain.EvaluationInput) (string, error) {
	token = NormalizeCode(token)
	if first, ok, err := s.replayed(ctx, tokenEvaluation, token); ok || err != nil {
		return first, err
	}
	err := s.evaluateByCode(ctx, c, token, code, in)
	if first, ok := replayResult(err); ok {
		return first, nil
	}
	if errors.Is(err, errEvalAlready) {
		// A submission with the same token may have committed since the
		// look above: then this one is its resubmission, not a second one.
		if first, ok, rerr := s.replayed(ctx, tokenEvaluation, token); ok && rerr == nil {
			return first, nil
		}
	}
	return NormalizeCode(code), err
}

func (s *Service) evaluateByCode(ctx context.Context, c domain.Caller, token, code string, in domain.EvaluationInput) error {
	if err := s.allowPublic(ctx, c, rateEvalBucket, evalLimit, evalWindow, "err.rate.evaluations"); err != nil {
		return err
	}
	o, err := s.orderByEvalCode(ctx, code)
	if err != nil {
		return err
	}
	switch o.State {
	case domain.OrderServed:
	case domain.OrderEvaluated:
		return errEvalAlready
	case domain.OrderRejected, domain.OrderCancelled:
		return errEvalClosed
	default:
		return errEvalNotServed
	}
	if in, err = in.Validate(); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		if err := claimToken(tx, tokenEvaluation, token); err != nil {
			return err
		}
		if _, err := tx.CreateEvaluation(o.ID, in); err != nil {
			return err
		}
		return recordToken(tx, tokenEvaluation, token, NormalizeCode(code))
	})
}

// trackEvaluation adds to a status page what the requester needs to
// evaluate: the evaluation code of a served order (given now to an order
// from before codes existed), or the evaluation of an evaluated one.
func (s *Service) trackEvaluation(ctx context.Context, t *Tracking) error {
	switch t.Order.State {
	case domain.OrderServed:
		code, err := s.store.EvalCode(ctx, t.Order.ID)
		if err != nil || code != "" {
			t.EvalCode = code
			return err
		}
		return s.store.Write(ctx, domain.SystemActor, func(tx *store.Tx) (err error) {
			t.EvalCode, err = tx.GiveEvalCode(t.Order.ID, NewCode())
			return err
		})
	case domain.OrderEvaluated:
		var err error
		t.Evaluation, err = s.evaluationOf(ctx, t.Order)
		return err
	}
	return nil
}

// Evaluations lists the evaluations in the caller's scope: the committee's
// all; an org admin's those of orders at sites of their subtree or served by
// its teams; a team leader's those of orders their team served.
func (s *Service) Evaluations(ctx context.Context, c domain.Caller, f store.EvaluationFilter) (store.EvaluationList, error) {
	if err := domain.Authorize(c.Principal, domain.ActEvaluationRead, domain.Target{}); err != nil {
		return store.EvaluationList{}, err
	}
	f.Scope = domain.ScopeOf(c.Principal, domain.ActEvaluationRead)
	return s.store.ListEvaluations(ctx, f)
}

// OrderEvaluation returns the evaluation of an order the caller may read, or
// nil when it has none.
func (s *Service) OrderEvaluation(ctx context.Context, c domain.Caller, o domain.Order) (*domain.Evaluation, error) {
	if err := s.authorizeOrderView(ctx, c, o); err != nil {
		return nil, err
	}
	return s.evaluationOf(ctx, o)
}

// Complaints lists complaints for the committee to answer: open ones,
// answered ones, or both.
func (s *Service) Complaints(ctx context.Context, c domain.Caller, f store.EvaluationFilter) (store.EvaluationList, error) {
	if err := domain.Authorize(c.Principal, domain.ActComplaintManage, domain.Target{}); err != nil {
		return store.EvaluationList{}, err
	}
	if f.Complaint != store.ComplaintOpen && f.Complaint != store.ComplaintAnswered {
		f.Complaint = store.ComplaintOnly
	}
	f.Scope = domain.ScopeOf(c.Principal, domain.ActComplaintManage)
	return s.store.ListEvaluations(ctx, f)
}

// AnswerComplaint records the committee's answer to a complaint, which the
// requester reads on the order's status page. A complaint is answered once.
func (s *Service) AnswerComplaint(ctx context.Context, c domain.Caller, id int64, answer string) error {
	return s.AnswerComplaintFinding(ctx, c, id, answer, false)
}

// AnswerComplaintFinding is AnswerComplaint with the committee's finding:
// upheld (情况属实) complaints cost the orgs whose teams served the order
// assessment points (see assess.go).
func (s *Service) AnswerComplaintFinding(ctx context.Context, c domain.Caller, id int64, answer string, upheld bool) error {
	if err := domain.Authorize(c.Principal, domain.ActComplaintManage, domain.Target{}); err != nil {
		return err
	}
	answer, err := domain.ValidateComplaintAnswer(answer)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		if err := tx.AnswerComplaint(id, answer); err != nil || !upheld {
			return err
		}
		return tx.SetComplaintUpheld(id, true)
	})
}
