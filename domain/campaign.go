package domain

import (
	"strings"
	"time"
)

// Campaign is a key task (重点任务) such as 十个全覆盖 that the committee runs
// in numbered batches (第一批, 第二批 …); activities belong to a batch.
type Campaign struct {
	ID          int64
	Name        string
	Description string
	StartsOn    string // YYYY-MM-DD
	EndsOn      string
	CreatedAt   time.Time
	Batches     []Batch
	// Filled by lists.
	Activities int
}

// Batch is one numbered batch of a campaign.
type Batch struct {
	ID         int64
	CampaignID int64
	Number     int    // 1, 2, 3 …: 第一批, 第二批 …
	Note       string // where or what, e.g. 陈巴尔虎旗 环境整治
	StartsOn   string // optional, YYYY-MM-DD
	EndsOn     string
}

// Limits on campaigns, batches and projects.
const (
	CampaignNameMax = 60
	CampaignTextMax = 2000
	BatchNoteMax    = 60
	MaxBatches      = 99
)

// CampaignInput is what the committee enters for a campaign.
type CampaignInput struct {
	Name        string
	Description string
	StartsOn    string
	EndsOn      string
}

// Validate checks the input, naming each bad field, and returns it trimmed.
func (in CampaignInput) Validate() (CampaignInput, error) {
	var v Validation
	in.Name = ValidateName(&v, "name", in.Name, CampaignNameMax)
	in.Description = v.Text("description", in.Description, CampaignTextMax)
	validPeriod(&v, &in.StartsOn, &in.EndsOn, true)
	return in, v.Err()
}

// validPeriod checks a period of dates; the start is required when
// required is set, the end may be empty (still running).
func validPeriod(v *Validation, from, to *string, required bool) {
	*from, *to = strings.TrimSpace(*from), strings.TrimSpace(*to)
	switch {
	case *from == "" && required:
		v.Add("starts_on", "err.required")
	case *from != "" && !ValidDate(*from):
		v.Add("starts_on", "err.campaign.date")
	case *from != "":
		v.CheckDate("starts_on", *from, EarliestService, LatestPlan)
	}
	switch {
	case *to == "":
	case !ValidDate(*to):
		v.Add("ends_on", "err.campaign.date")
	case *from != "" && *to < *from:
		v.Add("ends_on", "err.campaign.end_before_start")
	default:
		v.CheckDate("ends_on", *to, EarliestService, LatestPlan)
	}
}

// BatchInput is what the committee enters for a new batch.
type BatchInput struct {
	Note     string
	StartsOn string
	EndsOn   string
}

// Validate checks the input and returns it trimmed.
func (in BatchInput) Validate() (BatchInput, error) {
	var v Validation
	in.Note = v.Line("note", in.Note, BatchNoteMax)
	validPeriod(&v, &in.StartsOn, &in.EndsOn, false)
	return in, v.Err()
}

// Sums are what a set of activities came to: the figures a campaign page
// shows per batch and in total.
type Sums struct {
	Activities    int
	People        int // distinct volunteers who attended
	PersonTimes   int // 人次: one per attended person and activity
	Minutes       Minutes
	Beneficiaries int
	Metrics       []MetricSum // in the metrics' order, only those recorded
}

// MetricSum is one metric's total.
type MetricSum struct {
	Metric Metric
	Value  Quantity
}

// Value returns the total of the metric with code, 0 when none was recorded.
func (s Sums) Value(code string) Quantity {
	for _, m := range s.Metrics {
		if m.Metric.Code == code {
			return m.Value
		}
	}
	return 0
}

// ProjectTerm says whether a brand project is long-term (长期品牌项目) or
// short-term (短期项目), like a menu item's term.
type ProjectTerm = MenuTerm

// Project is a brand project (品牌项目): a long-term recurring service with
// its history of activities, or a short-term one marked as such. It is owned
// by a team, or by an org directly.
type Project struct {
	ID          int64
	Name        string
	Term        ProjectTerm
	OrgID       int64
	OrgName     string
	OrgPath     string
	TeamID      int64
	TeamName    string
	Description string
	StartedOn   string // YYYY-MM-DD
	EndedOn     string // empty while it runs
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Filled by lists.
	Activities  int
	PersonTimes int
	LastOn      string // the date of its latest activity
}

// Target is the project as the policy sees it: its org and team.
func (p Project) Target() Target { return Target{OrgPath: p.OrgPath, TeamID: p.TeamID} }

// ProjectInput is what a leader or an admin enters for a project.
type ProjectInput struct {
	Name        string
	Term        ProjectTerm
	TeamID      int64 // 0: the org runs it directly
	OrgID       int64 // filled from the team when a team is chosen
	Description string
	StartedOn   string
	EndedOn     string
}

// Validate checks the input, naming each bad field, and returns it trimmed.
func (in ProjectInput) Validate() (ProjectInput, error) {
	var v Validation
	in.Name = ValidateName(&v, "name", in.Name, CampaignNameMax)
	v.Check(in.Term == TermLong || in.Term == TermShort, "term", "err.project.term")
	v.Check(in.TeamID > 0 || in.OrgID > 0, "team", "err.project.owner")
	in.Description = v.Text("description", in.Description, CampaignTextMax)
	validPeriod(&v, &in.StartedOn, &in.EndedOn, true)
	return in, v.Err()
}

// Summary is the project as the audit log records it.
func (in ProjectInput) Summary() map[string]any {
	return map[string]any{"name": in.Name, "term": in.Term, "team_id": in.TeamID, "org_id": in.OrgID,
		"description": in.Description, "started_on": in.StartedOn, "ended_on": in.EndedOn}
}

// Summary is the campaign input as the audit log records it.
func (in CampaignInput) Summary() map[string]any {
	return map[string]any{"name": in.Name, "description": in.Description, "starts_on": in.StartsOn, "ends_on": in.EndsOn}
}
