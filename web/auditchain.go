package web

import (
	"net/http"
	"strconv"

	"vanguard/i18n"
	"vanguard/store"
	"vanguard/web/views"
)

// auditChainView walks (or recalls the last walk of) the audit chain and
// says its state in the clerk's words, for the top of /admin/audit.
func (s *Server) auditChainView(r *http.Request) (views.AuditChainView, error) {
	ctx := r.Context()
	rep, at, err := s.svc.AuditChain(ctx, caller(r))
	if err != nil {
		return views.AuditChainView{}, err
	}
	if rep.Intact {
		return views.AuditChainView{Intact: true,
			Message: i18n.T(ctx, "auditchain.intact", rep.Rows, views.FormatTime(at))}, nil
	}
	b := rep.Break
	if b.ID == 0 {
		return views.AuditChainView{Message: i18n.T(ctx, "auditchain.all_deleted")}, nil
	}
	key := "auditchain.changed"
	if b.Kind == store.AuditTruncated {
		key = "auditchain.truncated"
	}
	return views.AuditChainView{
		Message: i18n.T(ctx, key, views.FormatTime(b.At), b.Username, b.Action),
		// The audit list, newest first, starting at that record.
		RowURL: "/admin/audit?before=" + strconv.FormatInt(b.ID+1, 10),
	}, nil
}
