package domain_test

import (
	"strings"
	"testing"

	"vanguard/domain"
)

// TestSuggestionLifecycle walks every pair of states: an open or replied
// suggestion may be replied to (again), closed or ordered; closed and
// ordered are ends.
func TestSuggestionLifecycle(t *testing.T) {
	live := map[domain.SuggestionState]bool{domain.SuggestionOpen: true, domain.SuggestionReplied: true}
	for _, from := range domain.SuggestionStates {
		if from.Final() == live[from] {
			t.Errorf("%s.Final() = %v", from, from.Final())
		}
		for _, to := range domain.SuggestionStates {
			want := live[from] && to != domain.SuggestionOpen
			if got := from.CanMoveTo(to); got != want {
				t.Errorf("%s → %s: got %v, want %v", from, to, got, want)
			}
		}
	}
	if e, _ := domain.AsError(domain.SuggestionMoveError(domain.SuggestionClosed)); e == nil || e.Code != domain.CodeConflict ||
		e.Args[0] != "enum.suggestion_state.closed" {
		t.Errorf("SuggestionMoveError = %+v", e)
	}
}

func TestSuggestionInputValidate(t *testing.T) {
	in, err := domain.SuggestionInput{Name: " 其其格 ", Phone: "+86 139-1234-5678", Body: "  路灯坏了 "}.Validate()
	if err != nil || in.Name != "其其格" || in.Phone != "13912345678" || in.Body != "路灯坏了" {
		t.Fatalf("Validate = %+v, %v", in, err)
	}
	if _, err := (domain.SuggestionInput{Body: "匿名也可以"}).Validate(); err != nil {
		t.Errorf("an anonymous suggestion: %v", err)
	}
	_, err = domain.SuggestionInput{Phone: "110", Body: strings.Repeat("字", domain.SuggestionBodyMax+1)}.Validate()
	e, _ := domain.AsError(err)
	if e == nil || e.Fields["phone"] == nil || e.Fields["body"] == nil || e.Fields["body"].Key != "err.too_long" {
		t.Errorf("a bad phone and a long body: %v", err)
	}
	if r, err := domain.ValidateSuggestionReply("  好的 "); err != nil || r != "好的" {
		t.Errorf("ValidateSuggestionReply = %q, %v", r, err)
	}
	if _, err := domain.ValidateSuggestionReply(""); err == nil {
		t.Error("an empty reply is accepted")
	}
}
