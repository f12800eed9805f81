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

func TestSuggestionBoxReplyAndClose(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newOrders(t, s)
		bad := []struct {
			in         domain.SuggestionInput
			field, key string
		}{
			{domain.SuggestionInput{Body: "  "}, "body", "err.required"},
			{domain.SuggestionInput{Body: strings.Repeat("路", 2001)}, "body", "err.too_long"},
			{domain.SuggestionInput{Body: "x", Phone: "12345"}, "phone", "err.phone"},
			{domain.SuggestionInput{Body: "x", Name: strings.Repeat("名", 41)}, "name", "err.too_long"},
			{domain.SuggestionInput{Body: "x", RegionID: 999999}, "region_id", "err.region.not_found"},
		}
		for _, b := range bad {
			if _, err := f.svc.SubmitSuggestion(ctx, f.public, b.in); !fieldIs(err, b.field, b.key) {
				t.Errorf("SubmitSuggestion(%+v): got %v, want %s on %s", b.in, err, b.key, b.field)
			}
		}
		anon, err := f.svc.SubmitSuggestion(ctx, f.public, domain.SuggestionInput{Body: " 希望冬季多安排义诊 "})
		if err != nil || service.NormalizeCode(anon) != anon {
			t.Fatalf("anonymous suggestion = %q, %v", anon, err)
		}
		named, err := f.svc.SubmitSuggestion(ctx, f.public, domain.SuggestionInput{Name: "其其格", Phone: "139 1234 5678",
			RegionID: f.region, Body: "嘎查小学需要普法讲座"})
		if err != nil {
			t.Fatal(err)
		}

		// Only the committee works the box; the first look marks everything new.
		if _, err := f.svc.Suggestions(ctx, f.orgAdmin, store.SuggestionFilter{}); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("org admin lists suggestions: got %v, want forbidden", err)
		}
		l, err := f.svc.Suggestions(ctx, f.admin, store.SuggestionFilter{Limit: 50})
		if err != nil || l.Total != 2 || l.NewCount != 2 || !l.LastSeen.IsZero() || l.Counts[domain.SuggestionOpen] != 2 {
			t.Fatalf("first look = %+v, %v; want 2 suggestions, both new", l, err)
		}
		if l.Suggestions[0].Phone != "13912345678" || l.Suggestions[0].Body != "嘎查小学需要普法讲座" {
			t.Errorf("newest first, normalised: got %+v", l.Suggestions[0])
		}
		if l, _ = f.svc.Suggestions(ctx, f.admin, store.SuggestionFilter{}); l.NewCount != 0 || l.LastSeen.IsZero() {
			t.Errorf("second look: %d new, seen %v; want none new", l.NewCount, l.LastSeen)
		}

		tr, err := f.svc.TrackSuggestion(ctx, f.public, anon)
		if err != nil || tr.Suggestion.State != domain.SuggestionOpen || tr.Suggestion.Body != "希望冬季多安排义诊" {
			t.Fatalf("TrackSuggestion = %+v, %v", tr, err)
		}
		if _, err := f.svc.TrackSuggestion(ctx, f.public, service.NewCode()); !isKey(err, "err.suggestion.no_such_code") {
			t.Fatalf("an unknown code: got %v", err)
		}
		id := tr.Suggestion.ID

		if err := f.svc.ReplySuggestion(ctx, f.admin, id, " "); !fieldIs(err, "reply", "err.required") {
			t.Fatalf("an empty reply: got %v", err)
		}
		if err := f.svc.ReplySuggestion(ctx, f.orgAdmin, id, "好"); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("org admin replies: got %v", err)
		}
		if err := f.svc.ReplySuggestion(ctx, f.admin, id, "已转卫健委，冬季每月一次"); err != nil {
			t.Fatal(err)
		}
		tr, _ = f.svc.TrackSuggestion(ctx, f.public, anon)
		if tr.Suggestion.State != domain.SuggestionReplied || tr.Suggestion.Reply != "已转卫健委，冬季每月一次" || tr.Suggestion.RepliedBy == "" {
			t.Fatalf("after the reply: %+v", tr.Suggestion)
		}
		if err := f.svc.CloseSuggestion(ctx, f.admin, id); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.ReplySuggestion(ctx, f.admin, id, "补充"); !isKey(err, "err.suggestion.state") {
			t.Fatalf("reply to a closed suggestion: got %v, want err.suggestion.state", err)
		}
		if err := f.svc.CloseSuggestion(ctx, f.admin, id); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("close twice: got %v, want conflict", err)
		}
		tr, _ = f.svc.TrackSuggestion(ctx, f.public, anon)
		if tr.Suggestion.State != domain.SuggestionClosed || tr.Suggestion.Reply == "" {
			t.Errorf("closed keeps its reply: %+v", tr.Suggestion)
		}
		if _, err := f.svc.TrackSuggestion(ctx, f.public, named); err != nil {
			t.Fatal(err)
		}

		es, _ := s.ListAudit(ctx, domain.AuditFilter{Action: "suggestion."})
		if len(es) != 4 { // two created, a reply, a close
			t.Errorf("audit holds %d suggestion rows, want 4", len(es))
		}
		for _, e := range es {
			if strings.Contains(e.After, "13912345678") {
				t.Errorf("audit %s holds the full phone: %s", e.Action, e.After)
			}
		}
	})
}

