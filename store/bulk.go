package store

import (
	"fmt"
	"strconv"
	"strings"

	"vanguard/domain"
)

// Bulk loads: many rows in a few multi-row statements and one audit entry
// per call that says what was loaded, for filling a registry at once (the
// demo city). One audit row and one round trip per person would be most of
// the work of loading thousands. Callers validate every row first, as they
// would for a single insert.

// maxParams keeps a statement's bound parameters under SQLite's limit
// (32,766) and PostgreSQL's (65,535).
const maxParams = 30000

// bulkRows splits rows into statements of at most 1,024 rows and maxParams
// parameters and hands each to run: "INSERT INTO table (cols) VALUES (…),
// (…)" plus suffix (RETURNING …). The table and columns are constants of
// this package, never input. Statements hold a power of two of rows, so a
// few distinct statements serve loads of every size (PostgreSQL's rebound
// queries are cached by their text).
func (tx *Tx) bulkRows(table string, cols []string, rows [][]any, suffix string, run func(query string, args []any) error) error {
	limit := 1
	for limit*2 <= min(1024, maxParams/len(cols)) {
		limit *= 2
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for start := 0; start < len(rows); {
		n := limit
		for n > len(rows)-start {
			n /= 2
		}
		part := rows[start : start+n]
		start += n
		var b strings.Builder
		b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
		args := make([]any, 0, len(part)*len(cols))
		for i, r := range part {
			if len(r) != len(cols) {
				return fmt.Errorf("bulk insert into %s: row has %d values for %d columns", table, len(r), len(cols))
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(one)
			args = append(args, r...)
		}
		b.WriteString(suffix)
		if err := run(b.String(), args); err != nil {
			return fmt.Errorf("bulk insert into %s: %w", table, err)
		}
	}
	return nil
}

func (tx *Tx) insertRows(table string, cols []string, rows [][]any) error {
	return tx.bulkRows(table, cols, rows, "", func(q string, args []any) error {
		_, err := tx.exec(q, args...)
		return err
	})
}

// CreatePeople inserts many people with their skills, willingness and
// talents and audits them as one "person.bulk_create" entry with their
// number and ids. ids[i] is people[i]'s sealed ID-card number. Phone numbers
// must be unique among them and new to the registry: the phone is what maps
// the returned ids, in the order of people, back to the rows.
func (tx *Tx) CreatePeople(people []domain.ValidPerson, ids []SealedID) ([]int64, error) {
	if len(ids) != len(people) {
		return nil, fmt.Errorf("create people: %d sealed ID numbers for %d people", len(ids), len(people))
	}
	now := micros(tx.now)
	rows := make([][]any, len(people))
	for i, p := range people {
		var hash, region any
		if ids[i].Hash != "" {
			hash = ids[i].Hash
		}
		if p.RegionID != 0 {
			region = p.RegionID
		}
		rows[i] = []any{p.Name, string(p.Gender), p.Phone, ids[i].Cipher, hash, ids[i].Masked,
			string(p.PoliticalStatus), p.OrgID, region, int(p.Availability), now, now}
	}
	cols := []string{"name", "gender", "phone", "id_card_enc", "id_card_hash", "id_card_masked",
		"political_status", "org_id", "region_id", "availability", "created_at", "updated_at"}
	// The birth date (migration 032) is written only when some row has one,
	// so a load into a database at an earlier migration still works.
	for _, id := range ids {
		if id.BirthDate != "" {
			cols = append(cols, "birth_date")
			for i := range rows {
				rows[i] = append(rows[i], ids[i].BirthDate)
			}
			break
		}
	}
	byPhone := make(map[string]int64, len(people))
	err := tx.bulkRows("people", cols, rows, " RETURNING id, phone", func(q string, args []any) error {
		res, err := tx.query(q, args...)
		if err != nil {
			return err
		}
		defer res.Close()
		for res.Next() {
			var id int64
			var phone string
			if err := res.Scan(&id, &phone); err != nil {
				return err
			}
			byPhone[phone] = id
		}
		return res.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("create people: %w", err)
	}
	out := make([]int64, len(people))
	var skills, willing, talents [][]any
	for i, p := range people {
		id, ok := byPhone[p.Phone]
		if !ok {
			return nil, fmt.Errorf("create people: no id returned for row %d", i)
		}
		out[i] = id
		for _, s := range p.Skills {
			skills = append(skills, []any{id, s})
		}
		for _, c := range p.Willingness {
			willing = append(willing, []any{id, c})
		}
		for _, t := range p.Talents {
			talents = append(talents, []any{id, t})
		}
	}
	for _, l := range []struct {
		table, col string
		rows       [][]any
	}{{"person_skills", "skill", skills}, {"person_willingness", "category_id", willing}, {"person_talents", "tag", talents}} {
		if err := tx.insertRows(l.table, []string{"person_id", l.col}, l.rows); err != nil {
			return nil, fmt.Errorf("create people: %w", err)
		}
	}
	return out, tx.Audit("person.bulk_create", "person", idRange(out), nil, map[string]any{
		"count": len(out), "skills": len(skills), "willingness": len(willing), "talents": len(talents),
	})
}

// idRange names a run of new ids for the audit log: "12-5727".
func idRange(ids []int64) string {
	if len(ids) == 0 {
		return ""
	}
	lo, hi := ids[0], ids[0]
	for _, id := range ids {
		lo, hi = min(lo, id), max(hi, id)
	}
	return strconv.FormatInt(lo, 10) + "-" + strconv.FormatInt(hi, 10)
}

// AddMembers puts many stays on team rosters — current ones, and past ones
// with LeftOn set — and audits them as one "team.member_bulk_add" entry. At
// most one stay of a person in a team may be current (the unique index
// refuses a second).
func (tx *Tx) AddMembers(ms []domain.Membership) error {
	now := micros(tx.now)
	rows := make([][]any, len(ms))
	teams := map[int64]bool{}
	current := 0
	for i, m := range ms {
		rows[i] = []any{m.TeamID, m.PersonID, string(m.Role), m.JoinedOn, m.LeftOn, now}
		teams[m.TeamID] = true
		if m.Current() {
			current++
		}
	}
	err := tx.insertRows("team_members", []string{"team_id", "person_id", "role", "joined_on", "left_on", "created_at"}, rows)
	if err != nil {
		return fmt.Errorf("add members: %w", err)
	}
	return tx.Audit("team.member_bulk_add", "team", "", nil, map[string]any{
		"count": len(ms), "current": current, "teams": len(teams),
	})
}

// AddTrainings records many trainings and audits them as one
// "person.training_bulk_add" entry.
func (tx *Tx) AddTrainings(ts []domain.Training) error {
	now := micros(tx.now)
	rows := make([][]any, len(ts))
	for i, t := range ts {
		rows[i] = []any{t.PersonID, t.Date, t.Subject, int64(t.Minutes), now}
	}
	if err := tx.insertRows("trainings", []string{"person_id", "held_on", "subject", "minutes", "created_at"}, rows); err != nil {
		return fmt.Errorf("add trainings: %w", err)
	}
	return tx.Audit("person.training_bulk_add", "person", "", nil, map[string]any{"count": len(ts)})
}
