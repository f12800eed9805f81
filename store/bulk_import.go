package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"vanguard/domain"
)

// Bulk reads and writes for spreadsheet imports and exports. An import of
// 50,000 people written one statement at a time would take minutes on
// PostgreSQL (a network round trip each, FINDINGS.md); these methods write
// many rows per statement (bulk.go) and still audit every row, as the forms
// do.

// ImportedPerson is one validated, sealed row of a people import.
type ImportedPerson struct {
	Person domain.ValidPerson
	ID     SealedID
	// HeldPhone, with SameAs, holds the row's number, which the person
	// SameAs outside the importer's scope has (see held.go); Person.Phone is
	// then the placeholder.
	HeldPhone string
	SameAs    int64
}

// ImportPeople inserts people with their skills, willingness and talents
// (CreatePeople) and audits each as person.create, as the form does. The
// caller has checked that no phone or ID number is taken. It returns the
// new ids in the order of people.
func (tx *Tx) ImportPeople(people []ImportedPerson) ([]int64, error) {
	ps := make([]domain.ValidPerson, len(people))
	sealed := make([]SealedID, len(people))
	for i, x := range people {
		ps[i], sealed[i] = x.Person, x.ID
	}
	ids, err := tx.CreatePeople(ps, sealed)
	if err != nil {
		return nil, err
	}
	audits := make([]auditRecord, len(people))
	for i, x := range people {
		if audits[i], err = tx.auditRow("person.create", "person", strconv.FormatInt(ids[i], 10), nil,
			personSummary(x.Person, x.ID)); err != nil {
			return nil, err
		}
	}
	if err := tx.auditMany(audits); err != nil {
		return nil, err
	}
	for i, x := range people {
		if x.HeldPhone != "" {
			if err := tx.SetHeldPhone(ids[i], x.HeldPhone, x.SameAs); err != nil {
				return nil, err
			}
		}
	}
	return ids, nil
}

// PersonRef is a person as a roster import finds them by phone: enough to
// check the name and the importer's scope, and no more.
type PersonRef struct {
	ID      int64
	Name    string
	OrgPath string
	UserID  int64
}

// Target is the person as an object of the policy.
func (p PersonRef) Target() domain.Target { return domain.Target{OrgPath: p.OrgPath, UserID: p.UserID} }

// PeopleByPhones finds the people with the given phone numbers.
func (tx *Tx) PeopleByPhones(phones []string) (map[string]PersonRef, error) {
	out := map[string]PersonRef{}
	err := inBatches(phones, func(args []any, marks string) error {
		rows, err := tx.query(`SELECT p.phone, p.id, p.name, o.path, COALESCE(p.user_id, 0)
			FROM people p JOIN orgs o ON o.id = p.org_id WHERE p.phone IN (`+marks+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var phone string
			var p PersonRef
			if err := rows.Scan(&phone, &p.ID, &p.Name, &p.OrgPath, &p.UserID); err != nil {
				return err
			}
			out[phone] = p
		}
		return rows.Err()
	})
	return out, err
}

