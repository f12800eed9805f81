package service

import (
	"context"
	"strings"

	"vanguard/domain"
	"vanguard/store"
)

// Key-task campaigns (重点任务) are run by the committee in numbered batches;
// the committee, org admins and team leaders read their sums. Brand projects
// (品牌项目) belong to a team or an org, whose leaders and admins keep them.

// Campaigns lists every campaign with its batches.
func (s *Service) Campaigns(ctx context.Context, c domain.Caller) ([]domain.Campaign, error) {
	if err := domain.Authorize(c.Principal, domain.ActCampaignRead, domain.Target{}); err != nil {
		return nil, err
	}
	return s.store.ListCampaigns(ctx)
}

// CreateCampaign adds a campaign.
func (s *Service) CreateCampaign(ctx context.Context, c domain.Caller, in domain.CampaignInput) (int64, error) {
	if err := domain.Authorize(c.Principal, domain.ActCampaignManage, domain.Target{}); err != nil {
		return 0, err
	}
	in, err := in.Validate()
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		id, err = tx.CreateCampaign(in)
		return err
	})
	return id, err
}

// UpdateCampaign changes a campaign's name, description and period.
func (s *Service) UpdateCampaign(ctx context.Context, c domain.Caller, id int64, in domain.CampaignInput) error {
	if err := domain.Authorize(c.Principal, domain.ActCampaignManage, domain.Target{}); err != nil {
		return err
	}
	before, err := s.store.CampaignByID(ctx, id)
	if err != nil {
		return err
	}
	if in, err = in.Validate(); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.UpdateCampaign(before, in) })
}

// CampaignView is a campaign's page: its batches with their activities and
// sums, the total, and for the committee the activities it may add.
type CampaignView struct {
	Campaign   domain.Campaign
	Sums       map[int64]domain.Sums // by batch id
	Total      domain.Sums
	Activities map[int64][]domain.Activity // by batch id
	CanManage  bool
	Candidates []domain.Activity // in the period and in no batch
}

// Campaign returns a campaign with its sums per batch and in total.
func (s *Service) Campaign(ctx context.Context, c domain.Caller, id int64) (CampaignView, error) {
	if err := domain.Authorize(c.Principal, domain.ActCampaignRead, domain.Target{}); err != nil {
		return CampaignView{}, err
	}
	camp, err := s.store.CampaignByID(ctx, id)
	if err != nil {
		return CampaignView{}, err
	}
	v := CampaignView{Campaign: camp, CanManage: domain.Can(c.Principal, domain.ActCampaignManage, domain.Target{})}
	if v.Sums, v.Total, err = s.store.CampaignSums(ctx, id); err != nil {
		return v, err
	}
	if v.Activities, err = s.store.CampaignActivities(ctx, id); err != nil {
		return v, err
	}
	if v.CanManage {
		v.Candidates, err = s.store.BatchCandidates(ctx, camp.StartsOn, camp.EndsOn)
	}
	return v, err
}

// AddBatch adds the next numbered batch to a campaign.
func (s *Service) AddBatch(ctx context.Context, c domain.Caller, campaignID int64, in domain.BatchInput) (domain.Batch, error) {
	if err := domain.Authorize(c.Principal, domain.ActCampaignManage, domain.Target{}); err != nil {
		return domain.Batch{}, err
	}
	if _, err := s.store.CampaignByID(ctx, campaignID); err != nil {
		return domain.Batch{}, err
	}
	in, err := in.Validate()
	if err != nil {
		return domain.Batch{}, err
	}
	var b domain.Batch
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		b, err = tx.AddBatch(campaignID, in)
		return err
	})
	return b, err
}

