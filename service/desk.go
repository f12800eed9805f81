package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"

	"vanguard/domain"
	"vanguard/match"
	"vanguard/store"
)

// The dispatch desk: the committee's pool of accepted orders, the proposed
// group for each with its explanation, dispatch as proposed or with
// recorded overrides, and a batch plan of the whole pool committed in one
// transaction. The match package does the optimising; this file translates
// between the registry and its plain values: teams and orders by id, and
// categories by their codes.

// desk is the data one planning round needs, read in one go.
type desk struct {
	teams    []store.TeamSupply
	teamByID map[string]store.TeamSupply
	catCode  map[int64]string
	catID    map[string]int64
	matchers []match.Team
}

func (s *Service) loadDesk(ctx context.Context) (*desk, error) {
	cats, err := s.store.ListCategories(ctx, true)
	if err != nil {
		return nil, err
	}
	d := &desk{teamByID: map[string]store.TeamSupply{}, catCode: map[int64]string{}, catID: map[string]int64{}}
	for _, c := range cats {
		d.catCode[c.ID], d.catID[c.Code] = c.Code, c.ID
	}
	if d.teams, err = s.store.TeamsForDispatch(ctx); err != nil {
		return nil, err
	}
	for _, t := range d.teams {
		id := strconv.FormatInt(t.Team.ID, 10)
		d.teamByID[id] = t
		w := map[string]float64{}
		for cat, v := range t.Willingness {
			w[d.catCode[cat]] = v
		}
		capacity := float64(t.Members) * store.DispatchCapacityPerMember
		d.matchers = append(d.matchers, match.Team{ID: id, Lat: t.Lat, Lng: t.Lng,
			Capacity: max(capacity, t.Load), Load: t.Load, Willingness: w})
	}
	return d, nil
}

// exclude withdraws categories from teams in the matcher's view: (team,
// category) pairs that must not be proposed. A team left offering nothing
// (it declined its only category) leaves the view.
func (d *desk) exclude(pairs map[[2]int64]bool) {
	if len(pairs) == 0 {
		return
	}
	kept := d.matchers[:0]
	for _, t := range d.matchers {
		id, _ := strconv.ParseInt(t.ID, 10, 64)
		w := map[string]float64{}
		for code, v := range t.Willingness {
			if !pairs[[2]int64{id, d.catID[code]}] {
				w[code] = v
			}
		}
		if len(w) > 0 {
			t.Willingness = w
			kept = append(kept, t)
		}
	}
	d.matchers = kept
}

func (d *desk) order(p store.PoolOrder) match.Order {
	o := match.Order{ID: strconv.FormatInt(p.Order.ID, 10), Lat: p.Lat, Lng: p.Lng, Demand: map[string]float64{}}
	for _, sl := range p.Slots {
		o.Demand[d.catCode[sl.CategoryID]] += sl.PersonDays
	}
	return o
}

// DeskPool is the dispatch desk's first page: accepted orders waiting for
// (part of) a group, and dispatches waiting too long for an answer.
type DeskPool struct {
	Orders  []store.PoolOrder
	Overdue []domain.Dispatch
}

// DispatchPool lists the desk's work for the committee.
func (s *Service) DispatchPool(ctx context.Context, c domain.Caller) (DeskPool, error) {
	if err := domain.Authorize(c.Principal, domain.ActDispatch, domain.Target{}); err != nil {
		return DeskPool{}, err
	}
	pool, err := s.store.DispatchPool(ctx)
	if err != nil {
		return DeskPool{}, err
	}
	overdue, err := s.store.OverdueDispatches(ctx, s.store.Now().Add(-domain.DispatchOverdue).UnixMicro())
	return DeskPool{Orders: pool, Overdue: overdue}, err
}

// Proposal is the desk's proposal for one order: the group the matcher
// found, its alternatives, the teams that could take each category (for
// changing the group by hand), and team names for the page.
type Proposal struct {
	Order      store.PoolOrder
	Match      match.Proposal
	Candidates map[int64][]store.TeamSupply // category → teams offering it, nearest first
	TeamNames  map[string]string
	CategoryID map[string]int64
	Dispatches []domain.Dispatch
	Room       map[int64]float64 // team → person-days it can still take
}

