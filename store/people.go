package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"vanguard/domain"
)

// PeopleFilter selects people for lists and exports. Scope is the viewer's
// and is always applied; the rest are the user's filters.
type PeopleFilter struct {
	Scope      domain.Scope
	Query      string // part of a name
	PersonID   int64  // this person only (a volunteer number was searched for)
	Skill      string
	CategoryID int64 // willing to serve in
	RegionID   int64 // home region or any region under it
	Status     domain.PoliticalStatus
	TeamID     int64 // current member of
	Talent     string
	OrgID      int64 // in this org's subtree (within the scope)
	// Held keeps only people whose number is held (held.go): the
	// duplicates the committee resolves. The service sets it for the
	// committee only, as an admin would learn of people outside their scope.
	Held   bool
	Offset int
	Limit  int // 0 means no limit (exports)
}

func (f PeopleFilter) where() (string, []any) {
	cond, args := inScope("o.path", "", f.Scope)
	add := func(c string, a ...any) {
		cond += " AND " + c
		args = append(args, a...)
	}
	if f.PersonID != 0 {
		add("p.id = ?", f.PersonID)
	} else if q := strings.TrimSpace(f.Query); q != "" {
		add("p.name LIKE ? ESCAPE '\\'", "%"+escapeLike(q)+"%")
	}
	if f.Skill != "" {
		add("EXISTS (SELECT 1 FROM person_skills k WHERE k.person_id = p.id AND k.skill = ?)", f.Skill)
	}
	if f.CategoryID != 0 {
		add("EXISTS (SELECT 1 FROM person_willingness w WHERE w.person_id = p.id AND w.category_id = ?)", f.CategoryID)
	}
	if f.RegionID != 0 {
		add("EXISTS (SELECT 1 FROM regions r WHERE r.id = p.region_id AND r.path LIKE ?)", "%/"+strconv.FormatInt(f.RegionID, 10)+"/%")
	}
	if f.Status != "" {
		add("p.political_status = ?", string(f.Status))
	}
	if f.TeamID != 0 {
		add("EXISTS (SELECT 1 FROM team_members m WHERE m.person_id = p.id AND m.team_id = ? AND m.left_on = '')", f.TeamID)
	}
	if f.Talent != "" {
		add("EXISTS (SELECT 1 FROM person_talents t WHERE t.person_id = p.id AND t.tag = ?)", f.Talent)
	}
	if f.OrgID != 0 {
		add("o.path LIKE (SELECT path FROM orgs WHERE id = ?) || '%'", f.OrgID)
	}
	if f.Held {
		add("p.held_phone <> ''")
	}
	return cond, args
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// personPhone is a person's mobile number: the one typed for a held
// person (see HoldPhone), else the one on file.
const personPhone = `(CASE WHEN p.held_phone <> '' THEN p.held_phone ELSE p.phone END)`

const personColumns = `p.id, p.name, p.gender, ` + personPhone + `, p.id_card_enc <> '', p.id_card_masked, p.political_status,
	p.org_id, o.name, o.path, COALESCE(p.region_id, 0), COALESCE(r.name, ''), p.availability, COALESCE(p.user_id, 0), p.created_at, p.erased_at,
	p.email, p.wechat_openid`

const personFrom = ` FROM people p JOIN orgs o ON o.id = p.org_id LEFT JOIN regions r ON r.id = p.region_id`

func scanPerson(row interface{ Scan(...any) error }) (domain.Person, error) {
	var p domain.Person
	var gender, status string
	var avail int
	var created, erased int64
	err := row.Scan(&p.ID, &p.Name, &gender, &p.Phone, &p.HasIDCard, &p.IDCardMasked, &status,
		&p.OrgID, &p.OrgName, &p.OrgPath, &p.RegionID, &p.RegionName, &avail, &p.UserID, &created, &erased,
		&p.Email, &p.WeChatOpenID)
	p.Erased = erased != 0
	p.Gender, p.PoliticalStatus = domain.Gender(gender), domain.PoliticalStatus(status)
	p.Availability, p.CreatedAt = domain.Availability(avail), fromMicros(created)
	return p, err
}

// ListPeople returns a page of people matching f, by name, and how many
// match in all.
func (s *Store) ListPeople(ctx context.Context, f PeopleFilter) ([]domain.Person, int, error) {
	cond, args := f.where()
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*)"+personFrom+" WHERE "+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count people: %w", err)
	}
	q := "SELECT " + personColumns + personFrom + " WHERE " + cond + " ORDER BY p.name, p.id"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list people: %w", err)
	}
	defer rows.Close()
	var out []domain.Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return out, total, s.loadPersonLists(ctx, out)
}

