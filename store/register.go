package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"vanguard/domain"
)

// The committee's order register (点单派单台帐): every order of a period
// with its review, dispatches, service and evaluation. A province has
// 100,000 orders a year and more, so the register is never loaded whole:
// orders are read in keyset pages of registerPage by id, the details of a
// page come from one query per kind (steps, dispatches, service, items)
// over the page's range of order ids — a range the indexes on order_id
// read in order, where a list of 2,000 ids made PostgreSQL scan each table
// whole for every page — and each row is handed to the caller and dropped
// soon after. The next page is read while the caller handles this one, so
// that the database and the writer work at the same time.

// registerPage is how many orders the register reads at a time.
const registerPage = 2000

// RegisterRow is one order of the register.
type RegisterRow struct {
	ID             int64
	CreatedAt      time.Time
	Channel        domain.Channel
	State          domain.OrderState
	RequesterName  string
	RequesterPhone string // full: the service masks it
	SiteName       string
	TakenByName    string // the staff member who entered it ("" online)
	Items          []string
	Review         string // "accept", "reject" or "" (not reviewed yet)
	ReviewAt       time.Time
	ReviewReason   string
	ReviewerName   string
	Dispatches     []RegisterDispatch
	ServiceDays    []string // China days of its activities
	PersonTimes    int64
	Minutes        domain.Minutes
	Beneficiaries  int64
	Evaluated      bool
	Rating         int
	Comment        string
	Complaint      bool
	ComplaintText  string
}

// RegisterDispatch is one dispatched slot: a category given to a team, and
// the team's answer.
type RegisterDispatch struct {
	Category   string
	Team       string
	State      domain.DispatchState
	At         time.Time
	AnsweredAt time.Time
	Reason     string
}

