package service

import (
	"context"
	"crypto/subtle"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/store"
)

// Overview counts the registry in the caller's scope.
func (s *Service) Overview(ctx context.Context, c domain.Caller) (store.Counts, error) {
	if err := domain.Authorize(c.Principal, domain.ActRegistryRead, domain.Target{}); err != nil {
		return store.Counts{}, err
	}
	return s.store.CountRegistry(ctx, domain.ScopeOf(c.Principal, domain.ActRegistryRead))
}

// OrgTree lists the orgs the caller may see, in tree order.
func (s *Service) OrgTree(ctx context.Context, c domain.Caller) ([]domain.Org, error) {
	if err := domain.Authorize(c.Principal, domain.ActRegistryRead, domain.Target{}); err != nil {
		return nil, err
	}
	return s.store.ListOrgs(ctx, domain.ScopeOf(c.Principal, domain.ActRegistryRead))
}

// Org returns one org the caller may see.
func (s *Service) Org(ctx context.Context, c domain.Caller, id int64) (domain.Org, error) {
	o, err := s.store.OrgByID(ctx, id)
	if err != nil {
		return o, err
	}
	return o, domain.Authorize(c.Principal, domain.ActRegistryRead, o.Target())
}

// CreateOrg adds an org under a parent the caller administers.
func (s *Service) CreateOrg(ctx context.Context, c domain.Caller, parentID int64, kind domain.OrgKind, name string) (int64, error) {
	var v domain.Validation
	name = domain.ValidateName(&v, "name", name, 80)
	v.Check(domain.ValidOrgKind(kind), "kind", "err.org.kind")
	v.Check(parentID > 0, "parent_id", "err.required")
	if err := v.Err(); err != nil {
		return 0, err
	}
	parent, err := s.store.OrgByID(ctx, parentID)
	if err != nil {
		return 0, domain.Invalid("parent_id", "err.org.not_found")
	}
	if err := domain.Authorize(c.Principal, domain.ActRegistryWrite, parent.Target()); err != nil {
		return 0, err
	}
	var id int64
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		id, err = tx.CreateOrg(parentID, string(kind), name)
		return err
	})
	return id, err
}

// RenameOrg renames an org in the caller's scope.
func (s *Service) RenameOrg(ctx context.Context, c domain.Caller, id int64, name string) error {
	var v domain.Validation
	name = domain.ValidateName(&v, "name", name, 80)
	if err := v.Err(); err != nil {
		return err
	}
	o, err := s.store.OrgByID(ctx, id)
	if err != nil {
		return err
	}
	if err := domain.Authorize(c.Principal, domain.ActRegistryWrite, o.Target()); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.RenameOrg(id, name) })
}

// Regions lists every region; regions are public reference data.
func (s *Service) Regions(ctx context.Context) ([]domain.Region, error) {
	return s.store.ListRegions(ctx)
}

// Categories lists the categories of service; retired ones only when asked.
func (s *Service) Categories(ctx context.Context, withRetired bool) ([]domain.Category, error) {
	return s.store.ListCategories(ctx, withRetired)
}

// Sites lists the sites in the caller's scope.
func (s *Service) Sites(ctx context.Context, c domain.Caller, f store.SiteFilter) ([]domain.Site, error) {
	if err := domain.Authorize(c.Principal, domain.ActRegistryRead, domain.Target{}); err != nil {
		return nil, err
	}
	f.Scope = domain.ScopeOf(c.Principal, domain.ActRegistryRead)
	return s.store.ListSites(ctx, f)
}

// CreateSite adds a site owned by an org in the caller's scope.
func (s *Service) CreateSite(ctx context.Context, c domain.Caller, x domain.Site) (int64, error) {
	var v domain.Validation
	x.Name = domain.ValidateName(&v, "name", x.Name, 80)
	x.Address = v.Line("address", x.Address, 200)
	v.Check(domain.ValidSiteKind(x.Kind), "kind", "err.site.kind")
	v.Check(x.RegionID > 0, "region_id", "err.required")
	v.Check(x.RegionID <= 0 || s.regionExists(ctx, x.RegionID), "region_id", "err.region.not_found")
	if err := v.Err(); err != nil {
		return 0, err
	}
	o, err := s.store.OrgByID(ctx, x.OrgID)
	if err != nil {
		return 0, domain.Invalid("org_id", "err.org.not_found")
	}
	if err := domain.Authorize(c.Principal, domain.ActRegistryWrite, o.Target()); err != nil {
		return 0, err
	}
	var id int64
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		id, err = tx.CreateSite(x)
		return err
	})
	return id, err
}

