package service

import (
	"context"
	"strings"
	"unicode/utf8"

	"vanguard/domain"
	"vanguard/store"
)

// Service records (志愿服务记录): what a volunteer did — activities with
// hours, training, awards, the requesters' evaluations — and corrections of
// the hours, each a new version asked for by one person and decided by
// another.

// Stars is a star level with the hours it rests on and the next threshold.
type Stars struct {
	Minutes domain.Minutes
	Level   int
	Next    domain.Minutes // where the next level begins; 0 at the top
}

// StarsOf computes the star level of hours.
func StarsOf(hours domain.Minutes) Stars {
	s := Stars{Minutes: hours, Level: domain.StarLevel(hours)}
	s.Next, _ = domain.NextStar(hours)
	return s
}

// RecordPage is a volunteer's service record as one caller sees it.
type RecordPage struct {
	Person       domain.Person
	Records      []domain.ServiceRecord
	Stars        Stars
	Trainings    []domain.Training
	Awards       []domain.Award
	Evaluations  []store.RecordEvaluation
	Certificates []domain.Certificate
	Requests     []domain.CertificateRequest // the volunteer's own applications, on their own page
	Self         bool                        // the caller's own record
	CanAward     bool
	CanIssue     bool
	Points       [2]int64 // balance and earned in all (积分)
}

// personTargets is a person as the record policy sees them: their org, their
// account, and each team they are in now, for its leader.
func (s *Service) personTargets(ctx context.Context, p domain.Person) ([]domain.Target, error) {
	ts := []domain.Target{p.Target()}
	ms, err := s.store.PersonTeams(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.Current() {
			ts = append(ts, domain.Target{TeamID: m.TeamID})
		}
	}
	return ts, nil
}

// readablePerson loads a person whose records the caller may read.
func (s *Service) readablePerson(ctx context.Context, c domain.Caller, personID int64) (domain.Person, error) {
	if err := domain.Authorize(c.Principal, domain.ActRecordRead, domain.Target{}); err != nil {
		return domain.Person{}, err
	}
	p, err := s.store.PersonByID(ctx, personID)
	if err != nil {
		return p, err
	}
	ts, err := s.personTargets(ctx, p)
	if err != nil {
		return p, err
	}
	return p, domain.AuthorizeAny(c.Principal, domain.ActRecordRead, ts)
}

// PersonRecords returns a person's service record.
func (s *Service) PersonRecords(ctx context.Context, c domain.Caller, personID int64) (RecordPage, error) {
	p, err := s.readablePerson(ctx, c, personID)
	if err != nil {
		return RecordPage{}, err
	}
	return s.recordPage(ctx, c, p)
}

// MyRecords returns the caller's own service record; a not-found error when
// no person is linked to their account.
func (s *Service) MyRecords(ctx context.Context, c domain.Caller) (RecordPage, error) {
	if err := domain.Authorize(c.Principal, domain.ActRecordRead, domain.Target{}); err != nil {
		return RecordPage{}, err
	}
	// The person linked to the caller's account is the caller: a team
	// leader reads their own record as a volunteer does.
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if err != nil {
		return RecordPage{}, err
	}
	return s.recordPage(ctx, c, p)
}

func (s *Service) recordPage(ctx context.Context, c domain.Caller, p domain.Person) (RecordPage, error) {
	p = s.withNumber(p)
	d := RecordPage{Person: p, Self: p.UserID != 0 && p.UserID == c.UserID,
		CanAward: domain.Can(c.Principal, domain.ActRegistryWrite, p.Target()),
		CanIssue: domain.Can(c.Principal, domain.ActCertificateIssue, domain.Target{})}
	var err error
	if d.Records, err = s.store.PersonRecords(ctx, p.ID); err != nil {
		return d, err
	}
	if d.Self {
		if d.Requests, err = s.store.PersonCertificateRequests(ctx, p.ID); err != nil {
			return d, err
		}
	}
	hours, err := s.store.PersonMinutes(ctx, p.ID)
	if err != nil {
		return d, err
	}
	d.Stars = StarsOf(hours)
	if d.Points[0], d.Points[1], err = s.store.PointsBalance(ctx, p.ID); err != nil {
		return d, err
	}
	if d.Trainings, err = s.store.ListTrainings(ctx, p.ID); err != nil {
		return d, err
	}
	if d.Awards, err = s.store.PersonAwards(ctx, p.ID); err != nil {
		return d, err
	}
	if d.Evaluations, err = s.store.PersonEvaluations(ctx, p.ID); err != nil {
		return d, err
	}
	// Whoever may read the record may see the certificates issued for it.
	d.Certificates, _, err = s.store.ListCertificates(ctx, store.CertificateFilter{Scope: domain.Scope{All: true},
		PersonID: p.ID, Limit: 100})
	if err != nil {
		return d, err
	}
	return d, nil
}

