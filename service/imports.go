package service

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/report"
	"vanguard/store"
)

// Imports of people and rosters from spreadsheets. Every row is checked
// before anything is written, faults are reported by row and column, and
// the rows are written all or nothing in one audited transaction.

// MaxListedFaults is how many faults an import result lists; the rest are
// only counted.
const MaxListedFaults = 500

// ImportResult is what an import did: how many data rows the file had, how
// many were written (all of them, or none when any row failed), and the
// faults that stopped it.
type ImportResult struct {
	Rows     int
	Imported int
	Faults   []report.Fault // the first MaxListedFaults, by row then column
	More     int            // faults beyond those listed
	// PersonIDs are the people a successful import created, so that their
	// accounts can be opened at once.
	PersonIDs []int64
}

// OK reports whether no fault was found.
func (r ImportResult) OK() bool { return len(r.Faults) == 0 && r.More == 0 }

func (r *ImportResult) add(fs ...report.Fault) {
	for _, f := range fs {
		if len(r.Faults) < MaxListedFaults {
			r.Faults = append(r.Faults, f)
		} else {
			r.More++
		}
	}
}

// errRejected rolls an import's transaction back when a row failed.
var errRejected = errors.New("import rejected")

// rowFaults collects the faults of one row, the first for each column.
type rowFaults struct {
	row  int
	list []report.Fault
}

func (f *rowFaults) add(col, key string, args ...any) {
	for _, x := range f.list {
		if x.Column == col {
			return
		}
	}
	f.list = append(f.list, report.Fault{Row: f.row, Column: col, Key: key, Args: args})
}

// flush adds the row's faults to the result in column order.
func (f *rowFaults) flush(res *ImportResult, cols []report.Column) {
	sort.SliceStable(f.list, func(i, j int) bool {
		return report.Position(cols, f.list[i].Column) < report.Position(cols, f.list[j].Column)
	})
	res.add(f.list...)
}

// personFields maps the fields domain.PersonInput.Validate names to the
// columns of a people sheet.
var personFields = []struct{ field, column string }{
	{"name", report.ColName}, {"gender", report.ColGender}, {"phone", report.ColPhone},
	{"id_card", report.ColIDCard}, {"political_status", report.ColStatus}, {"org_id", report.ColOrg},
	{"region_id", report.ColRegion}, {"skills", report.ColSkills}, {"willingness", report.ColWillingness},
	{"talents", report.ColTalents},
}

// reasons rephrase the validation messages of forms for a spreadsheet,
// naming the values a cell may hold.
var reasons = map[string]string{
	"err.required":         "excel.reason.required",
	"err.gender":           "excel.reason.gender",
	"err.phone":            "excel.reason.phone",
	"err.id_card":          "excel.reason.id_card",
	"err.political_status": "excel.reason.political_status",
	"err.too_many_items":   "excel.reason.too_many_items",
	"err.too_long":         "excel.reason.too_long",
	"err.talent":           "excel.reason.talent_tag",
}

// addValidation adds the field errors of a validation to a row's faults. A
// field without a column of its own is reported under its name, so no
// failed validation goes unreported.
func (f *rowFaults) addValidation(err error) {
	if err == nil {
		return
	}
	e, ok := domain.AsError(err)
	if !ok {
		e = domain.Errorf(domain.CodeInternal, "err.internal")
	}
	fields := e.Fields
	if len(fields) == 0 {
		fields = map[string]*domain.Error{e.Field: e}
	}
	reported := map[string]bool{}
	add := func(column string, fe *domain.Error) {
		key := fe.Key
		if r, ok := reasons[key]; ok {
			key = r
		}
		f.add(column, key, fe.Args...)
	}
	for _, pf := range personFields {
		if fe, ok := fields[pf.field]; ok {
			add(pf.column, fe)
			reported[pf.field] = true
		}
	}
	for field, fe := range fields {
		if !reported[field] {
			add(field, fe)
		}
	}
}

