package service

import (
	"context"
	"sync"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// ListAudit lists audit entries for the committee.
func (s *Service) ListAudit(ctx context.Context, c domain.Caller, f domain.AuditFilter) ([]domain.AuditEntry, error) {
	if err := domain.Authorize(c.Principal, domain.ActAuditRead, domain.Target{}); err != nil {
		return nil, err
	}
	return s.store.ListAudit(ctx, f)
}

// auditChainCache keeps the last walk of the audit chain. Walking costs
// 3 to 5 µs a row (store's BenchmarkVerifyAuditChain), so a log that took
// over a second (some 250,000 rows) is walked again only after ten times as
// long as its last walk took: the audit page then spends at most about a tenth
// of its time verifying. A smaller log is walked at every view.
type auditChainCache struct {
	mu    sync.Mutex
	rep   store.AuditChainReport
	at    time.Time
	valid time.Duration
}

// AuditChain reports, to the committee, whether the audit log's chain holds
// and when it was last walked.
func (s *Service) AuditChain(ctx context.Context, c domain.Caller) (store.AuditChainReport, time.Time, error) {
	if err := domain.Authorize(c.Principal, domain.ActAuditRead, domain.Target{}); err != nil {
		return store.AuditChainReport{}, time.Time{}, err
	}
	a := &s.auditChain
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.at.IsZero() && time.Since(a.at) < a.valid {
		return a.rep, a.at, nil
	}
	var witness store.AuditHead
	if s.auditWitness != nil {
		w, err := s.auditWitness()
		if err != nil {
			return store.AuditChainReport{}, time.Time{}, err
		}
		witness = w
	}
	start := time.Now()
	rep, err := s.store.VerifyAuditChainAgainst(ctx, witness)
	if err != nil {
		return rep, time.Time{}, err
	}
	a.rep, a.at, a.valid = rep, time.Now(), 0
	if d := time.Since(start); d > time.Second {
		a.valid = 10 * d
	}
	return rep, a.at, nil
}

// SetAuditWitness gives the service the chain head recorded outside the
// database (the program's audit.head), which the log must still hold.
func (s *Service) SetAuditWitness(w func() (store.AuditHead, error)) { s.auditWitness = w }
