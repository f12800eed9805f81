package domain

import "time"

// TeamKind is a team's kind: a party-member team or a youth (league) team.
type TeamKind string

// The team kinds.
const (
	TeamParty TeamKind = "party"
	TeamYouth TeamKind = "youth"
)

// Team is a volunteer team owned by an org, with its archive.
type Team struct {
	ID           int64
	Kind         TeamKind
	Name         string
	OrgID        int64
	OrgName      string
	OrgPath      string
	FoundedOn    string // YYYY-MM-DD
	Description  string
	Rules        string // service rules, as text
	Categories   []int64
	BaseRegionID int64
	BaseRegion   string
	BaseAddress  string
	Members      int // current members, filled by list queries
	CreatedAt    time.Time
}

// Target is the team as an object of the policy.
func (t Team) Target() Target { return Target{OrgPath: t.OrgPath, TeamID: t.ID} }

// MemberRole is a member's role in a team.
type MemberRole string

// The member roles.
const (
	MemberRegular MemberRole = "member"
	MemberLeader  MemberRole = "leader"
)

// Membership is one stay of a person in a team. Leaving sets LeftOn; the row
// stays, so the roster's history is never overwritten. Joining again is a
// new row.
type Membership struct {
	ID         int64
	TeamID     int64
	TeamName   string
	PersonID   int64
	PersonName string
	Phone      string // full; shown masked unless revealed
	// PersonOrgPath is the person's org, for deciding who may see the
	// full phone.
	PersonOrgPath string
	Role          MemberRole
	JoinedOn      string // YYYY-MM-DD
	LeftOn        string // "" while a member
	VolunteerNo   string // filled by the service (see VolunteerCodec)
}

// Current reports whether the membership has not ended.
func (m Membership) Current() bool { return m.LeftOn == "" }

// Category is a kind of service, as data: the committee adds, renames and
// retires categories; a retired one stays on old records.
type Category struct {
	ID      int64
	Code    string
	NameZH  string
	NameEN  string
	Retired bool
	Sort    int
}

// Name returns the category's name in a language ("en" or anything else for
// Chinese).
func (c Category) Name(lang string) string {
	if lang == "en" && c.NameEN != "" {
		return c.NameEN
	}
	return c.NameZH
}

// DefaultCategories are the seed report's kinds of service.
var DefaultCategories = []Category{
	{Code: "medical", NameZH: "医疗义诊", NameEN: "Medical care and free clinics"},
	{Code: "livestock", NameZH: "畜牧养殖", NameEN: "Livestock breeding"},
	{Code: "disease_prevention", NameZH: "疫病防治", NameEN: "Animal disease prevention"},
	{Code: "party_education", NameZH: "党员教育", NameEN: "Party education"},
	{Code: "legal", NameZH: "法律宣传", NameEN: "Legal publicity"},
	{Code: "family_planning", NameZH: "计生宣传", NameEN: "Family-planning publicity"},
	{Code: "culture", NameZH: "文化服务（演出、电影）", NameEN: "Culture (performances, films)"},
	{Code: "scitech", NameZH: "科技知识", NameEN: "Science and technology"},
	{Code: "poverty_relief", NameZH: "扶贫帮困", NameEN: "Poverty relief"},
	{Code: "environment", NameZH: "环境整治", NameEN: "Environment clean-up"},
	{Code: "tree_planting", NameZH: "植树造林", NameEN: "Tree planting"},
}

// ValidDate reports whether s is a YYYY-MM-DD date.
func ValidDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}