// ImportPeople registers the people of an uploaded sheet in orgs of the
// caller's scope.
func (s *Service) ImportPeople(ctx context.Context, c domain.Caller, data []byte) (ImportResult, error) {
	var res ImportResult
	if err := domain.Authorize(c.Principal, domain.ActRegistryWrite, domain.Target{}); err != nil {
		return res, err
	}
	t, cols, err := readSheet(data, report.PeopleColumns, &res)
	if err != nil || !res.OK() {
		return res, err
	}
	lk, err := s.personLookups(ctx, c)
	if err != nil {
		return res, err
	}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		people, err := s.checkPeople(tx, t, cols, lk, &res)
		if err != nil {
			return err
		}
		if !res.OK() {
			return errRejected
		}
		ids, err := tx.ImportPeople(people)
		if err != nil {
			return err
		}
		res.Imported, res.PersonIDs = len(people), ids
		return tx.Audit("person.import", "person", "", nil, map[string]any{"rows": len(people), "format": t.Format})
	})
	if errors.Is(err, errRejected) {
		return res, nil
	}
	if err != nil {
		res.Imported, res.PersonIDs = 0, nil
	}
	return res, err
}

// readSheet reads an upload and maps its header. Header faults go to res.
func readSheet(data []byte, spec []report.Column, res *ImportResult) (*report.Table, map[string]int, error) {
	t, err := report.Read(data)
	if err != nil {
		return nil, nil, err
	}
	res.Rows = len(t.Rows)
	cols, faults := t.Index(spec)
	res.add(faults...)
	if len(faults) == 0 && len(t.Rows) == 0 {
		return nil, nil, domain.Errorf(domain.CodeInvalid, "err.excel.no_rows")
	}
	return t, cols, nil
}

// cellOf returns a function reading a column of a row by its header.
func cellOf(cols map[string]int) func(r report.Row, header string) string {
	return func(r report.Row, header string) string {
		if i, ok := cols[header]; ok {
			return r.Cell(i)
		}
		return ""
	}
}

// checkPeople checks every row — its cells, the names it refers to, and
// phone and ID numbers repeated in the file or already on file — and
// returns the rows sealed for writing when none failed.
func (s *Service) checkPeople(tx *store.Tx, t *report.Table, cols map[string]int, lk *personLookups,
	res *ImportResult) ([]store.ImportedPerson, error) {
	cell := cellOf(cols)
	phones := make([]string, len(t.Rows))
	hashes := make([]string, len(t.Rows))
	var someHashes []string
	for i, r := range t.Rows {
		phones[i] = domain.NormalizePhone(cell(r, report.ColPhone))
		if id := domain.NormalizeIDCard(cell(r, report.ColIDCard)); id != "" {
			hashes[i] = s.KeyedHash("id_card", id)
			someHashes = append(someHashes, hashes[i])
		}
	}
	takenPhones, err := tx.PhoneHolders(phones)
	if err != nil {
		return nil, err
	}
	takenIDs, err := tx.ExistingIDHashes(someHashes)
	if err != nil {
		return nil, err
	}
	firstPhone, firstID := map[string]int{}, map[string]int{}
	sameAs := make([]int64, len(t.Rows))
	out := make([]store.ImportedPerson, 0, len(t.Rows))
	for i, r := range t.Rows {
		f := &rowFaults{row: r.Number}
		in := lk.input(r, cell, f)
		p, err := in.Validate()
		f.addValidation(err)
		if p.Phone != "" && domain.ValidPhone(p.Phone) {
			if p.Phone == report.ExamplePhone {
				f.add(report.ColPhone, "excel.reason.example_row")
			} else if first, dup := firstPhone[p.Phone]; dup {
				f.add(report.ColPhone, "excel.reason.duplicate_in_file", first)
			} else if other, seen, taken := phoneHolder(lk.caller, takenPhones[p.Phone], 0); seen {
				f.add(report.ColPhone, "excel.reason.phone_registered")
			} else if taken {
				sameAs[i] = other.ID // held, not refused: see checkDuplicates
			}
			if _, dup := firstPhone[p.Phone]; !dup {
				firstPhone[p.Phone] = r.Number
			}
		}
		if h := hashes[i]; h != "" && domain.ValidIDCard(p.IDCard) {
			if first, dup := firstID[h]; dup {
				f.add(report.ColIDCard, "excel.reason.duplicate_in_file", first)
			} else if _, taken := takenIDs[h]; taken {
				f.add(report.ColIDCard, "excel.reason.id_card_registered")
			}
			if _, dup := firstID[h]; !dup {
				firstID[h] = r.Number
			}
		}
		f.flush(res, report.PeopleColumns)
		if !res.OK() {
			continue // nothing will be written: skip the sealing
		}
		sealed, err := s.sealID(p.IDCard)
		if err != nil {
			return nil, err
		}
		p.Willingness = dedupe(p.Willingness)
		x := store.ImportedPerson{Person: p, ID: sealed}
		if sameAs[i] != 0 {
			x.HeldPhone, x.SameAs, x.Person.Phone = p.Phone, sameAs[i], heldPlaceholder()
		}
		out = append(out, x)
	}
	return out, nil
}

