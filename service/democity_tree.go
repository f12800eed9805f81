package service

import (
	"fmt"
	"math"
	"strings"

	"vanguard/domain"
)

// The two trees of the demo city: Hulunbuir's regions (banners, their towns
// and sumu, their villages and gacha) and the org tree under the committee
// (units with their party committees, general branches, branches and league
// organisations), fitted to the seed's 378 organisations.

// Regions.

func (c *demoCity) genRegions() {
	for i := range demoBanners {
		b := &demoBanners[i]
		banner := &demoRegion{def: b, level: domain.RegionBanner, name: b.name, lat: b.lat, lng: b.lng}
		c.regions = append(c.regions, banner)
		c.banners[b.name] = banner
		used := map[string]bool{}
		for _, name := range b.towns {
			town := &demoRegion{parent: banner, def: b, level: domain.RegionTown, name: name, villages: villageKind(b.kind, name)}
			spread := 0.6
			if strings.HasSuffix(name, "街道") {
				spread = 0.04
			}
			town.lat = c.near(b.lat, spread*0.7)
			town.lng = c.near(b.lng, spread)
			banner.children = append(banner.children, town)
			c.regions, c.towns = append(c.regions, town), append(c.towns, town)
			c.genVillages(town, used)
		}
	}
}

// near returns a coordinate within spread degrees of x, to four places. The
// conversion rounds the product so that no platform fuses it into the sum
// (FMA), which keeps the city the same on every machine.
func (c *demoCity) near(x, spread float64) float64 {
	off := float64((c.r.Float64()*2 - 1) * spread)
	return math.Round(float64((x+off)*1e4)) / 1e4
}

func villageKind(bannerKind, town string) string {
	switch {
	case strings.HasSuffix(town, "街道"):
		return "community"
	case strings.HasSuffix(town, "苏木") || bannerKind == "pastoral":
		return "gacha"
	case bannerKind == "forest" && strings.HasSuffix(town, "镇"):
		return "community"
	default:
		return "village"
	}
}

// genVillages adds two or three villages, gacha or communities to a town,
// their names unique within the banner. The first gacha of 鄂温克民族苏木 is
// 巴彦嘎查, whose contact is a demo account.
func (c *demoCity) genVillages(town *demoRegion, used map[string]bool) {
	stems, suffix := demoVillageStems, "村"
	switch town.villages {
	case "gacha":
		stems, suffix = demoGachaStems, "嘎查"
	case "community":
		stems, suffix = demoCommunityStems, "社区"
	}
	n := c.between(2, 3)
	for k := 0; k < n; k++ {
		stem := pickOne(c, stems)
		if k == 0 && town.name == "鄂温克民族苏木" {
			stem = "巴彦"
		}
		for used[stem] {
			stem = pickOne(c, stems)
		}
		used[stem] = true
		v := &demoRegion{parent: town, def: town.def, level: domain.RegionVillage, name: stem + suffix,
			lat: c.near(town.lat, 0.08), lng: c.near(town.lng, 0.1)}
		town.children = append(town.children, v)
		c.regions = append(c.regions, v)
	}
}

// town finds a town by banner and name.
func (c *demoCity) town(banner, name string) *demoRegion {
	b := c.banners[banner]
	if b != nil {
		for _, t := range b.children {
			if t.name == name {
				return t
			}
		}
	}
	c.fail("no town %s in %s", name, banner)
	return c.regions[1]
}

// Units and the org tree.

func (c *demoCity) genUnits() {
	weights := make([]float64, len(demoUnitDefs))
	for i, d := range demoUnitDefs {
		weights[i] = float64(d.size)
	}
	sizes := apportion(demoPeopleTarget, weights)
	hailar := c.banners["海拉尔区"].children
	for i, d := range demoUnitDefs {
		prof, ok := demoProfiles[d.profile]
		if !ok {
			c.fail("unit %s: no profile %q", d.name, d.profile)
		}
		u := &demoUnit{def: d, prof: prof, size: sizes[i], home: pickOne(c, hailar[:4])}
		u.address = fmt.Sprintf("海拉尔区%s%d号", pickOne(c, demoStreets), c.between(1, 120))
		u.nb = max(1, int(math.Round(float64(u.activeSize())/30)))
		c.units = append(c.units, u)
		c.unitByDef[d.name] = u
	}
	c.nmj = c.units[0]
	c.fitOrgCount()
	for _, u := range c.units {
		c.genUnitOrgs(u)
	}
}

