package domain

// Sizes of the suggestion box's fields.
const (
	SuggestionBodyMax  = 2000
	SuggestionReplyMax = 2000
	suggestionNameMax  = 40
)

// suggestionMoves is the suggestion box's lifecycle: which state may follow
// which. A reply may be rewritten while the suggestion is still open to
// work; closed and ordered are ends.
var suggestionMoves = map[SuggestionState][]SuggestionState{
	SuggestionOpen:    {SuggestionReplied, SuggestionClosed, SuggestionOrdered},
	SuggestionReplied: {SuggestionReplied, SuggestionClosed, SuggestionOrdered},
}

// SuggestionStates lists the states in the order staff work through them.
var SuggestionStates = []SuggestionState{SuggestionOpen, SuggestionReplied, SuggestionOrdered, SuggestionClosed}

// CanMoveTo reports whether a suggestion in state s may move to state t.
func (s SuggestionState) CanMoveTo(t SuggestionState) bool {
	for _, x := range suggestionMoves[s] {
		if x == t {
			return true
		}
	}
	return false
}

// Final reports whether nothing more can happen to a suggestion in state s.
func (s SuggestionState) Final() bool { return len(suggestionMoves[s]) == 0 }

// SuggestionMoveError is the conflict a refused move reports, naming the
// current state.
func SuggestionMoveError(s SuggestionState) error {
	return Errorf(CodeConflict, "err.suggestion.state", "enum.suggestion_state."+string(s))
}

// ValidSuggestionState reports whether s is a suggestion state.
func ValidSuggestionState(s SuggestionState) bool {
	for _, x := range SuggestionStates {
		if s == x {
			return true
		}
	}
	return false
}

// SuggestionInput is a suggestion as the public form gives it. Name and
// phone are optional: a suggestion may be anonymous.
type SuggestionInput struct {
	Name     string
	Phone    string
	RegionID int64
	Body     string
}

// Validate checks a suggestion's fields and returns them trimmed and
// normalised. Whether the region exists is the service's business.
func (in SuggestionInput) Validate() (SuggestionInput, error) {
	var v Validation
	in.Name = v.Line("name", in.Name, suggestionNameMax)
	in.Phone = NormalizePhone(in.Phone)
	v.Check(in.Phone == "" || ValidPhone(in.Phone), "phone", "err.phone")
	in.Body = v.Text("body", in.Body, SuggestionBodyMax)
	v.Check(in.Body != "", "body", "err.required")
	v.Check(in.RegionID >= 0, "region_id", "err.region.not_found")
	return in, v.Err()
}

// ValidateSuggestionReply checks a staff reply and returns it trimmed.
func ValidateSuggestionReply(reply string) (string, error) {
	var v Validation
	reply = v.Text("reply", reply, SuggestionReplyMax)
	v.Check(reply != "", "reply", "err.required")
	return reply, v.Err()
}