// personLookups resolve the names a people sheet uses — orgs, regions,
// categories — to ids, once per distinct name.
type personLookups struct {
	caller  domain.Caller
	orgs    *nameIndex
	regions *nameIndex
	cats    map[string]int64
	names   []string // every category name a cell may use
	orgMemo map[string]lookup
	regMemo map[string]lookup
}

// lookup is a name resolved: an id, or the fault's key and arguments.
type lookup struct {
	id   int64
	key  string
	args []any
}

func (s *Service) personLookups(ctx context.Context, c domain.Caller) (*personLookups, error) {
	orgs, err := s.store.ListOrgs(ctx, domain.Scope{All: true})
	if err != nil {
		return nil, err
	}
	regions, err := s.store.ListRegions(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := s.store.ListCategories(ctx, true)
	if err != nil {
		return nil, err
	}
	lk := &personLookups{caller: c, cats: map[string]int64{}, orgMemo: map[string]lookup{}, regMemo: map[string]lookup{}}
	lk.orgs = newNameIndex(len(orgs), func(i int) (int64, string, string) { return orgs[i].ID, orgs[i].Name, orgs[i].Path })
	lk.regions = newNameIndex(len(regions), func(i int) (int64, string, string) {
		return regions[i].ID, regions[i].Name, regions[i].Path
	})
	for _, cat := range cats {
		short, _, _ := strings.Cut(cat.NameZH, "（")
		for _, n := range []string{cat.NameZH, short, cat.NameEN, cat.Code} {
			if n = strings.TrimSpace(n); n != "" {
				if _, dup := lk.cats[strings.ToLower(n)]; !dup {
					lk.cats[strings.ToLower(n)] = cat.ID
					lk.names = append(lk.names, n)
				}
			}
		}
	}
	return lk, nil
}

// input turns a row into a PersonInput, adding a fault for each cell whose
// words or names are not understood.
func (lk *personLookups) input(r report.Row, cell func(report.Row, string) string, f *rowFaults) domain.PersonInput {
	in := domain.PersonInput{
		Name: cell(r, report.ColName), Phone: cell(r, report.ColPhone), IDCard: cell(r, report.ColIDCard),
		Skills: cell(r, report.ColSkills),
	}
	if v := cell(r, report.ColGender); v == "" {
		f.add(report.ColGender, "excel.reason.required")
	} else if g, ok := report.ParseGender(v); ok {
		in.Gender = string(g)
	} else {
		f.add(report.ColGender, "excel.reason.gender")
	}
	if v := cell(r, report.ColStatus); v == "" {
		f.add(report.ColStatus, "excel.reason.required")
	} else if st, ok := report.ParseStatus(v); ok {
		in.PoliticalStatus = string(st)
	} else {
		f.add(report.ColStatus, "excel.reason.political_status")
	}
	if v := cell(r, report.ColOrg); v == "" {
		f.add(report.ColOrg, "excel.reason.required")
	} else if o := lk.org(v); o.key != "" {
		f.add(report.ColOrg, o.key, o.args...)
	} else {
		in.OrgID = o.id
	}
	if v := cell(r, report.ColRegion); v != "" {
		if reg := lk.region(v); reg.key != "" {
			f.add(report.ColRegion, reg.key, reg.args...)
		} else {
			in.RegionID = reg.id
		}
	}
	for _, item := range report.SplitKnown(cell(r, report.ColWillingness), lk.names) {
		if id, ok := lk.cats[strings.ToLower(item)]; ok {
			in.Willingness = append(in.Willingness, id)
		} else {
			f.add(report.ColWillingness, "excel.reason.category", item)
		}
	}
	avail, unknown := report.ParseAvailability(cell(r, report.ColAvailability))
	in.Availability = avail
	if len(unknown) > 0 {
		f.add(report.ColAvailability, "excel.reason.availability", unknown[0])
	}
	talents, unknown := report.ParseTalents(cell(r, report.ColTalents))
	in.Talents = talents
	if len(unknown) > 0 {
		f.add(report.ColTalents, "excel.reason.talent", unknown[0])
	}
	return in
}

// org resolves an org name within the caller's scope: exactly one org there
// may bear it.
func (lk *personLookups) org(name string) lookup {
	if l, ok := lk.orgMemo[name]; ok {
		return l
	}
	var inScope []named
	found := lk.orgs.find(name)
	for _, o := range found {
		if domain.Can(lk.caller.Principal, domain.ActRegistryWrite, domain.Target{OrgPath: o.path}) {
			inScope = append(inScope, o)
		}
	}
	var l lookup
	switch {
	case len(found) == 0:
		l = lookup{key: "excel.reason.org_not_found", args: []any{name}}
	case len(inScope) == 0:
		l = lookup{key: "excel.reason.org_out_of_scope", args: []any{name}}
	case len(inScope) > 1:
		l = lookup{key: "excel.reason.org_ambiguous", args: []any{len(inScope), name}}
	default:
		l = lookup{id: inScope[0].id}
	}
	lk.orgMemo[name] = l
	return l
}

// region resolves a region name; regions are the same for everyone.
func (lk *personLookups) region(name string) lookup {
	if l, ok := lk.regMemo[name]; ok {
		return l
	}
	found := lk.regions.find(name)
	var l lookup
	switch len(found) {
	case 0:
		l = lookup{key: "excel.reason.region_not_found", args: []any{name}}
	case 1:
		l = lookup{id: found[0].id}
	default:
		l = lookup{key: "excel.reason.region_ambiguous", args: []any{len(found), name}}
	}
	lk.regMemo[name] = l
	return l
}

// named is an org or region with the names of its ancestors.
type named struct {
	id    int64
	path  string   // materialised path of ids, "/1/4/"
	chain []string // names from the root down to itself
}

// nameIndex finds orgs or regions by name, or by a name with as many of its
// ancestors as it takes to tell it apart: 市农牧业局/机关党支部.
type nameIndex struct{ byName map[string][]named }

func newNameIndex(n int, item func(i int) (id int64, name, path string)) *nameIndex {
	names := make(map[int64]string, n)
	for i := 0; i < n; i++ {
		id, name, _ := item(i)
		names[id] = name
	}
	x := &nameIndex{byName: map[string][]named{}}
	for i := 0; i < n; i++ {
		id, name, path := item(i)
		var chain []string
		for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
			if pid, err := strconv.ParseInt(p, 10, 64); err == nil {
				chain = append(chain, names[pid])
			}
		}
		x.byName[name] = append(x.byName[name], named{id: id, path: path, chain: chain})
	}
	return x
}

