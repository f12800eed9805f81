package gen

import (
	"fmt"
	"math/rand/v2"
	"time"

	"vanguard/domain"
)

// The registry in memory: regions, the org tree, people (by ranges, not
// rows), teams with their rosters, sites and the menu. Ids are indexes + 1:
// the loader writes them as they are.

type region struct {
	parent int32 // index + 1, 0 for none
	level  domain.RegionLevel
	name   string
	path   string
	lat    float64
	lng    float64
}

type org struct {
	parent int32 // id, 0 for the committee
	kind   domain.OrgKind
	name   string
	path   string
}

// unit is one unit's subtree: its org, party committee, league and
// branches, and the range of people registered under it.
type unit struct {
	org, party, league int32   // org ids
	branches           []int32 // org ids
	home               int32   // region id of the town it sits in
	name               string
	first, end         int32 // people ids [first, end)
	youth              int32 // people [first, youth) are league members
}

type team struct {
	org      int32 // owning org id
	unit     int32 // unit index
	kind     domain.TeamKind
	name     string
	cats     []int64
	roster   []member // current and past stays
	founded  string
	leaderID int32
}

// member is one stay in a team; days count from the year's 1 January,
// negative before it; leave is noLeave while the stay lasts.
type member struct {
	person      int32
	join, leave int16
	leader      bool
}

const noLeave = int16(32767)

// current reports whether the stay covers day.
func (m member) current(day int16) bool { return m.join <= day && day < m.leave }

type site struct {
	org    int32
	region int32
	kind   domain.SiteKind
	name   string
}

type menuItem struct {
	team int32 // team id
	cat  int64
	name string
}

var (
	surnames    = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
	given       = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕鹏辉斌宇浩凯健俊帆帅旭宁龙林欣然晨阳巴特尔乌兰其其格图雅额尔敦苏日娜")
	bannerNames = []string{"旗", "区"}
	townNames   = []string{"苏木", "镇", "街道"}
	villageKind = []string{"嘎查", "村", "社区"}
	placeWords  = []rune("阿巴查宝音达赉鄂温克莫力陈新东西南北红花尔基乌兰托海伊敏扎兰屯根河满洲里牙克石额尔古纳")
)

func personName(r *rand.Rand) string {
	n := 1 + r.IntN(2)
	b := []rune{surnames[r.IntN(len(surnames))]}
	for range n {
		b = append(b, given[r.IntN(len(given))])
	}
	return string(b)
}

func placeName(r *rand.Rand, n int) string {
	b := make([]rune, n)
	for i := range b {
		b[i] = placeWords[r.IntN(len(placeWords))]
	}
	return string(b)
}

// genRegions makes banners → towns → villages, each town under a banner and
// each village under a town, round robin.
func (w *world) genRegions() {
	r := w.r
	add := func(parent int32, level domain.RegionLevel, name string) int32 {
		id := int32(len(w.regions) + 1)
		path := "/"
		if parent != 0 {
			path = w.regions[parent-1].path
		}
		w.regions = append(w.regions, region{parent: parent, level: level, name: name,
			path: path + fmt.Sprint(id) + "/", lat: 47 + 5*r.Float64(), lng: 115 + 10*r.Float64()})
		return id
	}
	for i := range w.sc.Banners {
		w.banners = append(w.banners, add(0, domain.RegionBanner, fmt.Sprintf("%s%d%s", placeName(r, 2), i+1, bannerNames[i%2])))
	}
	for i := range w.sc.Towns {
		b := w.banners[i%len(w.banners)]
		w.towns = append(w.towns, add(b, domain.RegionTown, fmt.Sprintf("%s%d%s", placeName(r, 2), i+1, townNames[i%3])))
	}
	for i := range w.sc.Villages {
		t := w.towns[i%len(w.towns)]
		w.villages = append(w.villages, add(t, domain.RegionVillage, fmt.Sprintf("%s%d%s", placeName(r, 2), i+1, villageKind[i%3])))
	}
}

