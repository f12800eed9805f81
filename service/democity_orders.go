package service

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// The demo city's menu and a year of orders: every team offers one to three
// services from its categories, and about a year's orders arrive by every
// channel and stand in every state. They are drawn from their own seed, so
// adding them leaves the rest of the city as it was.
var demoOrderSeed = [2]uint64{2018, 10}

// demoMenuTitles are services per category, as the seed report names them.
var demoMenuTitles = map[string][]string{
	"medical":            {"巡回义诊", "健康知识讲座", "蒙医巡诊", "血压血糖筛查"},
	"livestock":          {"乳肉牛养殖技术指导", "牧草种植指导", "羔羊越冬饲养指导"},
	"disease_prevention": {"牲畜春季防疫", "布病防治宣传", "兽医巡诊"},
	"party_education":    {"党课进基层", "党员冬训辅导", "红色故事宣讲"},
	"legal":              {"法律知识讲座", "法律咨询服务", "防范电信诈骗宣传"},
	"family_planning":    {"优生优育宣传", "计生政策咨询"},
	"culture":            {"文艺演出下乡", "免费电影放映", "书画进社区"},
	"scitech":            {"科技蹲点服务", "农机使用培训", "电商技能培训"},
	"poverty_relief":     {"困难户走访慰问", "助学帮扶", "捐赠办公用品"},
	"environment":        {"村容村貌整治", "清运生活垃圾", "拆旧板帐建新栅栏"},
	"tree_planting":      {"义务植树", "防护林补植"},
}

// professional marks the categories whose services need professionals.
var professional = map[string]bool{"medical": true, "livestock": true, "disease_prevention": true, "legal": true, "scitech": true}

// siteNeeds are the categories each kind of site mostly orders.
var siteNeeds = map[domain.SiteKind][]string{
	domain.SitePastoral:  {"livestock", "disease_prevention", "medical", "legal"},
	domain.SiteFarming:   {"scitech", "livestock", "poverty_relief", "medical"},
	domain.SiteForest:    {"environment", "tree_planting", "medical", "culture"},
	domain.SiteCommunity: {"legal", "culture", "family_planning", "party_education", "medical"},
	domain.SiteStation:   {"party_education", "legal", "culture"},
	domain.SiteVillage:   {"environment", "medical", "poverty_relief", "culture", "livestock"},
}

// demoUnmetNeeds are needs the menu lacks, in the requesters' words.
var demoUnmetNeeds = []string{
	"希望有人来讲讲网络直播带货，帮牧民把牛肉干卖出去。",
	"村里老人多，想请心理咨询方面的志愿者来聊聊天。",
	"牧区孩子寒假没人辅导功课，希望有大学生志愿者来支教。",
	"冬季取暖设施老化，想请懂电路和锅炉的志愿者帮忙检修。",
	"想学习使用智能手机办理医保和养老认证。",
	"希望有懂蒙汉双语的志愿者帮忙翻译政策材料。",
}

var demoRejectReasons = []string{
	"冬季道路封闭，车辆无法进入，来年开春后优先安排。",
	"所需服务与近期安排的组团服务重复，已合并到下月的集中服务中。",
	"该需求属于专业工程项目，已转交相关部门办理。",
	"服务点已另行安排同类服务，请关注下次点单。",
}

var demoCancelReasons = []string{"已自行解决。", "时间冲突，改期再点。", ""}

var demoRequesterSurnames = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "孙", "巴", "宝", "乌"}
var demoRequesterGiven = []string{"建国", "秀兰", "桂英", "德胜", "特木尔", "乌云", "其其格", "巴图", "海燕", "玉兰", "志强", "丽华"}

// demoMenuItem is a menu item before it is written.
type demoMenuItem struct {
	item domain.MenuItem
	code string // its category's code
	id   int64
}

// writeDemoMenuAndOrders writes the demo menu and a year of orders ending
// today.
func (s *Service) writeDemoMenuAndOrders(tx *store.Tx, c *demoCity) error {
	r := rand.New(rand.NewPCG(demoOrderSeed[0], demoOrderSeed[1]))
	codeOf := map[int64]string{}
	for code, id := range c.cats {
		codeOf[id] = code
	}
	menu, err := writeDemoMenu(tx, c, r, codeOf)
	if err != nil {
		return err
	}
	c.orders = demoOrders(c, r, menu, tx.Now())
	return loadDemoOrders(tx, c.orders) // with their evaluation codes and evaluations
}

