package store

import (
	"context"

	"vanguard/domain"
)

// ExecForTest runs a statement on the writer, bypassing Write, to prove that
// the database itself refuses what no code path should do.
func ExecForTest(s *Store, query string) error {
	_, err := s.w.ExecContext(context.Background(), query)
	return err
}

// UnsealedAuditForTest makes s write audit rows as before the audit chain
// (migration 017), for tests that migrate to an older version and write.
func UnsealedAuditForTest(s *Store, on bool) { s.unsealed = on }

// MigrateToForTest applies the migrations up to version last.
func MigrateToForTest(s *Store, last int) error {
	return s.migrateTo(context.Background(), last)
}

// AuditHMACForTest returns the stored HMAC of audit row id.
func AuditHMACForTest(s *Store, id int64) string {
	var mac string
	s.r.QueryRowContext(context.Background(), s.q("SELECT COALESCE(hmac, '') FROM audit_log WHERE id = ?"), id).Scan(&mac)
	return mac
}

// DiscardJobForTest puts job id in River's dead-letter state, as after its
// last failed attempt, without running a worker.
func DiscardJobForTest(s *Store, id int64) error {
	_, err := s.w.ExecContext(context.Background(),
		s.q("UPDATE river_job SET state = 'discarded', finalized_at = scheduled_at, attempt = max_attempts WHERE id = ?"), id)
	return err
}

// GrantPointsForTest adds points to a person's balance, as hours would.
func GrantPointsForTest(s *Store, actor domain.Actor, personID, points int64) error {
	return s.Write(context.Background(), actor, func(tx *Tx) error {
		if _, err := tx.addPoints(personID, points, PointsHours, 0, 0, "test"); err != nil {
			return err
		}
		return tx.Audit("points.test", "person", "", nil, nil)
	})
}