// People lists a page of the people in the caller's scope matching f.
func (s *Service) People(ctx context.Context, c domain.Caller, f store.PeopleFilter) ([]domain.Person, int, error) {
	if err := domain.Authorize(c.Principal, domain.ActRegistryRead, domain.Target{}); err != nil {
		return nil, 0, err
	}
	f.Scope = domain.ScopeOf(c.Principal, domain.ActRegistryRead)
	f.Held = f.Held && f.Scope.All // which of an admin's people are held is not theirs to learn
	if id, ok := s.vno.ID(f.Query); ok {
		f.PersonID = id // a volunteer number finds its person, within the scope
	}
	people, n, err := s.store.ListPeople(ctx, f)
	for i := range people {
		people[i] = s.withNumber(people[i])
	}
	return people, n, err
}

// Person returns a person the caller may see: in their scope, or themself.
func (s *Service) Person(ctx context.Context, c domain.Caller, id int64) (domain.Person, error) {
	p, err := s.store.PersonByID(ctx, id)
	if err != nil {
		return p, err
	}
	p = s.withNumber(p)
	if p.UserID != 0 && p.UserID == c.UserID {
		return p, nil
	}
	return p, domain.Authorize(c.Principal, domain.ActRegistryRead, p.Target())
}

// checkPersonRefs checks that a validated person's org is in the caller's
// scope and that its region and categories exist.
func (s *Service) checkPersonRefs(ctx context.Context, c domain.Caller, p domain.ValidPerson) error {
	o, err := s.store.OrgByID(ctx, p.OrgID)
	if err != nil {
		return domain.Invalid("org_id", "err.org.not_found")
	}
	if err := domain.Authorize(c.Principal, domain.ActRegistryWrite, o.Target()); err != nil {
		return domain.Invalid("org_id", "err.org.out_of_scope")
	}
	if p.RegionID != 0 && !s.regionExists(ctx, p.RegionID) {
		return domain.Invalid("region_id", "err.region.not_found")
	}
	return s.checkCategories(ctx, "willingness", p.Willingness)
}

func (s *Service) checkCategories(ctx context.Context, field string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	cats, err := s.store.ListCategories(ctx, true)
	if err != nil {
		return err
	}
	known := map[int64]bool{}
	for _, c := range cats {
		known[c.ID] = true
	}
	for _, id := range ids {
		if !known[id] {
			return domain.Invalid(field, "err.category.not_found")
		}
	}
	return nil
}

// CreatePerson registers a person in an org of the caller's scope.
func (s *Service) CreatePerson(ctx context.Context, c domain.Caller, in domain.PersonInput) (int64, error) {
	if err := domain.Authorize(c.Principal, domain.ActRegistryWrite, domain.Target{}); err != nil {
		return 0, err
	}
	p, err := in.Validate()
	if err != nil {
		return 0, err
	}
	if err := s.checkPersonRefs(ctx, c, p); err != nil {
		return 0, err
	}
	sealed, err := s.sealID(p.IDCard)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		phone := p.Phone
		sameAs, err := checkDuplicates(tx, c, p.Phone, sealed.Hash, 0)
		if err != nil {
			return err
		}
		if sameAs != 0 {
			p.Phone = heldPlaceholder()
		}
		if id, err = tx.CreatePerson(p, sealed); err != nil || sameAs == 0 {
			return err
		}
		return tx.SetHeldPhone(id, phone, sameAs)
	})
	return id, err
}

// checkDuplicates refuses a phone or ID number that another person has,
// naming that person, when the caller may see them. A phone of someone
// outside the caller's scope is not refused: the caller would learn who is
// registered there. It returns that person's id instead, and the entry is
// held for the committee to resolve (store/held.go), so the caller's answer
// is the one of a free number. A held entry holds its number too, and the
// ID number is checked whatever the phone.
func checkDuplicates(tx *store.Tx, c domain.Caller, phone, idHash string, self int64) (sameAs int64, err error) {
	holders, err := tx.PhoneHolders([]string{phone})
	if err != nil {
		return 0, err
	}
	if other, seen, found := phoneHolder(c, holders[phone], self); seen {
		return 0, domain.Invalid("phone", "err.phone.taken_by", other.Name)
	} else if found {
		sameAs = other.ID
	}
	if idHash == "" {
		return sameAs, nil
	}
	ids, err := tx.ExistingIDHashes([]string{idHash})
	if err != nil {
		return 0, err
	}
	if id, ok := ids[idHash]; ok && id != self {
		return 0, domain.Invalid("id_card", "err.id_card.taken")
	}
	return sameAs, nil
}