// RecordDetail is one record with its history, as one caller sees it.
type RecordDetail struct {
	Person   domain.Person
	Record   domain.ServiceRecord
	Versions []domain.RecordVersion // the original first
	// CanCorrect: the caller may ask for a correction; CanDecide: the caller
	// may approve or reject the pending one (not their own request).
	CanCorrect bool
	CanDecide  bool
	OwnRequest bool
	Declared   bool // the activity is approved declared service (自主申报)
}

// Pending returns the correction waiting for a decision, if any.
func (d RecordDetail) Pending() (domain.RecordVersion, bool) {
	for _, v := range d.Versions {
		if v.State == domain.VersionPending {
			return v, true
		}
	}
	return domain.RecordVersion{}, false
}

// Record returns one record of a person with every version.
func (s *Service) Record(ctx context.Context, c domain.Caller, personID, activityID int64) (RecordDetail, error) {
	if err := domain.Authorize(c.Principal, domain.ActRecordRead, domain.Target{}); err != nil {
		return RecordDetail{}, err
	}
	r, err := s.store.ServiceRecord(ctx, activityID, personID)
	if err != nil {
		return RecordDetail{}, err
	}
	p, err := s.store.PersonByID(ctx, personID)
	if err != nil {
		return RecordDetail{}, err
	}
	ts, err := s.personTargets(ctx, p)
	if err != nil {
		return RecordDetail{}, err
	}
	if err := domain.AuthorizeAny(c.Principal, domain.ActRecordRead, append(ts, r.Target())); err != nil {
		return RecordDetail{}, err
	}
	d := RecordDetail{Person: p, Record: r, CanCorrect: domain.Can(c.Principal, domain.ActRecordCorrect, r.Target())}
	if d.Versions, err = s.store.RecordVersions(ctx, r); err != nil {
		return d, err
	}
	if d.Declared, err = s.store.ActivityDeclared(ctx, activityID); err != nil {
		return d, err
	}
	if v, ok := d.Pending(); ok {
		d.OwnRequest = v.RequestedBy == c.UserID
		d.CanDecide = !d.OwnRequest && domain.Can(c.Principal, domain.ActRecordApprove, r.Target())
	}
	return d, nil
}

// RequestCorrection asks for a record's hours to be corrected. The
// organiser's admins, the committee and the leading team's leader may ask;
// the new hours count once another person approves them.
func (s *Service) RequestCorrection(ctx context.Context, c domain.Caller, personID, activityID int64, in domain.CorrectionInput) (int64, error) {
	if err := domain.Authorize(c.Principal, domain.ActRecordCorrect, domain.Target{}); err != nil {
		return 0, err
	}
	r, err := s.store.ServiceRecord(ctx, activityID, personID)
	if err != nil {
		return 0, err
	}
	if err := domain.Authorize(c.Principal, domain.ActRecordCorrect, r.Target()); err != nil {
		return 0, err
	}
	if err := in.Validate(r.Minutes, r.Scheduled()); err != nil {
		return 0, err
	}
	if r.Pending {
		return 0, domain.Errorf(domain.CodeConflict, "err.record.pending")
	}
	var id int64
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		id, err = tx.RequestCorrection(r, in, callerName(c))
		return err
	})
	return id, err
}

// callerName is how a record names the person who acted.
func callerName(c domain.Caller) string {
	if c.DisplayName != "" {
		return c.DisplayName
	}
	return c.Username
}