// genOrgs makes the committee and units of twenty orgs each: the unit, its
// party committee with two general branches over fifteen branches, and its
// league; orgs left over become more branches, one per unit.
func (w *world) genOrgs() {
	add := func(parent int32, kind domain.OrgKind, name string) int32 {
		id := int32(len(w.orgs) + 1)
		path := "/"
		if parent != 0 {
			path = w.orgs[parent-1].path
		}
		w.orgs = append(w.orgs, org{parent: parent, kind: kind, name: name, path: path + fmt.Sprint(id) + "/"})
		return id
	}
	add(0, domain.OrgCommittee, "省直机关工委")
	n := max(1, (w.sc.Orgs-1)/20)
	for u := range n {
		name := fmt.Sprintf("%s%s第%d单位", w.regions[w.towns[u%len(w.towns)]-1].name, []string{"局", "委", "办", "中心"}[u%4], u+1)
		x := unit{name: name, home: w.towns[u%len(w.towns)]}
		x.org = add(1, domain.OrgUnit, name)
		x.party = add(x.org, domain.OrgPartyCommittee, name+"机关党委")
		x.league = add(x.org, domain.OrgLeague, name+"团委")
		gb := [2]int32{add(x.party, domain.OrgGeneralBranch, name+"第一党总支"), add(x.party, domain.OrgGeneralBranch, name+"第二党总支")}
		for b := range 15 {
			x.branches = append(x.branches, add(gb[b%2], domain.OrgBranch, fmt.Sprintf("%s第%d党支部", name, b+1)))
		}
		w.units = append(w.units, x)
	}
	for i := 0; len(w.orgs) < w.sc.Orgs; i++ {
		x := &w.units[i%n]
		x.branches = append(x.branches, add(w.orgs[x.branches[0]-1].parent, domain.OrgBranch,
			fmt.Sprintf("%s第%d党支部", x.name, len(x.branches)+1)))
	}
	// People: each unit a contiguous range, a fifth of it league members.
	p := int32(w.sc.People)
	for u := range w.units {
		x := &w.units[u]
		x.first = 1 + int32(int64(u)*int64(p)/int64(n))
		x.end = 1 + int32(int64(u+1)*int64(p)/int64(n))
		x.youth = x.first + (x.end-x.first)/5
	}
}

// personOrg is the org person id belongs to and its political status.
func (w *world) personOrg(id int32) (int32, domain.PoliticalStatus) {
	x := &w.units[w.unitOf(id)]
	if id < x.youth {
		return x.league, domain.LeagueMember
	}
	k := int(id - x.youth)
	st := domain.PartyMember
	switch k % 20 {
	case 3:
		st = domain.ProbationaryMember
	case 7, 13:
		st = domain.Activist
	case 11:
		st = domain.Masses
	}
	return x.branches[k%len(x.branches)], st
}

func (w *world) unitOf(id int32) int {
	n := len(w.units)
	u := int((int64(id) - 1) * int64(n) / int64(w.sc.People))
	for u > 0 && id < w.units[u].first {
		u--
	}
	for u < n-1 && id >= w.units[u].end {
		u++
	}
	return u
}

