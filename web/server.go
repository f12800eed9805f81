// Package web serves Vanguard's pages and its JSON API. Routes live in one
// table (routes.go), each with the action the policy function checks before
// its handler runs; handlers return errors and one adapter (errors.go) turns
// them into a status and a page or a JSON body.
package web

import (
	"log/slog"
	"net/http"

	"vanguard/domain"
	"vanguard/service"
)

// Config holds the web layer's settings.
type Config struct {
	// SecureCookies marks cookies Secure even when the request came over
	// plain HTTP, for deployments behind a TLS-terminating proxy.
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For.
	TrustProxy bool
	Log        *slog.Logger
}

// Server is the HTTP handler of the whole platform.
type Server struct {
	svc     *service.Service
	cfg     Config
	log     *slog.Logger
	handler http.Handler
	metrics *metrics
	routes  []route
}

// New builds the server with its routes and middleware.
func New(svc *service.Service, cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Server{svc: svc, cfg: cfg, log: cfg.Log, metrics: newMetrics()}
	s.routes = s.routeTable()
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.pattern, s.handle(rt))
	}
	mux.Handle("/", s.handle(route{pattern: "/", action: domain.ActPublic, h: s.notFound}))
	mux.Handle("/api/", s.handle(route{pattern: "/api/", action: domain.ActPublic, h: s.apiNoRoute(mux)}))
	s.handler = s.middleware(mux)
	return s
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// RouteInfo describes a registered route, for the route × role test.
type RouteInfo struct {
	Pattern string
	Action  domain.Action
}

// Routes lists every registered route.
func (s *Server) Routes() []RouteInfo {
	out := make([]RouteInfo, len(s.routes))
	for i, rt := range s.routes {
		out[i] = RouteInfo{rt.pattern, rt.action}
	}
	return out
}
