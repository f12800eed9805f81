package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"vanguard/domain"
)

// PastActivity is an activity with its sign-ups and attendance, loaded
// whole: the demo city's year of service. A completed one gets its hours
// recorded as CompleteActivity would.
type PastActivity struct {
	Input      domain.ActivityInput // normalised and valid
	OrgID      int64
	State      domain.ActivityState
	CreatedAt  time.Time // when it was planned; zero: a week before it starts (never after the load)
	Signups    []PastSignup
	Attendance []PastAttendance
	ID         int64 // set by LoadPastActivities
	// Minutes is what each attended person earned, set by
	// LoadPastActivities for a completed activity: one entry per person-time.
	Minutes map[int64]domain.Minutes
}

// PastSignup is one sign-up of a PastActivity.
type PastSignup struct {
	PersonID int64
	TeamID   int64
	State    domain.SignupState
	At       time.Time
}

// PastAttendance is one check-in/check-out pair of a PastActivity; Out is
// zero while checked in.
type PastAttendance struct {
	PersonID  int64
	In, Out   time.Time
	MethodIn  domain.AttendanceMethod
	MethodOut domain.AttendanceMethod
}

// LoadPastActivities inserts activities with their sign-ups, attendance and
// recorded hours in tx, setting each one's ID and Hours, and audits the load
// as one entry. The confirmed sign-ups of each must fit its capacity, and
// each person has at most MaxPairsPerDay pairs a day. Everything goes in a
// few multi-row statements (the activities' ids reserved first), which
// keeps a year of a city's service a fraction of a second.
func (tx *Tx) LoadPastActivities(as []*PastActivity) error {
	if len(as) == 0 {
		return nil
	}
	ids, err := tx.newIDs("activities", len(as))
	if err != nil {
		return err
	}
	var acts, cats, teams, signups, attendance, hours [][]any
	people, personTimes := 0, 0
	for i, a := range as {
		a.ID = ids[i]
		row, err := tx.pastActivityRow(a)
		if err != nil {
			return fmt.Errorf("past activity %q: %w", a.Input.Title, err)
		}
		acts = append(acts, row)
		for _, c := range a.Input.CategoryIDs {
			cats = append(cats, []any{a.ID, c})
		}
		for _, t := range a.Input.TeamIDs {
			teams = append(teams, []any{a.ID, t})
		}
		rows, err := pastActivityRows(a)
		if err != nil {
			return fmt.Errorf("past activity %q: %w", a.Input.Title, err)
		}
		signups = append(signups, rows.signups...)
		attendance = append(attendance, rows.attendance...)
		hours = append(hours, rows.hours...)
		people += len(a.Signups)
		personTimes += len(rows.hours)
	}
	for _, b := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"activities", []string{"id", "title", "mode", "state", "org_id", "team_id", "order_id", "site_id", "region_id",
			"address", "starts_at", "ends_at", "cancel_cutoff", "capacity", "taken", "skills", "description", "created_at",
			"updated_at", "completed_at"}, acts},
		{"activity_categories", []string{"activity_id", "category_id"}, cats},
		{"activity_teams", []string{"activity_id", "team_id"}, teams},
		{"signups", []string{"activity_id", "person_id", "team_id", "state", "queued_at", "created_at", "updated_at"}, signups},
		{"attendance", []string{"activity_id", "person_id", "day", "pair", "check_in", "check_out", "method_in", "method_out"}, attendance},
		{"activity_hours", []string{"activity_id", "person_id", "team_id", "minutes", "recorded_at"}, hours},
	} {
		if err := tx.insertRows(b.table, b.cols, b.rows); err != nil {
			return err
		}
	}
	if err := tx.creditOrgs(slices.Min(ids), slices.Max(ids)); err != nil {
		return err
	}
	if err := tx.refreshActivityTotals(slices.Min(ids), slices.Max(ids)); err != nil {
		return err
	}
	return tx.Audit("activity.load", "activity", "", nil, map[string]any{"activities": len(as), "signups": people,
		"attendance": len(attendance), "person_times": personTimes})
}

