package store

import (
	"context"
	"fmt"
	"sort"

	"vanguard/domain"
)

// The certificate register (证明登记簿) and the notice (公示), see migration
// 031. Each issuing org numbers its certificates per year from 1 without
// gaps: the number comes from one upsert of certificate_registers in the
// issuing transaction, which holds the row until commit, so concurrent
// issues queue on it and a rolled-back issue returns its number.

// nextRegisterNumber takes the org's next register number for the year of
// issue and sets it on c.
func (tx *Tx) nextRegisterNumber(c *domain.Certificate) error {
	year := tx.now.In(domain.ChinaZone).Year()
	var seq int
	err := tx.queryRow(`INSERT INTO certificate_registers (org_id, year, last_seq) VALUES (?, ?, 1)
		ON CONFLICT (org_id, year) DO UPDATE SET last_seq = certificate_registers.last_seq + 1
		RETURNING last_seq`, c.OrgID, year).Scan(&seq)
	if err != nil {
		return fmt.Errorf("register number: %w", err)
	}
	c.RegisterYear, c.RegisterSeq, c.RegisterNo = year, seq, domain.RegisterNumber(c.OrgName, year, seq)
	return nil
}

// RegisterFilter selects an org's register: one year, or every year when 0.
type RegisterFilter struct {
	OrgID int64
	Year  int
}

// CertificateRegister lists an org's register in number order: every
// certificate it numbered, revoked ones included.
func (s *Store) CertificateRegister(ctx context.Context, f RegisterFilter) ([]domain.Certificate, error) {
	q := " WHERE c.org_id = ? AND c.register_seq > 0"
	args := []any{f.OrgID}
	if f.Year != 0 {
		q += " AND c.register_year = ?"
		args = append(args, f.Year)
	}
	return s.certificates(ctx, q+" ORDER BY c.register_year, c.register_seq", args...)
}

// CertificateRegisterYears lists the years of an org's register, newest
// first.
func (s *Store) CertificateRegisterYears(ctx context.Context, orgID int64) ([]int, error) {
	rows, err := s.query(ctx, "SELECT year FROM certificate_registers WHERE org_id = ? ORDER BY year DESC", orgID)
	if err != nil {
		return nil, fmt.Errorf("register years: %w", err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// NoticedCertificates lists the certificates an org issued that are still
// posted at now: issued in the last NoticeDays days and not revoked, newest
// first.
func (s *Store) NoticedCertificates(ctx context.Context, orgID int64) ([]domain.Certificate, error) {
	since := micros(s.now().AddDate(0, 0, -domain.NoticeDays))
	return s.certificates(ctx, " WHERE c.org_id = ? AND c.issued_at > ? AND c.revoked_at = 0 ORDER BY c.issued_at DESC, c.id DESC",
		orgID, since)
}

// NoticeOrg is an org with certificates on its notice page.
type NoticeOrg struct {
	Org          domain.Org
	Certificates int
}

// NoticeOrgs lists the orgs that have certificates posted now, by name.
func (s *Store) NoticeOrgs(ctx context.Context) ([]NoticeOrg, error) {
	since := micros(s.now().AddDate(0, 0, -domain.NoticeDays))
	rows, err := s.query(ctx, `SELECT c.org_id, COUNT(*) FROM certificates c
		WHERE c.issued_at > ? AND c.revoked_at = 0 GROUP BY c.org_id`, since)
	if err != nil {
		return nil, fmt.Errorf("notice orgs: %w", err)
	}
	counts := map[int64]int{}
	var ids []int64
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, err
		}
		counts[id] = n
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []NoticeOrg
	for _, id := range ids {
		o, err := s.OrgByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, NoticeOrg{Org: o, Certificates: counts[id]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Org.Path < out[j].Org.Path })
	return out, nil
}

func (s *Store) certificates(ctx context.Context, where string, args ...any) ([]domain.Certificate, error) {
	rows, err := s.query(ctx, "SELECT "+certificateColumns+certificateFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("certificates: %w", err)
	}
	defer rows.Close()
	var out []domain.Certificate
	for rows.Next() {
		c, err := scanCertificate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RegisterOrgs lists the orgs that keep a register: those that have issued
// a certificate, in tree order.
func (s *Store) RegisterOrgs(ctx context.Context) ([]domain.Org, error) {
	rows, err := s.query(ctx, "SELECT "+orgColumns+" FROM orgs o WHERE o.id IN (SELECT org_id FROM certificate_registers) ORDER BY o.path")
	if err != nil {
		return nil, fmt.Errorf("register orgs: %w", err)
	}
	defer rows.Close()
	var out []domain.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