func writeDemoMenu(tx *store.Tx, c *demoCity, r *rand.Rand, codeOf map[int64]string) ([]*demoMenuItem, error) {
	var menu []*demoMenuItem
	taken := map[string]bool{}
	for _, t := range c.teams {
		n := 1 + r.IntN(3)
		for i := 0; i < n && len(t.categories) > 0; i++ {
			cat := t.categories[r.IntN(len(t.categories))]
			code := codeOf[cat]
			titles := demoMenuTitles[code]
			if len(titles) == 0 {
				continue
			}
			title := titles[r.IntN(len(titles))]
			if taken[t.name+title] {
				continue
			}
			taken[t.name+title] = true
			m := domain.MenuItem{
				Title: title, CategoryID: cat, Kind: domain.MenuParticipatory, Term: domain.TermShort,
				Duration: []string{"半天", "一天", "两小时", "两天"}[r.IntN(4)], Volunteers: 3 + r.IntN(15),
				Active: r.Float64() < 0.93, TeamIDs: []int64{t.id},
				Description: fmt.Sprintf("由%s提供的%s服务。服务点提前三天确认场地和参加人数。", t.name, title),
			}
			if professional[code] {
				m.Kind = domain.MenuProfessional
			}
			if r.Float64() < 0.3 {
				m.Term = domain.TermLong
				m.Description += "本项目为长期品牌项目，每年定期开展。"
			}
			if r.Float64() < 0.5 && len(c.regions) > 0 {
				m.RegionIDs = []int64{c.towns[r.IntN(len(c.towns))].parent.id}
			}
			valid, err := m.Validate()
			if err != nil {
				return nil, fmt.Errorf("demo menu item %s: %w", title, err)
			}
			id, err := tx.CreateMenuItem(valid)
			if err != nil {
				return nil, err
			}
			menu = append(menu, &demoMenuItem{item: valid, code: code, id: id})
		}
	}
	return menu, nil
}

