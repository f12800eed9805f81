package service

import (
	"context"

	"vanguard/domain"
	"vanguard/store"
)

// BulkAccountsMax is how many accounts one request creates at most: each
// password is hashed with argon2id (about 0.1 s here), so a hundred take
// about ten seconds. A larger roster is done in several batches, which the
// skipping of people who have an account makes safe to repeat.
const BulkAccountsMax = 100

// Slip is what one person needs to sign in for the first time: printed on
// a slip or written to a spreadsheet, and never stored.
type Slip struct {
	PersonID int64
	Name     string
	Org      string
	Username string
	Password string // one-time, to be changed at first sign-in
}

// BulkResult is what a bulk creation did: the new accounts' slips and the
// people skipped because they had an account already.
type BulkResult struct {
	Created []Slip
	Skipped []domain.Person
}

// CreateAccountsForPeople creates volunteer accounts for the people with the
// given ids, linked to them, with one-time passwords; see createAccounts.
func (s *Service) CreateAccountsForPeople(ctx context.Context, c domain.Caller, ids []int64) (BulkResult, error) {
	if err := domain.Authorize(c.Principal, domain.ActUserManage, domain.Target{}); err != nil {
		return BulkResult{}, err
	}
	seen := map[int64]bool{}
	var people []domain.Person
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		p, err := s.store.PersonByID(ctx, id)
		if err != nil {
			return BulkResult{}, err
		}
		people = append(people, p)
	}
	return s.createAccounts(ctx, c, people)
}

// CreateAccountsForFilter creates volunteer accounts for every person
// matching f (a team's roster, a search) within the caller's scope.
func (s *Service) CreateAccountsForFilter(ctx context.Context, c domain.Caller, f store.PeopleFilter) (BulkResult, error) {
	if err := domain.Authorize(c.Principal, domain.ActUserManage, domain.Target{}); err != nil {
		return BulkResult{}, err
	}
	f.Scope = domain.ScopeOf(c.Principal, domain.ActUserManage)
	f.Offset, f.Limit = 0, 0
	people, _, err := s.store.ListPeople(ctx, f)
	if err != nil {
		return BulkResult{}, err
	}
	return s.createAccounts(ctx, c, people)
}

// createAccounts creates a volunteer account for each person without one,
// all in one transaction: login names by domain.BulkUsername, one-time
// passwords that must be changed at first sign-in, each account audited
// (never its password). People with an account are skipped and listed.
func (s *Service) createAccounts(ctx context.Context, c domain.Caller, people []domain.Person) (BulkResult, error) {
	var res BulkResult
	var todo []domain.Person
	for _, p := range people {
		if err := domain.Authorize(c.Principal, domain.ActUserManage, domain.Target{OrgPath: p.OrgPath}); err != nil {
			return res, err
		}
		if p.UserID != 0 {
			res.Skipped = append(res.Skipped, p)
		} else {
			todo = append(todo, p)
		}
	}
	if len(todo) == 0 && len(res.Skipped) == 0 {
		return res, domain.Invalid("person", "err.bulk.none")
	}
	if len(todo) > BulkAccountsMax {
		return res, domain.Invalid("person", "err.bulk.too_many", len(todo), BulkAccountsMax)
	}
	hashes := make([]string, len(todo))
	slips := make([]Slip, len(todo))
	for i, p := range todo {
		pw := OneTimePassword()
		h, err := s.hasher.Hash(pw)
		if err != nil {
			return res, err
		}
		hashes[i] = h
		slips[i] = Slip{PersonID: p.ID, Name: p.Name, Org: p.OrgName, Password: pw}
	}
	err := s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		for i, p := range todo {
			name, err := freeUsernameTx(tx, p.ID)
			if err != nil {
				return err
			}
			n := NewAccount{Username: name, DisplayName: p.Name, Role: domain.RoleVolunteer, PersonID: p.ID}
			if _, err := createAccount(tx, n, hashes[i], true); err != nil {
				return err
			}
			slips[i].Username = name
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	res.Created = slips
	return res, nil
}

// freeUsernameTx is freeUsername inside a write transaction.
func freeUsernameTx(tx *store.Tx, personID int64) (string, error) {
	for attempt := 0; ; attempt++ {
		name := domain.BulkUsername(personID, attempt)
		taken, err := tx.UsernameTaken(name)
		if err != nil || !taken {
			return name, err
		}
	}
}