// AssignActivity puts an activity in a batch of a campaign, or takes it out
// (add false). An activity is in one batch at most; a cancelled one joins
// none.
func (s *Service) AssignActivity(ctx context.Context, c domain.Caller, campaignID, batchID, activityID int64, add bool) error {
	if err := domain.Authorize(c.Principal, domain.ActCampaignManage, domain.Target{}); err != nil {
		return err
	}
	if batchID <= 0 {
		return domain.Invalid("batch", "err.campaign.pick_batch")
	}
	b, err := s.store.BatchByID(ctx, batchID)
	if err != nil {
		return err
	}
	if b.CampaignID != campaignID {
		return domain.Errorf(domain.CodeNotFound, "err.batch.not_found")
	}
	if activityID <= 0 {
		return domain.Invalid("activity", "err.campaign.pick_activity")
	}
	a, err := s.store.ActivityByID(ctx, activityID)
	if err != nil {
		return err
	}
	links, err := s.store.ActivityLinksOf(ctx, a.ID)
	if err != nil {
		return err
	}
	switch {
	case add && links.BatchID == b.ID:
		return nil // already there: a second click changes nothing
	case add && links.BatchID != 0:
		return domain.Errorf(domain.CodeConflict, "err.campaign.activity_taken")
	case add && a.State == domain.ActivityCancelled:
		return domain.Errorf(domain.CodeConflict, "err.campaign.activity_cancelled")
	case !add && links.BatchID != b.ID:
		return nil
	}
	to := b.ID
	if !add {
		to = 0
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.SetActivityBatch(a.ID, links.BatchID, to) })
}

// Brand projects.

// ProjectList is the projects page.
type ProjectList struct {
	Projects  []domain.Project
	CanCreate bool
}

// Projects lists the projects in the caller's scope: the committee all, an
// org admin those of their subtree, a leader their team's.
func (s *Service) Projects(ctx context.Context, c domain.Caller) (ProjectList, error) {
	if err := domain.Authorize(c.Principal, domain.ActCampaignRead, domain.Target{}); err != nil {
		return ProjectList{}, err
	}
	ps, err := s.store.ListProjects(ctx, domain.ScopeOf(c.Principal, domain.ActProjectManage))
	return ProjectList{Projects: ps, CanCreate: domain.Can(c.Principal, domain.ActProjectManage, domain.Target{})}, err
}

// ProjectTeams lists the teams the caller may run projects for, and whether
// they may run one with no team (the committee, directly).
func (s *Service) ProjectTeams(ctx context.Context, c domain.Caller) ([]domain.Team, bool, error) {
	if err := domain.Authorize(c.Principal, domain.ActProjectManage, domain.Target{}); err != nil {
		return nil, false, err
	}
	ts, err := s.store.ListTeams(ctx, store.TeamFilter{Scope: domain.ScopeOf(c.Principal, domain.ActProjectManage)})
	return ts, domain.ScopeOf(c.Principal, domain.ActProjectManage).All, err
}

// checkProject validates in, fills its org from its team (or the root org
// for a project the committee runs directly) and authorizes the caller.
func (s *Service) checkProject(ctx context.Context, c domain.Caller, in domain.ProjectInput) (domain.ProjectInput, error) {
	in.OrgID = 0
	var target domain.Target
	var v domain.Validation
	if in.TeamID > 0 {
		t, err := s.store.TeamByID(ctx, in.TeamID)
		if err != nil {
			v.Add("team", "err.team.not_found")
		} else {
			in.OrgID, target = t.OrgID, t.Target()
		}
	} else if domain.ScopeOf(c.Principal, domain.ActProjectManage).All {
		root, err := s.store.RootOrgID(ctx)
		if err != nil {
			return in, err
		}
		org, err := s.store.OrgByID(ctx, root)
		if err != nil {
			return in, err
		}
		in.OrgID, target = org.ID, org.Target()
	}
	in, err := in.Validate()
	v.AddErr(err)
	if err := v.Err(); err != nil {
		return in, err
	}
	return in, domain.Authorize(c.Principal, domain.ActProjectManage, target)
}

// CreateProject adds a brand project.
func (s *Service) CreateProject(ctx context.Context, c domain.Caller, in domain.ProjectInput) (int64, error) {
	if err := domain.Authorize(c.Principal, domain.ActProjectManage, domain.Target{}); err != nil {
		return 0, err
	}
	in, err := s.checkProject(ctx, c, in)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		id, err = tx.CreateProject(in)
		return err
	})
	return id, err
}

