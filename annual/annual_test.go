package annual

import (
	"context"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/i18n"
)

func TestRound(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want Approx
	}{
		{0, Approx{Exact, 0}}, {54, Approx{Exact, 54}}, {99, Approx{Exact, 99}},
		{1212, Approx{Over, 1200}}, {492, Approx{Near, 500}}, {314, Approx{Over, 310}},
		{1960, Approx{Near, 2000}}, {706, Approx{Over, 700}}, {30600, Approx{Over, 30000}},
		{250, Approx{Exact, 250}}, {300, Approx{Exact, 300}}, {5000, Approx{Exact, 5000}},
		{1899, Approx{Over, 1800}}, {1900, Approx{Near, 2000}}, {1850, Approx{Over, 1800}}, {100, Approx{Exact, 100}},
	} {
		if got := Round(c.n); got != c.want {
			t.Errorf("Round(%d) = %+v, want %+v", c.n, got, c.want)
		}
	}
}

func TestAboutInBothLanguages(t *testing.T) {
	zh := translator(i18n.ZH)
	en := translator(i18n.EN)
	for _, c := range []struct {
		n      int64
		zh, en string
	}{
		{1212, "1,200 余", "more than 1,200"}, {492, "近 500 ", "nearly 500"}, {54, "54 ", "54"}, {1234567, "1,200,000 余", "more than 1,200,000"},
	} {
		if got := About(zh, c.n); got != c.zh {
			t.Errorf("zh About(%d) = %q, want %q", c.n, got, c.zh)
		}
		if got := About(en, c.n); got != c.en {
			t.Errorf("en About(%d) = %q, want %q", c.n, got, c.en)
		}
	}
}

func translator(l i18n.Lang) Translate {
	ctx := i18n.With(context.Background(), l)
	return func(key string, args ...any) string { return i18n.T(ctx, key, args...) }
}

func TestBuild(t *testing.T) {
	f := Facts{Scope: "市直机关工委", Year: 2026, TeamsParty: 54, TeamsYouth: 13, VolunteersParty: 1212, VolunteersYouth: 492,
		Orders: 12, Channels: []Count{{"网上点单", 10}, {"热线电话", 2}}, ModeCommittee: 2, ModeUnit: 8, ModeOpen: 1,
		GroupUnits: 16, GroupTimes: 314, GroupServices: 10, GroupBenefit: 1960,
		Campaigns: []Campaign{{Name: "十个全覆盖", Batches: 6, Activities: 10, People: 300, PersonTimes: 300,
			Metrics: []Metric{{"整理旧木板", "立方米", domain.Units(250)}, {"清运垃圾", "吨", domain.Units(2)}}}},
		DispatchMedian: 5400, ConfirmMedian: -1, Evaluations: 3, RatingAvg: 448,
		Activities: 20, PersonTimes: 100, Minutes: 90, Beneficiaries: 1000,
		Projects: []Project{{Name: "走基层 惠百姓", Owner: "市蒙医医院", Activities: 8, PersonTimes: 58,
			Metrics: []Metric{{"义诊人数", "人", domain.Units(706)}, {"捐赠款物", "元", domain.Units(30600)}}}},
		Gap: []Gap{{"法律", 9, 2}}, Idle: []string{"市统计局"}, Themes: []Count{{"医疗卫生", 2}}}
	ps := Build(f, translator(i18n.ZH))
	keys := []string{"teams", "forms", "tasks", "mechanism", "results", "advice"}
	if len(ps) != len(keys) {
		t.Fatalf("%d paragraphs, want %d", len(ps), len(keys))
	}
	var all strings.Builder
	for i, p := range ps {
		if p.Key != keys[i] {
			t.Errorf("paragraph %d is %s, want %s", i, p.Key, keys[i])
		}
		all.WriteString(p.Heading + "\n" + strings.Join(p.Text, "") + "\n")
	}
	text := all.String()
	for _, want := range []string{"54 支党员志愿者服务队", "有党员志愿者 1,200 余名", "13 支青年志愿者服务队", "近 500 名",
		"16 个单位", "310 余人次", "组团式服务 10 次", "近 2,000 人", "分 6 批", "300 名", "整理旧木板 250 立方米", "清运垃圾 2 吨",
		"义诊人数 700 余人", "捐赠款物 30,000 余元", "网上点单 10 件", "1.5 小时", "暂无", "4.48 分",
		"法律（点单 9 项，菜单项目 2 个）", "市统计局", "医疗卫生（2 件）"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "annual.") || strings.Contains(text, "%!") {
		t.Errorf("untranslated key or bad argument in:\n%s", text)
	}
	en := Build(f, translator(i18n.EN))
	var e strings.Builder
	for _, p := range en {
		e.WriteString(strings.Join(p.Text, " "))
	}
	for _, want := range []string{"54 party-member volunteer teams with more than 1,200", "nearly 500 youth volunteers",
		"16 units sent more than 310 person-times", "in 10 group services, benefiting nearly 2,000 people", "6 batches took 300 volunteers"} {
		if !strings.Contains(e.String(), want) {
			t.Errorf("the English text lacks %q:\n%s", want, e.String())
		}
	}
	if strings.Contains(e.String(), "%!") {
		t.Errorf("bad argument in:\n%s", e.String())
	}
}
