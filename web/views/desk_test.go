package views

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/match"
	"vanguard/service"
	"vanguard/store"
)

// TestCostWhyInWords: the reasons an alternative was not proposed are
// words, largest first, with kilometres the only figure; the issue's
// "综合成本多 39863.7：有类别无人承担（40000.0）" becomes a count of
// categories left without a team.
func TestCostWhyInWords(t *testing.T) {
	zh, en := i18n.With(context.Background(), i18n.ZH), i18n.With(context.Background(), i18n.EN)
	v := match.Cost{Travel: 12.04, Mismatch: 3, Fairness: -0.5, Unassigned: 40000, Total: 39863.7}
	for ctx, want := range map[context.Context]string{
		zh: "有 1 个类别无人承担，路程更远 12.0 公里，服务队意愿较低",
		en: "categories left without a team: 1, 12.0 km further, the team is less willing",
	} {
		if got := costWhy(ctx, v, 1); got != want {
			t.Errorf("costWhy = %q, want %q", got, want)
		}
	}
	if got := costWhy(zh, match.Cost{Fairness: 2}, 0); got != "队伍负担更重" {
		t.Errorf("heavier load: %q", got)
	}
	if got := costWhy(zh, match.Cost{Travel: -3}, 0); got != "与推荐相当" {
		t.Errorf("no worse anywhere: %q", got)
	}
	if regexp.MustCompile(`\d{3,}`).MatchString(T(zh, "desk.costs_more", costWhy(zh, v, 2))) {
		t.Error("a cost figure reaches the page")
	}
}

// TestAloneTextSaysWhy: a proposed team's card without a runner-up says
// whether no other team offers its categories, all those that do are
// full, or the others are farther away, instead of "no other team could
// take these categories" above a list of seven teams.
func TestAloneTextSaysWhy(t *testing.T) {
	ctx := i18n.With(context.Background(), i18n.ZH)
	team := func(id int64) store.TeamSupply { return store.TeamSupply{Team: domain.Team{ID: id}} }
	pr := service.Proposal{
		CategoryID: map[string]int64{"legal": 1, "medical": 2},
		Candidates: map[int64][]store.TeamSupply{1: {team(10), team(11), team(12)}, 2: {team(10), team(13)}},
		Match:      match.Proposal{Best: match.Group{Parts: []match.Part{{Team: "10"}}}},
		Room:       map[int64]float64{10: 50, 11: 1, 12: 2, 13: 50},
	}
	legal := match.Part{Team: "10", PersonDays: 5, Categories: []match.Fit{{Category: "legal", PersonDays: 5}}}
	both := match.Part{Team: "10", PersonDays: 8, Categories: []match.Fit{{Category: "legal"}, {Category: "medical"}}}
	medical := match.Part{Team: "10", PersonDays: 3, Categories: []match.Fit{{Category: "medical", PersonDays: 3}}}
	if got := aloneText(ctx, pr, legal); !strings.Contains(got, "2 支") || !strings.Contains(got, "已满") {
		t.Errorf("two others, both full: %q", got)
	}
	if got := aloneText(ctx, pr, both); !strings.Contains(got, "同时承担") {
		t.Errorf("no other team offers both: %q", got)
	}
	if got := aloneText(ctx, pr, medical); !strings.Contains(got, "1 支较远") {
		t.Errorf("one other with room, farther: %q", got)
	}
	pr.Candidates[2] = pr.Candidates[2][:1]
	if got := aloneText(ctx, pr, medical); got != T(ctx, "desk.alone.none") {
		t.Errorf("no other team offers it: %q", got)
	}
}
