package service

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"vanguard/domain"
)

// Teams and sites of the demo city: 54 party teams and 13 youth teams with
// their archives and rosters (history included), and the grassroots places
// that order services.

func (c *demoCity) genTeams() {
	party := c.partyTeamUnits()
	weights := make([]float64, len(party))
	for i, u := range party {
		weights[i] = math.Pow(float64(u.size), 0.8)
	}
	for i, k := range apportion(demoPartyVolunteers, weights) {
		c.partyTeam(party[i], k)
	}
	var youthUnits []*demoUnit
	for _, u := range c.units {
		if u.def.youth {
			youthUnits = append(youthUnits, u)
		}
	}
	weights = make([]float64, len(youthUnits))
	for i, u := range youthUnits {
		weights[i] = math.Sqrt(float64(u.size))
		if u.def.profile == "youth" {
			weights[i] *= 3 // 团市委's team draws on the whole city
		}
	}
	var youth []*demoTeam
	sizes := apportion(demoYouthVolunteers, weights)
	for i, u := range youthUnits {
		youth = append(youth, c.youthTeam(u, sizes[i]))
	}
	for i, t := range youth {
		c.fillYouthTeam(t, sizes[i])
	}
	for _, t := range c.teams {
		c.crossMembers(t)
	}
	for _, t := range c.teams {
		c.history(t)
	}
	c.nmjTeam = c.teams[0]
}

// partyTeamUnits are the units with a party team: all but the smallest, in
// the order of demoUnitDefs.
func (c *demoCity) partyTeamUnits() []*demoUnit {
	bySize := slices.Clone(c.units)
	sort.SliceStable(bySize, func(i, j int) bool { return bySize[i].size > bySize[j].size })
	with := map[*demoUnit]bool{}
	for _, u := range bySize[:min(demoPartyTeams, len(bySize))] {
		with[u] = true
	}
	var out []*demoUnit
	for _, u := range c.units {
		if with[u] {
			out = append(out, u)
		}
	}
	return out
}

func (c *demoCity) newTeam(u *demoUnit, kind domain.TeamKind, owner *demoOrg, codes []string) *demoTeam {
	t := &demoTeam{kind: kind, unit: u, owner: owner, current: map[*demoPerson]bool{}}
	t.founded = c.day(ymd(2017, 3, 1), ymd(2018, 10, 31))
	suffix := "党员志愿服务队"
	if kind == domain.TeamYouth {
		suffix = "青年志愿服务队"
	}
	t.name = u.def.short + suffix
	c.r.Shuffle(len(codes)-min(2, len(codes)), func(i, j int) {
		codes[2+i], codes[2+j] = codes[2+j], codes[2+i]
	})
	t.categories = c.categoryIDs(codes[:min(len(codes), c.between(2, 4))])
	t.description = c.teamDescription(t)
	t.rules = c.teamRules(kind)
	c.teams = append(c.teams, t)
	return t
}

func (c *demoCity) teamDescription(t *demoTeam) string {
	u := t.unit
	when := fmt.Sprintf("%s成立于%d年%d月", t.name, t.founded.Year(), t.founded.Month())
	if t.kind == domain.TeamYouth {
		return fmt.Sprintf("%s，由%s组织本单位团员青年组成，积极参加环境整治、关爱留守儿童、文明交通劝导等志愿服务，"+
			"并结合%s特长，%s。", when, t.owner.name, u.prof.strength, u.prof.activity)
	}
	who := pickOne(c, []string{"在职党员和入党积极分子", "机关及直属单位党员骨干", "党员领导干部带头、在职党员"})
	return fmt.Sprintf("%s，由%s%s组成。服务队发挥%s优势，%s，打造了“%s”志愿服务品牌。",
		when, u.def.name, who, u.prof.strength, u.prof.activity, u.prof.brand)
}

