package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/i18n"
)

const (
	sessionCookie = "vg_session"
	langCookie    = "vg_lang"
)

// middleware wraps the mux, outermost first: request id, the request log and
// metrics, panic recovery, security headers, cross-origin protection, the
// locale and the session.
func (s *Server) middleware(next http.Handler) http.Handler {
	h := s.session(next)
	h = locale(h)
	h = s.crossOrigin(h) // see api.go: token requests carry no cookie to abuse
	h = s.securityHeaders(h)
	h = s.recoverPanic(h)
	h = s.logRequest(h)
	return s.requestContext(h)
}

// requestContext gives the request an id and records the client address.
func (s *Server) requestContext(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-Id", id)
		r = with(r, keyRequestID, id)
		r = with(r, keyIP, s.remoteIP(r))
		next.ServeHTTP(w, r)
	})
}

func (s *Server) remoteIP(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequest writes one structured line per request and counts it. The
// query string is left out: it may hold personal data.
func (s *Server) logRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		info := &requestLog{}
		r = with(r, keyLog, info)
		s.metrics.inFlight.Add(1)
		defer s.metrics.inFlight.Add(-1)
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		d := time.Since(start)
		s.metrics.observe(r.Method, sw.status, d)
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", logPath(r.URL.Path)),
			slog.Int("status", sw.status),
			slog.Int("bytes", sw.bytes),
			slog.Duration("duration", d),
			slog.String("request_id", requestID(r)),
			slog.String("ip", clientIP(r)),
			slog.Int64("user_id", info.userID),
		)
	})
}

// recoverPanic turns a panic into a 500 page and a logged stack.
func (s *Server) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.fail(w, r, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// csp allows only the platform's own scripts, styles and images: no inline
// script, no framing.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "geolocation=(self), camera=(self), microphone=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// locale picks the language: the cookie set by the switch, then
// Accept-Language, then zh-CN. The API takes Accept-Language first: its
// clients say what they want on each request.
func locale(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l := i18n.ZH
		if al := r.Header.Get("Accept-Language"); al != "" && isAPI(r) {
			l = i18n.Parse(al)
		} else if c, err := r.Cookie(langCookie); err == nil {
			l = i18n.Parse(c.Value)
		} else {
			l = i18n.Parse(r.Header.Get("Accept-Language"))
		}
		w.Header().Set("Content-Language", string(l))
		next.ServeHTTP(w, r.WithContext(i18n.With(r.Context(), l)))
	})
}

// session resolves the session cookie into a principal.
func (s *Server) session(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		if tokenRequest(r) {
			s.tokenSession(w, r, next)
			return
		}
		c, err := r.Cookie(sessionCookie)
		if err != nil {
			next.ServeHTTP(w, r)
			return
		}
		p, id, err := s.svc.Authenticate(r.Context(), c.Value)
		if err != nil {
			s.fail(w, r, fmt.Errorf("authenticate: %w", err))
			return
		}
		if id == "" {
			s.clearSessionCookie(w, r)
		}
		if info, ok := r.Context().Value(keyLog).(*requestLog); ok {
			info.userID = p.UserID
		}
		r = with(r, keyPrincipal, p)
		r = with(r, keySessionID, id)
		r = s.withBell(r)
		next.ServeHTTP(w, r)
	})
}

// handle wraps a route's handler: the policy function decides first, then
// the handler runs with a bounded body and its error goes to the adapter.
func (s *Server) handle(rt route) http.Handler {
	limit := rt.maxBody
	if limit == 0 {
		limit = defaultMaxBody
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := domain.Authorize(principal(r), rt.action, domain.Target{}); err != nil {
			s.fail(w, r, err)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if err := checkInput(r); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := rt.h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, value string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: value, Path: "/",
		MaxAge:   int(domain.SessionAbsolute.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r),
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r),
	})
}

func (s *Server) secure(r *http.Request) bool { return r.TLS != nil || s.cfg.SecureCookies }
