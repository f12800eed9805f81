package service

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// The demo city's outcomes (成效), its key-task campaign and its brand
// projects. They are drawn from their own seed, so the rest of the city
// stays as it was.
var demoOutcomeSeed = [2]uint64{2018, 12}

// demoCampaign is the seed's key task: "先后分 6 批组织 300 余名市直机关党员、
// 团员青年、党务干部和入党积极分子深入陈巴尔虎旗、海拉尔区和 xx 农垦集团下属生产队
// 重点开展环境整治和植树工作，共整理旧木板 250 余立方米，清理建筑和生活垃圾 120 余车，
// 拆旧板帐并建新栅栏 5000 余米，清运道路沿边垃圾近 2 吨，植树 300 棵". Its six
// batches, fifty people each, add up to those figures exactly.
var demoCampaign = struct {
	name, description string
	batches           []demoBatch
}{
	name: "十个全覆盖",
	description: "“十个全覆盖”工程：组织市直机关党员、团员青年、党务干部和入党积极分子分批深入陈巴尔虎旗、" +
		"海拉尔区和农垦集团下属生产队，重点开展环境整治和植树工作，改变村容村貌。",
	batches: []demoBatch{
		{"陈巴尔虎旗 巴彦库仁镇", "陈巴尔虎旗", []demoCampActivity{
			{"环境整治", "environment", "巴彦库仁镇 巴彦嘎查", 30, 420,
				map[string]string{"boards_cleared": "45", "garbage_loads": "22", "fence_built": "800", "garbage_tons": "0.3"}},
			{"义务植树", "tree_planting", "巴彦库仁镇 西山防护林带", 20, 180, map[string]string{"trees_planted": "120"}},
		}},
		{"海拉尔区 奋斗镇", "海拉尔区", []demoCampActivity{
			{"环境整治", "environment", "奋斗镇 红星村", 30, 360,
				map[string]string{"boards_cleared": "40", "garbage_loads": "18", "fence_built": "900", "garbage_tons": "0.4"}},
			{"义务植树", "tree_planting", "奋斗镇 通村公路两侧", 20, 150, map[string]string{"trees_planted": "100"}},
		}},
		{"陈巴尔虎旗 宝日希勒镇", "陈巴尔虎旗", []demoCampActivity{
			{"环境整治", "environment", "宝日希勒镇 呼和嘎查", 30, 390,
				map[string]string{"boards_cleared": "50", "garbage_loads": "25", "fence_built": "1000", "garbage_tons": "0.35"}},
			{"义务植树", "tree_planting", "宝日希勒镇 嘎查村部周边", 20, 120, map[string]string{"trees_planted": "80"}},
		}},
		{"农垦集团 谢尔塔拉农牧场", "海拉尔区", []demoCampActivity{
			{"清理垃圾 整理旧木板", "environment", "谢尔塔拉农牧场 第二生产队", 25, 260,
				map[string]string{"boards_cleared": "35", "garbage_loads": "20", "garbage_tons": "0.25"}},
			{"拆旧板帐 建新栅栏", "environment", "谢尔塔拉农牧场 第三生产队", 25, 240,
				map[string]string{"fence_built": "700"}},
		}},
		{"陈巴尔虎旗 呼和诺尔镇", "陈巴尔虎旗", []demoCampActivity{
			{"环境整治", "environment", "呼和诺尔镇 锡林嘎查", 50, 480,
				map[string]string{"boards_cleared": "40", "garbage_loads": "15", "fence_built": "850", "garbage_tons": "0.3"}},
		}},
		{"农垦集团 特泥河农牧场", "陈巴尔虎旗", []demoCampActivity{
			{"环境整治", "environment", "特泥河农牧场 第一生产队", 50, 450,
				map[string]string{"boards_cleared": "40", "garbage_loads": "20", "fence_built": "750", "garbage_tons": "0.4"}},
		}},
	},
}

type demoBatch struct {
	note, banner string
	activities   []demoCampActivity
}

type demoCampActivity struct {
	title, category, address string
	people, beneficiaries    int
	values                   map[string]string // metric code → value
}

