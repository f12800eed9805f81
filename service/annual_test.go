package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestDemoAnnualReportStatesTheSeed checks that the demo city's report for
// its year states every figure of the seed report: the teams and
// volunteers, the group services, the key task 十个全覆盖, the free clinics
// and gifts; and that an org admin sees their own subtree only.
func TestDemoAnnualReportStatesTheSeed(t *testing.T) {
	skipUnderRace(t)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		s.SetClock(func() time.Time { return time.Date(2026, 12, 1, 10, 0, 0, 0, domain.ChinaZone) })
		svc, logins := loadDemo(t, s)
		callers := demoPrincipals(t, svc, logins)
		ctx := i18n.With(context.Background(), i18n.ZH)
		v, err := svc.AnnualReport(ctx, callers[domain.RoleCommitteeAdmin], 0, 0)
		must(t, err)
		if v.Year != 2026 {
			t.Fatalf("year %d, want 2026", v.Year)
		}
		var b strings.Builder
		for _, p := range v.Paragraphs {
			b.WriteString(p.Heading + "\n" + strings.Join(p.Text, "") + "\n")
		}
		text := b.String()
		st := v.Stats
		if st.Group.PersonTimes < 300 || st.Group.PersonTimes >= 380 {
			t.Errorf("group services' person-times %d; want more than 300 (and not nearly 400)", st.Group.PersonTimes)
		}
		for _, want := range []string{"54 支党员志愿者服务队", "有党员志愿者 1,200 余名", "13 支青年志愿者服务队", "有青年志愿者 近 500 名",
			"16 个单位", "余人次深入基层一线", "开展组团式服务 10 次", "受益人数 近 2,000 人",
			"“十个全覆盖”重点任务中，先后分 6 批组织 300 名党员志愿者", "整理旧木板 250 立方米", "清理垃圾 120 车",
			"新建栅栏 5,000 米", "清运垃圾 2 吨", "植树 300 棵",
			"“走基层 惠百姓”品牌项目", "义诊人数 700 余人", "捐赠款物 30,000 余元", "二、服务形式", "六、问题与建议"} {
			if !strings.Contains(text, want) {
				t.Errorf("the 2026 report does not state %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "annual.") || strings.Contains(text, "%!") {
			t.Errorf("untranslated key or bad argument:\n%s", text)
		}
		if len(v.Groups) != 10 || v.GroupsTotal != 10 || v.Stats.GroupUnits != 16 || len(v.Campaigns) != 1 || v.Campaigns[0].Batches != 6 {
			t.Errorf("tables: %d of %d group services of %d units, campaigns %+v", len(v.Groups), v.GroupsTotal, v.Stats.GroupUnits, v.Campaigns)
		}
		var sum int64
		for _, g := range v.Groups {
			sum += g.Beneficiaries
		}
		if sum != st.Group.Beneficiaries {
			t.Errorf("group services' table adds up to %d beneficiaries, the text states %d", sum, st.Group.Beneficiaries)
		}
		en, err := svc.AnnualReport(i18n.With(context.Background(), i18n.EN), callers[domain.RoleCommitteeAdmin], 2026, 0)
		must(t, err)
		if got := strings.Join(en.Paragraphs[0].Text, " "); !strings.Contains(got, "54 party-member volunteer teams with more than 1,200") {
			t.Errorf("English: %s", got)
		}

		// An org admin: their subtree, and not found for another org.
		org := callers[domain.RoleOrgAdmin]
		mine, err := svc.AnnualReport(ctx, org, 2026, 0)
		must(t, err)
		if mine.Stats.Teams[domain.TeamParty] >= 54 || mine.Stats.Activities >= st.Activities {
			t.Errorf("org admin sees %v teams and %d activities of the city's %d", mine.Stats.Teams, mine.Stats.Activities, st.Activities)
		}
		sc := domain.ScopeOf(org.Principal, domain.ActAnnualReport)
		for _, o := range v.Orgs {
			if o.Kind == domain.OrgUnit && !inPaths(sc.OrgPaths, o.Path) {
				if _, err := svc.AnnualReport(ctx, org, 2026, o.ID); domain.ErrCode(err) != domain.CodeNotFound {
					t.Errorf("org admin: report of %s: %v, want not found", o.Name, err)
				}
				break
			}
		}
		if _, err := svc.AnnualReport(ctx, callers[domain.RoleTeamLeader], 2026, 0); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("team leader: %v, want forbidden", err)
		}
	})
}

func inPaths(paths []string, p string) bool {
	for _, x := range paths {
		if strings.HasPrefix(p, x) {
			return true
		}
	}
	return false
}