// find returns every item whose name — and ancestors' names, when given —
// match exactly.
func (x *nameIndex) find(v string) []named {
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '/' || r == '／' })
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	if len(parts) == 0 {
		return nil
	}
	var out []named
	for _, n := range x.byName[parts[len(parts)-1]] {
		if len(n.chain) < len(parts) {
			continue
		}
		tail := n.chain[len(n.chain)-len(parts):]
		match := true
		for i := range parts {
			match = match && tail[i] == parts[i]
		}
		if match {
			out = append(out, n)
		}
	}
	return out
}

// ImportRoster puts the people of an uploaded sheet on a team's roster.
// Each row names a person already registered, by phone and name. The people
// must be in the caller's registry scope; a team leader, who has none, may
// add anyone registered, and learns nothing about a number beyond whether
// it matches the name given.
func (s *Service) ImportRoster(ctx context.Context, c domain.Caller, teamID int64, data []byte) (ImportResult, error) {
	var res ImportResult
	team, err := s.RosterImportTeam(ctx, c, teamID)
	if err != nil {
		return res, err
	}
	t, cols, err := readSheet(data, report.RosterColumns, &res)
	if err != nil || !res.OK() {
		return res, err
	}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		ms, err := s.checkRoster(tx, c, team, t, cols, &res)
		if err != nil {
			return err
		}
		if !res.OK() {
			return errRejected
		}
		if err := tx.ImportMembers(team.ID, ms); err != nil {
			return err
		}
		res.Imported = len(ms)
		return tx.Audit("team.roster_import", "team", strconv.FormatInt(team.ID, 10), nil,
			map[string]any{"rows": len(ms), "format": t.Format})
	})
	if errors.Is(err, errRejected) {
		return res, nil
	}
	if err != nil {
		res.Imported = 0
	}
	return res, err
}

