package views

import (
	"strings"

	"vanguard/domain"
	"vanguard/store"
)

// Where an order or an activity is, in one line. A site is named with its
// region in brackets, but a place's name is printed once: a 嘎查's site is
// often named after the 嘎查 itself ("巴彦嘎查" in the region 巴彦嘎查), and
// "巴彦嘎查（巴彦嘎查）" reads as a fault.

// siteWithRegion names a site with its region, unless the site's name
// already says the region (or there is none).
func siteWithRegion(site, region string) string {
	if region == "" || strings.Contains(site, region) {
		return site
	}
	return site + "（" + region + "）"
}

// regionAddress is a region and an address, the region left out when the
// address already says it.
func regionAddress(region, address string) string {
	switch {
	case address == "":
		return region
	case region == "" || strings.Contains(address, region):
		return address
	}
	return region + " " + address
}

// orderPlace is an order's site with its region, or its region and address.
func orderPlace(o domain.Order) string {
	if o.SiteName != "" {
		return siteWithRegion(o.SiteName, o.RegionName)
	}
	return regionAddress(o.RegionName, o.Address)
}

// actPlace is an activity's site with its region, or its region and
// address.
func actPlace(a domain.Activity) string {
	if a.SiteName != "" {
		return siteWithRegion(a.SiteName, a.RegionName)
	}
	return regionAddress(a.RegionName, a.Address)
}

// siteChoice is a site in a picker: its name with its region.
func siteChoice(s store.PublicSite) string { return siteWithRegion(s.Name, s.RegionName) }

// workSiteLabel is a site in the staff's picker: its name with its region.
func workSiteLabel(s domain.Site) string { return siteWithRegion(s.Name, s.RegionName) }