// DecideCorrection approves or rejects a pending correction. The requester
// may not decide their own; a rejection says why.
func (s *Service) DecideCorrection(ctx context.Context, c domain.Caller, versionID int64, approve bool, note string) (domain.RecordVersion, error) {
	if err := domain.Authorize(c.Principal, domain.ActRecordApprove, domain.Target{}); err != nil {
		return domain.RecordVersion{}, err
	}
	v, err := s.store.RecordVersionByID(ctx, versionID)
	if err != nil {
		return v, err
	}
	if err := domain.Authorize(c.Principal, domain.ActRecordApprove, v.Target()); err != nil {
		return v, err
	}
	if v.RequestedBy == c.UserID {
		return v, domain.Errorf(domain.CodeForbidden, "err.record.own_request")
	}
	if v.State != domain.VersionPending {
		return v, domain.Errorf(domain.CodeConflict, "err.record.decided")
	}
	note = strings.TrimSpace(note)
	var val domain.Validation
	val.Check(approve || note != "", "note", "err.record.reject_reason")
	val.Check(utf8.RuneCountInString(note) <= domain.MaxReasonLen, "note", "err.too_long", domain.MaxReasonLen)
	val.Check(domain.CleanText(note), "note", "err.text.control")
	if err := val.Err(); err != nil {
		return v, err
	}
	return v, s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		if err := tx.DecideCorrection(versionID, approve, note, callerName(c)); err != nil {
			return err
		}
		return notifyCorrectionDecided(tx, v, approve, note)
	})
}

// PendingCorrections lists the corrections waiting for a decision on
// records in the caller's scope.
func (s *Service) PendingCorrections(ctx context.Context, c domain.Caller) ([]domain.RecordVersion, error) {
	if err := domain.Authorize(c.Principal, domain.ActRecordCorrect, domain.Target{}); err != nil {
		return nil, err
	}
	return s.store.PendingCorrections(ctx, domain.ScopeOf(c.Principal, domain.ActRecordCorrect), 200)
}

// CanDecide reports whether the caller may approve or reject a pending
// correction.
func CanDecide(c domain.Caller, v domain.RecordVersion) bool {
	return v.State == domain.VersionPending && v.RequestedBy != c.UserID &&
		domain.Can(c.Principal, domain.ActRecordApprove, v.Target())
}

// AddAward records an award of a person in the caller's scope.
func (s *Service) AddAward(ctx context.Context, c domain.Caller, a domain.Award) error {
	p, err := s.store.PersonByID(ctx, a.PersonID)
	if err != nil {
		return err
	}
	if err := domain.Authorize(c.Principal, domain.ActRegistryWrite, p.Target()); err != nil {
		return err
	}
	if err := a.Validate(s.chinaToday()); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		_, err := tx.AddAward(a)
		return err
	})
}

// StarsOfPeople returns the star level of each of people, from one
// aggregate query, for lists the caller already sees.
func (s *Service) StarsOfPeople(ctx context.Context, c domain.Caller, people []int64) (map[int64]int, error) {
	if c.Anonymous() {
		return nil, domain.Errorf(domain.CodeUnauthorized, "err.unauthorized")
	}
	hours, err := s.store.MinutesOf(ctx, people)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(hours))
	for id, h := range hours {
		if n := domain.StarLevel(h); n > 0 {
			out[id] = n
		}
	}
	return out, nil
}

// MyStars returns the caller's own star level; the zero Stars when no
// person is linked to their account.
func (s *Service) MyStars(ctx context.Context, c domain.Caller) (Stars, error) {
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return Stars{}, nil
	} else if err != nil {
		return Stars{}, err
	}
	h, err := s.store.PersonMinutes(ctx, p.ID)
	return StarsOf(h), err
}

// PersonStars returns a person's star level, for a caller who may see the
// person.
func (s *Service) PersonStars(ctx context.Context, c domain.Caller, personID int64) (Stars, error) {
	if _, err := s.Person(ctx, c, personID); err != nil {
		return Stars{}, err
	}
	h, err := s.store.PersonMinutes(ctx, personID)
	return StarsOf(h), err
}
