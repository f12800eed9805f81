package views

import (
	"testing"

	"vanguard/domain"
)

// TestPlaceOnce: a site named after its region is printed once, not as
// "巴彦嘎查（巴彦嘎查）"; an address that says its region does not repeat it.
func TestPlaceOnce(t *testing.T) {
	orders := []struct {
		o    domain.Order
		want string
	}{
		{domain.Order{SiteName: "巴彦嘎查", RegionName: "巴彦嘎查"}, "巴彦嘎查"},
		{domain.Order{SiteName: "巴彦嘎查党支部", RegionName: "巴彦嘎查"}, "巴彦嘎查党支部"},
		{domain.Order{SiteName: "河西社区", RegionName: "海拉尔区"}, "河西社区（海拉尔区）"},
		{domain.Order{SiteName: "河西社区"}, "河西社区"},
		{domain.Order{RegionName: "海拉尔区", Address: "胜利街 3 号"}, "海拉尔区 胜利街 3 号"},
		{domain.Order{RegionName: "海拉尔区", Address: "海拉尔区胜利街 3 号"}, "海拉尔区胜利街 3 号"},
		{domain.Order{RegionName: "海拉尔区"}, "海拉尔区"},
	}
	for _, tc := range orders {
		if got := orderPlace(tc.o); got != tc.want {
			t.Errorf("orderPlace(site %q, region %q, address %q) = %q, want %q",
				tc.o.SiteName, tc.o.RegionName, tc.o.Address, got, tc.want)
		}
	}
	if got := actPlace(domain.Activity{SiteName: "巴彦嘎查", RegionName: "巴彦嘎查"}); got != "巴彦嘎查" {
		t.Errorf("actPlace(巴彦嘎查 in 巴彦嘎查) = %q, want it once", got)
	}
	if got := attendPlace(domain.Activity{SiteName: "巴彦嘎查", Address: "巴彦嘎查"}); got != "巴彦嘎查" {
		t.Errorf("attendPlace(巴彦嘎查 at 巴彦嘎查) = %q, want it once", got)
	}
	if got := siteWithRegion("巴彦嘎查", "巴彦嘎查"); got != "巴彦嘎查" {
		t.Errorf("siteWithRegion(巴彦嘎查, 巴彦嘎查) = %q", got)
	}
}
