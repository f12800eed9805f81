package store

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"vanguard/domain"
)

// PastActivity is an activity with its sign-ups and attendance, loaded
// whole: the demo city's year of service. A completed one gets its hours
// recorded as CompleteActivity would.
type PastActivity struct {
	Input      domain.ActivityInput // normalised and valid
	OrgID      int64
	State      domain.ActivityState
	Signups    []PastSignup
	Attendance []PastAttendance
	ID         int64 // set by LoadPastActivities
}

// PastSignup is one sign-up of a PastActivity.
type PastSignup struct {
	PersonID int64
	TeamID   int64
	State    domain.SignupState
	At       time.Time
}

// PastAttendance is one check-in/check-out pair of a PastActivity; Out is
// zero while checked in.
type PastAttendance struct {
	PersonID  int64
	In, Out   time.Time
	MethodIn  domain.AttendanceMethod
	MethodOut domain.AttendanceMethod
}

// LoadPastActivities inserts activities with their sign-ups, attendance and
// recorded hours in tx, setting each one's ID, and audits the load as one
// entry. The confirmed sign-ups of each must fit its capacity.
func (tx *Tx) LoadPastActivities(as []*PastActivity) error {
	people := 0
	for _, a := range as {
		if err := tx.loadPastActivity(a); err != nil {
			return fmt.Errorf("past activity %q: %w", a.Input.Title, err)
		}
		people += len(a.Signups)
	}
	return tx.Audit("activity.load", "activity", "", nil, map[string]any{"activities": len(as), "signups": people})
}

func (tx *Tx) loadPastActivity(a *PastActivity) error {
	in := a.Input
	taken := 0
	for _, g := range a.Signups {
		if g.State == domain.SignupConfirmed {
			taken++
		}
	}
	if taken > in.Capacity {
		return fmt.Errorf("%d confirmed for %d places", taken, in.Capacity)
	}
	completed := int64(0)
	if a.State == domain.ActivityCompleted {
		completed = micros(in.EndsAt)
	}
	created := micros(in.StartsAt.Add(-7 * 24 * time.Hour))
	id, err := tx.insert(`INSERT INTO activities (title, mode, state, org_id, team_id, order_id, site_id, region_id,
		address, starts_at, ends_at, cancel_cutoff, capacity, taken, skills, description, created_at, updated_at,
		completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		in.Title, string(in.Mode), string(a.State), a.OrgID, nullID(in.TeamID), nullID(in.OrderID), nullID(in.SiteID),
		nullID(in.RegionID), in.Address, micros(in.StartsAt), micros(in.EndsAt), micros(in.CancelCutoff()),
		in.Capacity, taken, strings.Join(in.Skills, "\n"), in.Description, created, created, completed)
	if err != nil {
		return err
	}
	a.ID = id
	if err := tx.setActivityLinks(id, in); err != nil {
		return err
	}
	teamOf := map[int64]int64{}
	for _, g := range a.Signups {
		teamOf[g.PersonID] = g.TeamID
		if _, err := tx.exec(`INSERT INTO signups (activity_id, person_id, team_id, state, queued_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, g.PersonID, nullID(g.TeamID), string(g.State), micros(g.At),
			micros(g.At), micros(g.At)); err != nil {
			return err
		}
	}
	pairs := map[int64][]domain.Attendance{}
	perDay := map[string]int{}
	for _, p := range a.Attendance {
		day := domain.ChinaDay(p.In)
		key := fmt.Sprint(p.PersonID, day)
		perDay[key]++
		if perDay[key] > domain.MaxPairsPerDay {
			return fmt.Errorf("person %d: more than %d pairs on %s", p.PersonID, domain.MaxPairsPerDay, day)
		}
		if _, err := tx.exec(`INSERT INTO attendance (activity_id, person_id, day, pair, check_in, check_out,
			method_in, method_out) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, p.PersonID, day, perDay[key],
			micros(p.In), micros(p.Out), string(p.MethodIn), string(p.MethodOut)); err != nil {
			return err
		}
		pairs[p.PersonID] = append(pairs[p.PersonID], domain.Attendance{PersonID: p.PersonID, CheckIn: p.In, CheckOut: p.Out})
	}
	if a.State != domain.ActivityCompleted {
		return nil
	}
	ids := make([]int64, 0, len(pairs))
	for p := range pairs {
		ids = append(ids, p)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, p := range ids {
		h := domain.AttendedHours(in.StartsAt, in.EndsAt, pairs[p])
		if _, err := tx.exec(`INSERT INTO activity_hours (activity_id, person_id, team_id, hours, recorded_at)
			VALUES (?, ?, ?, ?, ?)`, id, p, nullID(teamOf[p]), h, completed); err != nil {
			return err
		}
	}
	return nil
}
