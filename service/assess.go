package service

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"vanguard/assess"
	"vanguard/domain"
	"vanguard/store"
)

// Assessment points (党建考核加分). The committee keeps versioned rules,
// recomputes the year's scores of every org at a level of the tree it
// chooses, and adjusts a score by hand with four eyes: one committee admin
// proposes, another approves. Org admins read the scores of their own
// subtree only. Scores are computed by package assess from facts the store
// gathers from the records, and a recomputation gives the stored scores
// again.

// DefaultAssessLevel is the level scored when none is chosen: the units
// directly under the committee.
const DefaultAssessLevel = 2

// AdjustReasonMax bounds an adjustment's reason.
const AdjustReasonMax = 500

// AssessLevel is a level of the org tree with an example org on it.
type AssessLevel struct {
	Level   int
	Example string
	Orgs    int
}

// orgsAt returns the orgs at a level of the whole tree, by id.
func (s *Service) orgsAt(ctx context.Context, level int) ([]domain.Org, error) {
	all, err := s.store.ListOrgNames(ctx, domain.Scope{All: true})
	if err != nil {
		return nil, err
	}
	var out []domain.Org
	for _, o := range all {
		if store.OrgLevel(o.Path) == level {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// AssessLevels lists the levels of the org tree, for the committee's level
// picker.
func (s *Service) AssessLevels(ctx context.Context, c domain.Caller) ([]AssessLevel, error) {
	if err := domain.Authorize(c.Principal, domain.ActAssessManage, domain.Target{}); err != nil {
		return nil, err
	}
	all, err := s.store.ListOrgNames(ctx, domain.Scope{All: true})
	if err != nil {
		return nil, err
	}
	byLevel := map[int]*AssessLevel{}
	for _, o := range all {
		l := store.OrgLevel(o.Path)
		if byLevel[l] == nil {
			byLevel[l] = &AssessLevel{Level: l, Example: o.Name}
		}
		byLevel[l].Orgs++
	}
	var out []AssessLevel
	for _, l := range byLevel {
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Level < out[j].Level })
	return out, nil
}

// ComputeScores computes, without writing, the scores of year for every
// org at level under rules, with the approved adjustments on top, in org
// id order. It is what a recomputation stores.
func (s *Service) ComputeScores(ctx context.Context, year, level int, rules assess.Rules) ([]assess.Result, error) {
	orgs, err := s.orgsAt(ctx, level)
	if err != nil {
		return nil, err
	}
	facts, err := s.store.AssessFacts(ctx, year, level, "")
	if err != nil {
		return nil, err
	}
	adjs, err := s.store.ApprovedAdjustments(ctx, year)
	if err != nil {
		return nil, err
	}
	out := make([]assess.Result, 0, len(orgs))
	for _, o := range orgs {
		f := assess.Facts{Year: year}
		if x := facts[o.Path]; x != nil {
			f = *x
		}
		f.OrgID = o.ID
		out = append(out, assess.Evaluate(rules, f, adjs[o.ID]))
	}
	return out, nil
}

func checkYear(year int) error {
	if year < 2000 || year > 2099 {
		return domain.Invalid("year", "err.assess.year")
	}
	return nil
}

func checkLevel(level int) error {
	if level < 1 || level > 20 {
		return domain.Invalid("level", "err.assess.level")
	}
	return nil
}

// Recompute computes the scores of year at level under the rules in force
// for the year and stores them in place of the year's scores, audited.
func (s *Service) Recompute(ctx context.Context, c domain.Caller, year, level int) error {
	if err := domain.Authorize(c.Principal, domain.ActAssessManage, domain.Target{}); err != nil {
		return err
	}
	if err := checkYear(year); err != nil {
		return err
	}
	if err := checkLevel(level); err != nil {
		return err
	}
	rv, err := s.store.RulesFor(ctx, year)
	if err != nil {
		return err
	}
	results, err := s.ComputeScores(ctx, year, level, rv.Rules)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.SaveScores(year, level, rv.ID, results) })
}

// RankedScore is a line of the ranking.
type RankedScore struct {
	Rank int
	store.StoredScore
}

// Ranking is the year's scores within the caller's scope.
type Ranking struct {
	Year      int
	Level     int // 0 when nothing is stored
	Rules     store.RulesVersion
	Scores    []RankedScore
	CanManage bool
	Levels    []AssessLevel // the committee's level picker
}

