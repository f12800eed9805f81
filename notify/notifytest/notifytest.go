// Package notifytest runs real receivers for tests: an SMTP server that
// keeps what it is sent, and a gateway that checks each webhook's signature
// and counts deliveries by idempotency key.
package notifytest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"vanguard/notify"
)

// Mail is one message the SMTP sink received.
type Mail struct {
	From, To  string
	MessageID string
	Subject   string
	Body      string
}

// SMTPSink is an SMTP server on 127.0.0.1 that keeps every message.
type SMTPSink struct {
	Addr string // host:port
	mu   sync.Mutex
	mail []Mail
	srv  *smtp.Server
}

// NewSMTPSink starts a sink; it stops when the test ends.
func NewSMTPSink(tb testing.TB) *SMTPSink {
	tb.Helper()
	s := &SMTPSink{}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{sink: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s.Addr = l.Addr().String()
	go s.srv.Serve(l)
	tb.Cleanup(func() { s.srv.Close() })
	return s
}

// URL is the --smtp-url that reaches the sink.
func (s *SMTPSink) URL() string {
	return "smtp://" + s.Addr + "?from=noreply@vanguard.test&tls=none"
}

// Mail returns what the sink has received so far.
func (s *SMTPSink) Mail() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mail...)
}

type session struct {
	sink     *SMTPSink
	from, to string
}

func (x *session) Reset()        { x.from, x.to = "", "" }
func (x *session) Logout() error { return nil }
func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = to
	return nil
}
func (x *session) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		return err
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		subject = m.Header.Get("Subject")
	}
	x.sink.mu.Lock()
	x.sink.mail = append(x.sink.mail, Mail{From: x.from, To: x.to, MessageID: m.Header.Get("Message-Id"),
		Subject: subject, Body: decodeBody(m.Header.Get("Content-Transfer-Encoding"), body)})
	x.sink.mu.Unlock()
	return nil
}

// Gateway is a webhook receiver that checks signatures.
type Gateway struct {
	URL    string
	Secret []byte
	mu     sync.Mutex
	got    []notify.GatewayPayload
	byKey  map[string]int
	byPath map[string]int
	bad    int
	failN  int           // answer 503 to the first failN requests
	delay  time.Duration // how long each request takes to answer
}

// NewGateway starts a gateway receiver; it stops when the test ends.
func NewGateway(tb testing.TB, secret []byte) *Gateway {
	g := &Gateway{Secret: secret, byKey: map[string]int{}, byPath: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(g.serve))
	tb.Cleanup(srv.Close)
	g.URL = srv.URL + "/hook"
	return g
}

// FailFirst makes the gateway answer 503 to its next n requests.
func (g *Gateway) FailFirst(n int) {
	g.mu.Lock()
	g.failN = n
	g.mu.Unlock()
}

// SetDelay makes each request take d to answer, to slow a run.
func (g *Gateway) SetDelay(d time.Duration) {
	g.mu.Lock()
	g.delay = d
	g.mu.Unlock()
}

func (g *Gateway) serve(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	delay := g.delay
	g.mu.Unlock()
	time.Sleep(delay)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if !notify.Verify(g.Secret, r.Header.Get("X-Vanguard-Timestamp"), body, r.Header.Get("X-Vanguard-Signature"), time.Now(), 5*time.Minute) {
		g.bad++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if g.failN > 0 {
		g.failN--
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	var p notify.GatewayPayload
	if err := json.Unmarshal(body, &p); err != nil || p.ID == "" || p.ID != r.Header.Get("Idempotency-Key") {
		g.bad++
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	g.byKey[p.ID]++
	g.byPath[r.URL.RawQuery]++
	g.got = append(g.got, p)
	w.WriteHeader(http.StatusAccepted)
}

// Received returns every accepted payload, repeats included.
func (g *Gateway) Received() []notify.GatewayPayload {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]notify.GatewayPayload(nil), g.got...)
}

// Counts returns how often each idempotency key arrived, and how many
// requests were refused for a bad signature or payload.
func (g *Gateway) Counts() (byKey map[string]int, bad int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make(map[string]int, len(g.byKey))
	for k, v := range g.byKey {
		out[k] = v
	}
	return out, g.bad
}

func decodeBody(cte string, body []byte) string {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "quoted-printable":
		b, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		if err == nil {
			return string(b)
		}
	case "base64":
		b, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(body)))
		if err == nil {
			return string(b)
		}
	}
	return string(body)
}

// ByQuery counts accepted posts by their URL's query string, so that
// senders given URL+"?a" and URL+"?b" can be told apart.
func (g *Gateway) ByQuery() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make(map[string]int, len(g.byPath))
	for k, v := range g.byPath {
		out[k] = v
	}
	return out
}
