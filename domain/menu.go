package domain

import (
	"regexp"
	"strconv"
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

// MaxServiceDays bounds the days one menu item's service is counted for.
const MaxServiceDays = 30

var serviceDaysRE = regexp.MustCompile(`^(?:约|大约|about\s*)?([0-9]+|[一二两三四五六七八九十]+)\s*(天|日|个?工作日|days?|个?星期|周|weeks?)`)

// ServiceDays is how many days an item's service takes, read from its
// duration as people write it ("一天", "两天", "3 天", "一周", "2 days").
// Anything under a day ("半天", "两小时"), and a duration that is empty or
// cannot be read, counts as one day: a volunteer who serves two hours gives
// that day. A team's load in person-days is the item's volunteers times
// these days — what the service needs — never the length of the order's
// request window.
func ServiceDays(duration string) int {
	m := serviceDaysRE.FindStringSubmatch(strings.ToLower(strings.TrimSpace(duration)))
	if m == nil {
		return 1
	}
	n := chineseNumber(m[1])
	if strings.Contains(m[2], "周") || strings.Contains(m[2], "星期") || strings.HasPrefix(m[2], "week") {
		n *= 7
	}
	return min(max(n, 1), MaxServiceDays)
}

// chineseNumber reads 1–99 in Arabic digits or Chinese numerals (三, 十二,
// 二十); 0 for anything else.
func chineseNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	digit := map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	r := []rune(s)
	switch {
	case len(r) == 1 && r[0] == '十':
		return 10
	case len(r) == 1:
		return digit[r[0]]
	case len(r) == 2 && r[0] == '十':
		return 10 + digit[r[1]]
	case len(r) == 2 && r[1] == '十':
		return digit[r[0]] * 10
	case len(r) == 3 && r[1] == '十':
		return digit[r[0]]*10 + digit[r[2]]
	}
	return 0
}
