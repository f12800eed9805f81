package service

import (
	"fmt"
	"slices"
	"strings"

	"vanguard/domain"
)

// People of the demo city: names from the region's peoples, valid unique
// mobile numbers, ID-card numbers for about a third, political status by
// age, and skills, willingness and talents that follow their work.

func (c *demoCity) genPeople() {
	for _, u := range c.units {
		retired := u.retiredSize()
		for i := 0; i < u.size; i++ {
			p := c.newPerson(u, i < retired)
			u.people = append(u.people, p)
			c.people = append(c.people, p)
		}
	}
}

func (c *demoCity) newPerson(u *demoUnit, retired bool) *demoPerson {
	p := &demoPerson{unit: u, retired: retired}
	male := 0.52
	switch u.def.profile {
	case "medical", "mongolmed", "health":
		male = 0.35
	}
	if retired {
		male = 0.6
	}
	p.gender = domain.GenderFemale
	if c.chance(male) {
		p.gender = domain.GenderMale
	}
	switch {
	case retired:
		p.born = c.day(ymd(1960, 1, 1), ymd(1964, 12, 31))
	case c.chance(0.17):
		p.born = c.day(ymd(1996, 1, 1), ymd(2002, 12, 31))
	default:
		p.born = c.day(ymd(1966, 1, 1), ymd(1995, 12, 31))
	}
	p.status = c.status(p)
	p.org = c.personOrg(u, p)
	p.name = c.name(u, p.gender)
	p.phone = c.phone()
	p.home = c.homeRegion()
	if c.chance(1.0 / 3) {
		p.idCard = c.idCard(p)
	}
	c.skills(p)
	c.availability(p)
	c.talents(p)
	return p
}

func (p *demoPerson) young() bool { return p.born.Year() >= 1996 }

// youngAdult is the age of the youth teams (青年, up to 35).
func (p *demoPerson) youngAdult() bool { return p.born.Year() >= 1991 }

func (c *demoCity) status(p *demoPerson) domain.PoliticalStatus {
	x := c.r.Float64()
	switch {
	case p.retired:
		if x < 0.97 {
			return domain.PartyMember
		}
		return domain.Masses
	case p.young():
		switch {
		case x < 0.48:
			return domain.LeagueMember
		case x < 0.60:
			return domain.ProbationaryMember
		case x < 0.85:
			return domain.PartyMember
		case x < 0.97:
			return domain.Activist
		}
		return domain.Masses
	default:
		switch {
		case x < 0.89:
			return domain.PartyMember
		case x < 0.91:
			return domain.ProbationaryMember
		case x < 0.95:
			return domain.Activist
		}
		return domain.Masses
	}
}

// personOrg registers retirees with the retirees' branch, league members
// with the unit's league organisation, everyone else with a branch.
func (c *demoCity) personOrg(u *demoUnit, p *demoPerson) *demoOrg {
	switch {
	case p.retired:
		return u.retirees
	case p.status == domain.LeagueMember && u.league != nil:
		return u.league
	}
	return pickOne(c, u.branches)
}

// name draws a name: mostly Han; Mongolian (often without a surname, or
// with 包, 白 …), Daur, Evenki and Oroqen as Hulunbuir's peoples are.
func (c *demoCity) name(u *demoUnit, g domain.Gender) string {
	mongol := max(0.16, u.prof.mongol)
	x := c.r.Float64()
	switch {
	case x < mongol:
		given := pickOne(c, demoMongolMale)
		if g == domain.GenderFemale {
			given = pickOne(c, demoMongolFemale)
		}
		if c.chance(0.4) {
			return pickOne(c, demoMongolSurnames) + given
		}
		return given
	case x < mongol+0.05:
		return pickOne(c, demoDaurSurnames) + c.givenName(g)
	case x < mongol+0.08:
		return pickOne(c, demoEvenkiSurnames) + c.givenName(g)
	case x < mongol+0.095:
		return pickOne(c, demoOroqenSurnames) + c.givenName(g)
	}
	return c.pickWeighted(demoHanSurnames) + c.givenName(g)
}

func (c *demoCity) givenName(g domain.Gender) string {
	chars := []rune(demoMaleChars)
	if g == domain.GenderFemale {
		chars = []rune(demoFemaleChars)
	}
	name := string(pickOne(c, chars))
	if c.chance(0.6) {
		name += string(pickOne(c, chars))
	}
	return name
}

// phone returns a new mobile number, prefix + "0000" + four digits.
func (c *demoCity) phone() string {
	for {
		s := fmt.Sprintf("%s0000%04d", pickOne(c, demoPhonePrefixes), c.r.IntN(10000))
		if !c.phones[s] {
			c.phones[s] = true
			return s
		}
	}
}

