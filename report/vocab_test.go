package report_test

import (
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/report"
)

func TestAvailabilityRoundTrip(t *testing.T) {
	for a := domain.Availability(0); a < 64; a++ {
		text := report.AvailabilityText(a)
		got, unknown := report.ParseAvailability(text)
		if got != a || len(unknown) != 0 {
			t.Errorf("ParseAvailability(AvailabilityText(%06b) = %q) = %06b, %q", a, text, got, unknown)
		}
	}
	tests := map[string]domain.Availability{
		"工作日晚上、周末全天":  domain.WeekdayEvening | domain.WeekendMorning | domain.WeekendAfternoon | domain.WeekendEvening,
		"每天上午":        domain.WeekdayMorning | domain.WeekendMorning,
		"随时":          0x3f,
		"周末下午, 工作日上午": domain.WeekendAfternoon | domain.WeekdayMorning,
		"":            0,
	}
	for in, want := range tests {
		if got, unknown := report.ParseAvailability(in); got != want || len(unknown) != 0 {
			t.Errorf("ParseAvailability(%q) = %06b, %q; want %06b", in, got, unknown, want)
		}
	}
	if _, unknown := report.ParseAvailability("工作日上午、星期八"); strings.Join(unknown, ",") != "星期八" {
		t.Errorf("unknown = %q", unknown)
	}
}

func TestWords(t *testing.T) {
	for _, s := range domain.PoliticalStatuses {
		if got, ok := report.ParseStatus(report.StatusName(s)); !ok || got != s {
			t.Errorf("status %s does not round-trip through %q", s, report.StatusName(s))
		}
	}
	if s, ok := report.ParseStatus("党员"); !ok || s != domain.PartyMember {
		t.Errorf("党员 = %v %v", s, ok)
	}
	if g, ok := report.ParseGender("女"); !ok || g != domain.GenderFemale {
		t.Errorf("女 = %v %v", g, ok)
	}
	if _, ok := report.ParseGender("female"); ok {
		t.Error("the sheet's vocabulary is Chinese; female was accepted")
	}
	if r, ok := report.ParseRole("队长"); !ok || r != domain.MemberLeader || report.RoleName(r) != "队长" {
		t.Errorf("队长 = %v %v", r, ok)
	}
	tags, unknown := report.ParseTalents("骨干、专业人才、明星")
	if strings.Join(tags, ",") != "backbone,specialist" || strings.Join(unknown, ",") != "明星" ||
		report.TalentsText(tags) != "骨干、专业人才" {
		t.Errorf("talents = %q, unknown %q", tags, unknown)
	}
}

func TestParseDate(t *testing.T) {
	good := map[string]string{
		"2025-03-05": "2025-03-05", "2025/3/5": "2025-03-05", "2025.3.5": "2025-03-05",
		"2025年3月5日": "2025-03-05", "20250305": "2025-03-05", "45721": "2025-03-05", "45721.5": "2025-03-05",
	}
	for in, want := range good {
		if got, ok := report.ParseDate(in); !ok || got != want {
			t.Errorf("ParseDate(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"2025-02-30", "明天", "2025.3", "12", "20251305", ""} {
		if got, ok := report.ParseDate(in); ok {
			t.Errorf("ParseDate(%q) = %q, want refused", in, got)
		}
	}
}

func TestSplitKnown(t *testing.T) {
	known := []string{"文化服务（演出、电影）", "文化服务", "植树造林", "医疗义诊"}
	tests := map[string]string{
		"文化服务（演出、电影）、植树造林": "文化服务（演出、电影）|植树造林",
		"植树造林,医疗义诊；文化服务":   "植树造林|医疗义诊|文化服务",
		"放牧、植树造林、放牧":       "放牧|植树造林",
		" 医疗义诊 ":           "医疗义诊",
		"":                 "",
	}
	for in, want := range tests {
		if got := strings.Join(report.SplitKnown(in, known), "|"); got != want {
			t.Errorf("SplitKnown(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSafeText(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+86": "'+86", "-": "'-", "@x": "'@x", "\tx": "'\tx",
		"王芳": "王芳", "": "", "138****1234": "138****1234"} {
		if got := report.SafeText(in); got != want {
			t.Errorf("SafeText(%q) = %q, want %q", in, got, want)
		}
	}
}
