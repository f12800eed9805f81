package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

var actor = domain.Actor{UserID: 0, Username: "tester", Role: domain.RoleCommitteeAdmin, IP: "127.0.0.1", RequestID: "t1"}

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		v, err := s.SchemaVersion(ctx)
		if err != nil || v < 1 {
			t.Fatalf("SchemaVersion = %d, %v; want ≥ 1", v, err)
		}
	})
}

func TestWriteRequiresAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		err := s.Write(ctx, actor, func(tx *store.Tx) error {
			_, err := tx.CreateOrg(0, "committee", "unaudited?")
			return err
		})
		if err != nil {
			t.Fatalf("audited write failed: %v", err)
		}
		// A write that records nothing in the audit log is rolled back.
		err = s.Write(ctx, actor, func(tx *store.Tx) error { return nil })
		if !errors.Is(err, store.ErrUnaudited) {
			t.Fatalf("write without audit: got %v, want ErrUnaudited", err)
		}
		n, _ := s.CountAudit(ctx)
		if n != 1 {
			t.Fatalf("audit rows = %d, want 1", n)
		}
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		err := s.Write(ctx, actor, func(tx *store.Tx) error {
			return tx.Audit("test.event", "thing", "1", nil, map[string]any{"phone": "13812345678", "password": "hunter2hunter2"})
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"} {
			if err := store.ExecForTest(s, q); err == nil {
				t.Errorf("%s: succeeded, want refusal", q)
			}
		}
		es, err := s.ListAudit(ctx, domain.AuditFilter{Action: "test."})
		if err != nil || len(es) != 1 {
			t.Fatalf("ListAudit = %v, %v", es, err)
		}
		e := es[0]
		if e.Action != "test.event" || e.Username != "tester" || e.IP != "127.0.0.1" || e.RequestID != "t1" {
			t.Errorf("entry = %+v", e)
		}
		if want := `{"password":"[redacted]","phone":"138****5678"}`; e.After != want {
			t.Errorf("after = %s, want %s", e.After, want)
		}
		if time.Since(e.At) > time.Minute || e.At.Location() != time.UTC {
			t.Errorf("at = %v, want now in UTC", e.At)
		}
	})
}

func TestSQLiteSecondInstanceRefused(t *testing.T) {
	path := storetest.SQLitePath(t)
	s, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := store.Open(context.Background(), path); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second open: got %v, want ErrLocked", err)
	}
}