// AssessRanking returns the stored scores of a year within the caller's
// scope, ranked (equal totals share a rank).
func (s *Service) AssessRanking(ctx context.Context, c domain.Caller, year int) (Ranking, error) {
	if err := domain.Authorize(c.Principal, domain.ActAssessRead, domain.Target{}); err != nil {
		return Ranking{}, err
	}
	if err := checkYear(year); err != nil {
		return Ranking{}, err
	}
	v := Ranking{Year: year, CanManage: domain.Can(c.Principal, domain.ActAssessManage, domain.Target{})}
	scores, err := s.store.Scores(ctx, year, domain.ScopeOf(c.Principal, domain.ActAssessRead))
	if err != nil {
		return v, err
	}
	for i, x := range scores {
		rank := i + 1
		if i > 0 && x.Result.Total == scores[i-1].Result.Total {
			rank = v.Scores[i-1].Rank
		}
		v.Scores = append(v.Scores, RankedScore{Rank: rank, StoredScore: x})
		v.Level = x.Level
	}
	if v.Rules, err = s.store.RulesFor(ctx, year); err != nil && domain.ErrCode(err) != domain.CodeNotFound {
		return v, err
	}
	if v.CanManage {
		v.Levels, err = s.AssessLevels(ctx, c)
	}
	return v, err
}

// AssessScore returns the stored score of an org for a year, when the
// caller may read it.
func (s *Service) AssessScore(ctx context.Context, c domain.Caller, year int, orgID int64) (store.StoredScore, error) {
	if err := domain.Authorize(c.Principal, domain.ActAssessRead, domain.Target{}); err != nil {
		return store.StoredScore{}, err
	}
	x, err := s.store.ScoreOf(ctx, year, orgID)
	if err != nil {
		return x, err
	}
	if err := domain.Authorize(c.Principal, domain.ActAssessRead, domain.Target{OrgPath: x.OrgPath}); err != nil {
		return store.StoredScore{}, err
	}
	return x, nil
}

// AssessRecordsView is the list of records behind one line of a breakdown.
type AssessRecordsView struct {
	Score   store.StoredScore
	Rule    assess.Rule
	Line    assess.Line // the stored line, zero when the line earned nothing
	Records []store.AssessRecord
	// Quantity is the records' total in the line's terms: person-times,
	// minutes, batches, the average rating in hundredths, or a count.
	Quantity int64
}

// AssessRecords lists the records behind a line of an org's breakdown.
func (s *Service) AssessRecords(ctx context.Context, c domain.Caller, year int, orgID int64, rule assess.Rule) (AssessRecordsView, error) {
	if !assess.ValidRecordRule(rule) {
		return AssessRecordsView{}, domain.Errorf(domain.CodeNotFound, "err.not_found")
	}
	x, err := s.AssessScore(ctx, c, year, orgID)
	if err != nil {
		return AssessRecordsView{}, err
	}
	v := AssessRecordsView{Score: x, Rule: rule}
	for _, l := range x.Result.Lines {
		if l.Rule == rule {
			v.Line = l
		}
	}
	if v.Records, err = s.store.AssessRecords(ctx, year, rule, x.OrgPath); err != nil {
		return v, err
	}
	var sum int64
	for _, r := range v.Records {
		switch rule {
		case assess.RuleHours:
			sum += r.Minutes
		case assess.RulePersonTimes, assess.RuleEvaluation:
			sum += r.Quantity
		default:
			sum++
		}
	}
	v.Quantity = sum
	if rule == assess.RuleEvaluation && len(v.Records) > 0 {
		n := int64(len(v.Records))
		v.Quantity = (sum*100*2 + n) / (2 * n)
	}
	return v, nil
}

// AssessRules is the rules page: every version and the one in force.
type AssessRules struct {
	Versions   []store.RulesVersion
	Current    store.RulesVersion
	Categories []domain.Category
}

// AssessRulesPage returns the rule versions and the categories that may be
// weighted.
func (s *Service) AssessRulesPage(ctx context.Context, c domain.Caller, year int) (AssessRules, error) {
	if err := domain.Authorize(c.Principal, domain.ActAssessManage, domain.Target{}); err != nil {
		return AssessRules{}, err
	}
	var v AssessRules
	var err error
	if v.Versions, err = s.store.RulesVersions(ctx); err != nil {
		return v, err
	}
	if v.Current, err = s.store.RulesFor(ctx, year); err != nil && domain.ErrCode(err) != domain.CodeNotFound {
		return v, err
	}
	v.Categories, err = s.store.ListCategories(ctx, false)
	return v, err
}

