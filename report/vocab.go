package report

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"vanguard/domain"
)

// The words a spreadsheet uses for the platform's fixed values. Templates
// list them on their 说明 sheet, imports accept them (and a few common
// variants), and exports write the first of each.

type word[T comparable] struct {
	value T
	names []string // the first is what exports write
}

var genderWords = []word[domain.Gender]{
	{domain.GenderMale, []string{"男", "男性"}},
	{domain.GenderFemale, []string{"女", "女性"}},
}

var statusWords = []word[domain.PoliticalStatus]{
	{domain.PartyMember, []string{"中共党员", "党员", "中国共产党党员"}},
	{domain.ProbationaryMember, []string{"预备党员", "中共预备党员"}},
	{domain.LeagueMember, []string{"共青团员", "团员"}},
	{domain.Activist, []string{"入党积极分子", "积极分子"}},
	{domain.Masses, []string{"群众"}},
}

var talentWords = []word[string]{
	{domain.TalentBackbone, []string{"骨干"}},
	{domain.TalentSpecialist, []string{"专业人才"}},
}

var roleWords = []word[domain.MemberRole]{
	{domain.MemberRegular, []string{"队员"}},
	{domain.MemberLeader, []string{"队长"}},
}

func parseWord[T comparable](words []word[T], s string) (T, bool) {
	s = strings.TrimSpace(s)
	for _, w := range words {
		for _, n := range w.names {
			if s == n {
				return w.value, true
			}
		}
	}
	var zero T
	return zero, false
}

func nameOf[T comparable](words []word[T], v T) string {
	for _, w := range words {
		if w.value == v {
			return w.names[0]
		}
	}
	return ""
}

func firstNames[T comparable](words []word[T]) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w.names[0]
	}
	return out
}

// ParseGender reads 男 or 女.
func ParseGender(s string) (domain.Gender, bool) { return parseWord(genderWords, s) }

// GenderName is the word for a gender.
func GenderName(g domain.Gender) string { return nameOf(genderWords, g) }

// ParseStatus reads a political status: 中共党员, 预备党员, 共青团员,
// 入党积极分子 or 群众.
func ParseStatus(s string) (domain.PoliticalStatus, bool) { return parseWord(statusWords, s) }

// StatusName is the word for a political status.
func StatusName(s domain.PoliticalStatus) string { return nameOf(statusWords, s) }

// ParseRole reads a member's role: 队员 or 队长.
func ParseRole(s string) (domain.MemberRole, bool) { return parseWord(roleWords, s) }

// RoleName is the word for a member's role.
func RoleName(r domain.MemberRole) string { return nameOf(roleWords, r) }

// ParseTalents reads talent tags separated by 、 or commas: 骨干, 专业人才.
// It returns the tags it knows and the items it does not.
func ParseTalents(s string) (tags, unknown []string) {
	for _, item := range domain.SplitList(s) {
		if t, ok := parseWord(talentWords, item); ok {
			tags = append(tags, t)
		} else {
			unknown = append(unknown, item)
		}
	}
	return tags, unknown
}

// TalentsText writes talent tags as words.
func TalentsText(tags []string) string {
	names := make([]string, 0, len(tags))
	for _, t := range tags {
		if n := nameOf(talentWords, t); n != "" {
			names = append(names, n)
		}
	}
	return strings.Join(names, "、")
}

// Availability is written as time slots separated by 、: a day part
// (工作日, 周末, or 每天 for both) followed by a time of day (上午, 下午,
// 晚上, or 全天 for all three), such as 工作日晚上、周末全天; 随时 is
// every slot.
var (
	dayParts = []struct {
		word  string
		slots domain.Availability // the morning bit(s); shifted for later times
	}{
		{"工作日", domain.WeekdayMorning},
		{"周末", domain.WeekendMorning},
		{"每天", domain.WeekdayMorning | domain.WeekendMorning},
	}
	timeParts = []struct {
		word  string
		shift []int // how far to shift the morning bit(s)
	}{
		{"上午", []int{0}},
		{"下午", []int{1}},
		{"晚上", []int{2}},
		{"全天", []int{0, 1, 2}},
	}
	anyTime = []string{"随时", "不限"}
)

