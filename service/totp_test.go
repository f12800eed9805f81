package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// totpWorld is a service on a fixed clock with two committee admins and an
// org admin, each with a known password.
type totpWorld struct {
	svc *service.Service
	s   *store.Store
	now *time.Time
}

const totpPassword = "river stone lantern 42"

func newTOTPWorld(t *testing.T, s *store.Store) *totpWorld {
	t.Helper()
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	svc, _ := newService(t, s)
	ctx := context.Background()
	root, err := s.RootOrgID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []service.NewAccount{
		{Username: "chair", DisplayName: "主任", Role: domain.RoleCommitteeAdmin, Password: totpPassword},
		{Username: "deputy", DisplayName: "副主任", Role: domain.RoleCommitteeAdmin, Password: totpPassword},
		{Username: "orgadm", DisplayName: "单位管理员", Role: domain.RoleOrgAdmin, ScopeID: root, Password: totpPassword},
	} {
		if _, _, err := svc.CreateUser(ctx, service.SystemCaller, n); err != nil {
			t.Fatalf("CreateUser %s: %v", n.Username, err)
		}
	}
	return &totpWorld{svc: svc, s: s, now: &now}
}

// signIn signs in with the password alone and returns the caller.
func (w *totpWorld) signIn(t *testing.T, name string) domain.Caller {
	t.Helper()
	cookie, err := w.svc.Login(context.Background(), visitor, name, totpPassword, "", "test")
	if err != nil {
		t.Fatalf("Login %s: %v", name, err)
	}
	return w.caller(t, cookie)
}

func (w *totpWorld) caller(t *testing.T, cookie string) domain.Caller {
	t.Helper()
	p, _, err := w.svc.Authenticate(context.Background(), cookie)
	if err != nil || p.Anonymous() {
		t.Fatalf("Authenticate = %+v, %v", p, err)
	}
	return domain.Caller{Principal: p, IP: visitor.IP, RequestID: "req-totp"}
}

// enrol turns on two-factor for c and returns its secret and recovery codes.
func (w *totpWorld) enrol(t *testing.T, c domain.Caller) (string, []string) {
	t.Helper()
	ctx := context.Background()
	if err := w.svc.StartTOTP(ctx, c); err != nil {
		t.Fatalf("StartTOTP: %v", err)
	}
	st, err := w.svc.TOTPStatus(ctx, c)
	if err != nil || !st.Pending || st.Secret == "" || !strings.HasPrefix(st.URL, "otpauth://totp/") {
		t.Fatalf("TOTPStatus after start = %+v, %v", st, err)
	}
	secret := strings.ReplaceAll(st.Secret, " ", "")
	codes, err := w.svc.ConfirmTOTP(ctx, c, w.code(t, secret))
	if err != nil {
		t.Fatalf("ConfirmTOTP: %v", err)
	}
	// The next code must come from a later step: the first one is used.
	w.tick()
	return secret, codes
}

func (w *totpWorld) code(t *testing.T, secret string) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, *w.now)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (w *totpWorld) tick() { *w.now = w.now.Add(30 * time.Second) }

// challenge signs in with the password of an account with two-factor on and
// returns the challenge token.
func (w *totpWorld) challenge(t *testing.T, name string) string {
	t.Helper()
	cookie, err := w.svc.Login(context.Background(), visitor, name, totpPassword, "", "test")
	var sf *service.SecondFactorNeeded
	if !errors.As(err, &sf) || cookie != "" {
		t.Fatalf("Login %s = %q, %v; want a second factor asked for", name, cookie, err)
	}
	if p, _, _ := w.svc.Authenticate(context.Background(), sf.Token); !p.Anonymous() {
		t.Fatal("the challenge token works as a session")
	}
	return sf.Token
}

func TestTOTPEnrolNeedsARightCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w, ctx := newTOTPWorld(t, s), context.Background()
		c := w.signIn(t, "chair")
		if err := w.svc.StartTOTP(ctx, c); err != nil {
			t.Fatal(err)
		}
		st, _ := w.svc.TOTPStatus(ctx, c)
		secret := strings.ReplaceAll(st.Secret, " ", "")
		good := w.code(t, secret)
		wrong := "000000"
		if wrong == good {
			wrong = "111111"
		}
		for _, bad := range []string{wrong, "12345", "abcdef", ""} {
			if _, err := w.svc.ConfirmTOTP(ctx, c, bad); domain.ErrCode(err) != domain.CodeInvalid {
				t.Errorf("ConfirmTOTP(%q) = %v, want invalid", bad, err)
			}
		}
		if on, _ := s.TOTPEnabled(ctx, c.UserID); on {
			t.Fatal("two-factor on after wrong codes only")
		}
		codes, err := w.svc.ConfirmTOTP(ctx, c, good)
		if err != nil || len(codes) != service.RecoveryCodeCount {
			t.Fatalf("ConfirmTOTP(right) = %v, %v; want %d recovery codes", codes, err, service.RecoveryCodeCount)
		}
		st, err = w.svc.TOTPStatus(ctx, c)
		if err != nil || !st.Enabled || st.Secret != "" || st.RecoveryLeft != service.RecoveryCodeCount {
			t.Fatalf("TOTPStatus after enabling = %+v, %v", st, err)
		}
		// The secret is stored sealed and is in no audit row.
		rec, err := s.TOTPByUser(ctx, c.UserID)
		if err != nil || strings.Contains(rec.Sealed, secret) || rec.Sealed == "" {
			t.Fatalf("stored secret %q (clear %q), %v", rec.Sealed, secret, err)
		}
		entries, err := s.ListAudit(ctx, domain.AuditFilter{Action: "user.totp", Limit: 500})
		if err != nil || len(entries) < 2 {
			t.Fatalf("audit of enrolment: %d rows, %v", len(entries), err)
		}
		all, _ := s.ListAudit(ctx, domain.AuditFilter{Limit: 500})
		for _, e := range all {
			if strings.Contains(e.Before+e.After, secret) || strings.Contains(e.Before+e.After, codes[0]) {
				t.Fatalf("audit row %s carries the secret or a recovery code: %s %s", e.Action, e.Before, e.After)
			}
		}
		// Starting again while on is refused.
		if err := w.svc.StartTOTP(ctx, c); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("StartTOTP while on = %v, want conflict", err)
		}
	})
}

func TestTOTPLoginNeedsTheCodeAndRefusesAReplay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w, ctx := newTOTPWorld(t, s), context.Background()
		secret, _ := w.enrol(t, w.signIn(t, "chair"))

		token := w.challenge(t, "chair")
		code := w.code(t, secret)
		cookie, err := w.svc.VerifyLogin(ctx, visitor, token, code, "", "test")
		if err != nil {
			t.Fatalf("VerifyLogin(right code) = %v", err)
		}
		if c := w.caller(t, cookie); c.Username != "chair" {
			t.Fatalf("signed in as %q", c.Username)
		}
		// The challenge is single use.
		if _, err := w.svc.VerifyLogin(ctx, visitor, token, code, "", "test"); domain.ErrCode(err) != domain.CodeUnauthorized {
			t.Fatalf("second use of a challenge = %v, want unauthorized", err)
		}
		// The same code, within its window, does not sign in again.
		token = w.challenge(t, "chair")
		if _, err := w.svc.VerifyLogin(ctx, visitor, token, code, "", "test"); domain.ErrCode(err) != domain.CodeInvalid {
			t.Fatalf("replayed code = %v, want invalid", err)
		}
		// The code of the previous step, still inside the skew, is older
		// than the one used: refused too.
		*w.now = w.now.Add(-30 * time.Second)
		older := w.code(t, secret)
		*w.now = w.now.Add(30 * time.Second)
		if _, err := w.svc.VerifyLogin(ctx, visitor, token, older, "", "test"); domain.ErrCode(err) != domain.CodeInvalid {
			t.Fatalf("older code = %v, want invalid", err)
		}
		w.tick()
		if _, err := w.svc.VerifyLogin(ctx, visitor, token, w.code(t, secret), "", "test"); err != nil {
			t.Fatalf("next step's code = %v", err)
		}
		entries, _ := s.ListAudit(ctx, domain.AuditFilter{Action: "user.totp_failed", Limit: 50})
		if len(entries) != 2 {
			t.Fatalf("%d user.totp_failed audit rows, want 2 (the replay and the older code)", len(entries))
		}
	})
}

