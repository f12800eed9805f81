package store

import (
	"context"
	"fmt"
)

// The statistics roll-up: activity_totals holds activity_hours grouped by
// activity, team and credited org (migration 025). It is derived data with
// one rule: every statement that writes activity_hours calls
// refreshActivityTotals for the activities it touched, in the same
// transaction, so the roll-up can never disagree with the hours a
// committed transaction left. RebuildActivityTotals recomputes it all, for
// bulk loaders that write activity_hours by COPY.

// totalsSelect groups activity_hours into activity_totals rows; the caller
// adds a WHERE clause between it and totalsGroup.
const (
	totalsSelect = `INSERT INTO activity_totals (activity_id, team_id, org_id, person_times, minutes)
	SELECT activity_id, COALESCE(team_id, 0), COALESCE(org_id, 0), COUNT(*), SUM(minutes) FROM activity_hours`
	totalsGroup = ` GROUP BY activity_id, COALESCE(team_id, 0), COALESCE(org_id, 0)`
)

// refreshActivityTotals recomputes the roll-up of activities lo..hi.
func (tx *Tx) refreshActivityTotals(lo, hi int64) error {
	if _, err := tx.exec("DELETE FROM activity_totals WHERE activity_id BETWEEN ? AND ?", lo, hi); err != nil {
		return fmt.Errorf("refresh activity totals: %w", err)
	}
	if _, err := tx.exec(totalsSelect+" WHERE activity_id BETWEEN ? AND ?"+totalsGroup, lo, hi); err != nil {
		return fmt.Errorf("refresh activity totals: %w", err)
	}
	return nil
}

// RebuildActivityTotals recomputes the whole statistics roll-up from
// activity_hours. Bulk loaders that write activity_hours outside a Tx call
// it when they finish.
func (s *Store) RebuildActivityTotals(ctx context.Context) error {
	return s.Housekeep(ctx, func(tx *Tx) error {
		if _, err := tx.exec("DELETE FROM activity_totals"); err != nil {
			return fmt.Errorf("rebuild activity totals: %w", err)
		}
		if _, err := tx.exec(totalsSelect + totalsGroup); err != nil {
			return fmt.Errorf("rebuild activity totals: %w", err)
		}
		return nil
	})
}

// TotalsRow is one row of the statistics roll-up.
type TotalsRow struct {
	ActivityID, TeamID, OrgID int64
	PersonTimes, Minutes      int64
}

// ActivityTotals returns the roll-up as stored (stored is true) or as a
// full recomputation from activity_hours, ordered by key, for the test
// that holds the two equal.
func (s *Store) ActivityTotals(ctx context.Context, stored bool) ([]TotalsRow, error) {
	q := `SELECT activity_id, team_id, org_id, person_times, minutes FROM activity_totals ORDER BY 1, 2, 3`
	if !stored {
		q = `SELECT activity_id, COALESCE(team_id, 0), COALESCE(org_id, 0), COUNT(*), SUM(minutes) FROM activity_hours` +
			totalsGroup + ` ORDER BY 1, 2, 3`
	}
	rows, err := s.query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("activity totals: %w", err)
	}
	defer rows.Close()
	var out []TotalsRow
	for rows.Next() {
		var r TotalsRow
		if err := rows.Scan(&r.ActivityID, &r.TeamID, &r.OrgID, &r.PersonTimes, &r.Minutes); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// groupServiceCond holds when activity a (the alias must be a) is a group
// service (组团式服务) in the seed's sense: it was held (completed) for an
// order that was served, and two or more teams took part in it. The
// statistics, the assessment and the annual report all count group services
// by this one condition.
const groupServiceCond = `a.state = 'completed' AND a.order_id IS NOT NULL
	AND EXISTS (SELECT 1 FROM orders go WHERE go.id = a.order_id AND go.state IN ('served', 'evaluated'))
	AND (SELECT COUNT(*) FROM activity_teams gx WHERE gx.activity_id = a.id) >= 2`

// CheckActivityTotals compares the roll-up with a full recomputation and
// says where they first differ; nil when they agree row for row.
func (s *Store) CheckActivityTotals(ctx context.Context) error {
	stored, err := s.ActivityTotals(ctx, true)
	if err != nil {
		return err
	}
	fresh, err := s.ActivityTotals(ctx, false)
	if err != nil {
		return err
	}
	for i := 0; i < max(len(stored), len(fresh)); i++ {
		switch {
		case i >= len(stored):
			return fmt.Errorf("activity %d: hours with no roll-up row", fresh[i].ActivityID)
		case i >= len(fresh):
			return fmt.Errorf("activity %d: a roll-up row with no hours", stored[i].ActivityID)
		case stored[i] != fresh[i]:
			return fmt.Errorf("activity %d: roll-up %+v, hours say %+v", fresh[i].ActivityID, stored[i], fresh[i])
		}
	}
	return nil
}
