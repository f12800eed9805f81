package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"vanguard/assess"
	"vanguard/domain"
)

// Assessment rules, stored scores and manual adjustments (migration 026).
// Rules are never edited in place: a change is a new version. Scores of a
// year are replaced as a whole by a recomputation. An adjustment is decided
// by a conditional UPDATE that refuses its proposer, so nobody approves
// their own even when two requests race (the CHECK is the last line).

// RulesVersion is one version of the assessment rules.
type RulesVersion struct {
	ID          int64
	EffectiveOn string
	Rules       assess.Rules
	Note        string
	CreatedName string
	CreatedAt   time.Time
}

const rulesColumns = `id, effective_on, body, note, created_name, created_at`

func scanRules(row interface{ Scan(...any) error }) (RulesVersion, error) {
	var v RulesVersion
	var body string
	var at int64
	if err := row.Scan(&v.ID, &v.EffectiveOn, &body, &v.Note, &v.CreatedName, &at); err != nil {
		return v, err
	}
	v.CreatedAt = fromMicros(at)
	if err := json.Unmarshal([]byte(body), &v.Rules); err != nil {
		return v, fmt.Errorf("rules %d: %w", v.ID, err)
	}
	return v, nil
}

// RulesVersions returns every version, the latest effective first.
func (s *Store) RulesVersions(ctx context.Context) ([]RulesVersion, error) {
	rows, err := s.query(ctx, "SELECT "+rulesColumns+" FROM assess_rules ORDER BY effective_on DESC, id DESC")
	if err != nil {
		return nil, fmt.Errorf("rules versions: %w", err)
	}
	defer rows.Close()
	var out []RulesVersion
	for rows.Next() {
		v, err := scanRules(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// RulesFor returns the version in force for a year: the latest effective
// on or before its last day (the newest of several with one date).
func (s *Store) RulesFor(ctx context.Context, year int) (RulesVersion, error) {
	v, err := scanRules(s.queryRow(ctx, "SELECT "+rulesColumns+` FROM assess_rules WHERE effective_on <= ?
		ORDER BY effective_on DESC, id DESC LIMIT 1`, strconv.Itoa(year)+"-12-31"))
	return v, notFound(err, "err.assess.no_rules")
}

// AddRules stores a new version of the rules and audits it.
func (tx *Tx) AddRules(effectiveOn string, r assess.Rules, note string) (int64, error) {
	body, err := json.Marshal(r)
	if err != nil {
		return 0, err
	}
	id, err := tx.insert(`INSERT INTO assess_rules (effective_on, body, note, created_by, created_name, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, effectiveOn, string(body), note, nullID(tx.actor.UserID), tx.actor.Username, micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("add rules: %w", err)
	}
	return id, tx.Audit("assess.rules", "assess_rules", strconv.FormatInt(id, 10), nil,
		map[string]any{"effective_on": effectiveOn, "rules": string(body), "note": note})
}

// StoredScore is a stored score of an org for a year.
type StoredScore struct {
	Year       int
	OrgID      int64
	OrgName    string
	OrgPath    string
	Level      int
	RulesID    int64
	Result     assess.Result
	ComputedAt time.Time
}

// SaveScores replaces the scores of a year with results computed at level
// under rules version rulesID, and audits the recomputation.
func (tx *Tx) SaveScores(year, level int, rulesID int64, results []assess.Result) error {
	if _, err := tx.exec("DELETE FROM assess_scores WHERE year = ?", year); err != nil {
		return fmt.Errorf("save scores: %w", err)
	}
	for _, r := range results {
		if err := tx.insertScore(year, level, rulesID, r); err != nil {
			return err
		}
	}
	return tx.Audit("assess.recompute", "assess_scores", strconv.Itoa(year), nil,
		map[string]any{"year": year, "level": level, "rules_id": rulesID, "orgs": len(results)})
}

func (tx *Tx) insertScore(year, level int, rulesID int64, r assess.Result) error {
	body, err := json.Marshal(r.Lines)
	if err != nil {
		return err
	}
	_, err = tx.exec(`INSERT INTO assess_scores (year, org_id, level, rules_id, total, breakdown, computed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, year, r.OrgID, level, rulesID, int64(r.Total), string(body), micros(tx.now))
	if err != nil {
		return fmt.Errorf("save score of org %d: %w", r.OrgID, err)
	}
	return nil
}

const scoreColumns = `sc.year, sc.org_id, o.name, o.path, sc.level, sc.rules_id, sc.total, sc.breakdown, sc.computed_at`

func scanScore(row interface{ Scan(...any) error }) (StoredScore, error) {
	var x StoredScore
	var total, at int64
	var body string
	if err := row.Scan(&x.Year, &x.OrgID, &x.OrgName, &x.OrgPath, &x.Level, &x.RulesID, &total, &body, &at); err != nil {
		return x, err
	}
	x.ComputedAt = fromMicros(at)
	x.Result = assess.Result{OrgID: x.OrgID, Year: x.Year, Total: assess.Points(total)}
	if err := json.Unmarshal([]byte(body), &x.Result.Lines); err != nil {
		return x, fmt.Errorf("score of org %d: %w", x.OrgID, err)
	}
	return x, nil
}

// Scores returns the stored scores of a year within scope, highest first
// (then by org name).
func (s *Store) Scores(ctx context.Context, year int, sc domain.Scope) ([]StoredScore, error) {
	cond, args := inScope("o.path", "", sc)
	rows, err := s.query(ctx, "SELECT "+scoreColumns+` FROM assess_scores sc JOIN orgs o ON o.id = sc.org_id
		WHERE sc.year = ? AND `+cond+` ORDER BY sc.total DESC, o.name, o.id`, append([]any{year}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("scores: %w", err)
	}
	defer rows.Close()
	var out []StoredScore
	for rows.Next() {
		x, err := scanScore(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// ScoreOf returns the stored score of an org for a year.
func (s *Store) ScoreOf(ctx context.Context, year int, orgID int64) (StoredScore, error) {
	x, err := scanScore(s.queryRow(ctx, "SELECT "+scoreColumns+` FROM assess_scores sc JOIN orgs o ON o.id = sc.org_id
		WHERE sc.year = ? AND sc.org_id = ?`, year, orgID))
	return x, notFound(err, "err.assess.no_score")
}

// Adjustment states.
const (
	AdjustPending  = "pending"
	AdjustApproved = "approved"
	AdjustRejected = "rejected"
)

// Adjustment is a manual adjustment of an org's score.
type Adjustment struct {
	ID           int64
	Year         int
	OrgID        int64
	OrgName      string
	Points       assess.Points
	Reason       string
	State        string
	ProposedBy   int64
	ProposedName string
	ProposedAt   time.Time
	DecidedName  string
	DecidedAt    time.Time
}

// ProposeAdjustment records a proposal and audits it.
func (tx *Tx) ProposeAdjustment(year int, orgID int64, points assess.Points, reason string) (int64, error) {
	id, err := tx.insert(`INSERT INTO assess_adjustments (year, org_id, points, reason, state, proposed_by, proposed_name, proposed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, year, orgID, int64(points), reason, AdjustPending, tx.actor.UserID, tx.actor.Username, micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("propose adjustment: %w", err)
	}
	return id, tx.Audit("assess.adjust.propose", "assess_adjustment", strconv.FormatInt(id, 10), nil,
		map[string]any{"year": year, "org_id": orgID, "points": points.String(), "reason": reason})
}

// DecideAdjustment approves or rejects a pending adjustment proposed by
// someone else than the transaction's actor, and returns it as decided.
func (tx *Tx) DecideAdjustment(id int64, approve bool) (Adjustment, error) {
	state := AdjustRejected
	if approve {
		state = AdjustApproved
	}
	res, err := tx.exec(`UPDATE assess_adjustments SET state = ?, decided_by = ?, decided_name = ?, decided_at = ?
		WHERE id = ? AND state = ? AND proposed_by <> ?`, state, tx.actor.UserID, tx.actor.Username, micros(tx.now),
		id, AdjustPending, tx.actor.UserID)
	if err != nil {
		return Adjustment{}, fmt.Errorf("decide adjustment %d: %w", id, err)
	}
	a, err := tx.adjustment(id)
	if err != nil {
		return a, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if a.ProposedBy == tx.actor.UserID {
			return a, domain.Errorf(domain.CodeForbidden, "err.assess.own_adjustment")
		}
		return a, domain.Errorf(domain.CodeConflict, "err.assess.decided")
	}
	return a, tx.Audit("assess.adjust."+state, "assess_adjustment", strconv.FormatInt(id, 10),
		map[string]any{"state": AdjustPending}, map[string]any{"state": state, "points": a.Points.String(), "org_id": a.OrgID})
}

const adjustmentColumns = `j.id, j.year, j.org_id, o.name, j.points, j.reason, j.state, j.proposed_by, j.proposed_name,
	j.proposed_at, j.decided_name, j.decided_at`

func scanAdjustment(row interface{ Scan(...any) error }) (Adjustment, error) {
	var a Adjustment
	var pts, pat, dat int64
	err := row.Scan(&a.ID, &a.Year, &a.OrgID, &a.OrgName, &pts, &a.Reason, &a.State, &a.ProposedBy, &a.ProposedName,
		&pat, &a.DecidedName, &dat)
	a.Points, a.ProposedAt = assess.Points(pts), fromMicros(pat)
	if dat != 0 {
		a.DecidedAt = fromMicros(dat)
	}
	return a, err
}

func (tx *Tx) adjustment(id int64) (Adjustment, error) {
	a, err := scanAdjustment(tx.queryRow("SELECT "+adjustmentColumns+
		" FROM assess_adjustments j JOIN orgs o ON o.id = j.org_id WHERE j.id = ?", id))
	return a, notFound(err, "err.not_found")
}

// Adjustments returns the adjustments of a year, newest first.
func (s *Store) Adjustments(ctx context.Context, year int) ([]Adjustment, error) {
	rows, err := s.query(ctx, "SELECT "+adjustmentColumns+
		" FROM assess_adjustments j JOIN orgs o ON o.id = j.org_id WHERE j.year = ? ORDER BY j.id DESC", year)
	if err != nil {
		return nil, fmt.Errorf("adjustments: %w", err)
	}
	defer rows.Close()
	var out []Adjustment
	for rows.Next() {
		a, err := scanAdjustment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ApprovedAdjustments returns the approved adjustments of a year by org.
func (s *Store) ApprovedAdjustments(ctx context.Context, year int) (map[int64][]assess.Adjustment, error) {
	all, err := s.Adjustments(ctx, year)
	if err != nil {
		return nil, err
	}
	return approvedByOrg(all), nil
}

func approvedByOrg(all []Adjustment) map[int64][]assess.Adjustment {
	out := map[int64][]assess.Adjustment{}
	for _, a := range all {
		if a.State == AdjustApproved {
			out[a.OrgID] = append(out[a.OrgID], assess.Adjustment{ID: a.ID, Points: a.Points, Reason: a.Reason})
		}
	}
	return out
}

// ApplyAdjustments rewrites the stored score of an org, if there is one,
// with the approved adjustments of its year, in the transaction that
// approved one.
func (tx *Tx) ApplyAdjustments(year int, orgID int64) error {
	var body string
	var total int64
	err := tx.queryRow("SELECT total, breakdown FROM assess_scores WHERE year = ? AND org_id = ?", year, orgID).Scan(&total, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("apply adjustments: %w", err)
	}
	r := assess.Result{OrgID: orgID, Year: year, Total: assess.Points(total)}
	if err := json.Unmarshal([]byte(body), &r.Lines); err != nil {
		return err
	}
	rows, err := tx.query(`SELECT id, points, reason FROM assess_adjustments WHERE year = ? AND org_id = ? AND state = ?`,
		year, orgID, AdjustApproved)
	if err != nil {
		return fmt.Errorf("apply adjustments: %w", err)
	}
	var adjs []assess.Adjustment
	for rows.Next() {
		var a assess.Adjustment
		var p int64
		if err := rows.Scan(&a.ID, &p, &a.Reason); err != nil {
			rows.Close()
			return err
		}
		a.Points = assess.Points(p)
		adjs = append(adjs, a)
	}
	rows.Close()
	r = assess.WithAdjustments(r, adjs)
	out, err := json.Marshal(r.Lines)
	if err != nil {
		return err
	}
	_, err = tx.exec("UPDATE assess_scores SET total = ?, breakdown = ? WHERE year = ? AND org_id = ?",
		int64(r.Total), string(out), year, orgID)
	return err
}

// SetComplaintUpheld records whether the committee found a complaint true
// (情况属实) when answering it.
func (tx *Tx) SetComplaintUpheld(id int64, upheld bool) error {
	if _, err := tx.exec("UPDATE evaluations SET upheld = ? WHERE id = ? AND complaint = ?", upheld, id, true); err != nil {
		return fmt.Errorf("complaint %d upheld: %w", id, err)
	}
	return tx.Audit("evaluation.upheld", "evaluation", strconv.FormatInt(id, 10), nil, map[string]any{"upheld": upheld})
}
