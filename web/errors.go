package web

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/web/views"
)

var statusOf = map[domain.Code]int{
	domain.CodeInvalid:      http.StatusUnprocessableEntity,
	domain.CodeNotFound:     http.StatusNotFound,
	domain.CodeConflict:     http.StatusConflict,
	domain.CodeForbidden:    http.StatusForbidden,
	domain.CodeUnauthorized: http.StatusUnauthorized,
	domain.CodeTooMany:      http.StatusTooManyRequests,
	domain.CodeInternal:     http.StatusInternalServerError,
}

var titleOf = map[domain.Code]string{
	domain.CodeInvalid:      "error.title.invalid",
	domain.CodeNotFound:     "error.title.not_found",
	domain.CodeConflict:     "error.title.conflict",
	domain.CodeForbidden:    "error.title.forbidden",
	domain.CodeUnauthorized: "error.title.unauthorized",
	domain.CodeTooMany:      "error.title.too_many",
	domain.CodeInternal:     "error.title.internal",
}

// fail is the one place an error becomes a response. Application errors
// show their own message; anything else is logged with its detail and the
// user sees "internal error" and the request id.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil && errors.Is(err, context.Canceled) {
		// The browser went away (a closed tab, a second click): nobody
		// reads the answer and nothing is wrong on our side.
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request cancelled by the client",
			slog.String("request_id", requestID(r)), slog.String("path", logPath(r.URL.Path)))
		w.WriteHeader(499) // "client closed request", as nginx logs it
		return
	}
	code := domain.ErrCode(err)
	var maxBytes *http.MaxBytesError
	if errors.As(err, &maxBytes) {
		code, err = domain.CodeInvalid, domain.Errorf(domain.CodeInvalid, "err.too_large")
	}
	p := principal(r)
	// A page that needs a signed-in user sends the public to the login form,
	// and a user who must change their password to that form.
	if !isAPI(r) && r.Method == http.MethodGet {
		if code == domain.CodeUnauthorized {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if e, _ := domain.AsError(err); e != nil && e.Key == "err.must_change_password" {
			http.Redirect(w, r, "/account/password", http.StatusSeeOther)
			return
		}
		if e, _ := domain.AsError(err); e != nil && e.Key == "err.must_enrol_totp" {
			http.Redirect(w, r, "/account/totp", http.StatusSeeOther)
			return
		}
	}
	msg := i18n.T(r.Context(), "err.internal")
	if e, ok := domain.AsError(err); ok {
		msg = i18n.T(r.Context(), e.Key, e.Args...)
	} else {
		s.log.LogAttrs(r.Context(), slog.LevelError, "internal error",
			slog.String("request_id", requestID(r)), slog.String("path", logPath(r.URL.Path)), slog.String("error", err.Error()))
	}
	status := statusOf[code]
	setRetryAfter(w, err)
	if isAPI(r) {
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="vanguard"`)
		}
		writeJSON(w, status, apiErrorBody(r, code, msg, err))
		return
	}
	page := views.Page{TitleKey: titleOf[code], Principal: p, Path: r.URL.RequestURI(), RequestID: requestID(r)}
	s.render(w, r, status, views.ErrorPage(page, status, msg))
}

// setRetryAfter tells a client refused over a limit when to try again, when
// the error knows it.
func setRetryAfter(w http.ResponseWriter, err error) {
	if e, ok := domain.AsError(err); ok && e.Code == domain.CodeTooMany && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
	}
}

// parseForm reads a posted form. A body over the route's limit stays a
// *http.MaxBytesError, which fail reports as too large; any other fault is
// an unreadable form.
func parseForm(r *http.Request) error {
	err := r.ParseForm()
	var maxBytes *http.MaxBytesError
	if err == nil || errors.As(err, &maxBytes) {
		return err
	}
	return domain.Errorf(domain.CodeInvalid, "err.form")
}

func fieldOf(err error) string {
	if e, ok := domain.AsError(err); ok {
		return e.Field
	}
	return ""
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// render writes a page with a status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := c.Render(r.Context(), w); err != nil {
		s.log.Error("render", "request_id", requestID(r), "error", err)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// page returns the layout's data for a request.
func page(r *http.Request, titleKey, nav string) views.Page {
	return views.Page{
		TitleKey: titleKey, Principal: principal(r), Path: r.URL.RequestURI(), Nav: nav, RequestID: requestID(r),
	}
}

// fieldErrors translates a validation error's field messages.
func fieldErrors(r *http.Request, err error) (map[string]string, bool) {
	e, ok := domain.AsError(err)
	if !ok || e.Code != domain.CodeInvalid {
		return nil, false
	}
	out := map[string]string{}
	if len(e.Fields) == 0 && e.Field != "" {
		out[e.Field] = i18n.T(r.Context(), e.Key, e.Args...)
	}
	for f, fe := range e.Fields {
		out[f] = i18n.T(r.Context(), fe.Key, fe.Args...)
	}
	return out, true
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return domain.Errorf(domain.CodeNotFound, "err.not_found")
}

// errAsConflict returns the application error inside err when it is a
// conflict, which pages show beside the form rather than as an error page.
func errAsConflict(err error) (*domain.Error, bool) {
	e, ok := domain.AsError(err)
	return e, ok && e.Code == domain.CodeConflict
}

// translate renders an application error's message in the request's language.
func translate(r *http.Request, e *domain.Error) string {
	return i18n.T(r.Context(), e.Key, e.Args...)
}
