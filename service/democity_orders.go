package service

import (
	"fmt"
	"math/rand/v2"
	"sort"
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
	orders := demoOrders(c, r, menu, tx.Now())
	return tx.LoadPastOrders(orders)
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
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
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
		serveOn = t.Add(24 * time.Hour)
	}
	if !step(domain.EventServe, serveOn.Sub(t)+hours(2, 8), "", "服务队队长") {
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