// Others counts, for a part of the proposed group that has no runner-up,
// the other teams that offer all of its categories, and how many of those
// have room for it: none offering, all full, or (when some have room) they
// are farther than the nearest teams the matcher weighs. The page says
// which, since the team lists below the card still name every team that
// offers each category.
func (p Proposal) Others(part match.Part) (offering, withRoom int) {
	inGroup := map[int64]bool{}
	for _, x := range p.Match.Best.Parts {
		id, _ := strconv.ParseInt(x.Team, 10, 64)
		inGroup[id] = true
	}
	count := map[int64]int{}
	for _, f := range part.Categories {
		for _, t := range p.Candidates[p.CategoryID[f.Category]] {
			count[t.Team.ID]++
		}
	}
	for id, n := range count {
		if n < len(part.Categories) || inGroup[id] {
			continue
		}
		offering++
		if p.Room[id] >= part.PersonDays {
			withRoom++
		}
	}
	return offering, withRoom
}

// ProposeGroup proposes the cheapest group of teams for an accepted order's
// open slots, with up to three alternatives and explanations.
func (s *Service) ProposeGroup(ctx context.Context, c domain.Caller, orderID int64) (Proposal, error) {
	if err := domain.Authorize(c.Principal, domain.ActDispatch, domain.Target{}); err != nil {
		return Proposal{}, err
	}
	po, err := s.store.PoolOrderByID(ctx, orderID)
	if err != nil {
		return Proposal{}, err
	}
	pr := Proposal{Order: po, TeamNames: map[string]string{}, Candidates: map[int64][]store.TeamSupply{}}
	if pr.Dispatches, err = s.store.OrderDispatches(ctx, orderID); err != nil {
		return pr, err
	}
	d, err := s.loadDesk(ctx)
	if err != nil {
		return pr, err
	}
	pr.CategoryID = d.catID
	for id, t := range d.teamByID {
		pr.TeamNames[id] = t.Team.Name
	}
	pr.Room = map[int64]float64{}
	for _, t := range d.matchers {
		id, _ := strconv.ParseInt(t.ID, 10, 64)
		pr.Room[id] = t.Capacity - t.Load
	}
	// A team that declined a category of this order is not proposed for it
	// again.
	declined := map[[2]int64]bool{}
	for _, x := range pr.Dispatches {
		if x.State == domain.DispatchDeclined {
			declined[[2]int64{x.TeamID, x.CategoryID}] = true
		}
	}
	d.exclude(declined)
	for _, sl := range po.Slots {
		var list []store.TeamSupply
		for _, t := range d.teams {
			if _, ok := t.Willingness[sl.CategoryID]; ok && !declined[[2]int64{t.Team.ID, sl.CategoryID}] {
				list = append(list, t)
			}
		}
		sort.Slice(list, func(i, j int) bool {
			di := match.Distance(po.Lat, po.Lng, list[i].Lat, list[i].Lng)
			dj := match.Distance(po.Lat, po.Lng, list[j].Lat, list[j].Lng)
			if di != dj {
				return di < dj
			}
			return list[i].Team.ID < list[j].Team.ID
		})
		pr.Candidates[sl.CategoryID] = list
	}
	if len(po.Slots) == 0 || !dispatchable(po.Order.State) {
		return pr, nil
	}
	m, err := match.NewMatcher(d.matchers, match.MatchOptions{})
	if err != nil {
		return pr, fmt.Errorf("dispatch desk: %w", err)
	}
	pr.Match, err = m.Group(d.order(po), 3)
	if err != nil {
		return pr, fmt.Errorf("propose a group for order %d: %w", orderID, err)
	}
	return pr, nil
}

