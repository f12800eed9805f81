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

// Ledgers as xlsx: the same records as the page, with the same filters,
// every row (the page may show fewer attendance rows), phones masked. Each
// export is written to the audit log. The order register is streamed: its
// orders are read a page at a time and written through excelize's
// StreamWriter, so that a province's year never sits in memory.

// ExportTeamLedger writes a team's ledger.
func (s *Service) ExportTeamLedger(ctx context.Context, c domain.Caller, teamID int64, p domain.Period, tr report.Translate) (Export, error) {
	l, err := s.TeamLedger(ctx, c, teamID, p, false)
	if err != nil {
		return Export{}, err
	}
	return s.exportLedger(ctx, c, l, tr, "team", teamID, l.Team.Name)
}

// ExportOrgLedger writes an org subtree's ledger.
func (s *Service) ExportOrgLedger(ctx context.Context, c domain.Caller, orgID int64, p domain.Period, tr report.Translate) (Export, error) {
	l, err := s.OrgLedger(ctx, c, orgID, p, false)
	if err != nil {
		return Export{}, err
	}
	return s.exportLedger(ctx, c, l, tr, "org", orgID, l.Org.Name)
}

// periodName is the period in a file name: 2026, or 20260101-20260331.
func periodName(p domain.Period) string {
	if p.Year != 0 {
		return strconv.Itoa(p.Year)
	}
	return strings.ReplaceAll(p.From, "-", "") + "-" + strings.ReplaceAll(p.To, "-", "")
}

func (s *Service) exportLedger(ctx context.Context, c domain.Caller, l Ledger, tr report.Translate, kind string, id int64, name string) (Export, error) {
	book, err := report.NewBook()
	if err != nil {
		return Export{}, err
	}
	fail := func(err error) (Export, error) {
		book.Close()
		return Export{}, err
	}
	for _, sheet := range ledgerSheets(l, tr) {
		sw, err := book.Sheet(sheet.name, sheet.cols)
		if err != nil {
			return fail(err)
		}
		for _, r := range sheet.rows {
			if err := sw.Row(r...); err != nil {
				return fail(err)
			}
		}
	}
	ex := Export{Book: book, Name: tr("ledger.file."+kind, name, periodName(l.Period)),
		ASCIIName: "ledger-" + kind + "-" + strconv.FormatInt(id, 10) + "-" + periodName(l.Period)}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.Audit("ledgers.export", kind, strconv.FormatInt(id, 10), nil,
			map[string]any{"from": l.Period.From, "to": l.Period.To, "activities": len(l.Activities)})
	})
	if err != nil {
		return fail(err)
	}
	return ex, nil
}

type ledgerSheet struct {
	name string
	cols []report.Column
	rows [][]string
}

// ledgerColumns makes the columns of a sheet from catalogue keys.
func ledgerColumns(tr report.Translate, keys ...string) []report.Column {
	out := make([]report.Column, len(keys))
	for i, k := range keys {
		w := 14.0
		if strings.HasSuffix(k, "_wide") {
			w = 32
		}
		out[i] = report.Column{Header: tr("ledger.col." + k), Width: w}
	}
	return out
}

func ledgerTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(domain.ChinaZone).Format("2006-01-02 15:04")
}

func ledgerYes(tr report.Translate, b bool) string {
	if b {
		return tr("ledger.yes")
	}
	return ""
}

