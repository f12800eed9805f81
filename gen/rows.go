package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// Rows of each table, in the column order of the store's BulkTable, as
// streams of chunks.

const chunkRows = 2048

// chunks streams the rows rows(i, buf) appends for i in [0, n).
func chunks(n int, rows func(i int, buf [][]any) [][]any) store.RowChunks {
	i := 0
	buf := make([][]any, 0, chunkRows+256)
	return func() ([][]any, error) {
		buf = buf[:0]
		for i < n && len(buf) < chunkRows {
			buf = rows(i, buf)
			i++
		}
		return buf, nil
	}
}

func null(id int32) any {
	if id == 0 {
		return nil
	}
	return int64(id)
}

func (w *world) regionRows() store.RowChunks {
	return chunks(len(w.regions), func(i int, b [][]any) [][]any {
		x := w.regions[i]
		return append(b, []any{int64(i + 1), null(x.parent), string(x.level), x.name, x.lat, x.lng, x.path, w.loaded})
	})
}

func (w *world) orgRows() store.RowChunks {
	return chunks(len(w.orgs), func(i int, b [][]any) [][]any {
		x := w.orgs[i]
		return append(b, []any{int64(i + 1), null(x.parent), string(x.kind), x.name, x.path, w.loaded})
	})
}

func (w *world) siteRows() store.RowChunks {
	r := rand.New(rand.NewPCG(w.seed, 11))
	return chunks(len(w.sites), func(i int, b [][]any) [][]any {
		x := w.sites[i]
		return append(b, []any{int64(i + 1), int64(x.org), string(x.kind), x.name, int64(x.region),
			w.regions[x.region-1].name + fmt.Sprintf("%d号", 1+r.IntN(200)), personName(r), fmt.Sprintf("139%08d", r.IntN(1e8)),
			w.loaded})
	})
}

func (w *world) peopleRows() store.RowChunks {
	r := rand.New(rand.NewPCG(w.seed, 12))
	return chunks(w.sc.People, func(i int, b [][]any) [][]any {
		id := int32(i + 1)
		o, st := w.personOrg(id)
		g := domain.GenderMale
		if r.IntN(2) == 0 {
			g = domain.GenderFemale
		}
		// Phones are unique by construction: 13 followed by the id.
		return append(b, []any{int64(id), personName(r), string(g), fmt.Sprintf("13%09d", id), string(st), int64(o),
			int64(w.units[w.unitOf(id)].home), int64(r.IntN(8)), w.loaded, w.loaded})
	})
}

var trainingSubjects = []string{"志愿服务基础知识培训", "应急救护培训", "政策理论学习", "专业技能培训"}

func (w *world) trainingRows() store.RowChunks {
	r := rand.New(rand.NewPCG(w.seed, 13))
	id := int64(0)
	return chunks(len(w.teams), func(t int, b [][]any) [][]any {
		for _, m := range w.teams[t].roster {
			if m.leave != noLeave || r.IntN(10) != 0 {
				continue
			}
			id++
			b = append(b, []any{id, int64(m.person), w.date(r.IntN(w.nowDay)), trainingSubjects[r.IntN(len(trainingSubjects))],
				int64(60 * (2 + r.IntN(6))), w.loaded})
		}
		return b
	})
}

func (w *world) teamRows() store.RowChunks {
	return chunks(len(w.teams), func(i int, b [][]any) [][]any {
		t := w.teams[i]
		u := w.units[t.unit]
		return append(b, []any{int64(i + 1), int64(t.org), string(t.kind), t.name, t.founded,
			t.name + "由" + u.name + "组建，常年开展志愿服务。", "一、服从工委统一调度；二、接单后按时出队；三、如实记录服务时长。",
			int64(u.home), u.name + "办公楼", w.loaded})
	})
}

func (w *world) teamCategoryRows() store.RowChunks {
	return chunks(len(w.teams), func(i int, b [][]any) [][]any {
		for _, c := range w.teams[i].cats {
			b = append(b, []any{int64(i + 1), c})
		}
		return b
	})
}

func (w *world) memberRows() store.RowChunks {
	id := int64(0)
	return chunks(len(w.teams), func(t int, b [][]any) [][]any {
		for _, m := range w.teams[t].roster {
			id++
			role := domain.MemberRegular
			if m.leader {
				role = domain.MemberLeader
			}
			left := ""
			if m.leave != noLeave {
				left = w.date(int(m.leave))
			}
			b = append(b, []any{id, int64(t + 1), int64(m.person), string(role), w.date(int(m.join)), left, w.loaded})
		}
		return b
	})
}

var professional = map[string]bool{"medical": true, "livestock": true, "disease_prevention": true, "legal": true, "scitech": true}