// teamRules writes a team's service rules as a numbered list.
func (c *demoCity) teamRules(kind domain.TeamKind) string {
	org, review := "党组织", "党员民主评议"
	if kind == domain.TeamYouth {
		org, review = "团组织", "团员教育评议"
	}
	var lines []string
	for i, variants := range demoRules {
		if i >= 3 && c.chance(0.2) {
			continue
		}
		rule := strings.NewReplacer("{org}", org, "{review}", review).Replace(pickOne(c, variants))
		lines = append(lines, fmt.Sprintf("%d. %s", len(lines)+1, rule))
	}
	return strings.Join(lines, "\n")
}

// partyTeam founds a unit's party team with k members of the unit: party
// members and activists, backbones and those willing to serve in the
// team's categories first; the first one or two lead it.
func (c *demoCity) partyTeam(u *demoUnit, k int) {
	t := c.newTeam(u, domain.TeamParty, u.org, slices.Clone(u.prof.categories))
	score := map[*demoPerson]float64{}
	var cands []*demoPerson
	for _, p := range u.people {
		if p.status == domain.LeagueMember || p.status == domain.Masses {
			continue
		}
		s := c.r.Float64()
		if p.backbone {
			s += 0.5
		}
		if overlaps(p.willing, t.categories) {
			s += 0.3
		}
		if p.retired {
			s -= 0.4
		}
		score[p] = s
		cands = append(cands, p)
	}
	sort.SliceStable(cands, func(i, j int) bool { return score[cands[i]] > score[cands[j]] })
	if len(cands) < k {
		c.fail("%s: %d candidates for %d places", t.name, len(cands), k)
		k = len(cands)
	}
	c.enrol(t, cands[:k], c.between(1, 2))
}

func overlaps(a, b []int64) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// enrol puts people on a team's roster, the first leaders of them leading.
func (c *demoCity) enrol(t *demoTeam, people []*demoPerson, leaders int) {
	for i, p := range people {
		m := demoMember{person: p, role: domain.MemberRegular, joined: isoDate(c.joinDate(t))}
		if i < leaders {
			m.role, m.joined = domain.MemberLeader, isoDate(t.founded)
		}
		t.members = append(t.members, m)
		t.current[p] = true
		p.inTeam = true
		p.inYouth = p.inYouth || t.kind == domain.TeamYouth
	}
}

// joinDate: most joined in the team's first months, the rest since.
func (c *demoCity) joinDate(t *demoTeam) time.Time {
	if c.chance(0.65) {
		return c.day(t.founded, t.founded.AddDate(0, 3, 0))
	}
	return c.day(t.founded, ymd(2025, 9, 30))
}

// youthTeam founds a youth team under the unit's league organisation with
// up to 60% of its members from the unit's young people, league members
// first; fillYouthTeam completes it from the whole city.
func (c *demoCity) youthTeam(u *demoUnit, k int) *demoTeam {
	codes := slices.Clone(u.prof.categories)
	for _, code := range []string{"environment", "poverty_relief", "culture"} {
		if !slices.Contains(codes, code) {
			codes = append(codes, code)
		}
	}
	t := c.newTeam(u, domain.TeamYouth, u.league, codes)
	own := c.youthCandidates(u.people)
	own = own[:min(len(own), int(math.Ceil(0.6*float64(k))))]
	leaders := 1
	if len(own) > 8 {
		leaders = c.between(1, 2)
	}
	// Young party members lead.
	sort.SliceStable(own, func(i, j int) bool { return youthLeaderRank(own[i]) < youthLeaderRank(own[j]) })
	c.enrol(t, own, leaders)
	return t
}

func youthLeaderRank(p *demoPerson) int {
	if p.status == domain.PartyMember || p.status == domain.ProbationaryMember {
		return 0
	}
	return 1
}

func (c *demoCity) fillYouthTeam(t *demoTeam, k int) {
	need := k - len(t.members)
	if need <= 0 {
		return
	}
	pool := c.youthCandidates(c.people)
	if len(pool) < need {
		c.fail("%s: %d young people left for %d places", t.name, len(pool), need)
		need = len(pool)
	}
	leaders := 0
	if len(t.members) == 0 {
		leaders = 1
	}
	c.enrol(t, pool[:need], leaders)
}

