package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/service"
	"vanguard/store/storetest"
)

// rawPost posts form to path from the client address addr (sent as
// X-Forwarded-For when not empty) with an optional Cookie header, and
// returns the status and the Retry-After header. It is safe to call from
// many goroutines: it reports failures as errors, not through t.
func rawPost(a *testApp, path string, form url.Values, addr, cookie string) (int, string, error) {
	req, err := http.NewRequest(http.MethodPost, a.url+path, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if addr != "" {
		req.Header.Set("X-Forwarded-For", addr)
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	hc := &http.Client{Transport: a.tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, "", err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Retry-After"), nil
}

// inParallel runs fn n times at once and counts the statuses it returns.
func inParallel(t *testing.T, n int, fn func(i int) (int, error)) map[int]int {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	got := map[int]int{}
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			status, err := fn(i)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("request %d: %v", i, err)
				return
			}
			got[status]++
		}()
	}
	close(start)
	wg.Wait()
	return got
}

// loginAudit counts the audit rows of refused and failed sign-ins of a name.
func loginAudit(t *testing.T, a *testApp, username string) (failed, refused int) {
	t.Helper()
	es, err := a.Store.ListAudit(context.Background(), domain.AuditFilter{Action: "user.login_", Username: username, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		switch e.Action {
		case "user.login_failed":
			failed++
		case "user.login_refused":
			refused++
		}
	}
	return failed, refused
}

func wrongLogin(username string) url.Values {
	return url.Values{"username": {username}, "password": {"not-the-password"}}
}

// TestLoginLockHoldsUnderParallelGuesses: 30 wrong passwords at once for one
// account from one address check exactly LoginMaxFailures of them; the rest
// are refused before the check, every one is audited and none is a 500.
func TestLoginLockHoldsUnderParallelGuesses(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		a := startApp(t, app.Config{DB: db, Demo: true})
		got := inParallel(t, 30, func(int) (int, error) {
			status, _, err := rawPost(a, "/login", wrongLogin("volunteer"), "", "")
			return status, err
		})
		want := map[int]int{http.StatusUnprocessableEntity: domain.LoginMaxFailures, http.StatusTooManyRequests: 30 - domain.LoginMaxFailures}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("30 parallel wrong passwords: statuses %v, want %v", got, want)
		}
		failed, refused := loginAudit(t, a, "volunteer")
		if failed != domain.LoginMaxFailures || failed+refused != 30 {
			t.Errorf("audit: %d failed and %d refused sign-ins, want %d checked and 30 in all", failed, refused, domain.LoginMaxFailures)
		}
	})
}

// TestLoginLockPerAddress: failures from one address lock the account there
// only; a slower limit per account across addresses locks it at every
// address that failed, not at a clean one; a committee admin's unlock
// clears both.
func TestLoginLockPerAddress(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		a := startApp(t, app.Config{DB: db, Demo: true, TrustProxy: true})
		from := func(addr, password string) (int, string) {
			t.Helper()
			status, retry, err := rawPost(a, "/login", url.Values{"username": {"volunteer"}, "password": {password}}, addr, "")
			if err != nil {
				t.Fatal(err)
			}
			return status, retry
		}
		for i := 1; i <= domain.LoginMaxFailures; i++ {
			if status, _ := from("198.51.100.7", "not-the-password"); status != http.StatusUnprocessableEntity {
				t.Fatalf("wrong password %d from A: got %d, want 422", i, status)
			}
		}
		status, retry := from("198.51.100.7", service.DemoPassword)
		if n, _ := strconv.Atoi(retry); status != http.StatusTooManyRequests || n <= 0 {
			t.Errorf("right password from A after %d failures: got %d Retry-After %q, want 429 with Retry-After", domain.LoginMaxFailures, status, retry)
		}
		if status, _ := from("203.0.113.9", service.DemoPassword); status != http.StatusSeeOther {
			t.Errorf("right password from B while A is locked: got %d, want 303", status)
		}

		// Failures from many addresses add up to the per-account limit.
		n := domain.LoginMaxFailures
		for i := 0; n < domain.LoginAccountMaxFailures; i++ {
			for j := 0; j < domain.LoginMaxFailures-1 && n < domain.LoginAccountMaxFailures; j++ {
				if status, _ := from(fmt.Sprintf("192.0.2.%d", 10+i), "not-the-password"); status != http.StatusUnprocessableEntity {
					t.Fatalf("failure %d (from 192.0.2.%d): got %d, want 422", n+1, 10+i, status)
				}
				n++
			}
		}
		// The limit holds at every address that failed in the hour, but B,
		// with no failure of its own, is still checked: guesses from
		// elsewhere do not shut the owner out.
		status, retry = from("192.0.2.10", service.DemoPassword)
		if n, _ := strconv.Atoi(retry); status != http.StatusTooManyRequests || n <= 0 {
			t.Errorf("right password from a failing address after %d failures from several addresses: got %d Retry-After %q, want 429",
				domain.LoginAccountMaxFailures, status, retry)
		}
		if status, _ := from("203.0.113.9", service.DemoPassword); status != http.StatusSeeOther {
			t.Errorf("right password from clean B after %d failures from several addresses: got %d, want 303",
				domain.LoginAccountMaxFailures, status)
		}

		// The committee admin unlocks the account on /admin/users.
		admin := a.login(t, "admin")
		acc, err := a.Store.AccountByUsername(context.Background(), "volunteer")
		if err != nil {
			t.Fatal(err)
		}
		if r := admin.postForm(t, fmt.Sprintf("/admin/users/%d/unlock", acc.ID), url.Values{}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("unlock: got %d, want 303", r.StatusCode)
		}
		for _, addr := range []string{"198.51.100.7", "203.0.113.9", "192.0.2.10"} {
			if status, _ := from(addr, service.DemoPassword); status != http.StatusSeeOther {
				t.Errorf("right password from %s after the unlock: got %d, want 303", addr, status)
			}
		}
	})
}

