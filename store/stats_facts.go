package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"vanguard/domain"
)

// StatsFacts are the records behind a query's activity and service figures,
// read once per request in four statements that run side by side, and summed
// in Go for the headline and every breakdown. The statements select by the
// same conditions as the drill-through lists (statsActCond and
// statsTotalsCond), so the counting rules stay in SQL, in one place; only the
// grouping moved here. On a province the figures joined the year's 200,000
// activities to their orgs, places and roll-up rows once per figure — about
// twenty-five statements of 0.3–2 s each; here they are joined once.
type StatsFacts struct {
	acts    map[int64]*statsAct
	credits []statsCredit
	teamOrg map[int64]int64 // the org of each team that took part

	mu         sync.Mutex
	breakdowns map[string]map[int64]*StatsMeasure // Breakdown's results, by key and months
}

// statsAct is an activity the figures read: one counted under the query's
// activity conditions, or one whose service is credited to the scope.
type statsAct struct {
	orgID, regionID int64
	startsAt        int64 // microseconds, as stored
	beneficiaries   int64
	served          bool // held for an order that was served or evaluated
	counted         bool // passes statsActCond(q, true)
	teams, cats     []int64
}

// group reports whether the activity is a group service (组团式服务): the
// rule of groupServiceCond, the activity being held (every activity read
// here was).
func (a *statsAct) group() bool { return a.served && len(a.teams) >= 2 }

// statsCredit is a roll-up row credited to the query's scope.
type statsCredit struct {
	activityID, teamID, orgID, personTimes int64
	minutes                                domain.Minutes
}

// servedCase is 1 when the activity (a) was held for an order (go, left
// joined) that was served or evaluated.
const servedCase = `CASE WHEN go.state IN ('served', 'evaluated') THEN 1 ELSE 0 END`

