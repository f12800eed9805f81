package service

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// The demo city's year of service (服务活动), in all three modes, with
// sign-ups and attendance:
//
//   - every order that was served has the activity that served it: the
//     order's group of teams at its place, inside its dates and before the
//     step that served it — committee mode for a group (组团式服务), unit
//     mode for one team;
//   - the committee's own days of centralised service (集中开展), a few a
//     year on their calendar dates, with many teams;
//   - each team's routine service, one to three a quarter (自行决定), in
//     the categories it offers and the season allows;
//   - open-mode activities that volunteers of other teams asked to join,
//     most approved and two turned down;
//   - and the coming weeks: the demo leader's team has an activity running
//     today that the demo volunteer has not signed up for, one that is full
//     with a waitlist, an open one with requests to approve; another team's
//     open activity waits on a request; the committee has a day with many
//     teams coming up.
//
// Attendance is what a year of phones and leaders leaves: most scan in and
// out, a few do not come, a few are marked by hand, some take a lunch break
// between two pairs, and now and then a check-out is closed automatically
// at the end. The demo volunteer serves a few dozen hours, well short of
// the first star. Everything is drawn from its own seed.
var demoActivitySeed = [2]uint64{2018, 6}

// demoVolunteerHours is about where the demo volunteer stops being picked
// for the year's activities.
const demoVolunteerHours = 40

// demoActivityTitles are activity titles per category; {p} is the place.
// Titles with a season apply only then (months, inclusive, wrapping).
var demoActivityTitles = map[string][]demoTitle{
	"medical": {{t: "{p}义诊：血压血糖免费测"}, {t: "健康义诊进{p}"}, {t: "蒙医巡诊进{p}"},
		{t: "{p}老年人健康体检"}, {t: "冬季常见病预防讲座", from: 11, to: 3}, {t: "夏季防中暑健康讲座", from: 6, to: 8}},
	"livestock": {{t: "{p}乳肉牛养殖技术现场指导"}, {t: "牧草种植与储草技术培训", from: 4, to: 9},
		{t: "羔羊越冬饲养讲座", from: 10, to: 2}, {t: "{p}奶牛标准化养殖指导"}},
	"disease_prevention": {{t: "春季动物防疫进牧区", from: 3, to: 5}, {t: "秋季动物防疫进牧区", from: 9, to: 11},
		{t: "布病防治知识宣传进{p}"}, {t: "兽医巡诊进{p}"}},
	"party_education": {{t: "党课进基层：{p}专题党课"}, {t: "党员冬训专题辅导", from: 12, to: 3},
		{t: "红色故事宣讲进{p}"}, {t: "主题党日：重温入党誓词"}, {t: "“三会一课”规范化辅导"},
		{t: "党章党规知识讲座"}, {t: "{p}党员政策宣讲"}},
	"legal": {{t: "法律进社区：婚姻家庭法讲座"}, {t: "防范电信诈骗宣传进{p}"}, {t: "{p}法律咨询服务日"},
		{t: "农民工工资权益法律咨询", from: 11, to: 2}, {t: "民法典宣讲进{p}"}},
	"family_planning": {{t: "优生优育知识宣传进{p}"}, {t: "{p}母婴健康咨询"}, {t: "计生政策咨询进{p}"},
		{t: "{p}计划生育家庭走访"}},
	"culture": {{t: "文艺演出下乡到{p}", from: 5, to: 10}, {t: "免费电影放映进{p}", from: 5, to: 9},
		{t: "写春联、送福字进{p}", from: 1, to: 2}, {t: "流动图书角进{p}"}, {t: "书画进社区：{p}书画交流"}},
	"scitech": {{t: "科技蹲点：{p}农技服务", from: 4, to: 10}, {t: "农机安全使用培训", from: 3, to: 5},
		{t: "电商直播技能培训进{p}"}, {t: "智能手机使用教学进{p}"}, {t: "{p}科普知识宣传"}},
	"poverty_relief": {{t: "{p}困难群众走访慰问"}, {t: "助学帮扶：走访{p}困难学生家庭"}, {t: "爱心捐赠进{p}"},
		{t: "冬季送温暖：走访独居老人", from: 11, to: 2}},
	"environment": {{t: "{p}环境整治志愿行动", from: 4, to: 10}, {t: "{p}清运生活垃圾、整治村容村貌", from: 4, to: 10},
		{t: "拆旧板帐、建新栅栏", from: 5, to: 9}, {t: "义务清雪：{p}道路除冰", from: 11, to: 3}},
	"tree_planting": {{t: "义务植树进{p}", from: 4, to: 6}, {t: "{p}防护林补植", from: 5, to: 9},
		{t: "森林草原防火宣传进{p}", from: 9, to: 5}},
}

type demoTitle struct {
	t        string
	from, to int // months; 0: all year
}

func (d demoTitle) inSeason(m time.Month) bool {
	if d.from == 0 {
		return true
	}
	if d.from <= d.to {
		return int(m) >= d.from && int(m) <= d.to
	}
	return int(m) >= d.from || int(m) <= d.to
}

