package service

import (
	"context"
	"crypto/rand"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"vanguard/domain"
	"vanguard/store"
)

// Service certificates (志愿服务记录证明). The law asks the organisation that
// recorded a volunteer's service to issue proof of it: a certificate is
// issued by an org for the service in activities it (or an org below it)
// organised, and is a snapshot — later corrections do not change it. Anyone
// may check a certificate by its number, seeing masked data only.

// Limits on the public check, per client address, counted in the database.
const (
	verifyLimit  = 20
	verifyWindow = 10 * time.Minute
	rateVerify   = "verify"
)

// IssueForm is what the issue form offers: the person, the orgs the caller
// may issue for that recorded their service, and a period to start from.
type IssueForm struct {
	Person  domain.Person
	Orgs    []domain.Org
	From    string // the day of their first recorded activity
	To      string // today
	Stars   Stars
	Records []domain.ServiceRecord // services the caller's orgs may certify, to choose from
}

// CertificateIssueForm returns the issue form for a person.
func (s *Service) CertificateIssueForm(ctx context.Context, c domain.Caller, personID int64) (IssueForm, error) {
	if err := domain.Authorize(c.Principal, domain.ActCertificateIssue, domain.Target{}); err != nil {
		return IssueForm{}, err
	}
	p, err := s.store.PersonByID(ctx, personID)
	if err != nil {
		return IssueForm{}, err
	}
	f := IssueForm{Person: p, To: s.chinaToday()}
	orgs, err := s.store.RecordingOrgs(ctx, p.ID)
	if err != nil {
		return f, err
	}
	// The caller's own orgs come first: an org above the organisers may
	// certify all their service at once.
	seen := map[int64]bool{}
	var own []int64
	sc := domain.ScopeOf(c.Principal, domain.ActCertificateIssue)
	if sc.All {
		root, err := s.store.RootOrgID(ctx)
		if err != nil {
			return f, err
		}
		own = append(own, root)
	}
	for _, path := range sc.OrgPaths {
		parts := strings.Split(strings.Trim(path, "/"), "/")
		if id, err := strconv.ParseInt(parts[len(parts)-1], 10, 64); err == nil {
			own = append(own, id)
		}
	}
	for _, id := range own {
		o, err := s.store.OrgByID(ctx, id)
		if err == nil && !seen[o.ID] && s.recordedWithin(orgs, o.Path) {
			seen[o.ID] = true
			f.Orgs = append(f.Orgs, o)
		}
	}
	for _, o := range orgs {
		if !seen[o.ID] && domain.Can(c.Principal, domain.ActCertificateIssue, o.Target()) {
			seen[o.ID] = true
			f.Orgs = append(f.Orgs, o)
		}
	}
	// Someone the caller cannot certify is shown only if the caller may
	// read their record anyway.
	if len(f.Orgs) == 0 {
		if _, err := s.readablePerson(ctx, c, p.ID); err != nil {
			return IssueForm{}, err
		}
	}
	recs, err := s.store.PersonRecords(ctx, p.ID)
	if err != nil {
		return f, err
	}
	f.From = f.To
	for _, r := range recs {
		if d := domain.ChinaDay(r.StartsAt); d < f.From {
			f.From = d
		}
		for _, o := range f.Orgs {
			if r.Minutes > 0 && (strings.HasPrefix(r.OrgPath, o.Path) || strings.HasPrefix(r.CreditOrgPath, o.Path) && r.CreditOrgPath != "") {
				f.Records = append(f.Records, r)
				break
			}
		}
	}
	h, err := s.store.PersonMinutes(ctx, p.ID)
	f.Stars = StarsOf(h)
	return f, err
}

// recordedWithin reports whether any of orgs lies in the subtree at path.
func (s *Service) recordedWithin(orgs []domain.Org, path string) bool {
	for _, o := range orgs {
		if strings.HasPrefix(o.Path, path) {
			return true
		}
	}
	return false
}

