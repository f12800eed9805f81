package domain

import "testing"

func TestServiceDays(t *testing.T) {
	for in, want := range map[string]int{
		"": 1, "半天": 1, "两小时": 1, "2 小时": 1, "一天": 1, "1天": 1, "两天": 2, "3 天": 3, "三天": 3,
		"十天": 10, "十二天": 12, "二十天": 20, "一周": 7, "2 days": 2, "1 day": 1, "约两天": 2,
		"100天": MaxServiceDays, "随时": 1, "0天": 1,
	} {
		if got := ServiceDays(in); got != want {
			t.Errorf("ServiceDays(%q) = %d, want %d", in, got, want)
		}
	}
}