// phoneHolder picks, of the people who have a number (but self), the one a
// duplicate is answered with: one the caller may see (seen), so that they
// are told of it even when someone outside their scope has the number too;
// else the first (found), whose number is then held.
func phoneHolder(c domain.Caller, holders []store.PersonRef, self int64) (p store.PersonRef, seen, found bool) {
	for _, h := range holders {
		if h.ID == self {
			continue
		}
		if domain.Can(c.Principal, domain.ActRegistryRead, h.Target()) {
			return h, true, true
		}
		if !found {
			p, found = h, true
		}
	}
	return p, false, found
}

// heldPlaceholder is what people.phone holds for a held person: unique,
// and never a mobile number.
func heldPlaceholder() string { return store.HeldPhonePrefix + NewCode() }

// PhoneDuplicates lists the other people with person's mobile number whom
// the caller may see: for the committee, both sides of a held entry; for an
// admin, nothing outside their scope.
func (s *Service) PhoneDuplicates(ctx context.Context, c domain.Caller, p domain.Person) ([]domain.Person, error) {
	all, err := s.store.PeopleWithPhone(ctx, p.Phone)
	if err != nil {
		return nil, err
	}
	var out []domain.Person
	for _, x := range all {
		if x.ID != p.ID && domain.Can(c.Principal, domain.ActRegistryRead, x.Target()) {
			out = append(out, x)
		}
	}
	return out, nil
}

// UpdatePerson changes a person in the caller's scope. An empty phone or
// ID-card field keeps the number on file: the edit form never shows them in
// full, so editing a name does not reveal them.
func (s *Service) UpdatePerson(ctx context.Context, c domain.Caller, id int64, in domain.PersonInput) error {
	before, err := s.store.PersonByID(ctx, id)
	if err != nil {
		return err
	}
	if err := domain.Authorize(c.Principal, domain.ActRegistryWrite, before.Target()); err != nil {
		return err
	}
	if before.Erased {
		return domain.Errorf(domain.CodeConflict, "err.privacy.erased_person")
	}
	if strings.TrimSpace(in.Phone) == "" {
		in.Phone = before.Phone
	}
	// The email address and openid, masked on the form, are kept the same
	// way unless the form asks to remove them.
	if strings.TrimSpace(in.Email) == "" && !in.ClearEmail {
		in.Email = before.Email
	}
	if strings.TrimSpace(in.WeChatOpenID) == "" && !in.ClearOpenID {
		in.WeChatOpenID = before.WeChatOpenID
	}
	p, err := in.Validate()
	if err != nil {
		return err
	}
	if err := s.checkPersonRefs(ctx, c, p); err != nil {
		return err
	}
	var sealed *store.SealedID
	if p.IDCard != "" {
		x, err := s.sealID(p.IDCard)
		if err != nil {
			return err
		}
		sealed = &x
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		hash := ""
		if sealed != nil {
			hash = sealed.Hash
		}
		phone := p.Phone
		sameAs, err := checkDuplicates(tx, c, p.Phone, hash, id)
		if err != nil {
			return err
		}
		if sameAs != 0 {
			p.Phone = heldPlaceholder()
		}
		if err := tx.UpdatePerson(id, before, p, sealed); err != nil {
			return err
		}
		if sameAs == 0 {
			phone = ""
		}
		return tx.SetHeldPhone(id, phone, sameAs)
	})
}

// RevealPersonal returns a person's full phone number or email address to a
// caller whose role needs it, and writes that it was shown to the audit log.
// The ID-card number is never shown whole (see CheckIDCard): it leaves the
// platform only in the national-system export, with the person's consent.
func (s *Service) RevealPersonal(ctx context.Context, c domain.Caller, personID int64, field string) (string, error) {
	p, err := s.store.PersonByID(ctx, personID)
	if err != nil {
		return "", err
	}
	if err := domain.Authorize(c.Principal, domain.ActPersonalRead, p.Target()); err != nil {
		return "", err
	}
	var value string
	switch field {
	case "phone":
		value = p.Phone
	case "email":
		value = p.Email
	default:
		return "", domain.Invalid("field", "err.form")
	}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.Audit("person.reveal", "person", strconv.FormatInt(personID, 10), nil, map[string]any{"field": field})
	})
	return value, err
}

// Trainings lists a person's trainings.
func (s *Service) Trainings(ctx context.Context, c domain.Caller, personID int64) ([]domain.Training, error) {
	if _, err := s.Person(ctx, c, personID); err != nil {
		return nil, err
	}
	return s.store.ListTrainings(ctx, personID)
}