// youthCandidates are young people not yet in a youth team, league members
// most likely first.
func (c *demoCity) youthCandidates(people []*demoPerson) []*demoPerson {
	bonus := map[domain.PoliticalStatus]float64{domain.LeagueMember: 1.2, domain.ProbationaryMember: 0.5,
		domain.PartyMember: 0.3, domain.Activist: 0.4}
	score := map[*demoPerson]float64{}
	var out []*demoPerson
	for _, p := range people {
		b, ok := bonus[p.status]
		if !ok || p.inYouth || p.retired || !p.youngAdult() {
			continue
		}
		score[p] = c.r.Float64() + b
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool { return score[out[i]] > score[out[j]] })
	return out
}

// crossMembers adds a few members of other teams of the same kind: a
// volunteer may serve in more than one team.
func (c *demoCity) crossMembers(t *demoTeam) {
	var others []*demoPerson
	for _, o := range c.teams {
		if o == t || o.kind != t.kind {
			continue
		}
		for _, m := range o.members {
			if m.left == "" && !t.current[m.person] {
				others = append(others, m.person)
			}
		}
	}
	n := int(math.Round(float64(len(t.members)) * 0.025))
	for ; n > 0 && len(others) > 0; n-- {
		p := pickOne(c, others)
		if t.current[p] {
			continue
		}
		t.members = append(t.members, demoMember{person: p, role: domain.MemberRegular, joined: isoDate(c.joinDate(t))})
		t.current[p] = true
	}
}

// history gives a team its past: about 5% of its members over the years
// left, and now and then one who left came back.
func (c *demoCity) history(t *demoTeam) {
	var former []*demoPerson
	for _, p := range t.unit.people {
		if t.current[p] || p.status == domain.Masses {
			continue
		}
		if (t.kind == domain.TeamParty && p.status != domain.LeagueMember) ||
			(t.kind == domain.TeamYouth && p.youngAdult() && !p.retired) {
			former = append(former, p)
		}
	}
	c.r.Shuffle(len(former), func(i, j int) { former[i], former[j] = former[j], former[i] })
	n := int(math.Round(float64(len(t.members)) * 0.05))
	for _, p := range former[:min(n, len(former))] {
		joined := c.day(t.founded, ymd(2023, 12, 31))
		left := c.day(joined.AddDate(0, 4, 0), ymd(2025, 10, 31))
		t.members = append(t.members, demoMember{person: p, role: domain.MemberRegular,
			joined: isoDate(joined), left: isoDate(left)})
	}
	if !c.chance(0.4) {
		return
	}
	for i := len(t.members) - 1; i >= 0; i-- {
		m := &t.members[i]
		if m.left != "" || m.role != domain.MemberRegular {
			continue
		}
		first := c.day(t.founded, t.founded.AddDate(0, 2, 0))
		left := c.day(ymd(2019, 1, 1), ymd(2021, 6, 30))
		m.joined = isoDate(c.day(left.AddDate(0, 3, 0), ymd(2024, 12, 31)))
		t.members = append(t.members, demoMember{person: m.person, role: domain.MemberRegular,
			joined: isoDate(first), left: isoDate(left)})
		return
	}
}

// pickYouthLeader chooses the second demo team leader: a leader of
// 市农牧业局's youth team (its categories overlap the party team's), who is
// not the demo volunteer.
func (c *demoCity) pickYouthLeader() {
	for _, t := range c.teams {
		if t.kind != domain.TeamYouth || t.unit != c.nmj {
			continue
		}
		for _, m := range t.members {
			if m.role == domain.MemberLeader && t.current[m.person] && m.person != c.volunteer {
				c.nmjYouth, c.youthLeader = t, m.person
				return
			}
		}
	}
	c.fail("市农牧业局 has no youth team with a leader for the second leader's account")
}

// pickVolunteer chooses the demo volunteer: a woman of 市农牧业局 on its
// party team, named 王芳 as the volunteer account's display name says.
func (c *demoCity) pickVolunteer() {
	if c.nmjTeam == nil || c.nmjTeam.unit != c.nmj || c.nmjTeam.kind != domain.TeamParty {
		c.fail("the first team is not 市农牧业局's party team")
		return
	}
	for _, m := range c.nmjTeam.members {
		p := m.person
		if m.left == "" && m.role == domain.MemberRegular && p.unit == c.nmj && p.gender == domain.GenderFemale &&
			p.status == domain.PartyMember && !p.retired {
			p.name = "王芳"
			c.volunteer = p
			return
		}
	}
	c.fail("市农牧业局's party team has no woman party member to be the demo volunteer")
}