// PhoneHolders finds everyone who has one of phones: on file
// (people.phone) or held (people.held_phone, see held.go), each number's
// people in the order of their ids. A number typed into a form or a sheet
// is taken by either: were a held entry not matched, a second entry with
// its number would be answered as a free one where a number entered before
// is refused, and the difference would tell that the number is registered
// outside the caller's scope.
func (tx *Tx) PhoneHolders(phones []string) (map[string][]PersonRef, error) {
	out := map[string][]PersonRef{}
	// Each number once, and never "": every person not held has held_phone ''.
	want := make(map[string]bool, len(phones))
	var distinct []string
	for _, p := range phones {
		if p != "" && !want[p] {
			want[p] = true
			distinct = append(distinct, p)
		}
	}
	err := inBatches(distinct, func(args []any, marks string) error {
		rows, err := tx.query(`SELECT p.phone, p.held_phone, p.id, p.name, o.path, COALESCE(p.user_id, 0)
			FROM people p JOIN orgs o ON o.id = p.org_id
			WHERE p.phone IN (`+marks+`) OR p.held_phone IN (`+marks+`) ORDER BY p.id`, append(args, args...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var phone, held string
			var p PersonRef
			if err := rows.Scan(&phone, &held, &p.ID, &p.Name, &p.OrgPath, &p.UserID); err != nil {
				return err
			}
			if held != "" && want[held] {
				phone = held
			}
			if want[phone] {
				out[phone] = append(out[phone], p)
			}
		}
		return rows.Err()
	})
	return out, err
}

// CurrentMemberIDs returns the people on a team's roster now.
func (tx *Tx) CurrentMemberIDs(teamID int64) (map[int64]bool, error) {
	rows, err := tx.query("SELECT person_id FROM team_members WHERE team_id = ? AND left_on = ''", teamID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// ImportMembers puts people on a team's roster (AddMembers) and audits each
// as team.member_add, as the form does. The caller has checked that none is
// a current member; the unique index refuses it anyway.
func (tx *Tx) ImportMembers(teamID int64, ms []domain.Membership) error {
	audits := make([]auditRecord, len(ms))
	for i := range ms {
		ms[i].TeamID, ms[i].LeftOn = teamID, ""
		a, err := tx.auditRow("team.member_add", "team", strconv.FormatInt(teamID, 10), nil,
			map[string]any{"person_id": ms[i].PersonID, "role": ms[i].Role, "joined_on": ms[i].JoinedOn})
		if err != nil {
			return err
		}
		audits[i] = a
	}
	if err := tx.AddMembers(ms); err != nil {
		return err
	}
	return tx.auditMany(audits)
}

// IDCardCiphers returns the encrypted ID-card numbers of people, by id, for
// an export that shows them in full.
func (s *Store) IDCardCiphers(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	err := inBatches(ids, func(args []any, marks string) error {
		rows, err := s.query(ctx, "SELECT id, id_card_enc FROM people WHERE id IN ("+marks+")", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var enc string
			if err := rows.Scan(&id, &enc); err != nil {
				return err
			}
			out[id] = enc
		}
		return rows.Err()
	})
	return out, err
}

// inBatches calls fn with the values in batches of at most 512, as query
// arguments with their placeholders. Batch sizes are powers of two, so a
// handful of distinct statements serves every call.
func inBatches[T any](values []T, fn func(args []any, marks string) error) error {
	for start := 0; start < len(values); {
		n := batchSize(len(values)-start, 512)
		args := make([]any, n)
		for i := range args {
			args[i] = values[start+i]
		}
		if err := fn(args, strings.TrimSuffix(strings.Repeat("?,", n), ",")); err != nil {
			return err
		}
		start += n
	}
	return nil
}

// batchSize is the largest power of two no greater than left and limit.
func batchSize(left, limit int) int {
	n := 1
	for n*2 <= left && n*2 <= limit {
		n *= 2
	}
	return n
}

// auditRow prepares one audit entry as Audit would write it.
func (tx *Tx) auditRow(action, objectType, objectID string, before, after map[string]any) (auditRecord, error) {
	b, err := summary(before)
	if err != nil {
		return auditRecord{}, err
	}
	a, err := summary(after)
	if err != nil {
		return auditRecord{}, err
	}
	r := auditRecord{At: micros(tx.now), Username: tx.actor.Username, Role: string(tx.actor.Role),
		Action: action, ObjectType: objectType, ObjectID: objectID, IP: tx.actor.IP,
		RequestID: tx.actor.RequestID, Before: b, After: a}
	if tx.actor.UserID != 0 {
		r.UserID = sql.NullInt64{Int64: tx.actor.UserID, Valid: true}
	}
	return r, nil
}

// auditMany records prepared audit entries; write inserts them, chained,
// just before the transaction commits (auditchain.go).
func (tx *Tx) auditMany(rows []auditRecord) error {
	tx.pending = append(tx.pending, rows...)
	tx.audited += len(rows)
	return nil
}