// loadPersonLists fills skills, willingness and talents of people, in three
// queries per batch of ids.
func (s *Store) loadPersonLists(ctx context.Context, people []domain.Person) error {
	const batch = 500
	for start := 0; start < len(people); start += batch {
		part := people[start:min(start+batch, len(people))]
		idx := map[int64]*domain.Person{}
		ids := make([]string, len(part))
		for i := range part {
			idx[part[i].ID] = &part[i]
			ids[i] = strconv.FormatInt(part[i].ID, 10)
		}
		in := strings.Join(ids, ",") // integers from the database, not input
		for _, q := range []string{
			"SELECT person_id, skill, 0 FROM person_skills WHERE person_id IN (" + in + ") ORDER BY skill",
			"SELECT person_id, '', category_id FROM person_willingness WHERE person_id IN (" + in + ") ORDER BY category_id",
			"SELECT person_id, tag, 0 FROM person_talents WHERE person_id IN (" + in + ") ORDER BY tag",
		} {
			rows, err := s.query(ctx, q)
			if err != nil {
				return fmt.Errorf("person lists: %w", err)
			}
			for rows.Next() {
				var id, cat int64
				var text string
				if err := rows.Scan(&id, &text, &cat); err != nil {
					rows.Close()
					return err
				}
				p := idx[id]
				switch {
				case strings.Contains(q, "person_skills"):
					p.Skills = append(p.Skills, text)
				case strings.Contains(q, "person_willingness"):
					p.Willingness = append(p.Willingness, cat)
				default:
					p.Talents = append(p.Talents, text)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// PersonByID finds a person with their lists.
func (s *Store) PersonByID(ctx context.Context, id int64) (domain.Person, error) {
	return s.personWhere(ctx, "p.id = ?", id)
}

// PersonByUserID finds the person linked to an account.
func (s *Store) PersonByUserID(ctx context.Context, userID int64) (domain.Person, error) {
	return s.personWhere(ctx, "p.user_id = ?", userID)
}

func (s *Store) personWhere(ctx context.Context, cond string, arg any) (domain.Person, error) {
	p, err := scanPerson(s.queryRow(ctx, "SELECT "+personColumns+personFrom+" WHERE "+cond, arg))
	if err != nil {
		return p, notFound(err, "err.person.not_found")
	}
	list := []domain.Person{p}
	err = s.loadPersonLists(ctx, list)
	return list[0], err
}

// IDCardCipher returns a person's encrypted ID-card number ("" when none).
func (s *Store) IDCardCipher(ctx context.Context, personID int64) (string, error) {
	var enc string
	err := s.queryRow(ctx, "SELECT id_card_enc FROM people WHERE id = ?", personID).Scan(&enc)
	return enc, notFound(err, "err.person.not_found")
}

// SealedID is an ID-card number as the store keeps it.
type SealedID struct {
	Cipher, Hash, Masked string
	BirthDate            string // read from the number; "" when unknown
}

// ExistingIDHashes returns which of the keyed ID hashes are on file.
func (tx *Tx) ExistingIDHashes(hashes []string) (map[string]int64, error) {
	return tx.existing("id_card_hash", hashes)
}

func (tx *Tx) existing(col string, values []string) (map[string]int64, error) {
	out := map[string]int64{}
	const batch = 500
	for start := 0; start < len(values); start += batch {
		part := values[start:min(start+batch, len(values))]
		args := make([]any, len(part))
		for i, v := range part {
			args[i] = v
		}
		marks := strings.TrimSuffix(strings.Repeat("?,", len(part)), ",")
		rows, err := tx.query("SELECT "+col+", id FROM people WHERE "+col+" IN ("+marks+")", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var v string
			var id int64
			if err := rows.Scan(&v, &id); err != nil {
				rows.Close()
				return nil, err
			}
			out[v] = id
		}
		rows.Close()
	}
	return out, nil
}

// CreatePerson inserts a person and their lists and audits it.
func (tx *Tx) CreatePerson(p domain.ValidPerson, id SealedID) (int64, error) {
	var hash, region any
	if id.Hash != "" {
		hash = id.Hash
	}
	if p.RegionID != 0 {
		region = p.RegionID
	}
	now := micros(tx.now)
	pid, err := tx.insert(`INSERT INTO people (name, gender, phone, id_card_enc, id_card_hash, id_card_masked,
		political_status, org_id, region_id, availability, email, wechat_openid, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Name, string(p.Gender), p.Phone, id.Cipher, hash, id.Masked, string(p.PoliticalStatus),
		p.OrgID, region, int(p.Availability), p.Email, p.WeChatOpenID, now, now)
	if err != nil {
		return 0, fmt.Errorf("create person: %w", err)
	}
	if err := tx.setPersonLists(pid, p.Skills, p.Willingness, p.Talents, true); err != nil {
		return 0, err
	}
	if id.BirthDate != "" {
		if _, err := tx.exec("UPDATE people SET birth_date = ? WHERE id = ?", id.BirthDate, pid); err != nil {
			return 0, fmt.Errorf("create person: %w", err)
		}
	}
	return pid, tx.Audit("person.create", "person", strconv.FormatInt(pid, 10), nil, personSummary(p, id))
}

func personSummary(p domain.ValidPerson, id SealedID) map[string]any {
	return map[string]any{
		"name": p.Name, "gender": p.Gender, "phone": p.Phone, "id_card": id.Masked,
		"political_status": p.PoliticalStatus, "org_id": p.OrgID, "region_id": p.RegionID,
		"skills": p.Skills, "willingness": p.Willingness, "availability": int(p.Availability), "talents": p.Talents,
		"email": p.Email, "wechat_openid": p.WeChatOpenID,
	}
}

// UpdatePerson replaces a person's fields and lists and audits the change.
// When id is nil the ID-card number is left as it is.
func (tx *Tx) UpdatePerson(personID int64, before domain.Person, p domain.ValidPerson, id *SealedID) error {
	var region any
	if p.RegionID != 0 {
		region = p.RegionID
	}
	_, err := tx.exec(`UPDATE people SET name = ?, gender = ?, phone = ?, political_status = ?, org_id = ?,
		region_id = ?, availability = ?, email = ?, wechat_openid = ?, updated_at = ? WHERE id = ?`,
		p.Name, string(p.Gender), p.Phone, string(p.PoliticalStatus), p.OrgID, region, int(p.Availability),
		p.Email, p.WeChatOpenID, micros(tx.now), personID)
	if err != nil {
		return fmt.Errorf("update person: %w", err)
	}
	sealed := SealedID{Masked: before.IDCardMasked}
	if id != nil {
		var hash any
		if id.Hash != "" {
			hash = id.Hash
		}
		if _, err := tx.exec("UPDATE people SET id_card_enc = ?, id_card_hash = ?, id_card_masked = ? WHERE id = ?",
			id.Cipher, hash, id.Masked, personID); err != nil {
			return err
		}
		if id.BirthDate != "" {
			if _, err := tx.exec("UPDATE people SET birth_date = ? WHERE id = ?", id.BirthDate, personID); err != nil {
				return err
			}
		}
		sealed = *id
	}
	if err := tx.setPersonLists(personID, p.Skills, p.Willingness, p.Talents, true); err != nil {
		return err
	}
	old := domain.ValidPerson{Name: before.Name, Gender: before.Gender, Phone: before.Phone,
		PoliticalStatus: before.PoliticalStatus, OrgID: before.OrgID, RegionID: before.RegionID, Skills: before.Skills,
		Willingness: before.Willingness, Availability: before.Availability, Talents: before.Talents,
		Email: before.Email, WeChatOpenID: before.WeChatOpenID}
	return tx.Audit("person.update", "person", strconv.FormatInt(personID, 10),
		personSummary(old, SealedID{Masked: before.IDCardMasked}), personSummary(p, sealed))
}

// UpdatePreferences sets what a volunteer edits themself: skills,
// willingness and availability.
func (tx *Tx) UpdatePreferences(before domain.Person, skills []string, willingness []int64, avail domain.Availability) error {
	if _, err := tx.exec("UPDATE people SET availability = ?, updated_at = ? WHERE id = ?",
		int(avail), micros(tx.now), before.ID); err != nil {
		return err
	}
	if err := tx.setPersonLists(before.ID, skills, willingness, before.Talents, false); err != nil {
		return err
	}
	return tx.Audit("person.preferences", "person", strconv.FormatInt(before.ID, 10),
		map[string]any{"skills": before.Skills, "willingness": before.Willingness, "availability": int(before.Availability)},
		map[string]any{"skills": skills, "willingness": willingness, "availability": int(avail)})
}

func (tx *Tx) setPersonLists(id int64, skills []string, willingness []int64, talents []string, withTalents bool) error {
	stmts := []string{"DELETE FROM person_skills WHERE person_id = ?", "DELETE FROM person_willingness WHERE person_id = ?"}
	if withTalents {
		stmts = append(stmts, "DELETE FROM person_talents WHERE person_id = ?")
	}
	for _, q := range stmts {
		if _, err := tx.exec(q, id); err != nil {
			return err
		}
	}
	for _, sk := range skills {
		if _, err := tx.exec("INSERT INTO person_skills (person_id, skill) VALUES (?, ?)", id, sk); err != nil {
			return err
		}
	}
	for _, c := range willingness {
		if _, err := tx.exec("INSERT INTO person_willingness (person_id, category_id) VALUES (?, ?)", id, c); err != nil {
			return fmt.Errorf("willingness %d: %w", c, err)
		}
	}
	if withTalents {
		for _, t := range talents {
			if _, err := tx.exec("INSERT INTO person_talents (person_id, tag) VALUES (?, ?)", id, t); err != nil {
				return err
			}
		}
	}
	return nil
}

// ListTrainings returns a person's trainings, newest first.
func (s *Store) ListTrainings(ctx context.Context, personID int64) ([]domain.Training, error) {
	rows, err := s.query(ctx, "SELECT id, person_id, held_on, subject, minutes FROM trainings WHERE person_id = ? ORDER BY held_on DESC, id DESC", personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Training
	for rows.Next() {
		var t domain.Training
		if err := rows.Scan(&t.ID, &t.PersonID, &t.Date, &t.Subject, &t.Minutes); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// AddTraining records a training and audits it.
func (tx *Tx) AddTraining(t domain.Training) (int64, error) {
	id, err := tx.insert("INSERT INTO trainings (person_id, held_on, subject, minutes, created_at) VALUES (?, ?, ?, ?, ?)",
		t.PersonID, t.Date, t.Subject, int64(t.Minutes), micros(tx.now))
	if err != nil {
		return 0, err
	}
	return id, tx.Audit("person.training_add", "person", strconv.FormatInt(t.PersonID, 10), nil,
		map[string]any{"date": t.Date, "subject": t.Subject, "minutes": t.Minutes})
}

// PersonIDByPhone finds a person by mobile number.
func (s *Store) PersonIDByPhone(ctx context.Context, phone string) (int64, error) {
	var id int64
	err := s.queryRow(ctx, "SELECT id FROM people WHERE phone = ?", phone).Scan(&id)
	return id, notFound(err, "err.person.not_found")
}

// SetPersonReach records how notifications reach a person besides the
// phone: an email address and a WeChat openid ("" for none).
func (tx *Tx) SetPersonReach(personID int64, email, openid string) error {
	_, err := tx.exec(`UPDATE people SET email = ?, wechat_openid = ?, updated_at = ? WHERE id = ?`,
		email, openid, micros(tx.now), personID)
	return err
}