func TestTOTPWrongCodesAreBounded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w, ctx := newTOTPWorld(t, s), context.Background()
		secret, _ := w.enrol(t, w.signIn(t, "chair"))
		good := w.code(t, secret)
		wrong := "000000"
		if wrong == good {
			wrong = "111111"
		}
		token := w.challenge(t, "chair")
		for i := 1; i <= service.LoginChallengeAttempts; i++ {
			_, err := w.svc.VerifyLogin(ctx, visitor, token, wrong, "", "test")
			want := domain.CodeInvalid
			if i == service.LoginChallengeAttempts {
				want = domain.CodeUnauthorized
			}
			if domain.ErrCode(err) != want {
				t.Fatalf("wrong code %d = %v, want %s", i, err, want)
			}
		}
		if _, err := w.svc.VerifyLogin(ctx, visitor, token, good, "", "test"); domain.ErrCode(err) != domain.CodeUnauthorized {
			t.Fatalf("right code after five wrong = %v, want the challenge ended", err)
		}
		// Each wrong code is a login failure from the address, audited as
		// user.totp_failed with the count; the fifth locks the address.
		failed, _ := s.ListAudit(ctx, domain.AuditFilter{Action: "user.totp_failed", Limit: 50})
		if len(failed) != service.LoginChallengeAttempts {
			t.Fatalf("%d wrong codes audited, want %d", len(failed), service.LoginChallengeAttempts)
		}
		if _, err := w.svc.Login(ctx, visitor, "chair", totpPassword, "", "test"); domain.ErrCode(err) != domain.CodeTooMany {
			t.Fatalf("right password after five wrong codes = %v, want 429", err)
		}
		// A challenge expires after five minutes.
		*w.now = w.now.Add(domain.LoginLockDuration + time.Second)
		token = w.challenge(t, "chair")
		*w.now = w.now.Add(service.LoginChallengeTTL + time.Second)
		if w.svc.LoginChallengeOpen(ctx, token) {
			t.Fatal("challenge open after its lifetime")
		}
		if _, err := w.svc.VerifyLogin(ctx, visitor, token, w.code(t, secret), "", "test"); domain.ErrCode(err) != domain.CodeUnauthorized {
			t.Fatalf("expired challenge = %v, want unauthorized", err)
		}
	})
}

func TestTOTPRecoveryCodeWorksOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w, ctx := newTOTPWorld(t, s), context.Background()
		_, codes := w.enrol(t, w.signIn(t, "chair"))
		token := w.challenge(t, "chair")
		// As a person might type it: upper case, with a space.
		typed := strings.ToUpper(strings.Replace(codes[3], "-", " ", 1))
		cookie, err := w.svc.VerifyLogin(ctx, visitor, token, typed, "", "test")
		if err != nil {
			t.Fatalf("VerifyLogin(recovery code) = %v", err)
		}
		c := w.caller(t, cookie)
		if st, _ := w.svc.TOTPStatus(ctx, c); st.RecoveryLeft != service.RecoveryCodeCount-1 {
			t.Fatalf("recovery codes left = %d, want %d", st.RecoveryLeft, service.RecoveryCodeCount-1)
		}
		token = w.challenge(t, "chair")
		if _, err := w.svc.VerifyLogin(ctx, visitor, token, codes[3], "", "test"); domain.ErrCode(err) != domain.CodeInvalid {
			t.Fatalf("used recovery code again = %v, want invalid", err)
		}
		if _, err := w.svc.VerifyLogin(ctx, visitor, token, codes[4], "", "test"); err != nil {
			t.Fatalf("another recovery code = %v", err)
		}
	})
}

func TestTOTPRequirementForcesEnrolment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w, ctx := newTOTPWorld(t, s), context.Background()
		chair := w.signIn(t, "chair")
		if err := w.svc.SetTOTPRequired(ctx, w.signIn(t, "orgadm"), true); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("org admin sets the requirement = %v, want forbidden", err)
		}
		if err := w.svc.SetTOTPRequired(ctx, chair, true); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"deputy", "orgadm"} {
			c := w.signIn(t, name)
			if !c.MustEnrolTOTP {
				t.Fatalf("%s: MustEnrolTOTP false while required", name)
			}
			if err := domain.Authorize(c.Principal, domain.ActUserManage, domain.Target{}); err == nil {
				t.Fatalf("%s manages accounts before enrolling", name)
			}
			if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
				t.Fatalf("%s cannot reach their own pages to enrol: %v", name, err)
			}
			st, _ := w.svc.TOTPStatus(ctx, c)
			if !st.Required {
				t.Fatalf("%s: status does not say it is required", name)
			}
			secret, _ := w.enrol(t, c)
			token := w.challenge(t, name)
			cookie, err := w.svc.VerifyLogin(ctx, visitor, token, w.code(t, secret), "", "test")
			if err != nil {
				t.Fatal(err)
			}
			if c := w.caller(t, cookie); c.MustEnrolTOTP {
				t.Fatalf("%s: still must enrol after enrolling", name)
			}
		}
	})
}

func TestTOTPResetByAnotherCommitteeAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w, ctx := newTOTPWorld(t, s), context.Background()
		chair, deputy, orgadm := w.signIn(t, "chair"), w.signIn(t, "deputy"), w.signIn(t, "orgadm")
		w.enrol(t, chair)
		if err := w.svc.ResetTOTP(ctx, chair, chair.UserID); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("reset own two-factor = %v, want conflict", err)
		}
		if err := w.svc.ResetTOTP(ctx, orgadm, chair.UserID); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("org admin resets a committee admin = %v, want forbidden", err)
		}
		if err := w.svc.ResetTOTP(ctx, deputy, chair.UserID); err != nil {
			t.Fatalf("ResetTOTP by another committee admin = %v", err)
		}
		if on, _ := s.TOTPEnabled(ctx, chair.UserID); on {
			t.Fatal("two-factor still on after reset")
		}
		entries, _ := s.ListAudit(ctx, domain.AuditFilter{Action: "user.totp_reset", Limit: 10})
		if len(entries) != 1 || entries[0].Username != "deputy" {
			t.Fatalf("reset audit rows = %+v", entries)
		}
		// The password alone signs in again, and they can enrol anew.
		w.enrol(t, w.signIn(t, "chair"))
	})
}

// TestTOTPParallelCodesStayBounded sends many wrong codes at once for one
// sign-in and the same right code for two sign-ins at once: exactly the
// allowed number of wrong codes is checked, each audited, and the right code
// signs in once.
func TestTOTPParallelCodesStayBounded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w, ctx := newTOTPWorld(t, s), context.Background()
		secret, _ := w.enrol(t, w.signIn(t, "chair"))
		good := w.code(t, secret)
		wrong := "000000"
		if wrong == good {
			wrong = "111111"
		}

		token := w.challenge(t, "chair")
		const n = 20
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			go func() {
				_, err := w.svc.VerifyLogin(ctx, visitor, token, wrong, "", "test")
				errs <- err
			}()
		}
		codes := map[domain.Code]int{}
		for i := 0; i < n; i++ {
			err := <-errs
			if c := domain.ErrCode(err); c != domain.CodeInvalid && c != domain.CodeUnauthorized {
				t.Fatalf("parallel wrong code: %v", err)
			}
			codes[domain.ErrCode(err)]++
		}
		if codes[domain.CodeInvalid] != service.LoginChallengeAttempts-1 {
			t.Errorf("%d wrong codes answered 'try again', want %d (answers %v)",
				codes[domain.CodeInvalid], service.LoginChallengeAttempts-1, codes)
		}
		failed, _ := s.ListAudit(ctx, domain.AuditFilter{Action: "user.totp_failed", Limit: 100})
		if len(failed) != service.LoginChallengeAttempts {
			t.Errorf("%d wrong codes checked and audited, want exactly %d", len(failed), service.LoginChallengeAttempts)
		}
		// Each wrong code checked is a login failure from the address (audited
		// as user.totp_failed), so the fifth locks it: wait for the lock to end.
		lf, _ := s.ListAudit(ctx, domain.AuditFilter{Action: "user.login_failed", Limit: 100})
		if len(lf) != 0 {
			t.Errorf("%d user.login_failed rows, want none (wrong codes are user.totp_failed)", len(lf))
		}
		*w.now = w.now.Add(domain.LoginLockDuration + time.Second)
		good = w.code(t, secret)

		// The same right code on two sign-ins at once: one wins.
		t1, t2 := w.challenge(t, "chair"), w.challenge(t, "chair")
		res := make(chan error, 2)
		for _, tok := range []string{t1, t2} {
			go func() {
				_, err := w.svc.VerifyLogin(ctx, visitor, tok, good, "", "test")
				res <- err
			}()
		}
		okCount := 0
		for i := 0; i < 2; i++ {
			if err := <-res; err == nil {
				okCount++
			} else if domain.ErrCode(err) != domain.CodeInvalid {
				t.Fatalf("parallel same code: %v", err)
			}
		}
		if okCount != 1 {
			t.Fatalf("one code signed in %d times at once, want once", okCount)
		}
	})
}

