package service

import "vanguard/domain"

// VolunteerNumber is the volunteer number (志愿者统一编号) of a person: the
// identifier pages, certificates and exports show for a volunteer, never
// the ID-card number.
func (s *Service) VolunteerNumber(personID int64) string { return s.vno.Number(personID) }

// PersonIDByVolunteerNumber reads a volunteer number as typed; ok is false
// when it is not one.
func (s *Service) PersonIDByVolunteerNumber(number string) (int64, bool) { return s.vno.ID(number) }

// withNumber fills a person's volunteer number.
func (s *Service) withNumber(p domain.Person) domain.Person {
	p.VolunteerNo = s.vno.Number(p.ID)
	return p
}