// RulesInput is a new version of the rules as typed.
type RulesInput struct {
	EffectiveOn string
	Note        string
	Form        assess.Form
	Year        int // the year the preview compares and a save recomputes
	Level       int
}

func categoryIDs(cs []domain.Category) []int64 {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

func (s *Service) parseRules(ctx context.Context, in RulesInput) (assess.Rules, string, string, error) {
	cats, err := s.store.ListCategories(ctx, false)
	if err != nil {
		return assess.Rules{}, "", "", err
	}
	var v domain.Validation
	eff := strings.TrimSpace(in.EffectiveOn)
	v.CheckDate("effective_on", eff, domain.EarliestService, domain.LatestPlan)
	note := v.Line("note", in.Note, 200)
	r, err := in.Form.Rules(categoryIDs(cats))
	if e, ok := domain.AsError(err); ok && e.Code == domain.CodeInvalid {
		if len(e.Fields) == 0 {
			v.AddErr(e)
		}
		for _, f := range e.Fields {
			v.AddErr(f)
		}
	} else if err != nil {
		return r, "", "", err
	}
	return r, eff, note, v.Err()
}

// PreviewRow is one org's score before and after a change of rules.
type PreviewRow struct {
	OrgID         int64
	OrgName       string
	Before, After assess.Points
}

// Diff is the change.
func (r PreviewRow) Diff() assess.Points { return r.After - r.Before }

// RulesPreview compares the scores of a year under the rules in force with
// those under the proposed rules, per org, without writing anything.
type RulesPreview struct {
	Year, Level int
	Rows        []PreviewRow
}

// PreviewRules validates proposed rules and computes the difference they
// would make to the year's scores at level.
func (s *Service) PreviewRules(ctx context.Context, c domain.Caller, in RulesInput) (RulesPreview, error) {
	if err := domain.Authorize(c.Principal, domain.ActAssessManage, domain.Target{}); err != nil {
		return RulesPreview{}, err
	}
	r, _, _, err := s.parseRules(ctx, in)
	if err != nil {
		return RulesPreview{}, err
	}
	if err := checkYear(in.Year); err != nil {
		return RulesPreview{}, err
	}
	if err := checkLevel(in.Level); err != nil {
		return RulesPreview{}, err
	}
	cur, err := s.store.RulesFor(ctx, in.Year)
	if err != nil {
		return RulesPreview{}, err
	}
	before, err := s.ComputeScores(ctx, in.Year, in.Level, cur.Rules)
	if err != nil {
		return RulesPreview{}, err
	}
	after, err := s.ComputeScores(ctx, in.Year, in.Level, r)
	if err != nil {
		return RulesPreview{}, err
	}
	orgs, err := s.orgsAt(ctx, in.Level)
	if err != nil {
		return RulesPreview{}, err
	}
	p := RulesPreview{Year: in.Year, Level: in.Level}
	for i, o := range orgs {
		p.Rows = append(p.Rows, PreviewRow{OrgID: o.ID, OrgName: o.Name, Before: before[i].Total, After: after[i].Total})
	}
	sort.SliceStable(p.Rows, func(i, j int) bool { return p.Rows[i].After > p.Rows[j].After })
	return p, nil
}

// SaveRules stores a new version of the rules and, when it is the version
// in force for the year of the form, recomputes that year's scores at the
// form's level in the same transaction.
func (s *Service) SaveRules(ctx context.Context, c domain.Caller, in RulesInput) (int64, error) {
	if err := domain.Authorize(c.Principal, domain.ActAssessManage, domain.Target{}); err != nil {
		return 0, err
	}
	r, eff, note, err := s.parseRules(ctx, in)
	if err != nil {
		return 0, err
	}
	// The year and level the scores are kept for are part of the form: a
	// save that could not recompute them would leave stored scores that no
	// longer follow the rules in force.
	if err := checkYear(in.Year); err != nil {
		return 0, err
	}
	if err := checkLevel(in.Level); err != nil {
		return 0, err
	}
	recompute := eff <= strconv.Itoa(in.Year)+"-12-31"
	if recompute {
		// A version of the same date saved earlier would still win over an
		// older one, and this one is the newest: it is in force for the year
		// unless a later date is already in force.
		if cur, err := s.store.RulesFor(ctx, in.Year); err == nil && cur.EffectiveOn > eff {
			recompute = false
		}
	}
	var results []assess.Result
	if recompute {
		if results, err = s.ComputeScores(ctx, in.Year, in.Level, r); err != nil {
			return 0, err
		}
	}
	var id int64
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		if id, err = tx.AddRules(eff, r, note); err != nil || !recompute {
			return err
		}
		return tx.SaveScores(in.Year, in.Level, id, results)
	})
	return id, err
}

