package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestRecordVersionsAndCertificateSnapshot: a correction copies the original
// into the history first, one waits at a time, approval makes its hours
// count, and a certificate issued before keeps what it said.
func TestRecordVersionsAndCertificateSnapshot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		cats, _ := s.ListCategories(ctx, false)
		var root, unitA, unitB, team, person, act int64
		start := time.Date(2026, 4, 1, 9, 0, 0, 0, domain.ChinaZone)
		err := s.Write(ctx, actor, func(tx *store.Tx) (err error) {
			if root, err = tx.CreateOrg(0, "committee", "工委"); err != nil {
				return err
			}
			if unitA, err = tx.CreateOrg(root, "unit", "农牧业局"); err != nil {
				return err
			}
			if unitB, err = tx.CreateOrg(root, "unit", "司法局"); err != nil {
				return err
			}
			if team, err = tx.CreateTeam(domain.Team{OrgID: unitA, Kind: domain.TeamParty, Name: "农牧队"}); err != nil {
				return err
			}
			ids, err := tx.CreatePeople([]domain.ValidPerson{{Name: "王芳", Gender: domain.GenderFemale, Phone: "13700000001",
				PoliticalStatus: "party_member", OrgID: unitA}}, make([]store.SealedID, 1))
			if err != nil {
				return err
			}
			person = ids[0]
			in := domain.ActivityInput{Title: "春季防疫", Mode: domain.ModeUnit, TeamID: team, RegionID: 0, Address: "镇政府",
				CategoryIDs: []int64{cats[0].ID, cats[1].ID}, StartsAt: start, EndsAt: start.Add(6 * time.Hour), Capacity: 5}
			in.Normalize()
			if act, err = tx.CreateActivity(in, unitA); err != nil {
				return err
			}
			if _, err = tx.SignUp(act, person, team, false); err != nil {
				return err
			}
			if err = tx.RecordPair(act, person, start, start.Add(5*time.Hour)); err != nil {
				return err
			}
			_, _, err = tx.CompleteActivity(act)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		orgA, _ := s.OrgByID(ctx, unitA)
		rec, err := s.ServiceRecord(ctx, act, person)
		if err != nil || rec.Minutes != 300 || rec.Versions != 1 || rec.Corrected() || len(rec.Categories) != 2 || rec.OrgPath != orgA.Path {
			t.Fatalf("ServiceRecord = %+v, %v", rec, err)
		}
		if vs, _ := s.RecordVersions(ctx, rec); len(vs) != 1 || vs[0].Version != 1 || vs[0].Minutes != 300 || vs[0].ID != 0 {
			t.Fatalf("versions of an uncorrected record: %+v", vs)
		}

		var cert domain.Certificate
		err = s.Write(ctx, actor, func(tx *store.Tx) (err error) {
			cert, err = tx.IssueCertificate(store.NewCertificate{PersonID: person, OrgID: unitA, From: "2026-04-01",
				To: "2026-04-30", Responsible: "张志强", Handler: "管理员", Check: "ABCDEF"})
			return err
		})
		if err != nil || cert.Minutes != 300 || cert.PersonTimes != 1 || !strings.HasSuffix(cert.Number, "-ABCDEF") ||
			cert.Content != cats[0].NameZH+"、"+cats[1].NameZH || cert.PersonName != "王芳" {
			t.Fatalf("IssueCertificate = %+v, %v", cert, err)
		}
		if domain.NormalizeCertificateNumber(cert.Number) != cert.Number {
			t.Errorf("the number %q does not read back", cert.Number)
		}
		err = s.Write(ctx, actor, func(tx *store.Tx) error {
			_, err := tx.IssueCertificate(store.NewCertificate{PersonID: person, OrgID: unitB, From: "2026-04-01",
				To: "2026-04-30", Responsible: "x", Handler: "x", Check: "ABCDEG"})
			return err
		})
		if e, _ := domain.AsError(err); e == nil || e.Key != "err.cert.no_service" {
			t.Fatalf("a certificate from an org that recorded nothing: %v", err)
		}

		correct := func(hours string) (int64, error) {
			m, _ := domain.ParseHours(hours)
			var id int64
			err := s.Write(ctx, actor, func(tx *store.Tx) (err error) {
				id, err = tx.RequestCorrection(rec, domain.CorrectionInput{Minutes: m, Reason: "核实"}, "队长")
				return err
			})
			return id, err
		}
		decide := func(id int64, approve bool) error {
			return s.Write(ctx, actor, func(tx *store.Tx) error { return tx.DecideCorrection(id, approve, "", "管理员") })
		}
		v2, err := correct("5.5")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := correct("4"); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("a second pending correction: got %v, want conflict", err)
		}
		if err := decide(v2, false); err != nil {
			t.Fatal(err)
		}
		if err := decide(v2, true); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("deciding twice: got %v", err)
		}
		v3, _ := correct("6")
		if err := decide(v3, true); err != nil {
			t.Fatal(err)
		}
		v4, _ := correct("5.75")
		if err := decide(v4, true); err != nil {
			t.Fatal(err)
		}
		rec, _ = s.ServiceRecord(ctx, act, person)
		vs, _ := s.RecordVersions(ctx, rec)
		var got []string
		for _, v := range vs {
			got = append(got, v.Minutes.Hours()+":"+string(v.State))
		}
		if strings.Join(got, " ") != "5:approved 5.5:rejected 6:approved 5.75:approved" || rec.Minutes != 345 || rec.Versions != 4 {
			t.Fatalf("versions %v, minutes %v", got, rec.Minutes)
		}
		hours, _ := s.MinutesOf(ctx, []int64{person, 999999})
		if hours[person] != 345 || len(hours) != 1 {
			t.Fatalf("MinutesOf = %v", hours)
		}
		again, err := s.CertificateByID(ctx, cert.ID)
		if err != nil || again.Minutes != 300 || len(again.Items) != 1 || again.Items[0].Minutes != 300 || again.Number != cert.Number {
			t.Fatalf("the certificate after corrections: %+v, %v", again, err)
		}
		if byNo, err := s.CertificateByNumber(ctx, cert.Number); err != nil || byNo.ID != cert.ID {
			t.Fatalf("CertificateByNumber: %+v, %v", byNo, err)
		}
		orgB, _ := s.OrgByID(ctx, unitB)
		for _, tc := range []struct {
			scope domain.Scope
			want  int
		}{{domain.Scope{All: true}, 1}, {domain.Scope{OrgPaths: []string{orgA.Path}}, 1}, {domain.Scope{OrgPaths: []string{orgB.Path}}, 0}} {
			if _, n, err := s.ListCertificates(ctx, store.CertificateFilter{Scope: tc.scope}); err != nil || n != tc.want {
				t.Errorf("ListCertificates(%+v) = %d, %v; want %d", tc.scope, n, err, tc.want)
			}
		}
		if orgs, err := s.RecordingOrgs(ctx, person); err != nil || len(orgs) != 1 || orgs[0].ID != unitA {
			t.Errorf("RecordingOrgs = %+v, %v", orgs, err)
		}
		if err := s.Write(ctx, actor, func(tx *store.Tx) error { return tx.RevokeCertificate(cert.ID, "重复") }); err != nil {
			t.Fatal(err)
		}
		if err := s.Write(ctx, actor, func(tx *store.Tx) error { return tx.RevokeCertificate(cert.ID, "重复") }); domain.ErrCode(err) != domain.CodeConflict {
			t.Errorf("revoking twice: %v", err)
		}
	})
}
