package service

import (
	"fmt"

	"vanguard/domain"
	"vanguard/store"
)

// demoInsuranceTitle is the demo's activity that requires insurance.
const demoInsuranceTitle = "巴彦嘎查牧区防火巡护（需要保险）"

// writeDemoMinors adds minors and insurance to the demo city: an under-18
// member of nmj-leader's team (16 years old) with her mother's consent on
// file, and an activity of that team in six days that requires insurance,
// which a few insured members and she have signed up for (so the leader's
// roster shows a minor with consent) and the demo volunteer (who has no
// insurance) has not, so she can try, be refused, record insurance on /me
// and sign up.
func (s *Service) writeDemoMinors(tx *store.Tx, c *demoCity) error {
	t := c.nmjTeam
	if t == nil || c.volunteer == nil || len(t.categories) == 0 {
		return nil
	}
	now := tx.Now()
	today := domain.ChinaDay(now)
	var members []*demoPerson
	for _, m := range t.members {
		p := m.person
		if m.left == "" && t.current[p] && p != c.volunteer && p != c.youthLeader && m.role != domain.MemberLeader {
			members = append(members, p)
		}
	}
	if len(members) < 4 {
		return nil
	}
	// The demo's people are generated adults, so the stage records her
	// birth date by hand, as staff do for someone without an ID number.
	minor := members[len(members)-1]
	if err := tx.SetBirthDate(minor.id, domain.AddYears(today, -16)); err != nil {
		return err
	}
	if _, err := tx.AddConsent(minor.id, domain.ConsentInput{Guardian: "乌云其其格", Relation: "mother",
		Phone: "13947012345", Date: today[:8] + "01"}); err != nil {
		return err
	}
	day := chinaMidnight(now).AddDate(0, 0, 6)
	in := domain.ActivityInput{Title: demoInsuranceTitle, Mode: domain.ModeUnit, TeamID: t.id,
		StartsAt: clock(day, 9, 0), EndsAt: clock(day, 12, 0), Capacity: 12, CancelHours: 24,
		CategoryIDs: []int64{t.categories[0]}, Requirements: domain.ActivityRequirements{RequiresInsurance: true},
		Description: fmt.Sprintf("%s组织。进入草场巡护须有覆盖活动当日的意外伤害保险，请先在“我的信息”中登记保险再报名。", t.name)}
	if c.gacha != nil {
		in.SiteID = c.gacha.id
	} else {
		in.RegionID, in.Address = t.unit.home.id, t.unit.address
	}
	in.Normalize()
	if err := in.Validate(now); err != nil {
		return fmt.Errorf("demo minors: %w", err)
	}
	id, err := tx.CreateActivity(in, t.owner.id)
	if err != nil {
		return err
	}
	from, until := domain.ChinaDay(now.AddDate(0, -3, 0)), domain.ChinaDay(now.AddDate(0, 9, 0))
	for i, p := range append(members[:3:3], minor) {
		if _, err := tx.AddInsurance(p.id, domain.InsuranceInput{Insurer: "中国人民财产保险股份有限公司",
			PolicyNo: fmt.Sprintf("PICC-HLBE-2026-%05d", 3117+i*29), ValidFrom: from, ValidUntil: until}); err != nil {
			return err
		}
		if _, err := tx.SignUp(id, p.id, t.id, false); err != nil {
			return fmt.Errorf("demo minors: sign up: %w", err)
		}
	}
	return nil
}