// TestLoginKeepsAnotherSession: a login that carries another browser's
// session id with a wrong secret does not end that session.
func TestLoginKeepsAnotherSession(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		a := startApp(t, app.Config{DB: db, Demo: true})
		victim := a.login(t, "volunteer")
		id, _, _ := strings.Cut(victim.session(), ".")
		status, _, err := rawPost(a, "/login", url.Values{"username": {"admin"}, "password": {service.DemoPassword}}, "",
			sessionCookie+"="+id+".wrongsecret")
		if err != nil || status != http.StatusSeeOther {
			t.Fatalf("login with another's session id: got %d %v, want 303", status, err)
		}
		if r := victim.get(t, "/api/v1/me"); r.StatusCode != http.StatusOK {
			t.Errorf("the other browser's session after that login: GET /api/v1/me got %d, want 200", r.StatusCode)
		}
		// The browser's own session is still replaced at login.
		own := victim.session()
		victim.login(t, "volunteer", service.DemoPassword)
		ownID, _, _ := strings.Cut(own, ".")
		if _, err := a.Store.SessionByID(context.Background(), ownID); domain.ErrCode(err) != domain.CodeNotFound {
			t.Errorf("own old session after a new login: %v, want ended", err)
		}
	})
}

// TestLoginThrottlePerAddress: sign-ins from one address (one /64 for IPv6)
// beyond LoginAddressLimit are answered 429 with Retry-After before any
// password is checked, whatever names they try.
func TestLoginThrottlePerAddress(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		a := startApp(t, app.Config{DB: db, Demo: true, TrustProxy: true})
		// One after the other: at once, most would be refused as busy.
		spray := func(addr func(i int) string, n int) map[int]int {
			got := map[int]int{}
			for i := range n {
				status, _, err := rawPost(a, "/login", wrongLogin(fmt.Sprintf("spray%03d", i)), addr(i), "")
				if err != nil {
					t.Fatal(err)
				}
				got[status]++
			}
			return got
		}
		v4 := func(int) string { return "192.0.2.77" }
		got := spray(v4, domain.LoginAddressLimit)
		if got[http.StatusUnprocessableEntity] != domain.LoginAddressLimit {
			t.Errorf("%d sign-ins from one address: %v, want all 422", domain.LoginAddressLimit, got)
		}
		status, retry, err := rawPost(a, "/login", wrongLogin("one-more"), "192.0.2.77", "")
		if n, _ := strconv.Atoi(retry); err != nil || status != http.StatusTooManyRequests || n <= 0 {
			t.Errorf("one more from that address: got %d Retry-After %q (%v), want 429 with Retry-After", status, retry, err)
		}
		if status, _, _ := rawPost(a, "/login", wrongLogin("one-more"), "192.0.2.78", ""); status != http.StatusUnprocessableEntity {
			t.Errorf("the next address: got %d, want 422", status)
		}

		// Every address of one IPv6 /64 shares a bucket.
		v6 := func(i int) string { return fmt.Sprintf("2001:db8:1:2:%x::%x", i, i+1) }
		got = spray(v6, domain.LoginAddressLimit)
		if got[http.StatusUnprocessableEntity] != domain.LoginAddressLimit {
			t.Errorf("%d sign-ins from one /64: %v, want all 422", domain.LoginAddressLimit, got)
		}
		if status, _, _ := rawPost(a, "/login", wrongLogin("one-more"), "2001:db8:1:2:ffff:ffff:ffff:fffe", ""); status != http.StatusTooManyRequests {
			t.Errorf("another address in the same /64: got %d, want 429", status)
		}
		if status, _, _ := rawPost(a, "/login", wrongLogin("one-more"), "2001:db8:1:3::1", ""); status != http.StatusUnprocessableEntity {
			t.Errorf("an address in the next /64: got %d, want 422", status)
		}
	})
}

// TestHashingIsBounded: 50 parallel sign-ins never run more password hashes
// at once than the hasher's slots.
func TestHashingIsBounded(t *testing.T) {
	t.Parallel()
	a := startApp(t, app.Config{DB: storetest.SQLitePath(t), Demo: true, TrustProxy: true})
	a.Service.ResetHashPeak()
	got := inParallel(t, 50, func(i int) (int, error) {
		status, _, err := rawPost(a, "/login", wrongLogin(fmt.Sprintf("bounded%02d", i)), fmt.Sprintf("198.18.0.%d", i+1), "")
		return status, err
	})
	if got[http.StatusUnprocessableEntity]+got[http.StatusTooManyRequests] != 50 {
		t.Errorf("50 parallel sign-ins: %v, want 422 or 429 each", got)
	}
	if peak, slots := a.Service.HashPeak(), a.Service.HashSlots(); peak < 1 || peak > slots {
		t.Errorf("at most %d password hashes ran at once, want between 1 and %d", peak, slots)
	}
}