// AdjustmentInput is a proposed adjustment as typed.
type AdjustmentInput struct {
	Year   int
	OrgID  int64
	Points string
	Reason string
}

// ProposeAdjustment records a committee admin's proposal to add (or take)
// points to an org's score, with a reason; another admin decides it.
func (s *Service) ProposeAdjustment(ctx context.Context, c domain.Caller, in AdjustmentInput) (int64, error) {
	if err := domain.Authorize(c.Principal, domain.ActAssessManage, domain.Target{}); err != nil {
		return 0, err
	}
	var v domain.Validation
	v.AddErr(checkYear(in.Year))
	if in.OrgID <= 0 {
		v.Add("org", "err.required")
	} else if _, err := s.store.OrgByID(ctx, in.OrgID); err != nil {
		v.Add("org", "err.assess.org")
	} else if checkYear(in.Year) == nil {
		// An adjustment adds to a stored score; one for an org not scored
		// that year would be approved and change nothing.
		if _, err := s.store.ScoreOf(ctx, in.Year, in.OrgID); err != nil {
			v.Add("org", "err.assess.unscored")
		}
	}
	pts, ok := assess.ParsePoints(in.Points, true)
	switch {
	case strings.TrimSpace(in.Points) == "":
		v.Add("points", "err.required")
	case !ok:
		v.Add("points", "err.assess.number")
	case pts == 0:
		v.Add("points", "err.assess.zero")
	case pts > 100000 || pts < -100000:
		v.Add("points", "err.assess.too_many")
	}
	reason := v.Text("reason", in.Reason, AdjustReasonMax)
	if reason == "" {
		v.Add("reason", "err.required")
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	var id int64
	err := s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		var err error
		id, err = tx.ProposeAdjustment(in.Year, in.OrgID, pts, reason)
		return err
	})
	return id, err
}

// DecideAdjustment approves or rejects a pending adjustment. Nobody decides
// their own proposal. An approved adjustment joins the org's stored score
// at once, on top of the capped rule points.
func (s *Service) DecideAdjustment(ctx context.Context, c domain.Caller, id int64, approve bool) error {
	if err := domain.Authorize(c.Principal, domain.ActAssessManage, domain.Target{}); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		a, err := tx.DecideAdjustment(id, approve)
		if err != nil || !approve {
			return err
		}
		return tx.ApplyAdjustments(a.Year, a.OrgID)
	})
}

// AdjustmentsView is the adjustments page of a year.
type AdjustmentsView struct {
	Year        int
	Adjustments []store.Adjustment
	Orgs        []domain.Org // the orgs that may be adjusted: those scored this year
	Me          int64
}

// AssessAdjustments lists the adjustments of a year and the orgs scored in
// it, for the committee.
func (s *Service) AssessAdjustments(ctx context.Context, c domain.Caller, year int) (AdjustmentsView, error) {
	if err := domain.Authorize(c.Principal, domain.ActAssessManage, domain.Target{}); err != nil {
		return AdjustmentsView{}, err
	}
	if err := checkYear(year); err != nil {
		return AdjustmentsView{}, err
	}
	v := AdjustmentsView{Year: year, Me: c.UserID}
	var err error
	if v.Adjustments, err = s.store.Adjustments(ctx, year); err != nil {
		return v, err
	}
	scores, err := s.store.Scores(ctx, year, domain.Scope{All: true})
	if err != nil {
		return v, err
	}
	for _, x := range scores {
		v.Orgs = append(v.Orgs, domain.Org{ID: x.OrgID, Name: x.OrgName, Path: x.OrgPath})
	}
	sort.Slice(v.Orgs, func(i, j int) bool { return v.Orgs[i].Name < v.Orgs[j].Name })
	return v, nil
}
