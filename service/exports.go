package service

import (
	"context"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/report"
	"vanguard/store"
)

// Exports of people and rosters as spreadsheets. Phone and ID numbers are
// masked unless the caller may see them and asked to; every export is
// written to the audit log with its row count and whether it was in full.

// Export is a workbook ready to send: the caller writes it out and closes
// it.
type Export struct {
	Book      *report.Book
	Name      string // a file name without extension; may be Chinese
	ASCIIName string // the same for clients that cannot take Chinese
	Rows      int
}

// exportPage is how many people an export reads at a time.
const exportPage = 2000

// ExportPeople writes the people in the caller's scope that match f — the
// filters of the people list — with the columns of the import template.
// full asks for whole phone numbers, which only a caller allowed to read
// personal data gets. ID numbers are always masked: a full one leaves the
// platform only in the national-system export, and only with the person's
// consent. Each row ends with the volunteer number.
func (s *Service) ExportPeople(ctx context.Context, c domain.Caller, f store.PeopleFilter, full bool) (Export, error) {
	for _, a := range []domain.Action{domain.ActExport, domain.ActRegistryRead} {
		if err := domain.Authorize(c.Principal, a, domain.Target{}); err != nil {
			return Export{}, err
		}
	}
	if full {
		if err := domain.Authorize(c.Principal, domain.ActPersonalRead, domain.Target{}); err != nil {
			return Export{}, err
		}
	}
	cats, err := s.categoryNames(ctx)
	if err != nil {
		return Export{}, err
	}
	book, err := report.NewBook()
	if err != nil {
		return Export{}, err
	}
	day := s.store.Now().In(china).Format("20060102")
	ex := Export{Book: book, Name: "人员-" + day, ASCIIName: "people-" + day}
	fail := func(err error) (Export, error) {
		book.Close()
		return Export{}, err
	}
	sheet, err := book.Sheet(report.PeopleSheet, report.WithVolunteerNo(report.PeopleColumns))
	if err != nil {
		return fail(err)
	}
	f.Scope = domain.ScopeOf(c.Principal, domain.ActRegistryRead)
	f.Limit = exportPage
	for f.Offset = 0; ; f.Offset += exportPage {
		people, _, err := s.store.ListPeople(ctx, f)
		if err != nil {
			return fail(err)
		}
		for _, p := range people {
			phone := domain.MaskPhone(p.Phone)
			if full && domain.Can(c.Principal, domain.ActPersonalRead, p.Target()) {
				phone = p.Phone
			}
			if err := sheet.Row(p.Name, report.GenderName(p.Gender), phone, p.IDCardMasked, report.StatusName(p.PoliticalStatus),
				p.OrgName, p.RegionName, strings.Join(p.Skills, "、"), cats.names(p.Willingness),
				report.AvailabilityText(p.Availability), report.TalentsText(p.Talents), s.VolunteerNumber(p.ID)); err != nil {
				return fail(err)
			}
		}
		if len(people) < exportPage {
			break
		}
	}
	ex.Rows = sheet.Rows()
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.Audit("person.export", "person", "", nil,
			map[string]any{"rows": ex.Rows, "full": full, "filter": filterSummary(f)})
	})
	if err != nil {
		return fail(err)
	}
	return ex, nil
}

// filterSummary is the filters of an export as the audit log records them.
func filterSummary(f store.PeopleFilter) map[string]any {
	m := map[string]any{}
	for k, v := range map[string]string{"q": f.Query, "skill": f.Skill, "status": string(f.Status), "talent": f.Talent} {
		if v != "" {
			m[k] = v
		}
	}
	for k, v := range map[string]int64{"category": f.CategoryID, "region": f.RegionID, "team": f.TeamID, "org": f.OrgID} {
		if v != 0 {
			m[k] = v
		}
	}
	return m
}

type categoryNames map[int64]string

func (s *Service) categoryNames(ctx context.Context) (categoryNames, error) {
	cats, err := s.store.ListCategories(ctx, true)
	if err != nil {
		return nil, err
	}
	out := categoryNames{}
	for _, c := range cats {
		out[c.ID] = c.NameZH
	}
	return out, nil
}

func (n categoryNames) names(ids []int64) string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, n[id])
	}
	return strings.Join(out, "、")
}