const allSlots = domain.Availability(0x3f)

// ParseAvailability reads time slots. It returns the slots it understood
// and the items it did not.
func ParseAvailability(s string) (domain.Availability, []string) {
	var a domain.Availability
	var unknown []string
	for _, item := range domain.SplitList(s) {
		slots, ok := parseSlot(item)
		if !ok {
			unknown = append(unknown, item)
		}
		a |= slots
	}
	return a, unknown
}

func parseSlot(item string) (domain.Availability, bool) {
	for _, w := range anyTime {
		if item == w {
			return allSlots, true
		}
	}
	for _, d := range dayParts {
		rest, ok := strings.CutPrefix(item, d.word)
		if !ok {
			continue
		}
		for _, t := range timeParts {
			if rest == t.word {
				var a domain.Availability
				for _, sh := range t.shift {
					a |= d.slots << sh
				}
				return a, true
			}
		}
	}
	return 0, false
}

// AvailabilityText writes time slots the way ParseAvailability reads them.
func AvailabilityText(a domain.Availability) string {
	a &= allSlots
	if a == allSlots {
		return anyTime[0]
	}
	var out []string
	for _, d := range dayParts[:2] {
		day := a & (d.slots | d.slots<<1 | d.slots<<2)
		if day == d.slots|d.slots<<1|d.slots<<2 {
			out = append(out, d.word+"全天")
			continue
		}
		for i, t := range timeParts[:3] {
			if day&(d.slots<<i) != 0 {
				out = append(out, d.word+t.word)
			}
		}
	}
	return strings.Join(out, "、")
}

// ParseDate reads a date as people type it — 2025-03-05, 2025/3/5,
// 2025.3.5, 2025年3月5日, 20250305 — or as Excel stores it (a serial day
// number), and returns it as YYYY-MM-DD.
func ParseDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 8 && strings.Trim(s, "0123456789") == "" {
		if t, err := time.Parse("20060102", s); err == nil {
			return t.Format("2006-01-02"), true
		}
		return "", false
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil && strings.Count(s, ".") <= 1 {
		// A date cell holds a serial day number. Excel's day 1 is 1900-01-01
		// and it counts a 29 February 1900 that never was, so serial days
		// count from 1899-12-30. Numbers below 10000 (before 1927) are
		// taken for typing errors such as 2025.3.
		if n >= 10000 && n < 2958466 {
			d := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(math.Floor(n)))
			return d.Format("2006-01-02"), true
		}
		return "", false
	}
	s = strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-").Replace(s)
	if t, err := time.Parse("2006-1-2", s); err == nil {
		return t.Format("2006-01-02"), true
	}
	return "", false
}

// SplitKnown splits a list typed in a cell, preferring at each position the
// longest known name, so that a name with a separator inside it —
// 文化服务（演出、电影） — stays whole. Unknown items are split at the
// separators as domain.SplitList does.
func SplitKnown(s string, known []string) []string {
	names := append([]string(nil), known...)
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	isSep := func(r rune) bool { return strings.ContainsRune(",，、;；\n", r) }
	var out []string
	seen := map[string]bool{}
	push := func(item string) {
		if item = strings.TrimSpace(item); item != "" && !seen[item] {
			seen[item] = true
			out = append(out, item)
		}
	}
	for s != "" {
		r, size := utf8.DecodeRuneInString(s)
		if isSep(r) || r == ' ' {
			s = s[size:]
			continue
		}
		matched := ""
		for _, n := range names {
			if n != "" && strings.HasPrefix(s, n) {
				rest := s[len(n):]
				next, _ := utf8.DecodeRuneInString(rest)
				if rest == "" || isSep(next) || next == ' ' {
					matched = n
					break
				}
			}
		}
		if matched == "" {
			end := strings.IndexFunc(s, isSep)
			if end < 0 {
				end = len(s)
			}
			matched = s[:end]
		}
		push(matched)
		s = s[len(matched):]
	}
	return out
}