// ledgerSheets is the ledger as sheets, in the page's order.
func ledgerSheets(l Ledger, tr report.Translate) []ledgerSheet {
	var out []ledgerSheet
	archive := ledgerSheet{name: tr("ledger.sheet.archive"), cols: ledgerColumns(tr, "item", "content_wide")}
	pair := func(k, v string) { archive.rows = append(archive.rows, []string{tr("ledger.archive." + k), v}) }
	pair("committee", l.Committee)
	pair("period", l.Period.From+" — "+l.Period.To)
	if t := l.Team; t != nil {
		pair("team", t.Name)
		pair("kind", tr("enum.team_kind."+string(t.Kind)))
		pair("org", t.OrgName)
		pair("founded", t.FoundedOn)
		pair("base", strings.TrimSpace(t.BaseRegion+" "+t.BaseAddress))
		var cats []string
		for _, c := range l.Categories {
			cats = append(cats, c.NameZH)
		}
		pair("categories", strings.Join(cats, "、"))
		pair("description", t.Description)
		pair("rules", t.Rules)
	} else {
		pair("org", l.Org.Name)
		pair("teams", strconv.Itoa(l.Teams))
	}
	pair("activities", strconv.Itoa(l.Totals.Activities))
	pair("person_times", strconv.FormatInt(l.Totals.PersonTimes, 10))
	pair("hours", l.Totals.Minutes.Hours())
	pair("beneficiaries", strconv.FormatInt(l.Totals.Beneficiaries, 10))
	out = append(out, archive)

	roster := ledgerSheet{name: tr("ledger.sheet.roster"), cols: ledgerColumns(tr, "team", "name", "phone", "role", "joined", "left", "change")}
	for _, m := range l.Members {
		var change []string
		if m.Joined {
			change = append(change, tr("ledger.joined"))
		}
		if m.Left {
			change = append(change, tr("ledger.left"))
		}
		roster.rows = append(roster.rows, []string{m.TeamName, m.PersonName, m.Phone, tr("enum.member_role." + string(m.Role)),
			m.JoinedOn, m.LeftOn, strings.Join(change, "、")})
	}
	out = append(out, roster)

	acts := ledgerSheet{name: tr("ledger.sheet.activities"),
		cols: ledgerColumns(tr, "date", "time", "title_wide", "place", "organiser", "teams_wide", "person_times", "hours", "beneficiaries")}
	for _, a := range l.Activities {
		acts.rows = append(acts.rows, []string{domain.ChinaDay(a.StartsAt), ledgerSpan(a.StartsAt, a.EndsAt), a.Title, a.Place,
			a.OrgName, a.Teams, strconv.FormatInt(a.PersonTimes, 10), a.Minutes.Hours(), strconv.Itoa(a.Beneficiaries)})
	}
	acts.rows = append(acts.rows, []string{tr("ledger.total"), "", strconv.Itoa(l.Totals.Activities), "", "", "",
		strconv.FormatInt(l.Totals.PersonTimes, 10), l.Totals.Minutes.Hours(), strconv.FormatInt(l.Totals.Beneficiaries, 10)})
	out = append(out, acts)

	att := ledgerSheet{name: tr("ledger.sheet.attendance"), cols: ledgerColumns(tr, "day", "title_wide", "name", "check_in", "check_out")}
	for _, x := range l.Attendance {
		att.rows = append(att.rows, []string{x.Day, x.Title, x.PersonName, ledgerTime(x.CheckIn), ledgerTime(x.CheckOut)})
	}
	out = append(out, att)

	outs := ledgerSheet{name: tr("ledger.sheet.outcomes"), cols: ledgerColumns(tr, "date", "title_wide", "beneficiaries", "metrics_wide", "narrative_wide")}
	for _, o := range l.Outcomes {
		outs.rows = append(outs.rows, []string{domain.ChinaDay(o.StartsAt), o.Title, strconv.Itoa(o.Beneficiaries),
			MetricsText(o.Metrics, "zh-CN"), o.Narrative})
	}
	outs.rows = append(outs.rows, []string{tr("ledger.total"), "", strconv.FormatInt(l.Totals.Beneficiaries, 10),
		MetricsText(l.MetricTotals, "zh-CN"), ""})
	out = append(out, outs)

	evals := ledgerSheet{name: tr("ledger.sheet.evaluations"),
		cols: ledgerColumns(tr, "order", "date", "rating", "comment_wide", "complaint", "complaint_wide", "answer_wide")}
	for _, e := range l.Evaluations {
		rating := ""
		if e.Rating > 0 {
			rating = strconv.Itoa(e.Rating)
		}
		evals.rows = append(evals.rows, []string{domain.OrderNumber(e.OrderID), domain.ChinaDay(e.CreatedAt), rating, e.Comment,
			ledgerYes(tr, e.Complaint), e.ComplaintText, e.Answer})
	}
	out = append(out, evals)

	train := ledgerSheet{name: tr("ledger.sheet.trainings"), cols: ledgerColumns(tr, "day", "name", "subject_wide", "hours")}
	for _, r := range l.Trainings {
		train.rows = append(train.rows, []string{r.Day, r.PersonName, r.Title, r.Extra})
	}
	awards := ledgerSheet{name: tr("ledger.sheet.awards"), cols: ledgerColumns(tr, "day", "name", "award_wide", "issuer")}
	for _, r := range l.Awards {
		awards.rows = append(awards.rows, []string{r.Day, r.PersonName, r.Title, r.Extra})
	}
	return append(out, train, awards)
}