// demoOrders draws about a year of orders ending at now.
func demoOrders(c *demoCity, r *rand.Rand, menu []*demoMenuItem, now time.Time) []store.PastOrder {
	byCode := map[string][]*demoMenuItem{}
	for _, m := range menu {
		if m.item.Active {
			byCode[m.code] = append(byCode[m.code], m)
		}
	}
	day := func(t time.Time) string { return t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02") }
	channels := []struct {
		c domain.Channel
		w float64
	}{{domain.ChannelOnline, 0.55}, {domain.ChannelHotline, 0.15}, {domain.ChannelSuggestionBox, 0.08},
		{domain.ChannelForum, 0.12}, {domain.ChannelVisit, 0.10}}
	var out []store.PastOrder
	for i := 0; i < 360; i++ {
		created := now.Add(-time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
		o := store.PastOrder{CreatedAt: created, State: domain.OrderSubmitted}
		o.Code = NewCode() // random even here: a published seed must not make codes guessable
		pick := r.Float64()
		for _, ch := range channels {
			if pick -= ch.w; pick < 0 || ch.c == domain.ChannelVisit {
				o.Channel = ch.c
				break
			}
		}
		o.RequesterName = demoRequesterSurnames[r.IntN(len(demoRequesterSurnames))] + demoRequesterGiven[r.IntN(len(demoRequesterGiven))]
		o.RequesterPhone = fmt.Sprintf("1%d%d%08d", 3+r.IntN(6), r.IntN(10), r.IntN(100000000))
		site := c.sites[r.IntN(len(c.sites))]
		if r.Float64() < 0.85 {
			o.SiteID = site.id
		} else {
			town := c.towns[r.IntN(len(c.towns))]
			o.RegionID, o.Address = town.id, town.name+"政府院内"
		}
		from := created.Add(time.Duration(7+r.IntN(24)) * 24 * time.Hour)
		o.DateFrom, o.DateTo = day(from), day(from.Add(time.Duration(r.IntN(3))*24*time.Hour))
		o.Beneficiaries = 20 + r.IntN(280)
		if r.Float64() < 0.08 {
			o.Need = demoUnmetNeeds[r.IntN(len(demoUnmetNeeds))]
		} else {
			needs := siteNeeds[site.kind]
			if len(needs) == 0 {
				needs = []string{"medical", "culture"}
			}
			for k := 0; k < 1+r.IntN(2); k++ {
				items := byCode[needs[r.IntN(len(needs))]]
				if len(items) > 0 {
					o.ItemIDs = appendIDOnce(o.ItemIDs, items[r.IntN(len(items))].id)
				}
			}
			if len(o.ItemIDs) == 0 {
				o.Need = demoUnmetNeeds[r.IntN(len(demoUnmetNeeds))]
			}
		}
		if o.Channel != domain.ChannelOnline {
			o.Notes = "工作人员代为登记。"
		}
		demoHistory(&o, r, from, now)
		demoDispatches(&o, r, menu, c)
		out = append(out, o)
	}
	out = append(out, demoLeaderInbox(c, r, menu, now)...)
	out = append(out, demoLeaderServed(c, menu, now)...)
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	demoGroupOrders(c, out, menu, now)
	return out
}

// demoHistory walks an order through the lifecycle as far as time allows:
// reviewed a day or three after it arrived, dispatched and confirmed before
// its date, served on it, evaluated within a week; some are rejected or
// cancelled on the way.
func demoHistory(o *store.PastOrder, r *rand.Rand, serveOn, now time.Time) {
	t := o.CreatedAt
	step := func(e domain.OrderEvent, after time.Duration, reason, actor string) bool {
		at := t.Add(after)
		if at.After(now) {
			return false
		}
		next, err := domain.NextOrderState(o.State, e)
		if err != nil {
			return false
		}
		t = at
		o.Steps = append(o.Steps, store.PastStep{Event: e, Reason: reason, Actor: actor, At: at})
		o.State = next
		return true
	}
	hours := func(lo, hi int) time.Duration { return time.Duration(lo+r.IntN(hi-lo+1)) * time.Hour }
	if len(o.ItemIDs) == 0 { // a need the menu lacks: passed on, or still waiting
		if r.Float64() < 0.7 {
			step(domain.EventReject, hours(12, 72), "该需求暂无对应的服务项目，已转交相关部门，并将纳入明年的服务菜单。", "工委管理员")
		}
		return
	}
	switch p := r.Float64(); {
	case p < 0.06:
		step(domain.EventCancel, hours(2, 48), demoCancelReasons[r.IntN(len(demoCancelReasons))], "")
		return
	case p < 0.16 || o.Need != "" && p < 0.5:
		step(domain.EventReject, hours(12, 72), demoRejectReasons[r.IntN(len(demoRejectReasons))], "工委管理员")
		return
	}
	if !step(domain.EventAccept, hours(6, 72), "", "工委管理员") {
		return
	}
	if now.Sub(t) < 12*24*time.Hour && r.Float64() < 0.6 {
		return // accepted lately: waiting on the dispatch desk
	}
	if !step(domain.EventDispatch, hours(24, 96), "", "工委管理员") {
		return
	}
	if r.Float64() < 0.1 {
		if !step(domain.EventDecline, hours(6, 24), "队员当天另有任务，请改派其他服务队。", "服务队队长") {
			return
		}
		if !step(domain.EventDispatch, hours(6, 24), "", "工委管理员") {
			return
		}
	}
	if !step(domain.EventConfirm, hours(6, 48), "", "服务队队长") {
		return
	}
	if serveOn.Before(t) {
		serveOn = t.Truncate(24 * time.Hour).Add(24 * time.Hour)
	}
	// Marked served in the evening (17:00–20:00 China time) of the day the
	// service took place, after the activity.
	if !step(domain.EventServe, serveOn.Sub(t)+hours(9, 12), "", "服务队队长") {
		return
	}
	step(domain.EventEvaluate, hours(12, 168), "", "")
}

func appendIDOnce(ids []int64, id int64) []int64 {
	for _, x := range ids {
		if x == id {
			return ids
		}
	}
	return append(ids, id)
}

// demoDispatches gives a past order's slots to the teams that offer its
// items, as its steps say: sent at each dispatch, one team declining at a
// decline (its slots go to another team of the same category at the next
// dispatch), all confirmed at the confirmation. A slot's person-days are
// what its items' service needs (volunteers × service days), as the desk
// counts them.
func demoDispatches(o *store.PastOrder, r *rand.Rand, menu []*demoMenuItem, c *demoCity) {
	type slot struct {
		cat  int64
		team int64
		days float64
	}
	var slots []*slot
	byCat := map[int64]*slot{}
	for _, id := range o.ItemIDs {
		for _, m := range menu {
			if m.id != id {
				continue
			}
			s := byCat[m.item.CategoryID]
			if s == nil {
				s = &slot{cat: m.item.CategoryID, team: m.item.TeamIDs[0]}
				byCat[s.cat] = s
				slots = append(slots, s)
			}
			s.days += float64(m.item.Volunteers * domain.ServiceDays(m.item.Duration))
		}
	}
	if len(slots) == 0 {
		return
	}
	var open []int // indexes into o.Dispatches of pending rows
	for _, st := range o.Steps {
		switch st.Event {
		case domain.EventDispatch:
			for _, s := range slots {
				held := false
				for _, i := range open {
					held = held || o.Dispatches[i].CategoryID == s.cat
				}
				if !held {
					o.Dispatches = append(o.Dispatches, store.PastDispatch{CategoryID: s.cat, TeamID: s.team,
						PersonDays: s.days, State: domain.DispatchPending, At: st.At})
					open = append(open, len(o.Dispatches)-1)
				}
			}
		case domain.EventDecline:
			// The first open slot's team declines all its slots.
			team := o.Dispatches[open[0]].TeamID
			var keep []int
			for _, i := range open {
				if o.Dispatches[i].TeamID == team {
					o.Dispatches[i].State, o.Dispatches[i].Reason, o.Dispatches[i].AnsweredAt = domain.DispatchDeclined, st.Reason, st.At
					if s := byCat[o.Dispatches[i].CategoryID]; s != nil {
						s.team = otherTeam(c, s.cat, team, r)
					}
				} else {
					keep = append(keep, i)
				}
			}
			open = keep
		case domain.EventConfirm:
			for _, i := range open {
				o.Dispatches[i].State, o.Dispatches[i].AnsweredAt = domain.DispatchConfirmed, st.At
			}
			open = nil
		}
	}
}

// otherTeam picks a team other than not that serves category cat.
func otherTeam(c *demoCity, cat, not int64, r *rand.Rand) int64 {
	var list []int64
	for _, t := range c.teams {
		if t.id == not {
			continue
		}
		for _, x := range t.categories {
			if x == cat {
				list = append(list, t.id)
				break
			}
		}
	}
	if len(list) == 0 {
		return not
	}
	return list[r.IntN(len(list))]
}

// demoLeaderInbox adds two orders dispatched to the demo leader's team a few
// days ago and not yet answered, so that their inbox has work.
func demoLeaderInbox(c *demoCity, r *rand.Rand, menu []*demoMenuItem, now time.Time) []store.PastOrder {
	var mine []*demoMenuItem
	for _, m := range menu {
		if m.item.Active && len(m.item.TeamIDs) > 0 && m.item.TeamIDs[0] == c.nmjTeam.id {
			mine = append(mine, m)
		}
	}
	var out []store.PastOrder
	for k := 0; k < 2 && len(mine) > 0; k++ {
		m := mine[k%len(mine)]
		created := now.Add(-time.Duration(3+k) * 24 * time.Hour)
		from := now.Add(time.Duration(6+k*3) * 24 * time.Hour)
		day := from.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
		o := store.PastOrder{CreatedAt: created, State: domain.OrderDispatched}
		o.Code, o.Channel = NewCode(), domain.ChannelOnline
		o.RequesterName, o.RequesterPhone = "巴音", "1390000"+strconv.Itoa(1000+k)
		o.SiteID, o.DateFrom, o.DateTo, o.Beneficiaries = c.gacha.id, day, day, 60+r.IntN(60)
		o.ItemIDs = []int64{m.id}
		accepted, sent := created.Add(20*time.Hour), created.Add(44*time.Hour)
		o.Steps = []store.PastStep{{Event: domain.EventAccept, Actor: "工委管理员", At: accepted},
			{Event: domain.EventDispatch, Actor: "工委管理员", At: sent}}
		o.Dispatches = []store.PastDispatch{{CategoryID: m.item.CategoryID, TeamID: c.nmjTeam.id,
			PersonDays: float64(m.item.Volunteers * domain.ServiceDays(m.item.Duration)), State: domain.DispatchPending, At: sent}}
		out = append(out, o)
	}
	return out
}
