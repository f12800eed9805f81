package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"vanguard/domain"
)

// subtree returns the range [lo, hi) of materialised paths under path,
// path itself included: every path that starts with "/1/4/" sorts between
// "/1/4/" and "/1/40" byte-wise, because '0' follows '/'.
func subtree(path string) (lo, hi string) {
	return path, strings.TrimSuffix(path, "/") + "0"
}

// inScope returns a condition that keeps rows within a viewer's scope: the
// org subtrees by the org path column, and the teams by the team id column
// (when the table has one). An empty scope keeps nothing.
func inScope(orgCol, teamCol string, sc domain.Scope) (string, []any) {
	if sc.All {
		return "1=1", nil
	}
	var parts []string
	var args []any
	for _, p := range sc.OrgPaths {
		lo, hi := subtree(p)
		parts = append(parts, "("+orgCol+" >= ? AND "+orgCol+" < ?)")
		args = append(args, lo, hi)
	}
	if teamCol != "" {
		for _, id := range sc.TeamIDs {
			parts = append(parts, teamCol+" = ?")
			args = append(args, id)
		}
	}
	if len(parts) == 0 {
		return "1=0", nil
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

const orgColumns = `o.id, COALESCE(o.parent_id, 0), o.kind, o.name, o.path, o.created_at`

func scanOrg(row interface{ Scan(...any) error }, extra ...any) (domain.Org, error) {
	var o domain.Org
	var kind string
	var created int64
	err := row.Scan(append([]any{&o.ID, &o.ParentID, &kind, &o.Name, &o.Path, &created}, extra...)...)
	o.Kind, o.CreatedAt = domain.OrgKind(kind), fromMicros(created)
	o.Depth = strings.Count(o.Path, "/") - 2
	return o, err
}

// OrgByID finds an org.
func (s *Store) OrgByID(ctx context.Context, id int64) (domain.Org, error) {
	o, err := scanOrg(s.queryRow(ctx, "SELECT "+orgColumns+" FROM orgs o WHERE o.id = ?", id))
	return o, notFound(err, "err.org.not_found")
}

// ListOrgNames returns the orgs in scope, in tree order, without the
// counts ListOrgs adds: a list that only names them (a province's 20,000)
// need not count the people of each.
func (s *Store) ListOrgNames(ctx context.Context, sc domain.Scope) ([]domain.Org, error) {
	cond, args := inScope("o.path", "", sc)
	rows, err := s.query(ctx, `SELECT `+orgColumns+` FROM orgs o WHERE `+cond+` ORDER BY o.path`, args...)
	if err != nil {
		return nil, fmt.Errorf("list orgs: %w", err)
	}
	defer rows.Close()
	var out []domain.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// ListOrgs returns the orgs in scope, in tree order, each with its number of
// child orgs, people and teams.
func (s *Store) ListOrgs(ctx context.Context, sc domain.Scope) ([]domain.Org, error) {
	cond, args := inScope("o.path", "", sc)
	rows, err := s.query(ctx, `SELECT `+orgColumns+`,
		(SELECT COUNT(*) FROM orgs c WHERE c.parent_id = o.id),
		(SELECT COUNT(*) FROM people p WHERE p.org_id = o.id),
		(SELECT COUNT(*) FROM teams t WHERE t.org_id = o.id)
		FROM orgs o WHERE `+cond+` ORDER BY o.path`, args...)
	if err != nil {
		return nil, fmt.Errorf("list orgs: %w", err)
	}
	defer rows.Close()
	var out []domain.Org
	for rows.Next() {
		var o domain.Org
		var children, people, teams int
		if o, err = scanOrg(rows, &children, &people, &teams); err != nil {
			return nil, err
		}
		o.Children, o.People, o.Teams = children, people, teams
		out = append(out, o)
	}
	return out, rows.Err()
}

// CreateOrg inserts an org under parent (0 for the root), sets its
// materialised path and audits it.
func (tx *Tx) CreateOrg(parentID int64, kind, name string) (int64, error) {
	var parent any
	parentPath := "/"
	if parentID != 0 {
		parent = parentID
		if err := tx.queryRow("SELECT path FROM orgs WHERE id = ?", parentID).Scan(&parentPath); err != nil {
			return 0, notFound(err, "err.org.not_found")
		}
	}
	id, err := tx.insert("INSERT INTO orgs (parent_id, kind, name, path, created_at) VALUES (?, ?, ?, '', ?)",
		parent, kind, name, micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("create org: %w", err)
	}
	path := parentPath + strconv.FormatInt(id, 10) + "/"
	if _, err := tx.exec("UPDATE orgs SET path = ? WHERE id = ?", path, id); err != nil {
		return 0, err
	}
	return id, tx.Audit("org.create", "org", strconv.FormatInt(id, 10), nil,
		map[string]any{"kind": kind, "name": name, "parent_id": parentID})
}

// RenameOrg renames an org and audits it.
func (tx *Tx) RenameOrg(id int64, name string) error {
	var old string
	if err := tx.queryRow("SELECT name FROM orgs WHERE id = ?", id).Scan(&old); err != nil {
		return notFound(err, "err.org.not_found")
	}
	if _, err := tx.exec("UPDATE orgs SET name = ? WHERE id = ?", name, id); err != nil {
		return err
	}
	return tx.Audit("org.rename", "org", strconv.FormatInt(id, 10), map[string]any{"name": old}, map[string]any{"name": name})
}

// Counts are the registry's totals in a subtree, for the overview.
type Counts struct {
	Orgs, People, PartyMembers, Teams, PartyTeams, YouthTeams    int
	Volunteers, PartyVolunteers, YouthVolunteers, Sites, Regions int
}

// CountRegistry counts the registry in scope.
func (s *Store) CountRegistry(ctx context.Context, sc domain.Scope) (Counts, error) {
	var c Counts
	cond, args := inScope("o.path", "", sc)
	q := func(dst *int, query string) error {
		return s.queryRow(ctx, query, args...).Scan(dst)
	}
	steps := []struct {
		dst   *int
		query string
	}{
		{&c.Orgs, "SELECT COUNT(*) FROM orgs o WHERE " + cond},
		{&c.People, "SELECT COUNT(*) FROM people p JOIN orgs o ON o.id = p.org_id WHERE " + cond},
		{&c.PartyMembers, "SELECT COUNT(*) FROM people p JOIN orgs o ON o.id = p.org_id WHERE p.political_status IN ('party_member', 'probationary') AND " + cond},
		{&c.Teams, "SELECT COUNT(*) FROM teams t JOIN orgs o ON o.id = t.org_id WHERE " + cond},
		{&c.PartyTeams, "SELECT COUNT(*) FROM teams t JOIN orgs o ON o.id = t.org_id WHERE t.kind = 'party' AND " + cond},
		{&c.YouthTeams, "SELECT COUNT(*) FROM teams t JOIN orgs o ON o.id = t.org_id WHERE t.kind = 'youth' AND " + cond},
		{&c.Volunteers, "SELECT COUNT(DISTINCT m.person_id) FROM team_members m JOIN teams t ON t.id = m.team_id JOIN orgs o ON o.id = t.org_id WHERE m.left_on = '' AND " + cond},
		{&c.PartyVolunteers, "SELECT COUNT(DISTINCT m.person_id) FROM team_members m JOIN teams t ON t.id = m.team_id JOIN orgs o ON o.id = t.org_id WHERE m.left_on = '' AND t.kind = 'party' AND " + cond},
		{&c.YouthVolunteers, "SELECT COUNT(DISTINCT m.person_id) FROM team_members m JOIN teams t ON t.id = m.team_id JOIN orgs o ON o.id = t.org_id WHERE m.left_on = '' AND t.kind = 'youth' AND " + cond},
		{&c.Sites, "SELECT COUNT(*) FROM sites x JOIN orgs o ON o.id = x.org_id WHERE " + cond},
	}
	for _, st := range steps {
		if err := q(st.dst, st.query); err != nil {
			return c, fmt.Errorf("count registry: %w", err)
		}
	}
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM regions").Scan(&c.Regions)
	return c, err
}

// ListRegions returns every region in tree order.
func (s *Store) ListRegions(ctx context.Context) ([]domain.Region, error) {
	rows, err := s.query(ctx, `SELECT id, COALESCE(parent_id, 0), level, name, lat, lng, path FROM regions ORDER BY path`)
	if err != nil {
		return nil, fmt.Errorf("list regions: %w", err)
	}
	defer rows.Close()
	var out []domain.Region
	for rows.Next() {
		var r domain.Region
		var level string
		if err := rows.Scan(&r.ID, &r.ParentID, &level, &r.Name, &r.Lat, &r.Lng, &r.Path); err != nil {
			return nil, err
		}
		r.Level = domain.RegionLevel(level)
		out = append(out, r)
	}
	return out, rows.Err()
}

// CreateRegion inserts a region under parent (0 for a top-level banner) and
// audits it.
func (tx *Tx) CreateRegion(r domain.Region) (int64, error) {
	parentPath := "/"
	var parent any
	if r.ParentID != 0 {
		parent = r.ParentID
		if err := tx.queryRow("SELECT path FROM regions WHERE id = ?", r.ParentID).Scan(&parentPath); err != nil {
			return 0, notFound(err, "err.region.not_found")
		}
	}
	id, err := tx.insert("INSERT INTO regions (parent_id, level, name, lat, lng, path, created_at) VALUES (?, ?, ?, ?, ?, '', ?)",
		parent, string(r.Level), r.Name, r.Lat, r.Lng, micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("create region: %w", err)
	}
	if _, err := tx.exec("UPDATE regions SET path = ? WHERE id = ?", parentPath+strconv.FormatInt(id, 10)+"/", id); err != nil {
		return 0, err
	}
	return id, tx.Audit("region.create", "region", strconv.FormatInt(id, 10), nil,
		map[string]any{"name": r.Name, "level": r.Level, "parent_id": r.ParentID})
}

const siteColumns = `x.id, x.kind, x.name, COALESCE(x.region_id, 0), COALESCE(r.name, ''), x.org_id, o.path,
	x.address`

// SiteFilter selects sites.
type SiteFilter struct {
	Scope    domain.Scope
	RegionID int64
	Kind     domain.SiteKind
}

// ListSites returns sites matching f, by name.
func (s *Store) ListSites(ctx context.Context, f SiteFilter) ([]domain.Site, error) {
	cond, args := inScope("o.path", "", f.Scope)
	if f.RegionID != 0 {
		cond += " AND (x.region_id = ? OR r.parent_id = ? OR r.path LIKE ?)"
		args = append(args, f.RegionID, f.RegionID, "%/"+strconv.FormatInt(f.RegionID, 10)+"/%")
	}
	if f.Kind != "" {
		cond += " AND x.kind = ?"
		args = append(args, string(f.Kind))
	}
	rows, err := s.query(ctx, `SELECT `+siteColumns+` FROM sites x JOIN orgs o ON o.id = x.org_id
		LEFT JOIN regions r ON r.id = x.region_id WHERE `+cond+` ORDER BY x.name`, args...)
	if err != nil {
		return nil, fmt.Errorf("list sites: %w", err)
	}
	defer rows.Close()
	var out []domain.Site
	for rows.Next() {
		x, err := scanSite(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.loadSiteContacts(ctx, out)
}

// loadSiteContacts fills each site's contacts: the accounts granted
// site_contact on it.
func (s *Store) loadSiteContacts(ctx context.Context, sites []domain.Site) error {
	if len(sites) == 0 {
		return nil
	}
	idx := map[int64]*domain.Site{}
	for i := range sites {
		idx[sites[i].ID] = &sites[i]
	}
	rows, err := s.query(ctx, `SELECT g.scope_id, u.display_name FROM grants g JOIN users u ON u.id = g.user_id
		WHERE g.role = 'site_contact' AND u.disabled = ? ORDER BY u.display_name`, false)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		if x := idx[id]; x != nil {
			x.Contacts = append(x.Contacts, name)
		}
	}
	return rows.Err()
}

func scanSite(row interface{ Scan(...any) error }) (domain.Site, error) {
	var x domain.Site
	var kind string
	err := row.Scan(&x.ID, &kind, &x.Name, &x.RegionID, &x.RegionName, &x.OrgID, &x.OrgPath, &x.Address)
	x.Kind = domain.SiteKind(kind)
	return x, err
}

// SiteByID finds a site.
func (s *Store) SiteByID(ctx context.Context, id int64) (domain.Site, error) {
	x, err := scanSite(s.queryRow(ctx, `SELECT `+siteColumns+` FROM sites x JOIN orgs o ON o.id = x.org_id
		LEFT JOIN regions r ON r.id = x.region_id WHERE x.id = ?`, id))
	return x, notFound(err, "err.site.not_found")
}

// CreateSite inserts a site and audits it.
func (tx *Tx) CreateSite(x domain.Site) (int64, error) {
	var region any
	if x.RegionID != 0 {
		region = x.RegionID
	}
	id, err := tx.insert("INSERT INTO sites (org_id, kind, name, region_id, address, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		x.OrgID, string(x.Kind), x.Name, region, x.Address, micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("create site: %w", err)
	}
	return id, tx.Audit("site.create", "site", strconv.FormatInt(id, 10), nil,
		map[string]any{"org_id": x.OrgID, "kind": x.Kind, "name": x.Name, "region_id": x.RegionID})
}

// ListCategories returns the categories in their order; retired ones only
// when asked.
func (s *Store) ListCategories(ctx context.Context, withRetired bool) ([]domain.Category, error) {
	q := "SELECT id, code, name_zh, name_en, retired, sort FROM categories"
	var args []any
	if !withRetired {
		q += " WHERE retired = ?"
		args = append(args, false)
	}
	rows, err := s.query(ctx, q+" ORDER BY sort, id", args...)
	if err != nil {
		return nil, fmt.Errorf("list categories: %w", err)
	}
	defer rows.Close()
	var out []domain.Category
	for rows.Next() {
		var c domain.Category
		if err := rows.Scan(&c.ID, &c.Code, &c.NameZH, &c.NameEN, &c.Retired, &c.Sort); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RootOrgID returns the committee, the root of the org tree.
func (s *Store) RootOrgID(ctx context.Context) (int64, error) {
	var id int64
	err := s.queryRow(ctx, "SELECT id FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1").Scan(&id)
	return id, notFound(err, "err.org.not_found")
}

// ScopeExists checks that a grant's scope names an existing org, team or site.
func (tx *Tx) ScopeExists(kind domain.ScopeKind, id int64) error {
	table := map[domain.ScopeKind]string{domain.ScopeOrg: "orgs", domain.ScopeTeam: "teams", domain.ScopeSite: "sites"}[kind]
	if table == "" {
		return nil
	}
	var n int
	if err := tx.queryRow("SELECT COUNT(*) FROM "+table+" WHERE id = ?", id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return domain.Invalid("scope_id", "err.scope.not_found")
	}
	return nil
}
