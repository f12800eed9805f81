package service

// Two-factor sign-in (TOTP, RFC 6238). A user turns it on from their account
// page: a secret is made and sealed with the platform key, shown once as a
// QR code and as text, and switched on only by a first right code; ten
// recovery codes are then shown once and kept as keyed hashes.
//
// Sign-in: Login checks the password as before and, for an account with
// two-factor on, starts a login challenge instead of a session (see
// secondFactor, Login's one hook here). The challenge lives five minutes,
// allows five attempts, is used once, and a code whose time step was
// already used is refused. The committee may require two-factor of
// committee and org admins (the security setting); such an admin without it
// is sent to enrol before anything else (Principal.MustEnrolTOTP).

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"vanguard/domain"
	"vanguard/store"
)

const (
	// TOTPIssuer is the name authenticator apps show above the code: short,
	// as every character of it is in the QR code twice, percent-encoded.
	TOTPIssuer = "先锋志愿"
	// LoginChallengeTTL is how long the code page waits after the password.
	LoginChallengeTTL = 5 * time.Minute
	// LoginChallengeAttempts is how many codes one sign-in may try.
	LoginChallengeAttempts = 5
	// RecoveryCodeCount is how many recovery codes enabling gives.
	RecoveryCodeCount = 10

	totpPeriod = 30
	// SettingTOTPRequired names the setting that requires two-factor of
	// committee and org admins ("true" or "false").
	SettingTOTPRequired = "security.totp_required_admins"
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// errChallengeGone sends the browser back to the password: the pending
// sign-in is unknown, expired, used up or out of attempts.
var errChallengeGone = domain.Errorf(domain.CodeUnauthorized, "err.totp.challenge_gone")

// SecondFactorNeeded is what Login returns, as its error, when the password
// was right and the account signs in with a second factor. Token goes into
// a short-lived cookie; the code page finishes the sign-in with
// VerifyLogin.
type SecondFactorNeeded struct{ Token string }

func (e *SecondFactorNeeded) Error() string { return "login: second factor needed" }

// secondFactor is Login's hook after a right password: for an account with
// two-factor on it stores a login challenge and returns *SecondFactorNeeded;
// otherwise nil, and Login starts the session.
func (s *Service) secondFactor(ctx context.Context, c domain.Caller, u store.UserRecord, userAgent string) error {
	on, err := s.store.TOTPEnabled(ctx, u.ID)
	if err != nil || !on {
		return err
	}
	id, secret := randomToken(), randomToken()
	actor := c.Actor()
	actor.Username = u.Username
	err = s.store.Write(ctx, actor, func(tx *store.Tx) error {
		return tx.CreateLoginChallenge(store.LoginChallenge{
			ID: id, SecretHash: hashSecret(secret), UserID: u.ID, IP: c.IP, UserAgent: truncate(userAgent, 200),
		})
	})
	if err != nil {
		return err
	}
	return &SecondFactorNeeded{Token: id + "." + secret}
}

// LoginChallengeOpen reports whether a challenge token still waits for its
// code, for the code page to send a stale browser back to the password.
func (s *Service) LoginChallengeOpen(ctx context.Context, token string) bool {
	ch, err := s.challenge(ctx, token)
	return err == nil && s.store.Now().Sub(ch.CreatedAt) < LoginChallengeTTL && ch.Attempts < LoginChallengeAttempts
}

func (s *Service) challenge(ctx context.Context, token string) (store.LoginChallenge, error) {
	id, secret, ok := strings.Cut(token, ".")
	if !ok || id == "" || secret == "" || len(token) > 200 {
		return store.LoginChallenge{}, errChallengeGone
	}
	ch, err := s.store.LoginChallengeByID(ctx, id)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return ch, errChallengeGone
	} else if err != nil {
		return ch, err
	}
	if subtle.ConstantTimeCompare([]byte(ch.SecretHash), []byte(hashSecret(secret))) != 1 {
		return ch, errChallengeGone
	}
	return ch, nil
}