// demoProjects are the brand projects: the seed's 科技蹲点, 走基层 惠百姓 and
// 文化下乡, two more long-term ones and a short-term one.
var demoProjects = []struct {
	name, unit, category string
	term                 domain.ProjectTerm
	siteKind             domain.SiteKind
	title, description   string
	// plan is what the project's activities of the last months add up
	// to, metric code → total; a project with a plan has its own
	// activities only.
	plan map[string]int64
}{
	{"科技蹲点", "市农牧业局", "scitech", domain.TermLong, domain.SiteFarming, "科技蹲点服务",
		"党员技术人员按月蹲点到农区嘎查村，现场解决农业生产中的技术问题。", nil},
	// The seed: "为 700 余名农牧民群众进行义诊……赠送办公用品和慰问品 3 万余元".
	{"走基层 惠百姓", "市蒙医医院", "medical", domain.TermLong, domain.SitePastoral, "蒙医巡回义诊",
		"在牧业四旗的苏木、嘎查开展巡回义诊，送医送药到牧民家门口，赠送办公用品和慰问品。",
		map[string]int64{"clinic_patients": 706, "donations": 30600}},
	{"送医送药进牧区", "市人民医院", "medical", domain.TermLong, domain.SitePastoral, "送医送药进牧区",
		"每月组织医护党员到牧区义诊、送药、讲解常见病防治知识。", nil},
	{"文化下乡", "市文化新闻出版广电局", "culture", domain.TermLong, domain.SiteCommunity, "文化下乡演出放映",
		"为基层群众进行文艺展演、放映免费电影。", nil},
	{"法律明白人", "市司法局", "legal", domain.TermLong, domain.SiteCommunity, "法律明白人培训",
		"在嘎查村培养“法律明白人”，宣传和讲解法律知识，就地化解矛盾纠纷。", nil},
	{"春季牲畜防疫突击月", "市农牧业局", "disease_prevention", domain.TermShort, domain.SitePastoral, "春季牲畜防疫",
		"春季集中一个月，协助嘎查完成牲畜免疫注射和布病防治宣传。", nil},
}

// writeDemoOutcomes writes outcomes of the activities, the key-task campaign with its six batches and the brand projects.
func (s *Service) writeDemoOutcomes(tx *store.Tx, c *demoCity) error {
	r := rand.New(rand.NewPCG(demoOutcomeSeed[0], demoOutcomeSeed[1]))
	metrics, err := tx.MetricIDs()
	if err != nil {
		return err
	}
	g := &demoOutcomes{c: c, r: r, metrics: metrics, codeOf: map[int64]string{}, used: map[int64]bool{}}
	for code, id := range c.cats {
		g.codeOf[id] = code
	}
	batches, err := g.campaignActivities(tx.Now())
	if err != nil {
		return err
	}
	projects, err := g.projectActivities(tx.Now())
	if err != nil {
		return err
	}
	var own []*store.PastActivity
	for _, b := range batches {
		own = append(own, b...)
	}
	for _, p := range projects {
		own = append(own, p.own...)
	}
	if err := tx.LoadPastActivities(own); err != nil {
		return err
	}
	if err := g.outcomes(tx, own); err != nil {
		return err
	}
	if err := g.writeCampaign(tx, batches); err != nil {
		return err
	}
	return g.writeProjects(tx, projects)
}

// demoOutcomes draws the outcomes, campaign and projects of the demo city.
type demoOutcomes struct {
	c       *demoCity
	r       *rand.Rand
	metrics map[string]int64 // metric code → id
	codeOf  map[int64]string // category id → code
	used    map[int64]bool   // activity ids already in a batch or project
	planned map[*store.PastActivity]demoCampActivity
	// plans are the projects with planned totals and their activities.
	plans []demoPlan
}

// demoPlan is a project's planned totals and the activities that share them.
type demoPlan struct {
	totals     map[string]int64
	activities []*store.PastActivity
}

// demoSignupOf is a person with the team they serve in.
type demoSignupOf struct {
	person *demoPerson
	team   *demoTeam
}

// currentMembers lists the people serving in a team now with that team,
// each once, in the order of the teams and rosters; the demo volunteer is
// left out so her own record stays as the activities gave it.
func (g *demoOutcomes) currentMembers() []demoSignupOf {
	var out []demoSignupOf
	seen := map[*demoPerson]bool{}
	for _, t := range g.c.teams {
		for _, m := range t.members {
			if m.left != "" || !t.current[m.person] || seen[m.person] || m.person == g.c.volunteer {
				continue
			}
			seen[m.person] = true
			out = append(out, demoSignupOf{m.person, t})
		}
	}
	return out
}

