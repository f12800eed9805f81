package views

import (
	"context"
	"math"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/i18n"
)

// Lookups are the names a registry page needs for ids: categories, regions.
type Lookups struct {
	Categories []domain.Category
	Regions    []domain.Region
}

func (l Lookups) categoryName(ctx context.Context, id int64) string {
	for _, c := range l.Categories {
		if c.ID == id {
			return c.Name(string(i18n.From(ctx)))
		}
	}
	return "#" + strconv.FormatInt(id, 10)
}

func (l Lookups) categoryNames(ctx context.Context, ids []int64) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = l.categoryName(ctx, id)
	}
	return strings.Join(names, "、")
}

func catName(ctx context.Context, c domain.Category) string { return c.Name(string(i18n.From(ctx))) }

// pickCategories returns the categories a picker offers: the active ones,
// and a retired one only when the record already has it, so that editing an
// old record neither hides nor drops its category. Lookups hold retired
// categories too, for showing existing records.
func (l Lookups) pickCategories(chosen []int64) []domain.Category {
	var out []domain.Category
	for _, c := range l.Categories {
		if !c.Retired || contains(chosen, c.ID) {
			out = append(out, c)
		}
	}
	return out
}

// regionLabel indents a region by its level for a select list.
func regionLabel(r domain.Region) string {
	switch r.Level {
	case domain.RegionTown:
		return "　" + r.Name
	case domain.RegionVillage:
		return "　　" + r.Name
	}
	return r.Name
}

// orgLabel indents an org by its depth for a select list or tree.
func orgLabel(o domain.Org) string { return strings.Repeat("　", max(o.Depth, 0)) + o.Name }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func num(n int) string { return strconv.Itoa(n) }

// personDays writes person-days (a team's load and capacity, a slot's
// need) with at most two decimals. Hours are domain.Minutes and print with
// their Hours method.
func personDays(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

func enumKey(kind, v string) string { return "enum." + kind + "." + v }

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func hasStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// joinList shows a list of words with the Chinese enumeration comma.
func joinList(list []string) string { return strings.Join(list, "、") }

// availability shows the slots of a set, translated.
func availability(ctx context.Context, a domain.Availability) string {
	var parts []string
	for _, s := range domain.Slots {
		if a.Has(s.Slot) {
			parts = append(parts, T(ctx, enumKey("slot", s.Key)))
		}
	}
	return strings.Join(parts, "、")
}

// Pager is a list's page position.
type Pager struct {
	Page, Pages, Total int
	PrevURL, NextURL   string
}

func coord(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }

// OrgGroup is one branch of the org tree as the tree page folds it: a
// top-level org and everything under it.
type OrgGroup struct {
	Head    domain.Org
	Members []domain.Org // the descendants, in tree order
	People  int          // in the whole branch
	Teams   int          // in the whole branch
}

// foldOrgs splits the orgs the viewer sees into the roots (the shallowest
// orgs: the committee, or an org admin's own unit) and one group per child
// of a root, so that a tree of hundreds of orgs opens one unit at a time.
func foldOrgs(orgs []domain.Org) (roots []domain.Org, groups []OrgGroup) {
	if len(orgs) == 0 {
		return nil, nil
	}
	top := orgs[0].Depth
	for _, o := range orgs {
		top = min(top, o.Depth)
	}
	for _, o := range orgs {
		switch {
		case o.Depth == top:
			roots = append(roots, o)
		case o.Depth == top+1:
			groups = append(groups, OrgGroup{Head: o, People: o.People, Teams: o.Teams})
		case len(groups) > 0 && strings.HasPrefix(o.Path, groups[len(groups)-1].Head.Path):
			g := &groups[len(groups)-1]
			g.Members = append(g.Members, o)
			g.People += o.People
			g.Teams += o.Teams
		}
	}
	return roots, groups
}

// relLabel indents an org by its depth below a group's head.
func relLabel(o domain.Org, head domain.Org) string {
	return strings.Repeat("　", max(o.Depth-head.Depth-1, 0)) + o.Name
}

// orderTitle names an order by its items, or by the need it describes.
func orderTitle(ctx context.Context, o domain.Order) string {
	if len(o.Items) == 0 {
		r := []rune(o.Need)
		if len(r) > 24 {
			return string(r[:24]) + "…"
		}
		return string(r)
	}
	names := make([]string, len(o.Items))
	for i, it := range o.Items {
		names[i] = it.Title
	}
	return strings.Join(names, "、")
}