// VerifyLogin finishes a sign-in with a six-digit code or a recovery code
// and returns the session cookie. Every code checked is reserved as a
// failed sign-in of the account from the caller's address (ReserveLogin),
// and handed back only when it is right, so wrong codes count toward the
// same locks as wrong passwords; while the account is locked there the code
// is refused unchecked (CodeTooMany). A wrong code is an invalid "code"
// field while attempts remain; the fifth ends the challenge. oldSession is ended only when the browser owns
// it (its secret matches).
func (s *Service) VerifyLogin(ctx context.Context, c domain.Caller, token, code, oldSession, userAgent string) (string, error) {
	ch, err := s.challenge(ctx, token)
	if err != nil {
		return "", err
	}
	u, err := s.store.UserByID(ctx, ch.UserID)
	if err != nil {
		return "", err
	}
	actor := c.Actor()
	actor.Username = u.Username
	var result error
	err = s.store.Write(ctx, actor, func(tx *store.Tx) error {
		result = nil
		n, err := tx.CountChallengeAttempt(ch.ID, LoginChallengeAttempts, s.store.Now().Add(-LoginChallengeTTL))
		if err != nil {
			return err
		}
		if n == 0 || u.Disabled {
			result = errChallengeGone
			if err := tx.DeleteLoginChallenge(ch.ID); err != nil {
				return err
			}
			return tx.Audit("user.login_refused", "login", u.Username, nil, map[string]any{"reason": "challenge_gone"})
		}
		// A code is a sign-in attempt like a password: it is reserved as a
		// failure before it is checked, under the same locks of the account
		// and address, and handed back only when it is right.
		attempt, err := tx.ReserveLogin(u.Username, domain.LoginAddress(c.IP))
		if err != nil {
			return err
		}
		if attempt.Refused != store.LoginAllowed {
			result = s.loginRefusal(attempt)
			return tx.Audit("user.login_refused", "login", u.Username, nil, map[string]any{"reason": string(attempt.Refused)})
		}
		how, err := s.checkSecondFactor(tx, u.ID, code)
		if err != nil {
			return err
		}
		uid := strconv.FormatInt(u.ID, 10)
		if strings.HasPrefix(how, "wrong") || strings.HasPrefix(how, "replayed") {
			after := map[string]any{"attempts": n, "reason": how, "failures": attempt.Failures,
				"locked": attempt.LockedAddress || attempt.LockedAccount}
			result = domain.Invalid("code", "err.totp.code_wrong", LoginChallengeAttempts-n)
			if n >= LoginChallengeAttempts {
				result = domain.Errorf(domain.CodeUnauthorized, "err.totp.too_many")
				if err := tx.DeleteLoginChallenge(ch.ID); err != nil {
					return err
				}
			}
			return tx.Audit("user.totp_failed", "user", uid, nil, after)
		}
		if err := tx.ReleaseLogin(attempt); err != nil {
			return err
		}
		if err := tx.DeleteLoginChallenge(ch.ID); err != nil {
			return err
		}
		return tx.Audit("user.totp_passed", "user", uid, nil, map[string]any{"with": how})
	})
	if err != nil {
		return "", err
	}
	if result != nil {
		return "", result
	}
	return s.startSession(ctx, c, u, oldSession, userAgent)
}

// checkSecondFactor tells how a code fares: "totp" or "recovery" when it
// is good (and now used), or why not.
func (s *Service) checkSecondFactor(tx *store.Tx, userID int64, code string) (string, error) {
	code = normalizeCode(code)
	if len(code) == 6 && isDigits(code) {
		rec, err := tx.TOTPByUser(userID)
		if domain.ErrCode(err) == domain.CodeNotFound || (err == nil && !rec.Enabled) {
			return "wrong", nil
		} else if err != nil {
			return "", err
		}
		step, err := s.matchStep(rec.Sealed, code, tx.Now())
		if err != nil || step == 0 {
			return "wrong", err
		}
		ok, err := tx.UseTOTPStep(userID, step)
		if err != nil || !ok {
			return "replayed", err
		}
		return "totp", nil
	}
	if code == "" || len(code) > 40 {
		return "wrong", nil
	}
	ok, err := tx.UseRecoveryCode(userID, s.recoveryHash(userID, code))
	if err != nil || !ok {
		return "wrong_recovery", err
	}
	return "recovery", nil
}

