package service

// Calendar feeds (日历订阅): a volunteer's or a team's private iCalendar
// address. The address holds a 160-bit random secret; only its SHA-256 is
// stored, so the address is shown once, in the answer that made it, and a
// lost one is replaced by making a new one (which revokes the old).

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"strings"

	"vanguard/domain"
	"vanguard/store"
)

// calendarTokenBytes is the size of a feed's secret: 160 bits, 32
// characters in the address.
const calendarTokenBytes = 20

var calendarEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

func newCalendarToken() string {
	b := make([]byte, calendarTokenBytes)
	rand.Read(b)
	return strings.ToLower(calendarEncoding.EncodeToString(b))
}

// CalendarTokenValid reports whether s has the form of a feed's secret, so
// that the feed route answers a made-up address without a query.
func CalendarTokenValid(s string) bool {
	if len(s) != 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '2' && r <= '7') {
			return false
		}
	}
	return true
}

func feedLang(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "zh-CN"
}

// myPerson is the person linked to the caller's account; not found (in the
// words of the volunteer's page) when there is none.
func (s *Service) myPerson(ctx context.Context, c domain.Caller) (int64, error) {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return 0, err
	}
	id, err := s.store.PersonIDOfUser(ctx, c.UserID)
	if err == nil && id == 0 {
		err = domain.Errorf(domain.CodeNotFound, "err.cal.no_person")
	}
	return id, err
}

// MyCalendarFeed returns the caller's own feed, without its secret; not
// found when they have none.
func (s *Service) MyCalendarFeed(ctx context.Context, c domain.Caller) (domain.CalendarFeed, error) {
	pid, err := s.myPerson(ctx, c)
	if err != nil {
		return domain.CalendarFeed{}, err
	}
	return s.store.CalendarFeedOf(ctx, pid, 0)
}

// CreateMyCalendarFeed makes the caller a new feed, revoking the one they
// had, and returns it with its secret. lang is the language of its words.
func (s *Service) CreateMyCalendarFeed(ctx context.Context, c domain.Caller, lang string) (domain.CalendarFeed, error) {
	pid, err := s.myPerson(ctx, c)
	if err != nil {
		return domain.CalendarFeed{}, err
	}
	return s.createFeed(ctx, c, pid, 0, lang)
}

// RevokeMyCalendarFeed deletes the caller's feed; its address answers 404.
func (s *Service) RevokeMyCalendarFeed(ctx context.Context, c domain.Caller) error {
	pid, err := s.myPerson(ctx, c)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.DeleteCalendarFeed(pid, 0) })
}

// manageableTeam finds a team the caller may manage.
func (s *Service) manageableTeam(ctx context.Context, c domain.Caller, teamID int64) (domain.Team, error) {
	t, err := s.store.TeamByID(ctx, teamID)
	if err != nil {
		return t, err
	}
	return t, domain.Authorize(c.Principal, domain.ActTeamManage, t.Target())
}

// TeamCalendarFeed returns a team's feed, without its secret, to whoever
// may manage the team; not found when it has none.
func (s *Service) TeamCalendarFeed(ctx context.Context, c domain.Caller, teamID int64) (domain.CalendarFeed, error) {
	if _, err := s.manageableTeam(ctx, c, teamID); err != nil {
		return domain.CalendarFeed{}, err
	}
	return s.store.CalendarFeedOf(ctx, 0, teamID)
}

// CreateTeamCalendarFeed makes a team a new feed, revoking its old one, and
// returns it with its secret.
func (s *Service) CreateTeamCalendarFeed(ctx context.Context, c domain.Caller, teamID int64, lang string) (domain.CalendarFeed, error) {
	if _, err := s.manageableTeam(ctx, c, teamID); err != nil {
		return domain.CalendarFeed{}, err
	}
	return s.createFeed(ctx, c, 0, teamID, lang)
}

// RevokeTeamCalendarFeed deletes a team's feed.
func (s *Service) RevokeTeamCalendarFeed(ctx context.Context, c domain.Caller, teamID int64) error {
	if _, err := s.manageableTeam(ctx, c, teamID); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.DeleteCalendarFeed(0, teamID) })
}

func (s *Service) createFeed(ctx context.Context, c domain.Caller, personID, teamID int64, lang string) (domain.CalendarFeed, error) {
	f := domain.CalendarFeed{PersonID: personID, TeamID: teamID, Lang: feedLang(lang), Token: newCalendarToken()}
	err := s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		var err error
		f.ID, err = tx.SetCalendarFeed(personID, teamID, hashSecret(f.Token), f.Lang)
		f.CreatedAt = tx.Now()
		return err
	})
	return f, err
}

// CalendarFeed reads the feed whose secret is token, with its events from
// domain.CalendarPast ago to domain.CalendarFuture ahead. The token is the
// authority: no caller is needed, and a revoked or made-up token is not
// found.
func (s *Service) CalendarFeed(ctx context.Context, token string) (domain.CalendarFeed, []domain.CalendarEvent, error) {
	if !CalendarTokenValid(token) {
		return domain.CalendarFeed{}, nil, domain.Errorf(domain.CodeNotFound, "err.cal.no_feed")
	}
	f, err := s.store.CalendarFeedByHash(ctx, hashSecret(token))
	if err != nil {
		return f, nil, err
	}
	now := s.store.Now()
	events, err := s.store.CalendarEvents(ctx, f, now.Add(-domain.CalendarPast), now.Add(domain.CalendarFuture))
	return f, events, err
}
