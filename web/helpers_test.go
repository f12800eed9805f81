package web_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/service"
	"vanguard/store/storetest"
)

// fastHasher keeps password hashing cheap in tests; the default costs 64 MiB
// and about 90 ms per hash, far more under the race detector.
var fastHasher = service.Hasher{Time: 1, Memory: 8 * 1024, Threads: 1}

// testSecretKey is shared by every instance a test starts, as several
// instances on one PostgreSQL must share their key.
const testSecretKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// testAuditKey keys the audit chain of every instance a test starts.
const testAuditKey = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

// demoUsers maps each role to the demo account that holds it.
var demoUsers = map[domain.Role]string{
	domain.RoleCommitteeAdmin: "admin",
	domain.RoleOrgAdmin:       "nmj-admin",
	domain.RoleTeamLeader:     "nmj-leader",
	domain.RoleVolunteer:      "volunteer",
	domain.RoleSiteContact:    "gacha-contact",
}

// syncBuffer is a bytes.Buffer safe for the app's goroutines to write while
// the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// testApp is a running Vanguard serving real HTTP on 127.0.0.1.
type testApp struct {
	*app.Main
	url  string
	out  *syncBuffer // what the program printed: first-start password, demo logins
	logs *syncBuffer // its log; a WARN or ERROR line fails the test
	tr   *http.Transport
	// stop shuts the server down and waits until every request in flight has
	// finished, its log line included. The test's cleanup calls it too.
	stop func()
}

// newTestApp starts the demo city on a fresh SQLite file: a copy of the
// data folder of one demo city generated for the whole test binary, so that
// each test does not generate it again (under -race modernc SQLite is about
// 25 times slower, and the demo city took most of the web package's time).
func newTestApp(t *testing.T) *testApp {
	t.Helper()
	db := storetest.SQLitePath(t)
	copyDir(t, demoTemplate(t), filepath.Dir(db))
	return startApp(t, app.Config{DB: db, Demo: true})
}

var demoOnce struct {
	sync.Once
	dir string
	err error
}

// demoTemplate returns a data folder holding the demo city as the program
// leaves it when it stops: the database and the files beside it.
func demoTemplate(t *testing.T) string {
	t.Helper()
	demoOnce.Do(func() {
		dir, err := os.MkdirTemp("", "vanguard-demo-")
		if err != nil {
			demoOnce.err = err
			return
		}
		demoOnce.dir = dir
		m, err := app.Open(context.Background(), app.Config{
			DB: filepath.Join(dir, "vanguard.db"), Addr: "127.0.0.1:0", Demo: true,
			Hasher: fastHasher, SecretKey: testSecretKey, AuditKey: testAuditKey,
			Out: io.Discard, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		})
		if err != nil {
			demoOnce.err = err
			return
		}
		demoOnce.err = m.Close()
	})
	if demoOnce.err != nil {
		t.Fatalf("generate the demo city: %v", demoOnce.err)
	}
	return demoOnce.dir
}

// copyDir copies the regular files of src into dst, one level deep.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() && !d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o750)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o600)
	})
	if err != nil {
		t.Fatalf("copy the demo city: %v", err)
	}
}

// eachDB runs fn on a fresh SQLite file and on a fresh PostgreSQL schema, as
// subtests "sqlite" and "postgres"; the second skips with a message when
// VANGUARD_TEST_POSTGRES is unset.
func eachDB(t *testing.T, fn func(t *testing.T, db string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, storetest.SQLitePath(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, storetest.PostgresDSN(t)) })
}

