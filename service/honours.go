package service

import (
	"context"
	"strconv"

	"vanguard/domain"
	"vanguard/report"
	"vanguard/store"
)

// HonourLine is a line of the honours list, with the volunteer number.
type HonourLine struct {
	store.Honour
	VolunteerNo string
}

// HonoursList is the yearly list of top volunteers within the caller's
// scope (推先评优).
type HonoursList struct {
	Year     int
	ByPoints bool
	Lines    []HonourLine
}

// Honours lists the year's top volunteers by hours or by points: the
// committee's over the whole tree, an org admin's over their subtree, a
// team leader's over their team.
func (s *Service) Honours(ctx context.Context, c domain.Caller, year int, byPoints bool) (HonoursList, error) {
	d := HonoursList{Year: year, ByPoints: byPoints}
	if err := domain.Authorize(c.Principal, domain.ActHonoursList, domain.Target{}); err != nil {
		return d, err
	}
	this := s.store.Now().In(domain.ChinaZone).Year()
	if d.Year < 2000 || d.Year > this {
		d.Year = this
	}
	rows, err := s.store.Honours(ctx, domain.ScopeOf(c.Principal, domain.ActHonoursList), d.Year, byPoints, 100)
	if err != nil {
		return d, err
	}
	for _, r := range rows {
		d.Lines = append(d.Lines, HonourLine{Honour: r, VolunteerNo: s.VolunteerNumber(r.PersonID)})
	}
	return d, nil
}

var honourColumns = []report.Column{{Header: "名次"}, {Header: "志愿者编号", Width: 16}, {Header: "姓名"},
	{Header: "单位", Width: 24}, {Header: "服务队", Width: 24}, {Header: "服务时长（小时）"}, {Header: "服务人次"},
	{Header: "当年获得积分"}}

// HonoursBook writes the list as xlsx; the caller closes the book.
func (s *Service) HonoursBook(ctx context.Context, c domain.Caller, year int, byPoints bool) (*report.Book, HonoursList, error) {
	d, err := s.Honours(ctx, c, year, byPoints)
	if err != nil {
		return nil, d, err
	}
	b, err := report.NewBook()
	if err != nil {
		return nil, d, err
	}
	sheet, err := b.Sheet(strconv.Itoa(d.Year)+"年推先评优", honourColumns)
	for i, l := range d.Lines {
		if err != nil {
			break
		}
		err = sheet.Row(strconv.Itoa(i+1), l.VolunteerNo, l.Name, l.Org, l.Team, l.Minutes.Hours(),
			strconv.Itoa(l.PersonTimes), strconv.FormatInt(l.Points, 10))
	}
	if err != nil {
		b.Close()
		return nil, d, err
	}
	return b, d, nil
}
