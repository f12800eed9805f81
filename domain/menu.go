package domain

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"
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
	m.Description = v.Text("description", m.Description, 2000)
	m.Duration = v.Line("duration", m.Duration, 30)
	v.Check(m.CategoryID > 0, "category_id", "err.required")
	v.Check(m.Kind == MenuProfessional || m.Kind == MenuParticipatory, "kind", "err.menu.kind")
	v.Check(m.Term == TermLong || m.Term == TermShort, "term", "err.menu.term")
	v.Check(m.Volunteers >= 1 && m.Volunteers <= 500, "volunteers", "err.menu.volunteers")
	v.Check(len(m.TeamIDs) > 0, "team_ids", "err.menu.teams")
	return m, v.Err()
}

// ServiceKey is what makes the menu items of several teams one service for
// the public: the same category and the same title, compared without
// regard to letter case, full-width letters and digits, and spaces
// ("布病防治宣传" and "布病 防治宣传" are one service).
func ServiceKey(categoryID int64, title string) string {
	t := strings.ToLower(width.Fold.String(title))
	return strconv.FormatInt(categoryID, 10) + "/" + strings.Join(strings.Fields(t), "")
}

// MenuService is one service of the public menu: the active items of every
// team that offers the same category and title (ServiceKey). The requester
// orders the service; the committee's dispatch picks the teams.
//
// The embedded MenuItem is the service's representative, its oldest item:
// its ID is the service's address (/menu/{id}) and what an order of the
// service refers to; the address of any other item of the service leads to
// the same service. Its TeamIDs, TeamNames and RegionIDs are those of every
// item of the service: the teams that offer it, by name, and where it is
// offered (none when some team offers it everywhere).
type MenuService struct {
	MenuItem
	ItemIDs []int64 // every item of the service, oldest first
}

// Key is the service's ServiceKey.
func (m MenuService) Key() string { return ServiceKey(m.CategoryID, m.Title) }

// OfferedBy reports whether team offers the service.
func (m MenuService) OfferedBy(team int64) bool { return slices.Contains(m.TeamIDs, team) }

// GroupServices groups menu items into services, in the order in which the
// services first appear among items.
func GroupServices(items []MenuItem) []MenuService {
	var out []MenuService
	at := map[string]int{}
	for _, it := range items {
		k := ServiceKey(it.CategoryID, it.Title)
		i, ok := at[k]
		if !ok {
			at[k] = len(out)
			out = append(out, MenuService{})
			i = len(out) - 1
		}
		out[i].add(it)
	}
	for i := range out {
		out[i].finish()
	}
	return out
}

// add puts an item into the service; the oldest item represents it.
func (m *MenuService) add(it MenuItem) {
	if len(m.ItemIDs) == 0 {
		m.MenuItem, m.ItemIDs = it, []int64{it.ID}
		m.TeamIDs, m.TeamNames = slices.Clone(it.TeamIDs), slices.Clone(it.TeamNames)
		m.RegionIDs = slices.Clone(it.RegionIDs)
		m.Orders = it.Orders
		return
	}
	m.ItemIDs = append(m.ItemIDs, it.ID)
	m.Orders += it.Orders
	everywhere := len(m.RegionIDs) == 0 || len(it.RegionIDs) == 0
	for i, t := range it.TeamIDs {
		if !slices.Contains(m.TeamIDs, t) {
			m.TeamIDs = append(m.TeamIDs, t)
			m.TeamNames = append(m.TeamNames, it.TeamNames[i])
		}
	}
	for _, r := range it.RegionIDs {
		if !slices.Contains(m.RegionIDs, r) {
			m.RegionIDs = append(m.RegionIDs, r)
		}
	}
	if everywhere {
		m.RegionIDs = nil
	}
	if it.ID < m.ID {
		teams, names, regions, orders := m.TeamIDs, m.TeamNames, m.RegionIDs, m.Orders
		if m.Description != "" && it.Description == "" {
			it.Description = m.Description
		}
		m.MenuItem = it
		m.TeamIDs, m.TeamNames, m.RegionIDs, m.Orders = teams, names, regions, orders
	} else if m.Description == "" {
		m.Description = it.Description
	}
}

// finish orders the service's items oldest first, its teams by name and its
// regions by id.
func (m *MenuService) finish() {
	slices.Sort(m.ItemIDs)
	idx := make([]int, len(m.TeamIDs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return strings.Compare(m.TeamNames[a], m.TeamNames[b]) })
	ids, names := make([]int64, len(idx)), make([]string, len(idx))
	for i, j := range idx {
		ids[i], names[i] = m.TeamIDs[j], m.TeamNames[j]
	}
	m.TeamIDs, m.TeamNames = ids, names
	slices.Sort(m.RegionIDs)
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
