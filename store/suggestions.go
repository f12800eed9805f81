package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"vanguard/domain"
)

const suggestionColumns = `id, code, name, phone, COALESCE(region_id, 0), body, state, reply, replied_by,
	COALESCE(order_id, 0), created_at, updated_at`

func scanSuggestion(row interface{ Scan(...any) error }) (domain.Suggestion, error) {
	var x domain.Suggestion
	var state string
	var created, updated int64
	err := row.Scan(&x.ID, &x.Code, &x.Name, &x.Phone, &x.RegionID, &x.Body, &state, &x.Reply, &x.RepliedBy,
		&x.OrderID, &created, &updated)
	x.State, x.CreatedAt, x.UpdatedAt = domain.SuggestionState(state), fromMicros(created), fromMicros(updated)
	return x, err
}

// SuggestionByID finds a suggestion.
func (s *Store) SuggestionByID(ctx context.Context, id int64) (domain.Suggestion, error) {
	x, err := scanSuggestion(s.queryRow(ctx, "SELECT "+suggestionColumns+" FROM suggestions WHERE id = ?", id))
	return x, notFound(err, "err.suggestion.not_found")
}

// SuggestionByCode finds a suggestion by the code its writer holds.
func (s *Store) SuggestionByCode(ctx context.Context, code string) (domain.Suggestion, error) {
	x, err := scanSuggestion(s.queryRow(ctx, "SELECT "+suggestionColumns+" FROM suggestions WHERE code = ?", code))
	return x, notFound(err, "err.suggestion.not_found")
}

// SuggestionFilter selects suggestions for the staff's list.
type SuggestionFilter struct {
	State  domain.SuggestionState // "" for every state
	Offset int
	Limit  int
}

// ListSuggestions returns suggestions matching f, newest first, and how many
// match.
func (s *Store) ListSuggestions(ctx context.Context, f SuggestionFilter) ([]domain.Suggestion, int, error) {
	cond, args := "1=1", []any{}
	if f.State != "" {
		cond, args = "state = ?", append(args, string(f.State))
	}
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM suggestions WHERE "+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count suggestions: %w", err)
	}
	q := "SELECT " + suggestionColumns + " FROM suggestions WHERE " + cond + " ORDER BY created_at DESC, id DESC"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list suggestions: %w", err)
	}
	defer rows.Close()
	var out []domain.Suggestion
	for rows.Next() {
		x, err := scanSuggestion(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, x)
	}
	return out, total, rows.Err()
}

// SuggestionCounts returns how many suggestions are in each state, and how
// many arrived after since.
func (s *Store) SuggestionCounts(ctx context.Context, since time.Time) (map[domain.SuggestionState]int, int, error) {
	rows, err := s.query(ctx, "SELECT state, COUNT(*) FROM suggestions GROUP BY state")
	if err != nil {
		return nil, 0, fmt.Errorf("count suggestions: %w", err)
	}
	defer rows.Close()
	out := map[domain.SuggestionState]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, 0, err
		}
		out[domain.SuggestionState(st)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	var fresh int
	err = s.queryRow(ctx, "SELECT COUNT(*) FROM suggestions WHERE created_at > ?", micros(since)).Scan(&fresh)
	return out, fresh, err
}

// CreateSuggestion stores a new suggestion in the open state and audits it.
func (tx *Tx) CreateSuggestion(code string, in domain.SuggestionInput) (int64, error) {
	now := micros(tx.now)
	id, err := tx.insert(`INSERT INTO suggestions (code, name, phone, region_id, body, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, code, in.Name, in.Phone, nullID(in.RegionID), in.Body,
		string(domain.SuggestionOpen), now, now)
	if err != nil {
		return 0, fmt.Errorf("create suggestion: %w", err)
	}
	return id, tx.Audit("suggestion.create", "suggestion", strconv.FormatInt(id, 10), nil, map[string]any{
		"name": in.Name, "phone": in.Phone, "region_id": in.RegionID, "length": len([]rune(in.Body)),
	})
}

// moveSuggestion reads a suggestion's state inside the transaction, refuses
// a move the lifecycle does not allow, and applies set (more of an UPDATE's
// SET list, starting with a comma) only if no one moved it meanwhile. It audits the move as action.
func (tx *Tx) moveSuggestion(id int64, to domain.SuggestionState, action, set string, args []any, after map[string]any) error {
	var cur string
	if err := tx.queryRow("SELECT state FROM suggestions WHERE id = ?", id).Scan(&cur); err != nil {
		return notFound(err, "err.suggestion.not_found")
	}
	from := domain.SuggestionState(cur)
	if !from.CanMoveTo(to) {
		return domain.SuggestionMoveError(from)
	}
	args = append(append([]any{string(to), micros(tx.now)}, args...), id, cur)
	res, err := tx.exec("UPDATE suggestions SET state = ?, updated_at = ?"+set+" WHERE id = ? AND state = ?", args...)
	if err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.Errorf(domain.CodeConflict, "err.suggestion.changed")
	}
	after["state"] = to
	return tx.Audit(action, "suggestion", strconv.FormatInt(id, 10), map[string]any{"state": from}, after)
}

// ReplySuggestion records the staff's reply, which the writer reads by
// their code, signed with the actor's display name.
func (tx *Tx) ReplySuggestion(id int64, reply string) error {
	by := tx.actorDisplayName()
	return tx.moveSuggestion(id, domain.SuggestionReplied, "suggestion.reply", ", reply = ?, replied_by = ?",
		[]any{reply, by}, map[string]any{"reply": reply, "replied_by": by})
}

// CloseSuggestion closes a suggestion; a reply given stays.
func (tx *Tx) CloseSuggestion(id int64) error {
	return tx.moveSuggestion(id, domain.SuggestionClosed, "suggestion.close", "", nil, map[string]any{})
}

// MarkSuggestionOrdered links a suggestion to the order made from it. The
// order carries the suggestion's id; this is the other direction.
func (tx *Tx) MarkSuggestionOrdered(id, orderID int64) error {
	return tx.moveSuggestion(id, domain.SuggestionOrdered, "suggestion.order", ", order_id = ?", []any{orderID},
		map[string]any{"order_id": orderID})
}

// actorDisplayName is the name the transaction's actor goes by, for
// replies the public reads.
func (tx *Tx) actorDisplayName() string {
	name := tx.actor.Username
	var display string
	if err := tx.queryRow("SELECT display_name FROM users WHERE id = ?", tx.actor.UserID).Scan(&display); err == nil && display != "" {
		name = display
	}
	return name
}
