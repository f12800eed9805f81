package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/web/views"
)

var cst = time.FixedZone("CST", 8*3600)

const auditPageSize = 100

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	aq := views.AuditQuery{
		Action: strings.TrimSpace(q.Get("action")), Username: strings.TrimSpace(q.Get("username")),
		ObjectType: strings.TrimSpace(q.Get("object_type")), From: q.Get("from"), To: q.Get("to"),
	}
	f := domain.AuditFilter{Action: aq.Action, Username: aq.Username, ObjectType: aq.ObjectType, Limit: auditPageSize}
	var err error
	if f.From, err = parseDay(aq.From); err != nil {
		aq.Error = i18n.T(r.Context(), "err.date", i18n.T(r.Context(), "audit.from"))
	}
	if f.To, err = parseDay(aq.To); err != nil {
		aq.Error = i18n.T(r.Context(), "err.date", i18n.T(r.Context(), "audit.to"))
	} else if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1) // the "to" day is included
	}
	f.BeforeID, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	entries, err := s.svc.ListAudit(r.Context(), caller(r), f)
	if err != nil {
		return err
	}
	chain, err := s.auditChainView(r)
	if err != nil {
		return err
	}
	older := ""
	if len(entries) == auditPageSize {
		v := url.Values{}
		for k, x := range map[string]string{"action": aq.Action, "username": aq.Username,
			"object_type": aq.ObjectType, "from": aq.From, "to": aq.To} {
			if x != "" {
				v.Set(k, x)
			}
		}
		v.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		older = "/admin/audit?" + v.Encode()
	}
	s.render(w, r, http.StatusOK, views.Audit(page(r, "audit.title", "audit"), aq, chain, entries, older))
	return nil
}

// parseDay reads a YYYY-MM-DD date as the start of that day in China.
func parseDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, cst)
	return t.UTC(), err
}
