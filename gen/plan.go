package gen

import (
	"fmt"

	"vanguard/domain"
)

// The plan of the year: orders with their steps and dispatches, campaign
// batches, and activities with their day, teams and size. Who took part in
// each activity is not planned here but drawn when its rows are streamed.

type order struct {
	state      domain.OrderState
	channel    domain.Channel
	site       int32 // site id
	day        int   // created on
	created    int64 // micros
	dateFrom   int
	dateTo     int
	items      []int32 // menu item ids, one per category, distinct teams
	steps      []step
	dispatches []dispatch
	act        int32 // the activity that served it (id), 0 for none
	benef      int
	code, eval string
}

type step struct {
	event  domain.OrderEvent
	reason string
	at     int64
}

type dispatch struct {
	cat            int64
	team           int32
	state          domain.DispatchState
	reason         string
	sent, answered int64
}

type batch struct {
	campaign int32
	number   int
	from, to int // days
}

type act struct {
	mode     domain.ActivityMode
	state    domain.ActivityState
	day      int16
	start    int16 // minute of the day
	length   int16 // minutes
	org      int32
	teams    []int32 // team ids, the leading team first
	order    int32
	site     int32
	region   int32
	cats     []int64
	batch    int32
	size     int16 // participants wanted
	capacity int16
}

// busy marks the days each team serves, so that nobody serves two
// activities on one day.
type busy [][]bool

func (b busy) free(teams []int32, d int) bool {
	for _, t := range teams {
		if b[t-1][d] {
			return false
		}
	}
	return true
}

func (b busy) take(teams []int32, d int) {
	for _, t := range teams {
		b[t-1][d] = true
	}
}

// pickDay finds a day in [lo, hi] free for every team, trying at random
// and then in turn; when none is free it returns a random one.
func (w *world) pickDay(teams []int32, lo, hi int) int {
	if hi < lo {
		hi = lo
	}
	for range 40 {
		d := lo + w.r.IntN(hi-lo+1)
		if w.busy.free(teams, d) {
			return d
		}
	}
	start := lo + w.r.IntN(hi-lo+1)
	for i := range hi - lo + 1 {
		d := lo + (start-lo+i)%(hi-lo+1)
		if w.busy.free(teams, d) {
			return d
		}
	}
	return start
}

var (
	rejectReasons  = []string{"服务时间与现有安排冲突，请调整时间后重新点单", "所点项目不在本区域服务范围内", "需求已由属地单位解决"}
	declineReasons = []string{"队伍骨干外出培训，人手不足", "当日已有其他服务安排", "所需专业人员暂缺"}
	channels       = []domain.Channel{domain.ChannelOnline, domain.ChannelOnline, domain.ChannelOnline, domain.ChannelHotline,
		domain.ChannelSuggestionBox, domain.ChannelForum, domain.ChannelVisit}
)

const hourMicros = int64(3600_000_000)

// genOrders plans the orders and the activities that served them.
func (w *world) genOrders() {
	r := w.r
	last := w.nowDay - 1 // the last day a served order's activity may be on
	for range w.sc.Orders {
		o := order{channel: channels[r.IntN(len(channels))], site: int32(1 + r.IntN(len(w.sites))),
			benef: 20 + r.IntN(180), code: w.hex(), act: 0}
		p := r.IntN(1000)
		switch {
		case p < 100:
			o.state = domain.OrderRejected
		case p < 150:
			o.state = domain.OrderCancelled
		case p < 160:
			o.state = domain.OrderSubmitted
		case p < 170:
			o.state = domain.OrderAccepted
		case p < 180:
			o.state = domain.OrderDispatched
		case p < 200:
			o.state = domain.OrderConfirmed
		case p < 300:
			o.state = domain.OrderServed
		default:
			o.state = domain.OrderEvaluated
		}
		served := o.state == domain.OrderServed || o.state == domain.OrderEvaluated
		if served && last < 40 {
			o.state, served = domain.OrderConfirmed, false
		}
		// Orders still open were placed in the last weeks.
		switch {
		case served:
			o.day = r.IntN(max(1, last-35))
		case o.state == domain.OrderSubmitted || o.state == domain.OrderAccepted || o.state == domain.OrderDispatched ||
			o.state == domain.OrderConfirmed:
			o.day = max(0, last-20+r.IntN(20))
		default:
			o.day = r.IntN(max(1, last))
		}
		o.created = w.at(o.day, 8*60+r.IntN(10*60)).UnixMicro()
		w.orderItems(&o)
		w.orderSteps(&o, served)
		w.orders = append(w.orders, o)
	}
}