// manageProject loads a project the caller may manage.
func (s *Service) manageProject(ctx context.Context, c domain.Caller, id int64) (domain.Project, error) {
	if err := domain.Authorize(c.Principal, domain.ActProjectManage, domain.Target{}); err != nil {
		return domain.Project{}, err
	}
	p, err := s.store.ProjectByID(ctx, id)
	if err != nil {
		return p, err
	}
	return p, domain.Authorize(c.Principal, domain.ActProjectManage, p.Target())
}

// EditProject returns a project for its edit form.
func (s *Service) EditProject(ctx context.Context, c domain.Caller, id int64) (domain.Project, error) {
	return s.manageProject(ctx, c, id)
}

// UpdateProject changes a project; its new owner must be in the caller's
// scope too.
func (s *Service) UpdateProject(ctx context.Context, c domain.Caller, id int64, in domain.ProjectInput) error {
	before, err := s.manageProject(ctx, c, id)
	if err != nil {
		return err
	}
	if in, err = s.checkProject(ctx, c, in); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.UpdateProject(before, in) })
}

// ProjectView is a project's page: its activities by date with their
// person-times, hours and outcomes, and the totals.
type ProjectView struct {
	Project    domain.Project
	Activities []domain.Activity
	Outcomes   map[int64]domain.Outcome
	Metrics    map[int64]domain.Metric
	Sums       domain.Sums
	CanManage  bool
	Candidates []domain.Activity
}

// Project returns a project in the caller's scope with its history.
func (s *Service) Project(ctx context.Context, c domain.Caller, id int64) (ProjectView, error) {
	if err := domain.Authorize(c.Principal, domain.ActCampaignRead, domain.Target{}); err != nil {
		return ProjectView{}, err
	}
	p, err := s.store.ProjectByID(ctx, id)
	if err != nil {
		return ProjectView{}, err
	}
	if err := domain.Authorize(c.Principal, domain.ActProjectManage, p.Target()); err != nil {
		return ProjectView{}, err
	}
	v := ProjectView{Project: p, CanManage: true, Metrics: map[int64]domain.Metric{}}
	if v.Activities, err = s.store.ProjectActivities(ctx, id); err != nil {
		return v, err
	}
	ids := make([]int64, len(v.Activities))
	for i, a := range v.Activities {
		ids[i] = a.ID
	}
	if v.Outcomes, err = s.store.OutcomesOf(ctx, ids); err != nil {
		return v, err
	}
	ms, err := s.store.ListMetrics(ctx, true)
	if err != nil {
		return v, err
	}
	for _, m := range ms {
		v.Metrics[m.ID] = m
	}
	if v.Sums, err = s.store.ProjectSums(ctx, id); err != nil {
		return v, err
	}
	v.Candidates, err = s.store.ProjectCandidates(ctx, p)
	return v, err
}

// LinkProjectActivity adds an activity to a project's history, or removes
// it (add false). The activity must be one of the project's team (or within
// its org's subtree) and in no other project.
func (s *Service) LinkProjectActivity(ctx context.Context, c domain.Caller, projectID, activityID int64, add bool) error {
	p, err := s.manageProject(ctx, c, projectID)
	if err != nil {
		return err
	}
	if activityID <= 0 {
		return domain.Invalid("activity", "err.campaign.pick_activity")
	}
	a, err := s.store.ActivityByID(ctx, activityID)
	if err != nil {
		return err
	}
	links, err := s.store.ActivityLinksOf(ctx, a.ID)
	if err != nil {
		return err
	}
	if !add {
		if links.ProjectID != p.ID {
			return nil
		}
		return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.SetActivityProject(a.ID, p.ID, 0) })
	}
	switch {
	case links.ProjectID == p.ID:
		return nil
	case links.ProjectID != 0:
		return domain.Errorf(domain.CodeConflict, "err.project.activity_taken")
	case a.State == domain.ActivityCancelled:
		return domain.Errorf(domain.CodeConflict, "err.campaign.activity_cancelled")
	case p.TeamID > 0 && !a.HasTeam(p.TeamID), p.TeamID == 0 && !strings.HasPrefix(a.OrgPath, p.OrgPath):
		return domain.Errorf(domain.CodeConflict, "err.project.activity_other")
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.SetActivityProject(a.ID, 0, p.ID) })
}