// startSession creates the session of a user whose sign-in is complete,
// ending the browser's old session only when its secret matches.
func (s *Service) startSession(ctx context.Context, c domain.Caller, u store.UserRecord, oldSession, userAgent string) (string, error) {
	grants, err := s.store.Grants(ctx, u.ID)
	if err != nil {
		return "", err
	}
	actor := c.Actor()
	actor.UserID, actor.Username, actor.Role = u.ID, u.Username, domain.Principal{Grants: grants}.MainRole()
	id, secret := randomToken(), randomToken()
	err = s.store.Write(ctx, actor, func(tx *store.Tx) error {
		if oldID, oldSecret, ok := strings.Cut(oldSession, "."); ok {
			owned, err := tx.SessionOwned(oldID, hashSecret(oldSecret))
			if err != nil {
				return err
			}
			if owned {
				if err := tx.DeleteSession(oldID, false); err != nil {
					return err
				}
			}
		}
		return tx.CreateSession(store.Session{
			ID: id, SecretHash: hashSecret(secret), UserID: u.ID, IP: c.IP, UserAgent: truncate(userAgent, 200),
		})
	})
	if err != nil {
		return "", err
	}
	return id + "." + secret, nil
}

// TOTPStatus is what the two-factor page shows a user.
type TOTPStatus struct {
	Enabled      bool
	Pending      bool   // a secret waits for its first code
	Secret       string // pending only: the secret as text, in groups of four
	URL          string // pending only: the otpauth address the QR code carries
	RecoveryLeft int
	Required     bool // the committee requires it of this user
}

// TOTPStatus returns the caller's two-factor state; while enrolment is
// pending it opens the secret so the page can show it.
func (s *Service) TOTPStatus(ctx context.Context, c domain.Caller) (TOTPStatus, error) {
	var st TOTPStatus
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return st, err
	}
	required, err := s.totpRequired(ctx)
	if err != nil {
		return st, err
	}
	st.Required = required && adminGrant(c.Grants)
	rec, err := s.store.TOTPByUser(ctx, c.UserID)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return st, nil
	} else if err != nil {
		return st, err
	}
	if rec.Enabled {
		st.Enabled = true
		st.RecoveryLeft, err = s.store.RecoveryCodesLeft(ctx, c.UserID)
		return st, err
	}
	secret, err := s.openSecret("totp", rec.Sealed)
	if err != nil {
		return st, err
	}
	st.Pending, st.Secret, st.URL = true, groupsOfFour(secret), totpURL(c.Username, secret)
	return st, nil
}

// StartTOTP makes a new secret for the caller and keeps it, sealed, pending
// until ConfirmTOTP.
func (s *Service) StartTOTP(ctx context.Context, c domain.Caller) error {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: c.Username, Period: totpPeriod})
	if err != nil {
		return err
	}
	sealed, err := s.sealSecret("totp", key.Secret())
	if err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.BeginTOTP(c.UserID, sealed) })
}

// ConfirmTOTP turns the caller's pending secret on when code is right and
// returns the recovery codes, which nobody sees again.
func (s *Service) ConfirmTOTP(ctx context.Context, c domain.Caller, code string) ([]string, error) {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return nil, err
	}
	rec, err := s.store.TOTPByUser(ctx, c.UserID)
	if domain.ErrCode(err) == domain.CodeNotFound || (err == nil && rec.Enabled) {
		return nil, domain.Errorf(domain.CodeConflict, "err.totp.not_pending")
	} else if err != nil {
		return nil, err
	}
	code = normalizeCode(code)
	if len(code) != 6 || !isDigits(code) {
		return nil, domain.Invalid("code", "err.totp.code_format")
	}
	step, err := s.matchStep(rec.Sealed, code, s.store.Now())
	if err != nil {
		return nil, err
	}
	if step == 0 {
		return nil, domain.Invalid("code", "err.totp.enrol_wrong")
	}
	codes := make([]string, RecoveryCodeCount)
	hashes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
		hashes[i] = s.recoveryHash(c.UserID, codes[i])
	}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.EnableTOTP(c.UserID, step, hashes) })
	return codes, err
}

