package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
)

// Evaluation (评单): the requester's rating of a served order, or their
// complaint, reached by the order's one-time evaluation code.

// The answers a requester may meet when evaluating.
var (
	errEvalAlready   = domain.Errorf(domain.CodeConflict, "err.eval.already")
	errEvalNotServed = domain.Errorf(domain.CodeConflict, "err.eval.not_served")
)

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// OrderByEvalCode finds an order by its evaluation code.
func (s *Store) OrderByEvalCode(ctx context.Context, code string) (domain.Order, error) {
	return s.orderWhere(ctx, "x.eval_code = ?", code)
}

// EvalCode returns an order's evaluation code, or "" when it has none yet.
func (s *Store) EvalCode(ctx context.Context, orderID int64) (string, error) {
	var code sql.NullString
	err := s.queryRow(ctx, "SELECT eval_code FROM orders WHERE id = ?", orderID).Scan(&code)
	return code.String, notFound(err, "err.order.not_found")
}

// GiveEvalCode gives an order that has none the evaluation code code, and
// returns the order's code: code, or the one it already had.
func (tx *Tx) GiveEvalCode(orderID int64, code string) (string, error) {
	if _, err := tx.exec("UPDATE orders SET eval_code = ? WHERE id = ? AND eval_code IS NULL", code, orderID); err != nil {
		return "", fmt.Errorf("give order %d an evaluation code: %w", orderID, err)
	}
	var got string
	if err := tx.queryRow("SELECT eval_code FROM orders WHERE id = ?", orderID).Scan(&got); err != nil {
		return "", notFound(err, "err.order.not_found")
	}
	// The code itself is a credential: the log records only that one was given.
	return got, tx.Audit("order.eval_code", "order", strconv.FormatInt(orderID, 10), nil, map[string]any{"given": true})
}

// CreateEvaluation records the requester's evaluation of a served order and
// moves the order to evaluated through the lifecycle table, in the caller's
// transaction, and audits it. An order already evaluated, or not yet served,
// is refused with a conflict that says which.
func (tx *Tx) CreateEvaluation(orderID int64, in domain.EvaluationInput) (int64, error) {
	var state string
	if err := tx.queryRow("SELECT state FROM orders WHERE id = ?", orderID).Scan(&state); err != nil {
		return 0, notFound(err, "err.order.not_found")
	}
	switch domain.OrderState(state) {
	case domain.OrderServed:
	case domain.OrderEvaluated:
		return 0, errEvalAlready
	default:
		return 0, errEvalNotServed
	}
	if _, err := tx.TransitionOrder(orderID, domain.EventEvaluate, ""); err != nil {
		if domain.ErrCode(err) == domain.CodeConflict {
			return 0, errEvalAlready // someone evaluated it a moment ago
		}
		return 0, err
	}
	// The unique key on order_id is the last guard of "one-time".
	id, err := tx.insert(`INSERT INTO evaluations (order_id, rating, comment, complaint, complaint_text, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING`,
		orderID, in.Rating, in.Comment, in.Complaint, in.ComplaintText, micros(tx.now))
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errEvalAlready
	} else if err != nil {
		return 0, fmt.Errorf("create evaluation of order %d: %w", orderID, err)
	}
	return id, tx.Audit("evaluation.create", "evaluation", strconv.FormatInt(id, 10), nil, map[string]any{
		"order_id": orderID, "rating": in.Rating, "comment": in.Comment, "complaint": in.Complaint,
		"complaint_text": in.ComplaintText,
	})
}

