package service_test

import (
	"context"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// serve drives an accepted-or-submitted order through dispatch to team,
// confirmation and service, as the desk, the team and the activity would.
func serve(t *testing.T, s *store.Store, order, team int64) {
	t.Helper()
	ctx := context.Background()
	o, err := s.OrderByID(ctx, order)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error {
		if o.State == domain.OrderSubmitted {
			if _, err := tx.TransitionOrder(order, domain.EventAccept, ""); err != nil {
				return err
			}
		}
		cat := o.Items[0].CategoryID
		if err := tx.DispatchOrder(order, []store.NewDispatch{{CategoryID: cat, TeamID: team, PersonDays: 3}}); err != nil {
			return err
		}
		if err := tx.AnswerDispatch(order, team, true, ""); err != nil {
			return err
		}
		_, err := tx.TransitionOrder(order, domain.EventServe, "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestEvaluationByCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newOrders(t, s)
		code, err := f.svc.PlaceOrder(ctx, f.public, f.input())
		if err != nil {
			t.Fatal(err)
		}
		tr, _ := f.svc.TrackOrder(ctx, f.public, code)
		if tr.EvalCode != "" || tr.Evaluation != nil {
			t.Fatalf("a submitted order offers evaluation: %q, %+v", tr.EvalCode, tr.Evaluation)
		}
		serve(t, s, tr.Order.ID, f.teamA)
		tr, err = f.svc.TrackOrder(ctx, f.public, code)
		if err != nil || tr.Order.State != domain.OrderServed || service.NormalizeCode(tr.EvalCode) != tr.EvalCode || tr.EvalCode == code {
			t.Fatalf("served: state %s, evaluation code %q, %v", tr.Order.State, tr.EvalCode, err)
		}
		evalCode := tr.EvalCode
		page, err := f.svc.EvaluationByCode(ctx, f.public, strings.ToUpper(evalCode))
		if err != nil || page.Order.ID != tr.Order.ID || page.Evaluation != nil || len(page.Teams) != 1 || page.Teams[0] != "农牧服务队" {
			t.Fatalf("EvaluationByCode = %+v, %v", page, err)
		}

		// Bad input names the field; nothing changes.
		long := strings.Repeat("好", 1001)
		for _, b := range []struct {
			in         domain.EvaluationInput
			field, key string
		}{
			{domain.EvaluationInput{}, "rating", "err.eval.rating_required"},
			{domain.EvaluationInput{Rating: 6}, "rating", "err.eval.rating"},
			{domain.EvaluationInput{Rating: -1}, "rating", "err.eval.rating"},
			{domain.EvaluationInput{Rating: 5, Comment: long}, "comment", "err.too_long"},
			{domain.EvaluationInput{Complaint: true, ComplaintText: "  "}, "complaint_text", "err.eval.complaint_required"},
			{domain.EvaluationInput{ComplaintText: long}, "complaint_text", "err.too_long"},
		} {
			if err := f.svc.EvaluateByCode(ctx, f.public, evalCode, b.in); !fieldIs(err, b.field, b.key) {
				t.Errorf("EvaluateByCode(%+v): got %v, want %s on %s", b.in, err, b.key, b.field)
			}
		}
		if err := f.svc.EvaluateByCode(ctx, f.public, code, domain.EvaluationInput{Rating: 5}); domain.ErrCode(err) != domain.CodeNotFound {
			t.Fatalf("the tracking code as evaluation code: got %v, want not found", err)
		}
		if err := f.svc.EvaluateByCode(ctx, f.public, evalCode, domain.EvaluationInput{Rating: 5, Comment: " 很好 "}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.EvaluateByCode(ctx, f.public, evalCode, domain.EvaluationInput{Rating: 1}); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("a second evaluation: got %v, want conflict", err)
		}
		tr, _ = f.svc.TrackOrder(ctx, f.public, code)
		if tr.Order.State != domain.OrderEvaluated || tr.Evaluation == nil || tr.Evaluation.Rating != 5 || tr.Evaluation.Comment != "很好" {
			t.Fatalf("tracking after evaluation: %s, %+v", tr.Order.State, tr.Evaluation)
		}
		page, _ = f.svc.EvaluationByCode(ctx, f.public, evalCode)
		if page.Evaluation == nil || page.Evaluation.Rating != 5 {
			t.Fatalf("the evaluation page after evaluation: %+v", page.Evaluation)
		}
	})
}

// TestEvaluationNotYetServed: a code of an order not yet served is refused
// with the reason; an order from before evaluation codes gets one when the
// requester looks at it served.
func TestEvaluationNotYetServed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newOrders(t, s)
		var old int64
		err := s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
			old, err = tx.CreateOrder(store.NewOrder{Code: service.NewCode(), OrderInput: f.input()})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		o, _ := s.OrderByID(ctx, old)
		if c, err := s.EvalCode(ctx, old); c != "" || err != nil {
			t.Fatalf("an order stored without a code has %q, %v", c, err)
		}
		serve(t, s, old, f.teamA)
		tr, err := f.svc.TrackOrder(ctx, f.public, o.Code)
		if err != nil || tr.EvalCode == "" {
			t.Fatalf("a served order without a code: tracking gives %q, %v", tr.EvalCode, err)
		}
		again, _ := f.svc.TrackOrder(ctx, f.public, o.Code)
		if again.EvalCode != tr.EvalCode {
			t.Fatalf("the code changed between looks: %q, then %q", tr.EvalCode, again.EvalCode)
		}

		code, _ := f.svc.PlaceOrder(ctx, f.public, f.input())
		fresh, _ := s.OrderByCode(ctx, code)
		evalCode, _ := s.EvalCode(ctx, fresh.ID)
		if service.NormalizeCode(evalCode) != evalCode || evalCode == "" {
			t.Fatalf("a new order's evaluation code is %q", evalCode)
		}
		err = f.svc.EvaluateByCode(ctx, f.public, evalCode, domain.EvaluationInput{Rating: 5})
		if e, ok := domain.AsError(err); !ok || e.Key != "err.eval.not_served" {
			t.Fatalf("evaluating a submitted order: got %v, want err.eval.not_served", err)
		}
	})
}

