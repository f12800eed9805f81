package service

import (
	"context"
	"errors"
	"math"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// Sign-in limits (issue 12), in the order a sign-in meets them, all counted
// in the database so they hold across instances:
//   - per client address, LoginAddressLimit attempts per LoginAddressWindow
//     whatever the names, before any password is hashed;
//   - per account and address, LoginMaxFailures failures lock the account
//     there for LoginLockDuration, and per account across all addresses
//     LoginAccountMaxFailures failures per LoginAccountWindow lock it at
//     every address that failed for it in that window (a clean address is
//     still checked), until a committee admin unlocks it (store/logins.go);
//   - a wrong second-factor code counts as a failure like a wrong password,
//     under the same locks (VerifyLogin);
//   - per process, at most as many hashes at once as there are cores
//     (password.go).
// Every refusal is audited, and answered 429 with a time to try again.

const rateLoginBucket = "login"

// reserveLogin runs the checks before a password check and reserves the
// attempt. A refusal is audited and returned as a CodeTooMany error.
func (s *Service) reserveLogin(ctx context.Context, actor domain.Actor, username, ip string) (store.LoginAttempt, error) {
	key := domain.LoginAddress(ip)
	var attempt store.LoginAttempt
	throttled := false
	err := s.store.Housekeep(ctx, func(tx *store.Tx) error {
		allowed, err := tx.Allow(rateLoginBucket, key, domain.LoginAddressLimit, domain.LoginAddressWindow)
		if err != nil || !allowed {
			throttled = !allowed
			return err
		}
		attempt, err = tx.ReserveLogin(username, key)
		return err
	})
	if err != nil {
		return attempt, err
	}
	var refusal *domain.Error
	switch {
	case throttled:
		refusal = domain.TooMany(domain.LoginAddressWindow, "err.login.throttled", minutes(domain.LoginAddressWindow))
	case attempt.Refused != store.LoginAllowed:
		refusal = s.loginRefusal(attempt)
	default:
		return attempt, nil
	}
	reason := string(attempt.Refused)
	if throttled {
		reason = "address_limit"
	}
	if err := s.auditLoginRefused(ctx, actor, username, reason); err != nil {
		return attempt, err
	}
	return attempt, refusal
}

// loginRefusal is the CodeTooMany error of an attempt ReserveLogin refused.
func (s *Service) loginRefusal(a store.LoginAttempt) *domain.Error {
	wait := a.Until.Sub(s.store.Now())
	if a.Refused == store.LoginLockedAccount {
		return domain.TooMany(wait, "err.login.account_locked", minutes(wait))
	}
	return domain.TooMany(wait, "err.login.locked", minutes(wait))
}

// loginChecked settles a reserved attempt once its password was checked. A
// right password hands the reservation back at once; a second factor then
// reserves each code it checks the same way (VerifyLogin). A wrong one is audited,
// its reservation staying as the failure, and answered errBadLogin.
func (s *Service) loginChecked(ctx context.Context, actor domain.Actor, a store.LoginAttempt, ok bool) error {
	if ok {
		return s.store.Housekeep(ctx, func(tx *store.Tx) error { return tx.ReleaseLogin(a) })
	}
	err := s.store.Write(ctx, actor, func(tx *store.Tx) error {
		return tx.Audit("user.login_failed", "login", actor.Username, nil, map[string]any{
			"username": actor.Username, "failures": a.Failures, "locked": a.LockedAddress || a.LockedAccount})
	})
	if err != nil {
		return err
	}
	return errBadLogin
}

// loginNotChecked hands back the reservation of an attempt whose password
// could not be checked (no hashing slot came free, or a fault) and audits
// it as refused; it returns cause.
func (s *Service) loginNotChecked(ctx context.Context, actor domain.Actor, a store.LoginAttempt, cause error) error {
	reason := "error"
	if domain.ErrCode(cause) == domain.CodeTooMany {
		reason = "busy"
	}
	err := s.store.Write(ctx, actor, func(tx *store.Tx) error {
		if err := tx.ReleaseLogin(a); err != nil {
			return err
		}
		return tx.Audit("user.login_refused", "login", actor.Username, nil, map[string]any{"reason": reason})
	})
	if err != nil {
		return errors.Join(cause, err)
	}
	return cause
}

// loginBusy refuses a sign-in that found no place in the hashing queue.
func (s *Service) loginBusy(ctx context.Context, actor domain.Actor, username string) error {
	if err := s.auditLoginRefused(ctx, actor, username, "busy"); err != nil {
		return err
	}
	return errHashBusy
}

func (s *Service) auditLoginRefused(ctx context.Context, actor domain.Actor, username, reason string) error {
	return s.store.Write(ctx, actor, func(tx *store.Tx) error {
		return tx.Audit("user.login_refused", "login", username, nil, map[string]any{"reason": reason})
	})
}

// minutes is d in whole minutes, rounded up, at least one.
func minutes(d time.Duration) int {
	return max(1, int(math.Ceil(d.Minutes())))
}