// RosterImportTeam returns a team whose roster the caller may import into.
func (s *Service) RosterImportTeam(ctx context.Context, c domain.Caller, teamID int64) (domain.Team, error) {
	t, err := s.store.TeamByID(ctx, teamID)
	if err != nil {
		return t, err
	}
	return t, domain.Authorize(c.Principal, domain.ActTeamManage, t.Target())
}

// china is the time zone every user of the platform lives in; "today" for
// a join date is today there.
var china = time.FixedZone("CST", 8*3600)

// checkRoster checks every row of a roster sheet and returns the members to
// add when none failed.
func (s *Service) checkRoster(tx *store.Tx, c domain.Caller, team domain.Team, t *report.Table, cols map[string]int,
	res *ImportResult) ([]domain.Membership, error) {
	cell := cellOf(cols)
	phones := make([]string, len(t.Rows))
	for i, r := range t.Rows {
		phones[i] = domain.NormalizePhone(cell(r, report.ColPhone))
	}
	people, err := tx.PeopleByPhones(phones)
	if err != nil {
		return nil, err
	}
	current, err := tx.CurrentMemberIDs(team.ID)
	if err != nil {
		return nil, err
	}
	// A grant on this very team (a team leader's) lets the caller add anyone
	// registered; an org admin only people of their subtree.
	viaTeam := domain.Can(c.Principal, domain.ActTeamManage, domain.Target{TeamID: team.ID})
	today := tx.Now().In(china).Format("2006-01-02")
	first := map[int64]int{}
	var out []domain.Membership
	for i, r := range t.Rows {
		f := &rowFaults{row: r.Number}
		phone, name := phones[i], squeeze(cell(r, report.ColName))
		role, joined := rosterCells(r, cell, phone, name, today, f)
		if len(f.list) == 0 {
			p, found := people[phone]
			canRead := found && domain.Can(c.Principal, domain.ActRegistryRead, p.Target())
			switch {
			case !found || (!canRead && squeeze(p.Name) != name):
				f.add(report.ColPhone, "excel.reason.person_not_found")
			case squeeze(p.Name) != name:
				f.add(report.ColName, "excel.reason.name_mismatch")
			case !canRead && !viaTeam:
				f.add(report.ColPhone, "excel.reason.person_out_of_scope")
			case first[p.ID] != 0:
				f.add(report.ColPhone, "excel.reason.duplicate_in_file", first[p.ID])
			case current[p.ID]:
				f.add(report.ColPhone, "excel.reason.already_member")
			default:
				first[p.ID] = r.Number
				out = append(out, domain.Membership{PersonID: p.ID, Role: role, JoinedOn: joined})
			}
		}
		f.flush(res, report.RosterColumns)
	}
	return out, nil
}

// rosterCells checks the cells of a roster row and returns its role and
// join date, defaulting to a regular member who joins today.
func rosterCells(r report.Row, cell func(report.Row, string) string, phone, name, today string,
	f *rowFaults) (domain.MemberRole, string) {
	switch {
	case phone == "":
		f.add(report.ColPhone, "excel.reason.required")
	case !domain.ValidPhone(phone):
		f.add(report.ColPhone, "excel.reason.phone")
	case phone == report.ExamplePhone:
		f.add(report.ColPhone, "excel.reason.example_row")
	}
	if name == "" {
		f.add(report.ColName, "excel.reason.required")
	}
	role := domain.MemberRegular
	if v := cell(r, report.ColRole); v != "" {
		var ok bool
		if role, ok = report.ParseRole(v); !ok {
			f.add(report.ColRole, "excel.reason.role")
		}
	}
	joined := today
	if v := cell(r, report.ColJoinedOn); v != "" {
		var ok bool
		if joined, ok = report.ParseDate(v); !ok {
			f.add(report.ColJoinedOn, "excel.reason.date")
		} else if joined > today {
			f.add(report.ColJoinedOn, "excel.reason.date_future")
		}
	}
	return role, joined
}

// squeeze drops the spaces inside a name, which people type inconsistently.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }
