package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/i18n"
)

// The frame of the JSON API under /api/v1: bearer tokens, JSON bodies,
// cursors and ETags. Handlers of the API live in api_*.go; like every other
// handler they are lines of the route table and return errors, which fail
// (errors.go) writes as {"error": {...}} for any /api/ path.

// bearerToken returns the token of an "Authorization: Bearer …" header and
// whether the request has an Authorization header at all.
func bearerToken(r *http.Request) (token string, present bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", false
	}
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", true
	}
	return strings.TrimSpace(tok), true
}

// tokenRequest reports whether r is an API request that carries its own
// credentials. Such a request is authenticated by its token alone — any
// cookie is ignored — so a cross-site page cannot make one act for a
// signed-in browser: a browser sends an Authorization header cross-origin
// only after a CORS preflight, which the platform never grants.
func tokenRequest(r *http.Request) bool {
	_, present := bearerToken(r)
	return present && isAPI(r)
}

// crossOrigin refuses cross-origin writes made with the browser's cookie
// (http.CrossOriginProtection), and lets token requests through.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, domain.Errorf(domain.CodeForbidden, "err.cross_origin"))
	}))
	guarded := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tokenRequest(r) {
			next.ServeHTTP(w, r)
			return
		}
		guarded.ServeHTTP(w, r)
	})
}

// tokenSession resolves the bearer token of an API request into a
// principal. A missing, malformed, unknown, expired or revoked token, or a
// disabled user's, answers 401.
func (s *Server) tokenSession(w http.ResponseWriter, r *http.Request, next http.Handler) {
	token, _ := bearerToken(r)
	if token == "" {
		s.fail(w, r, domain.Errorf(domain.CodeUnauthorized, "api.token.bad"))
		return
	}
	p, err := s.svc.AuthenticateToken(r.Context(), token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if info, ok := r.Context().Value(keyLog).(*requestLog); ok {
		info.userID = p.UserID
	}
	next.ServeHTTP(w, with(r, keyPrincipal, p))
}

// readJSON decodes a request's JSON body into v; an empty body leaves v as
// it is. The body must be declared application/json, even when empty: a cross-site form can send neither that type nor an
// Authorization header without a preflight. Unknown fields are refused, so
// a misspelt field is an error rather than silently missing.
func readJSON(r *http.Request, v any) error {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		return domain.Invalid("", "api.json.content_type")
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err // over the route's limit: fail reports it as too large
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil // an action without fields may send no body
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var maxBytes *http.MaxBytesError
		if errors.As(err, &maxBytes) {
			return err
		}
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return domain.Invalid(typeErr.Field, "api.json.type")
		}
		return domain.Invalid("", "api.json.bad")
	}
	if _, err := dec.Token(); err != io.EOF {
		return domain.Invalid("", "api.json.bad")
	}
	return nil
}

// writeAPI writes v as the JSON answer to a request. A GET carries a strong
// ETag, the hash of the body, and answers 304 with no body when the client
// already holds it (If-None-Match).
func writeAPI(w http.ResponseWriter, r *http.Request, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return writeAPIBody(w, r, status, buf.Bytes())
}

// writeAPIRaw writes a JSON body as it is, with writeAPI's ETag.
func writeAPIRaw(w http.ResponseWriter, r *http.Request, body []byte) error {
	return writeAPIBody(w, r, http.StatusOK, body)
}

func writeAPIBody(w http.ResponseWriter, r *http.Request, status int, body []byte) error {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	if r.Method == http.MethodGet && status == http.StatusOK {
		h.Set("Vary", "Authorization, Cookie, Accept-Language")
		// Revalidate every time, and keep personal answers out of shared
		// caches.
		h.Set("Cache-Control", "private, no-cache")
		if notModified(w, r, body) {
			return nil
		}
	}
	w.WriteHeader(status)
	_, err := w.Write(body)
	return err
}

// notModified sets a strong ETag, a hash of body, and answers 304 when the
// client already holds that body (If-None-Match), reporting whether it did.
func notModified(w http.ResponseWriter, r *http.Request, body []byte) bool {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	w.Header().Set("ETag", etag)
	for _, t := range strings.Split(r.Header.Get("If-None-Match"), ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			w.WriteHeader(http.StatusNotModified)
			return true
		}
	}
	return false
}

