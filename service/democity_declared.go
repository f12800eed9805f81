package service

import (
	"sort"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// demoDeclared are the services members of the demo leader's team declare,
// waiting for approval: days ago, content, place, hours.
var demoDeclared = []struct {
	daysAgo        int
	content, place string
	minutes        domain.Minutes
	reason         string
}{
	{40, "为嘎查牧户讲解草原防火知识", "巴彦嘎查", 180, "嘎查临时请求，未在平台发布活动，村委会可作证明。"},
	{6, "协助兽医站入户防疫登记", "兽医站", 150, "兽医站临时人手不足，队长电话安排。"},
	{3, "帮助独居老人清理院落积雪", "新华社区", 120, "下雪后自发组织，社区网格员在场。"},
	{1, "为农户讲解惠农补贴政策", "农技推广站", 90, "农户到站咨询，现场讲解。"},
}

// writeDemoDeclared adds the volunteers' requests of issue 15 to the demo
// city: declared services from members of the demo leader's team waiting
// for approval (the oldest past the flag days), and a correction request
// from the demo volunteer on one of their records.
func (s *Service) writeDemoDeclared(tx *store.Tx, c *demoCity) error {
	if c.nmjTeam == nil || c.nmjTeam.id == 0 || c.nmjTeam.owner == nil {
		return nil
	}
	var members []*demoPerson
	for p, cur := range c.nmjTeam.current {
		if cur && p.id != 0 && (c.volunteer == nil || p != c.volunteer) {
			members = append(members, p)
		}
	}
	sort.Slice(members, func(i, j int) bool { return members[i].id < members[j].id })
	now := tx.Now()
	for i, d := range demoDeclared {
		if i >= len(members) {
			break
		}
		p := members[i]
		at := now.Add(-time.Duration(d.daysAgo)*24*time.Hour - 3*time.Hour)
		r := domain.RecordRequest{Kind: domain.RequestUnscheduled, PersonID: p.id, TeamID: c.nmjTeam.id,
			OrgID: c.nmjTeam.owner.id, Date: domain.ChinaDay(at), Place: d.place, Content: d.content,
			Minutes: d.minutes, Reason: d.reason}
		actor := domain.Actor{Username: p.name, Role: domain.RoleVolunteer, IP: "127.0.0.1", RequestID: "demo"}
		if err := tx.Replay(actor, at, func() error { _, err := tx.AddRecordRequest(r); return err }); err != nil {
			return err
		}
	}
	return writeDemoVolunteerCorrection(tx, c, now)
}

// writeDemoVolunteerCorrection has the demo volunteer ask for half an hour
// more on a record with room for it and no correction waiting.
func writeDemoVolunteerCorrection(tx *store.Tx, c *demoCity, now time.Time) error {
	if c.volunteer == nil {
		return nil
	}
	rs, err := tx.RecordsOf(c.volunteer.id)
	if err != nil {
		return err
	}
	since := now.AddDate(-1, 0, 0)
	for i := len(rs) - 1; i >= 0; i-- {
		rec := rs[i]
		if rec.Pending || rec.StartsAt.Before(since) || rec.Minutes+30 > rec.Scheduled() {
			continue
		}
		uid, err := tx.UserIDByName("volunteer")
		if err != nil {
			return err
		}
		r := domain.RecordRequest{Kind: domain.RequestHours, PersonID: c.volunteer.id, ActivityID: rec.ActivityID,
			TeamID: rec.TeamID, OrgID: rec.OrgID, Date: domain.ChinaDay(rec.StartsAt), Minutes: rec.Minutes + 30,
			Current: rec.Minutes, Reason: "提前半小时到场协助布置场地，签到码当时还没发布，签到晚了。",
			Evidence: "队长可以证明"}
		actor := domain.Actor{UserID: uid, Username: "volunteer", Role: domain.RoleVolunteer, IP: "127.0.0.1", RequestID: "demo"}
		return tx.Replay(actor, now.Add(-26*time.Hour), func() error { _, err := tx.AddRecordRequest(r); return err })
	}
	return nil
}