// startApp opens the program with cfg on 127.0.0.1:0, runs it until the test
// ends and then shuts it down. Addr, Hasher, SecretKey, Out and Log are
// filled in.
func startApp(t *testing.T, cfg app.Config) *testApp {
	t.Helper()
	a := &testApp{out: &syncBuffer{}, logs: &syncBuffer{}}
	cfg.Addr = "127.0.0.1:0"
	cfg.Hasher = fastHasher
	cfg.Out = a.out
	cfg.Log = slog.New(slog.NewTextHandler(a.logs, nil))
	if cfg.SecretKey == "" {
		cfg.SecretKey = testSecretKey
	}
	if cfg.AuditKey == "" { // shared too, and no audit.key left in ./data
		cfg.AuditKey = testAuditKey
	}
	m, err := app.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("app.Open(%s): %v", cfg.DB, err)
	}
	a.Main, a.url = m, m.URL()
	a.tr = &http.Transport{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	a.stop = sync.OnceFunc(func() {
		cancel()
		a.tr.CloseIdleConnections()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	t.Cleanup(func() {
		a.stop()
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		logs := a.logs.String()
		if t.Failed() {
			t.Logf("app log:\n%s", logs)
		}
		for _, line := range strings.Split(logs, "\n") {
			if strings.Contains(line, "level=WARN") || strings.Contains(line, "level=ERROR") {
				t.Errorf("unexpected log line: %s", line)
			}
		}
	})
	return a
}

// client is a browser stand-in: it keeps cookies and does not follow
// redirects, so a test sees every 303.
type client struct {
	app    *testApp
	hc     *http.Client
	header http.Header // sent with every request
}

func (a *testApp) newClient(t *testing.T) *client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{app: a, header: http.Header{}, hc: &http.Client{
		Transport:     a.tr,
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// login signs username in with the demo password through the real form and
// returns its client.
func (a *testApp) login(t *testing.T, username string) *client {
	t.Helper()
	c := a.newClient(t)
	c.login(t, username, service.DemoPassword)
	return c
}

// login posts the login form and requires the redirect of a success.
func (c *client) login(t *testing.T, username, password string) *response {
	t.Helper()
	r := c.postForm(t, "/login", url.Values{"username": {username}, "password": {password}})
	if r.StatusCode != http.StatusSeeOther || r.cookie(sessionCookie) == nil {
		t.Fatalf("POST /login as %s: got %d with session cookie %v, want 303 and a cookie; message %q",
			username, r.StatusCode, r.cookie(sessionCookie) != nil, r.notice())
	}
	return r
}

// sessionCookie is the name of the session cookie the web layer sets.
const sessionCookie = "vg_session"

// session returns the session cookie the client holds, or "".
func (c *client) session() string {
	u, _ := url.Parse(c.app.url)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == sessionCookie {
			return ck.Value
		}
	}
	return ""
}

// response is an http.Response with its body read.
type response struct {
	*http.Response
	body string
}

func (c *client) get(t *testing.T, path string) *response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.app.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c.do(t, req)
}

func (c *client) postForm(t *testing.T, path string, form url.Values) *response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.app.url+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(t, req)
}

func (c *client) do(t *testing.T, req *http.Request) *response {
	t.Helper()
	for k, vs := range c.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL.Path, err)
	}
	return &response{Response: resp, body: string(b)}
}

// cookie returns the cookie the response set, or nil.
func (r *response) cookie(name string) *http.Cookie {
	for _, ck := range r.Cookies() {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

var (
	h1Re         = regexp.MustCompile(`(?s)<h1>(.*?)</h1>`)
	noticeRe     = regexp.MustCompile(`(?s)<div class="notice error" role="alert">(.*?)</div>`)
	fieldErrorRe = regexp.MustCompile(`(?s)<p class="field-error" id="([a-z_]+)-error">(.*?)</p>`)
)

// h1 returns the text of the page's first heading.
func (r *response) h1() string { return firstGroup(h1Re, r.body) }

// notice returns the text of the page's error notice, or "".
func (r *response) notice() string { return firstGroup(noticeRe, r.body) }

// fieldErrors returns the message shown under each invalid form field.
func (r *response) fieldErrors() map[string]string {
	out := map[string]string{}
	for _, m := range fieldErrorRe.FindAllStringSubmatch(r.body, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

func firstGroup(re *regexp.Regexp, s string) string {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return html.UnescapeString(strings.TrimSpace(m[1]))
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoOnce.dir != "" {
		os.RemoveAll(demoOnce.dir)
	}
	os.Exit(code)
}