// Paging of lists: ?limit= (default 50, at most 200) and ?cursor=, an
// opaque string the previous page returned as next_cursor: the base64 of
// the key of its last item.
const (
	pageDefault = 50
	pageMax     = 200
)

// pageReq is a list request's page.
type pageReq struct {
	limit int
	after string // the decoded cursor: the key of the last item seen; "" for the first page
}

func readPage(r *http.Request) (pageReq, error) {
	q := r.URL.Query()
	p := pageReq{limit: pageDefault}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > pageMax {
			return p, domain.Invalid("limit", "api.page.limit", pageMax)
		}
		p.limit = n
	}
	if c := q.Get("cursor"); c != "" {
		b, err := base64.RawURLEncoding.DecodeString(c)
		if err != nil || len(b) == 0 || !domain.CleanLine(string(b)) {
			return p, domain.Invalid("cursor", "api.page.cursor")
		}
		p.after = string(b)
	}
	return p, nil
}

func encodeCursor(key string) string { return base64.RawURLEncoding.EncodeToString([]byte(key)) }

// pageOf returns the page of items after p's cursor, in their order, and
// the cursor of the next page ("" when this is the last). key names an
// item; a cursor naming no item of the list (it went away) is refused
// rather than silently restarting.
func pageOf[T any](items []T, p pageReq, key func(T) string) ([]T, string, error) {
	start := 0
	if p.after != "" {
		start = -1
		for i, it := range items {
			if key(it) == p.after {
				start = i + 1
				break
			}
		}
		if start < 0 {
			return nil, "", domain.Invalid("cursor", "api.page.cursor")
		}
	}
	items = items[start:]
	if len(items) <= p.limit {
		return items, "", nil
	}
	items = items[:p.limit]
	return items, encodeCursor(key(items[len(items)-1])), nil
}

func idKey(id int64) string { return strconv.FormatInt(id, 10) }

// apiTime writes a time as RFC 3339 in China time (+08:00); the zero time
// is null.
type apiTime time.Time

var apiZone = time.FixedZone("CST", 8*3600)

func (t apiTime) MarshalJSON() ([]byte, error) {
	if time.Time(t).IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + time.Time(t).In(apiZone).Format(time.RFC3339) + `"`), nil
}

// apiHours is a duration as integer minutes and as hours with two decimals.
type apiHours struct {
	Minutes int64  `json:"minutes"`
	Hours   string `json:"hours"`
}

// hoursOf rounds m half up to hundredths of an hour, as domain.Minutes.Hours
// does, and always writes two decimals: 90 minutes are "1.50".
func hoursOf(m domain.Minutes) apiHours {
	sign, v := "", int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	c := (v*100 + 30) / 60
	return apiHours{Minutes: int64(m), Hours: fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)}
}

// apiErrorBody is the error answer of the API, also its OpenAPI schema.
func apiErrorBody(r *http.Request, code domain.Code, msg string, err error) map[string]any {
	fields := map[string]string{}
	if e, ok := domain.AsError(err); ok {
		if len(e.Fields) == 0 && e.Field != "" {
			fields[e.Field] = i18n.T(r.Context(), e.Key, e.Args...)
		}
		for f, fe := range e.Fields {
			fields[f] = i18n.T(r.Context(), fe.Key, fe.Args...)
		}
	}
	return map[string]any{"error": map[string]any{
		"code": code, "message": msg, "field": fieldOf(err), "fields": fields, "request_id": requestID(r),
	}}
}

// apiNoRoute answers an /api/ request no route took: 405 with the methods
// the path does take, or 404.
func (s *Server) apiNoRoute(mux *http.ServeMux) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "/api/" && pattern != "/" {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 {
			return domain.Errorf(domain.CodeNotFound, "err.not_found")
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		// Not a domain error: only the API's router knows this answer.
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": map[string]any{
			"code": "method_not_allowed", "message": i18n.T(r.Context(), "api.method", strings.Join(allow, ", ")),
			"field": "", "fields": map[string]string{}, "request_id": requestID(r),
		}})
		return nil
	}
}