func (w *world) menuRows() store.RowChunks {
	return chunks(len(w.items), func(i int, b [][]any) [][]any {
		it := w.items[i]
		kind, term := domain.MenuParticipatory, domain.TermShort
		if professional[w.catCode(it.cat)] {
			kind = domain.MenuProfessional
		}
		if i%3 == 0 {
			term = domain.TermLong
		}
		return append(b, []any{int64(i + 1), it.name, it.cat, "上门服务，时间地点可协商。", string(kind), string(term),
			int64(2 + i%9), true, w.loaded, w.loaded})
	})
}

func (w *world) catCode(id int64) string {
	for _, c := range w.cats {
		if c.ID == id {
			return c.Code
		}
	}
	return ""
}

func (w *world) menuTeamRows() store.RowChunks {
	return chunks(len(w.items), func(i int, b [][]any) [][]any {
		return append(b, []any{int64(i + 1), int64(w.items[i].team)})
	})
}

func (w *world) orderRows() store.RowChunks {
	r := rand.New(rand.NewPCG(w.seed, 14))
	return chunks(len(w.orders), func(i int, b [][]any) [][]any {
		o := w.orders[i]
		s := w.sites[o.site-1]
		var eval any
		if o.eval != "" {
			eval = o.eval
		}
		updated := o.created
		if len(o.steps) > 0 {
			updated = o.steps[len(o.steps)-1].at
		}
		var need []string
		for _, it := range o.items {
			need = append(need, w.catName(w.items[it-1].cat))
		}
		return append(b, []any{int64(i + 1), o.code, eval, string(o.channel), string(o.state), personName(r),
			fmt.Sprintf("15%09d", r.IntN(1e9)), int64(o.site), int64(s.region), s.name, w.date(o.dateFrom), w.date(o.dateTo),
			int64(o.benef), "需要" + strings.Join(need, "、") + "服务", o.created, updated})
	})
}

func (w *world) orderItemRows() store.RowChunks {
	return chunks(len(w.orders), func(i int, b [][]any) [][]any {
		for _, it := range w.orders[i].items {
			b = append(b, []any{int64(i + 1), int64(it)})
		}
		return b
	})
}

func (w *world) orderStepRows() store.RowChunks {
	id := int64(0)
	return chunks(len(w.orders), func(i int, b [][]any) [][]any {
		o := w.orders[i]
		id++
		b = append(b, []any{id, int64(i + 1), "", string(domain.OrderSubmitted), "", "", "", o.created})
		state := domain.OrderSubmitted
		for _, s := range o.steps {
			next, err := domain.NextOrderState(state, s.event)
			if err != nil {
				panic(fmt.Sprintf("gen: order %d: %v", i+1, err)) // a bug in orderSteps, caught by the tests
			}
			id++
			b = append(b, []any{id, int64(i + 1), string(state), string(next), string(s.event), s.reason, "省直机关工委", s.at})
			state = next
		}
		return b
	})
}

func (w *world) dispatchRows() store.RowChunks {
	id := int64(0)
	return chunks(len(w.orders), func(i int, b [][]any) [][]any {
		for _, d := range w.orders[i].dispatches {
			id++
			b = append(b, []any{id, int64(i + 1), d.cat, int64(d.team), 2.0, string(d.state), d.reason, d.sent, d.answered})
		}
		return b
	})
}

var (
	comments   = []string{"服务很及时，群众很满意", "专家讲解细致，收获很大", "希望以后多来", "队员认真负责", ""}
	complaints = []string{"服务时间比约定晚了两个小时", "来的人数比约定少", "服务内容与点单不符"}
)

func (w *world) evaluationRows() store.RowChunks {
	r := rand.New(rand.NewPCG(w.seed, 15))
	id := int64(0)
	return chunks(len(w.orders), func(i int, b [][]any) [][]any {
		o := w.orders[i]
		if o.state != domain.OrderEvaluated {
			return b
		}
		id++
		at := o.steps[len(o.steps)-1].at
		rating := []int64{5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 3, 3, 2, 1}[r.IntN(14)]
		complaint, text, answer, answered, answeredAt := false, "", "", "", int64(0)
		if r.IntN(100) < 3 {
			complaint, text, rating = true, complaints[r.IntN(len(complaints))], int64(r.IntN(3))
			if r.IntN(10) < 6 && at+72*hourMicros < w.loaded {
				answer, answered, answeredAt = "已核实并向服务队反馈，下次改进。", "工委管理员", at+24*hourMicros+r.Int64N(48*hourMicros)
			}
		}
		return append(b, []any{id, int64(i + 1), rating, comments[r.IntN(len(comments))], complaint, text, at, answer,
			answered, answeredAt})
	})
}