// TestEvaluationsInScope: the committee sees every evaluation; an org admin
// those of their subtree's sites; a team leader those their team served;
// complaints are the committee's to answer, and the requester reads the
// answer when tracking.
func TestEvaluationsInScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newOrders(t, s)
		cats, _ := f.svc.Categories(ctx, false)
		var siteB, teamB, itemB int64
		err := s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
			if siteB, err = tx.CreateSite(domain.Site{OrgID: f.unitB, Kind: domain.SiteCommunity, Name: "河西社区", RegionID: f.region}); err != nil {
				return err
			}
			if teamB, err = tx.CreateTeam(domain.Team{OrgID: f.unitB, Kind: domain.TeamParty, Name: "法律服务队"}); err != nil {
				return err
			}
			itemB, err = tx.CreateMenuItem(domain.MenuItem{Title: "普法讲座", CategoryID: cats[4].ID, Kind: domain.MenuProfessional,
				Term: domain.TermShort, Volunteers: 2, Active: true, TeamIDs: []int64{teamB}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		evaluate := func(in domain.OrderInput, team int64, e domain.EvaluationInput) string {
			code, err := f.svc.PlaceOrder(ctx, f.public, in)
			if err != nil {
				t.Fatal(err)
			}
			o, _ := s.OrderByCode(ctx, code)
			serve(t, s, o.ID, team)
			tr, _ := f.svc.TrackOrder(ctx, f.public, code)
			if err := f.svc.EvaluateByCode(ctx, f.public, tr.EvalCode, e); err != nil {
				t.Fatal(err)
			}
			return code
		}
		evaluate(f.input(), f.teamA, domain.EvaluationInput{Rating: 5})
		inB := f.input()
		inB.SiteID, inB.ItemIDs = siteB, []int64{itemB}
		complaint := evaluate(inB, teamB, domain.EvaluationInput{Rating: 2, Complaint: true, ComplaintText: "只来了两个人"})

		for _, c := range []struct {
			name   string
			caller domain.Caller
			want   int
		}{{"committee", f.admin, 2}, {"org admin of A", f.orgAdmin, 1}, {"leader of team A", f.leader, 1}} {
			l, err := f.svc.Evaluations(ctx, c.caller, store.EvaluationFilter{})
			if err != nil || l.Total != c.want {
				t.Errorf("%s: %d evaluations, %v; want %d", c.name, l.Total, err, c.want)
			}
			if c.want == 1 && l.Total == 1 && l.Items[0].Evaluation.Complaint {
				t.Errorf("%s sees the other unit's complaint", c.name)
			}
		}
		if _, err := f.svc.Evaluations(ctx, f.contact, store.EvaluationFilter{}); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("a site contact lists evaluations: got %v, want forbidden", err)
		}
		if _, err := f.svc.Complaints(ctx, f.orgAdmin, store.EvaluationFilter{}); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("an org admin lists complaints: got %v, want forbidden", err)
		}
		l, err := f.svc.Complaints(ctx, f.admin, store.EvaluationFilter{Complaint: store.ComplaintOpen})
		if err != nil || l.Total != 1 {
			t.Fatalf("open complaints = %d, %v", l.Total, err)
		}
		id := l.Items[0].Evaluation.ID
		if err := f.svc.AnswerComplaint(ctx, f.orgAdmin, id, "x"); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("an org admin answers: got %v, want forbidden", err)
		}
		if err := f.svc.AnswerComplaint(ctx, f.admin, id, "  "); !fieldIs(err, "answer", "err.required") {
			t.Errorf("an empty answer: got %v", err)
		}
		if err := f.svc.AnswerComplaint(ctx, f.admin, id, "已核实，下周补派队员。"); err != nil {
			t.Fatal(err)
		}
		tr, _ := f.svc.TrackOrder(ctx, f.public, complaint)
		if tr.Evaluation == nil || tr.Evaluation.Answer != "已核实，下周补派队员。" {
			t.Fatalf("the requester's view of the answered complaint: %+v", tr.Evaluation)
		}
		o, _ := s.OrderByCode(ctx, complaint)
		if e, err := f.svc.OrderEvaluation(ctx, f.admin, o); err != nil || e == nil || !e.Complaint {
			t.Errorf("OrderEvaluation = %+v, %v", e, err)
		}
		if _, err := f.svc.OrderEvaluation(ctx, f.orgAdmin, o); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("an org admin reads another unit's order's evaluation: got %v", err)
		}
	})
}