// pastActivityRow is the activities row of a, whose ID is set.
func (tx *Tx) pastActivityRow(a *PastActivity) ([]any, error) {
	in := a.Input
	taken := 0
	for _, g := range a.Signups {
		if g.State == domain.SignupConfirmed {
			taken++
		}
	}
	if taken > in.Capacity {
		return nil, fmt.Errorf("%d confirmed for %d places", taken, in.Capacity)
	}
	completed := int64(0)
	if a.State == domain.ActivityCompleted {
		completed = micros(in.EndsAt)
	}
	created := a.CreatedAt
	if created.IsZero() {
		created = in.StartsAt.Add(-7 * 24 * time.Hour)
	}
	if created.After(tx.now) {
		created = tx.now
	}
	return []any{a.ID, in.Title, string(in.Mode), string(a.State), a.OrgID, nullID(in.TeamID), nullID(in.OrderID),
		nullID(in.SiteID), nullID(in.RegionID), in.Address, micros(in.StartsAt), micros(in.EndsAt),
		micros(in.CancelCutoff(created)), in.Capacity, taken, strings.Join(in.Skills, "\n"), in.Description, micros(created),
		micros(created), completed}, nil
}

// newIDs reserves n ids of table (one whose id is {{ID}}) for rows this
// transaction inserts with their ids: one round trip instead of one per
// row. On SQLite the transaction holds the write lock, so the ids after the
// highest ever given are free; on PostgreSQL they come from the identity
// sequence.
func (tx *Tx) newIDs(table string, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if tx.s.Dialect == Postgres {
		// table is a constant of this package, never input.
		rows, err := tx.query("SELECT nextval(pg_get_serial_sequence('"+table+"', 'id')) FROM generate_series(1, ?)", n)
		if err != nil {
			return nil, fmt.Errorf("new ids for %s: %w", table, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if len(ids) != n {
			return nil, fmt.Errorf("new ids for %s: %d of %d", table, len(ids), n)
		}
		return ids, nil
	}
	var last int64
	if err := tx.queryRow("SELECT MAX(COALESCE((SELECT MAX(id) FROM "+table+"), 0), COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0))",
		table).Scan(&last); err != nil {
		return nil, fmt.Errorf("new ids for %s: %w", table, err)
	}
	for i := 1; i <= n; i++ {
		ids = append(ids, last+int64(i))
	}
	return ids, nil
}

type pastRows struct{ signups, attendance, hours [][]any }

// pastActivityRows are the rows of a's sign-ups, attendance and (when it is
// completed) hours; it sets a.Minutes.
func pastActivityRows(a *PastActivity) (pastRows, error) {
	var out pastRows
	in := a.Input
	teamOf := map[int64]int64{}
	for _, g := range a.Signups {
		if _, dup := teamOf[g.PersonID]; dup {
			return out, fmt.Errorf("person %d signed up twice", g.PersonID)
		}
		teamOf[g.PersonID] = g.TeamID
		out.signups = append(out.signups, []any{a.ID, g.PersonID, nullID(g.TeamID), string(g.State), micros(g.At),
			micros(g.At), micros(g.At)})
	}
	pairs := map[int64][]domain.Attendance{}
	perDay := map[string]int{}
	for _, p := range a.Attendance {
		day := domain.ChinaDay(p.In)
		key := fmt.Sprint(p.PersonID, day)
		perDay[key]++
		if perDay[key] > domain.MaxPairsPerDay {
			return out, fmt.Errorf("person %d: more than %d pairs on %s", p.PersonID, domain.MaxPairsPerDay, day)
		}
		out.attendance = append(out.attendance, []any{a.ID, p.PersonID, day, perDay[key], micros(p.In), micros(p.Out),
			string(p.MethodIn), string(p.MethodOut)})
		pairs[p.PersonID] = append(pairs[p.PersonID], domain.Attendance{PersonID: p.PersonID, CheckIn: p.In, CheckOut: p.Out})
	}
	if a.State != domain.ActivityCompleted {
		return out, nil
	}
	ids := make([]int64, 0, len(pairs))
	for p := range pairs {
		ids = append(ids, p)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	a.Minutes = make(map[int64]domain.Minutes, len(ids))
	for _, p := range ids {
		m := domain.AttendedMinutes(in.StartsAt, in.EndsAt, pairs[p])
		if m <= 0 {
			continue // as CompleteActivity: no time served, no person-time
		}
		a.Minutes[p] = m
		out.hours = append(out.hours, []any{a.ID, p, nullID(teamOf[p]), int64(m), micros(in.EndsAt)})
	}
	return out, nil
}

// ServedOrder is an order that was served, with what the activity that
// served it needs: its place, dates, group of teams and categories, and the
// times it was confirmed and served.
type ServedOrder struct {
	ID               int64
	SiteID, RegionID int64
	Address          string
	DateFrom, DateTo string
	Beneficiaries    int
	Need             string
	ItemTitles       []string
	CategoryIDs      []int64 // of the confirmed dispatches
	TeamIDs          []int64 // the teams that confirmed, in dispatch order
	ConfirmedAt      time.Time
	ServedAt         time.Time
}

// ServedOrders lists the orders that reached served (or evaluated), in id
// order, for the demo to give each one its activity.
func (tx *Tx) ServedOrders() ([]ServedOrder, error) {
	rows, err := tx.query(`SELECT id, COALESCE(site_id, 0), COALESCE(region_id, 0), address, date_from, date_to,
		beneficiaries, need FROM orders WHERE state IN ('served', 'evaluated') ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("served orders: %w", err)
	}
	var out []ServedOrder
	at := map[int64]int{}
	for rows.Next() {
		var o ServedOrder
		if err := rows.Scan(&o.ID, &o.SiteID, &o.RegionID, &o.Address, &o.DateFrom, &o.DateTo, &o.Beneficiaries, &o.Need); err != nil {
			rows.Close()
			return nil, err
		}
		at[o.ID] = len(out)
		out = append(out, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, tx.servedOrderDetails(out, at)
}

// servedOrderDetails fills the orders' item titles, confirmed dispatches and
// confirm and serve times.
func (tx *Tx) servedOrderDetails(out []ServedOrder, at map[int64]int) error {
	rows, err := tx.query(`SELECT oi.order_id, m.title FROM order_items oi JOIN menu_items m ON m.id = oi.menu_item_id
		JOIN orders o ON o.id = oi.order_id WHERE o.state IN ('served', 'evaluated') ORDER BY oi.order_id, m.id`)
	if err != nil {
		return fmt.Errorf("served orders: %w", err)
	}
	for rows.Next() {
		var id int64
		var title string
		if err := rows.Scan(&id, &title); err != nil {
			rows.Close()
			return err
		}
		if i, ok := at[id]; ok {
			out[i].ItemTitles = append(out[i].ItemTitles, title)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.query(`SELECT d.order_id, d.category_id, d.team_id FROM dispatches d JOIN orders o ON o.id = d.order_id
		WHERE o.state IN ('served', 'evaluated') AND d.state = 'confirmed' ORDER BY d.order_id, d.id`)
	if err != nil {
		return fmt.Errorf("served orders: %w", err)
	}
	for rows.Next() {
		var id, cat, team int64
		if err := rows.Scan(&id, &cat, &team); err != nil {
			rows.Close()
			return err
		}
		if i, ok := at[id]; ok {
			o := &out[i]
			if !containsID(o.CategoryIDs, cat) {
				o.CategoryIDs = append(o.CategoryIDs, cat)
			}
			if !containsID(o.TeamIDs, team) {
				o.TeamIDs = append(o.TeamIDs, team)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.query(`SELECT s.order_id, s.event, s.at FROM order_steps s JOIN orders o ON o.id = s.order_id
		WHERE o.state IN ('served', 'evaluated') AND s.event IN ('confirm', 'serve') ORDER BY s.order_id, s.id`)
	if err != nil {
		return fmt.Errorf("served orders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, t int64
		var event string
		if err := rows.Scan(&id, &event, &t); err != nil {
			return err
		}
		if i, ok := at[id]; ok {
			if domain.OrderEvent(event) == domain.EventServe {
				out[i].ServedAt = fromMicros(t)
			} else {
				out[i].ConfirmedAt = fromMicros(t)
			}
		}
	}
	return rows.Err()
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// RecordedMinutes is the time recorded for an activity on its completion,
// by person: one entry per person-time.
func (s *Store) RecordedMinutes(ctx context.Context, activityID int64) (map[int64]domain.Minutes, error) {
	rows, err := s.query(ctx, "SELECT person_id, minutes FROM activity_hours WHERE activity_id = ?", activityID)
	if err != nil {
		return nil, fmt.Errorf("recorded hours: %w", err)
	}
	defer rows.Close()
	out := map[int64]domain.Minutes{}
	for rows.Next() {
		var p int64
		var h domain.Minutes
		if err := rows.Scan(&p, &h); err != nil {
			return nil, err
		}
		out[p] = h
	}
	return out, rows.Err()
}

// creditOrgs sets the credited org of the sign-ups and hours of activities
// lo..hi loaded in bulk: the org of the team each person came with, or the
// person's own org when they came with none.
func (tx *Tx) creditOrgs(lo, hi int64) error {
	for _, table := range []string{"signups", "activity_hours"} {
		if _, err := tx.exec(`UPDATE `+table+` SET org_id = COALESCE((SELECT t.org_id FROM teams t WHERE t.id = `+table+`.team_id),
			(SELECT p.org_id FROM people p WHERE p.id = `+table+`.person_id)) WHERE activity_id BETWEEN ? AND ? AND org_id IS NULL`, lo, hi); err != nil {
			return fmt.Errorf("credit orgs: %w", err)
		}
	}
	return nil
}