func (w *world) campaignRows() store.RowChunks {
	return chunks(w.sc.Campaigns, func(i int, b [][]any) [][]any {
		name := "十个全覆盖"
		if i > 0 {
			name = fmt.Sprintf("十个全覆盖（第%d片区）", i+1)
		}
		return append(b, []any{int64(i + 1), name, "重点任务，分六批次集中开展。", w.date(59), w.date(min(w.days-1, 59+6*40)),
			w.loaded, w.loaded})
	})
}

func (w *world) batchRows() store.RowChunks {
	return chunks(len(w.batches), func(i int, b [][]any) [][]any {
		x := w.batches[i]
		return append(b, []any{int64(i + 1), int64(x.campaign), int64(x.number), fmt.Sprintf("第%d批", x.number),
			w.date(x.from), w.date(min(w.days-1, x.to)), w.loaded})
	})
}

// Activities and what they drew: a participant is one confirmed (or, for
// some, cancelled) sign-up, with attendance when the activity was held and
// they came.

type part struct {
	person, team int32
	state        domain.SignupState
	came         bool
	signed       int64
	in, out      time.Time
}

// draw regenerates activity id's participants from its own seed: the same
// every time, whichever table is being streamed.
func (w *world) draw(id int32, s *drawScratch) []part {
	a := &w.acts[id-1]
	r := rand.New(rand.NewPCG(w.seed, uint64(id)<<8))
	s.cands = s.cands[:0]
	for _, t := range a.teams {
		for _, m := range w.teams[t-1].roster {
			if m.current(a.day) {
				s.cands = append(s.cands, [2]int32{m.person, t})
			}
		}
	}
	n := min(int(a.size), len(s.cands))
	extra := min(len(s.cands)-n, int(a.size)/20)
	for i := range n + extra {
		j := i + r.IntN(len(s.cands)-i)
		s.cands[i], s.cands[j] = s.cands[j], s.cands[i]
	}
	start, end := w.at(int(a.day), int(a.start)), w.at(int(a.day), int(a.start+a.length))
	created := w.created(a)
	s.parts = s.parts[:0]
	for i := range n + extra {
		p := part{person: s.cands[i][0], team: s.cands[i][1], state: domain.SignupConfirmed,
			signed: created + r.Int64N(start.UnixMicro()-created)}
		if i >= n {
			p.state = domain.SignupCancelled
		} else if a.state == domain.ActivityCompleted && r.IntN(100) >= 4 {
			p.came = true
			p.in = start.Add(time.Duration(r.IntN(25*60)-10*60) * time.Second)
			p.out = end.Add(time.Duration(r.IntN(30*60)-20*60) * time.Second)
		}
		s.parts = append(s.parts, p)
	}
	return s.parts
}

type drawScratch struct {
	cands [][2]int32
	parts []part
}

// created is when activity a was planned: a day after its order was
// confirmed, or one to three weeks before it.
func (w *world) created(a *act) int64 {
	start := w.at(int(a.day), int(a.start)).UnixMicro()
	if a.order != 0 {
		o := &w.orders[a.order-1]
		for _, s := range o.steps {
			if s.event == domain.EventConfirm {
				return min(s.at+hourMicros, start-hourMicros)
			}
		}
	}
	return start - int64(3+int(a.day)%18)*24*hourMicros
}

func (w *world) activityRows() store.RowChunks {
	var s drawScratch
	return chunks(len(w.acts), func(i int, b [][]any) [][]any {
		a := &w.acts[i]
		id := int32(i + 1)
		taken := 0
		for _, p := range w.draw(id, &s) {
			if p.state == domain.SignupConfirmed {
				taken++
			}
		}
		start, end := w.at(int(a.day), int(a.start)), w.at(int(a.day), int(a.start+a.length))
		created := w.created(a)
		cutoff := domain.ActivityInput{StartsAt: start, CancelHours: 24}.CancelCutoff(time.UnixMicro(created))
		completed := int64(0)
		updated := created
		if a.state == domain.ActivityCompleted {
			completed, updated = end.UnixMicro(), end.UnixMicro()
		}
		title := w.catName(a.cats[0]) + "志愿服务"
		switch {
		case a.order != 0:
			title = "点单服务：" + title
		case a.batch != 0:
			title = fmt.Sprintf("十个全覆盖第%d批：%s", w.batches[a.batch-1].number, title)
		}
		address := w.regions[a.region-1].name
		if a.site != 0 {
			address = w.sites[a.site-1].name
		}
		return append(b, []any{int64(id), title, string(a.mode), string(a.state), int64(a.org), int64(a.teams[0]),
			null(a.order), null(a.site), null(a.region), address, start.UnixMicro(), end.UnixMicro(), cutoff.UnixMicro(),
			int64(a.capacity), int64(taken), "由" + w.teams[a.teams[0]-1].name + "组织开展。", null(a.batch), created,
			updated, completed})
	})
}

