package domain_test

import (
	"testing"

	"vanguard/domain"
)

// TestShopItemValidUntil: an item's last day may be left empty (长期有效,
// redeemable until taken off the shelf); a day before today is refused;
// an item without an end is available whatever today is.
func TestShopItemValidUntil(t *testing.T) {
	in := domain.ShopItemInput{Owner: "org:1", Name: "毛巾", Cost: "30", Stock: "20", Place: "工委办公室", Active: true}
	v, err := in.Validate("2026-12-08")
	if err != nil || v.ValidUntil != domain.ShopNoEnd {
		t.Fatalf("empty valid-until: %+v, %v", v, err)
	}
	in.ValidUntil = "2026-12-07"
	if _, err := in.Validate("2026-12-08"); err == nil {
		t.Fatal("a last day before today was accepted")
	}
	in.ValidUntil = "2027-01-31"
	if v, err := in.Validate("2026-12-08"); err != nil || v.ValidUntil != "2027-01-31" {
		t.Fatalf("a last day: %+v, %v", v, err)
	}
	it := domain.ShopItem{Active: true, Stock: 1, ValidUntil: domain.ShopNoEnd}
	if !it.Available("2099-12-31") {
		t.Fatal("an item without an end is not available")
	}
}