// pastActivity builds a completed activity in which everyone in people
// signed up and attended.
func (g *demoOutcomes) pastActivity(in domain.ActivityInput, orgID int64, people []demoSignupOf) (*store.PastActivity, error) {
	a := &store.PastActivity{OrgID: orgID, State: domain.ActivityCompleted}
	for _, p := range people {
		in.TeamIDs = append(in.TeamIDs, p.team.id)
		at := in.StartsAt.Add(-time.Duration(3+g.r.IntN(72)) * time.Hour * 2)
		a.Signups = append(a.Signups, store.PastSignup{PersonID: p.person.id, TeamID: p.team.id, State: domain.SignupConfirmed, At: at})
		a.Attendance = append(a.Attendance, store.PastAttendance{
			PersonID: p.person.id, MethodIn: domain.MethodQR, MethodOut: domain.MethodQR,
			In:  in.StartsAt.Add(time.Duration(g.r.IntN(36)-15) * time.Minute),
			Out: in.EndsAt.Add(-time.Duration(g.r.IntN(40)) * time.Minute),
		})
	}
	in.Capacity = max(in.Capacity, len(people)+g.r.IntN(6))
	in.CancelHours = 24
	in.Normalize()
	// A past activity of the generated city, whose dates the generator chose.
	if err := in.Validate(in.StartsAt); err != nil {
		return nil, fmt.Errorf("demo activity %s: %w", in.Title, err)
	}
	a.Input = in
	return a, nil
}

// campaignYear is the latest summer wholly before now: the campaign ran
// from May to July.
func campaignYear(now time.Time) int {
	n := now.In(domain.ChinaZone)
	if n.Month() >= time.August && n.Day() >= 15 || n.Month() > time.August {
		return n.Year()
	}
	return n.Year() - 1
}

// campaignActivities builds each batch's activities: fifty people per
// batch, three hundred different people in all, every one a current team
// member.
func (g *demoOutcomes) campaignActivities(now time.Time) ([][]*store.PastActivity, error) {
	pool := g.currentMembers()
	g.r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	need := 0
	for _, b := range demoCampaign.batches {
		for _, a := range b.activities {
			need += a.people
		}
	}
	if len(pool) < need {
		return nil, fmt.Errorf("demo campaign: %d current team members for %d places", len(pool), need)
	}
	year := campaignYear(now)
	g.planned = map[*store.PastActivity]demoCampActivity{}
	out := make([][]*store.PastActivity, len(demoCampaign.batches))
	next := 0
	for i, b := range demoCampaign.batches {
		banner := g.c.banners[b.banner]
		if banner == nil {
			return nil, fmt.Errorf("demo campaign: no banner %s", b.banner)
		}
		day := time.Date(year, time.May, 12, 0, 0, 0, 0, domain.ChinaZone).AddDate(0, 0, 14*i)
		for j, plan := range b.activities {
			cat, ok := g.c.cats[plan.category]
			if !ok {
				return nil, fmt.Errorf("demo campaign: no category %s", plan.category)
			}
			start := day.Add(time.Duration(8*60+30)*time.Minute).AddDate(0, 0, j%2)
			in := domain.ActivityInput{
				Title: fmt.Sprintf("十个全覆盖·第%s批 %s", zhNumber(i+1), plan.title), Mode: domain.ModeCommittee,
				RegionID: banner.id, Address: plan.address, StartsAt: start, EndsAt: start.Add(7 * time.Hour),
				CategoryIDs: []int64{cat}, Description: "“十个全覆盖”工程集中服务：" + b.note + "，" + plan.title + "。",
			}
			a, err := g.pastActivity(in, g.c.committee.id, pool[next:next+plan.people])
			if err != nil {
				return nil, err
			}
			next += plan.people
			g.planned[a] = plan
			out[i] = append(out[i], a)
		}
	}
	return out, nil
}

// demoProject is a project with the activities it links: those of the
// year that fit it, and, when they are too few, its own.
type demoProject struct {
	in       domain.ProjectInput
	category string
	linked   []*store.PastActivity
	own      []*store.PastActivity
}

