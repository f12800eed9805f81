package service

import (
	"fmt"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// demoCertContact is the phone the demo's issuers print on certificates.
const demoCertContact = "0471-8221234"

// writeDemoCerts2 adds certificates in the official form to the demo city:
// a few certificates the demo unit (c.nmj) issued in the last days, so its
// notice page has entries; the demo volunteer's application for this year,
// accepted (受理) by the unit's admin and waiting to be issued; and the
// volunteer's consent to the national export, and a team member's.
func (s *Service) writeDemoCerts2(tx *store.Tx, c *demoCity) error {
	if c.volunteer == nil || c.nmj == nil {
		return nil
	}
	actor := func(username string, role domain.Role) (domain.Actor, error) {
		id, err := tx.UserIDByName(username)
		return domain.Actor{UserID: id, Username: username, Role: role, IP: "127.0.0.1", RequestID: "demo"}, err
	}
	admin, err := actor("nmj-admin", domain.RoleOrgAdmin)
	if err != nil {
		return err
	}
	vol, err := actor("volunteer", domain.RoleVolunteer)
	if err != nil {
		return err
	}
	now := tx.Now()
	people, err := tx.TopServers(12)
	if err != nil {
		return err
	}
	from := domain.ChinaDay(now.AddDate(-1, 0, 0))
	issued := 0
	for i, id := range people {
		if id == c.volunteer.id || issued == 3 {
			continue
		}
		at := now.Add(-time.Duration(20+30*i) * time.Hour)
		check := domain.CertCheck([]byte(fmt.Sprintf("%d-%d-notice", id, c.r.Uint64())))
		err := tx.Replay(admin, at, func() error {
			cert, err := tx.IssueCertificate(store.NewCertificate{PersonID: id, OrgID: c.nmj.org.id, From: from,
				To: domain.ChinaDay(at), Responsible: demoResponsible, Handler: "农牧业局管理员", Check: check,
				VolunteerNo: s.VolunteerNumber(id), Contact: demoCertContact})
			if err != nil {
				return err
			}
			return notifyCertificate(tx, cert, cert.OrgName)
		})
		if domain.ErrCode(err) == domain.CodeConflict {
			continue // no service organised by the unit
		} else if err != nil {
			return fmt.Errorf("demo notice certificate: %w", err)
		}
		issued++
	}
	var req int64
	err = tx.Replay(vol, now.Add(-30*time.Hour), func() (err error) {
		req, err = tx.CreateCertificateRequest(domain.CertificateRequest{PersonID: c.volunteer.id,
			From: domain.ChinaDay(now.AddDate(0, -6, 0)), To: domain.ChinaDay(now.Add(-30 * time.Hour)), Purpose: "年度评优材料"})
		return err
	})
	if err != nil {
		return fmt.Errorf("demo certificate application: %w", err)
	}
	if err := tx.Replay(admin, now.Add(-6*time.Hour), func() error { return tx.AcceptCertificateRequest(req) }); err != nil {
		return fmt.Errorf("demo accept: %w", err)
	}
	if err := tx.Replay(vol, now.Add(-50*time.Hour), func() error { return tx.SetNationalConsent(c.volunteer.id, true) }); err != nil {
		return err
	}
	// A team member with an ID number on file consented on paper; the
	// committee's admin recorded it.
	committee, err := actor("admin", domain.RoleCommitteeAdmin)
	if err != nil {
		return err
	}
	for _, p := range c.people {
		if p.idCard != "" && p.inTeam && p.id != c.volunteer.id {
			return tx.Replay(committee, now.Add(-70*time.Hour), func() error { return tx.SetNationalConsent(p.id, true) })
		}
	}
	return nil
}
