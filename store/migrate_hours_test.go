package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestMigrationExactHours writes rows as the schema before migration 013
// held them — hours as floats, an open-mode joiner recorded under the
// leading team — then migrates: hours become whole minutes (rounded to the
// minute), and the joiner's sign-up and hours move to her own team and org.
func TestMigrationExactHours(t *testing.T) {
	for _, db := range []struct {
		name string
		dsn  func(testing.TB) string
	}{{"sqlite", storetest.SQLitePath}, {"postgres", storetest.PostgresDSN}} {
		t.Run(db.name, func(t *testing.T) {
			ctx := context.Background()
			s, err := store.Open(ctx, db.dsn(t))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := store.MigrateToForTest(s, 12); err != nil {
				t.Fatal(err)
			}
			store.UnsealedAuditForTest(s, true)
			testMigrationExactHours(t, s)
		})
	}
}

func testMigrationExactHours(t *testing.T, s *store.Store) {
	ctx := context.Background()
	cats, _ := s.ListCategories(ctx, false)
	var root, party, youth, partyTeam, youthTeam, act int64
	var people []int64
	start := time.Date(2025, 12, 7, 9, 0, 0, 0, domain.ChinaZone)
	must(t, s.Write(ctx, actor, func(tx *store.Tx) (err error) {
		if root, err = tx.CreateOrg(0, "committee", "工委"); err != nil {
			return err
		}
		if party, err = tx.CreateOrg(root, "unit", "市农牧业局党委"); err != nil {
			return err
		}
		if youth, err = tx.CreateOrg(root, "unit", "市农牧业局团委"); err != nil {
			return err
		}
		if partyTeam, err = tx.CreateTeam(domain.Team{OrgID: party, Kind: domain.TeamParty, Name: "党员队"}); err != nil {
			return err
		}
		if youthTeam, err = tx.CreateTeam(domain.Team{OrgID: youth, Kind: domain.TeamYouth, Name: "青年队"}); err != nil {
			return err
		}
		people, err = tx.CreatePeople([]domain.ValidPerson{
			{Name: "王芳", Gender: domain.GenderFemale, Phone: "13700000001", PoliticalStatus: "party_member", OrgID: party},
			{Name: "李强", Gender: domain.GenderMale, Phone: "13700000002", PoliticalStatus: "league_member", OrgID: youth},
		}, make([]store.SealedID, 2))
		if err != nil {
			return err
		}
		if err := tx.AddMembers([]domain.Membership{{TeamID: partyTeam, PersonID: people[0], JoinedOn: "2025-01-01"},
			{TeamID: youthTeam, PersonID: people[1], JoinedOn: "2025-01-01"}}); err != nil {
			return err
		}
		in := domain.ActivityInput{Title: "青年植树", Mode: domain.ModeOpen, TeamID: youthTeam, Address: "镇政府",
			CategoryIDs: []int64{cats[0].ID}, StartsAt: start, EndsAt: start.Add(20 * time.Hour), Capacity: 5}
		in.Normalize()
		act, err = tx.CreateActivity(in, youth)
		return err
	}))
	// As the old code recorded them: both under the leading 青年队, hours as
	// floats that do not sum exactly.
	now := time.Now().UnixMicro()
	for i, h := range []float64{16.74, 0.333} {
		exec(t, s, fmt.Sprintf(`INSERT INTO signups (activity_id, person_id, team_id, state, queued_at, created_at, updated_at)
			VALUES (%d, %d, %d, 'confirmed', %d, %d, %d)`, act, people[i], youthTeam, now, now, now))
		exec(t, s, fmt.Sprintf(`INSERT INTO activity_hours (activity_id, person_id, team_id, hours, recorded_at)
			VALUES (%d, %d, %d, %v, %d)`, act, people[i], youthTeam, h, now))
	}
	exec(t, s, fmt.Sprintf(`INSERT INTO record_versions (activity_id, person_id, version, hours, state, requested_at, previous_hours)
		VALUES (%d, %d, 1, 16.74, 'approved', %d, 0), (%d, %d, 2, 15.5, 'pending', %d, 16.74)`,
		act, people[0], now, act, people[0], now))
	exec(t, s, fmt.Sprintf(`INSERT INTO certificates (number, person_id, org_id, period_from, period_to, person_name, hours,
		person_times, org_name, responsible, handler, issued_on, issued_at)
		VALUES ('VG-2025-000001-ABCDEF', %d, %d, '2025-12-01', '2025-12-31', '王芳', 16.74, 1, '市农牧业局团委', '张三', '李四', '2025-12-31', %d)`,
		people[0], youth, now))
	exec(t, s, `INSERT INTO certificate_items (certificate_id, seq, activity_id, day, title, org_name, hours)
		SELECT id, 1, `+fmt.Sprint(act)+`, '2025-12-07', '青年植树', '市农牧业局团委', 16.74 FROM certificates`)
	exec(t, s, fmt.Sprintf(`INSERT INTO trainings (person_id, held_on, subject, hours, created_at) VALUES (%d, '2025-03-01', '急救', 2.5, %d)`,
		people[0], now))

	must(t, s.Migrate(ctx))
	// The rows written before the chain existed are sealed once, and the
	// chain then holds.
	store.UnsealedAuditForTest(s, false)
	must(t, s.SealAuditLog(ctx))
	if rep, err := s.VerifyAuditChain(ctx); err != nil || !rep.Intact || rep.Rows == 0 {
		t.Fatalf("audit chain after sealing the old rows: %+v, %v", rep, err)
	}

	mins, err := s.MinutesOf(ctx, people)
	if err != nil || mins[people[0]] != 1004 || mins[people[1]] != 20 {
		t.Fatalf("minutes after migration = %v, %v; want 1004 (16.74 h) and 20 (0.333 h)", mins, err)
	}
	a, _ := s.ActivityByID(ctx, act)
	if a.Minutes != 1024 || a.Minutes.Hours() != "17.07" {
		t.Fatalf("activity total = %d min (%s h), want 1024 (17.07)", a.Minutes, a.Minutes.Hours())
	}
	rec, err := s.ServiceRecord(ctx, act, people[0])
	if err != nil {
		t.Fatal(err)
	}
	vs, _ := s.RecordVersions(ctx, rec)
	if len(vs) != 2 || vs[0].Minutes != 1004 || vs[1].Minutes != 930 || vs[1].Previous != 1004 || vs[1].State != domain.VersionPending {
		t.Fatalf("versions after migration = %+v", vs)
	}
	certs, _, _ := s.ListCertificates(ctx, store.CertificateFilter{Scope: domain.Scope{All: true}, PersonID: people[0]})
	if len(certs) != 1 {
		t.Fatalf("certificates = %+v", certs)
	}
	cert, _ := s.CertificateByID(ctx, certs[0].ID)
	if cert.Minutes != 1004 || len(cert.Items) != 1 || cert.Items[0].Minutes != 1004 || cert.Services {
		t.Fatalf("certificate after migration = %+v", cert)
	}
	ts, _ := s.ListTrainings(ctx, people[0])
	if len(ts) != 1 || ts[0].Minutes != 150 {
		t.Fatalf("trainings after migration = %+v", ts)
	}
	// The 党员队 volunteer who joined the 青年队 activity is credited to her
	// own team and org; the 青年队 member stays where he was.
	gs, _ := s.ActivitySignups(ctx, act)
	teams := map[int64]int64{}
	for _, g := range gs {
		teams[g.PersonID] = g.TeamID
	}
	if teams[people[0]] != partyTeam || teams[people[1]] != youthTeam {
		t.Fatalf("sign-up teams after migration = %v; want 王芳 in 党员队 %d, 李强 in 青年队 %d", teams, partyTeam, youthTeam)
	}
	credit, err := s.TeamCredit(ctx, partyTeam)
	if err != nil || credit.Minutes != 1004 || credit.PersonTimes != 1 {
		t.Fatalf("党员队's credited service = %+v, %v; want 1004 min in 1 person-time", credit, err)
	}
	if c, _ := s.OrgCredit(ctx, youth); c.Minutes != 20 || c.PersonTimes != 1 {
		t.Fatalf("团委's credited service = %+v; want only 李强's 20 min", c)
	}
}

func exec(t *testing.T, s *store.Store, q string) {
	t.Helper()
	if err := store.ExecForTest(s, q); err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
}