// ResetTOTP turns off another user's two-factor after a lost device: they
// sign in with their password and enrol again. Only a committee admin may,
// and never for their own account.
func (s *Service) ResetTOTP(ctx context.Context, c domain.Caller, id int64) error {
	if err := domain.Authorize(c.Principal, domain.ActTOTPReset, domain.Target{}); err != nil {
		return err
	}
	a, err := s.Account(ctx, c, id)
	if err != nil {
		return err
	}
	if a.ID == c.UserID {
		return domain.Errorf(domain.CodeConflict, "err.totp.reset_self")
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.ResetTOTP(a.ID) })
}

// TOTPEnabledFor reports whether an account signs in with two-factor, for
// the account page. The caller must manage accounts.
func (s *Service) TOTPEnabledFor(ctx context.Context, c domain.Caller, id int64) (bool, error) {
	if err := domain.Authorize(c.Principal, domain.ActUserManage, domain.Target{}); err != nil {
		return false, err
	}
	return s.store.TOTPEnabled(ctx, id)
}

// TOTPRequired reports whether the committee requires two-factor of admins.
func (s *Service) TOTPRequired(ctx context.Context, c domain.Caller) (bool, error) {
	if err := domain.Authorize(c.Principal, domain.ActSecurityManage, domain.Target{}); err != nil {
		return false, err
	}
	return s.totpRequired(ctx)
}

// SetTOTPRequired requires two-factor of committee and org admins, or stops
// requiring it.
func (s *Service) SetTOTPRequired(ctx context.Context, c domain.Caller, required bool) error {
	if err := domain.Authorize(c.Principal, domain.ActSecurityManage, domain.Target{}); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.SetSetting(SettingTOTPRequired, strconv.FormatBool(required))
	})
}

func (s *Service) totpRequired(ctx context.Context) (bool, error) {
	v, _, err := s.store.Setting(ctx, SettingTOTPRequired)
	return v == "true", err
}

// mustEnrolTOTP reports whether a signed-in user must turn on two-factor
// before anything else: an admin, when the committee requires it, without
// it on.
func (s *Service) mustEnrolTOTP(ctx context.Context, userID int64, grants []domain.Grant) (bool, error) {
	if !adminGrant(grants) {
		return false, nil
	}
	required, err := s.totpRequired(ctx)
	if err != nil || !required {
		return false, err
	}
	on, err := s.store.TOTPEnabled(ctx, userID)
	return !on, err
}

func adminGrant(grants []domain.Grant) bool {
	for _, g := range grants {
		if g.Role == domain.RoleCommitteeAdmin || g.Role == domain.RoleOrgAdmin {
			return true
		}
	}
	return false
}

// matchStep returns the time step, within one step of now either way, whose
// code is code, or 0 when none is.
func (s *Service) matchStep(sealed, code string, now time.Time) (int64, error) {
	secret, err := s.openSecret("totp", sealed)
	if err != nil {
		return 0, err
	}
	cur := now.Unix() / totpPeriod
	for _, step := range []int64{cur - 1, cur, cur + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totpOpts)
		if err != nil {
			return 0, err
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, nil
		}
	}
	return 0, nil
}

// recoveryAlphabet leaves out letters and digits that are easy to confuse.
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// newRecoveryCode returns ten random characters as "xxxxx-xxxxx" (about 49
// bits).
func newRecoveryCode() string {
	b := make([]byte, 10)
	rand.Read(b)
	out := make([]byte, 0, 11)
	for i, x := range b {
		if i == 5 {
			out = append(out, '-')
		}
		out = append(out, recoveryAlphabet[int(x)%len(recoveryAlphabet)])
	}
	return string(out)
}

func (s *Service) recoveryHash(userID int64, code string) string {
	return s.KeyedHash("totp_recovery", strconv.FormatInt(userID, 10)+":"+normalizeCode(code))
}

// normalizeCode drops spaces and dashes and lowercases, so "123 456" and
// "ABCDE-FGHJK" are read as typed by a person.
func normalizeCode(code string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(strings.TrimSpace(code)))
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func groupsOfFour(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// totpURL is the otpauth address authenticator apps read from a QR code.
func totpURL(account, secret string) string {
	q := url.Values{}
	// SHA-1, six digits and 30 seconds are the defaults every app assumes;
	// leaving them out keeps the QR code small enough to scan easily.
	q.Set("secret", secret)
	q.Set("issuer", TOTPIssuer)
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + TOTPIssuer + ":" + account, RawQuery: q.Encode()}
	return u.String()
}
