package domain

import (
	"strings"
	"time"
)

// MenuKind says whether a menu item needs professionals or anyone can join.
type MenuKind string

// The menu kinds, from the seed report.
const (
	MenuProfessional  MenuKind = "professional"  // 专业性强
	MenuParticipatory MenuKind = "participatory" // 可参与性强
)

// MenuTerm says whether a menu item is a long-term brand or a one-off.
type MenuTerm string

// The terms.
const (
	TermLong  MenuTerm = "long"  // 长期、品牌性
	TermShort MenuTerm = "short" // 短期、一般性
)

// MenuItem is a service teams offer on the published menu.
type MenuItem struct {
	ID          int64
	Title       string
	CategoryID  int64
	Description string
	Kind        MenuKind
	Term        MenuTerm
	Duration    string // typical duration, as people say it: "半天", "2 小时"
	Volunteers  int    // how many volunteers it usually needs
	RegionIDs   []int64
	TeamIDs     []int64
	TeamNames   []string
	Active      bool
	Orders      int // how many orders asked for it, filled by some lists
	CreatedAt   time.Time
}

// Validate checks a menu item's fields and returns it trimmed.
func (m MenuItem) Validate() (MenuItem, error) {
	var v Validation
	m.Title = ValidateName(&v, "title", m.Title, 60)
	m.Description = strings.TrimSpace(m.Description)
	m.Duration = strings.TrimSpace(m.Duration)
	v.Check(m.CategoryID > 0, "category_id", "err.required")
	v.Check(len([]rune(m.Description)) <= 2000, "description", "err.too_long", 2000)
	v.Check(len([]rune(m.Duration)) <= 30, "duration", "err.too_long", 30)
	v.Check(m.Kind == MenuProfessional || m.Kind == MenuParticipatory, "kind", "err.menu.kind")
	v.Check(m.Term == TermLong || m.Term == TermShort, "term", "err.menu.term")
	v.Check(m.Volunteers >= 1 && m.Volunteers <= 500, "volunteers", "err.menu.volunteers")
	v.Check(len(m.TeamIDs) > 0, "team_ids", "err.menu.teams")
	return m, v.Err()
}

// SuggestionState is where a suggestion is.
type SuggestionState string

// The suggestion states.
const (
	SuggestionOpen    SuggestionState = "open"
	SuggestionReplied SuggestionState = "replied"
	SuggestionClosed  SuggestionState = "closed"
	SuggestionOrdered SuggestionState = "ordered" // turned into an order
)

// Suggestion is a message in the suggestion box, named or anonymous.
type Suggestion struct {
	ID        int64
	Code      string // lets the writer read the reply
	Name      string // "" when anonymous
	Phone     string // "" when anonymous
	RegionID  int64
	Body      string
	State     SuggestionState
	Reply     string
	RepliedBy string
	OrderID   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}
