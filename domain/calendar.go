package domain

import "time"

// The window of a calendar feed: activities that started up to a month ago
// (so a calendar keeps the recent past) and those planned for the next half
// year.
const (
	CalendarPast   = 30 * 24 * time.Hour
	CalendarFuture = 180 * 24 * time.Hour
	// CalendarMaxEvents bounds one feed, so that a very busy team's feed
	// stays cheap to build and small to fetch.
	CalendarMaxEvents = 1000
)

// CalendarFeed is a private calendar address of a person or a team. The
// secret is never kept; Token is filled only in the answer that made it.
type CalendarFeed struct {
	ID        int64
	PersonID  int64 // a volunteer's feed: the activities they signed up for
	TeamID    int64 // a team's feed: the activities the team takes part in
	Name      string
	Lang      string
	CreatedAt time.Time
	Token     string
}

// CalendarEvent is one activity as a feed shows it.
type CalendarEvent struct {
	Activity
	Signup SignupState // the volunteer's place; empty in a team's feed
}