// StatsFacts reads the facts of a query.
func (s *Store) StatsFacts(ctx context.Context, q StatsQuery) (*StatsFacts, error) {
	f := &StatsFacts{acts: map[int64]*statsAct{}, teamOrg: map[int64]int64{}}
	acond, aargs := statsActCond(q, true)
	tcond, targs := statsTotalsCond(q)
	var credits []statsCredit
	var credited []statsAct
	err := Parallel(
		func() error {
			rows, err := s.query(ctx, `SELECT a.id, a.org_id, COALESCE(ar.id, 0), a.starts_at, COALESCE(oc.beneficiaries, 0), `+servedCase+
				statsActFrom+` LEFT JOIN outcomes oc ON oc.activity_id = a.id LEFT JOIN orders go ON go.id = a.order_id WHERE `+acond, aargs...)
			if err != nil {
				return fmt.Errorf("stats activities: %w", err)
			}
			defer rows.Close()
			for rows.Next() {
				var id int64
				a := &statsAct{counted: true}
				if err := rows.Scan(&id, &a.orgID, &a.regionID, &a.startsAt, &a.beneficiaries, &a.served); err != nil {
					return err
				}
				f.acts[id] = a
			}
			return rows.Err()
		},
		func() error {
			rows, err := s.query(ctx, `SELECT t.activity_id, t.team_id, t.org_id, t.person_times, t.minutes,
				a.org_id, COALESCE(ar.id, 0), a.starts_at, `+servedCase+statsTotalsFrom+
				` LEFT JOIN orders go ON go.id = a.order_id WHERE `+tcond, targs...)
			if err != nil {
				return fmt.Errorf("stats service: %w", err)
			}
			defer rows.Close()
			for rows.Next() {
				var c statsCredit
				var a statsAct
				if err := rows.Scan(&c.activityID, &c.teamID, &c.orgID, &c.personTimes, &c.minutes,
					&a.orgID, &a.regionID, &a.startsAt, &a.served); err != nil {
					return err
				}
				credits, credited = append(credits, c), append(credited, a)
			}
			return rows.Err()
		},
	)
	if err != nil {
		return nil, err
	}
	f.credits = credits
	for i, c := range credits {
		if f.acts[c.activityID] == nil {
			f.acts[c.activityID] = &credited[i]
		}
	}
	// The teams and categories of those activities: by their ids when they
	// are few (one unit's year), else those of every activity the window's
	// filters keep (a province's year), the others skipped.
	var which string
	var args []any
	if len(f.acts) <= statsIDList {
		which = "x.activity_id IN (" + strings.TrimSuffix(strings.Repeat("?,", len(f.acts)), ",") + ")"
		for id := range f.acts {
			args = append(args, id)
		}
		if len(args) == 0 {
			return f, nil
		}
	} else {
		cond, cargs := statsActCond(q, false)
		which, args = "x.activity_id IN (SELECT a.id"+statsActFrom+" WHERE "+cond+")", cargs
	}
	err = Parallel(
		func() error {
			rows, err := s.query(ctx, `SELECT x.activity_id, x.team_id, tt.org_id FROM activity_teams x
				JOIN teams tt ON tt.id = x.team_id WHERE `+which, args...)
			if err != nil {
				return fmt.Errorf("stats teams: %w", err)
			}
			defer rows.Close()
			for rows.Next() {
				var act, team, org int64
				if err := rows.Scan(&act, &team, &org); err != nil {
					return err
				}
				if a := f.acts[act]; a != nil {
					a.teams = append(a.teams, team)
					f.teamOrg[team] = org
				}
			}
			return rows.Err()
		},
		func() error {
			rows, err := s.query(ctx, `SELECT x.activity_id, x.category_id FROM activity_categories x WHERE `+which, args...)
			if err != nil {
				return fmt.Errorf("stats categories: %w", err)
			}
			defer rows.Close()
			for rows.Next() {
				var act, cat int64
				if err := rows.Scan(&act, &cat); err != nil {
					return err
				}
				if a := f.acts[act]; a != nil {
					a.cats = append(a.cats, cat)
				}
			}
			return rows.Err()
		},
	)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// statsIDList is the most activities whose teams and categories are read
// by listing their ids.
const statsIDList = 2000

// Parallel runs fns side by side and returns the first error. Each should
// hold at most one connection at a time, so that they cannot wait on each
// other for the pool.
func Parallel(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// headline adds the activity and service figures to h; units maps an org to
// its unit, for counting the units of group services.
func (f *StatsFacts) headline(h *StatsHeadline, units map[int64]int64) {
	seen := map[int64]bool{}
	for _, a := range f.acts {
		if !a.counted {
			continue
		}
		h.Activities++
		h.Beneficiaries += a.beneficiaries
		if a.group() {
			h.Group.Activities++
			h.Group.Beneficiaries += a.beneficiaries
			for _, t := range a.teams {
				org := f.teamOrg[t]
				if u, ok := units[org]; ok {
					org = u
				}
				seen[org] = true
			}
		}
	}
	for _, c := range f.credits {
		h.PersonTimes += c.personTimes
		h.Minutes += c.minutes
		if f.acts[c.activityID].group() {
			h.Group.PersonTimes += c.personTimes
			h.Group.Minutes += c.minutes
		}
	}
	h.GroupUnits = len(seen)
}

// Breakdown sums the activities, beneficiaries and service per key. For
// ByMonth and ByCategoryMonth, months are the first instants of the months
// of the window, in order, and a month's key is its index.
//
// The result is shared by every caller of the same facts: read-only.
func (f *StatsFacts) Breakdown(by StatsKey, months []time.Time) (map[int64]*StatsMeasure, error) {
	memo := fmt.Sprint(by, months)
	f.mu.Lock()
	defer f.mu.Unlock()
	if out, ok := f.breakdowns[memo]; ok {
		return out, nil
	}
	out, err := f.breakdown(by, months)
	if err != nil {
		return nil, err
	}
	if f.breakdowns == nil {
		f.breakdowns = map[string]map[int64]*StatsMeasure{}
	}
	f.breakdowns[memo] = out
	return out, nil
}

func (f *StatsFacts) breakdown(by StatsKey, months []time.Time) (map[int64]*StatsMeasure, error) {
	bounds := make([]int64, len(months))
	for i, m := range months {
		bounds[i] = micros(m)
	}
	month := func(a *statsAct) int64 {
		for i := 1; i < len(bounds); i++ {
			if a.startsAt < bounds[i] {
				return int64(i - 1)
			}
		}
		return int64(max(len(bounds)-1, 0))
	}
	// keys are the keys an activity counts under; credited is the team
	// or org a credit row names, for the keys that take it from there.
	var keys func(a *statsAct, c *statsCredit, each func(int64))
	switch by {
	case ByCategory:
		keys = func(a *statsAct, _ *statsCredit, each func(int64)) {
			for _, k := range a.cats {
				each(k)
			}
		}
	case ByCategoryMonth:
		keys = func(a *statsAct, _ *statsCredit, each func(int64)) {
			for _, k := range a.cats {
				each(k*1000 + month(a))
			}
		}
	case ByTeam:
		keys = func(a *statsAct, c *statsCredit, each func(int64)) {
			if c != nil {
				each(c.teamID)
				return
			}
			for _, k := range a.teams {
				each(k)
			}
		}
	case ByOrg:
		keys = func(a *statsAct, c *statsCredit, each func(int64)) {
			if c != nil {
				each(c.orgID)
				return
			}
			each(a.orgID)
		}
	case ByRegion:
		keys = func(a *statsAct, _ *statsCredit, each func(int64)) { each(a.regionID) }
	case ByMonth:
		keys = func(a *statsAct, _ *statsCredit, each func(int64)) { each(month(a)) }
	default:
		return nil, fmt.Errorf("stats breakdown: unknown key %q", by)
	}
	out := map[int64]*StatsMeasure{}
	at := func(k int64) *StatsMeasure {
		m := out[k]
		if m == nil {
			m = &StatsMeasure{}
			out[k] = m
		}
		return m
	}
	for _, a := range f.acts {
		if a.counted {
			keys(a, nil, func(k int64) {
				m := at(k)
				m.Activities++
				m.Beneficiaries += a.beneficiaries
			})
		}
	}
	for i := range f.credits {
		c := &f.credits[i]
		keys(f.acts[c.activityID], c, func(k int64) {
			m := at(k)
			m.PersonTimes += c.personTimes
			m.Minutes += c.minutes
		})
	}
	return out, nil
}

// The statistics cache. A province's figures take seconds to gather and
// change only when the records do, and every change of the records is an
// audited write (Store.Write refuses one that is not; Housekeep writes only
// rate limits and read marks). The audit chain is appended under a lock held
// to the commit, so its newest id grows with every committed change, on
// every instance sharing the database: figures gathered at one id are
// exact for as long as the newest id is the same. An entry also expires
// after statsCacheTTL, in case a change ever bypasses the audit.
const (
	statsCacheTTL   = 2 * time.Minute
	statsCacheActs  = 600_000 // activities held in all entries, at most
	statsCacheItems = 16
)

type statsEntry struct {
	version int64
	at      time.Time
	h       StatsHeadline
	f       *StatsFacts
}

type statsCache struct {
	mu      sync.Mutex
	entries map[string]*statsEntry
}

// recordsVersion is the newest audit id of a change to the records: it
// changes whenever they do. Signing in and out, two-factor and password
// steps, exports and prints are audited too but change no figure, and a
// province signs in all day: they are passed over. An action missing from
// this list only makes the cache miss more often.
func (s *Store) recordsVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.queryRow(ctx, `SELECT id FROM audit_log WHERE action NOT LIKE 'user.%'
		AND action NOT LIKE '%.export' AND action NOT LIKE '%.print' ORDER BY id DESC LIMIT 1`).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("records version: %w", err)
	}
	return v, nil
}