// projectActivities finds each project's team and its history.
func (g *demoOutcomes) projectActivities(now time.Time) ([]*demoProject, error) {
	var out []*demoProject
	for _, def := range demoProjects {
		u := g.c.unitByDef[def.unit]
		var team *demoTeam
		for _, t := range g.c.teams {
			if t.unit == u && (team == nil || t.kind == domain.TeamParty && team.kind != domain.TeamParty) {
				team = t
			}
		}
		if team == nil {
			continue // a unit without a team in this city: no project
		}
		cat, ok := g.c.cats[def.category]
		if !ok {
			return nil, fmt.Errorf("demo project %s: no category %s", def.name, def.category)
		}
		p := &demoProject{category: def.category, in: domain.ProjectInput{Name: def.name, Term: def.term,
			TeamID: team.id, OrgID: team.owner.id, Description: def.description}}
		for _, a := range g.c.activities {
			// A short-term project has its own month of activities, not
			// the team's whole year.
			if def.term == domain.TermShort || def.plan != nil || a.ID == 0 || g.used[a.ID] || a.State == domain.ActivityCancelled || a.Input.TeamID != team.id ||
				!hasID(a.Input.CategoryIDs, cat) {
				continue
			}
			g.used[a.ID] = true
			p.linked = append(p.linked, a)
		}
		if len(p.linked) < 3 {
			if err := g.ownProjectActivities(p, team, cat, def.siteKind, def.title, now); err != nil {
				return nil, err
			}
		}
		if def.plan != nil {
			g.plans = append(g.plans, demoPlan{totals: def.plan, activities: p.own})
		}
		first := now
		for _, a := range append(append([]*store.PastActivity{}, p.linked...), p.own...) {
			if a.Input.StartsAt.Before(first) {
				first = a.Input.StartsAt
			}
		}
		if def.term == domain.TermLong {
			p.in.StartedOn = isoDate(first.In(domain.ChinaZone).AddDate(-1, 0, 0))
		} else {
			p.in.StartedOn = isoDate(first.In(domain.ChinaZone))
			p.in.EndedOn = isoDate(first.In(domain.ChinaZone).AddDate(0, 1, -1))
		}
		out = append(out, p)
	}
	return out, nil
}

// ownProjectActivities gives a project its recurring activities: monthly
// for the last eight months for a long-term project, weekly for four weeks
// two months ago for a short-term one, each with some of the team.
func (g *demoOutcomes) ownProjectActivities(p *demoProject, team *demoTeam, cat int64, kind domain.SiteKind,
	title string, now time.Time) error {
	var sites []*demoSite
	for _, x := range g.c.sites {
		if x.kind == kind {
			sites = append(sites, x)
		}
	}
	if len(sites) == 0 {
		sites = g.c.sites
	}
	var members []demoSignupOf
	for _, m := range team.members {
		if m.left == "" && team.current[m.person] && m.person != g.c.volunteer {
			members = append(members, demoSignupOf{m.person, team})
		}
	}
	if len(members) == 0 {
		return nil
	}
	base := time.Date(now.In(domain.ChinaZone).Year(), now.In(domain.ChinaZone).Month(), 10, 9, 0, 0, 0, domain.ChinaZone)
	n, step := 8, func(t time.Time, i int) time.Time { return t.AddDate(0, -(8 - i), 0) }
	if p.in.Term == domain.TermShort {
		// Weekly through the last spring's April, as its name says.
		spring := time.Date(base.Year(), 4, 1, 9, 0, 0, 0, domain.ChinaZone)
		if !spring.AddDate(0, 1, 0).Before(now) {
			spring = spring.AddDate(-1, 0, 0)
		}
		n, step = 4, func(_ time.Time, i int) time.Time { return spring.AddDate(0, 0, 7*i) }
	}
	for i := 0; i < n; i++ {
		start := step(base, i).AddDate(0, 0, g.r.IntN(5))
		if !start.Before(now) {
			continue
		}
		site := sites[g.r.IntN(len(sites))]
		k := min(len(members), 4+g.r.IntN(6))
		pick := make([]demoSignupOf, len(members))
		copy(pick, members)
		g.r.Shuffle(len(pick), func(i, j int) { pick[i], pick[j] = pick[j], pick[i] })
		in := domain.ActivityInput{
			Title: fmt.Sprintf("%s（%s）", title, site.name), Mode: domain.ModeUnit, TeamID: team.id, SiteID: site.id,
			StartsAt: start, EndsAt: start.Add(time.Duration(3+g.r.IntN(4)) * time.Hour), CategoryIDs: []int64{cat},
			Description: p.in.Description,
		}
		a, err := g.pastActivity(in, team.owner.id, pick[:k])
		if err != nil {
			return err
		}
		p.own = append(p.own, a)
	}
	return nil
}

