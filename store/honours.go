package store

import (
	"context"
	"fmt"
	"time"

	"vanguard/domain"
)

// Honour is one line of the yearly list of top volunteers (推先评优).
type Honour struct {
	PersonID    int64
	Name        string
	Org         string
	Team        string
	Minutes     domain.Minutes
	PersonTimes int
	Points      int64 // earned in the year: spending does not count
}

// Honours lists the top volunteers of a China-time year by hours (or by
// points earned that year when byPoints), counting the service credited
// within the scope: to its teams, or to its orgs' teams and, without a
// team, to a person's own org.
func (s *Store) Honours(ctx context.Context, sc domain.Scope, year int, byPoints bool, limit int) ([]Honour, error) {
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	lo := micros(time.Date(year, 1, 1, 0, 0, 0, 0, domain.ChinaZone))
	hi := micros(time.Date(year+1, 1, 1, 0, 0, 0, 0, domain.ChinaZone))
	cond, args := inScope("COALESCE(tog.path, po.path)", "h.team_id", sc)
	order := "5 DESC, 7 DESC, 1"
	if byPoints {
		order = "7 DESC, 5 DESC, 1"
	}
	rows, err := s.query(ctx, fmt.Sprintf(`SELECT h.person_id, p.name, po.name, COALESCE(MAX(t.name), ''),
		SUM(h.minutes), COUNT(*), COALESCE((SELECT SUM(l.points) FROM points_ledger l WHERE l.person_id = h.person_id
			AND l.cause NOT IN (?, ?) AND l.created_at >= ? AND l.created_at < ?), 0)
		FROM activity_hours h JOIN activities a ON a.id = h.activity_id JOIN people p ON p.id = h.person_id
		JOIN orgs po ON po.id = p.org_id LEFT JOIN teams t ON t.id = h.team_id LEFT JOIN orgs tog ON tog.id = t.org_id
		WHERE a.starts_at >= ? AND a.starts_at < ? AND h.minutes > 0 AND %s
		GROUP BY h.person_id, p.name, po.name ORDER BY %s LIMIT %d`, cond, order, limit),
		append([]any{PointsRedeem, PointsRedeemCancel, lo, hi, lo, hi}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("honours: %w", err)
	}
	defer rows.Close()
	var out []Honour
	for rows.Next() {
		var h Honour
		if err := rows.Scan(&h.PersonID, &h.Name, &h.Org, &h.Team, &h.Minutes, &h.PersonTimes, &h.Points); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