// DispatchOrder sends an accepted order's open slots to the teams chosen:
// choice maps each category to a team (0 leaves it in the pool). Where the
// choice differs from the proposal, reasons must say why; the override is
// recorded with who made it. The matcher checks that every team offers its
// category and has room.
func (s *Service) DispatchOrder(ctx context.Context, c domain.Caller, orderID int64, choice map[int64]int64, reasons map[int64]string) error {
	pr, err := s.ProposeGroup(ctx, c, orderID)
	if err != nil {
		return err
	}
	if !dispatchable(pr.Order.Order.State) {
		return domain.Errorf(domain.CodeConflict, "err.order.transition", "enum.order_event.dispatch",
			"enum.order_state."+string(pr.Order.Order.State))
	}
	proposed := map[int64]int64{}
	for _, part := range pr.Match.Best.Parts {
		team, _ := strconv.ParseInt(part.Team, 10, 64)
		for _, f := range part.Categories {
			proposed[pr.CategoryID[f.Category]] = team
		}
	}
	d, err := s.loadDesk(ctx)
	if err != nil {
		return err
	}
	var v domain.Validation
	var slots []store.NewDispatch
	byCode := map[string]string{}
	for _, sl := range pr.Order.Slots {
		team := choice[sl.CategoryID]
		if team == 0 {
			continue
		}
		field := "team_" + strconv.FormatInt(sl.CategoryID, 10)
		nd := store.NewDispatch{CategoryID: sl.CategoryID, TeamID: team, PersonDays: sl.PersonDays}
		if p := proposed[sl.CategoryID]; p != team {
			nd.ProposedTeamID = p
			nd.OverrideReason = v.Text("reason_"+strconv.FormatInt(sl.CategoryID, 10), reasons[sl.CategoryID], 300)
			v.Check(nd.OverrideReason != "", "reason_"+strconv.FormatInt(sl.CategoryID, 10), "err.dispatch.override_reason")
			v.Check(len([]rune(nd.OverrideReason)) <= 300, "reason_"+strconv.FormatInt(sl.CategoryID, 10), "err.too_long", 300)
		}
		if _, ok := d.teamByID[strconv.FormatInt(team, 10)]; !ok {
			v.Add(field, "err.team.not_found")
		}
		byCode[d.catCode[sl.CategoryID]] = strconv.FormatInt(team, 10)
		slots = append(slots, nd)
	}
	if len(slots) == 0 {
		v.Add("choice", "err.dispatch.nothing_chosen")
	}
	if err := v.Err(); err != nil {
		return err
	}
	m, err := match.NewMatcher(d.matchers, match.MatchOptions{})
	if err != nil {
		return err
	}
	if _, err := m.Explain(d.order(pr.Order), byCode); err != nil {
		return unfit(d, err)
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		if err := tx.DispatchOrder(orderID, slots); err != nil {
			return err
		}
		return notifyDispatched(tx, orderID, slots)
	})
}

// unfit words the matcher's refusal of a hand-picked team for the clerk,
// on the field of the team's category: which team, and that it lacks room
// (with its load and limit in person-days) or does not offer the category.
// Anything else the matcher refuses is a fault in the registry's data, not
// the clerk's choice.
func unfit(d *desk, err error) error {
	var ue *match.UnfitError
	if !errors.As(err, &ue) {
		return fmt.Errorf("check the chosen group: %w", err)
	}
	team := d.teamByID[ue.Team]
	field := "team_" + strconv.FormatInt(d.catID[ue.Category], 10)
	if ue.Full {
		return domain.Invalid(field, "err.dispatch.team_full", team.Team.Name, personDays(ue.LoadAfter), personDays(ue.Capacity))
	}
	return domain.Invalid(field, "err.dispatch.not_offered", team.Team.Name)
}

