package web

import (
	"context"
	"net/http"

	"vanguard/domain"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyPrincipal
	keySessionID
	keyIP
	keyLog
)

// requestLog carries what the request log line needs from the middleware
// inside it: the session is resolved on a request the log never sees.
type requestLog struct{ userID int64 }

func requestID(r *http.Request) string {
	id, _ := r.Context().Value(keyRequestID).(string)
	return id
}

func principal(r *http.Request) domain.Principal {
	p, _ := r.Context().Value(keyPrincipal).(domain.Principal)
	return p
}

func sessionID(r *http.Request) string {
	id, _ := r.Context().Value(keySessionID).(string)
	return id
}

func clientIP(r *http.Request) string {
	ip, _ := r.Context().Value(keyIP).(string)
	return ip
}

// caller is who makes the request, for services.
func caller(r *http.Request) domain.Caller {
	return domain.Caller{Principal: principal(r), IP: clientIP(r), RequestID: requestID(r)}
}

func with(r *http.Request, key ctxKey, v any) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), key, v))
}
