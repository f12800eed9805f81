package store

import (
	"context"
	"fmt"
	"time"

	"vanguard/domain"
)

// Ledgers (台帐): a team's or an org subtree's year, read from the records
// and nothing else. One condition says whose service a ledger counts — the
// team, or every team of the subtree plus hours credited to the subtree's
// orgs without a team — and the same condition reads activity_totals for
// the ledger's figures and activity_hours in the test that holds the two
// equal (LedgerHours).

// LedgerOf names whose ledger is read: one team, or an org's subtree.
type LedgerOf struct {
	TeamID  int64
	OrgPath string
}

// teamSet is a condition that keeps a team id column within the ledger's
// teams.
func (l LedgerOf) teamSet(col string) (string, []any) {
	if l.TeamID != 0 {
		return col + " = ?", []any{l.TeamID}
	}
	lo, hi := subtree(l.OrgPath)
	return col + " IN (SELECT lt.id FROM teams lt JOIN orgs lo ON lo.id = lt.org_id WHERE lo.path >= ? AND lo.path < ?)",
		[]any{lo, hi}
}

// credited is a condition on a row of hours (its team and credited org
// columns, 0 for none) that keeps the service the ledger counts.
func (l LedgerOf) credited(teamCol, orgCol string) (string, []any) {
	c, args := l.teamSet(teamCol)
	if l.TeamID != 0 {
		return c, args
	}
	lo, hi := subtree(l.OrgPath)
	return "(" + c + " OR (" + teamCol + " = 0 AND " + orgCol + " IN (SELECT co.id FROM orgs co WHERE co.path >= ? AND co.path < ?)))",
		append(args, lo, hi)
}

// activities is a condition on activity a: not cancelled, starting in
// [from, to), and one the ledger's teams took part in or were credited
// with, or — for an org — one the subtree organised.
func (l LedgerOf) activities(from, to time.Time) (string, []any) {
	ts, targs := l.teamSet("x.team_id")
	cr, cargs := l.credited("tt.team_id", "tt.org_id")
	// Uncorrelated IN lists: both databases build each set once (from the
	// team indexes) and probe it per activity of the period.
	cond := "a.starts_at >= ? AND a.starts_at < ? AND a.state <> 'cancelled' AND (" +
		"a.id IN (SELECT x.activity_id FROM activity_teams x WHERE " + ts + ")" +
		" OR a.id IN (SELECT tt.activity_id FROM activity_totals tt WHERE " + cr + ")"
	args := append([]any{micros(from), micros(to)}, targs...)
	args = append(args, cargs...)
	if l.TeamID == 0 {
		lo, hi := subtree(l.OrgPath)
		cond += " OR a.org_id IN (SELECT ao.id FROM orgs ao WHERE ao.path >= ? AND ao.path < ?)"
		args = append(args, lo, hi)
	}
	return cond + ")", args
}

// LedgerActivity is one activity of a ledger with the person-times and
// minutes of the ledger's own people in it.
type LedgerActivity struct {
	ID            int64
	StartsAt      time.Time
	EndsAt        time.Time
	Title         string
	Place         string // address, or the site's or region's name
	OrgName       string // the organiser
	Teams         string // the teams taking part, by name
	OrderID       int64
	Own           bool // organised by the ledger's org subtree (org ledgers)
	PersonTimes   int64
	Minutes       domain.Minutes
	Beneficiaries int
}