// demoActivitySkills are the skills an activity of a professional category
// may ask for.
var demoActivitySkills = map[string][]string{
	"medical": {"执业医师", "护士"}, "legal": {"律师"}, "disease_prevention": {"执业兽医"},
	"livestock": {"畜牧师"}, "scitech": {"农艺师"},
}

// demoCommitteeDays are the committee's days of centralised service.
var demoCommitteeDays = []struct {
	month, day int
	title      string
	codes      []string
	site       domain.SiteKind
	fullDay    bool
}{
	{3, 5, "学雷锋志愿服务日：走进{p}办实事", []string{"medical", "legal", "environment"}, domain.SiteCommunity, false},
	{5, 20, "“绿化家园”义务植树集中行动", []string{"tree_planting", "environment"}, domain.SiteForest, true},
	{7, 1, "“七一”党员志愿服务集中行动", []string{"party_education", "medical", "legal"}, domain.SiteCommunity, false},
	{10, 15, "秋季动物防疫集中服务进{p}", []string{"disease_prevention", "livestock", "medical"}, domain.SitePastoral, true},
	{12, 4, "国家宪法日法律宣传集中服务", []string{"legal", "party_education"}, domain.SiteCommunity, false},
}

// actGen draws the activities.
type actGen struct {
	c        *demoCity
	r        *rand.Rand
	now      time.Time
	today    time.Time // midnight, China time
	code     map[int64]string
	teams    map[int64]*demoTeam
	sites    map[int64]*demoSite
	regions  map[int64]*demoRegion
	busy     map[*demoPerson]map[string]bool // the China days a person serves on
	volHours domain.Minutes
	out      []*store.PastActivity
	rejected int // open-mode requests turned down
	waitlist bool
}

// writeDemoActivities writes the year of activities in all three modes, with sign-ups and attendance.
func (s *Service) writeDemoActivities(tx *store.Tx, c *demoCity) error {
	g := newActGen(c, tx.Now())
	orders, err := tx.ServedOrders()
	if err != nil {
		return err
	}
	for _, o := range orders {
		g.orderActivity(o)
	}
	g.committeeDays()
	g.routine()
	g.cancelOne()
	g.upcoming()
	for _, a := range g.out {
		a.Input.Normalize()
		if err := a.Input.Validate(g.now); err != nil {
			return fmt.Errorf("demo activity %q: %w", a.Input.Title, err)
		}
	}
	// Ids in the order things happened, as a live platform would give them.
	sort.SliceStable(g.out, func(i, j int) bool { return g.out[i].Input.StartsAt.Before(g.out[j].Input.StartsAt) })
	if err := tx.LoadPastActivities(g.out); err != nil {
		return err
	}
	c.activities = g.out
	return nil
}

func newActGen(c *demoCity, now time.Time) *actGen {
	g := &actGen{c: c, r: rand.New(rand.NewPCG(demoActivitySeed[0], demoActivitySeed[1])), now: now,
		code: map[int64]string{}, teams: map[int64]*demoTeam{}, sites: map[int64]*demoSite{},
		regions: map[int64]*demoRegion{}, busy: map[*demoPerson]map[string]bool{}}
	n := now.In(domain.ChinaZone)
	g.today = time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, domain.ChinaZone)
	for code, id := range c.cats {
		g.code[id] = code
	}
	for _, t := range c.teams {
		g.teams[t.id] = t
	}
	for _, x := range c.sites {
		g.sites[x.id] = x
	}
	for _, r := range c.regions {
		g.regions[r.id] = r
	}
	return g
}

// Random helpers.

func (g *actGen) chance(p float64) bool { return g.r.Float64() < p }

