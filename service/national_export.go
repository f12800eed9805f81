package service

import (
	"context"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/report"
	"vanguard/store"
)

// The export for the national volunteer service information system
// (全国志愿服务信息系统), in the column layout of docs/NATIONAL_EXPORT.md.
// ID numbers leave the platform only here, and only for volunteers who
// consented; every export is audited with its counts.

// NationalExportInput is the period and the scope of an export: an org in
// the caller's scope, or (0) all of it.
type NationalExportInput struct {
	From, To string
	OrgID    int64
}

// national export sheets and columns; see docs/NATIONAL_EXPORT.md.
var (
	nationalVolunteerColumns = []report.Column{{Header: "志愿者编号", Width: 18}, {Header: "姓名"}, {Header: "性别"},
		{Header: "证件类型"}, {Header: "证件号码", Width: 22}, {Header: "手机号码（隐去）", Width: 16}, {Header: "政治面貌"},
		{Header: "所在单位", Width: 24}, {Header: "所属志愿队伍", Width: 30}, {Header: "同意报送证件号码"}}
	nationalTeamColumns = []report.Column{{Header: "队伍名称", Width: 28}, {Header: "队伍类型"}, {Header: "管理单位", Width: 24},
		{Header: "现有队员数"}}
	nationalActivityColumns = []report.Column{{Header: "项目名称", Width: 28}, {Header: "开始时间", Width: 18},
		{Header: "结束时间", Width: 18}, {Header: "服务地点", Width: 28}, {Header: "服务类别", Width: 20}, {Header: "组织单位", Width: 24}}
	nationalHoursColumns = []report.Column{{Header: "志愿者编号", Width: 18}, {Header: "姓名"}, {Header: "项目名称", Width: 28},
		{Header: "服务日期", Width: 12}, {Header: "服务时长（小时）"}}
)

// NationalExport writes the export for a period and scope and audits it.
func (s *Service) NationalExport(ctx context.Context, c domain.Caller, in NationalExportInput) (Export, error) {
	if err := domain.Authorize(c.Principal, domain.ActNationalExport, domain.Target{}); err != nil {
		return Export{}, err
	}
	var v domain.Validation
	in.From, in.To = strings.TrimSpace(in.From), strings.TrimSpace(in.To)
	v.Check(domain.ValidDate(in.From), "from", "err.date_format")
	v.Check(domain.ValidDate(in.To), "to", "err.date_format")
	v.Check(!domain.ValidDate(in.From) || !domain.ValidDate(in.To) || in.From <= in.To, "to", "err.cert.period")
	if err := v.Err(); err != nil {
		return Export{}, err
	}
	sc := domain.ScopeOf(c.Principal, domain.ActNationalExport)
	scopeName := "全部"
	if in.OrgID != 0 {
		o, err := s.store.OrgByID(ctx, in.OrgID)
		if err != nil {
			return Export{}, domain.Invalid("org", "err.org.not_found")
		}
		if err := domain.Authorize(c.Principal, domain.ActNationalExport, o.Target()); err != nil {
			return Export{}, err
		}
		sc, scopeName = domain.Scope{OrgPaths: []string{o.Path}}, o.Name
	}
	vols, err := s.store.NationalVolunteers(ctx, sc)
	if err != nil {
		return Export{}, err
	}
	teams, err := s.store.NationalTeams(ctx, sc)
	if err != nil {
		return Export{}, err
	}
	acts, err := s.store.NationalActivities(ctx, sc, in.From, in.To)
	if err != nil {
		return Export{}, err
	}
	hours, err := s.store.NationalHoursOf(ctx, sc, in.From, in.To)
	if err != nil {
		return Export{}, err
	}
	book, consented, err := s.nationalBook(vols, teams, acts, hours)
	if err != nil {
		return Export{}, err
	}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.Audit("national.export", "export", "national", nil, map[string]any{"from": in.From, "to": in.To,
			"org_id": in.OrgID, "scope": scopeName, "volunteers": len(vols), "teams": len(teams), "activities": len(acts),
			"hours_rows": len(hours), "consented": consented})
	})
	if err != nil {
		book.Close()
		return Export{}, err
	}
	return Export{Book: book, Name: "全国志愿服务信息系统报送-" + in.From + "-" + in.To,
		ASCIIName: "national-export-" + in.From + "-" + in.To}, nil
}