// orderItems picks one to three categories with an item each from
// different teams: two or more teams make a group service.
func (w *world) orderItems(o *order) {
	r := w.r
	k := 1 + r.IntN(3)
	used := map[int32]bool{}
	cats := map[int64]bool{}
	for range 20 {
		if len(o.items) == k {
			break
		}
		c := w.cats[r.IntN(len(w.cats))].ID
		list := w.itemsByCat[c]
		if len(list) == 0 || cats[c] {
			continue
		}
		it := list[r.IntN(len(list))]
		if used[w.items[it-1].team] {
			continue
		}
		used[w.items[it-1].team] = true
		cats[c] = true
		o.items = append(o.items, it)
	}
}

// orderSteps writes the order's history along the lifecycle and, for a
// served order, plans its activity.
func (w *world) orderSteps(o *order, served bool) {
	r := w.r
	t := o.created
	next := func(lo, hi int64) int64 {
		t += lo + r.Int64N(hi-lo+1)
		return t
	}
	add := func(e domain.OrderEvent, reason string, at int64) { o.steps = append(o.steps, step{e, reason, at}) }
	o.dateFrom = min(w.days-1, o.day+3+r.IntN(7))
	o.dateTo = min(w.days-1, o.dateFrom+7+r.IntN(30))
	switch o.state {
	case domain.OrderRejected:
		add(domain.EventReject, rejectReasons[r.IntN(len(rejectReasons))], next(hourMicros, 48*hourMicros))
		return
	case domain.OrderCancelled:
		if r.IntN(2) == 0 {
			add(domain.EventAccept, "", next(hourMicros, 48*hourMicros))
		}
		add(domain.EventCancel, "", next(hourMicros, 72*hourMicros))
		return
	case domain.OrderSubmitted:
		return
	}
	add(domain.EventAccept, "", next(hourMicros, 48*hourMicros))
	if o.state == domain.OrderAccepted {
		return
	}
	sent := next(hourMicros, 24*hourMicros)
	add(domain.EventDispatch, "", sent)
	declined := o.state != domain.OrderDispatched && r.IntN(100) < 8
	if declined {
		it := w.items[o.items[0]-1]
		other := w.itemsByCat[it.cat][r.IntN(len(w.itemsByCat[it.cat]))]
		if w.items[other-1].team != it.team {
			reason := declineReasons[r.IntN(len(declineReasons))]
			at := next(2*hourMicros, 24*hourMicros)
			o.dispatches = append(o.dispatches, dispatch{cat: it.cat, team: w.items[other-1].team,
				state: domain.DispatchDeclined, reason: reason, sent: sent, answered: at})
			add(domain.EventDecline, reason, at)
			sent = next(hourMicros, 12*hourMicros)
			add(domain.EventDispatch, "", sent)
		}
	}
	if o.state == domain.OrderDispatched {
		for _, it := range o.items {
			o.dispatches = append(o.dispatches, dispatch{cat: w.items[it-1].cat, team: w.items[it-1].team,
				state: domain.DispatchPending, sent: sent})
		}
		return
	}
	confirmed := next(hourMicros, 36*hourMicros)
	for i, it := range o.items {
		ans := confirmed
		if i < len(o.items)-1 {
			ans = sent + r.Int64N(confirmed-sent+1)
		}
		o.dispatches = append(o.dispatches, dispatch{cat: w.items[it-1].cat, team: w.items[it-1].team,
			state: domain.DispatchConfirmed, sent: sent, answered: ans})
	}
	add(domain.EventConfirm, "", confirmed)
	if !served {
		return
	}
	// The activity: on a day after the confirmation, free for the group.
	var teams []int32
	var cats []int64
	for _, it := range o.items {
		teams = append(teams, w.items[it-1].team)
		cats = append(cats, w.items[it-1].cat)
	}
	first := w.dayOf(confirmed) + 2
	d := w.pickDay(teams, first, min(w.nowDay-1, first+25))
	w.busy.take(teams, d)
	o.dateFrom = max(w.dayOf(o.created), d-r.IntN(4))
	o.dateTo = min(w.days-1, d+r.IntN(10))
	a := w.newAct(domain.ModeCommittee, domain.ActivityCompleted, d, teams, cats)
	a.org = 1
	a.order = int32(len(w.orders) + 1)
	a.site = o.site
	a.region = w.sites[o.site-1].region
	w.acts = append(w.acts, a)
	o.act = int32(len(w.acts))
	end := w.at(int(a.day), int(a.start+a.length)).UnixMicro()
	add(domain.EventServe, "", end)
	o.eval = w.hex()
	if o.state == domain.OrderEvaluated {
		// Rated a day or a few after, and never after the load.
		add(domain.EventEvaluate, "", max(end+60_000_000, min(end+24*hourMicros+r.Int64N(5*24*hourMicros), w.loaded-60_000_000)))
	}
}

