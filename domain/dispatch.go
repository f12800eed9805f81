package domain

import "time"

// DispatchState is where one dispatched slot stands.
type DispatchState string

// The dispatch states.
const (
	DispatchPending   DispatchState = "pending"   // sent, not yet answered
	DispatchConfirmed DispatchState = "confirmed" // the team took it on (接单)
	DispatchDeclined  DispatchState = "declined"  // the team declined, with a reason
)

// Dispatch gives one (order, category) slot to a team.
type Dispatch struct {
	ID             int64
	OrderID        int64
	CategoryID     int64
	TeamID         int64
	TeamName       string
	PersonDays     float64
	State          DispatchState
	ProposedTeamID int64  // the team the plan proposed, when staff chose another
	OverrideReason string // why staff chose another team
	Reason         string // the team's reason for declining
	DispatchedBy   string
	DispatchedAt   time.Time
	AnsweredAt     time.Time
}

// Slot is one category of an order still to be given to a team, with the
// person-days it needs.
type Slot struct {
	OrderID    int64
	CategoryID int64
	PersonDays float64
}

// DispatchOverdue is how long a dispatch may wait for its team's answer
// before the committee is told.
const DispatchOverdue = 3 * 24 * time.Hour