// Sites.

func (c *demoCity) genSites() {
	var villages, communities []*demoRegion
	for _, r := range c.regions {
		if r.level == domain.RegionVillage {
			if r.parent.villages == "community" {
				communities = append(communities, r)
			} else {
				villages = append(villages, r)
			}
		}
	}
	bayan := c.town("陈巴尔虎旗", "鄂温克民族苏木").children[0]
	c.gacha = c.addSite(domain.SiteVillage, bayan.name, bayan, c.committee, "党群服务中心")
	c.r.Shuffle(len(villages), func(i, j int) { villages[i], villages[j] = villages[j], villages[i] })
	c.r.Shuffle(len(communities), func(i, j int) { communities[i], communities[j] = communities[j], communities[i] })
	c.addSites(domain.SiteVillage, villages, 31, "", "党群服务中心")
	c.addSites(domain.SiteCommunity, communities, 18, "", "党群服务站")
	forest := c.unitByDef["市林业和草原局"].org
	for _, f := range demoForestFarms {
		c.addSite(domain.SiteForest, f[2], c.town(f[0], f[1]), forest, f[2]+"场部")
	}
	var pastoral []*demoRegion
	for _, t := range c.towns {
		if t.def.kind == "pastoral" {
			pastoral = append(pastoral, t)
		}
	}
	c.r.Shuffle(len(pastoral), func(i, j int) { pastoral[i], pastoral[j] = pastoral[j], pastoral[i] })
	c.addSites(domain.SitePastoral, pastoral[:min(12, len(pastoral))], 12, "牧区", "人民政府")
	for _, f := range demoFarms {
		name := f[2]
		if c.chance(0.7) {
			name += "第" + zhNumber(c.between(1, 6)) + "生产队"
		}
		c.addSite(domain.SiteFarming, name, c.town(f[0], f[1]), c.committee, name)
	}
	c.genStations(18)
}

// addSites adds up to n sites, one per region, named after the region.
func (c *demoCity) addSites(kind domain.SiteKind, regions []*demoRegion, n int, suffix, place string) {
	for _, r := range regions {
		if n == 0 {
			return
		}
		if c.siteNamed(r.name + suffix) {
			continue
		}
		c.addSite(kind, r.name+suffix, r, c.committee, place)
		n--
	}
}

func (c *demoCity) genStations(n int) {
	var towns []*demoRegion
	for _, t := range c.towns {
		if !strings.HasSuffix(t.name, "街道") {
			towns = append(towns, t)
		}
	}
	c.r.Shuffle(len(towns), func(i, j int) { towns[i], towns[j] = towns[j], towns[i] })
	for i, t := range towns[:min(n, len(towns))] {
		st := demoStations[i%len(demoStations)]
		u := c.unitByDef[st.owner]
		if u == nil {
			c.fail("station owner %s is not a unit", st.owner)
			return
		}
		c.addSite(domain.SiteStation, t.name+st.suffix, t, u.org, st.suffix)
	}
}

func (c *demoCity) siteNamed(name string) bool {
	for _, x := range c.sites {
		if x.name == name {
			return true
		}
	}
	return false
}

// addSite adds a site; its address is the region's full name and the place
// within it.
func (c *demoCity) addSite(kind domain.SiteKind, name string, r *demoRegion, owner *demoOrg, place string) *demoSite {
	var b strings.Builder
	b.WriteString("呼伦贝尔市")
	var chain []string
	for x := r; x != nil; x = x.parent {
		chain = append(chain, x.name)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		b.WriteString(chain[i])
	}
	b.WriteString(place)
	x := &demoSite{kind: kind, name: name, region: r, owner: owner, address: b.String()}
	c.sites = append(c.sites, x)
	return x
}