// ExportRoster writes a team's roster: the current members on the first
// sheet, with the columns of the roster template, and every stay, past ones
// included, on the second.
func (s *Service) ExportRoster(ctx context.Context, c domain.Caller, teamID int64, full bool) (Export, error) {
	t, err := s.store.TeamByID(ctx, teamID)
	if err != nil {
		return Export{}, err
	}
	if err := domain.Authorize(c.Principal, domain.ActExport, t.Target()); err != nil {
		return Export{}, err
	}
	if full {
		if err := domain.Authorize(c.Principal, domain.ActPersonalRead, t.Target()); err != nil {
			return Export{}, err
		}
	}
	roster, err := s.store.Roster(ctx, teamID, true)
	if err != nil {
		return Export{}, err
	}
	book, err := report.NewBook()
	if err != nil {
		return Export{}, err
	}
	fail := func(err error) (Export, error) {
		book.Close()
		return Export{}, err
	}
	// Even a full export shows a member's number only to a caller who may
	// see that person's: a team may hold people of other orgs.
	phone := func(m domain.Membership) string {
		if full && domain.Can(c.Principal, domain.ActPersonalRead, domain.Target{OrgPath: m.PersonOrgPath}) {
			return m.Phone
		}
		return domain.MaskPhone(m.Phone)
	}
	current, err := book.Sheet(report.RosterSheet, report.WithVolunteerNo(report.RosterColumns))
	if err != nil {
		return fail(err)
	}
	for _, m := range roster {
		if m.Current() {
			if err := current.Row(phone(m), m.PersonName, report.RoleName(m.Role), m.JoinedOn, s.VolunteerNumber(m.PersonID)); err != nil {
				return fail(err)
			}
		}
	}
	history, err := book.Sheet(report.HistorySheet, report.WithVolunteerNo(report.HistoryColumns))
	if err != nil {
		return fail(err)
	}
	for _, m := range roster {
		if err := history.Row(phone(m), m.PersonName, report.RoleName(m.Role), m.JoinedOn, m.LeftOn, s.VolunteerNumber(m.PersonID)); err != nil {
			return fail(err)
		}
	}
	day := s.store.Now().In(china).Format("20060102")
	ex := Export{Book: book, Rows: current.Rows(), Name: fileSafe(t.Name) + "-名册-" + day,
		ASCIIName: "team-" + strconv.FormatInt(t.ID, 10) + "-roster-" + day}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.Audit("team.roster_export", "team", strconv.FormatInt(teamID, 10), nil,
			map[string]any{"rows": ex.Rows, "history_rows": history.Rows(), "full": full})
	})
	if err != nil {
		return fail(err)
	}
	return ex, nil
}

// fileSafe replaces the characters a file name may not hold on Windows.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, s)
}

// PeopleTemplate is the workbook a people import starts from, listing the
// categories and the orgs the caller may import into.
func (s *Service) PeopleTemplate(ctx context.Context, c domain.Caller, tr report.Translate) (*report.Book, error) {
	if err := domain.Authorize(c.Principal, domain.ActRegistryWrite, domain.Target{}); err != nil {
		return nil, err
	}
	cats, err := s.store.ListCategories(ctx, false)
	if err != nil {
		return nil, err
	}
	orgs, err := s.store.ListOrgs(ctx, domain.ScopeOf(c.Principal, domain.ActRegistryWrite))
	if err != nil {
		return nil, err
	}
	var d report.TemplateData
	for _, cat := range cats {
		d.Categories = append(d.Categories, cat.NameZH)
	}
	count := map[string]int{}
	for _, o := range orgs {
		count[o.Name]++
	}
	byID := map[int64]domain.Org{}
	for _, o := range orgs {
		byID[o.ID] = o
	}
	for _, o := range orgs {
		name := o.Name
		if p, ok := byID[o.ParentID]; ok && count[o.Name] > 1 {
			name = p.Name + "/" + o.Name // as an import tells namesakes apart
		}
		d.Orgs = append(d.Orgs, name)
	}
	return report.PeopleTemplate(tr, d)
}

// RosterTemplate is the workbook a roster import starts from.
func (s *Service) RosterTemplate(ctx context.Context, c domain.Caller, tr report.Translate) (*report.Book, error) {
	if err := domain.Authorize(c.Principal, domain.ActTeamManage, domain.Target{}); err != nil {
		return nil, err
	}
	return report.RosterTemplate(tr)
}