// homeRegion: most of the city's staff live in Hailar or next to it.
func (c *demoCity) homeRegion() *demoRegion {
	x := c.r.Float64()
	switch {
	case x < 0.62:
		return pickOne(c, c.banners["海拉尔区"].children)
	case x < 0.72:
		return pickOne(c, c.banners["鄂温克族自治旗"].children[:2])
	case x < 0.77:
		return pickOne(c, c.banners["陈巴尔虎旗"].children[:3])
	}
	return pickOne(c, c.towns)
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCard makes a citizen ID number (GB 11643-1999): a Hulunbuir division
// code, the birth date, a sequence whose last digit is odd for men, and the
// MOD 11-2 check character.
func (c *demoCity) idCard(p *demoPerson) string {
	code := p.home.def.code
	if c.chance(0.5) {
		code = pickOne(c, demoBanners).code
	}
	for {
		last := 2 * c.r.IntN(5)
		if p.gender == domain.GenderMale {
			last++
		}
		body := fmt.Sprintf("%s%s%02d%d", code, p.born.Format("20060102"), c.r.IntN(100), last)
		sum := 0
		for i := 0; i < 17; i++ {
			sum += int(body[i]-'0') * idWeights[i]
		}
		id := body + string("10X98765432"[sum%11])
		if !c.idCards[id] {
			c.idCards[id] = true
			return id
		}
	}
}

// skills gives most people one to three skills, the first from their
// work, and willingness to serve where those skills are useful.
func (c *demoCity) skills(p *demoPerson) {
	n := 0
	switch x := c.r.Float64(); {
	case x < 0.1:
	case x < 0.6:
		n = 1
	case x < 0.9:
		n = 2
	default:
		n = 3
	}
	for k := 0; k < n; k++ {
		spec := p.unit.prof.skills
		if k > 0 && c.chance(0.4) {
			spec = demoGeneralSkills
		}
		if s := c.pickWeighted(spec); !slices.Contains(p.skills, s) {
			p.skills = append(p.skills, s)
		}
	}
	var codes []string
	for _, s := range p.skills {
		codes = append(codes, demoSkillCategories[s]...)
	}
	for k := c.between(0, 2); k > 0; k-- {
		if c.chance(0.5) {
			codes = append(codes, pickOne(c, p.unit.prof.categories))
		} else {
			codes = append(codes, pickOne(c, []string{"poverty_relief", "environment", "party_education", "tree_planting"}))
		}
	}
	if c.chance(0.06) {
		codes = nil
	}
	p.willing = c.categoryIDs(codes)
}

// categoryIDs turns category codes into ids, once each, in id order;
// codes not on file (a retired category) are left out.
func (c *demoCity) categoryIDs(codes []string) []int64 {
	var ids []int64
	for _, code := range codes {
		if id, ok := c.cats[code]; ok && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// availability: serving staff are free on evenings and weekends, retirees
// on weekdays too.
func (c *demoCity) availability(p *demoPerson) {
	odds := []float64{0.08, 0.08, 0.4, 0.6, 0.55, 0.15}
	if p.retired {
		odds = []float64{0.7, 0.6, 0.2, 0.4, 0.4, 0.1}
	}
	for i, s := range domain.Slots {
		if c.chance(odds[i]) {
			p.avail |= s.Slot
		}
	}
	if p.avail == 0 {
		p.avail = domain.WeekendMorning
	}
}

// talents tags about one in ten as backbone — members in their prime most
// often — and most holders of a professional skill as specialists.
func (c *demoCity) talents(p *demoPerson) {
	age := 2026 - p.born.Year()
	party := p.status == domain.PartyMember || p.status == domain.ProbationaryMember
	odds := 0.03
	if party && age >= 30 && age <= 55 && !p.retired {
		odds = 0.145
	}
	if c.chance(odds) {
		p.backbone = true
		p.talents = append(p.talents, domain.TalentBackbone)
	}
	professional := false
	for _, s := range p.skills {
		professional = professional || demoProfessional[s]
	}
	if (professional && c.chance(0.4)) || c.chance(0.01) {
		p.talents = append(p.talents, domain.TalentSpecialist)
	}
}

// input is the person as a form would give it, for validation.
func (p *demoPerson) input() domain.PersonInput {
	return domain.PersonInput{
		Name: p.name, Gender: string(p.gender), Phone: p.phone, IDCard: p.idCard,
		PoliticalStatus: string(p.status), OrgID: p.org.id, RegionID: p.home.id,
		Skills: strings.Join(p.skills, "、"), Willingness: p.willing, Availability: p.avail, Talents: p.talents,
	}
}

// genTrainings records trainings for about a fifth of volunteers and a few
// others, suited to their work.
func (c *demoCity) genTrainings() {
	hours := []domain.Minutes{120, 180, 240, 360, 480, 720, 960, 1440}
	for _, p := range c.people {
		odds := 0.03
		if p.inTeam {
			odds = 0.2
		}
		if !c.chance(odds) {
			continue
		}
		var suited []string
		for _, t := range demoTrainings {
			if t.profile == "" || t.profile == p.unit.def.profile {
				suited = append(suited, t.subject)
			}
		}
		c.r.Shuffle(len(suited), func(i, j int) { suited[i], suited[j] = suited[j], suited[i] })
		for _, subject := range suited[:c.between(1, 3)] {
			c.trainings = append(c.trainings, demoTraining{person: p, subject: subject,
				date: isoDate(c.day(ymd(2017, 6, 1), ymd(2025, 10, 31))), minutes: pickOne(c, hours)})
		}
	}
}