// AddTraining records a training of a person in the caller's scope.
func (s *Service) AddTraining(ctx context.Context, c domain.Caller, t domain.Training) error {
	p, err := s.store.PersonByID(ctx, t.PersonID)
	if err != nil {
		return err
	}
	if err := domain.Authorize(c.Principal, domain.ActRegistryWrite, p.Target()); err != nil {
		return err
	}
	var v domain.Validation
	t.Subject = domain.ValidateName(&v, "subject", t.Subject, 100)
	v.CheckDate("date", t.Date, domain.EarliestHistory, s.chinaToday())
	v.Check(t.Minutes > 0 && t.Minutes <= domain.MaxTraining, "hours", "err.hours")
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		_, err := tx.AddTraining(t)
		return err
	})
}

// MyProfile returns the caller's own person record and teams.
func (s *Service) MyProfile(ctx context.Context, c domain.Caller) (domain.Person, []domain.Membership, error) {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return domain.Person{}, nil, err
	}
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if err != nil {
		return p, nil, err
	}
	teams, err := s.store.PersonTeams(ctx, p.ID)
	return s.withNumber(p), teams, err
}

// UpdateMyPreferences lets a person edit their own skills, willingness and
// availability.
func (s *Service) UpdateMyPreferences(ctx context.Context, c domain.Caller, skills string, willingness []int64, avail domain.Availability) error {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return err
	}
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if err != nil {
		return err
	}
	list := domain.SplitList(skills)
	var v domain.Validation
	v.Check(len(list) <= 20, "skills", "err.too_many_items", 20)
	for _, sk := range list {
		v.Check(domain.CleanLine(sk), "skills", "err.text")
		v.Check(len([]rune(sk)) <= 30, "skills", "err.too_long", 30)
	}
	v.AddErr(s.checkCategories(ctx, "willingness", willingness))
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.UpdatePreferences(p, list, dedupe(willingness), avail&0x3f)
	})
}

func dedupe(ids []int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// CreateRegion adds a region under a parent (none for a banner or district).
func (s *Service) CreateRegion(ctx context.Context, c domain.Caller, r domain.Region) (int64, error) {
	if err := domain.Authorize(c.Principal, domain.ActRegionManage, domain.Target{}); err != nil {
		return 0, err
	}
	var v domain.Validation
	r.Name = domain.ValidateName(&v, "name", r.Name, 60)
	v.Check(r.Lat >= 3 && r.Lat <= 54 && r.Lng >= 73 && r.Lng <= 136, "lat", "err.region.coordinates")
	levels := map[domain.RegionLevel]domain.RegionLevel{
		domain.RegionBanner: "", domain.RegionTown: domain.RegionBanner, domain.RegionVillage: domain.RegionTown,
	}
	parentLevel, ok := levels[r.Level]
	v.Check(ok, "level", "err.region.level")
	if ok && parentLevel == "" {
		v.Check(r.ParentID == 0, "parent_id", "err.region.parent")
	} else if ok {
		parent, found := domain.Region{}, false
		regions, err := s.store.ListRegions(ctx)
		if err != nil {
			return 0, err
		}
		for _, x := range regions {
			if x.ID == r.ParentID {
				parent, found = x, true
			}
		}
		v.Check(found && parent.Level == parentLevel, "parent_id", "err.region.parent")
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	var id int64
	err := s.store.Write(ctx, c.Actor(), func(tx *store.Tx) (err error) {
		id, err = tx.CreateRegion(r)
		return err
	})
	return id, err
}

// CheckIDCard tells a caller who may read personal data whether the number
// they hold (on a paper form, say) is the person's ID-card number, without
// showing the number on file. It opens the sealed number, so it also proves
// the secret key is the one the number was sealed with. The check is
// audited, its answer too, never the number typed.
func (s *Service) CheckIDCard(ctx context.Context, c domain.Caller, personID int64, candidate string) (bool, error) {
	p, err := s.store.PersonByID(ctx, personID)
	if err != nil {
		return false, err
	}
	if err := domain.Authorize(c.Principal, domain.ActPersonalRead, p.Target()); err != nil {
		return false, err
	}
	candidate = domain.NormalizeIDCard(candidate)
	if candidate == "" {
		return false, domain.Invalid("id_card", "err.required")
	}
	if !p.HasIDCard {
		return false, domain.Invalid("id_card", "err.id_card.none_on_file")
	}
	enc, err := s.store.IDCardCipher(ctx, personID)
	if err != nil {
		return false, err
	}
	onFile, err := s.openID(enc)
	if err != nil {
		return false, err
	}
	match := subtle.ConstantTimeCompare([]byte(onFile), []byte(candidate)) == 1
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.Audit("person.id_check", "person", strconv.FormatInt(personID, 10), nil, map[string]any{"match": match})
	})
	return match, err
}
