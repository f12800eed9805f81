package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/store"
)

// peopleFilterFromQuery reads the people list's filters from the query
// string: q, skill, category, region, status, team, talent and page. The
// people list and the people export share it, so an export holds exactly
// what the list shows. The viewer's scope is added by the service.
func peopleFilterFromQuery(r *http.Request) store.PeopleFilter {
	return peopleFilterFrom(r.URL.Query())
}

// peopleFilterFrom reads a people filter from query values.
func peopleFilterFrom(q url.Values) store.PeopleFilter {
	id := func(k string) int64 {
		v, _ := strconv.ParseInt(q.Get(k), 10, 64)
		return max(v, 0)
	}
	f := store.PeopleFilter{
		Query:      trimTo(q.Get("q"), 40),
		Skill:      trimTo(q.Get("skill"), 30),
		CategoryID: id("category"),
		RegionID:   id("region"),
		Status:     domain.PoliticalStatus(trimTo(q.Get("status"), 20)),
		TeamID:     id("team"),
		Talent:     trimTo(q.Get("talent"), 20),
		OrgID:      id("org"),
		Held:       q.Get("held") == "1",
	}
	if p := id("page"); p > 1 {
		f.Offset = int(p-1) * peoplePageSize
	}
	f.Limit = peoplePageSize
	return f
}

const peoplePageSize = 50

// peopleQuery writes a filter back as a query string, for pagination and
// export links.
func peopleQuery(f store.PeopleFilter) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	num := func(k string, n int64) {
		if n != 0 {
			v.Set(k, strconv.FormatInt(n, 10))
		}
	}
	set("q", f.Query)
	set("skill", f.Skill)
	num("category", f.CategoryID)
	num("region", f.RegionID)
	set("status", string(f.Status))
	num("team", f.TeamID)
	set("talent", f.Talent)
	num("org", f.OrgID)
	if f.Held {
		v.Set("held", "1")
	}
	return v
}

func trimTo(s string, n int) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
