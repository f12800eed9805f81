package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
)

// Service certificates (志愿服务记录证明): snapshots of a person's service
// recorded by an org within a period. See migration 009.

// NewCertificate is what the service decides before issuing: who, which
// org, the period or the chosen activities, and who signs. The person's name and masked ID number,
// the org's name, the hours, the activities and the content are read in the
// issuing transaction, so the snapshot is of one moment.
type NewCertificate struct {
	PersonID    int64
	OrgID       int64
	From, To    string  // China dates; with ActivityIDs, set from the activities
	ActivityIDs []int64 // chosen services; empty: every service in the period
	Responsible string
	Handler     string
	Check       string // the random part of the number
	VolunteerNo string // the volunteer number, from the service
	Contact     string // the issuer's phone, validated by the service
}

// chinaDayBounds returns the instants [lo, hi) of China days from..to.
func chinaDayBounds(from, to string) (int64, int64, error) {
	lo, err := time.ParseInLocation("2006-01-02", from, domain.ChinaZone)
	if err != nil {
		return 0, 0, err
	}
	hi, err := time.ParseInLocation("2006-01-02", to, domain.ChinaZone)
	if err != nil {
		return 0, 0, err
	}
	return micros(lo), micros(hi.AddDate(0, 0, 1)), nil
}

// IssueCertificate sums the person's service in activities organised within
// the org's subtree, or credited to it (the volunteer's own org) — those that started in the period, or the chosen ones
// — with the hours that count now, and stores the certificate with those
// activities. With no such service, or a chosen activity that is not one,
// it returns a conflict.
func (tx *Tx) IssueCertificate(in NewCertificate) (domain.Certificate, error) {
	var lo, hi int64
	var err error
	if len(in.ActivityIDs) == 0 {
		if lo, hi, err = chinaDayBounds(in.From, in.To); err != nil {
			return domain.Certificate{}, domain.Invalid("from", "err.date_format")
		}
	}
	c := domain.Certificate{PersonID: in.PersonID, OrgID: in.OrgID, From: in.From, To: in.To, Services: len(in.ActivityIDs) > 0,
		Responsible: in.Responsible, Handler: in.Handler, IssuedBy: tx.actor.UserID,
		IssuedOn: domain.ChinaDay(tx.now), IssuedAt: tx.now, VolunteerNo: in.VolunteerNo, Contact: in.Contact}
	if err := tx.queryRow("SELECT name, id_card_masked FROM people WHERE id = ?", in.PersonID).
		Scan(&c.PersonName, &c.IDCardMasked); err != nil {
		return c, notFound(err, "err.person.not_found")
	}
	if err := tx.queryRow("SELECT name, path FROM orgs WHERE id = ?", in.OrgID).Scan(&c.OrgName, &c.OrgPath); err != nil {
		return c, notFound(err, "err.org.not_found")
	}
	items, activityIDs, err := tx.certifiedService(in, c.OrgPath, lo, hi)
	if err != nil {
		return domain.Certificate{}, err
	}
	if len(items) == 0 {
		return domain.Certificate{}, domain.Errorf(domain.CodeConflict, "err.cert.no_service")
	}
	if c.Services {
		if len(items) != len(in.ActivityIDs) {
			return domain.Certificate{}, domain.Errorf(domain.CodeConflict, "err.cert.not_service")
		}
		c.From, c.To = items[0].Day, items[len(items)-1].Day
	}
	var total domain.Minutes
	for _, it := range items {
		total += it.Minutes
	}
	content, err := tx.categoryNames(activityIDs)
	if err != nil {
		return domain.Certificate{}, err
	}
	c.Minutes, c.PersonTimes, c.Content, c.Items = total, len(items), content, items
	if c.IDCardMasked != "" {
		c.IDType = domain.IDTypeResident
	}
	if err := tx.nextRegisterNumber(&c); err != nil {
		return domain.Certificate{}, err
	}
	kind := "period"
	if c.Services {
		kind = "services"
	}
	// The serial is the row's id: insert under a placeholder, then number it.
	c.ID, err = tx.insert(`INSERT INTO certificates (number, person_id, org_id, period_from, period_to, kind, person_name,
		id_card_masked, minutes, person_times, content, org_name, responsible, handler, issued_by, issued_on, issued_at,
		volunteer_no, id_type, contact, register_year, register_seq, register_no)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"~"+in.Check+strconv.FormatInt(tx.now.UnixNano(), 36), c.PersonID, c.OrgID, c.From, c.To, kind, c.PersonName,
		c.IDCardMasked, int64(c.Minutes), c.PersonTimes, c.Content, c.OrgName, c.Responsible, c.Handler,
		nullID(c.IssuedBy), c.IssuedOn, micros(c.IssuedAt),
		c.VolunteerNo, c.IDType, c.Contact, c.RegisterYear, c.RegisterSeq, c.RegisterNo)
	if err != nil {
		return c, fmt.Errorf("issue certificate: %w", err)
	}
	c.Number = domain.CertificateNumber(tx.now.In(domain.ChinaZone).Year(), c.ID, in.Check)
	if _, err := tx.exec("UPDATE certificates SET number = ? WHERE id = ?", c.Number, c.ID); err != nil {
		return c, fmt.Errorf("number certificate: %w", err)
	}
	for i, it := range items {
		if _, err := tx.exec(`INSERT INTO certificate_items (certificate_id, seq, activity_id, day, title, org_name, minutes)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, c.ID, i+1, activityIDs[i], it.Day, it.Title, it.OrgName, int64(it.Minutes)); err != nil {
			return c, fmt.Errorf("certificate item: %w", err)
		}
	}
	return c, tx.Audit("certificate.issue", "certificate", strconv.FormatInt(c.ID, 10), nil, map[string]any{
		"number": c.Number, "register_no": c.RegisterNo, "person_id": c.PersonID, "org_id": c.OrgID, "from": c.From, "to": c.To, "kind": kind,
		"activities": in.ActivityIDs, "minutes": c.Minutes, "person_times": c.PersonTimes, "responsible": c.Responsible})
}

