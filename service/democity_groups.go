package service

import (
	"math/rand/v2"
	"slices"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// The demo year's group services (组团式服务), as the seed reports them:
// "16 个单位组织党员志愿者 300 余人次……开展组团式服务 10 次，受益人数近 2000 人".
// Of the served orders whose items went to two teams, ten of the current
// year, whose teams come from sixteen units, stay group services; every
// other served order is served by one team: one that offers all its
// categories when there is such a team, else the order keeps the items of
// its first team only. Each group service then sends a large crew (about
// thirty people) and its beneficiaries add up to demoGroupBenefit.
const (
	demoGroupServices = 10
	demoGroupUnits    = 16
	demoGroupBenefit  = 1960
)

// demoGroupOrders keeps the year's group services and serves the other
// served orders by one team each.
func demoGroupOrders(c *demoCity, orders []store.PastOrder, menu []*demoMenuItem, now time.Time) {
	team := map[int64]*demoTeam{}
	for _, t := range c.teams {
		team[t.id] = t
	}
	catOf := map[int64]int64{}
	for _, m := range menu {
		catOf[m.id] = m.item.CategoryID
	}
	year := now.In(domain.ChinaZone).Year()
	seen := map[*demoUnit]bool{}
	kept := 0
	for i := range orders {
		o := &orders[i]
		if o.State != domain.OrderServed && o.State != domain.OrderEvaluated {
			continue
		}
		teams := confirmedTeams(o)
		if len(teams) < 2 {
			continue
		}
		var fresh []*demoUnit
		for _, id := range teams {
			if u := team[id].unit; !seen[u] && !slices.Contains(fresh, u) {
				fresh = append(fresh, u)
			}
		}
		units := len(seen) + len(fresh)
		left := demoGroupServices - kept - 1 // group services still to keep after this one
		if servedYear(o) == year && kept < demoGroupServices && units <= demoGroupUnits &&
			demoGroupUnits-units <= 2*left && (left > 0 || units == demoGroupUnits) {
			kept++
			for _, u := range fresh {
				seen[u] = true
			}
			continue
		}
		oneTeam(o, c, team, catOf)
	}
}

// confirmedTeams are the distinct teams of an order's confirmed slots.
func confirmedTeams(o *store.PastOrder) []int64 {
	var out []int64
	for _, d := range o.Dispatches {
		if d.State == domain.DispatchConfirmed && !slices.Contains(out, d.TeamID) {
			out = append(out, d.TeamID)
		}
	}
	return out
}

// servedYear is the China year an order was served in (0 if it was not).
func servedYear(o *store.PastOrder) int {
	for _, st := range o.Steps {
		if st.Event == domain.EventServe {
			return st.At.In(domain.ChinaZone).Year()
		}
	}
	return 0
}

// oneTeam gives all of a served order's confirmed slots to one team that
// offers every category among them and did not decline the order, or,
// without such a team, drops the items and slots of all but the first
// confirmed team.
func oneTeam(o *store.PastOrder, c *demoCity, team map[int64]*demoTeam, catOf map[int64]int64) {
	var cats, declined []int64
	for _, d := range o.Dispatches {
		switch d.State {
		case domain.DispatchConfirmed:
			cats = append(cats, d.CategoryID)
		case domain.DispatchDeclined:
			declined = append(declined, d.TeamID)
		}
	}
	covers := func(t *demoTeam) bool {
		for _, cat := range cats {
			if !slices.Contains(t.categories, cat) {
				return false
			}
		}
		return !slices.Contains(declined, t.id)
	}
	var pick *demoTeam
	for _, id := range confirmedTeams(o) {
		if covers(team[id]) {
			pick = team[id]
			break
		}
	}
	for _, t := range c.teams {
		if pick == nil && covers(t) {
			pick = t
		}
	}
	if pick != nil {
		for i := range o.Dispatches {
			if o.Dispatches[i].State == domain.DispatchConfirmed {
				o.Dispatches[i].TeamID = pick.id
			}
		}
		return
	}
	first := confirmedTeams(o)[0]
	var dropped []int64
	o.Dispatches = slices.DeleteFunc(o.Dispatches, func(d store.PastDispatch) bool {
		if d.State == domain.DispatchConfirmed && d.TeamID != first {
			dropped = append(dropped, d.CategoryID)
			return true
		}
		return false
	})
	o.ItemIDs = slices.DeleteFunc(o.ItemIDs, func(id int64) bool { return slices.Contains(dropped, catOf[id]) })
}

// spread divides total into n shares near the weights lo..hi drawn from r,
// adding up to total exactly.
func spread(r *rand.Rand, total int64, n int, lo, hi int) []int64 {
	if n == 0 {
		return nil
	}
	w := make([]int64, n)
	var sum int64
	for i := range w {
		w[i] = int64(lo + r.IntN(hi-lo+1))
		sum += w[i]
	}
	out := make([]int64, n)
	var given int64
	for i := range out[:n-1] {
		out[i] = total * w[i] / sum
		given += out[i]
	}
	out[n-1] = total - given
	return out
}