// genTeams gives each unit its teams round robin, one in five a youth team
// of its league, and fills each roster from a slice of the unit's people
// (so nobody is in two teams at once): leaders and members from before the
// year, some joining and some leaving in it, and some who left before it.
func (w *world) genTeams(perActivity int) {
	r := w.r
	nu := len(w.units)
	kindCount := map[[2]int]int{} // (unit, youth) → teams
	kindOf := func(t int) domain.TeamKind {
		if t%5 == 4 {
			return domain.TeamYouth
		}
		return domain.TeamParty
	}
	for t := range w.sc.Teams {
		y := 0
		if kindOf(t) == domain.TeamYouth {
			y = 1
		}
		kindCount[[2]int{t % nu, y}]++
	}
	seen := map[[2]int]int{}
	want := max(2*perActivity+10, 12)
	for t := range w.sc.Teams {
		u := t % nu
		x := &w.units[u]
		tm := team{unit: int32(u), kind: kindOf(t), founded: fmt.Sprintf("%d-%02d-%02d", w.year-1-r.IntN(6), 1+r.IntN(12), 1+r.IntN(28))}
		lo, hi := x.youth, x.end
		y := 0
		if tm.kind == domain.TeamYouth {
			lo, hi, y = x.first, x.youth, 1
			tm.org = x.league
			tm.name = fmt.Sprintf("%s青年志愿服务队", x.name)
		} else {
			tm.org = x.party
			tm.name = fmt.Sprintf("%s党员志愿服务队", x.name)
		}
		k, of := seen[[2]int{u, y}], kindCount[[2]int{u, y}]
		seen[[2]int{u, y}]++
		if of > 1 {
			tm.name = fmt.Sprintf("%s（%d）", tm.name, k+1)
		}
		// The k-th of this unit's teams of this kind takes the k-th slice.
		size := hi - lo
		lo, hi = lo+size*int32(k)/int32(of), lo+size*int32(k+1)/int32(of)
		n := min(int(hi-lo), max(want, int(hi-lo)*3/10))
		tm.cats = w.teamCategories(tm.kind)
		for i := range n {
			m := member{person: lo + int32(i), join: int16(-30 - r.IntN(1500)), leave: noLeave}
			switch {
			case i == 0:
				m.leader = true
				tm.leaderID = m.person
			case r.IntN(100) < 12:
				m.join = int16(r.IntN(w.days * 3 / 4))
			case r.IntN(100) < 8:
				m.leave = int16(60 + r.IntN(w.days-60))
			}
			tm.roster = append(tm.roster, m)
		}
		// Some of the unit's people served in the team before the year.
		for i := n; i < int(hi-lo) && i < n+n/10; i++ {
			j := int16(-400 - r.IntN(800))
			tm.roster = append(tm.roster, member{person: lo + int32(i), join: j, leave: j + int16(30+r.IntN(300))})
		}
		w.teams = append(w.teams, tm)
	}
}

// teamCategories picks two or three categories a team serves.
func (w *world) teamCategories(kind domain.TeamKind) []int64 {
	r := w.r
	n := 2 + r.IntN(2)
	var out []int64
	for len(out) < n {
		var c int64
		if kind == domain.TeamYouth && r.IntN(2) == 0 {
			c = w.cat([]string{"culture", "environment", "tree_planting", "scitech"}[r.IntN(4)])
		} else {
			c = w.cats[r.IntN(len(w.cats))].ID
		}
		dup := false
		for _, x := range out {
			dup = dup || x == c
		}
		if !dup && c != 0 {
			out = append(out, c)
		}
	}
	return out
}

func (w *world) cat(code string) int64 {
	for _, c := range w.cats {
		if c.Code == code {
			return c.ID
		}
	}
	return 0
}

// genSites places sites in villages, each owned by a unit.
func (w *world) genSites() {
	kinds := []domain.SiteKind{domain.SiteCommunity, domain.SiteForest, domain.SitePastoral, domain.SiteFarming,
		domain.SiteStation, domain.SiteVillage}
	for i := range w.sc.Sites {
		v := w.villages[i%len(w.villages)]
		k := kinds[i%len(kinds)]
		w.sites = append(w.sites, site{org: w.units[w.r.IntN(len(w.units))].org, region: v, kind: k,
			name: fmt.Sprintf("%s%s服务点%d", w.regions[v-1].name, map[domain.SiteKind]string{
				domain.SiteCommunity: "社区", domain.SiteForest: "林区", domain.SitePastoral: "牧区", domain.SiteFarming: "农区",
				domain.SiteStation: "站所", domain.SiteVillage: "嘎查"}[k], i+1)})
	}
}

// genMenu offers one item per team and category it serves.
func (w *world) genMenu() {
	w.itemsByCat = map[int64][]int32{}
	for t := range w.teams {
		for _, c := range w.teams[t].cats {
			id := int32(len(w.items) + 1)
			w.items = append(w.items, menuItem{team: int32(t + 1), cat: c, name: w.catName(c) + "服务·" + w.teams[t].name})
			w.itemsByCat[c] = append(w.itemsByCat[c], id)
		}
	}
}

func (w *world) catName(id int64) string {
	for _, c := range w.cats {
		if c.ID == id {
			return c.NameZH
		}
	}
	return ""
}

// at is the instant of minute m of day d of the year, China time.
func (w *world) at(d int, m int) time.Time {
	return time.Date(w.year, 1, 1+d, 0, m, 0, 0, domain.ChinaZone)
}

func (w *world) date(d int) string { return w.at(d, 0).Format("2006-01-02") }
