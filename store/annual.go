package store

import (
	"context"
	"fmt"
	"time"

	"vanguard/domain"
)

// The annual report's figures that the statistics do not give: orders by
// channel, activities by mode, each group service, the year's campaigns and
// brand projects, the orgs that served and complaints by theme. They follow
// the counting rules of stats.go and reuse its conditions, so that the
// report and the statistics page agree.

// AnnualCounts counts the query's orders by channel (received in the
// window) and its activities held by mode.
func (s *Store) AnnualCounts(ctx context.Context, q StatsQuery) (channels, modes map[string]int, err error) {
	cond, args := statsOrderCond(q, true)
	channels, err = scanCounts(s.query(ctx, `SELECT x.channel, COUNT(*)`+statsOrderFrom+` WHERE `+cond+` GROUP BY x.channel`, args...))
	if err != nil {
		return nil, nil, fmt.Errorf("orders by channel: %w", err)
	}
	acond, aargs := statsActCond(q, true)
	modes, err = scanCounts(s.query(ctx, `SELECT a.mode, COUNT(*)`+statsActFrom+` WHERE `+acond+` GROUP BY a.mode`, aargs...))
	if err != nil {
		return nil, nil, fmt.Errorf("activities by mode: %w", err)
	}
	return channels, modes, nil
}

// AnnualGroup is one group service (组团式服务) of the report.
type AnnualGroup struct {
	ActivityID    int64
	Title         string
	StartsAt      time.Time
	Teams         []string
	PersonTimes   int64 // credited within the query's scope, as the statistics count them
	Beneficiaries int64
}

// AnnualGroups lists the query's limit group services with the most
// person-times credited within its scope (ties by date, then title), and
// how many group services there are in all. A province holds tens of
// thousands of them a year, so the ranking, the cap and the count are done
// by the database in one statement, and only the listed ones' teams are read.
func (s *Store) AnnualGroups(ctx context.Context, q StatsQuery, limit int) ([]AnnualGroup, int, error) {
	cond, args := statsActCond(q, true)
	credit, cargs := creditCond(q)
	// One pass: each group service with its roll-up rows, summed where they
	// are credited to the scope, ranked and counted (COUNT(*) OVER () is
	// taken before the LIMIT); the beneficiaries of the listed ones only.
	rows, err := s.query(ctx, `SELECT r.id, r.title, r.starts_at, r.n,
		COALESCE((SELECT oc.beneficiaries FROM outcomes oc WHERE oc.activity_id = r.id), 0), r.total
		FROM (SELECT a.id, a.title, a.starts_at, COALESCE(SUM(CASE WHEN `+credit+` THEN t.person_times ELSE 0 END), 0) AS n,
			COUNT(*) OVER () AS total`+statsActFrom+`
			LEFT JOIN activity_totals t ON t.activity_id = a.id LEFT JOIN orgs co ON co.id = t.org_id
			WHERE `+cond+` AND `+groupServiceCond+`
			GROUP BY a.id, a.title, a.starts_at ORDER BY 4 DESC, a.starts_at, a.title, a.id LIMIT ?) r
		ORDER BY r.n DESC, r.starts_at, r.title, r.id`, append(append(cargs, args...), limit)...)
	if err != nil {
		return nil, 0, fmt.Errorf("group services: %w", err)
	}
	var out []AnnualGroup
	total := 0
	at := map[int64]int{}
	for rows.Next() {
		var g AnnualGroup
		var starts int64
		if err := rows.Scan(&g.ActivityID, &g.Title, &starts, &g.PersonTimes, &g.Beneficiaries, &total); err != nil {
			rows.Close()
			return nil, 0, err
		}
		g.StartsAt = fromMicros(starts)
		at[g.ActivityID] = len(out)
		out = append(out, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, total, err
	}
	ids := make([]int64, len(out))
	for i, g := range out {
		ids[i] = g.ActivityID
	}
	err = s.eachRow(ctx, "group service teams", `SELECT x.activity_id, t.name FROM activity_teams x
		JOIN teams t ON t.id = x.team_id WHERE x.activity_id IN (`+idList(ids)+`) ORDER BY x.activity_id, t.name`,
		func(scan func(...any) error) error {
			var id int64
			var name string
			if err := scan(&id, &name); err != nil {
				return err
			}
			g := &out[at[id]]
			g.Teams = append(g.Teams, name)
			return nil
		})
	return out, total, err
}

// annualActivityCond keeps the activities held in the window that the
// query's scope organised or took part in.
func annualActivityCond(q StatsQuery) (string, []any) {
	cond := "a.state = 'completed' AND a.starts_at >= ? AND a.starts_at < ?"
	args := []any{micros(q.From), micros(q.To)}
	if q.Scope.All {
		return cond, args
	}
	c, a := scopeOr(q.Scope, "so.path", func(marks string) string { return "st.id IN (" + marks + ")" })
	c2, a2 := scopeOr(q.Scope, "o2.path", func(marks string) string { return "a.team_id IN (" + marks + ")" })
	cond += ` AND (EXISTS (SELECT 1 FROM orgs o2 WHERE o2.id = a.org_id AND ` + c2 + `)
		OR EXISTS (SELECT 1 FROM activity_teams sx JOIN teams st ON st.id = sx.team_id JOIN orgs so ON so.id = st.org_id
		WHERE sx.activity_id = a.id AND ` + c + `))`
	return cond, append(append(args, a2...), a...)
}

// AnnualCampaigns sums, per campaign, the activities of the query's window
// and scope in its batches, and counts the batches they fall in.
func (s *Store) AnnualCampaigns(ctx context.Context, q StatsQuery) (map[int64]*domain.Sums, map[int64]int, error) {
	cond, args := annualActivityCond(q)
	cond += " AND a.batch_id IS NOT NULL"
	sums, err := s.sumsByJoin(ctx, "JOIN campaign_batches cb ON cb.id = a.batch_id", "cb.campaign_id", cond, args)
	if err != nil {
		return nil, nil, fmt.Errorf("campaigns of the year: %w", err)
	}
	rows, err := s.query(ctx, `SELECT cb.campaign_id, COUNT(DISTINCT a.batch_id) FROM activities a
		JOIN campaign_batches cb ON cb.id = a.batch_id WHERE `+cond+` GROUP BY cb.campaign_id`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("batches of the year: %w", err)
	}
	defer rows.Close()
	batches := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, nil, err
		}
		batches[id] = n
	}
	return sums, batches, rows.Err()
}

