package service_test

import (
	"context"
	"testing"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// demoPrincipals signs in with every demo login and returns the principals
// by role.
func demoPrincipals(t *testing.T, svc *service.Service, logins []service.DemoLogin) map[domain.Role]domain.Caller {
	t.Helper()
	ctx := context.Background()
	out := map[domain.Role]domain.Caller{}
	for _, l := range logins {
		if _, ok := out[l.Role]; ok {
			continue // the first login of a role stands for it
		}
		cookie, err := svc.Login(ctx, visitor, l.Username, l.Password, "", "test")
		must(t, err)
		p, _, err := svc.Authenticate(ctx, cookie)
		must(t, err)
		out[l.Role] = domain.Caller{Principal: p, IP: "192.0.2.1", RequestID: "t"}
	}
	return out
}

// TestDemoCampaignReproducesTheSeed checks the campaign page's figures on
// the demo city against the seed report's paragraph on 十个全覆盖: six
// batches, 300 people, 250 m³ of old boards, 120 truckloads of garbage,
// 5,000 m of fence, 2 t of roadside garbage and 300 trees.
func TestDemoCampaignReproducesTheSeed(t *testing.T) {
	skipUnderRace(t)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, logins := loadDemo(t, s)
		callers := demoPrincipals(t, svc, logins)
		admin := callers[domain.RoleCommitteeAdmin]

		camps, err := svc.Campaigns(ctx, admin)
		must(t, err)
		var id int64
		for _, c := range camps {
			if c.Name == "十个全覆盖" {
				id = c.ID
			}
		}
		if id == 0 {
			t.Fatalf("no campaign 十个全覆盖 among %+v", camps)
		}
		v, err := svc.Campaign(ctx, admin, id)
		must(t, err)
		if len(v.Campaign.Batches) != 6 {
			t.Fatalf("%d batches, want 6", len(v.Campaign.Batches))
		}
		for i, b := range v.Campaign.Batches {
			if b.Number != i+1 || v.Sums[b.ID].People != 50 || v.Sums[b.ID].PersonTimes != 50 {
				t.Errorf("batch %d: number %d, sums %+v; want 50 people, 50 person-times", i+1, b.Number, v.Sums[b.ID])
			}
		}
		tot := v.Total
		if tot.People != 300 || tot.PersonTimes != 300 || tot.Activities != 10 || tot.Minutes <= 0 || tot.Beneficiaries <= 0 {
			t.Errorf("total %+v; want 300 people, 300 person-times, 10 activities, hours and beneficiaries", tot)
		}
		for code, want := range map[string]domain.Quantity{
			"boards_cleared": domain.Units(250), "garbage_loads": domain.Units(120), "fence_built": domain.Units(5000),
			"garbage_tons": domain.Units(2), "trees_planted": domain.Units(300),
		} {
			if got := tot.Value(code); got != want {
				t.Errorf("total %s = %s, want %s", code, got, want)
			}
		}
		// Org admins and leaders read it too, and cannot change it.
		for _, r := range []domain.Role{domain.RoleOrgAdmin, domain.RoleTeamLeader} {
			w, err := svc.Campaign(ctx, callers[r], id)
			if err != nil || w.CanManage || w.Total.People != 300 {
				t.Errorf("%s: Campaign = manage %v, people %d, %v", r, w.CanManage, w.Total.People, err)
			}
		}
		if _, err := svc.Campaign(ctx, callers[domain.RoleVolunteer], id); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("volunteer: Campaign error %v, want forbidden", err)
		}

		checkDemoProjects(t, svc, callers)
	})
}

// checkDemoProjects checks the brand projects: long-term ones with a
// history of activities and outcomes, one short-term one, and the leader
// seeing their own team's.
func checkDemoProjects(t *testing.T, svc *service.Service, callers map[domain.Role]domain.Caller) {
	t.Helper()
	ctx := context.Background()
	all, err := svc.Projects(ctx, callers[domain.RoleCommitteeAdmin])
	must(t, err)
	long, short := 0, 0
	for _, p := range all.Projects {
		if p.Term == domain.TermShort {
			short++
			continue
		}
		long++
		v, err := svc.Project(ctx, callers[domain.RoleCommitteeAdmin], p.ID)
		must(t, err)
		if len(v.Activities) < 3 || v.Sums.PersonTimes == 0 || v.Sums.Beneficiaries == 0 || len(v.Sums.Metrics) == 0 {
			t.Errorf("project %s: %d activities, sums %+v; want a history with outcomes", p.Name, len(v.Activities), v.Sums)
		}
	}
	if long < 4 || short < 1 {
		t.Errorf("%d long-term and %d short-term projects, want at least 4 and 1", long, short)
	}
	mine, err := svc.Projects(ctx, callers[domain.RoleTeamLeader])
	must(t, err)
	if len(mine.Projects) == 0 || len(mine.Projects) >= len(all.Projects) {
		t.Errorf("the leader sees %d of %d projects; want their team's only", len(mine.Projects), len(all.Projects))
	}
	for _, p := range mine.Projects {
		if _, err := svc.Project(ctx, callers[domain.RoleTeamLeader], p.ID); err != nil {
			t.Errorf("leader: Project(%s): %v", p.Name, err)
		}
	}
	for _, p := range all.Projects {
		if p.TeamName != mine.Projects[0].TeamName {
			if _, err := svc.Project(ctx, callers[domain.RoleTeamLeader], p.ID); domain.ErrCode(err) != domain.CodeForbidden {
				t.Errorf("leader: Project(%s of %s) error %v, want forbidden", p.Name, p.TeamName, err)
			}
			break
		}
	}
}
