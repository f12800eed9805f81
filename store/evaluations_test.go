package store_test

import (
	"context"
	"testing"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// evalFixture is a committee with a unit under it; a site of the unit; team
// A of the unit and team B of the committee.
type evalFixture struct {
	s                  *store.Store
	root, unit         int64
	unitPath           string
	site, teamA, teamB int64
	item, cat          int64
	n                  int
}

func newEvalFixture(t *testing.T, s *store.Store) *evalFixture {
	t.Helper()
	ctx := context.Background()
	f := &evalFixture{s: s}
	cats, _ := s.ListCategories(ctx, false)
	f.cat = cats[0].ID
	err := s.Write(ctx, actor, func(tx *store.Tx) (err error) {
		if f.root, err = tx.CreateOrg(0, "committee", "工委"); err != nil {
			return err
		}
		if f.unit, err = tx.CreateOrg(f.root, "unit", "农牧业局"); err != nil {
			return err
		}
		if f.site, err = tx.CreateSite(domain.Site{OrgID: f.unit, Kind: domain.SiteVillage, Name: "巴彦嘎查"}); err != nil {
			return err
		}
		if f.teamA, err = tx.CreateTeam(domain.Team{OrgID: f.unit, Kind: domain.TeamParty, Name: "农牧队"}); err != nil {
			return err
		}
		if f.teamB, err = tx.CreateTeam(domain.Team{OrgID: f.root, Kind: domain.TeamParty, Name: "医疗队"}); err != nil {
			return err
		}
		f.item, err = tx.CreateMenuItem(domain.MenuItem{Title: "义诊", CategoryID: f.cat, Kind: domain.MenuProfessional,
			Term: domain.TermShort, Volunteers: 4, Active: true, TeamIDs: []int64{f.teamB}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	o, err := s.OrgByID(ctx, f.unit)
	if err != nil {
		t.Fatal(err)
	}
	f.unitPath = o.Path
	return f
}

// order creates an order at site (0: at an address) and drives it through
// the lifecycle until it reaches state, the team confirming its dispatch.
func (f *evalFixture) order(t *testing.T, site, team int64, state domain.OrderState) int64 {
	t.Helper()
	f.n++
	var id int64
	err := f.s.Write(context.Background(), actor, func(tx *store.Tx) (err error) {
		in := domain.OrderInput{Channel: domain.ChannelOnline, RequesterName: "巴特尔", RequesterPhone: "13900000000",
			SiteID: site, DateFrom: "2099-01-01", DateTo: "2099-01-01", ItemIDs: []int64{f.item}}
		if site == 0 {
			in.Address = "镇政府院内"
		}
		if id, err = tx.CreateOrder(store.NewOrder{Code: "c" + string(rune('a'+f.n)), EvalCode: "e" + string(rune('a'+f.n)),
			OrderInput: in}); err != nil {
			return err
		}
		for _, step := range []struct {
			until domain.OrderState
			do    func() error
		}{
			{domain.OrderAccepted, func() error { _, err := tx.TransitionOrder(id, domain.EventAccept, ""); return err }},
			{domain.OrderDispatched, func() error {
				return tx.DispatchOrder(id, []store.NewDispatch{{CategoryID: f.cat, TeamID: team, PersonDays: 4}})
			}},
			{domain.OrderConfirmed, func() error { return tx.AnswerDispatch(id, team, true, "") }},
			{domain.OrderServed, func() error { _, err := tx.TransitionOrder(id, domain.EventServe, ""); return err }},
		} {
			if err := step.do(); err != nil {
				return err
			}
			if step.until == state {
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *evalFixture) evaluate(order int64, in domain.EvaluationInput) (int64, error) {
	var id int64
	err := f.s.Write(context.Background(), actor, func(tx *store.Tx) (err error) {
		id, err = tx.CreateEvaluation(order, in)
		return err
	})
	return id, err
}

// TestEvaluationOnceAfterService: a served order is evaluated once, in the
// same transaction as its move to evaluated; an order not yet served and a
// second evaluation are refused with conflicts that say which.
func TestEvaluationOnceAfterService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newEvalFixture(t, s)
		served := f.order(t, f.site, f.teamB, domain.OrderServed)
		confirmed := f.order(t, f.site, f.teamB, domain.OrderConfirmed)

		if _, err := f.evaluate(confirmed, domain.EvaluationInput{Rating: 5}); !isErr(err, domain.CodeConflict, "err.eval.not_served") {
			t.Fatalf("evaluating a confirmed order: got %v, want err.eval.not_served", err)
		}
		if o, _ := s.OrderByID(ctx, confirmed); o.State != domain.OrderConfirmed {
			t.Fatalf("after the refusal the order is %s, want confirmed", o.State)
		}
		id, err := f.evaluate(served, domain.EvaluationInput{Rating: 4, Comment: "讲得很清楚"})
		if err != nil {
			t.Fatal(err)
		}
		o, _ := s.OrderByID(ctx, served)
		steps, _ := s.OrderSteps(ctx, served)
		if o.State != domain.OrderEvaluated || steps[len(steps)-1].Event != domain.EventEvaluate {
			t.Fatalf("after evaluating: order %s, last step %+v", o.State, steps[len(steps)-1])
		}
		if _, err := f.evaluate(served, domain.EvaluationInput{Rating: 1}); !isErr(err, domain.CodeConflict, "err.eval.already") {
			t.Fatalf("second evaluation: got %v, want err.eval.already", err)
		}
		e, err := s.EvaluationOfOrder(ctx, served)
		if err != nil || e.ID != id || e.Rating != 4 || e.Comment != "讲得很清楚" || e.Complaint ||
			len(e.Teams) != 1 || e.Teams[0] != "医疗队" || e.CreatedAt.IsZero() {
			t.Fatalf("EvaluationOfOrder = %+v, %v", e, err)
		}
		if got, err := s.OrderByEvalCode(ctx, "eb"); err != nil || got.ID != served {
			t.Fatalf("OrderByEvalCode = %d, %v; want %d", got.ID, err, served)
		}
		if entries, err := s.ListAudit(ctx, domain.AuditFilter{Action: "evaluation.create"}); err != nil || len(entries) != 1 {
			t.Errorf("evaluation.create audit entries = %d, %v; want 1", len(entries), err)
		}
	})
}

// TestComplaintListedAndAnswered: a complaint without a rating is listed
// for the committee as open, answered once, and then listed as answered.
func TestComplaintListedAndAnswered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newEvalFixture(t, s)
		rated := f.order(t, f.site, f.teamB, domain.OrderServed)
		complained := f.order(t, f.site, f.teamB, domain.OrderServed)
		if _, err := f.evaluate(rated, domain.EvaluationInput{Rating: 5}); err != nil {
			t.Fatal(err)
		}
		cid, err := f.evaluate(complained, domain.EvaluationInput{Complaint: true, ComplaintText: "队伍迟到三小时"})
		if err != nil {
			t.Fatal(err)
		}
		all := domain.Scope{All: true}
		l, err := s.ListEvaluations(ctx, store.EvaluationFilter{Scope: all})
		if err != nil || l.Total != 2 || l.Rated != 1 || l.Average != 5 || len(l.Items) != 2 {
			t.Fatalf("all evaluations = %+v, %v", l, err)
		}
		if l.Items[0].Order.ID != complained || len(l.Items[0].Order.Items) != 1 || l.Items[0].Order.SiteName != "巴彦嘎查" {
			t.Errorf("newest first with its order: got %+v", l.Items[0])
		}
		open, _ := s.ListEvaluations(ctx, store.EvaluationFilter{Scope: all, Complaint: store.ComplaintOpen})
		if open.Total != 1 || open.Items[0].Evaluation.ID != cid || open.Items[0].Evaluation.Rating != 0 {
			t.Fatalf("open complaints = %+v", open)
		}
		if err := s.Write(ctx, actor, func(tx *store.Tx) error {
			return tx.AnswerComplaint(cid, "已核实，道路结冰所致，已致歉。")
		}); err != nil {
			t.Fatal(err)
		}
		err = s.Write(ctx, actor, func(tx *store.Tx) error { return tx.AnswerComplaint(cid, "再答一次") })
		if !isErr(err, domain.CodeConflict, "err.complaint.answered") {
			t.Fatalf("a second answer: got %v", err)
		}
		l, _ = s.ListEvaluations(ctx, store.EvaluationFilter{Scope: all, Rating: 5})
		if l.Total != 1 || l.Items[0].Order.ID != rated {
			t.Fatalf("5 stars = %+v", l)
		}
		err = s.Write(ctx, actor, func(tx *store.Tx) error { return tx.AnswerComplaint(l.Items[0].Evaluation.ID, "x") })
		if !isErr(err, domain.CodeConflict, "err.complaint.not_complaint") {
			t.Fatalf("answering a rating: got %v", err)
		}
		open, _ = s.ListEvaluations(ctx, store.EvaluationFilter{Scope: all, Complaint: store.ComplaintOpen})
		answered, _ := s.ListEvaluations(ctx, store.EvaluationFilter{Scope: all, Complaint: store.ComplaintAnswered})
		if open.Total != 0 || answered.Total != 1 {
			t.Fatalf("after the answer: %d open, %d answered", open.Total, answered.Total)
		}
		e := answered.Items[0].Evaluation
		if e.Answer != "已核实，道路结冰所致，已致歉。" || e.AnsweredName != "tester" || !e.Answered() {
			t.Errorf("answered complaint = %+v", e)
		}
	})
}

// TestEvaluationScope: an org admin sees evaluations of orders at sites of
// their subtree and of orders their teams served; a team leader those their
// team served; nobody but the committee those of orders at an address
// served by other teams.
func TestEvaluationScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newEvalFixture(t, s)
		atSite := f.order(t, f.site, f.teamB, domain.OrderServed) // the unit's site, the committee's team
		byA := f.order(t, 0, f.teamA, domain.OrderServed)         // an address, the unit's team
		byB := f.order(t, 0, f.teamB, domain.OrderServed)         // an address, the committee's team
		for _, id := range []int64{atSite, byA, byB} {
			if _, err := f.evaluate(id, domain.EvaluationInput{Rating: 5}); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			name  string
			scope domain.Scope
			want  []int64
		}{
			{"committee", domain.Scope{All: true}, []int64{byB, byA, atSite}},
			{"unit admin", domain.Scope{OrgPaths: []string{f.unitPath}}, []int64{byA, atSite}},
			{"leader of A", domain.Scope{TeamIDs: []int64{f.teamA}}, []int64{byA}},
			{"leader of B", domain.Scope{TeamIDs: []int64{f.teamB}}, []int64{byB, atSite}},
			{"nobody", domain.Scope{}, nil},
		} {
			l, err := s.ListEvaluations(ctx, store.EvaluationFilter{Scope: c.scope})
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, x := range l.Items {
				got = append(got, x.Order.ID)
			}
			if len(got) != len(c.want) || l.Total != len(c.want) {
				t.Errorf("%s sees orders %v (total %d), want %v", c.name, got, l.Total, c.want)
				continue
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("%s sees orders %v, want %v", c.name, got, c.want)
					break
				}
			}
		}
	})
}

func isErr(err error, code domain.Code, key string) bool {
	e, ok := domain.AsError(err)
	return ok && e.Code == code && e.Key == key
}