// OrderRegister calls fn with each order created in [from, to), by id, at
// most limit of them (0: all). fn must not keep the row: its page is
// dropped when the next one is handed over. fn is called on the caller's
// goroutine while the next page is read on another, so it must not use the
// store's only connection (SQLite's writer) — it writes rows out.
func (s *Store) OrderRegister(ctx context.Context, from, to time.Time, limit int, fn func(*RegisterRow) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		page []RegisterRow
		err  error
	}
	pages := make(chan result, 1)
	go func() {
		defer close(pages)
		var after int64
		seen := 0
		for {
			n := registerPage
			if limit > 0 && limit-seen < n {
				n = limit - seen
			}
			if n <= 0 {
				return
			}
			page, err := s.registerPage(ctx, from, to, after, n)
			select {
			case pages <- result{page, err}:
			case <-ctx.Done():
				return
			}
			if err != nil || len(page) < n {
				return
			}
			seen += len(page)
			after = page[len(page)-1].ID
		}
	}()
	for r := range pages {
		if r.err != nil {
			return r.err
		}
		for i := range r.page {
			if err := fn(&r.page[i]); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

// CountOrders is how many orders were created in [from, to).
func (s *Store) CountOrders(ctx context.Context, from, to time.Time) (int, error) {
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM orders WHERE created_at >= ? AND created_at < ?", micros(from), micros(to)).Scan(&n)
	return n, err
}

func (s *Store) registerPage(ctx context.Context, from, to time.Time, after int64, n int) ([]RegisterRow, error) {
	rows, err := s.query(ctx, `SELECT x.id, x.created_at, x.channel, x.state, x.requester_name, x.requester_phone,
		COALESCE(si.name, ''), COALESCE(u.display_name, ''),
		COALESCE(e.order_id, 0), COALESCE(e.rating, 0), COALESCE(e.comment, ''), CASE WHEN e.complaint THEN 1 ELSE 0 END,
		COALESCE(e.complaint_text, '')
		FROM orders x LEFT JOIN sites si ON si.id = x.site_id LEFT JOIN users u ON u.id = x.taken_by
		LEFT JOIN evaluations e ON e.order_id = x.id
		WHERE x.created_at >= ? AND x.created_at < ? AND x.id > ? ORDER BY x.id LIMIT ?`,
		micros(from), micros(to), after, n)
	if err != nil {
		return nil, fmt.Errorf("order register: %w", err)
	}
	var page []RegisterRow
	at := map[int64]int{}
	for rows.Next() {
		var r RegisterRow
		var created, evaluated int64
		var complaint int
		var channel, state string
		if err := rows.Scan(&r.ID, &created, &channel, &state, &r.RequesterName, &r.RequesterPhone, &r.SiteName,
			&r.TakenByName, &evaluated, &r.Rating, &r.Comment, &complaint, &r.ComplaintText); err != nil {
			rows.Close()
			return nil, err
		}
		r.CreatedAt, r.Channel, r.State, r.Evaluated = fromMicros(created), domain.Channel(channel), domain.OrderState(state), evaluated != 0
		r.Complaint = complaint == 1
		at[r.ID] = len(page)
		page = append(page, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(page) == 0 {
		return page, err
	}
	// The details of the page, each kind in one query over the page's range
	// of ids; an order in the range but not on the page (created outside
	// the period) is skipped by pageRow.
	span := pageSpan{page: page, at: at, lo: page[0].ID, hi: page[len(page)-1].ID}
	for _, d := range []func(context.Context, *pageSpan) error{
		s.registerItems, s.registerReviews, s.registerDispatches, s.registerService,
	} {
		if err := d(ctx, &span); err != nil {
			return nil, err
		}
	}
	return page, nil
}

// pageSpan is a page of the register and its range of order ids.
type pageSpan struct {
	page   []RegisterRow
	at     map[int64]int
	lo, hi int64
}

// row is the page's order id, or nil when the order is not on the page.
func (p *pageSpan) row(id int64) *RegisterRow {
	if i, ok := p.at[id]; ok {
		return &p.page[i]
	}
	return nil
}

// eachRow runs scan over the rows of a query, closing them.
func (s *Store) eachRow(ctx context.Context, what, q string, scan func(scan func(...any) error) error, args ...any) error {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows.Scan); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	return rows.Err()
}

func (s *Store) registerItems(ctx context.Context, p *pageSpan) error {
	return s.eachRow(ctx, "register items", `SELECT oi.order_id, mi.title FROM order_items oi
		JOIN menu_items mi ON mi.id = oi.menu_item_id WHERE oi.order_id BETWEEN ? AND ? ORDER BY oi.order_id, mi.title`,
		func(scan func(...any) error) error {
			var id int64
			var title string
			if err := scan(&id, &title); err != nil {
				return err
			}
			if r := p.row(id); r != nil {
				r.Items = append(r.Items, title)
			}
			return nil
		}, p.lo, p.hi)
}

// registerReviews reads the first review of each order: its acceptance or
// rejection from the submitted state (a decline later returns an order to
// accepted, which is not a review).
func (s *Store) registerReviews(ctx context.Context, p *pageSpan) error {
	return s.eachRow(ctx, "register reviews", `SELECT order_id, event, at, reason, actor_name FROM order_steps
		WHERE order_id BETWEEN ? AND ? AND from_state = 'submitted' AND event IN ('accept', 'reject') ORDER BY order_id, id`,
		func(scan func(...any) error) error {
			var id, when int64
			var event, reason, actor string
			if err := scan(&id, &event, &when, &reason, &actor); err != nil {
				return err
			}
			if r := p.row(id); r != nil && r.Review == "" {
				r.Review, r.ReviewAt, r.ReviewReason, r.ReviewerName = event, fromMicros(when), reason, actor
			}
			return nil
		}, p.lo, p.hi)
}

func (s *Store) registerDispatches(ctx context.Context, p *pageSpan) error {
	return s.eachRow(ctx, "register dispatches", `SELECT d.order_id, c.name_zh, t.name, d.state, d.dispatched_at,
		d.answered_at, d.reason FROM dispatches d JOIN categories c ON c.id = d.category_id JOIN teams t ON t.id = d.team_id
		WHERE d.order_id BETWEEN ? AND ? ORDER BY d.order_id, d.id`,
		func(scan func(...any) error) error {
			var id, when, answered int64
			var d RegisterDispatch
			var state string
			if err := scan(&id, &d.Category, &d.Team, &state, &when, &answered, &d.Reason); err != nil {
				return err
			}
			d.State, d.At, d.AnsweredAt = domain.DispatchState(state), fromMicros(when), fromMicros(answered)
			if r := p.row(id); r != nil {
				r.Dispatches = append(r.Dispatches, d)
			}
			return nil
		}, p.lo, p.hi)
}

// registerService reads each order's activities (not cancelled): their
// days, the person-times and minutes of the roll-up, and the beneficiaries
// of their outcomes.
func (s *Store) registerService(ctx context.Context, p *pageSpan) error {
	return s.eachRow(ctx, "register service", `SELECT a.order_id, a.starts_at,
		COALESCE((SELECT SUM(tt.person_times) FROM activity_totals tt WHERE tt.activity_id = a.id), 0),
		COALESCE((SELECT SUM(tt.minutes) FROM activity_totals tt WHERE tt.activity_id = a.id), 0),
		COALESCE((SELECT oc.beneficiaries FROM outcomes oc WHERE oc.activity_id = a.id), 0)
		FROM activities a WHERE a.order_id BETWEEN ? AND ? AND a.state <> 'cancelled' ORDER BY a.order_id, a.starts_at, a.id`,
		func(scan func(...any) error) error {
			var id, starts, pt, minutes, ben int64
			if err := scan(&id, &starts, &pt, &minutes, &ben); err != nil {
				return err
			}
			r := p.row(id)
			if r == nil {
				return nil
			}
			day := domain.ChinaDay(fromMicros(starts))
			if n := len(r.ServiceDays); n == 0 || r.ServiceDays[n-1] != day {
				r.ServiceDays = append(r.ServiceDays, day)
			}
			r.PersonTimes += pt
			r.Minutes += domain.Minutes(minutes)
			r.Beneficiaries += ben
			return nil
		}, p.lo, p.hi)
}

// ItemsText joins the row's menu items for a cell.
func (r *RegisterRow) ItemsText() string { return strings.Join(r.Items, "、") }
