package domain

import (
	"fmt"
	"strconv"
	"strings"
)

// The personal-data lifecycle: a person erased on the committee's decision,
// and how long orders and suggestions keep their contact details.

// ErasedName is the name an erased person keeps: "已注销人员" and a number
// made from their record, stable so that the committee can tell erased
// people apart in statistics and on certificates, and saying nothing of
// who they were.
func ErasedName(personID int64) string {
	return fmt.Sprintf("已注销人员-%06d", personID)
}

// ErasedPhone is the placeholder an erased person's phone becomes: unique
// (the column is), never a mobile number (it starts with 0), masked like
// any phone in lists.
func ErasedPhone(personID int64) string {
	return fmt.Sprintf("00%09d", personID)
}

// MaxEraseReason is the longest reason for an erasure, in characters.
const MaxEraseReason = 500

// ValidEraseReason checks the reason the committee gives for an erasure:
// required, one paragraph at most MaxEraseReason characters.
func ValidEraseReason(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", Invalid("reason", "err.privacy.reason_required")
	case len([]rune(s)) > MaxEraseReason:
		return "", Invalid("reason", "err.privacy.reason_long", MaxEraseReason)
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7F || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 {
			return "", Invalid("reason", "err.privacy.reason_chars")
		}
	}
	return s, nil
}

// Contact retention: months after an order or suggestion closed before its
// requester's name and phone are cleared.
const (
	ContactRetentionKey     = "privacy.contact_retention_months"
	DefaultContactRetention = 24
	MinContactRetention     = 6
	MaxContactRetention     = 120
)

// ParseContactRetention reads a retention in months from a form: a whole
// number from MinContactRetention to MaxContactRetention.
func ParseContactRetention(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < MinContactRetention || n > MaxContactRetention {
		return 0, Invalid("months", "err.privacy.months", MinContactRetention, MaxContactRetention)
	}
	return n, nil
}

// ContactClosedOrderStates are the order states after which nobody needs
// to call the requester: the order is over (served orders wait only for an
// evaluation by code, which needs no phone).
var ContactClosedOrderStates = []OrderState{OrderServed, OrderEvaluated, OrderRejected, OrderCancelled}

// ContactClosedSuggestionStates are the suggestion states that end one.
var ContactClosedSuggestionStates = []SuggestionState{SuggestionClosed, SuggestionOrdered}
