package service

import (
	"fmt"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// demoResponsible is the committee's responsible person printed on the
// demo's certificates; a made-up name.
const demoResponsible = "张志强"

// demoAward is an honour given to the demo city's most active volunteers.
var demoAwards = []struct{ title, issuer, date string }{
	{"优秀共产党员志愿者", "市直机关工委", "-06-28"},
	{"先锋志愿服务标兵", "市直机关工委", "-12-05"},
	{"“十个全覆盖”工作先进个人", "市委组织部", "-10-15"},
}

// writeDemoRecords writes what the service records add to the demo city's
// year: certificates issued to the most active volunteers and to the demo
// volunteer, then — after them — corrections: one record of the demo
// volunteer corrected twice (each approved by another person than the one
// who asked), one rejected and one still waiting; and a few awards. The
// certificates, issued first, keep the hours they were issued with.
func (s *Service) writeDemoRecords(tx *store.Tx, c *demoCity) error {
	if c.volunteer == nil {
		return nil
	}
	people, err := tx.TopServers(4)
	if err != nil {
		return err
	}
	if !hasID(people, c.volunteer.id) {
		people = append(people, c.volunteer.id)
	}
	records := map[int64][]domain.ServiceRecord{}
	for _, id := range people {
		if records[id], err = tx.RecordsOf(id); err != nil {
			return err
		}
	}
	if len(records[c.volunteer.id]) == 0 && len(people) == 1 {
		return nil // no service in the demo year: nothing to record
	}
	accounts := map[string]domain.Actor{}
	for _, a := range demoAccounts {
		id, err := tx.UserIDByName(a.Username)
		if err != nil {
			return err
		}
		accounts[a.Username] = domain.Actor{UserID: id, Username: a.Username, Role: a.Role, IP: "127.0.0.1", RequestID: "demo"}
	}
	now := tx.Now()
	if err := s.writeDemoCertificates(tx, c, people, records, accounts["admin"], now); err != nil {
		return err
	}
	if err := writeDemoCorrections(tx, records[c.volunteer.id], accounts, now); err != nil {
		return err
	}
	return writeDemoAwards(tx, people, accounts["admin"], now)
}

// demoAt is t, but never later than a few hours before now: the demo's past.
func demoAt(t, now time.Time, hoursBefore int) time.Time {
	if limit := now.Add(-time.Duration(hoursBefore) * time.Hour); t.After(limit) {
		return limit
	}
	return t
}

// writeDemoCertificates issues, as the committee, a certificate of each
// person's whole year a few days after their last activity.
func (s *Service) writeDemoCertificates(tx *store.Tx, c *demoCity, people []int64, records map[int64][]domain.ServiceRecord,
	admin domain.Actor, now time.Time) error {
	for i, id := range people {
		rs := records[id]
		if len(rs) == 0 {
			continue
		}
		first, last := rs[0], rs[len(rs)-1]
		at := demoAt(last.EndsAt.Add(72*time.Hour), now, 48-i)
		check := domain.CertCheck([]byte(fmt.Sprintf("%d-%d-demo", id, c.r.Uint64())))
		err := tx.Replay(admin, at, func() error {
			cert, err := tx.IssueCertificate(store.NewCertificate{PersonID: id, OrgID: c.committee.id,
				From: domain.ChinaDay(first.StartsAt), To: domain.ChinaDay(at), Responsible: demoResponsible,
				Handler: "工委管理员", Check: check, VolunteerNo: s.VolunteerNumber(id), Contact: demoCertContact})
			if err != nil {
				return err
			}
			return notifyCertificate(tx, cert, cert.OrgName)
		})
		if err != nil {
			return fmt.Errorf("demo certificate: %w", err)
		}
	}
	return nil
}

// writeDemoCorrections corrects one of the volunteer's records twice, both
// approved; rejects a correction of another; and leaves one waiting. Each
// one asked tells the asker what was decided, as DecideCorrection does.
func writeDemoCorrections(tx *store.Tx, rs []domain.ServiceRecord, accounts map[string]domain.Actor, now time.Time) error {
	if len(rs) == 0 {
		return nil
	}
	leader, admin, committee := accounts["nmj-leader"], accounts["nmj-admin"], accounts["admin"]
	// Prefer a record with room below its schedule, so that the first
	// correction can add the missed time.
	pick := rs[len(rs)-1]
	for _, r := range rs {
		if r.Minutes >= 60 && r.Minutes+90 <= r.Scheduled() {
			pick = r
		}
	}
	// Twice corrected: a missed check-out added from the paper sheet (or
	// an early leave taken off), then half an hour taken off again on
	// review. Both come after the certificates, issued three days after
	// the last activity.
	h1, ok1 := demoOtherHours(pick, pick.Minutes, 90)
	h2, ok2 := demoOtherHours(pick, h1, -30)
	if !ok1 || !ok2 || h2 == pick.Minutes {
		return nil
	}
	first, note := "签退时手机没电，漏扫签退码；按纸质签到表核实补记。", "纸质签到表已存档"
	if h1 < pick.Minutes {
		first, note = "中途提前离开，签退时间记错了；按纸质签到表核实更正。", "纸质签到表已存档"
	}
	second := "复核签到表：中午休息半小时不计入服务时长。"
	if h2 > h1 {
		second = "复核签到表：上次更正多扣了半小时，补回。"
	}
	steps := []struct {
		hours          domain.Minutes
		reason, note   string
		asker, decider domain.Actor
	}{
		{h1, first, note, leader, admin},
		{h2, second, "", leader, committee},
	}
	at := demoAt(rs[len(rs)-1].EndsAt.Add(96*time.Hour), now, 30)
	for i, st := range steps {
		if err := demoCorrect(tx, pick, st.hours, st.reason, st.note, true, "", st.asker, st.decider, at); err != nil {
			return fmt.Errorf("demo correction %d: %w", i+1, err)
		}
		pick.Minutes, pick.Pending = st.hours, false
		at = demoAt(at.Add(26*time.Hour), now, 20-i*4)
	}
	if len(rs) < 3 {
		return nil
	}
	if r := rs[0]; r.ActivityID != pick.ActivityID {
		if h, ok := demoOtherHours(r, r.Minutes, 120); ok {
			// Asked by the unit's admin and turned down by the committee.
			if err := demoCorrect(tx, r, h, "活动后还帮忙整理了物资。", "", false, "整理物资不在活动安排内，不计入本次活动时长。",
				admin, committee, demoAt(r.EndsAt.Add(48*time.Hour), now, 10)); err != nil {
				return fmt.Errorf("demo rejected correction: %w", err)
			}
		}
	}
	if r := rs[1]; r.ActivityID != pick.ActivityID {
		if h, ok := demoOtherHours(r, r.Minutes, -60); ok {
			return demoCorrect(tx, r, h, "提前一小时离开，签退时间记错了。", "", false, "", leader, domain.Actor{},
				demoAt(now.Add(-6*time.Hour), now, 6))
		}
	}
	return nil
}

// demoOtherHours returns hours changed by delta within the record's
// schedule, or changed the other way when that hits a bound; false when
// neither differs.
func demoOtherHours(r domain.ServiceRecord, hours, delta domain.Minutes) (domain.Minutes, bool) {
	for _, d := range []domain.Minutes{delta, -delta} {
		h := min(r.Scheduled(), max(0, hours+d))
		if h != hours {
			return h, true
		}
	}
	return hours, false
}

// demoCorrect asks for a correction as asker at at and, when decider is
// set, decides it a day later.
func demoCorrect(tx *store.Tx, r domain.ServiceRecord, hours domain.Minutes, reason, note string, approve bool, rejectNote string,
	asker, decider domain.Actor, at time.Time) error {
	in := domain.CorrectionInput{Minutes: hours, Reason: reason, Note: note}
	if err := in.Validate(r.Minutes, r.Scheduled()); err != nil {
		return err
	}
	var id int64
	err := tx.Replay(asker, at, func() (err error) {
		id, err = tx.RequestCorrection(r, in, demoDisplay(asker.Username))
		return err
	})
	if err != nil || decider.UserID == 0 {
		return err
	}
	return tx.Replay(decider, at.Add(20*time.Hour), func() error {
		if err := tx.DecideCorrection(id, approve, rejectNote, demoDisplay(decider.Username)); err != nil {
			return err
		}
		return notifyCorrectionDecided(tx, domain.RecordVersion{ID: id, ActivityID: r.ActivityID, PersonID: r.PersonID,
			RequestedBy: asker.UserID, ActivityTitle: r.ActivityTitle, PersonName: r.PersonName}, approve, rejectNote)
	})
}

// demoDisplay is a demo account's display name.
func demoDisplay(username string) string {
	for _, a := range demoAccounts {
		if a.Username == username {
			return a.display
		}
	}
	return username
}

// writeDemoAwards gives the most active volunteers an award each, as the
// committee entered them.
func writeDemoAwards(tx *store.Tx, people []int64, admin domain.Actor, now time.Time) error {
	year := now.In(domain.ChinaZone).Year() - 1
	for i, id := range people {
		a := demoAwards[i%len(demoAwards)]
		award := domain.Award{PersonID: id, Title: a.title, Issuer: a.issuer, Date: fmt.Sprint(year) + a.date}
		if err := award.Validate(domain.ChinaDay(now)); err != nil {
			return fmt.Errorf("demo award: %w", err)
		}
		if err := tx.Replay(admin, now.Add(-time.Duration(i+1)*time.Hour), func() error {
			_, err := tx.AddAward(award)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}
