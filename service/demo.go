package service

import (
	"context"
	"errors"

	"vanguard/domain"
	"vanguard/store"
)

// DemoPassword is the password of every demo account. The demo is for
// trying the platform on a laptop, never for real data: Demo refuses a
// database that was not created by it.
const DemoPassword = "xianfeng-demo-2026"

// DemoLogin is one account the demo prints.
type DemoLogin struct {
	Role     domain.Role
	Username string
	Password string
	Scope    string
}

// ErrNotDemo is returned when --demo meets a database that holds real data.
var ErrNotDemo = errors.New("--demo needs an empty database (or one made by --demo); this one holds other data")

// Demo fills an empty database with a demo city and returns one login per
// role. On a database it filled before, it only returns the logins.
func (s *Service) Demo(ctx context.Context) ([]DemoLogin, error) {
	logins := []DemoLogin{
		{domain.RoleCommitteeAdmin, "admin", DemoPassword, "市直机关工委"},
		{domain.RoleOrgAdmin, "nmj-admin", DemoPassword, "市农牧业局"},
		{domain.RoleTeamLeader, "nmj-leader", DemoPassword, "市农牧业局党员志愿服务队"},
		{domain.RoleVolunteer, "volunteer", DemoPassword, ""},
		{domain.RoleSiteContact, "gacha-contact", DemoPassword, "巴彦嘎查"},
	}
	demo, _, err := s.store.Setting(ctx, "demo")
	if err != nil {
		return nil, err
	}
	if demo == "1" {
		return logins, nil
	}
	if n, err := s.store.CountUsers(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, ErrNotDemo
	}
	committee, err := s.ensureCommittee(ctx, "市直机关工委")
	if err != nil {
		return nil, err
	}
	var unit, team, site int64
	err = s.store.Write(ctx, SystemCaller.Actor(), func(tx *store.Tx) error {
		if unit, err = tx.CreateOrg(committee, "unit", "市农牧业局"); err != nil {
			return err
		}
		if team, err = tx.CreateTeam(domain.Team{OrgID: unit, Kind: domain.TeamParty, Name: "市农牧业局党员志愿服务队"}); err != nil {
			return err
		}
		if site, err = tx.CreateSite(domain.Site{OrgID: committee, Kind: domain.SiteVillage, Name: "巴彦嘎查"}); err != nil {
			return err
		}
		return tx.SetSetting("demo", "1")
	})
	if err != nil {
		return nil, err
	}
	scopes := map[domain.Role]int64{domain.RoleOrgAdmin: unit, domain.RoleTeamLeader: team, domain.RoleSiteContact: site}
	names := map[domain.Role]string{
		domain.RoleCommitteeAdmin: "工委管理员", domain.RoleOrgAdmin: "农牧业局管理员",
		domain.RoleTeamLeader: "服务队队长", domain.RoleVolunteer: "志愿者王芳", domain.RoleSiteContact: "嘎查联系人",
	}
	for _, l := range logins {
		_, _, err := s.CreateUser(ctx, SystemCaller, NewAccount{
			Username: l.Username, DisplayName: names[l.Role], Role: l.Role, ScopeID: scopes[l.Role], Password: l.Password,
		})
		if err != nil {
			return nil, err
		}
	}
	return logins, nil
}
