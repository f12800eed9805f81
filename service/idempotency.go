package service

import (
	"context"
	"errors"

	"vanguard/store"
)

// The public forms a token guards (see store/idempotency.go). Each form is
// rendered with a fresh token in a hidden field; a resubmission with the
// same token — a retry after a lost answer, a second click — gets the first
// submission's answer and writes nothing. The token is the only key: a
// resubmission whose content differs still gets the first answer, as the
// form it came from was already sent once.
const (
	tokenOrder      = "order"
	tokenSuggestion = "suggestion"
	tokenEvaluation = "evaluation"
)

// NewFormToken returns a token for one rendering of a public form: 128
// random bits, in the alphabet of the tracking codes.
func NewFormToken() string { return NewCode() }

// replayed returns the result of the write token already made, if any. A
// token that is not one of ours ("" or malformed) never replays.
func (s *Service) replayed(ctx context.Context, kind, token string) (string, bool, error) {
	if token == "" {
		return "", false, nil
	}
	return s.store.IdempotentResult(ctx, kind, token)
}

// replayError ends a write transaction whose token a committed transaction
// claimed first; result is that transaction's answer.
type replayError struct{ result string }

func (e *replayError) Error() string { return "idempotency token already used" }

// claimToken claims token inside the write's transaction, or returns a
// *replayError carrying the first result. An empty token claims nothing.
func claimToken(tx *store.Tx, kind, token string) error {
	if token == "" {
		return nil
	}
	claimed, result, err := tx.ClaimToken(kind, token)
	if err != nil {
		return err
	}
	if !claimed {
		return &replayError{result: result}
	}
	return nil
}

// recordToken records the result of the write a claimed token guards.
func recordToken(tx *store.Tx, kind, token, result string) error {
	if token == "" {
		return nil
	}
	return tx.SetTokenResult(kind, token, result)
}

// replayResult turns a *replayError into the first result.
func replayResult(err error) (string, bool) {
	var r *replayError
	if errors.As(err, &r) {
		return r.result, true
	}
	return "", false
}
