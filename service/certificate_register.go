package service

import (
	"context"
	"strconv"

	"vanguard/domain"
	"vanguard/report"
	"vanguard/store"
)

// Accepting applications (受理), the certificate register (证明登记簿) of
// each issuing org, and the 7-day public notice (公示) of issued
// certificates (民发〔2015〕149号).

// AcceptCertificateRequest accepts a pending application: an admin of the
// person's org takes it on, and the volunteer sees who and when.
func (s *Service) AcceptCertificateRequest(ctx context.Context, c domain.Caller, id int64) error {
	if _, err := s.CertificateRequest(ctx, c, id); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.AcceptCertificateRequest(id) })
}

// Register is one issuing org's register for a year.
type Register struct {
	Org          domain.Org
	Orgs         []domain.Org // the orgs whose register the caller may read
	Year         int
	Years        []int
	Certificates []domain.Certificate
}

// CertificateRegister returns the register of an org in the caller's scope
// for a year (this year when 0); with orgID 0, the first such org.
func (s *Service) CertificateRegister(ctx context.Context, c domain.Caller, orgID int64, year int) (Register, error) {
	if err := domain.Authorize(c.Principal, domain.ActCertificateIssue, domain.Target{}); err != nil {
		return Register{}, err
	}
	var out Register
	orgs, err := s.store.RegisterOrgs(ctx)
	if err != nil {
		return out, err
	}
	for _, o := range orgs {
		if domain.Can(c.Principal, domain.ActCertificateIssue, o.Target()) {
			out.Orgs = append(out.Orgs, o)
		}
	}
	if orgID == 0 {
		if len(out.Orgs) == 0 {
			return out, nil
		}
		orgID = out.Orgs[0].ID
	}
	if out.Org, err = s.store.OrgByID(ctx, orgID); err != nil {
		return out, err
	}
	if err := domain.Authorize(c.Principal, domain.ActCertificateIssue, out.Org.Target()); err != nil {
		return out, err
	}
	if out.Years, err = s.store.CertificateRegisterYears(ctx, orgID); err != nil {
		return out, err
	}
	out.Year = year
	if out.Year == 0 {
		out.Year = s.Now().In(domain.ChinaZone).Year()
	}
	out.Certificates, err = s.store.CertificateRegister(ctx, store.RegisterFilter{OrgID: orgID, Year: out.Year})
	return out, err
}

// registerColumns is the register's layout as xlsx.
var registerColumns = []report.Column{{Header: "登记编号", Width: 30}, {Header: "出具日期", Width: 12},
	{Header: "志愿者姓名"}, {Header: "志愿者编号", Width: 18}, {Header: "证件类型"}, {Header: "证件号码（隐去）", Width: 22},
	{Header: "服务期间", Width: 24}, {Header: "服务次数"}, {Header: "服务时长（小时）"}, {Header: "服务内容", Width: 24},
	{Header: "负责人"}, {Header: "经办人"}, {Header: "联系方式", Width: 16}, {Header: "证明编号", Width: 26}, {Header: "状态"}}

// ExportCertificateRegister writes an org's register for a year as xlsx,
// masked ID numbers only.
func (s *Service) ExportCertificateRegister(ctx context.Context, c domain.Caller, orgID int64, year int) (Export, error) {
	reg, err := s.CertificateRegister(ctx, c, orgID, year)
	if err != nil {
		return Export{}, err
	}
	if reg.Org.ID == 0 {
		return Export{}, domain.Errorf(domain.CodeNotFound, "err.org.not_found")
	}
	book, err := report.NewBook()
	if err != nil {
		return Export{}, err
	}
	sheet, err := book.Sheet("证明登记簿", registerColumns)
	if err != nil {
		book.Close()
		return Export{}, err
	}
	for _, x := range reg.Certificates {
		state := "有效"
		if x.Revoked() {
			state = "已作废 " + domain.ChinaDay(x.RevokedAt)
		}
		if err := sheet.Row(x.RegisterNo, x.IssuedOn, x.PersonName, x.VolunteerNo, x.IDType, x.IDCardMasked,
			x.From+" 至 "+x.To, strconv.Itoa(x.PersonTimes), x.Minutes.Hours(), x.Content, x.Responsible, x.Handler,
			x.Contact, x.Number, state); err != nil {
			book.Close()
			return Export{}, err
		}
	}
	y := strconv.Itoa(reg.Year)
	return Export{Book: book, Name: reg.Org.Name + "-证明登记簿-" + y,
		ASCIIName: "certificate-register-" + strconv.FormatInt(reg.Org.ID, 10) + "-" + y}, nil
}

// NoticeEntry is one posted certificate as the public sees it: a masked
// name, no ID number.
type NoticeEntry struct {
	MaskedName  string
	VolunteerNo string
	Minutes     domain.Minutes
	PersonTimes int
	From, To    string
	RegisterNo  string
	IssuedOn    string
	Until       string // the last day it stays posted
}

// CertificateNotice is an org's notice page.
type CertificateNotice struct {
	Org     domain.Org
	Entries []NoticeEntry
}

// CertificateNotices returns the certificates an org posts now, for anyone.
func (s *Service) CertificateNotices(ctx context.Context, orgID int64) (CertificateNotice, error) {
	o, err := s.store.OrgByID(ctx, orgID)
	if err != nil {
		return CertificateNotice{}, err
	}
	certs, err := s.store.NoticedCertificates(ctx, orgID)
	if err != nil {
		return CertificateNotice{}, err
	}
	out := CertificateNotice{Org: o}
	for _, x := range certs {
		out.Entries = append(out.Entries, NoticeEntry{MaskedName: domain.MaskName(x.PersonName), VolunteerNo: x.VolunteerNo,
			Minutes: x.Minutes, PersonTimes: x.PersonTimes, From: x.From, To: x.To, RegisterNo: x.RegisterNo,
			IssuedOn: x.IssuedOn, Until: domain.ChinaDay(x.NoticeUntil())})
	}
	return out, nil
}

// CertificateNoticeOrgs lists the orgs with certificates posted now.
func (s *Service) CertificateNoticeOrgs(ctx context.Context) ([]store.NoticeOrg, error) {
	return s.store.NoticeOrgs(ctx)
}