func (u *demoUnit) retiredSize() int {
	if u.size < 80 {
		return 0
	}
	return int(math.Round(float64(u.size) * 0.1))
}

func (u *demoUnit) activeSize() int { return u.size - u.retiredSize() }

// orgCount is how many orgs a unit brings with nb branches: itself, a party
// committee or general branch above its branches (unless one branch is all
// it has), two general branches under a large committee, the branches, the
// retirees' branch and a league organisation.
func (u *demoUnit) orgCount(nb int) int {
	n := 1 + nb
	if nb > 1 || u.retiredSize() > 0 {
		n++
	}
	if nb >= 8 {
		n += 2
	}
	if u.retiredSize() > 0 {
		n++
	}
	if u.def.youth || u.def.league {
		n++
	}
	return n
}

// fitOrgCount adds or removes branches, one at a time where members per
// branch are most or fewest, until the tree has demoOrgTarget orgs.
func (c *demoCity) fitOrgCount() {
	total := 1
	for _, u := range c.units {
		total += u.orgCount(u.nb)
	}
	for total != demoOrgTarget {
		grow := total < demoOrgTarget
		var best *demoUnit
		bestRatio := 0.0
		for _, u := range c.units {
			next := u.nb + 1
			if !grow {
				next = u.nb - 1
			}
			delta := u.orgCount(next) - u.orgCount(u.nb)
			if next < 1 || (grow && delta > demoOrgTarget-total) || (!grow && -delta > total-demoOrgTarget) {
				continue
			}
			ratio := float64(u.activeSize()) / float64(u.nb)
			if best == nil || (grow && ratio > bestRatio) || (!grow && ratio < bestRatio) {
				best, bestRatio = u, ratio
			}
		}
		if best == nil {
			c.fail("cannot fit the org tree to %d orgs (have %d)", demoOrgTarget, total)
			return
		}
		before := best.orgCount(best.nb)
		if grow {
			best.nb++
		} else {
			best.nb--
		}
		total += best.orgCount(best.nb) - before
	}
}

func (c *demoCity) newOrg(parent *demoOrg, kind domain.OrgKind, name string) *demoOrg {
	o := &demoOrg{parent: parent, kind: kind, name: name}
	c.orgs = append(c.orgs, o)
	return o
}

// genUnitOrgs builds a unit's party and league organisations.
func (c *demoCity) genUnitOrgs(u *demoUnit) {
	short := u.def.short
	u.org = c.newOrg(c.committee, domain.OrgUnit, u.def.name)
	top := u.org
	hospital := strings.HasSuffix(u.def.name, "医院") || strings.HasSuffix(u.def.name, "保健院")
	switch {
	case u.nb == 1 && u.retiredSize() == 0:
	case u.size >= 150 && hospital:
		top = c.newOrg(u.org, domain.OrgPartyCommittee, short+"党委")
	case u.size >= 150:
		top = c.newOrg(u.org, domain.OrgPartyCommittee, short+"机关党委")
	default:
		top = c.newOrg(u.org, domain.OrgGeneralBranch, short+"机关党总支")
	}
	parents := []*demoOrg{top}
	if u.nb >= 8 {
		parents = []*demoOrg{
			c.newOrg(top, domain.OrgGeneralBranch, short+"第一党总支"),
			c.newOrg(top, domain.OrgGeneralBranch, short+"第二党总支"),
		}
	}
	for i := 0; i < u.nb; i++ {
		parent := parents[i*len(parents)/u.nb]
		u.branches = append(u.branches, c.newOrg(parent, domain.OrgBranch, short+branchName(u.prof.depts, u.nb, i)))
	}
	if u.retiredSize() > 0 {
		u.retirees = c.newOrg(top, domain.OrgBranch, short+"离退休干部党支部")
	}
	if u.def.youth || u.def.league {
		name := short + "团支部"
		if u.size >= 150 {
			name = short + "团委"
		}
		if short == "团市委" {
			name = "团市委机关团支部"
		}
		u.league = c.newOrg(u.org, domain.OrgLeague, name)
	}
}

// branchName names the i-th of nb branches after the departments in turn:
// a department with one branch gives it its name (办公室党支部), one with
// several numbers them (内科第二党支部).
func branchName(depts []string, nb, i int) string {
	if nb == 1 {
		return "机关党支部"
	}
	d := i % len(depts)
	count := nb / len(depts)
	if d < nb%len(depts) {
		count++
	}
	if count == 1 {
		return depts[d] + "党支部"
	}
	return depts[d] + "第" + zhNumber(i/len(depts)+1) + "党支部"
}