// personDays shows person-days with at most two decimals.
func personDays(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// dispatchable reports whether slots of an order in state st may be sent:
// accepted orders, and dispatched ones with a part kept back.
func dispatchable(st domain.OrderState) bool {
	return st == domain.OrderAccepted || st == domain.OrderDispatched
}

// BatchPlan is a plan of the whole pool, previewed before it is committed.
// Fingerprint identifies the pool and loads it was made from: committing a
// plan whose pool has changed since is refused.
type BatchPlan struct {
	Result      *match.Result
	Pool        []store.PoolOrder
	TeamNames   map[string]string
	CategoryID  map[string]int64
	Fingerprint string
}

// PlanPool plans the whole pool at once.
func (s *Service) PlanPool(ctx context.Context, c domain.Caller) (BatchPlan, error) {
	if err := domain.Authorize(c.Principal, domain.ActDispatch, domain.Target{}); err != nil {
		return BatchPlan{}, err
	}
	pool, err := s.store.DispatchPool(ctx)
	if err != nil {
		return BatchPlan{}, err
	}
	d, err := s.loadDesk(ctx)
	if err != nil {
		return BatchPlan{}, err
	}
	in := match.Instance{Teams: d.matchers}
	for _, p := range pool {
		// An order a team has declined is left to its own page, where that
		// team is not proposed again; the batch planner sees one team list
		// for all orders.
		if declined, err := s.hasDeclined(ctx, p.Order.ID); err != nil {
			return BatchPlan{}, err
		} else if declined {
			continue
		}
		o := d.order(p)
		// A category no team offers can only stay in the pool; the batch
		// planner refuses it, so leave it out of the instance.
		for code := range o.Demand {
			if !offered(d.matchers, code) {
				delete(o.Demand, code)
			}
		}
		if len(o.Demand) > 0 {
			in.Orders = append(in.Orders, o)
		}
	}
	sum := sha256.New()
	json.NewEncoder(sum).Encode(in)
	bp := BatchPlan{Pool: pool, TeamNames: map[string]string{}, CategoryID: d.catID,
		Fingerprint: hex.EncodeToString(sum.Sum(nil))[:16]}
	for id, t := range d.teamByID {
		bp.TeamNames[id] = t.Team.Name
	}
	if len(in.Orders) == 0 {
		bp.Result = &match.Result{}
		return bp, nil
	}
	bp.Result, err = match.Plan(in, match.Options{})
	if err != nil {
		return bp, fmt.Errorf("plan the pool: %w", err)
	}
	return bp, nil
}

func offered(teams []match.Team, code string) bool {
	for _, t := range teams {
		if _, ok := t.Willingness[code]; ok {
			return true
		}
	}
	return false
}

// CommitPlan plans the pool again and, if it is the pool the committee
// previewed (same fingerprint), dispatches every planned order in one
// transaction. It returns how many orders were dispatched.
func (s *Service) CommitPlan(ctx context.Context, c domain.Caller, fingerprint string) (int, error) {
	bp, err := s.PlanPool(ctx, c)
	if err != nil {
		return 0, err
	}
	if bp.Fingerprint != fingerprint {
		return 0, domain.Errorf(domain.CodeConflict, "err.dispatch.pool_changed")
	}
	byOrder := map[int64][]store.NewDispatch{}
	days := map[[2]int64]float64{}
	for _, p := range bp.Pool {
		for _, sl := range p.Slots {
			days[[2]int64{p.Order.ID, sl.CategoryID}] = sl.PersonDays
		}
	}
	for _, a := range bp.Result.Assignments {
		oid, _ := strconv.ParseInt(a.Order, 10, 64)
		tid, _ := strconv.ParseInt(a.Team, 10, 64)
		cat := bp.CategoryID[a.Category]
		byOrder[oid] = append(byOrder[oid], store.NewDispatch{CategoryID: cat, TeamID: tid, PersonDays: days[[2]int64{oid, cat}]})
	}
	ids := make([]int64, 0, len(byOrder))
	for id := range byOrder {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		for _, id := range ids {
			if err := tx.DispatchOrder(id, byOrder[id]); err != nil {
				return fmt.Errorf("order %d: %w", id, err)
			}
			if err := notifyDispatched(tx, id, byOrder[id]); err != nil {
				return err
			}
		}
		return tx.Audit("dispatch.batch", "plan", bp.Fingerprint, nil, map[string]any{
			"orders": len(ids), "assignments": len(bp.Result.Assignments), "unassigned": len(bp.Result.Unassigned),
			"cost": bp.Result.Cost.Total, "lower_bound": bp.Result.LowerBound,
		})
	})
	return len(ids), err
}

func (s *Service) hasDeclined(ctx context.Context, orderID int64) (bool, error) {
	ds, err := s.store.OrderDispatches(ctx, orderID)
	for _, x := range ds {
		if x.State == domain.DispatchDeclined {
			return true, err
		}
	}
	return false, err
}
