package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// OrgKind is the kind of an organisation in the tree.
type OrgKind string

// The kinds of organisation: the committee is the root; units hang under
// it; party committees, general branches and branches under units; league
// organisations beside them.
const (
	OrgCommittee      OrgKind = "committee"
	OrgUnit           OrgKind = "unit"
	OrgPartyCommittee OrgKind = "party_committee"
	OrgGeneralBranch  OrgKind = "general_branch"
	OrgBranch         OrgKind = "branch"
	OrgLeague         OrgKind = "league"
)

// OrgKinds lists the kinds an org can be created as (the committee exists once).
var OrgKinds = []OrgKind{OrgUnit, OrgPartyCommittee, OrgGeneralBranch, OrgBranch, OrgLeague}

// Org is an organisation. Path is its materialised path, "/1/4/9/": the ids
// from the root down to itself, so a subtree is a prefix match.
type Org struct {
	ID        int64
	ParentID  int64
	Kind      OrgKind
	Name      string
	Path      string
	Depth     int
	CreatedAt time.Time
	// Counts filled by list queries.
	Children, People, Teams int
}

// Target is the org as an object of the policy.
func (o Org) Target() Target { return Target{OrgPath: o.Path} }

// ValidOrgKind reports whether k may be created.
func ValidOrgKind(k OrgKind) bool {
	for _, x := range OrgKinds {
		if k == x {
			return true
		}
	}
	return false
}

// ValidateName checks a required name of at most max characters and returns
// it trimmed.
func ValidateName(v *Validation, field, s string, max int) string {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch {
	case !CleanText(s):
		v.Add(field, "err.text")
	case !CleanLine(s):
		v.Add(field, "err.text.line")
	case n == 0:
		v.Add(field, "err.required")
	case n > max:
		v.Add(field, "err.too_long", max)
	}
	return s
}

// RegionLevel is the level of a region: banner or district, town or sumu,
// village or gacha.
type RegionLevel string

// The region levels, top down.
const (
	RegionBanner  RegionLevel = "banner"
	RegionTown    RegionLevel = "town"
	RegionVillage RegionLevel = "village"
)

// Region is an administrative area with its approximate centre.
type Region struct {
	ID       int64
	ParentID int64
	Level    RegionLevel
	Name     string
	Lat, Lng float64
	Path     string // "/3/17/"
}

// SiteKind is the kind of a grassroots place that orders services.
type SiteKind string

// The kinds of site, from the seed report.
const (
	SiteCommunity SiteKind = "community"
	SiteForest    SiteKind = "forest"
	SitePastoral  SiteKind = "pastoral"
	SiteFarming   SiteKind = "farming"
	SiteStation   SiteKind = "station"
	SiteVillage   SiteKind = "village"
)

// SiteKinds lists the kinds of site.
var SiteKinds = []SiteKind{SiteCommunity, SiteForest, SitePastoral, SiteFarming, SiteStation, SiteVillage}

// Site is a grassroots place in a region, owned for administration by an org.
type Site struct {
	ID         int64
	Kind       SiteKind
	Name       string
	RegionID   int64
	RegionName string
	OrgID      int64
	OrgPath    string
	Address    string
	Contacts   []string // display names of the accounts that order for it
}

// Target is the site as an object of the policy.
func (s Site) Target() Target { return Target{OrgPath: s.OrgPath, SiteID: s.ID} }

// ValidSiteKind reports whether k is a site kind.
func ValidSiteKind(k SiteKind) bool {
	for _, x := range SiteKinds {
		if k == x {
			return true
		}
	}
	return false
}