func (w *world) activityCategoryRows() store.RowChunks {
	return chunks(len(w.acts), func(i int, b [][]any) [][]any {
		for _, c := range w.acts[i].cats {
			b = append(b, []any{int64(i + 1), c})
		}
		return b
	})
}

func (w *world) activityTeamRows() store.RowChunks {
	return chunks(len(w.acts), func(i int, b [][]any) [][]any {
		for _, t := range w.acts[i].teams {
			b = append(b, []any{int64(i + 1), int64(t)})
		}
		return b
	})
}

func (w *world) signupRows() store.RowChunks {
	var s drawScratch
	id := int64(0)
	return chunks(len(w.acts), func(i int, b [][]any) [][]any {
		for _, p := range w.draw(int32(i+1), &s) {
			id++
			b = append(b, []any{id, int64(i + 1), int64(p.person), int64(p.team), int64(w.teams[p.team-1].org),
				string(p.state), p.signed, p.signed, p.signed})
		}
		return b
	})
}

func (w *world) attendanceRows() store.RowChunks {
	var s drawScratch
	id := int64(0)
	return chunks(len(w.acts), func(i int, b [][]any) [][]any {
		for _, p := range w.draw(int32(i+1), &s) {
			if !p.came {
				continue
			}
			id++
			method := domain.MethodQR
			if p.person%5 == 0 {
				method = domain.MethodManual
			}
			b = append(b, []any{id, int64(i + 1), int64(p.person), domain.ChinaDay(p.in), int64(1), p.in.UnixMicro(),
				p.out.UnixMicro(), string(method), string(method)})
		}
		return b
	})
}

func (w *world) hoursRows() store.RowChunks {
	var s drawScratch
	return chunks(len(w.acts), func(i int, b [][]any) [][]any {
		a := &w.acts[i]
		start, end := w.at(int(a.day), int(a.start)), w.at(int(a.day), int(a.start+a.length))
		for _, p := range w.draw(int32(i+1), &s) {
			if !p.came {
				continue
			}
			m := domain.AttendedMinutes(start, end, []domain.Attendance{{PersonID: int64(p.person), CheckIn: p.in, CheckOut: p.out}})
			if m <= 0 {
				continue
			}
			b = append(b, []any{int64(i + 1), int64(p.person), int64(p.team), int64(w.teams[p.team-1].org), int64(m),
				end.UnixMicro()})
		}
		return b
	})
}

// outcomeMetrics are the metrics an activity of a category reports.
var outcomeMetrics = map[string][]string{
	"medical": {"clinic_patients"}, "livestock": {"livestock_vaccinated", "consultations"},
	"disease_prevention": {"livestock_vaccinated"}, "party_education": {"lectures"}, "legal": {"materials", "consultations"},
	"family_planning": {"materials"}, "culture": {"performances", "films_shown"}, "scitech": {"lectures", "consultations"},
	"poverty_relief": {"donations"}, "environment": {"garbage_loads", "garbage_tons", "boards_cleared", "fence_built"},
	"tree_planting": {"trees_planted"},
}

// outcome is what came of completed activity i, when recorded: its
// beneficiaries and values (hundredths) by metric id.
func (w *world) outcome(i int) (int64, map[int64]int64, bool) {
	a := &w.acts[i]
	if a.state != domain.ActivityCompleted {
		return 0, nil, false
	}
	r := rand.New(rand.NewPCG(w.seed, uint64(i+1)<<8|1))
	if r.IntN(100) >= 85 {
		return 0, nil, false
	}
	benef := int64(10 + r.IntN(150))
	if a.order != 0 {
		benef = int64(w.orders[a.order-1].benef)
	}
	vals := map[int64]int64{}
	for _, code := range outcomeMetrics[w.catCode(a.cats[0])] {
		if id := w.metrics[code]; id != 0 && r.IntN(3) > 0 {
			vals[id] = int64(1+r.IntN(60)) * 100
		}
	}
	return benef, vals, true
}

func (w *world) outcomeRows() store.RowChunks {
	return chunks(len(w.acts), func(i int, b [][]any) [][]any {
		benef, _, ok := w.outcome(i)
		if !ok {
			return b
		}
		a := &w.acts[i]
		at := w.at(int(a.day), int(a.start+a.length)+60).UnixMicro()
		return append(b, []any{int64(i + 1), benef, "服务顺利完成，群众反响良好。", at, at})
	})
}

func (w *world) outcomeValueRows() store.RowChunks {
	return chunks(len(w.acts), func(i int, b [][]any) [][]any {
		_, vals, ok := w.outcome(i)
		if !ok {
			return b
		}
		for _, id := range w.metricIDs {
			if v, ok := vals[id]; ok {
				b = append(b, []any{int64(i + 1), id, v})
			}
		}
		return b
	})
}