// ledgerSpan is an activity's hours of the day: 09:00–12:00.
func ledgerSpan(from, to time.Time) string {
	return from.In(domain.ChinaZone).Format("15:04") + "–" + to.In(domain.ChinaZone).Format("15:04")
}

// MetricsText writes metric values as a phrase: 植树 300 棵；清运垃圾 2 吨.
func MetricsText(ms []domain.MetricSum, lang string) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.Metric.Name(lang) + " " + m.Value.String() + " " + m.Metric.Unit(lang)
	}
	sep := "；"
	if lang == "en" {
		sep = "; "
	}
	return strings.Join(parts, sep)
}

// registerKeys are the register's columns.
var registerKeys = []string{"order", "created", "channel", "site", "requester", "phone", "items_wide", "taken_by",
	"review", "review_at", "review_reason_wide", "group_wide", "confirmed_wide", "declined_wide", "state", "service_days",
	"person_times", "hours", "beneficiaries", "rating", "comment_wide", "complaint_wide"}

// RegisterCells is one order of the register as cells, phone masked, in
// the columns of registerKeys.
func RegisterCells(r *store.RegisterRow, tr report.Translate) []string {
	review := ""
	if r.Review != "" {
		review = tr("ledger.review." + r.Review)
	}
	var group, confirmed, declined []string
	for _, d := range r.Dispatches {
		group = append(group, d.Category+"："+d.Team)
		switch d.State {
		case domain.DispatchConfirmed:
			confirmed = append(confirmed, d.Team+" "+ledgerTime(d.AnsweredAt))
		case domain.DispatchDeclined:
			declined = append(declined, strings.TrimSpace(d.Team+" "+ledgerTime(d.AnsweredAt)+" "+d.Reason))
		}
	}
	rating, complaint := "", ""
	if r.Rating > 0 {
		rating = strconv.Itoa(r.Rating)
	}
	if r.Complaint {
		complaint = strings.TrimSpace(tr("ledger.yes") + " " + r.ComplaintText)
	}
	// Who took the order: the staff member who entered it, else the one who
	// reviewed it (an order placed online is taken when it is reviewed).
	taken := r.TakenByName
	if taken == "" {
		taken = r.ReviewerName
	}
	hours := ""
	if r.PersonTimes > 0 {
		hours = r.Minutes.Hours()
	}
	return []string{domain.OrderNumber(r.ID), ledgerTime(r.CreatedAt), tr("enum.channel." + string(r.Channel)), r.SiteName,
		r.RequesterName, domain.MaskPhone(r.RequesterPhone), r.ItemsText(), taken, review, ledgerTime(r.ReviewAt),
		r.ReviewReason, strings.Join(group, "；"), strings.Join(confirmed, "；"), strings.Join(declined, "；"),
		tr("enum.order_state." + string(r.State)), strings.Join(r.ServiceDays, "、"), strconv.FormatInt(r.PersonTimes, 10),
		hours, strconv.FormatInt(r.Beneficiaries, 10), rating, r.Comment, complaint}
}

// RegisterColumns are the register's column headers in the reader's
// language.
func RegisterColumns(tr report.Translate) []report.Column { return ledgerColumns(tr, registerKeys...) }

// ExportOrderRegister streams the order register of a period into a
// workbook: one sheet, one row per order.
func (s *Service) ExportOrderRegister(ctx context.Context, c domain.Caller, p domain.Period, tr report.Translate) (Export, error) {
	if err := domain.Authorize(c.Principal, domain.ActOrderRegister, domain.Target{}); err != nil {
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
	sheet, err := book.Sheet(tr("ledger.sheet.register"), RegisterColumns(tr))
	if err != nil {
		return fail(err)
	}
	from, to := p.Bounds()
	err = s.store.OrderRegister(ctx, from, to, 0, func(r *store.RegisterRow) error {
		return sheet.Row(RegisterCells(r, tr)...)
	})
	if err != nil {
		return fail(err)
	}
	ex := Export{Book: book, Name: tr("ledger.file.register", periodName(p)), ASCIIName: "order-register-" + periodName(p),
		Rows: sheet.Rows()}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.Audit("ledgers.export", "order_register", "", nil, map[string]any{"from": p.From, "to": p.To, "rows": ex.Rows})
	})
	if err != nil {
		return fail(err)
	}
	return ex, nil
}
