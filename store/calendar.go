package store

// Calendar feeds (日历订阅): one private address per person and per team.
//
// Only the SHA-256 of a feed's secret is kept. Making a feed replaces the
// owner's old one in the same transaction (a unique key on the owner holds
// it to one), so the old address answers 404 the moment the new one exists;
// revoking deletes the row. A person's feed answers only while the person is
// linked to an account that is not disabled, so unlinking, disabling or
// erasing (which also deletes the row) silences it.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
)

// feedOwner names the owner of a feed for the audit log and for SQL.
func feedOwner(personID, teamID int64) (column string, id int64) {
	if teamID != 0 {
		return "team_id", teamID
	}
	return "person_id", personID
}

// SetCalendarFeed gives a person (personID) or a team (teamID) a feed whose
// secret hashes to tokenHash, replacing any feed it had, and audits it.
func (tx *Tx) SetCalendarFeed(personID, teamID int64, tokenHash, lang string) (int64, error) {
	col, owner := feedOwner(personID, teamID)
	if owner == 0 {
		return 0, fmt.Errorf("calendar feed without an owner")
	}
	res, err := tx.exec("DELETE FROM calendar_feeds WHERE "+col+" = ?", owner)
	if err != nil {
		return 0, fmt.Errorf("replace calendar feed: %w", err)
	}
	replaced, _ := res.RowsAffected()
	var person, team any
	if teamID != 0 {
		team = teamID
	} else {
		person = personID
	}
	id, err := tx.insert(`INSERT INTO calendar_feeds (token_hash, person_id, team_id, lang, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, tokenHash, person, team, lang, nullID(tx.actor.UserID), micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("create calendar feed: %w", err)
	}
	action := "calendar_feed.create"
	if replaced > 0 {
		action = "calendar_feed.regenerate"
	}
	return id, tx.Audit(action, "calendar_feed", strconv.FormatInt(id, 10), nil, map[string]any{col: owner})
}

// DeleteCalendarFeed revokes the feed of a person or a team and audits it;
// not found when there is none.
func (tx *Tx) DeleteCalendarFeed(personID, teamID int64) error {
	col, owner := feedOwner(personID, teamID)
	var id int64
	err := tx.queryRow("SELECT id FROM calendar_feeds WHERE "+col+" = ?", owner).Scan(&id)
	if err != nil {
		return notFound(err, "err.cal.no_feed")
	}
	if _, err := tx.exec("DELETE FROM calendar_feeds WHERE id = ?", id); err != nil {
		return fmt.Errorf("revoke calendar feed: %w", err)
	}
	return tx.Audit("calendar_feed.revoke", "calendar_feed", strconv.FormatInt(id, 10), map[string]any{col: owner}, nil)
}

// CalendarFeedOf returns the feed of a person or a team, without its
// secret; not found when there is none.
func (s *Store) CalendarFeedOf(ctx context.Context, personID, teamID int64) (domain.CalendarFeed, error) {
	col, owner := feedOwner(personID, teamID)
	f := domain.CalendarFeed{PersonID: personID, TeamID: teamID}
	var created int64
	err := s.queryRow(ctx, "SELECT id, lang, created_at FROM calendar_feeds WHERE "+col+" = ?", owner).
		Scan(&f.ID, &f.Lang, &created)
	f.CreatedAt = fromMicros(created)
	return f, notFound(err, "err.cal.no_feed")
}

// CalendarFeedByHash finds the feed whose secret hashes to tokenHash, with
// the name of its person or team. A revoked feed, or a person's feed whose
// person has no enabled account, is not found.
func (s *Store) CalendarFeedByHash(ctx context.Context, tokenHash string) (domain.CalendarFeed, error) {
	var f domain.CalendarFeed
	var created int64
	err := s.queryRow(ctx, `SELECT f.id, COALESCE(f.person_id, 0), COALESCE(f.team_id, 0), COALESCE(t.name, p.name, ''),
		f.lang, f.created_at
		FROM calendar_feeds f LEFT JOIN teams t ON t.id = f.team_id
		LEFT JOIN people p ON p.id = f.person_id LEFT JOIN users u ON u.id = p.user_id
		WHERE f.token_hash = ? AND (f.team_id IS NOT NULL OR (u.id IS NOT NULL AND u.disabled = ?))`,
		tokenHash, false).Scan(&f.ID, &f.PersonID, &f.TeamID, &f.Name, &f.Lang, &created)
	f.CreatedAt = fromMicros(created)
	return f, notFound(err, "err.cal.no_feed")
}

// CalendarEvents lists the activities of a feed that start within
// [from, to), by start: for a person those they hold, wait for or asked to
// join (a withdrawn or refused place is left out), for a team those it leads
// or takes part in. Cancelled activities stay, so that calendars mark them.
// One query reads the activities and one their categories.
func (s *Store) CalendarEvents(ctx context.Context, f domain.CalendarFeed, from, to time.Time) ([]domain.CalendarEvent, error) {
	var q string
	var args []any
	if f.TeamID != 0 {
		q = "SELECT " + activityColumns + ", ''" + activityFrom + ` WHERE (a.team_id = ?
			OR a.id IN (SELECT activity_id FROM activity_teams WHERE team_id = ?))`
		args = []any{f.TeamID, f.TeamID}
	} else {
		q = "SELECT " + activityColumns + ", su.state" + activityFrom + ` JOIN signups su ON su.activity_id = a.id
			WHERE su.person_id = ? AND su.state IN (?, ?, ?)`
		args = []any{f.PersonID, string(domain.SignupConfirmed), string(domain.SignupWaitlisted), string(domain.SignupRequested)}
	}
	q += " AND a.starts_at >= ? AND a.starts_at < ? ORDER BY a.starts_at, a.id LIMIT ?"
	args = append(args, micros(from), micros(to), domain.CalendarMaxEvents)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("calendar events: %w", err)
	}
	var out []domain.CalendarEvent
	idx := map[int64]int{}
	for rows.Next() {
		var state string
		a, err := scanActivity(rows, &state)
		if err != nil {
			rows.Close()
			return nil, err
		}
		idx[a.ID] = len(out)
		out = append(out, domain.CalendarEvent{Activity: a, Signup: domain.SignupState(state)})
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]string, len(out))
	for i, e := range out {
		ids[i] = strconv.FormatInt(e.ID, 10)
	}
	// ids are integers from the database.
	rows, err = s.query(ctx, `SELECT ac.activity_id, c.id, c.name_zh, c.name_en FROM activity_categories ac
		JOIN categories c ON c.id = ac.category_id WHERE ac.activity_id IN (`+strings.Join(ids, ",")+`) ORDER BY c.sort, c.id`)
	if err != nil {
		return nil, fmt.Errorf("calendar categories: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var aid int64
		var c domain.ActivityCategory
		if err := rows.Scan(&aid, &c.ID, &c.NameZh, &c.NameEn); err != nil {
			return nil, err
		}
		out[idx[aid]].Categories = append(out[idx[aid]].Categories, c)
	}
	return out, rows.Err()
}