// AnswerComplaint records the committee's answer to an open complaint and
// audits it. A complaint answered already, or an evaluation that is no
// complaint, is a conflict.
func (tx *Tx) AnswerComplaint(id int64, answer string) error {
	var complaint bool
	var answeredAt int64
	if err := tx.queryRow("SELECT complaint, answered_at FROM evaluations WHERE id = ?", id).
		Scan(&complaint, &answeredAt); err != nil {
		return notFound(err, "err.eval.not_found")
	}
	if !complaint {
		return domain.Errorf(domain.CodeConflict, "err.complaint.not_complaint")
	}
	name := tx.actor.Username
	if tx.actor.UserID != 0 {
		tx.queryRow("SELECT display_name FROM users WHERE id = ?", tx.actor.UserID).Scan(&name)
	}
	res, err := tx.exec(`UPDATE evaluations SET answer = ?, answered_by = ?, answered_name = ?, answered_at = ?
		WHERE id = ? AND answered_at = 0`, answer, nullID(tx.actor.UserID), name, micros(tx.now), id)
	if err != nil {
		return fmt.Errorf("answer complaint %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.Errorf(domain.CodeConflict, "err.complaint.answered")
	}
	return tx.Audit("evaluation.answer", "evaluation", strconv.FormatInt(id, 10),
		map[string]any{"answered": false}, map[string]any{"answered": true, "answer": answer})
}

// PastEvaluation is an evaluation as it happened, for the demo city.
type PastEvaluation struct {
	OrderCode string // the order's tracking code
	domain.EvaluationInput
	At         time.Time
	Answer     string
	AnswerName string
	AnsweredAt time.Time
}

// LoadPastEvaluations writes evaluations of orders already evaluated, found
// by their tracking codes, and audits the load as one entry.
func (tx *Tx) LoadPastEvaluations(list []PastEvaluation) error {
	if len(list) == 0 {
		return nil
	}
	var rows [][]any
	for _, e := range list {
		var id int64
		var state string
		if err := tx.queryRow("SELECT id, state FROM orders WHERE code = ?", e.OrderCode).Scan(&id, &state); err != nil {
			return fmt.Errorf("past evaluation of %s: %w", e.OrderCode, err)
		}
		if domain.OrderState(state) != domain.OrderEvaluated {
			return fmt.Errorf("past evaluation of %s: the order is %s, not evaluated", e.OrderCode, state)
		}
		rows = append(rows, []any{id, e.Rating, e.Comment, e.Complaint, e.ComplaintText, micros(e.At),
			e.Answer, e.AnswerName, micros(e.AnsweredAt)})
	}
	if err := tx.insertRows("evaluations", []string{"order_id", "rating", "comment", "complaint", "complaint_text",
		"created_at", "answer", "answered_name", "answered_at"}, rows); err != nil {
		return err
	}
	return tx.Audit("evaluation.bulk_load", "evaluation", "", nil, map[string]any{"evaluations": len(rows)})
}

const evaluationColumns = `e.id, e.order_id, e.rating, e.comment, e.complaint, e.complaint_text, e.created_at,
	e.answer, COALESCE(e.answered_by, 0), e.answered_name, e.answered_at`

// evaluationScanner scans an evaluation's columns ahead of whatever follows
// them in the row.
type evaluationScanner struct {
	row interface{ Scan(...any) error }
	e   *domain.Evaluation
	at  [2]int64
}

func newEvaluationScanner(row interface{ Scan(...any) error }, e *domain.Evaluation) *evaluationScanner {
	return &evaluationScanner{row: row, e: e}
}

func (sc *evaluationScanner) Scan(rest ...any) error {
	e := sc.e
	err := sc.row.Scan(append([]any{&e.ID, &e.OrderID, &e.Rating, &e.Comment, &e.Complaint, &e.ComplaintText,
		&sc.at[0], &e.Answer, &e.AnsweredBy, &e.AnsweredName, &sc.at[1]}, rest...)...)
	e.CreatedAt, e.AnsweredAt = fromMicros(sc.at[0]), fromMicros(sc.at[1])
	return err
}

// EvaluationOfOrder returns an order's evaluation with the teams that served
// it, or a not-found error when it has none.
func (s *Store) EvaluationOfOrder(ctx context.Context, orderID int64) (domain.Evaluation, error) {
	return s.evaluationWhere(ctx, "e.order_id = ?", orderID)
}

// EvaluationByID returns one evaluation with the teams that served its order.
func (s *Store) EvaluationByID(ctx context.Context, id int64) (domain.Evaluation, error) {
	return s.evaluationWhere(ctx, "e.id = ?", id)
}

func (s *Store) evaluationWhere(ctx context.Context, cond string, arg any) (domain.Evaluation, error) {
	var e domain.Evaluation
	err := newEvaluationScanner(s.queryRow(ctx, "SELECT "+evaluationColumns+" FROM evaluations e WHERE "+cond, arg), &e).Scan()
	if err != nil {
		return e, notFound(err, "err.eval.not_found")
	}
	teams, err := s.ServingTeams(ctx, []int64{e.OrderID})
	e.Teams = teams[e.OrderID]
	return e, err
}

// ServingTeams names the teams that confirmed their part of each order.
func (s *Store) ServingTeams(ctx context.Context, orderIDs []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(orderIDs) == 0 {
		return out, nil
	}
	ids := make([]string, len(orderIDs))
	for i, id := range orderIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	rows, err := s.query(ctx, `SELECT DISTINCT d.order_id, t.name FROM dispatches d JOIN teams t ON t.id = d.team_id
		WHERE d.state = 'confirmed' AND d.order_id IN (`+strings.Join(ids, ",")+`) ORDER BY d.order_id, t.name`)
	if err != nil {
		return nil, fmt.Errorf("serving teams: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = append(out[id], name)
	}
	return out, rows.Err()
}

// Complaint filters of EvaluationFilter.
const (
	ComplaintAny      = ""
	ComplaintOnly     = "only"     // complaints, answered or not
	ComplaintNone     = "none"     // ratings without a complaint
	ComplaintOpen     = "open"     // complaints waiting for an answer
	ComplaintAnswered = "answered" // complaints answered
)

// EvaluationFilter selects evaluations.
type EvaluationFilter struct {
	// Scope is the viewer's: orders of sites in their orgs, and orders that
	// teams in their orgs or their own teams served. All sees every one.
	Scope     domain.Scope
	Rating    int    // 1–5, or 0 for any
	Complaint string // one of the Complaint… filters
	Offset    int
	Limit     int
}

// EvaluatedOrder is an evaluation with its order, as lists show it.
type EvaluatedOrder struct {
	Evaluation domain.Evaluation
	Order      domain.Order
}

// EvaluationList is a page of evaluations, how many match, and their average
// rating (complaints without a rating left out).
type EvaluationList struct {
	Items   []EvaluatedOrder
	Total   int
	Average float64
	Rated   int // how many of them carry a rating
}

// ListEvaluations returns the evaluations matching f, newest first.
func (s *Store) ListEvaluations(ctx context.Context, f EvaluationFilter) (EvaluationList, error) {
	var l EvaluationList
	cond, args := evaluationCond(f)
	from := orderFrom + " JOIN evaluations e ON e.order_id = x.id WHERE " + cond
	err := s.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN e.rating > 0 THEN 1 ELSE 0 END), 0),
		CAST(COALESCE(AVG(CASE WHEN e.rating > 0 THEN e.rating END), 0) AS DOUBLE PRECISION)`+from, args...).Scan(&l.Total, &l.Rated, &l.Average)
	if err != nil {
		return l, fmt.Errorf("count evaluations: %w", err)
	}
	q := "SELECT " + evaluationColumns + ", " + orderColumns + from + " ORDER BY e.created_at DESC, e.id DESC"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return l, fmt.Errorf("list evaluations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var x EvaluatedOrder
		x.Order, err = scanOrder(newEvaluationScanner(rows, &x.Evaluation))
		if err != nil {
			return l, err
		}
		l.Items = append(l.Items, x)
	}
	if err := rows.Err(); err != nil {
		return l, err
	}
	rows.Close()
	orders := make([]domain.Order, len(l.Items))
	ids := make([]int64, len(l.Items))
	for i, x := range l.Items {
		orders[i], ids[i] = x.Order, x.Order.ID
	}
	if err := s.loadOrderItems(ctx, orders); err != nil {
		return l, err
	}
	teams, err := s.ServingTeams(ctx, ids)
	for i := range l.Items {
		l.Items[i].Order = orders[i]
		l.Items[i].Evaluation.Teams = teams[ids[i]]
	}
	return l, err
}

// evaluationCond is f as a condition over orderFrom joined with evaluations e.
func evaluationCond(f EvaluationFilter) (string, []any) {
	cond, args := evaluationScope(f.Scope)
	if f.Rating >= 1 && f.Rating <= domain.EvaluationMaxRating {
		cond += " AND e.rating = ?"
		args = append(args, f.Rating)
	}
	switch f.Complaint {
	case ComplaintOnly:
		cond += " AND e.complaint = ?"
		args = append(args, true)
	case ComplaintNone:
		cond += " AND e.complaint = ?"
		args = append(args, false)
	case ComplaintOpen:
		cond += " AND e.complaint = ? AND e.answered_at = 0"
		args = append(args, true)
	case ComplaintAnswered:
		cond += " AND e.complaint = ? AND e.answered_at > 0"
		args = append(args, true)
	}
	return cond, args
}

// evaluationScope is who sees an evaluation: the committee every one; an org
// admin those of orders at sites of their subtree and of orders that teams of
// their subtree served; a team leader those of orders their team served
// (its dispatch confirmed).
func evaluationScope(sc domain.Scope) (string, []any) {
	if sc.All {
		return "1=1", nil
	}
	var parts []string
	var args []any
	if len(sc.OrgPaths) > 0 {
		c, a := inScope("o.path", "", sc)
		parts, args = append(parts, c), append(args, a...)
	}
	if len(sc.OrgPaths) > 0 || len(sc.TeamIDs) > 0 {
		c, a := inScope("tg.path", "d.team_id", sc)
		parts = append(parts, `EXISTS (SELECT 1 FROM dispatches d JOIN teams tm ON tm.id = d.team_id
			JOIN orgs tg ON tg.id = tm.org_id WHERE d.order_id = x.id AND d.state = 'confirmed' AND `+c+")")
		args = append(args, a...)
	}
	if len(parts) == 0 {
		return "1=0", nil
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}