func TestSuggestionBecomesOrderKeepingTheLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newOrders(t, s)
		code, err := f.svc.SubmitSuggestion(ctx, f.public, domain.SuggestionInput{Name: "其其格", Phone: "13912345678",
			RegionID: f.region, Body: "春季需要给牛羊打疫苗"})
		if err != nil {
			t.Fatal(err)
		}
		tr, _ := f.svc.TrackSuggestion(ctx, f.public, code)
		id := tr.Suggestion.ID

		draft, _, err := f.svc.SuggestionOrderDraft(ctx, f.admin, id)
		if err != nil || draft.Channel != domain.ChannelSuggestionBox || draft.Need != "春季需要给牛羊打疫苗" ||
			draft.RequesterName != "其其格" || draft.RegionID != f.region || draft.RequesterPhone != "" {
			t.Fatalf("draft = %+v, %v; want the suggestion's text and name, and no phone on the page", draft, err)
		}
		in := f.input()
		in.RequesterName, in.RequesterPhone, in.Need = draft.RequesterName, "", draft.Need
		if _, err := f.svc.EnterOrderFromSuggestion(ctx, f.orgAdmin, id, in); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("org admin converts a suggestion: got %v, want forbidden", err)
		}
		orderCode, err := f.svc.EnterOrderFromSuggestion(ctx, f.admin, id, in)
		if err != nil {
			t.Fatal(err)
		}
		o, err := s.OrderByCode(ctx, orderCode)
		if err != nil || o.SuggestionID != id || o.Channel != domain.ChannelSuggestionBox || o.TakenBy != f.admin.UserID ||
			o.RequesterPhone != "13912345678" {
			t.Fatalf("order = %+v, %v; want it to carry the suggestion, its channel, the writer's phone and who took it", o, err)
		}
		x, err := s.SuggestionByID(ctx, id)
		if err != nil || x.State != domain.SuggestionOrdered || x.OrderID != o.ID {
			t.Fatalf("suggestion after conversion = %+v, %v; want ordered with order %d", x, err, o.ID)
		}
		tr, _ = f.svc.TrackSuggestion(ctx, f.public, code)
		if tr.OrderCode != orderCode {
			t.Errorf("the writer's status page links order %q, want %q", tr.OrderCode, orderCode)
		}

		// Once ordered, it is done: no second order, no close.
		if _, err := f.svc.EnterOrderFromSuggestion(ctx, f.admin, id, in); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("convert twice: got %v, want conflict", err)
		}
		if _, _, err := f.svc.SuggestionOrderDraft(ctx, f.admin, id); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("draft of an ordered suggestion: got %v, want conflict", err)
		}
		if err := f.svc.CloseSuggestion(ctx, f.admin, id); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("close an ordered suggestion: got %v, want conflict", err)
		}
		// A bad order leaves the suggestion as it was.
		code2, _ := f.svc.SubmitSuggestion(ctx, f.public, domain.SuggestionInput{Body: "需要法律咨询"})
		tr2, _ := f.svc.TrackSuggestion(ctx, f.public, code2)
		bad := in
		bad.DateFrom, bad.RequesterPhone = "yesterday", "13800000009"
		if _, err := f.svc.EnterOrderFromSuggestion(ctx, f.admin, tr2.Suggestion.ID, bad); !fieldIs(err, "date_from", "err.date_format") {
			t.Fatalf("bad order from a suggestion: got %v", err)
		}
		if x, _ := s.SuggestionByID(ctx, tr2.Suggestion.ID); x.State != domain.SuggestionOpen || x.OrderID != 0 {
			t.Errorf("after a refused order the suggestion is %+v, want open", x)
		}
		if es, _ := s.ListAudit(ctx, domain.AuditFilter{Action: "suggestion.order"}); len(es) != 1 {
			t.Errorf("audit holds %d suggestion.order rows, want 1", len(es))
		}
	})
}

func TestSuggestionsAreRateLimited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newOrders(t, s)
		in := domain.SuggestionInput{Body: "路灯坏了"}
		for i := 1; i <= 5; i++ {
			if _, err := f.svc.SubmitSuggestion(ctx, f.public, in); err != nil {
				t.Fatalf("suggestion %d: %v", i, err)
			}
		}
		if _, err := f.svc.SubmitSuggestion(ctx, f.public, in); domain.ErrCode(err) != domain.CodeTooMany {
			t.Fatalf("sixth suggestion in an hour: got %v, want too_many", err)
		}
		other := f.public
		other.IP = "198.51.100.1"
		if _, err := f.svc.SubmitSuggestion(ctx, other, in); err != nil {
			t.Fatalf("another address: %v", err)
		}
		// Orders count apart from suggestions.
		if _, err := f.svc.PlaceOrder(ctx, f.public, f.input()); err != nil {
			t.Fatalf("an order after five suggestions: %v", err)
		}
		if l, _ := f.svc.Suggestions(ctx, f.admin, store.SuggestionFilter{}); l.Total != 6 {
			t.Errorf("the box holds %d suggestions, want 6", l.Total)
		}
		// Guessing codes runs into the status pages' limit.
		var err error
		for i := 0; i < 40 && domain.ErrCode(err) != domain.CodeTooMany; i++ {
			_, err = f.svc.TrackSuggestion(ctx, f.public, service.NewCode())
		}
		if domain.ErrCode(err) != domain.CodeTooMany {
			t.Fatalf("40 wrong codes: last answer %v, want too_many", err)
		}
	})
}

func isKey(err error, key string) bool {
	e, ok := domain.AsError(err)
	return ok && e.Key == key
}
