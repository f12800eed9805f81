package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"vanguard/domain"
)

// Applications for certificates (see migration 013): a volunteer asks, an
// admin of the person's org issues or declines. One application waits at a
// time per person, kept by a unique index rather than a count.

// CreateCertificateRequest records a volunteer's application, credited to
// the person's org, and audits it.
func (tx *Tx) CreateCertificateRequest(r domain.CertificateRequest) (int64, error) {
	kind := "period"
	if r.Services {
		kind = "services"
	}
	id, err := tx.insert(`INSERT INTO certificate_requests (person_id, org_id, kind, period_from, period_to, activity_ids,
		purpose, state, requested_by, requested_at)
		VALUES (?, (SELECT org_id FROM people WHERE id = ?), ?, ?, ?, ?, ?, 'pending', ?, ?)`,
		r.PersonID, r.PersonID, kind, r.From, r.To, idList(r.ActivityIDs), r.Purpose, nullID(tx.actor.UserID), micros(tx.now))
	if isUniqueViolation(err) {
		return 0, domain.Errorf(domain.CodeConflict, "err.cert.request_pending")
	}
	if err != nil {
		return 0, fmt.Errorf("apply for a certificate: %w", err)
	}
	return id, tx.Audit("certificate_request.create", "certificate_request", strconv.FormatInt(id, 10), nil,
		map[string]any{"person_id": r.PersonID, "kind": kind, "from": r.From, "to": r.To, "activities": r.ActivityIDs,
			"purpose": r.Purpose})
}

// decideCertificateRequest moves a pending application to state; one
// decided meanwhile is a conflict.
func (tx *Tx) decideCertificateRequest(id int64, state domain.CertificateRequestState, reason string, certID int64) error {
	res, err := tx.exec(`UPDATE certificate_requests SET state = ?, reason = ?, certificate_id = ?, decided_by = ?, decided_at = ?
		WHERE id = ? AND state IN ('pending', 'accepted')`, string(state), reason, nullID(certID), nullID(tx.actor.UserID), micros(tx.now), id)
	if err != nil {
		return fmt.Errorf("decide certificate request: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.CodeConflict, "err.cert.request_decided")
	}
	return tx.Audit("certificate_request."+string(state), "certificate_request", strconv.FormatInt(id, 10),
		map[string]any{"state": "pending/accepted"}, map[string]any{"state": state, "reason": reason, "certificate_id": certID})
}

// AcceptCertificateRequest accepts (受理) a pending application: the
// volunteer sees who took it on and when; it is then issued or declined.
func (tx *Tx) AcceptCertificateRequest(id int64) error {
	res, err := tx.exec(`UPDATE certificate_requests SET state = 'accepted', accepted_by = ?, accepted_at = ?
		WHERE id = ? AND state = 'pending'`, nullID(tx.actor.UserID), micros(tx.now), id)
	if err != nil {
		return fmt.Errorf("accept certificate request: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.CodeConflict, "err.cert.request_decided")
	}
	return tx.Audit("certificate_request.accepted", "certificate_request", strconv.FormatInt(id, 10),
		map[string]any{"state": domain.RequestPending}, map[string]any{"state": domain.RequestAccepted})
}

// DeclineCertificateRequest declines a pending application with a reason
// the volunteer reads.
func (tx *Tx) DeclineCertificateRequest(id int64, reason string) error {
	return tx.decideCertificateRequest(id, domain.RequestDeclined, reason, 0)
}

// FulfilCertificateRequest marks a pending application issued with the
// certificate that answers it, in the issuing transaction.
func (tx *Tx) FulfilCertificateRequest(id, certID int64) error {
	return tx.decideCertificateRequest(id, domain.RequestIssued, "", certID)
}

const certRequestColumns = `r.id, r.person_id, p.name, r.org_id, o.name, o.path, r.kind, r.period_from, r.period_to,
	r.activity_ids, r.purpose, r.state, r.reason, COALESCE(r.certificate_id, 0), r.requested_at, r.decided_at,
	r.accepted_at, COALESCE(au.display_name, '')`

const certRequestFrom = ` FROM certificate_requests r JOIN people p ON p.id = r.person_id JOIN orgs o ON o.id = r.org_id
	LEFT JOIN users au ON au.id = r.accepted_by`

func scanCertRequest(row interface{ Scan(...any) error }) (domain.CertificateRequest, error) {
	var r domain.CertificateRequest
	var kind, ids, state string
	var at, decided, accepted int64
	err := row.Scan(&r.ID, &r.PersonID, &r.PersonName, &r.OrgID, &r.OrgName, &r.OrgPath, &kind, &r.From, &r.To,
		&ids, &r.Purpose, &state, &r.Reason, &r.CertificateID, &at, &decided, &accepted, &r.AcceptedBy)
	r.Services, r.State, r.RequestedAt, r.DecidedAt, r.AcceptedAt = kind == "services", domain.CertificateRequestState(state),
		fromMicros(at), fromMicros(decided), fromMicros(accepted)
	for _, s := range strings.Split(ids, ",") {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			r.ActivityIDs = append(r.ActivityIDs, id)
		}
	}
	return r, err
}

func (s *Store) certRequests(ctx context.Context, where string, args ...any) ([]domain.CertificateRequest, error) {
	rows, err := s.query(ctx, "SELECT "+certRequestColumns+certRequestFrom+" WHERE "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("certificate requests: %w", err)
	}
	defer rows.Close()
	var out []domain.CertificateRequest
	for rows.Next() {
		r, err := scanCertRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CertificateRequestByID finds one application.
func (s *Store) CertificateRequestByID(ctx context.Context, id int64) (domain.CertificateRequest, error) {
	rs, err := s.certRequests(ctx, "r.id = ?", id)
	if err != nil {
		return domain.CertificateRequest{}, err
	}
	if len(rs) == 0 {
		return domain.CertificateRequest{}, domain.Errorf(domain.CodeNotFound, "err.cert.request_not_found")
	}
	return rs[0], nil
}

// PersonCertificateRequests lists a person's applications, newest first.
func (s *Store) PersonCertificateRequests(ctx context.Context, personID int64) ([]domain.CertificateRequest, error) {
	return s.certRequests(ctx, "r.person_id = ? ORDER BY r.requested_at DESC, r.id DESC LIMIT 50", personID)
}

// PendingCertificateRequests lists the applications waiting for an admin of
// an org in sc (the person's org), oldest first.
func (s *Store) PendingCertificateRequests(ctx context.Context, sc domain.Scope, limit int) ([]domain.CertificateRequest, error) {
	cond, args := inScope("o.path", "", sc)
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	return s.certRequests(ctx, "r.state IN ('pending', 'accepted') AND "+cond+fmt.Sprintf(" ORDER BY r.requested_at, r.id LIMIT %d", limit), args...)
}

// CountCertificateRequests counts the applications waiting for an admin of
// an org in sc: the to-do home pages' figure.
func (s *Store) CountCertificateRequests(ctx context.Context, sc domain.Scope) (int, error) {
	cond, args := inScope("o.path", "", sc)
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*)"+certRequestFrom+" WHERE r.state IN ('pending', 'accepted') AND "+cond, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count certificate requests: %w", err)
	}
	return n, nil
}
