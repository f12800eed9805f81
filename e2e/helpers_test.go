// Package e2e drives the whole program from outside: the real server in a
// real browser (Debian's Chromium through chromedp), and the real binary as a
// subprocess that is killed, stopped and started twice on one database.
//
// Run it with
//
//	go test ./e2e/ -v
//	VANGUARD_E2E=1 go test -race ./e2e/   # a missing browser fails instead of skipping
//
// Environment:
//
//	VANGUARD_E2E=1           the browser tests must run: no Chromium is a failure
//	VANGUARD_CHROMIUM=PATH   the browser to drive (default /usr/bin/chromium, then
//	                         chromium on PATH); a missing path exercises the skip path
//	VANGUARD_E2E_SHOTS=DIR   also copy every screenshot into DIR for a person to look at
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"vanguard/app"
	"vanguard/service"
)

// fastHasher keeps in-process tests quick; the binary uses the production
// hasher (≈ 90 ms a hash), which is fine for the few logins it sees.
var fastHasher = service.Hasher{Time: 1, Memory: 8 * 1024, Threads: 1}

// newPassword is the admin's password after the first login: long, not
// common, not containing the username, and not ASCII, so the form, the
// hasher and the browser's typing all see multi-byte input.
const newPassword = "红旗飘飘-志愿服务-2026"

var (
	oneTimeRE   = regexp.MustCompile(`one-time password: ([a-z2-9]{4}(?:-[a-z2-9]{4}){3})`)
	listeningRE = regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)
)

// binDir holds the vanguard binary that the subprocess tests share; TestMain
// removes it.
var binDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// syncBuffer is a bytes.Buffer that a server goroutine or a subprocess pipe
// may write while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// server is the program started in-process with app.Open, as cmd/vanguard
// starts it, on a fresh SQLite database.
type server struct {
	URL  string
	Out  string    // what Open printed: the one-time password or the demo logins
	Main *app.Main // for looking into the store
}

// startServer opens Vanguard on 127.0.0.1:0 with a fresh database in a temp
// dir and serves until the test ends.
func startServer(t *testing.T, demo bool) *server {
	t.Helper()
	dir := t.TempDir()
	out, logs := &syncBuffer{}, &syncBuffer{}
	m, err := app.Open(context.Background(), app.Config{
		Addr:   "127.0.0.1:0",
		DB:     filepath.Join(dir, "data", "vanguard.db"),
		Demo:   demo,
		Hasher: fastHasher,
		Out:    out,
		Log:    slog.New(slog.NewTextHandler(logs, nil)),
	})
	if err != nil {
		t.Fatalf("app.Open: %v", err)
	}
	s := &server{URL: m.URL(), Out: out.String(), Main: m} // read before Run writes its banner
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("Run did not return 30 s after its context ended")
		}
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return s
}

// oneTimePassword finds the admin's one-time password in what the first
// start printed.
func oneTimePassword(t *testing.T, out string) string {
	t.Helper()
	m := oneTimeRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no one-time password in the start output:\n%s", out)
	}
	return m[1]
}

// moduleRoot is the folder of the go.mod of module vanguard.
func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		t.Fatalf("go env GOMOD: not inside the module (got %q)", gomod)
	}
	return filepath.Dir(gomod)
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// vanguardBinary builds cmd/vanguard once per test run and returns its path.
func vanguardBinary(t *testing.T) string {
	t.Helper()
	root := moduleRoot(t)
	// go test caches a passing run by the files the test reads, and the
	// build below reads cmd/vanguard out of its sight: stat them, so that a
	// change there reruns these tests.
	mains, _ := filepath.Glob(filepath.Join(root, "cmd", "vanguard", "*.go"))
	for _, f := range mains {
		os.Stat(f)
	}
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "vanguard-e2e-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "vanguard")
		cmd := exec.Command("go", "build", "-o", binPath, "vanguard/cmd/vanguard")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build vanguard/cmd/vanguard: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// proc is a running vanguard binary.
type proc struct {
	t      *testing.T
	name   string
	cmd    *exec.Cmd
	stdout *syncBuffer
	stderr *syncBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // cmd.Wait's answer, set before done closes
}

// startVanguard starts the binary with args. The environment carries no
// VANGUARD_* variable, so the flags alone configure it. The process is
// killed when the test ends, if it still runs.
func startVanguard(t *testing.T, name string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, name: name, stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(vanguardBinary(t), args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "VANGUARD_") {
			p.cmd.Env = append(p.cmd.Env, kv)
		}
	}
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			p.dump()
		}
	})
	return p
}

func (p *proc) dump() {
	p.t.Logf("%s stdout:\n%s\n%s stderr:\n%s", p.name, p.stdout.String(), p.name, p.stderr.String())
}

// waitFor waits until the process's stdout matches re and returns the
// submatches. It fails the test when the process exits first or time runs
// out.
func (p *proc) waitFor(re *regexp.Regexp, timeout time.Duration) []string {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if m := re.FindStringSubmatch(p.stdout.String()); m != nil {
			return m
		}
		select {
		case <-p.done:
			if m := re.FindStringSubmatch(p.stdout.String()); m != nil {
				return m
			}
			p.dump()
			p.t.Fatalf("%s exited (%v) before printing %q", p.name, p.err, re)
		default:
		}
		if time.Now().After(deadline) {
			p.dump()
			p.t.Fatalf("%s printed no %q within %v", p.name, re, timeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// url waits for the start banner and returns the address served.
func (p *proc) url() string {
	p.t.Helper()
	return p.waitFor(listeningRE, 60*time.Second)[1]
}

// wait waits for the process to exit and returns cmd.Wait's error.
func (p *proc) wait(timeout time.Duration) error {
	p.t.Helper()
	select {
	case <-p.done:
		return p.err
	case <-time.After(timeout):
		p.dump()
		p.t.Fatalf("%s still runs after %v", p.name, timeout)
		return nil
	}
}

// kill ends the process with SIGKILL: no deferred function, no shutdown, no
// flush runs.
func (p *proc) kill() {
	p.t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		p.t.Fatalf("kill %s: %v", p.name, err)
	}
	p.wait(10 * time.Second)
}

// client is an HTTP user agent with cookies that does not follow redirects,
// so each answer can be checked.
type client struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newClient(t *testing.T, base string) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, base: base, c: &http.Client{
		Jar:     jar,
		Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// response is a read answer.
type response struct {
	Status   int
	Location string
	Body     string
}

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", req.Method, req.URL.Path, err)
	}
	return response{Status: res.StatusCode, Location: res.Header.Get("Location"), Body: string(b)}
}

func (c *client) get(path string) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// login signs in through the real form and returns the answer: 303 to the
// next page on success, 422 with the form again on failure.
func (c *client) login(username, password string) response {
	c.t.Helper()
	return c.post("/login", url.Values{"username": {username}, "password": {password}})
}

// mustSee fails unless the answer has the status (and, when given, the
// redirect target).
func mustSee(t *testing.T, what string, r response, status int, location string) {
	t.Helper()
	if r.Status != status || (location != "" && r.Location != location) {
		t.Fatalf("%s: got %d Location %q, want %d Location %q\nbody:\n%s",
			what, r.Status, r.Location, status, location, excerpt(r.Body))
	}
}

// excerpt shortens a page for a failure message.
func excerpt(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}