// TestTOTPWrongCodesCountAsLoginFailures: forty rounds of the right password
// and four wrong codes from one address are locked out after the fifth wrong
// code overall, as wrong passwords are; a right code on a challenge opened
// before is then refused (429) until the lock ends; every wrong code sent is
// audited; wrong recovery codes count the same.
func TestTOTPWrongCodesCountAsLoginFailures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w, ctx := newTOTPWorld(t, s), context.Background()
		secret, _ := w.enrol(t, w.signIn(t, "chair"))
		good := w.code(t, secret)
		wrong := "000000"
		if wrong == good {
			wrong = "111111"
		}
		early := w.challenge(t, "chair")
		checked, refusedCodes, refusedLogins := 0, 0, 0
		for round := 0; round < 40; round++ {
			_, err := w.svc.Login(ctx, visitor, "chair", totpPassword, "", "test")
			var sf *service.SecondFactorNeeded
			if !errors.As(err, &sf) {
				if domain.ErrCode(err) != domain.CodeTooMany {
					t.Fatalf("round %d: right password = %v, want a second factor asked for or 429", round, err)
				}
				if checked < domain.LoginMaxFailures {
					t.Fatalf("round %d: locked after %d wrong codes, want %d", round, checked, domain.LoginMaxFailures)
				}
				refusedLogins++
				continue
			}
			for i := 0; i < 4; i++ {
				_, err := w.svc.VerifyLogin(ctx, visitor, sf.Token, wrong, "", "test")
				switch domain.ErrCode(err) {
				case domain.CodeInvalid:
					checked++
				case domain.CodeTooMany:
					refusedCodes++
				default:
					t.Fatalf("round %d, wrong code %d = %v", round, i+1, err)
				}
				if checked > domain.LoginMaxFailures {
					t.Fatalf("round %d: %d wrong codes checked from one address, want at most %d", round, checked, domain.LoginMaxFailures)
				}
			}
		}
		if checked != domain.LoginMaxFailures || refusedLogins == 0 {
			t.Fatalf("%d wrong codes checked, %d passwords refused; want %d checked, then refused", checked, refusedLogins, domain.LoginMaxFailures)
		}
		_, err := w.svc.VerifyLogin(ctx, visitor, early, good, "", "test")
		var de *domain.Error
		if domain.ErrCode(err) != domain.CodeTooMany || !errors.As(err, &de) {
			t.Fatalf("right code on an earlier challenge while locked = %v, want 429", err)
		}
		failed, _ := s.ListAudit(ctx, domain.AuditFilter{Action: "user.totp_failed", Limit: 500})
		refused, _ := s.ListAudit(ctx, domain.AuditFilter{Action: "user.login_refused", Limit: 500})
		if len(failed) != checked || len(refused) != refusedCodes+refusedLogins+1 {
			t.Fatalf("audit: %d user.totp_failed, %d user.login_refused; want %d and %d",
				len(failed), len(refused), checked, refusedCodes+refusedLogins+1)
		}

		// The lock ends: the right password and code sign in.
		*w.now = w.now.Add(domain.LoginLockDuration + time.Second)
		token := w.challenge(t, "chair")
		if _, err := w.svc.VerifyLogin(ctx, visitor, token, w.code(t, secret), "", "test"); err != nil {
			t.Fatalf("right code after the lock ended = %v", err)
		}

		// Wrong recovery codes count too.
		w.enrol(t, w.signIn(t, "deputy"))
		token = w.challenge(t, "deputy")
		for i := 0; i < domain.LoginMaxFailures; i++ {
			if _, err := w.svc.VerifyLogin(ctx, visitor, token, "abcd-efgh-ijkl", "", "test"); err == nil {
				t.Fatal("a made-up recovery code signed in")
			}
		}
		if _, err := w.svc.Login(ctx, visitor, "deputy", totpPassword, "", "test"); domain.ErrCode(err) != domain.CodeTooMany {
			t.Fatalf("right password after %d wrong recovery codes = %v, want 429", domain.LoginMaxFailures, err)
		}
	})
}