// LedgerActivities returns the activities of a ledger in [from, to), by
// start.
func (s *Store) LedgerActivities(ctx context.Context, l LedgerOf, from, to time.Time) ([]LedgerActivity, error) {
	cond, args := l.activities(from, to)
	cr, cargs := l.credited("tt.team_id", "tt.org_id")
	own, oargs := "0 = 1", []any(nil)
	if l.TeamID == 0 {
		lo, hi := subtree(l.OrgPath)
		own, oargs = "o.path >= ? AND o.path < ?", []any{lo, hi}
	}
	q := `SELECT a.id, a.starts_at, a.ends_at, a.title, a.address, COALESCE(si.name, ''), COALESCE(r.name, ''), o.name,
		COALESCE(a.order_id, 0), CASE WHEN ` + own + ` THEN 1 ELSE 0 END,
		COALESCE((SELECT SUM(tt.person_times) FROM activity_totals tt WHERE tt.activity_id = a.id AND ` + cr + `), 0),
		COALESCE((SELECT SUM(tt.minutes) FROM activity_totals tt WHERE tt.activity_id = a.id AND ` + cr + `), 0),
		COALESCE((SELECT oc.beneficiaries FROM outcomes oc WHERE oc.activity_id = a.id), 0)
		FROM activities a JOIN orgs o ON o.id = a.org_id LEFT JOIN sites si ON si.id = a.site_id
		LEFT JOIN regions r ON r.id = a.region_id
		WHERE ` + cond + ` ORDER BY a.starts_at, a.id`
	all := append(append(append(oargs, cargs...), cargs...), args...)
	rows, err := s.query(ctx, q, all...)
	if err != nil {
		return nil, fmt.Errorf("ledger activities: %w", err)
	}
	defer rows.Close()
	var out []LedgerActivity
	for rows.Next() {
		var a LedgerActivity
		var starts, ends, minutes int64
		var addr, site, region string
		var own int
		if err := rows.Scan(&a.ID, &starts, &ends, &a.Title, &addr, &site, &region, &a.OrgName, &a.OrderID, &own,
			&a.PersonTimes, &minutes, &a.Beneficiaries); err != nil {
			return nil, err
		}
		a.StartsAt, a.EndsAt, a.Minutes, a.Own = fromMicros(starts), fromMicros(ends), domain.Minutes(minutes), own == 1
		a.Place = firstNonEmpty(addr, site, region)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.ledgerTeamNames(ctx, out)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// ledgerTeamNames fills in the teams taking part in each activity.
func (s *Store) ledgerTeamNames(ctx context.Context, acts []LedgerActivity) error {
	if len(acts) == 0 {
		return nil
	}
	at := map[int64]int{}
	ids := make([]int64, len(acts))
	for i, a := range acts {
		at[a.ID], ids[i] = i, a.ID
	}
	for start := 0; start < len(ids); start += 1000 {
		part := ids[start:min(len(ids), start+1000)]
		rows, err := s.query(ctx, `SELECT x.activity_id, t.name FROM activity_teams x JOIN teams t ON t.id = x.team_id
			WHERE x.activity_id IN (`+idList(part)+`) ORDER BY x.activity_id, t.name`)
		if err != nil {
			return fmt.Errorf("ledger teams: %w", err)
		}
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return err
			}
			a := &acts[at[id]]
			if a.Teams != "" {
				a.Teams += "、"
			}
			a.Teams += name
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// LedgerHours sums activity_hours — not the roll-up — by the ledger's
// condition, over the activities of the ledger in [from, to): the figure
// the ledger's totals must equal.
func (s *Store) LedgerHours(ctx context.Context, l LedgerOf, from, to time.Time) (personTimes int64, minutes domain.Minutes, err error) {
	cond, args := l.activities(from, to)
	cr, cargs := l.credited("COALESCE(h.team_id, 0)", "COALESCE(h.org_id, 0)")
	var m int64
	err = s.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(h.minutes), 0) FROM activity_hours h
		JOIN activities a ON a.id = h.activity_id WHERE `+cond+` AND `+cr, append(args, cargs...)...).Scan(&personTimes, &m)
	if err != nil {
		return 0, 0, fmt.Errorf("ledger hours: %w", err)
	}
	return personTimes, domain.Minutes(m), nil
}

// LedgerMember is one stay on the roster of a ledger's team that overlaps
// the year.
type LedgerMember struct {
	TeamName   string
	PersonID   int64
	PersonName string
	Phone      string // full: the service masks it
	Role       domain.MemberRole
	JoinedOn   string
	LeftOn     string
}

// LedgerRoster returns the stays of the ledger's teams that overlap the
// days fromDay..toDay (inclusive, YYYY-MM-DD).
func (s *Store) LedgerRoster(ctx context.Context, l LedgerOf, fromDay, toDay string) ([]LedgerMember, error) {
	ts, args := l.teamSet("m.team_id")
	rows, err := s.query(ctx, `SELECT t.name, p.id, p.name, `+personPhone+`, m.role, m.joined_on, m.left_on
		FROM team_members m JOIN teams t ON t.id = m.team_id JOIN people p ON p.id = m.person_id
		WHERE `+ts+` AND m.joined_on <= ? AND (m.left_on = '' OR m.left_on >= ?)
		ORDER BY t.name, CASE WHEN m.role = 'leader' THEN 0 ELSE 1 END, m.joined_on, p.name, m.id`,
		append(args, toDay, fromDay)...)
	if err != nil {
		return nil, fmt.Errorf("ledger roster: %w", err)
	}
	defer rows.Close()
	var out []LedgerMember
	for rows.Next() {
		var m LedgerMember
		var role string
		if err := rows.Scan(&m.TeamName, &m.PersonID, &m.PersonName, &m.Phone, &role, &m.JoinedOn, &m.LeftOn); err != nil {
			return nil, err
		}
		m.Role = domain.MemberRole(role)
		out = append(out, m)
	}
	return out, rows.Err()
}

// LedgerAttendance is one check-in/check-out pair of a ledger's person.
type LedgerAttendance struct {
	ActivityID int64
	Title      string
	Day        string
	PersonName string
	CheckIn    time.Time
	CheckOut   time.Time
}

// LedgerAttendance returns the attendance in the ledger's activities of
// [from, to) by the people whose service the ledger counts (by their hours
// once recorded, else by the team they signed up with), at most limit rows
// (0: all), and how many there are in all.
func (s *Store) LedgerAttendance(ctx context.Context, l LedgerOf, from, to time.Time, limit int) ([]LedgerAttendance, int, error) {
	cond, args := l.activities(from, to)
	cr, cargs := l.credited("COALESCE(h.team_id, sg.team_id, 0)", "COALESCE(h.org_id, sg.org_id, 0)")
	from_ := ` FROM attendance at JOIN activities a ON a.id = at.activity_id JOIN people p ON p.id = at.person_id
		LEFT JOIN activity_hours h ON h.activity_id = at.activity_id AND h.person_id = at.person_id
		LEFT JOIN signups sg ON sg.activity_id = at.activity_id AND sg.person_id = at.person_id
		WHERE ` + cond + ` AND ` + cr
	all := append(args, cargs...)
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*)"+from_, all...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count ledger attendance: %w", err)
	}
	q := "SELECT a.id, a.title, at.day, p.name, at.check_in, at.check_out" + from_ +
		" ORDER BY a.starts_at, a.id, at.day, p.name, at.pair"
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := s.query(ctx, q, all...)
	if err != nil {
		return nil, 0, fmt.Errorf("ledger attendance: %w", err)
	}
	defer rows.Close()
	var out []LedgerAttendance
	for rows.Next() {
		var x LedgerAttendance
		var in, outAt int64
		if err := rows.Scan(&x.ActivityID, &x.Title, &x.Day, &x.PersonName, &in, &outAt); err != nil {
			return nil, 0, err
		}
		x.CheckIn, x.CheckOut = fromMicros(in), fromMicros(outAt)
		out = append(out, x)
	}
	return out, total, rows.Err()
}

// LedgerOutcome is the outcome of one of a ledger's activities.
type LedgerOutcome struct {
	ActivityID    int64
	Title         string
	StartsAt      time.Time
	Beneficiaries int
	Narrative     string
	Values        []domain.OutcomeValue
}

// LedgerOutcomes returns the outcomes of the ledger's activities of [from,
// to), by start, with their metric values (hundredths of the unit).
func (s *Store) LedgerOutcomes(ctx context.Context, l LedgerOf, from, to time.Time) ([]LedgerOutcome, error) {
	cond, args := l.activities(from, to)
	rows, err := s.query(ctx, `SELECT a.id, a.title, a.starts_at, oc.beneficiaries, oc.narrative
		FROM outcomes oc JOIN activities a ON a.id = oc.activity_id WHERE `+cond+` ORDER BY a.starts_at, a.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("ledger outcomes: %w", err)
	}
	var out []LedgerOutcome
	at := map[int64]int{}
	for rows.Next() {
		var o LedgerOutcome
		var starts int64
		if err := rows.Scan(&o.ActivityID, &o.Title, &starts, &o.Beneficiaries, &o.Narrative); err != nil {
			rows.Close()
			return nil, err
		}
		o.StartsAt = fromMicros(starts)
		at[o.ActivityID] = len(out)
		out = append(out, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	vrows, err := s.query(ctx, `SELECT v.activity_id, v.metric_id, v.value FROM outcome_values v
		JOIN activities a ON a.id = v.activity_id JOIN metrics mt ON mt.id = v.metric_id
		WHERE `+cond+` ORDER BY v.activity_id, mt.sort, mt.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("ledger outcome values: %w", err)
	}
	defer vrows.Close()
	for vrows.Next() {
		var id int64
		var v domain.OutcomeValue
		if err := vrows.Scan(&id, &v.MetricID, &v.Value); err != nil {
			return nil, err
		}
		if i, ok := at[id]; ok {
			out[i].Values = append(out[i].Values, v)
		}
	}
	return out, vrows.Err()
}

// LedgerEvaluation is the evaluation of an order a ledger's teams served.
type LedgerEvaluation struct {
	OrderID       int64
	Rating        int
	Comment       string
	Complaint     bool
	ComplaintText string
	Answer        string
	CreatedAt     time.Time
	AnsweredAt    time.Time
}

// LedgerEvaluations returns the evaluations of the orders served by the
// ledger's activities of [from, to).
func (s *Store) LedgerEvaluations(ctx context.Context, l LedgerOf, from, to time.Time) ([]LedgerEvaluation, error) {
	cond, args := l.activities(from, to)
	rows, err := s.query(ctx, `SELECT e.order_id, e.rating, e.comment, e.complaint, e.complaint_text, e.answer, e.created_at, e.answered_at
		FROM evaluations e WHERE e.order_id IN (SELECT a.order_id FROM activities a WHERE a.order_id IS NOT NULL AND `+cond+`)
		ORDER BY e.created_at, e.order_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("ledger evaluations: %w", err)
	}
	defer rows.Close()
	var out []LedgerEvaluation
	for rows.Next() {
		var e LedgerEvaluation
		var created, answered int64
		if err := rows.Scan(&e.OrderID, &e.Rating, &e.Comment, &e.Complaint, &e.ComplaintText, &e.Answer, &created, &answered); err != nil {
			return nil, err
		}
		e.CreatedAt, e.AnsweredAt = fromMicros(created), fromMicros(answered)
		out = append(out, e)
	}
	return out, rows.Err()
}

// LedgerRecord is a training or an award of a member of a ledger's team.
type LedgerRecord struct {
	PersonName string
	Day        string
	Title      string // the subject of a training, the title of an award
	Extra      string // the award's issuer; a training's hours (Minutes.Hours)
}

// LedgerTrainings and LedgerAwards return the trainings held and awards
// given in fromDay..toDay to people who were members of the ledger's teams
// at some time in those days.
func (s *Store) LedgerTrainings(ctx context.Context, l LedgerOf, fromDay, toDay string) ([]LedgerRecord, error) {
	return s.ledgerRecords(ctx, l, fromDay, toDay, `SELECT p.name, x.held_on, x.subject, x.minutes
		FROM trainings x JOIN people p ON p.id = x.person_id WHERE x.held_on >= ? AND x.held_on <= ?`, "x.held_on", true)
}

func (s *Store) LedgerAwards(ctx context.Context, l LedgerOf, fromDay, toDay string) ([]LedgerRecord, error) {
	return s.ledgerRecords(ctx, l, fromDay, toDay, `SELECT p.name, x.awarded_on, x.title, x.issuer
		FROM awards x JOIN people p ON p.id = x.person_id WHERE x.awarded_on >= ? AND x.awarded_on <= ?`, "x.awarded_on", false)
}

func (s *Store) ledgerRecords(ctx context.Context, l LedgerOf, fromDay, toDay, q, dayCol string, minutes bool) ([]LedgerRecord, error) {
	ts, targs := l.teamSet("m.team_id")
	q += ` AND x.person_id IN (SELECT m.person_id FROM team_members m WHERE ` + ts +
		` AND m.joined_on <= ? AND (m.left_on = '' OR m.left_on >= ?)) ORDER BY ` + dayCol + `, p.name, x.id`
	args := append([]any{fromDay, toDay}, targs...)
	rows, err := s.query(ctx, q, append(args, toDay, fromDay)...)
	if err != nil {
		return nil, fmt.Errorf("ledger records: %w", err)
	}
	defer rows.Close()
	var out []LedgerRecord
	for rows.Next() {
		var r LedgerRecord
		if minutes {
			var m int64
			if err := rows.Scan(&r.PersonName, &r.Day, &r.Title, &m); err != nil {
				return nil, err
			}
			r.Extra = domain.Minutes(m).Hours()
		} else if err := rows.Scan(&r.PersonName, &r.Day, &r.Title, &r.Extra); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