func (c *statsCache) get(key string, version int64, now time.Time) *statsEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e == nil || e.version != version || now.Sub(e.at) >= statsCacheTTL || now.Before(e.at) {
		return nil
	}
	return e
}

// put keeps e, dropping entries of older versions and then the oldest
// until the entries hold at most statsCacheActs activities and
// statsCacheItems entries.
func (c *statsCache) put(key string, e *statsEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]*statsEntry{}
	}
	c.entries[key] = e
	held := 0
	for k, x := range c.entries {
		if x.version != e.version {
			delete(c.entries, k)
			continue
		}
		held += len(x.f.acts)
	}
	for held > statsCacheActs && len(c.entries) > 1 || len(c.entries) > statsCacheItems {
		var oldest string
		for k, x := range c.entries {
			if k != key && (oldest == "" || x.at.Before(c.entries[oldest].at)) {
				oldest = k
			}
		}
		if oldest == "" {
			break
		}
		held -= len(c.entries[oldest].f.acts)
		delete(c.entries, oldest)
	}
}

// memo keeps other figures read from the records (the supply–demand gap)
// by the same rule as the statistics: until the records change, or
// statsCacheTTL.
type memo struct {
	mu      sync.Mutex
	entries map[string]memoEntry
}

type memoEntry struct {
	version int64
	at      time.Time
	value   any
}

// memoItems is how many results Remember keeps.
const memoItems = 64

// Remember returns what fn last computed for key while the records are as
// they were then, else calls fn and keeps its result. The result is shared
// by every caller: read-only.
func (s *Store) Remember(ctx context.Context, key string, fn func() (any, error)) (any, error) {
	version, err := s.recordsVersion(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	s.memo.mu.Lock()
	e, ok := s.memo.entries[key]
	s.memo.mu.Unlock()
	if ok && e.version == version && now.Sub(e.at) < statsCacheTTL && !now.Before(e.at) {
		return e.value, nil
	}
	v, err := fn()
	if err != nil {
		return nil, err
	}
	s.memo.mu.Lock()
	defer s.memo.mu.Unlock()
	if s.memo.entries == nil || len(s.memo.entries) >= memoItems {
		s.memo.entries = map[string]memoEntry{} // a fresh start beats tracking ages
	}
	s.memo.entries[key] = memoEntry{version: version, at: now, value: v}
	return v, nil
}