// certifiedService reads the service a certificate sums: the person's
// recorded time in activities organised within the org's subtree (path),
// either the chosen ones or those that started in [lo, hi).
func (tx *Tx) certifiedService(in NewCertificate, path string, lo, hi int64) ([]domain.CertificateItem, []int64, error) {
	plo, phi := subtree(path)
	q := `SELECT a.id, a.title, a.starts_at, o.name, h.minutes FROM activity_hours h
		JOIN activities a ON a.id = h.activity_id JOIN orgs o ON o.id = a.org_id LEFT JOIN orgs co ON co.id = h.org_id
		WHERE h.person_id = ? AND ((o.path >= ? AND o.path < ?) OR (co.path >= ? AND co.path < ?)) AND h.minutes > 0 AND `
	args := []any{in.PersonID, plo, phi, plo, phi}
	if len(in.ActivityIDs) > 0 {
		q += "a.id IN (" + idList(in.ActivityIDs) + ")"
	} else {
		q += "a.starts_at >= ? AND a.starts_at < ?"
		args = append(args, lo, hi)
	}
	rows, err := tx.query(q+" ORDER BY a.starts_at, a.id", args...)
	if err != nil {
		return nil, nil, fmt.Errorf("certificate service: %w", err)
	}
	defer rows.Close()
	var items []domain.CertificateItem
	var ids []int64
	for rows.Next() {
		var it domain.CertificateItem
		var id, starts int64
		if err := rows.Scan(&id, &it.Title, &starts, &it.OrgName, &it.Minutes); err != nil {
			return nil, nil, err
		}
		it.Day = domain.ChinaDay(fromMicros(starts))
		items = append(items, it)
		ids = append(ids, id)
	}
	return items, ids, rows.Err()
}

