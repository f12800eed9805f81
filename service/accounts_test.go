package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

var fast = service.Hasher{Time: 1, Memory: 8 * 1024, Threads: 1}

var visitor = domain.Caller{IP: "192.0.2.7", RequestID: "req-1"}

func newService(t *testing.T, s *store.Store) (*service.Service, string) {
	t.Helper()
	svc := service.New(s, fast, make([]byte, 32), nil)
	pw, err := svc.Bootstrap(context.Background(), "市直机关工委")
	if err != nil || pw == "" {
		t.Fatalf("Bootstrap = %q, %v", pw, err)
	}
	return svc, pw
}

func TestBootstrapOnlyOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		svc, _ := newService(t, s)
		pw, err := svc.Bootstrap(context.Background(), "x")
		if err != nil || pw != "" {
			t.Fatalf("second Bootstrap = %q, %v; want nothing", pw, err)
		}
	})
}

func TestSessionLifetime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		svc, pw := newService(t, s)

		cookie, err := svc.Login(ctx, visitor, " Admin ", pw, "", "test")
		if err != nil {
			t.Fatalf("Login: %v", err)
		}
		p, _, err := svc.Authenticate(ctx, cookie)
		if err != nil || p.Username != "admin" || !p.MustChangePassword || !p.Has(domain.RoleCommitteeAdmin) {
			t.Fatalf("Authenticate = %+v, %v", p, err)
		}
		// A forged secret with a real id is the public.
		id, _, _ := strings.Cut(cookie, ".")
		if p, _, _ := svc.Authenticate(ctx, id+".forged"); !p.Anonymous() {
			t.Fatal("forged secret authenticated")
		}
		// Activity every 20 minutes keeps the session alive up to 12 hours.
		for i := 0; i < 35; i++ {
			now = now.Add(20 * time.Minute)
			if p, _, _ := svc.Authenticate(ctx, cookie); p.Anonymous() {
				t.Fatalf("session ended after %v of activity", time.Duration(i+1)*20*time.Minute)
			}
		}
		now = now.Add(21 * time.Minute) // 12 h 1 min after login
		if p, _, _ := svc.Authenticate(ctx, cookie); !p.Anonymous() {
			t.Fatal("session outlived the 12-hour absolute limit")
		}

		cookie, err = svc.Login(ctx, visitor, "admin", pw, "", "test")
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(31 * time.Minute)
		if p, _, _ := svc.Authenticate(ctx, cookie); !p.Anonymous() {
			t.Fatal("session outlived the 30-minute idle limit")
		}
	})
}

func TestLoginReplacesSessionAndChangePasswordEndsOthers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, pw := newService(t, s)
		first, err := svc.Login(ctx, visitor, "admin", pw, "", "a")
		if err != nil {
			t.Fatal(err)
		}
		second, err := svc.Login(ctx, visitor, "admin", pw, first, "a")
		if err != nil {
			t.Fatal(err)
		}
		if p, _, _ := svc.Authenticate(ctx, first); !p.Anonymous() {
			t.Fatal("the session held before login still works")
		}
		other, _ := svc.Login(ctx, visitor, "admin", pw, "", "phone")
		p, sid, _ := svc.Authenticate(ctx, second)
		c := domain.Caller{Principal: p, IP: "192.0.2.7", RequestID: "r"}

		err = svc.ChangePassword(ctx, c, sid, pw, "short", "short")
		if e, ok := domain.AsError(err); !ok || e.Fields["new"] == nil || e.Fields["new"].Key != "err.password.too_short" {
			t.Fatalf("short password: got %v", err)
		}
		err = svc.ChangePassword(ctx, c, sid, "wrong-current-pw", "a much better password", "a much better password")
		if e, ok := domain.AsError(err); !ok || e.Fields["current"] == nil {
			t.Fatalf("wrong current password: got %v", err)
		}
		if err := svc.ChangePassword(ctx, c, sid, pw, "a much better password", "a much better password"); err != nil {
			t.Fatalf("ChangePassword: %v", err)
		}
		if p, _, _ := svc.Authenticate(ctx, second); p.Anonymous() || p.MustChangePassword {
			t.Fatalf("own session after change = %+v; want signed in without forced change", p)
		}
		if p, _, _ := svc.Authenticate(ctx, other); !p.Anonymous() {
			t.Fatal("another session survived the password change")
		}
		if _, err := svc.Login(ctx, visitor, "admin", pw, "", "a"); domain.ErrCode(err) != domain.CodeInvalid {
			t.Fatalf("old password: got %v, want invalid", err)
		}
	})
}

func TestLoginLockAndUniformAnswer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, pw := newService(t, s)
		_, errUnknown := svc.Login(ctx, visitor, "nobody", "whatever-password", "", "")
		_, errWrong := svc.Login(ctx, visitor, "admin", "whatever-password", "", "")
		if errUnknown == nil || errUnknown.Error() != errWrong.Error() {
			t.Fatalf("unknown user %v, wrong password %v: want the same answer", errUnknown, errWrong)
		}
		for i := 0; i < 4; i++ {
			svc.Login(ctx, visitor, "admin", "wrong-password-x", "", "")
		}
		_, err := svc.Login(ctx, visitor, "admin", pw, "", "")
		if domain.ErrCode(err) != domain.CodeTooMany {
			t.Fatalf("sixth login with the right password: got %v, want too_many", err)
		}
	})
}

func TestCreateUserValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, _ := newService(t, s)
		_, _, err := svc.CreateUser(ctx, service.SystemCaller, service.NewAccount{
			Username: "A b", DisplayName: "", Role: domain.RoleOrgAdmin,
		})
		e, ok := domain.AsError(err)
		if !ok || len(e.Fields) != 3 {
			t.Fatalf("got %v; want errors on username, display_name and scope_id", err)
		}
		_, _, err = svc.CreateUser(ctx, service.SystemCaller, service.NewAccount{
			Username: "unit", DisplayName: "单位", Role: domain.RoleOrgAdmin, ScopeID: 999,
		})
		if e, ok := domain.AsError(err); !ok || e.Key != "err.scope.not_found" {
			t.Fatalf("unknown scope: got %v", err)
		}
		_, _, err = svc.CreateUser(ctx, service.SystemCaller, service.NewAccount{
			Username: "admin", DisplayName: "重名", Role: domain.RoleVolunteer,
		})
		if e, ok := domain.AsError(err); !ok || e.Key != "err.username.taken" {
			t.Fatalf("taken name: got %v", err)
		}
		// The public may not create accounts.
		_, _, err = svc.CreateUser(ctx, visitor, service.NewAccount{Username: "x1x", DisplayName: "x", Role: domain.RoleVolunteer})
		if domain.ErrCode(err) != domain.CodeUnauthorized {
			t.Fatalf("public CreateUser: got %v", err)
		}
	})
}

func TestHasher(t *testing.T) {
	h, err := fast.Hash("correct horse battery")
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=8192,t=1,p=1$") {
		t.Fatalf("Hash = %q, %v", h, err)
	}
	for pw, want := range map[string]bool{"correct horse battery": true, "correct horse batterY": false, "": false} {
		if ok, err := service.DefaultHasher.Verify(h, pw); ok != want || err != nil {
			t.Errorf("Verify(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	if _, err := fast.Verify("$2a$10$bcrypt", "x"); err == nil {
		t.Error("Verify accepted a non-argon2 hash")
	}
}

// linkedPerson marks a test principal as linked to a person record, which a
// volunteer or team leader grant needs to take effect (domain.Principal.
// Acting). The services find a caller's person by their account, never by
// this id, so fixtures whose leaders have no person of their own use it.
const linkedPerson = -1
