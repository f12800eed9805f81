package domain

import (
	"time"
)

// Evaluation is the requester's word on a served order (评单): a rating from
// 1 to 5 with a comment, or a complaint for the committee to answer, or both.
// There is at most one per order.
type Evaluation struct {
	ID            int64
	OrderID       int64
	Rating        int // 1–5; 0 for a complaint that gives no rating
	Comment       string
	Complaint     bool
	ComplaintText string
	CreatedAt     time.Time
	Answer        string // the committee's answer to a complaint
	AnsweredBy    int64
	AnsweredName  string
	AnsweredAt    time.Time // zero while a complaint waits for its answer
	Teams         []string  // the teams that served the order
}

// Answered reports whether the committee has answered the complaint.
func (e Evaluation) Answered() bool { return !e.AnsweredAt.IsZero() }

// OpenComplaint reports whether the evaluation is a complaint still waiting
// for its answer.
func (e Evaluation) OpenComplaint() bool { return e.Complaint && !e.Answered() }

// Limits on what a requester writes.
const (
	EvaluationMaxRating = 5
	EvaluationTextMax   = 1000 // runes of a comment or a complaint
	ComplaintAnswerMax  = 1000
	evaluationMinRating = 1
)

// EvaluationInput is an evaluation as the public form gives it.
type EvaluationInput struct {
	Rating        int // 0 when none was chosen; -1 when what came was not a number
	Comment       string
	Complaint     bool
	ComplaintText string
}

// Validate checks an evaluation and returns it trimmed. A rating from 1 to 5
// is needed unless it is a complaint; a complaint needs its text. Text typed
// into the complaint box makes it a complaint: a requester who wrote one
// meant to file it.
func (in EvaluationInput) Validate() (EvaluationInput, error) {
	var v Validation
	in.Comment = v.Text("comment", in.Comment, EvaluationTextMax)
	in.ComplaintText = v.Text("complaint_text", in.ComplaintText, EvaluationTextMax)
	if in.ComplaintText != "" {
		in.Complaint = true
	}
	switch {
	case in.Rating == 0 && !in.Complaint:
		v.Add("rating", "err.eval.rating_required")
	case in.Rating != 0 && (in.Rating < evaluationMinRating || in.Rating > EvaluationMaxRating):
		v.Add("rating", "err.eval.rating", evaluationMinRating, EvaluationMaxRating)
	}
	if in.Complaint {
		v.Check(in.ComplaintText != "", "complaint_text", "err.eval.complaint_required")
	}
	return in, v.Err()
}

// ValidateComplaintAnswer checks the committee's answer to a complaint and
// returns it trimmed.
func ValidateComplaintAnswer(answer string) (string, error) {
	answer, err := ValidText("answer", answer, ComplaintAnswerMax)
	if err == nil && answer == "" {
		err = Invalid("answer", "err.required")
	}
	return answer, err
}