// outcomes writes the outcomes of the year's completed activities, drawn
// by category, and the planned figures of the campaign's.
func (g *demoOutcomes) outcomes(tx *store.Tx, own []*store.PastActivity) error {
	all := append(append([]*store.PastActivity{}, g.c.activities...), own...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	var out []store.PastOutcome
	for _, a := range all {
		if a.ID == 0 || a.State != domain.ActivityCompleted {
			continue
		}
		o := store.PastOutcome{Outcome: domain.Outcome{ActivityID: a.ID}, At: a.Input.EndsAt.Add(3 * time.Hour)}
		if plan, ok := g.planned[a]; ok {
			o.Beneficiaries = plan.beneficiaries
			o.Narrative = fmt.Sprintf("%d 名党员志愿者参加，%s，村容村貌明显改善，群众普遍认可。", plan.people, plan.title)
			codes := make([]string, 0, len(plan.values))
			for code := range plan.values {
				codes = append(codes, code)
			}
			sort.Strings(codes)
			for _, code := range codes {
				q, ok := domain.ParseQuantity(plan.values[code])
				id := g.metrics[code]
				if !ok || id == 0 {
					return fmt.Errorf("demo campaign: bad metric %s = %q", code, plan.values[code])
				}
				o.Values = append(o.Values, domain.OutcomeValue{MetricID: id, Value: q})
			}
		} else {
			code := ""
			if len(a.Input.CategoryIDs) > 0 {
				code = g.codeOf[a.Input.CategoryIDs[0]]
			}
			g.drawOutcome(&o.Outcome, code, len(a.Attendance))
		}
		out = append(out, o)
	}
	g.plannedTotals(out, all)
	return tx.LoadPastOutcomes(out)
}

// plannedTotals makes the group services' beneficiaries add up to the
// seed's (demoGroupBenefit) and the planned projects' metrics to their
// totals, shared among their activities; a planned project's
// beneficiaries are the people its clinics saw. out holds the outcomes of
// the completed activities of all, in order.
func (g *demoOutcomes) plannedTotals(out []store.PastOutcome, all []*store.PastActivity) {
	at := map[int64]int{}
	for i, o := range out {
		at[o.ActivityID] = i
	}
	var group []int
	for _, a := range all {
		if i, ok := at[a.ID]; ok && a.Input.OrderID != 0 && len(a.Input.TeamIDs) > 1 {
			group = append(group, i)
		}
	}
	for k, b := range spread(g.r, demoGroupBenefit, len(group), 120, 260) {
		out[group[k]].Beneficiaries = int(b)
	}
	for _, p := range g.plans {
		var idx []int
		for _, a := range p.activities {
			if i, ok := at[a.ID]; ok {
				idx = append(idx, i)
			}
		}
		codes := make([]string, 0, len(p.totals))
		for code := range p.totals {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			id := g.metrics[code]
			for k, v := range spread(g.r, p.totals[code], len(idx), 60, 140) {
				o := &out[idx[k]]
				o.Values = slices.DeleteFunc(o.Values, func(x domain.OutcomeValue) bool { return x.MetricID == id })
				o.Values = append(o.Values, domain.OutcomeValue{MetricID: id, Value: domain.Units(v)})
				if code == "clinic_patients" {
					o.Beneficiaries = int(v)
				}
			}
		}
	}
}

// drawOutcome gives an activity of a category plausible figures: a free
// clinic sees people, a planting plants trees, a film show shows films.
func (g *demoOutcomes) drawOutcome(o *domain.Outcome, category string, people int) {
	r := g.r
	add := func(code string, v domain.Quantity) {
		if id := g.metrics[code]; id != 0 && v > 0 {
			o.Values = append(o.Values, domain.OutcomeValue{MetricID: id, Value: v})
		}
	}
	n := func(lo, hi int) int { return lo + r.IntN(hi-lo+1) }
	scale := max(1, people)
	switch category {
	case "medical":
		seen := n(6, 14) * scale
		add("clinic_patients", domain.Units(int64(seen)))
		add("materials", domain.Units(int64(n(0, 3)*50)))
		o.Beneficiaries, o.Narrative = seen+n(0, 30), "义诊、测血压血糖，发放常用药品，讲解常见病防治知识。"
	case "livestock":
		add("lectures", domain.Units(1))
		add("consultations", domain.Units(int64(n(15, 60))))
		o.Beneficiaries = n(20, 80)
	case "disease_prevention":
		add("livestock_vaccinated", domain.Units(int64(n(30, 200)*10)))
		add("materials", domain.Units(int64(n(2, 6)*50)))
		o.Beneficiaries, o.Narrative = n(15, 60), "协助完成牲畜免疫注射，宣传布病防治知识。"
	case "party_education":
		add("lectures", domain.Units(int64(n(1, 2))))
		o.Beneficiaries = n(30, 120)
	case "legal":
		add("lectures", domain.Units(1))
		add("consultations", domain.Units(int64(n(10, 50))))
		add("materials", domain.Units(int64(n(2, 8)*50)))
		o.Beneficiaries, o.Narrative = n(40, 160), "讲解法律知识，现场解答群众咨询，发放普法资料。"
	case "family_planning":
		add("materials", domain.Units(int64(n(2, 6)*50)))
		add("consultations", domain.Units(int64(n(10, 40))))
		o.Beneficiaries = n(30, 100)
	case "culture":
		if r.IntN(2) == 0 {
			add("films_shown", domain.Units(int64(n(1, 3))))
		} else {
			add("performances", domain.Units(1))
		}
		o.Beneficiaries, o.Narrative = n(80, 500), "为基层群众送去文艺演出和免费电影。"
	case "scitech":
		add("lectures", domain.Units(1))
		add("consultations", domain.Units(int64(n(10, 40))))
		o.Beneficiaries = n(20, 80)
	case "poverty_relief":
		add("donations", domain.Units(int64(n(4, 40)*500)))
		o.Beneficiaries, o.Narrative = n(8, 40), "走访慰问困难户，赠送慰问品和办公用品。"
	case "environment":
		add("garbage_loads", domain.Units(int64(n(2, 8))))
		add("garbage_tons", domain.Quantity(n(5, 30)*10))
		o.Beneficiaries = n(100, 400)
	case "tree_planting":
		add("trees_planted", domain.Units(int64(n(5, 30)*10)))
		o.Beneficiaries = n(50, 300)
	default:
		o.Beneficiaries = n(20, 100)
	}
}

// writeCampaign writes the campaign, its batches and their activities.
func (g *demoOutcomes) writeCampaign(tx *store.Tx, batches [][]*store.PastActivity) error {
	first := batches[0][0].Input.StartsAt.In(domain.ChinaZone)
	in, err := domain.CampaignInput{Name: demoCampaign.name, Description: demoCampaign.description,
		StartsOn: fmt.Sprintf("%d-05-01", first.Year()), EndsOn: fmt.Sprintf("%d-07-31", first.Year())}.Validate()
	if err != nil {
		return fmt.Errorf("demo campaign: %w", err)
	}
	id, err := tx.CreateCampaign(in)
	if err != nil {
		return err
	}
	for i, b := range demoCampaign.batches {
		acts := batches[i]
		bi, err := domain.BatchInput{Note: b.note, StartsOn: isoDate(acts[0].Input.StartsAt.In(domain.ChinaZone)),
			EndsOn: isoDate(acts[len(acts)-1].Input.EndsAt.In(domain.ChinaZone))}.Validate()
		if err != nil {
			return fmt.Errorf("demo batch %d: %w", i+1, err)
		}
		batch, err := tx.AddBatch(id, bi)
		if err != nil {
			return err
		}
		ids := make([]int64, len(acts))
		for j, a := range acts {
			ids[j] = a.ID
		}
		if err := tx.SetBatchActivities(batch.ID, ids); err != nil {
			return err
		}
	}
	return nil
}

// writeProjects writes the brand projects and links their activities.
func (g *demoOutcomes) writeProjects(tx *store.Tx, projects []*demoProject) error {
	for _, p := range projects {
		in, err := p.in.Validate()
		if err != nil {
			return fmt.Errorf("demo project %s: %w", p.in.Name, err)
		}
		id, err := tx.CreateProject(in)
		if err != nil {
			return err
		}
		var ids []int64
		for _, a := range append(append([]*store.PastActivity{}, p.linked...), p.own...) {
			ids = append(ids, a.ID)
		}
		if err := tx.SetProjectActivities(id, ids); err != nil {
			return err
		}
	}
	return nil
}