// IssueCertificate issues a certificate of a person's service recorded by
// an org in the caller's scope. Only that org — or one above it — may: an
// admin of another subtree is refused.
func (s *Service) IssueCertificate(ctx context.Context, c domain.Caller, in domain.CertificateInput) (int64, error) {
	if err := domain.Authorize(c.Principal, domain.ActCertificateIssue, domain.Target{}); err != nil {
		return 0, err
	}
	p, err := s.store.PersonByID(ctx, in.PersonID)
	if err != nil {
		return 0, err
	}
	if err := in.Validate(s.chinaToday()); err != nil {
		return 0, err
	}
	org, err := s.store.OrgByID(ctx, in.OrgID)
	if err != nil {
		return 0, domain.Invalid("org_id", "err.cert.org")
	}
	if err := domain.Authorize(c.Principal, domain.ActCertificateIssue, org.Target()); err != nil {
		return 0, err
	}
	if in.RequestID != 0 {
		req, err := s.store.CertificateRequestByID(ctx, in.RequestID)
		if err != nil {
			return 0, err
		}
		if err := domain.Authorize(c.Principal, domain.ActCertificateIssue, req.Target()); err != nil {
			return 0, err
		}
		if req.PersonID != p.ID {
			return 0, domain.Errorf(domain.CodeNotFound, "err.cert.request_not_found")
		}
	}
	random := make([]byte, domain.CertCheckLen)
	rand.Read(random)
	var cert domain.Certificate
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		nc := store.NewCertificate{PersonID: p.ID, OrgID: org.ID, From: in.From, To: in.To,
			Responsible: in.Responsible, Handler: callerName(c), Check: domain.CertCheck(random),
			VolunteerNo: s.VolunteerNumber(p.ID), Contact: in.Contact}
		if in.Services {
			nc.ActivityIDs = in.ActivityIDs
		}
		if cert, err = tx.IssueCertificate(nc); err != nil {
			return err
		}
		if err := notifyCertificate(tx, cert, org.Name); err != nil || in.RequestID == 0 {
			return err
		}
		return tx.FulfilCertificateRequest(in.RequestID, cert.ID)
	})
	return cert.ID, err
}

// ApplyForCertificate records the calling volunteer's application for a
// certificate of a period or of chosen services of their own record; it
// waits for an admin of their org.
func (s *Service) ApplyForCertificate(ctx context.Context, c domain.Caller, r domain.CertificateRequest) (int64, error) {
	if err := domain.Authorize(c.Principal, domain.ActRecordRead, domain.Target{}); err != nil {
		return 0, err
	}
	// The person linked to the caller's account is the caller: a team
	// leader applies for their own certificate as a volunteer does.
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if err != nil {
		return 0, domain.Errorf(domain.CodeConflict, "err.signup.no_person")
	}
	r.PersonID = p.ID
	if err := r.Validate(s.chinaToday()); err != nil {
		return 0, err
	}
	if r.Services {
		recs, err := s.store.PersonRecords(ctx, p.ID)
		if err != nil {
			return 0, err
		}
		mine := map[int64]bool{}
		for _, x := range recs {
			mine[x.ActivityID] = x.Minutes > 0
		}
		for _, id := range r.ActivityIDs {
			if !mine[id] {
				return 0, domain.Invalid("activities", "err.cert.not_service")
			}
		}
	}
	var id int64
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) (err error) {
		id, err = tx.CreateCertificateRequest(r)
		return err
	})
	return id, err
}

// CertificateRequests lists the applications waiting for the caller: those
// of people of the orgs they administer.
func (s *Service) CertificateRequests(ctx context.Context, c domain.Caller) ([]domain.CertificateRequest, error) {
	if err := domain.Authorize(c.Principal, domain.ActCertificateIssue, domain.Target{}); err != nil {
		return nil, err
	}
	return s.store.PendingCertificateRequests(ctx, domain.ScopeOf(c.Principal, domain.ActCertificateIssue), 500)
}

// CertificateRequest returns one application to an admin of the person's org.
func (s *Service) CertificateRequest(ctx context.Context, c domain.Caller, id int64) (domain.CertificateRequest, error) {
	if err := domain.Authorize(c.Principal, domain.ActCertificateIssue, domain.Target{}); err != nil {
		return domain.CertificateRequest{}, err
	}
	r, err := s.store.CertificateRequestByID(ctx, id)
	if err != nil {
		return r, err
	}
	return r, domain.Authorize(c.Principal, domain.ActCertificateIssue, r.Target())
}

// DeclineCertificateRequest declines an application with a reason the
// volunteer reads on their record.
func (s *Service) DeclineCertificateRequest(ctx context.Context, c domain.Caller, id int64, reason string) error {
	if _, err := s.CertificateRequest(ctx, c, id); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	var v domain.Validation
	v.Check(reason != "", "reason", "err.cert.decline_reason")
	v.Check(utf8.RuneCountInString(reason) <= domain.MaxReasonLen, "reason", "err.too_long", domain.MaxReasonLen)
	v.Check(domain.CleanText(reason), "reason", "err.text.control")
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.DeclineCertificateRequest(id, reason) })
}

// Certificate returns a certificate to its issuers, to whoever may read the
// person's records, and to the volunteer themself.
func (s *Service) Certificate(ctx context.Context, c domain.Caller, id int64) (domain.Certificate, error) {
	if err := domain.Authorize(c.Principal, domain.ActRecordRead, domain.Target{}); err != nil {
		return domain.Certificate{}, err
	}
	cert, err := s.store.CertificateByID(ctx, id)
	if err != nil {
		return cert, err
	}
	if domain.Can(c.Principal, domain.ActCertificateIssue, cert.Target()) ||
		(cert.UserID != 0 && cert.UserID == c.UserID) {
		return cert, nil
	}
	_, err = s.readablePerson(ctx, c, cert.PersonID)
	return cert, err
}

