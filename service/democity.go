package service

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// The demo city's scale, from the seed report: 378 grassroots organisations
// (here: every org, the committee included), 5,700-odd members, 54 party
// teams with 1,200-odd volunteers and 13 youth teams with nearly 500.
const (
	demoOrgTarget       = 378
	demoPeopleTarget    = 5716
	demoPartyTeams      = 54
	demoPartyVolunteers = 1212
	demoYouthVolunteers = 492
)

// demoSeed seeds the generator: the same seed gives the same city.
var demoSeed = [2]uint64{2018, 378}

// demoCity is the whole demo city, generated in memory before anything is
// written. Ids are filled in as the writer inserts each object.
type demoCity struct {
	r    *rand.Rand
	cats map[string]int64 // category code → id
	err  error            // the first inconsistency in the reference data

	committee *demoOrg
	regions   []*demoRegion // parents before children
	towns     []*demoRegion
	banners   map[string]*demoRegion
	units     []*demoUnit
	unitByDef map[string]*demoUnit
	orgs      []*demoOrg // parents before children; the committee is not among them
	people    []*demoPerson
	teams     []*demoTeam
	sites     []*demoSite
	trainings []demoTraining
	// The year of activities, as loaded (ids set); later stages add
	// outcomes, campaigns and records to them.
	activities []*store.PastActivity
	// The year of orders, as loaded; the demo's notifications replay the
	// last days of them.
	orders []store.PastOrder

	phones, idCards map[string]bool
	weights         map[string]weighted

	// What the demo accounts are bound to.
	nmj       *demoUnit
	nmjTeam   *demoTeam
	volunteer *demoPerson
	gacha     *demoSite
	// The second team leader's: 市农牧业局's youth team and the member who
	// leads it, so that a dispatch the party team declines can be sent to
	// another leader who answers it.
	nmjYouth    *demoTeam
	youthLeader *demoPerson
}

type demoRegion struct {
	parent   *demoRegion
	def      *demoBanner // the banner this region lies in
	level    domain.RegionLevel
	name     string
	lat, lng float64
	villages string // for towns: what their villages are: gacha, village, community
	children []*demoRegion
	id       int64
}

type demoOrg struct {
	parent *demoOrg
	kind   domain.OrgKind
	name   string
	id     int64
}

type demoUnit struct {
	def      demoUnitDef
	prof     demoProfile
	org      *demoOrg
	size     int        // people to register
	nb       int        // party branches of serving members
	branches []*demoOrg // where serving members are registered
	retirees *demoOrg   // the retired members' branch, if any
	league   *demoOrg
	home     *demoRegion // the street office the unit sits in
	address  string
	people   []*demoPerson
}

type demoPerson struct {
	unit     *demoUnit
	org      *demoOrg
	home     *demoRegion
	name     string
	gender   domain.Gender
	phone    string
	idCard   string
	status   domain.PoliticalStatus
	born     time.Time
	retired  bool
	skills   []string
	willing  []int64
	avail    domain.Availability
	talents  []string
	inTeam   bool // current member of any team
	inYouth  bool // current member of a youth team
	backbone bool
	id       int64
}

type demoTeam struct {
	kind        domain.TeamKind
	name        string
	unit        *demoUnit
	owner       *demoOrg
	founded     time.Time
	description string
	rules       string
	categories  []int64
	members     []demoMember
	current     map[*demoPerson]bool
	id          int64
}

type demoMember struct {
	person       *demoPerson
	role         domain.MemberRole
	joined, left string
}

type demoSite struct {
	kind    domain.SiteKind
	name    string
	region  *demoRegion
	owner   *demoOrg
	address string
	id      int64
}

type demoTraining struct {
	person  *demoPerson
	date    string
	subject string
	minutes domain.Minutes
}

// newDemoCity generates the city. cats are the categories of service on
// file; willingness and team categories refer to them by code.
func newDemoCity(cats []domain.Category) (*demoCity, error) {
	c := &demoCity{
		r:         rand.New(rand.NewPCG(demoSeed[0], demoSeed[1])),
		cats:      map[string]int64{},
		banners:   map[string]*demoRegion{},
		unitByDef: map[string]*demoUnit{},
		phones:    map[string]bool{},
		idCards:   map[string]bool{},
		weights:   map[string]weighted{},
		committee: &demoOrg{kind: domain.OrgCommittee, name: "市直机关工委"},
	}
	for _, cat := range cats {
		c.cats[cat.Code] = cat.ID
	}
	c.genRegions()
	c.genUnits()
	c.genPeople()
	c.genTeams()
	c.genSites()
	c.genTrainings()
	c.pickVolunteer()
	c.pickYouthLeader()
	return c, c.err
}

func (c *demoCity) fail(format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf("demo city: "+format, args...)
	}
}

// Random helpers.

func (c *demoCity) chance(p float64) bool { return c.r.Float64() < p }

// between returns an int in [lo, hi].
func (c *demoCity) between(lo, hi int) int { return lo + c.r.IntN(hi-lo+1) }

func pickOne[T any](c *demoCity, list []T) T { return list[c.r.IntN(len(list))] }

// day returns a random day in [from, to].
func (c *demoCity) day(from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	if days <= 0 {
		return from
	}
	return from.AddDate(0, 0, c.r.IntN(days+1))
}

func ymd(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func isoDate(t time.Time) string { return t.Format("2006-01-02") }

// weighted is a list of items with integer weights, parsed from "a:3 b:1".
type weighted struct {
	items []string
	cum   []int
}

func (c *demoCity) weighted(spec string) weighted {
	if w, ok := c.weights[spec]; ok {
		return w
	}
	var w weighted
	total := 0
	for _, f := range strings.Fields(spec) {
		item, n, _ := strings.Cut(f, ":")
		v, err := strconv.Atoi(n)
		if err != nil || v <= 0 {
			c.fail("bad weight %q", f)
			v = 1
		}
		total += v
		w.items, w.cum = append(w.items, item), append(w.cum, total)
	}
	c.weights[spec] = w
	return w
}

func (c *demoCity) pickWeighted(spec string) string {
	w := c.weighted(spec)
	x := c.r.IntN(w.cum[len(w.cum)-1])
	return w.items[sort.SearchInts(w.cum, x+1)]
}

var zhDigits = []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// zhNumber writes 1–99 in Chinese numerals, as in 第十二党支部.
func zhNumber(n int) string {
	switch {
	case n < 10:
		return zhDigits[n]
	case n < 20:
		return "十" + zhDigits[n%10]
	default:
		return zhDigits[n/10] + "十" + zhDigits[n%10]
	}
}

// apportion splits total over weights by the largest remainder, so the
// parts add up to total exactly.
func apportion(total int, weights []float64) []int {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	out := make([]int, len(weights))
	type rem struct {
		i int
		f float64
	}
	rems := make([]rem, len(weights))
	given := 0
	for i, w := range weights {
		exact := float64(total) * w / sum
		out[i] = int(math.Floor(exact))
		given += out[i]
		rems[i] = rem{i, exact - float64(out[i])}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].f > rems[b].f })
	for k := 0; k < total-given; k++ {
		out[rems[k%len(rems)].i]++
	}
	return out
}