func (g *actGen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

func (g *actGen) minutes(lo, hi int) time.Duration {
	return time.Duration(g.between(lo, hi)) * time.Minute
}

func drawOne[T any](g *actGen, list []T) T { return list[g.r.IntN(len(list))] }

func clock(day time.Time, h, m int) time.Time {
	return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

// chinaMidnight is the start of t's day in China.
func chinaMidnight(t time.Time) time.Time {
	c := t.In(domain.ChinaZone)
	return time.Date(c.Year(), c.Month(), c.Day(), 0, 0, 0, 0, domain.ChinaZone)
}

// People.

// members are a team's members on day (China time) who are still members.
func (g *actGen) members(t *demoTeam, day string) []*demoPerson {
	var out []*demoPerson
	for _, m := range t.members {
		if m.left == "" && m.joined <= day {
			out = append(out, m.person)
		}
	}
	return out
}

func (g *actGen) isBusy(p *demoPerson, day string) bool { return g.busy[p][day] }

func (g *actGen) book(p *demoPerson, day string) {
	if g.busy[p] == nil {
		g.busy[p] = map[string]bool{}
	}
	g.busy[p][day] = true
}

// crew picks up to n of a team's members free on day and books them; the
// demo volunteer comes now and then while she has hours to spare, and
// never when volunteer is false.
func (g *actGen) crew(t *demoTeam, n int, day string, hours domain.Minutes, volunteer bool, skip map[*demoPerson]bool) []*demoPerson {
	cands := g.members(t, day)
	g.r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	var out []*demoPerson
	vol := g.c.volunteer
	if volunteer && slices.Contains(cands, vol) && !g.isBusy(vol, day) && !skip[vol] &&
		g.volHours+hours <= domain.HoursOf(demoVolunteerHours) && g.chance(0.75) {
		out = append(out, vol)
		g.book(vol, day)
	}
	for _, p := range cands {
		if len(out) >= n {
			break
		}
		if p == vol || skip[p] || g.isBusy(p, day) {
			continue
		}
		out = append(out, p)
		g.book(p, day)
	}
	return out
}

// spare is a member of t free on day who is not in taken, or nil.
func (g *actGen) spare(t *demoTeam, day string, taken map[*demoPerson]bool) *demoPerson {
	cands := g.members(t, day)
	g.r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	for _, p := range cands {
		if p != g.c.volunteer && !taken[p] && !g.isBusy(p, day) {
			return p
		}
	}
	return nil
}

// Places and titles.

// sitesFor are the sites that mostly order code.
func (g *actGen) sitesFor(code string) []*demoSite {
	var out []*demoSite
	for _, x := range g.c.sites {
		if slices.Contains(siteNeeds[x.kind], code) {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		return g.c.sites
	}
	return out
}

// title picks a title for code in month at place; "" when the category
// has nothing in season.
func (g *actGen) title(code string, m time.Month, place string) string {
	var list []string
	for _, d := range demoActivityTitles[code] {
		if d.inSeason(m) && (place != "" || !strings.Contains(d.t, "{p}")) {
			list = append(list, d.t)
		}
	}
	if len(list) == 0 {
		return ""
	}
	return strings.ReplaceAll(list[g.r.IntN(len(list))], "{p}", place)
}

// seasonal picks one of a team's categories that has a title in month m.
func (g *actGen) seasonal(t *demoTeam, m time.Month) string {
	cats := slices.Clone(t.categories)
	g.r.Shuffle(len(cats), func(i, j int) { cats[i], cats[j] = cats[j], cats[i] })
	for _, id := range cats {
		code := g.code[id]
		for _, d := range demoActivityTitles[code] {
			if d.inSeason(m) {
				return code
			}
		}
	}
	return ""
}

// place sets where a team's activity of code happens: a site that orders
// it, or for party education often the unit's own meeting room. It returns
// the place's name for the title ("" at the unit).
func (g *actGen) place(in *domain.ActivityInput, t *demoTeam, code string) string {
	if code == "party_education" && g.chance(0.25) {
		in.RegionID, in.Address = t.unit.home.id, t.unit.address+"会议室"
		return ""
	}
	x := drawOne(g, g.sitesFor(code))
	in.SiteID = x.id
	return x.name
}

func (g *actGen) skills(code string) []string {
	list := demoActivitySkills[code]
	if len(list) == 0 || !g.chance(0.5) {
		return nil
	}
	return []string{list[g.r.IntN(len(list))]}
}

// Building activities.

// joiner is one person coming to an activity: with a team of it, or asking
// to join (open mode) from their own team, which their hours are credited to.
type joiner struct {
	p       *demoPerson
	team    int64
	request bool
}

// signups gives an activity its sign-ups, made between its planning and
// two hours before it starts (or now, for one still to come): joiners hold
// places, requests were approved a few hours after they were made.
func (g *actGen) signups(a *store.PastActivity, js []joiner) {
	from, to := g.signupWindow(a)
	for _, j := range js {
		at := g.within(from, to)
		if j.request {
			at = at.Add(g.minutes(60, 600))
			if at.After(to) {
				at = to
			}
		}
		a.Signups = append(a.Signups, store.PastSignup{PersonID: j.p.id, TeamID: j.team, State: domain.SignupConfirmed, At: at})
	}
}

// within is a time between from and to, to the minute.
func (g *actGen) within(from, to time.Time) time.Time {
	if !to.After(from) {
		return from
	}
	d := g.r.Int64N(int64(to.Sub(from)))
	return from.Add(time.Duration(d)).Truncate(time.Minute)
}

// addSignup adds a sign-up that does not hold a place.
func (g *actGen) addSignup(a *store.PastActivity, p *demoPerson, team int64, state domain.SignupState) {
	from, to := g.signupWindow(a)
	a.Signups = append(a.Signups, store.PastSignup{PersonID: p.id, TeamID: team, State: state, At: g.within(from, to)})
}

// signupWindow is when a's sign-ups came: after it was planned, until two
// hours before it starts or now.
func (g *actGen) signupWindow(a *store.PastActivity) (from, to time.Time) {
	to = a.Input.StartsAt.Add(-2 * time.Hour)
	if to.After(g.now) {
		to = g.now
	}
	from = a.CreatedAt
	if !from.Before(to) {
		from = to.Add(-24 * time.Hour)
	}
	return from, to
}

func confirmed(a *store.PastActivity) int {
	n := 0
	for _, s := range a.Signups {
		if s.State == domain.SignupConfirmed {
			n++
		}
	}
	return n
}

// attend records the attendance of a completed activity's confirmed
// volunteers; brk is a lunch break, when there is one.
func (g *actGen) attend(a *store.PastActivity, brk [2]time.Time) {
	in := a.Input
	for _, s := range a.Signups {
		if s.State != domain.SignupConfirmed {
			continue
		}
		vol := s.PersonID == g.c.volunteer.id
		if !vol && g.chance(0.07) {
			continue // did not come
		}
		method := domain.MethodQR
		if g.chance(0.07) {
			method = domain.MethodManual
		}
		arrive := in.StartsAt.Add(g.minutes(-20, 5))
		if g.chance(0.08) {
			arrive = in.StartsAt.Add(g.minutes(10, 45)) // came late
		}
		leave := in.EndsAt.Add(g.minutes(-10, 15))
		if g.chance(0.07) {
			leave = in.EndsAt.Add(-g.minutes(30, 80)) // left early
		}
		outMethod := method
		if g.chance(0.05) {
			leave, outMethod = in.EndsAt, domain.MethodAuto // forgot to check out
		}
		if method == domain.MethodManual { // marked by hand: round times
			arrive, leave = arrive.Round(5*time.Minute), leave.Round(5*time.Minute)
		}
		if leave.Before(arrive.Add(40 * time.Minute)) {
			leave = arrive.Add(40 * time.Minute)
		}
		pair := func(in, out time.Time, mi, mo domain.AttendanceMethod) {
			a.Attendance = append(a.Attendance, store.PastAttendance{PersonID: s.PersonID, In: in, Out: out, MethodIn: mi, MethodOut: mo})
		}
		if brk[0].IsZero() || !arrive.Before(brk[0]) || !leave.After(brk[1]) {
			pair(arrive, leave, method, outMethod)
		} else { // out for lunch and back
			pair(arrive, brk[0].Add(g.minutes(-5, 5)), method, method)
			pair(brk[1].Add(g.minutes(-10, 5)), leave, method, outMethod)
		}
	}
	g.countVolunteer(a)
}

// countVolunteer adds what a completed activity earned the demo volunteer.
func (g *actGen) countVolunteer(a *store.PastActivity) {
	var pairs []domain.Attendance
	for _, p := range a.Attendance {
		if p.PersonID == g.c.volunteer.id {
			pairs = append(pairs, domain.Attendance{CheckIn: p.In, CheckOut: p.Out})
		}
	}
	if len(pairs) > 0 {
		g.volHours += domain.AttendedMinutes(a.Input.StartsAt, a.Input.EndsAt, pairs)
	}
}

// completed closes a past activity: capacity around its sign-ups, the odd
// cancelled sign-up, a waitlist once, and attendance.
func (g *actGen) completed(a *store.PastActivity, lead *demoTeam, day string, taken map[*demoPerson]bool, brk [2]time.Time) {
	n := confirmed(a)
	a.Input.Capacity = max(1, n+g.between(0, 5))
	if n > 0 && g.chance(0.12) {
		a.Input.Capacity = n // full
		if !g.waitlist && lead != nil {
			if p := g.spare(lead, day, taken); p != nil { // the one who never got a place
				g.waitlist = true
				taken[p] = true
				g.addSignup(a, p, lead.id, domain.SignupWaitlisted)
			}
		}
	}
	if lead != nil && g.chance(0.15) {
		if p := g.spare(lead, day, taken); p != nil { // withdrew before the day
			taken[p] = true
			g.addSignup(a, p, lead.id, domain.SignupCancelled)
		}
	}
	a.State = domain.ActivityCompleted
	g.attend(a, brk)
}

// Served orders.

// orderActivity is the activity that served order o.
func (g *actGen) orderActivity(o store.ServedOrder) {
	if len(o.TeamIDs) == 0 || len(o.CategoryIDs) == 0 || o.ServedAt.IsZero() {
		return
	}
	lead := g.teams[o.TeamIDs[0]]
	if lead == nil {
		return
	}
	full := g.chance(0.12)
	start, end, brk := g.orderSlot(o, full)
	day := domain.ChinaDay(start)
	in := domain.ActivityInput{Mode: domain.ModeUnit, TeamID: lead.id, OrderID: o.ID, SiteID: o.SiteID,
		RegionID: o.RegionID, Address: o.Address, StartsAt: start, EndsAt: end, CancelHours: 24,
		CategoryIDs: o.CategoryIDs, TeamIDs: o.TeamIDs}
	org := lead.owner.id
	if len(o.TeamIDs) > 1 {
		in.Mode, org = domain.ModeCommittee, g.c.committee.id
	}
	place := o.Address
	if x := g.sites[o.SiteID]; x != nil {
		place = x.name
	} else if r := g.regions[o.RegionID]; r != nil {
		place = r.name
	}
	var items []string
	for _, it := range o.ItemTitles {
		if !slices.Contains(items, it) {
			items = append(items, it)
		}
	}
	switch {
	case len(items) == 1 && len(o.TeamIDs) == 1:
		in.Title = place + "：" + items[0]
	case len(items) > 0:
		in.Title = "组团服务进" + place + "：" + strings.Join(items, "、")
	default:
		in.Title = g.title(g.code[o.CategoryIDs[0]], start.In(domain.ChinaZone).Month(), place)
	}
	if in.Title == "" {
		in.Title = place + "志愿服务"
	}
	if r := []rune(in.Title); len(r) > 100 {
		in.Title = string(r[:100])
	}
	var names []string
	for _, id := range o.TeamIDs {
		names = append(names, g.teams[id].name)
	}
	in.Description = fmt.Sprintf("%s点单服务，预计受益群众%d人。", place, o.Beneficiaries)
	if len(names) > 1 {
		in.Description += fmt.Sprintf("由%s等%d支服务队组团服务，各队分工负责。", names[0], len(names))
	}
	if o.Need != "" {
		in.Description += "\n群众需求：" + o.Need
	}
	in.Skills = g.skills(g.code[o.CategoryIDs[0]])
	a := &store.PastActivity{Input: in, OrgID: org}
	a.CreatedAt = o.ConfirmedAt.Add(g.minutes(60, 600))
	if latest := start.Add(-4 * time.Hour); a.CreatedAt.After(latest) {
		a.CreatedAt = latest
	}
	hours := domain.MinutesIn(end.Sub(start))
	taken := map[*demoPerson]bool{}
	var js []joiner
	for _, id := range o.TeamIDs {
		t := g.teams[id]
		n := g.between(3, 7)
		if full {
			n += 2
		}
		if len(o.TeamIDs) > 1 { // a group service sends a large crew (see demoGroupOrders)
			n = g.between(17, 19)
		}
		for _, p := range g.crew(t, n, day, hours, true, taken) {
			taken[p] = true
			js = append(js, joiner{p: p, team: t.id})
		}
	}
	g.signups(a, js)
	g.completed(a, lead, day, taken, brk)
	g.out = append(g.out, a)
}

// orderSlot places an order's activity: after the order was confirmed and
// before it was served, inside its dates where it can, at a usual hour
// (between 08:00 and 20:00, two to four hours, or a day with a lunch break
// when full).
func (g *actGen) orderSlot(o store.ServedOrder, full bool) (start, end time.Time, brk [2]time.Time) {
	lo := o.ConfirmedAt.Add(3 * time.Hour)
	hi := o.ServedAt.Add(-g.minutes(15, 60))
	from, err1 := time.ParseInLocation("2006-01-02", o.DateFrom, domain.ChinaZone)
	to, err2 := time.ParseInLocation("2006-01-02", o.DateTo, domain.ChinaZone)
	var days []time.Time
	if err1 == nil && err2 == nil {
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			days = append(days, d)
		}
	}
	// Outside its dates only when they cannot hold it.
	for d := chinaMidnight(hi); !d.Before(chinaMidnight(lo)); d = d.AddDate(0, 0, -1) {
		if !slices.ContainsFunc(days, func(x time.Time) bool { return x.Equal(d) }) {
			days = append(days, d)
		}
	}
	want := time.Duration(g.between(4, 8)) * 30 * time.Minute
	for _, d := range days {
		if full {
			s, e := clock(d, 9, 0), clock(d, 16, 30)
			if !s.Before(lo) && !e.After(hi) {
				return s, e, [2]time.Time{clock(d, 12, 0), clock(d, 13, 30)}
			}
		}
		// The planned length, or shorter (not under two hours) when the
		// day is short.
		for dur := want; dur >= 2*time.Hour; dur -= 30 * time.Minute {
			var starts []time.Time
			for _, hm := range [][2]int{{8, 30}, {9, 0}, {9, 30}, {10, 0}, {14, 0}, {14, 30}, {15, 0}} {
				s := clock(d, hm[0], hm[1])
				if !s.Before(lo) && !s.Add(dur).After(hi) {
					starts = append(starts, s)
				}
			}
			if len(starts) == 0 { // any half hour that fits, evenings too
				for m := 8 * 60; m+int(dur.Minutes()) <= 20*60; m += 30 {
					s := clock(d, 0, m)
					if !s.Before(lo) && !s.Add(dur).After(hi) {
						starts = append(starts, s)
					}
				}
			}
			if len(starts) > 0 {
				s := starts[g.r.IntN(len(starts))]
				return s, s.Add(dur), brk
			}
		}
	}
	// Confirmed and served within a night (one or two a year): as long as
	// fits between them, at least an hour.
	end = hi.Truncate(10 * time.Minute)
	start = end.Add(-2 * time.Hour)
	if first := lo.Add(10 * time.Minute).Truncate(10 * time.Minute); first.After(start) {
		start = first
	}
	if end.Sub(start) < time.Hour {
		start = end.Add(-time.Hour)
	}
	return start, end, brk
}

// The committee's days.

// committeeDays are the committee's centralised days of the past year.
func (g *actGen) committeeDays() {
	for _, cd := range demoCommitteeDays {
		for _, year := range []int{g.today.Year() - 1, g.today.Year()} {
			d := time.Date(year, time.Month(cd.month), cd.day, 0, 0, 0, 0, domain.ChinaZone)
			if d.Before(g.today.AddDate(-1, 0, 0)) || !d.Before(g.today.AddDate(0, 0, -1)) {
				continue
			}
			g.committeeDay(d, cd.title, cd.codes, cd.site, cd.fullDay, 4+g.r.IntN(4))
		}
	}
}

// committeeDay is one centralised activity led by the committee with
// nTeams teams that offer its categories; it returns it, with its teams
// picked but (for a past day) its attendance recorded.
func (g *actGen) committeeDay(d time.Time, title string, codes []string, kind domain.SiteKind, fullDay bool, nTeams int) *store.PastActivity {
	var cats []int64
	for _, code := range codes {
		cats = append(cats, g.c.cats[code])
	}
	var teams []*demoTeam
	for _, t := range g.c.teams {
		for _, id := range t.categories {
			if slices.Contains(cats, id) {
				teams = append(teams, t)
				break
			}
		}
	}
	g.r.Shuffle(len(teams), func(i, j int) { teams[i], teams[j] = teams[j], teams[i] })
	teams = teams[:min(nTeams, len(teams))]
	var sites []*demoSite
	for _, x := range g.c.sites {
		if x.kind == kind {
			sites = append(sites, x)
		}
	}
	x := drawOne(g, sites)
	start, end := clock(d, 9, 0), clock(d, 11, 30)
	var brk [2]time.Time
	if fullDay {
		end, brk = clock(d, 15, 30), [2]time.Time{clock(d, 11, 30), clock(d, 13, 0)}
	}
	in := domain.ActivityInput{Title: strings.ReplaceAll(title, "{p}", x.name), Mode: domain.ModeCommittee,
		SiteID: x.id, StartsAt: start, EndsAt: end, CancelHours: 24, CategoryIDs: cats,
		Description: "市直机关工委统一组织，各服务队按分工集中开展服务。请各队提前半小时到场，统一着志愿服务马甲。"}
	var names []string
	for _, t := range teams {
		in.TeamIDs = append(in.TeamIDs, t.id)
		names = append(names, t.name)
	}
	in.Description += "参加服务队：" + strings.Join(names, "、") + "。"
	a := &store.PastActivity{Input: in, OrgID: g.c.committee.id, CreatedAt: start.AddDate(0, 0, -g.between(10, 20))}
	past := end.Before(g.now)
	day := domain.ChinaDay(start)
	taken := map[*demoPerson]bool{}
	var js []joiner
	for _, t := range teams {
		for _, p := range g.crew(t, g.between(3, 6), day, domain.MinutesIn(end.Sub(start)), past, taken) {
			taken[p] = true
			js = append(js, joiner{p: p, team: t.id})
		}
	}
	g.signups(a, js)
	if past {
		g.completed(a, nil, day, taken, brk)
		a.Input.Capacity = confirmed(a) + g.between(5, 15)
	} else {
		a.State, a.Input.Capacity = domain.ActivityScheduled, 80
		a.CreatedAt = g.now.Add(-time.Duration(g.between(48, 240)) * time.Hour)
	}
	g.out = append(g.out, a)
	return a
}

// Each team's own service.

// routine gives every team one to three activities a quarter and, now
// and then, an open-mode one that others asked to join.
func (g *actGen) routine() {
	yearAgo := g.today.AddDate(-1, 0, 0)
	for _, t := range g.c.teams {
		for q := 0; q < 4; q++ {
			qStart := yearAgo.AddDate(0, 3*q, 0)
			n := g.between(1, 3)
			if t == g.c.nmjTeam { // the demo's own team is a busy one
				n = g.between(2, 4)
			}
			for k := n; k > 0; k-- {
				d := qStart.AddDate(0, 0, g.r.IntN(91))
				if !d.Before(g.today.AddDate(0, 0, -1)) {
					continue
				}
				g.teamActivity(t, d, domain.ModeUnit)
			}
		}
		for h := 0; h < 2; h++ {
			if g.chance(0.5) {
				d := yearAgo.AddDate(0, 6*h, g.r.IntN(180))
				if d.Before(g.today.AddDate(0, 0, -1)) {
					g.teamActivity(t, d, domain.ModeOpen)
				}
			}
		}
	}
}

// teamActivity is one of team t's own activities on day d, completed.
func (g *actGen) teamActivity(t *demoTeam, d time.Time, mode domain.ActivityMode) *store.PastActivity {
	m := d.Month()
	code := g.seasonal(t, m)
	if code == "" {
		return nil
	}
	in := domain.ActivityInput{Mode: mode, TeamID: t.id, CancelHours: 24, CategoryIDs: []int64{g.c.cats[code]}}
	place := g.place(&in, t, code)
	in.Title = g.title(code, m, place)
	hm := drawOne(g, [][2]int{{8, 30}, {9, 0}, {9, 0}, {9, 30}, {14, 0}, {14, 30}, {15, 0}})
	dur := time.Duration(g.between(4, 7)) * 30 * time.Minute
	in.StartsAt = clock(d, hm[0], hm[1])
	in.EndsAt = in.StartsAt.Add(dur)
	in.Skills = g.skills(code)
	in.Description = fmt.Sprintf("%s自行组织开展。请提前十分钟到场扫码签到，结束后扫码签退。", t.name)
	if mode == domain.ModeOpen {
		in.Description = fmt.Sprintf("%s组织，欢迎其他服务队的志愿者以个人名义报名参加，经队长审核通过后参加。", t.name)
	}
	a := &store.PastActivity{Input: in, OrgID: t.owner.id, CreatedAt: in.StartsAt.AddDate(0, 0, -g.between(4, 14))}
	day := domain.ChinaDay(in.StartsAt)
	taken := map[*demoPerson]bool{}
	var js []joiner
	for _, p := range g.crew(t, g.between(4, 9), day, domain.MinutesIn(dur), true, taken) {
		taken[p] = true
		js = append(js, joiner{p: p, team: t.id})
	}
	if len(js) < 2 {
		return nil
	}
	var rejected *demoPerson
	var rejectedTeam int64
	if mode == domain.ModeOpen {
		for k := g.between(1, 4); k > 0; k-- {
			other := drawOne(g, g.c.teams)
			if other == t {
				continue
			}
			if p := g.spare(other, day, taken); p != nil {
				taken[p] = true
				g.book(p, day)
				js = append(js, joiner{p: p, team: other.id, request: true})
			}
		}
		if g.rejected < 2 {
			other := drawOne(g, g.c.teams)
			if p := g.spare(other, day, taken); other != t && p != nil {
				taken[p], rejected, rejectedTeam = true, p, other.id
				g.rejected++
			}
		}
	}
	g.signups(a, js)
	if rejected != nil {
		g.addSignup(a, rejected, rejectedTeam, domain.SignupRejected)
	}
	g.completed(a, t, day, taken, [2]time.Time{})
	g.out = append(g.out, a)
	return a
}

// cancelOne calls off one winter activity of a team for a blizzard: it
// stays on file, cancelled, with its sign-ups as they were.
func (g *actGen) cancelOne() {
	for _, a := range g.out {
		m := a.Input.StartsAt.In(domain.ChinaZone).Month()
		if a.Input.Mode != domain.ModeUnit || a.Input.OrderID != 0 || a.Input.TeamID == g.c.nmjTeam.id ||
			(m != time.December && m != time.January && m != time.February) {
			continue
		}
		a.State, a.Attendance = domain.ActivityCancelled, nil
		a.Input.Description = "因暴雪预警、道路封闭，活动取消，待天气好转后另行安排。\n" + a.Input.Description
		return
	}
}

// The coming weeks.

// upcoming schedules the coming weeks: the demo leader's team first (one
// running now, one awaiting completion, a full one, an open one with
// requests), another team's open activity with a request waiting, a
// committee day with many teams, and a few of other teams'.
func (g *actGen) upcoming() {
	c := g.c
	nmj := c.nmjTeam
	vol := c.volunteer
	day := func(k int) time.Time { return g.today.AddDate(0, 0, k) }
	sched := func(t *demoTeam, mode domain.ActivityMode, start time.Time, dur time.Duration, code string, n, capacity int, withVol bool) *store.PastActivity {
		in := domain.ActivityInput{Mode: mode, TeamID: t.id, CancelHours: 24, StartsAt: start, EndsAt: start.Add(dur),
			CategoryIDs: []int64{c.cats[code]}}
		in.Title = g.title(code, start.In(domain.ChinaZone).Month(), g.place(&in, t, code))
		in.Description = fmt.Sprintf("%s组织开展。请提前十分钟到场扫码签到，结束后扫码签退。", t.name)
		if mode == domain.ModeOpen {
			in.Description = fmt.Sprintf("%s组织，欢迎其他服务队的志愿者以个人名义报名参加，经队长审核通过后参加。", t.name)
		}
		a := &store.PastActivity{Input: in, OrgID: t.owner.id, State: domain.ActivityScheduled,
			CreatedAt: g.now.Add(-time.Duration(g.between(24, 120)) * time.Hour)}
		if a.CreatedAt.After(start) {
			a.CreatedAt = start.Add(-time.Duration(g.between(24, 72)) * time.Hour)
		}
		d := domain.ChinaDay(start)
		taken := map[*demoPerson]bool{vol: true}
		var js []joiner
		if withVol {
			g.book(vol, d)
			js = append(js, joiner{p: vol, team: t.id})
		}
		for _, p := range g.crew(t, n, d, 0, false, taken) {
			taken[p] = true
			js = append(js, joiner{p: p, team: t.id})
		}
		g.signups(a, js)
		a.Input.Capacity = max(capacity, confirmed(a))
		g.out = append(g.out, a)
		return a
	}
	code := func(t *demoTeam) string {
		if x := g.seasonal(t, g.today.Month()); x != "" {
			return x
		}
		return g.code[t.categories[0]]
	}

	// Running now: an hour in, a few checked in; the demo volunteer can
	// still sign up.
	start := g.now.Add(-time.Hour).Truncate(5 * time.Minute)
	running := sched(nmj, domain.ModeUnit, start, 4*time.Hour, code(nmj), 7, 15, false)
	running.Input.CancelHours = 2
	for i, s := range running.Signups {
		if i < 4 {
			in := start.Add(g.minutes(-10, 20))
			if in.After(g.now) {
				in = g.now.Add(-time.Minute)
			}
			running.Attendance = append(running.Attendance, store.PastAttendance{PersonID: s.PersonID, In: in, MethodIn: domain.MethodQR})
		}
	}

	// Yesterday afternoon, waiting for the leader to complete it: one pair
	// still open (closed automatically on completion).
	y := sched(nmj, domain.ModeUnit, clock(day(-1), 14, 30), 3*time.Hour, code(nmj), 6, 10, false)
	for i, s := range y.Signups {
		in := y.Input.StartsAt.Add(g.minutes(-15, 5))
		p := store.PastAttendance{PersonID: s.PersonID, In: in, Out: y.Input.EndsAt.Add(g.minutes(-10, 10)),
			MethodIn: domain.MethodQR, MethodOut: domain.MethodQR}
		if i == len(y.Signups)-1 {
			p.Out, p.MethodOut = time.Time{}, ""
		}
		if i != 2 { // one did not come
			y.Attendance = append(y.Attendance, p)
		}
	}

	// The demo volunteer's next one, and two more of her team.
	sched(nmj, domain.ModeUnit, clock(day(3), 9, 0), 3*time.Hour, code(nmj), 5, 12, true)
	sched(nmj, domain.ModeUnit, clock(day(15), 14, 30), 3*time.Hour, code(nmj), 3, 10, false)
	// Full, with two waiting.
	full := sched(nmj, domain.ModeUnit, clock(day(5), 9, 0), 3*time.Hour, code(nmj), 6, 0, false)
	taken := map[*demoPerson]bool{vol: true}
	for _, s := range full.Signups {
		taken[g.personByID(s.PersonID)] = true
	}
	for k := 0; k < 2; k++ {
		if p := g.spare(nmj, domain.ChinaDay(full.Input.StartsAt), taken); p != nil {
			taken[p] = true
			g.addSignup(full, p, nmj.id, domain.SignupWaitlisted)
		}
	}
	// Open, with two volunteers of other teams asking to join.
	open := sched(nmj, domain.ModeOpen, clock(day(10), 9, 0), 3*time.Hour, code(nmj), 4, 20, false)
	g.requests(open, nmj, 2)

	// Another team's open activity with a request waiting on its leader;
	// the demo volunteer may ask to join it too.
	other := g.c.teams[1]
	for _, t := range g.c.teams[1:] {
		if t.kind == domain.TeamYouth {
			other = t
			break
		}
	}
	o := sched(other, domain.ModeOpen, clock(day(6), 9, 0), 3*time.Hour, code(other), 5, 20, false)
	g.requests(o, other, 1)

	// A committee day with many teams, the demo team among them.
	cd := g.committeeDay(day(12), "“我为群众办实事”集中服务日：走进{p}", []string{"medical", "legal", "scitech", "livestock"},
		domain.SitePastoral, false, 8)
	if !slices.Contains(cd.Input.TeamIDs, nmj.id) {
		cd.Input.TeamIDs = append(cd.Input.TeamIDs, nmj.id)
	}

	// Other teams' coming weeks.
	for _, t := range g.c.teams[1:] {
		if g.chance(0.35) {
			d := day(g.between(1, 28))
			hm := drawOne(g, [][2]int{{9, 0}, {9, 30}, {14, 0}, {14, 30}})
			sched(t, domain.ModeUnit, clock(d, hm[0], hm[1]), time.Duration(g.between(4, 7))*30*time.Minute, code(t),
				g.between(2, 6), g.between(8, 15), false)
		}
	}
}

// requests adds n requests to join a's open activity from members of other
// teams, waiting for t's leader.
func (g *actGen) requests(a *store.PastActivity, t *demoTeam, n int) {
	d := domain.ChinaDay(a.Input.StartsAt)
	taken := map[*demoPerson]bool{g.c.volunteer: true}
	for _, s := range a.Signups {
		taken[g.personByID(s.PersonID)] = true
	}
	for tries := 0; n > 0 && tries < 50; tries++ {
		other := drawOne(g, g.c.teams)
		if other == t || other == g.c.nmjTeam {
			continue
		}
		if p := g.spare(other, d, taken); p != nil {
			taken[p] = true
			g.book(p, d)
			g.addSignup(a, p, other.id, domain.SignupRequested)
			n--
		}
	}
}

func (g *actGen) personByID(id int64) *demoPerson {
	for _, p := range g.c.people {
		if p.id == id {
			return p
		}
	}
	return nil
}