// CertificateList is a page of certificates: those the caller's orgs
// issued, or — for a volunteer — their own.
type CertificateList struct {
	Certificates []domain.Certificate
	Total        int
	Own          bool // the caller's own certificates
}

// Certificates lists certificates for the caller.
func (s *Service) Certificates(ctx context.Context, c domain.Caller, limit, offset int) (CertificateList, error) {
	if err := domain.Authorize(c.Principal, domain.ActRecordRead, domain.Target{}); err != nil {
		return CertificateList{}, err
	}
	f := store.CertificateFilter{Limit: limit, Offset: offset}
	var out CertificateList
	if domain.Can(c.Principal, domain.ActCertificateIssue, domain.Target{}) {
		f.Scope = domain.ScopeOf(c.Principal, domain.ActCertificateIssue)
	} else {
		p, err := s.store.PersonByUserID(ctx, c.UserID)
		if domain.ErrCode(err) == domain.CodeNotFound {
			return CertificateList{Own: true}, nil
		} else if err != nil {
			return out, err
		}
		f.Scope, f.PersonID, out.Own = domain.Scope{All: true}, p.ID, true
	}
	var err error
	out.Certificates, out.Total, err = s.store.ListCertificates(ctx, f)
	return out, err
}

// RevokeCertificate withdraws a certificate the caller's org issued.
func (s *Service) RevokeCertificate(ctx context.Context, c domain.Caller, id int64, reason string) error {
	if err := domain.Authorize(c.Principal, domain.ActCertificateIssue, domain.Target{}); err != nil {
		return err
	}
	cert, err := s.store.CertificateByID(ctx, id)
	if err != nil {
		return err
	}
	if err := domain.Authorize(c.Principal, domain.ActCertificateIssue, cert.Target()); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	var v domain.Validation
	v.Check(reason != "", "reason", "err.cert.revoke_reason")
	v.Check(utf8.RuneCountInString(reason) <= domain.MaxReasonLen, "reason", "err.too_long", domain.MaxReasonLen)
	v.Check(domain.CleanText(reason), "reason", "err.text.control")
	if err := v.Err(); err != nil {
		return err
	}
	if cert.Revoked() {
		return domain.Errorf(domain.CodeConflict, "err.cert.revoked")
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.RevokeCertificate(id, reason) })
}

// Verification is what the public check shows: masked data only.
type Verification struct {
	Number       string
	Revoked      bool
	RevokedOn    string
	MaskedName   string
	IDCardMasked string
	Minutes      domain.Minutes
	PersonTimes  int
	OrgName      string
	From, To     string
	IssuedOn     string
	VolunteerNo  string
	RegisterNo   string // 登记簿编号
	Responsible  string // the issuer's person in charge
	Handler      string
	Contact      string
}

// errUnknownCertificate is the one answer to a malformed and an unknown
// number.
var errUnknownCertificate = domain.Errorf(domain.CodeNotFound, "err.cert.unknown")

// VerifyCertificate checks a certificate by its number for anyone. Lookups
// are limited per client address, unknown numbers included, so numbers
// cannot be found by trying.
func (s *Service) VerifyCertificate(ctx context.Context, c domain.Caller, number string) (Verification, error) {
	var allowed bool
	err := s.store.Housekeep(ctx, func(tx *store.Tx) (err error) {
		allowed, err = tx.Allow(rateVerify, c.IP, verifyLimit, verifyWindow)
		return err
	})
	if err != nil {
		return Verification{}, err
	}
	if !allowed {
		return Verification{}, domain.Errorf(domain.CodeTooMany, "err.rate.verify", int(verifyWindow.Minutes()))
	}
	number = domain.NormalizeCertificateNumber(number)
	if number == "" {
		return Verification{}, errUnknownCertificate
	}
	cert, err := s.store.CertificateByNumber(ctx, number)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return Verification{}, errUnknownCertificate
	} else if err != nil {
		return Verification{}, err
	}
	v := Verification{Number: cert.Number, Revoked: cert.Revoked(), MaskedName: domain.MaskName(cert.PersonName),
		IDCardMasked: cert.IDCardMasked, Minutes: cert.Minutes, PersonTimes: cert.PersonTimes, OrgName: cert.OrgName,
		From: cert.From, To: cert.To, IssuedOn: cert.IssuedOn, VolunteerNo: cert.VolunteerNo, RegisterNo: cert.RegisterNo,
		Responsible: cert.Responsible, Handler: cert.Handler, Contact: cert.Contact}
	if v.Revoked {
		v.RevokedOn = domain.ChinaDay(cert.RevokedAt)
	}
	return v, nil
}
