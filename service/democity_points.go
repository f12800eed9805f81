package service

import (
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// demoShopItems are the points shop at 巴彦嘎查, the site of gacha-contact.
var demoShopItems = []struct {
	name, description string
	cost, stock       int64
}{
	{"毛巾", "纯棉毛巾一条", 30, 40},
	{"洗衣液", "2 千克装洗衣液一桶", 60, 25},
	{"保温杯", "不锈钢保温杯，500 毫升", 120, 10},
	{"粮油礼包", "大米 5 千克、食用油 1.8 升", 200, 6},
}

// writeDemoPoints credits the points of the demo year's records (loaded in
// bulk, without points) in one pass, opens a points shop at 巴彦嘎查 and
// leaves the demo volunteer one redemption waiting for pickup.
func (s *Service) writeDemoPoints(tx *store.Tx, c *demoCity) error {
	if _, err := tx.CreditAllHours(); err != nil { // what later stages recorded without points, if anything
		return err
	}
	if c.gacha == nil || c.gacha.id == 0 {
		return nil
	}
	now := tx.Now()
	until := domain.ChinaDay(now.Add(180 * 24 * time.Hour))
	var first int64
	for i, it := range demoShopItems {
		id, err := tx.CreateShopItem(domain.ValidShopItem{SiteID: c.gacha.id, Name: it.name, Description: it.description,
			Cost: it.cost, Stock: it.stock, Place: c.gacha.name + "党群服务中心", ValidUntil: until, Active: true})
		if err != nil {
			return err
		}
		if i == 1 {
			first = id
		}
	}
	if c.volunteer == nil || c.volunteer.id == 0 {
		return nil
	}
	_, err := tx.Redeem(first, c.volunteer.id, domain.ChinaDay(now))
	return err
}

// creditDemoHours credits the points of the year's records as soon as they
// are loaded, before the records stage corrects some of them, so that each
// volunteer's ledger reads in the order things happened.
func creditDemoHours(tx *store.Tx, _ *demoCity) error {
	_, err := tx.CreditAllHours()
	return err
}