// AnnualProjects sums, per brand project, its activities of the query's
// window and scope.
func (s *Store) AnnualProjects(ctx context.Context, q StatsQuery) (map[int64]*domain.Sums, error) {
	cond, args := annualActivityCond(q)
	sums, err := s.sumsBy(ctx, "a.project_id", cond+" AND a.project_id IS NOT NULL", args)
	if err != nil {
		return nil, fmt.Errorf("projects of the year: %w", err)
	}
	return sums, nil
}

// AnnualServingOrgs lists the orgs that organised an activity held in the
// window or were credited with service on one (in any scope: the service
// keeps the units of its own).
func (s *Store) AnnualServingOrgs(ctx context.Context, q StatsQuery) ([]int64, error) {
	// Org by org, each probe stopping at its first record (by the indexes
	// on activities (org_id, starts_at) and activity_totals (org_id)): a
	// province's 20,000 orgs take far less than the union of the year's
	// activities and roll-up rows it replaces.
	rows, err := s.query(ctx, `SELECT o.id FROM orgs o
		WHERE (SELECT 1 FROM activities a WHERE a.org_id = o.id AND a.state = 'completed'
			AND a.starts_at >= ? AND a.starts_at < ? LIMIT 1) IS NOT NULL
		OR (SELECT 1 FROM activity_totals t JOIN activities a ON a.id = t.activity_id WHERE t.org_id = o.id
			AND a.state = 'completed' AND a.starts_at >= ? AND a.starts_at < ? LIMIT 1) IS NOT NULL`,
		micros(q.From), micros(q.To), micros(q.From), micros(q.To))
	if err != nil {
		return nil, fmt.Errorf("serving orgs: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ComplaintTheme is a group of complaints made in the window: by the
// category of the order's items or by the order's site.
type ComplaintTheme struct {
	By   string // "category" or "site"
	ID   int64
	Name string // the site's name; categories are named by the service
	N    int
}

// AnnualComplaints counts the complaints made in the window on the
// query's orders by category and by site.
func (s *Store) AnnualComplaints(ctx context.Context, q StatsQuery) ([]ComplaintTheme, error) {
	all, args := statsOrderCond(q, false)
	within := `FROM evaluations e WHERE e.complaint AND e.created_at >= ? AND e.created_at < ?
		AND e.order_id IN (SELECT x.id` + statsOrderFrom + ` WHERE ` + all + `)`
	wargs := append([]any{micros(q.From), micros(q.To)}, args...)
	var out []ComplaintTheme
	for _, part := range []struct{ by, sql string }{
		{"category", `SELECT m.category_id, '', COUNT(DISTINCT e.id) FROM order_items oi JOIN menu_items m ON m.id = oi.menu_item_id
			JOIN (SELECT e.id, e.order_id ` + within + `) e ON e.order_id = oi.order_id GROUP BY m.category_id ORDER BY 3 DESC, 1`},
		{"site", `SELECT sx.id, sx.name, COUNT(*) FROM orders ox JOIN sites sx ON sx.id = ox.site_id
			JOIN (SELECT e.id, e.order_id ` + within + `) e ON e.order_id = ox.id GROUP BY sx.id, sx.name ORDER BY 3 DESC, 1`},
	} {
		rows, err := s.query(ctx, part.sql, wargs...)
		if err != nil {
			return nil, fmt.Errorf("complaints by %s: %w", part.by, err)
		}
		for rows.Next() {
			c := ComplaintTheme{By: part.by}
			if err := rows.Scan(&c.ID, &c.Name, &c.N); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
