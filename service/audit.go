package service

import (
	"context"

	"vanguard/domain"
)

// ListAudit lists audit entries for the committee.
func (s *Service) ListAudit(ctx context.Context, c domain.Caller, f domain.AuditFilter) ([]domain.AuditEntry, error) {
	if err := domain.Authorize(c.Principal, domain.ActAuditRead, domain.Target{}); err != nil {
		return nil, err
	}
	return s.store.ListAudit(ctx, f)
}