func (w *world) dayOf(micros int64) int {
	return int((micros - w.at(0, 0).UnixMicro()) / (24 * hourMicros))
}

// newAct plans an activity of teams on day d.
func (w *world) newAct(mode domain.ActivityMode, state domain.ActivityState, d int, teams []int32, cats []int64) act {
	r := w.r
	size := max(1, int(w.perActivity*(0.5+r.Float64())+0.5))
	return act{mode: mode, state: state, day: int16(d), start: int16(8*60 + 30*r.IntN(14)), length: int16(60 + 30*r.IntN(7)),
		org: w.teams[teams[0]-1].org, teams: teams, cats: cats, size: int16(size), capacity: int16(size + r.IntN(size/4+2)),
		region: w.units[w.teams[teams[0]-1].unit].home}
}

// genCampaigns makes the key-task campaigns, six batches each between
// March and October.
func (w *world) genCampaigns() {
	for c := range w.sc.Campaigns {
		for b := range 6 {
			from := 59 + b*40 + c%7
			w.batches = append(w.batches, batch{campaign: int32(c + 1), number: b + 1, from: from, to: from + 30})
		}
	}
}

// genActivities plans the activities that served no order: a tenth led by
// the committee (half of them in a campaign batch), some open to every
// volunteer, most run by a unit's team on its own; a few cancelled, and
// those after today still scheduled.
func (w *world) genActivities() {
	r := w.r
	for len(w.acts) < w.sc.Activities {
		t := int32(1 + r.IntN(len(w.teams)))
		teams := []int32{t}
		mode := domain.ModeUnit
		switch p := r.IntN(100); {
		case p < 10:
			mode = domain.ModeCommittee
		case p < 25:
			mode = domain.ModeOpen
		}
		lo, hi := 0, w.days-1
		var bt int32
		if mode == domain.ModeCommittee && len(w.batches) > 0 && r.IntN(2) == 0 {
			bt = int32(1 + r.IntN(len(w.batches)))
			lo, hi = w.batches[bt-1].from, min(w.days-1, w.batches[bt-1].to)
		}
		d := w.pickDay(teams, lo, hi)
		w.busy.take(teams, d)
		state := domain.ActivityCompleted
		switch {
		case d >= w.nowDay:
			state = domain.ActivityScheduled
		case r.IntN(100) < 3:
			state = domain.ActivityCancelled
		}
		tc := w.teams[t-1].cats
		a := w.newAct(mode, state, d, teams, []int64{tc[r.IntN(len(tc))]})
		a.batch = bt
		if mode == domain.ModeCommittee {
			a.org = 1
		}
		if r.IntN(3) == 0 {
			a.site = int32(1 + r.IntN(len(w.sites)))
			a.region = w.sites[a.site-1].region
		}
		w.acts = append(w.acts, a)
	}
}

func (w *world) hex() string {
	return fmt.Sprintf("%016x%016x", w.r.Uint64(), w.r.Uint64())
}
