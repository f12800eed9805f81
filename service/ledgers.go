package service

import (
	"context"
	"strconv"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// Ledgers (台帐): a team's year, an org subtree's year, and the committee's
// order register, each built from the records alone and each read with the
// same filters on screen, on paper and as xlsx (ledger_export.go). Team and
// org ledgers need ActLedgerRead on the team or org itself: a leader reads
// their team's, an org admin the teams and orgs of their subtree. Phone
// numbers are masked everywhere in them.

// LedgerScreenRows is how many attendance rows, and orders of the register,
// a page shows; the xlsx holds them all.
const LedgerScreenRows = 1000

// LedgerIndex is what the ledger index offers the caller.
type LedgerIndex struct {
	Teams    []domain.Team
	Orgs     []domain.Org
	Register bool // the caller may read the order register
}

// LedgerChoices lists the teams and orgs whose ledgers the caller may read.
func (s *Service) LedgerChoices(ctx context.Context, c domain.Caller) (LedgerIndex, error) {
	if err := domain.Authorize(c.Principal, domain.ActLedgerRead, domain.Target{}); err != nil {
		return LedgerIndex{}, err
	}
	sc := domain.ScopeOf(c.Principal, domain.ActLedgerRead)
	// The index names the teams and orgs only; their counts of members and
	// people would cost seconds on a province.
	teams, err := s.store.ListTeams(ctx, store.TeamFilter{Scope: sc, NoMembers: true})
	if err != nil {
		return LedgerIndex{}, err
	}
	orgs, err := s.store.ListOrgNames(ctx, domain.Scope{All: sc.All, OrgPaths: sc.OrgPaths})
	if err != nil {
		return LedgerIndex{}, err
	}
	return LedgerIndex{Teams: teams, Orgs: orgs,
		Register: domain.Can(c.Principal, domain.ActOrderRegister, domain.Target{})}, nil
}

// Ledger is a team's or an org subtree's ledger for a period.
type Ledger struct {
	Team       *domain.Team // a team ledger's team
	Categories []domain.Category
	Org        domain.Org // the team's org, or the org of an org ledger
	Teams      int        // an org ledger: teams in the subtree
	Committee  string     // the root org's name, for the printed header
	Period     domain.Period
	Members    []LedgerMember
	Activities []store.LedgerActivity
	Totals     LedgerTotals
	Attendance []store.LedgerAttendance
	// AttendanceTotal is how many attendance rows there are; Attendance
	// may hold fewer on screen.
	AttendanceTotal int
	Outcomes        []LedgerOutcome
	MetricTotals    []domain.MetricSum
	Evaluations     []store.LedgerEvaluation
	Trainings       []store.LedgerRecord
	Awards          []store.LedgerRecord
}

// LedgerMember is a stay on a roster with the phone masked and whether it
// began or ended within the period.
type LedgerMember struct {
	store.LedgerMember
	Joined, Left bool
}

// LedgerTotals are the sums of a ledger's activities.
type LedgerTotals struct {
	Activities    int
	PersonTimes   int64
	Minutes       domain.Minutes
	Beneficiaries int64
	Ratings       int // evaluations with a rating
	RatingSum     int
	Complaints    int
}

// RatingAverage is the mean rating with one decimal, "" without ratings.
func (t LedgerTotals) RatingAverage() string {
	if t.Ratings == 0 {
		return ""
	}
	tenths := (t.RatingSum*10*2 + t.Ratings) / (2 * t.Ratings) // rounded half up
	return strconv.Itoa(tenths/10) + "." + strconv.Itoa(tenths%10)
}

// LedgerOutcome is an outcome with its metrics named.
type LedgerOutcome struct {
	store.LedgerOutcome
	Metrics []domain.MetricSum
}

// TeamLedger reads a team's ledger. screen limits the attendance rows to
// what a page shows.
func (s *Service) TeamLedger(ctx context.Context, c domain.Caller, teamID int64, p domain.Period, screen bool) (Ledger, error) {
	t, err := s.store.TeamByID(ctx, teamID)
	if err != nil {
		return Ledger{}, err
	}
	if err := domain.Authorize(c.Principal, domain.ActLedgerRead, t.Target()); err != nil {
		return Ledger{}, err
	}
	l := Ledger{Team: &t, Period: p}
	if l.Org, err = s.store.OrgByID(ctx, t.OrgID); err != nil {
		return Ledger{}, err
	}
	cats, err := s.store.ListCategories(ctx, true)
	if err != nil {
		return Ledger{}, err
	}
	for _, id := range t.Categories {
		for _, cat := range cats {
			if cat.ID == id {
				l.Categories = append(l.Categories, cat)
			}
		}
	}
	return l, s.readLedger(ctx, &l, store.LedgerOf{TeamID: t.ID}, screen)
}

// OrgLedger reads the ledger of an org's subtree.
func (s *Service) OrgLedger(ctx context.Context, c domain.Caller, orgID int64, p domain.Period, screen bool) (Ledger, error) {
	o, err := s.store.OrgByID(ctx, orgID)
	if err != nil {
		return Ledger{}, err
	}
	if err := domain.Authorize(c.Principal, domain.ActLedgerRead, domain.Target{OrgPath: o.Path}); err != nil {
		return Ledger{}, err
	}
	l := Ledger{Org: o, Period: p}
	teams, err := s.store.ListTeams(ctx, store.TeamFilter{Scope: domain.Scope{OrgPaths: []string{o.Path}}})
	if err != nil {
		return Ledger{}, err
	}
	l.Teams = len(teams)
	return l, s.readLedger(ctx, &l, store.LedgerOf{OrgPath: o.Path}, screen)
}

func (s *Service) readLedger(ctx context.Context, l *Ledger, of store.LedgerOf, screen bool) error {
	var err error
	if l.Committee, err = s.committeeName(ctx); err != nil {
		return err
	}
	from, to := l.Period.Bounds()
	members, err := s.store.LedgerRoster(ctx, of, l.Period.From, l.Period.To)
	if err != nil {
		return err
	}
	for _, m := range members {
		m.Phone = domain.MaskPhone(m.Phone)
		l.Members = append(l.Members, LedgerMember{LedgerMember: m, Joined: l.Period.Contains(m.JoinedOn),
			Left: l.Period.Contains(m.LeftOn)})
	}
	if l.Activities, err = s.store.LedgerActivities(ctx, of, from, to); err != nil {
		return err
	}
	l.Totals.Activities = len(l.Activities)
	for _, a := range l.Activities {
		l.Totals.PersonTimes += a.PersonTimes
		l.Totals.Minutes += a.Minutes
		l.Totals.Beneficiaries += int64(a.Beneficiaries)
	}
	limit := 0
	if screen {
		limit = LedgerScreenRows
	}
	if l.Attendance, l.AttendanceTotal, err = s.store.LedgerAttendance(ctx, of, from, to, limit); err != nil {
		return err
	}
	if err := s.ledgerOutcomes(ctx, l, of, from, to); err != nil {
		return err
	}
	if l.Evaluations, err = s.store.LedgerEvaluations(ctx, of, from, to); err != nil {
		return err
	}
	for _, e := range l.Evaluations {
		if e.Rating > 0 {
			l.Totals.Ratings++
			l.Totals.RatingSum += e.Rating
		}
		if e.Complaint {
			l.Totals.Complaints++
		}
	}
	if l.Trainings, err = s.store.LedgerTrainings(ctx, of, l.Period.From, l.Period.To); err != nil {
		return err
	}
	l.Awards, err = s.store.LedgerAwards(ctx, of, l.Period.From, l.Period.To)
	return err
}

// ledgerOutcomes names the metrics of the outcomes and sums them exactly
// (values are hundredths of the unit).
func (s *Service) ledgerOutcomes(ctx context.Context, l *Ledger, of store.LedgerOf, from, to time.Time) error {
	outs, err := s.store.LedgerOutcomes(ctx, of, from, to)
	if err != nil {
		return err
	}
	metrics, err := s.store.ListMetrics(ctx, true)
	if err != nil {
		return err
	}
	byID := map[int64]domain.Metric{}
	for _, m := range metrics {
		byID[m.ID] = m
	}
	sums := map[int64]domain.Quantity{}
	for _, o := range outs {
		lo := LedgerOutcome{LedgerOutcome: o}
		for _, v := range o.Values {
			lo.Metrics = append(lo.Metrics, domain.MetricSum{Metric: byID[v.MetricID], Value: v.Value})
			sums[v.MetricID] += v.Value
		}
		l.Outcomes = append(l.Outcomes, lo)
	}
	for _, m := range metrics {
		if q, ok := sums[m.ID]; ok {
			l.MetricTotals = append(l.MetricTotals, domain.MetricSum{Metric: m, Value: q})
		}
	}
	return nil
}

// committeeName is the root org's name: the committee's, printed at the
// head of every ledger page.
func (s *Service) committeeName(ctx context.Context) (string, error) {
	id, err := s.store.RootOrgID(ctx)
	if err != nil {
		return "", err
	}
	o, err := s.store.OrgByID(ctx, id)
	return o.Name, err
}

// OrderRegister is the register of orders of a period as a page shows it:
// the first LedgerScreenRows orders and how many there are.
type OrderRegister struct {
	Committee string
	Period    domain.Period
	Rows      []store.RegisterRow
	Total     int
}

// OrderRegisterView reads the register for a page. Requester phones are
// masked.
func (s *Service) OrderRegisterView(ctx context.Context, c domain.Caller, p domain.Period) (OrderRegister, error) {
	if err := domain.Authorize(c.Principal, domain.ActOrderRegister, domain.Target{}); err != nil {
		return OrderRegister{}, err
	}
	v := OrderRegister{Period: p}
	var err error
	if v.Committee, err = s.committeeName(ctx); err != nil {
		return v, err
	}
	from, to := p.Bounds()
	if v.Total, err = s.store.CountOrders(ctx, from, to); err != nil {
		return v, err
	}
	err = s.store.OrderRegister(ctx, from, to, LedgerScreenRows, func(r *store.RegisterRow) error {
		x := *r
		x.RequesterPhone = domain.MaskPhone(x.RequesterPhone)
		v.Rows = append(v.Rows, x)
		return nil
	})
	return v, err
}