// nationalBook writes the four sheets; it returns how many ID numbers it
// wrote (the consented volunteers with one on file).
func (s *Service) nationalBook(vols []store.NationalVolunteer, teams []store.NationalTeam, acts []store.NationalActivity,
	hours []store.NationalHours) (*report.Book, int, error) {
	book, err := report.NewBook()
	if err != nil {
		return nil, 0, err
	}
	consented := 0
	fail := func(err error) (*report.Book, int, error) { book.Close(); return nil, 0, err }
	sheet, err := book.Sheet("志愿者", nationalVolunteerColumns)
	if err != nil {
		return fail(err)
	}
	for _, x := range vols {
		idType, id, agreed := "", "", "否"
		if x.IDCardMasked != "" {
			idType = domain.IDTypeResident
		}
		if x.Consented {
			agreed = "是"
			if id, err = s.openID(x.IDCardSealed); err != nil {
				return fail(err)
			}
			if id != "" {
				consented++
			}
		}
		if err := sheet.Row(s.VolunteerNumber(x.ID), x.Name, report.GenderName(domain.Gender(x.Gender)), idType, id,
			domain.MaskPhone(x.Phone), report.StatusName(domain.PoliticalStatus(x.PoliticalStatus)), x.OrgName,
			strings.Join(x.Teams, "、"), agreed); err != nil {
			return fail(err)
		}
	}
	if sheet, err = book.Sheet("志愿队伍", nationalTeamColumns); err != nil {
		return fail(err)
	}
	kinds := map[string]string{string(domain.TeamParty): "党员志愿服务队", string(domain.TeamYouth): "青年志愿服务队"}
	for _, t := range teams {
		if err := sheet.Row(t.Name, kinds[t.Kind], t.OrgName, strconv.Itoa(t.Members)); err != nil {
			return fail(err)
		}
	}
	if sheet, err = book.Sheet("志愿项目", nationalActivityColumns); err != nil {
		return fail(err)
	}
	at := func(us int64) string { return chinaTime(us).Format("2006-01-02 15:04") }
	for _, a := range acts {
		if err := sheet.Row(a.Title, at(a.StartsAt), at(a.EndsAt), a.Address, a.Categories, a.OrgName); err != nil {
			return fail(err)
		}
	}
	if sheet, err = book.Sheet("服务时长", nationalHoursColumns); err != nil {
		return fail(err)
	}
	for _, h := range hours {
		if err := sheet.Row(s.VolunteerNumber(h.PersonID), h.PersonName, h.Title, chinaTime(h.StartsAt).Format("2006-01-02"),
			h.Minutes.Hours()); err != nil {
			return fail(err)
		}
	}
	return book, consented, nil
}

// chinaTime reads a stored instant (microseconds) in China time.
func chinaTime(us int64) time.Time { return time.UnixMicro(us).In(domain.ChinaZone) }

// SetNationalConsent records a person's consent to the national export:
// the volunteer themself, or staff who may edit the person.
func (s *Service) SetNationalConsent(ctx context.Context, c domain.Caller, personID int64, consent bool) error {
	if personID == 0 {
		p, err := s.store.PersonByUserID(ctx, c.UserID)
		if err != nil {
			return domain.Errorf(domain.CodeConflict, "err.signup.no_person")
		}
		personID = p.ID
	} else {
		p, err := s.store.PersonByID(ctx, personID)
		if err != nil {
			return err
		}
		if err := domain.Authorize(c.Principal, domain.ActRegistryWrite, p.Target()); err != nil {
			return err
		}
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.SetNationalConsent(personID, consent) })
}

// NationalExportOrgs lists the orgs the caller may export, in tree order.
func (s *Service) NationalExportOrgs(ctx context.Context, c domain.Caller) ([]domain.Org, error) {
	if err := domain.Authorize(c.Principal, domain.ActNationalExport, domain.Target{}); err != nil {
		return nil, err
	}
	orgs, err := s.store.ListOrgs(ctx, domain.ScopeOf(c.Principal, domain.ActNationalExport))
	if err != nil {
		return nil, err
	}
	var out []domain.Org
	for _, o := range orgs {
		if domain.Can(c.Principal, domain.ActNationalExport, o.Target()) {
			out = append(out, o)
		}
	}
	return out, nil
}

// NationalConsent reports whether a person consents to the national
// export; callers have already read the person.
func (s *Service) NationalConsent(ctx context.Context, personID int64) (bool, error) {
	return s.store.NationalConsent(ctx, personID)
}
