package service

import (
	"math/rand/v2"
	"strconv"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// The demo city's evaluations (评单): every order of the year that reached
// evaluated carries the requester's rating, mostly four or five stars, a few
// threes, and two complaints, the older one answered by the committee. They
// are drawn from their own seed, so the rest of the city stays as it was.
var demoEvaluationSeed = [2]uint64{2018, 11}

// demoComments are what requesters wrote, by rating.
var demoComments = map[int][]string{
	5: {"队员们很专业，讲得通俗易懂，牧民都说好。", "服务很及时，老人们特别满意，希望明年再来。",
		"义诊看得很仔细，还留了联系方式，非常感谢！", "组织得井井有条，村里的问题都解决了。", ""},
	4: {"整体不错，就是时间有点短，很多人没排上。", "服务很好，希望下次提前通知，好让更多人参加。",
		"讲解清楚，资料可以再多发一些。", ""},
	3: {"来的人比预想的少，有些问题没来得及解答。", "时间安排和农忙冲突了，参加的人不多。"},
}

// demoComplaints are two complaints: the older is answered.
var demoComplaints = []struct{ text, answer string }{
	{"约好上午九点到，队伍下午一点才来，好多牧民等了半天回去了，希望以后守时。",
		"非常抱歉让大家久等。经核实，当天因道路结冰车辆改道耽误了时间，且未及时通知服务点。我们已要求服务队今后出发前与服务点确认路况、延误时第一时间电话告知，并将于下月补充安排一次服务。"},
	{"服务当天只来了两名队员，原定的健康讲座也没有开，和点单的内容不一致。", ""},
}

// loadDemoOrders gives every demo order its evaluation code, writes the
// orders, and then the evaluations of those the requester evaluated.
func loadDemoOrders(tx *store.Tx, orders []store.PastOrder) error {
	for i := range orders {
		orders[i].EvalCode = NewCode() // random, as the tracking code is
	}
	if err := tx.LoadPastOrders(orders); err != nil {
		return err
	}
	return tx.LoadPastEvaluations(demoEvaluations(orders, tx.Now()))
}

// demoEvaluations draws the evaluation of each evaluated order, at the time
// of its evaluate step.
func demoEvaluations(orders []store.PastOrder, now time.Time) []store.PastEvaluation {
	r := rand.New(rand.NewPCG(demoEvaluationSeed[0], demoEvaluationSeed[1]))
	var out []store.PastEvaluation
	for _, o := range orders {
		if o.State != domain.OrderEvaluated {
			continue
		}
		at := o.Steps[len(o.Steps)-1].At
		e := store.PastEvaluation{OrderCode: o.Code, At: at}
		switch p := r.Float64(); {
		case p < 0.58:
			e.Rating = 5
		case p < 0.9:
			e.Rating = 4
		default:
			e.Rating = 3
		}
		if r.Float64() < 0.75 {
			list := demoComments[e.Rating]
			e.Comment = list[r.IntN(len(list))]
		}
		out = append(out, e)
	}
	// The complaints: the latest evaluation (still open), and one from a
	// month or more ago (answered two days after it came).
	if n := len(out); n >= 2 {
		open := &out[n-1]
		for i := n - 2; i >= 0; i-- {
			if now.Sub(out[i].At) > 30*24*time.Hour {
				c := demoComplaints[0]
				out[i].Rating, out[i].Comment, out[i].Complaint, out[i].ComplaintText = 2, "", true, c.text
				out[i].Answer, out[i].AnswerName, out[i].AnsweredAt = c.answer, "工委管理员", out[i].At.Add(50*time.Hour)
				break
			}
		}
		open.Rating, open.Comment, open.Complaint, open.ComplaintText = 2, "", true, demoComplaints[1].text
	}
	return out
}

// demoLeaderServed adds three orders of 巴彦嘎查 that the demo leader's team
// served in the last weeks, two of them evaluated, so that the leader and
// the site contact see the end of the loop.
func demoLeaderServed(c *demoCity, menu []*demoMenuItem, now time.Time) []store.PastOrder {
	var mine []*demoMenuItem
	for _, m := range menu {
		if m.item.Active && len(m.item.TeamIDs) > 0 && m.item.TeamIDs[0] == c.nmjTeam.id {
			mine = append(mine, m)
		}
	}
	if len(mine) == 0 {
		return nil
	}
	cst := time.FixedZone("CST", 8*3600)
	var out []store.PastOrder
	for k, ago := range []int{40, 26, 13} {
		m := mine[k%len(mine)]
		created := now.Add(-time.Duration(ago) * 24 * time.Hour)
		day := created.Add(7 * 24 * time.Hour).In(cst)
		serveAt := time.Date(day.Year(), day.Month(), day.Day(), 16, 30, 0, 0, cst)
		o := store.PastOrder{CreatedAt: created, State: domain.OrderServed}
		o.Code, o.Channel = NewCode(), domain.ChannelOnline
		o.RequesterName, o.RequesterPhone = "其其格", "1390001"+strconv.Itoa(2000+k)
		o.SiteID, o.DateFrom, o.DateTo, o.Beneficiaries = c.gacha.id, day.Format("2006-01-02"), day.Format("2006-01-02"), 40+10*k
		o.ItemIDs = []int64{m.id}
		sent, confirmed := created.Add(44*time.Hour), created.Add(60*time.Hour)
		o.Steps = []store.PastStep{{Event: domain.EventAccept, Actor: "工委管理员", At: created.Add(20 * time.Hour)},
			{Event: domain.EventDispatch, Actor: "工委管理员", At: sent},
			{Event: domain.EventConfirm, Actor: "服务队队长", At: confirmed},
			{Event: domain.EventServe, Actor: "服务队队长", At: serveAt}}
		if k < 2 { // the latest waits for its evaluation
			o.State = domain.OrderEvaluated
			o.Steps = append(o.Steps, store.PastStep{Event: domain.EventEvaluate, At: serveAt.Add(30 * time.Hour)})
		}
		o.Dispatches = []store.PastDispatch{{CategoryID: m.item.CategoryID, TeamID: c.nmjTeam.id,
			PersonDays: float64(m.item.Volunteers * domain.ServiceDays(m.item.Duration)), State: domain.DispatchConfirmed, At: sent, AnsweredAt: confirmed}}
		out = append(out, o)
	}
	return out
}