// categoryNames joins the Chinese names of the categories of activities, in
// the categories' order: what a certificate says the service was.
func (tx *Tx) categoryNames(activityIDs []int64) (string, error) {
	ids := make([]string, len(activityIDs))
	for i, id := range activityIDs {
		ids[i] = strconv.FormatInt(id, 10) // integers from the database
	}
	rows, err := tx.query(`SELECT DISTINCT c.name_zh, c.sort, c.id FROM activity_categories ac
		JOIN categories c ON c.id = ac.category_id WHERE ac.activity_id IN (` + strings.Join(ids, ",") + `) ORDER BY c.sort, c.id`)
	if err != nil {
		return "", fmt.Errorf("certificate content: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		var sort, id int64
		if err := rows.Scan(&name, &sort, &id); err != nil {
			return "", err
		}
		names = append(names, name)
	}
	return strings.Join(names, "、"), rows.Err()
}

// RevokeCertificate withdraws an issued certificate with a reason; the
// public check then answers "revoked".
func (tx *Tx) RevokeCertificate(id int64, reason string) error {
	res, err := tx.exec("UPDATE certificates SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE id = ? AND revoked_at = 0",
		micros(tx.now), nullID(tx.actor.UserID), reason, id)
	if err != nil {
		return fmt.Errorf("revoke certificate: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.CodeConflict, "err.cert.revoked")
	}
	return tx.Audit("certificate.revoke", "certificate", strconv.FormatInt(id, 10), nil, map[string]any{"reason": reason})
}

const certificateColumns = `c.id, c.number, c.person_id, c.person_name, c.id_card_masked, c.org_id, c.org_name, o.path,
	c.period_from, c.period_to, c.kind, c.minutes, c.person_times, c.content, c.responsible, c.handler, COALESCE(c.issued_by, 0),
	c.issued_on, c.issued_at, c.revoked_at, COALESCE(c.revoked_by, 0), c.revoke_reason, COALESCE(p.user_id, 0),
	c.volunteer_no, c.id_type, c.contact, c.register_year, c.register_seq, c.register_no`

const certificateFrom = ` FROM certificates c JOIN orgs o ON o.id = c.org_id JOIN people p ON p.id = c.person_id`

func scanCertificate(row interface{ Scan(...any) error }) (domain.Certificate, error) {
	var c domain.Certificate
	var issued, revoked int64
	var kind string
	err := row.Scan(&c.ID, &c.Number, &c.PersonID, &c.PersonName, &c.IDCardMasked, &c.OrgID, &c.OrgName, &c.OrgPath,
		&c.From, &c.To, &kind, &c.Minutes, &c.PersonTimes, &c.Content, &c.Responsible, &c.Handler, &c.IssuedBy,
		&c.IssuedOn, &issued, &revoked, &c.RevokedBy, &c.RevokeReason, &c.UserID,
		&c.VolunteerNo, &c.IDType, &c.Contact, &c.RegisterYear, &c.RegisterSeq, &c.RegisterNo)
	c.IssuedAt, c.RevokedAt, c.Services = fromMicros(issued), fromMicros(revoked), kind == "services"
	return c, err
}

// CertificateByID finds a certificate with the activities it lists.
func (s *Store) CertificateByID(ctx context.Context, id int64) (domain.Certificate, error) {
	c, err := scanCertificate(s.queryRow(ctx, "SELECT "+certificateColumns+certificateFrom+" WHERE c.id = ?", id))
	if err != nil {
		return c, notFound(err, "err.cert.not_found")
	}
	rows, err := s.query(ctx, "SELECT day, title, org_name, minutes FROM certificate_items WHERE certificate_id = ? ORDER BY seq", id)
	if err != nil {
		return c, fmt.Errorf("certificate items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var it domain.CertificateItem
		if err := rows.Scan(&it.Day, &it.Title, &it.OrgName, &it.Minutes); err != nil {
			return c, err
		}
		c.Items = append(c.Items, it)
	}
	return c, rows.Err()
}

// CertificateByNumber finds a certificate by its full number, without its
// activities: what the public check needs.
func (s *Store) CertificateByNumber(ctx context.Context, number string) (domain.Certificate, error) {
	c, err := scanCertificate(s.queryRow(ctx, "SELECT "+certificateColumns+certificateFrom+" WHERE c.number = ?", number))
	return c, notFound(err, "err.cert.not_found")
}

// CertificateFilter selects certificates: those issued by orgs in Scope,
// or, with PersonID, one person's.
type CertificateFilter struct {
	Scope    domain.Scope
	PersonID int64
	Limit    int
	Offset   int
}

// ListCertificates returns a page of certificates, newest first, and how
// many match.
func (s *Store) ListCertificates(ctx context.Context, f CertificateFilter) ([]domain.Certificate, int, error) {
	cond, args := inScope("o.path", "", f.Scope)
	if f.PersonID != 0 {
		cond += " AND c.person_id = ?"
		args = append(args, f.PersonID)
	}
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*)"+certificateFrom+" WHERE "+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count certificates: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	rows, err := s.query(ctx, "SELECT "+certificateColumns+certificateFrom+" WHERE "+cond+
		fmt.Sprintf(" ORDER BY c.issued_at DESC, c.id DESC LIMIT %d OFFSET %d", limit, max(f.Offset, 0)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list certificates: %w", err)
	}
	defer rows.Close()
	var out []domain.Certificate
	for rows.Next() {
		c, err := scanCertificate(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// RecordingOrgs lists the orgs that organised activities in which the
// person has recorded hours, and the org the hours are credited to (the
// volunteer's own): who may certify their service.
func (s *Store) RecordingOrgs(ctx context.Context, personID int64) ([]domain.Org, error) {
	rows, err := s.query(ctx, "SELECT "+orgColumns+` FROM orgs o WHERE o.id IN (SELECT a.org_id FROM activity_hours h
		JOIN activities a ON a.id = h.activity_id WHERE h.person_id = ?)
		OR o.id IN (SELECT org_id FROM activity_hours WHERE person_id = ?) ORDER BY o.path`, personID, personID)
	if err != nil {
		return nil, fmt.Errorf("recording orgs: %w", err)
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
