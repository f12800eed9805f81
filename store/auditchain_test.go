package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// writeAudited writes n audited transactions, "test.1" … "test.n", each with
// one audit row, and returns the rows' ids by action.
func writeAudited(t *testing.T, s *store.Store, n int) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	for i := 1; i <= n; i++ {
		a := actor
		a.UserID = int64(i % 3) // some rows with a user id, some without
		err := s.Write(ctx, a, func(tx *store.Tx) error {
			return tx.Audit(fmt.Sprintf("test.%d", i), "thing", fmt.Sprint(i), map[string]any{"n": i - 1}, map[string]any{"n": i})
		})
		if err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	es, err := s.ListAudit(ctx, domain.AuditFilter{Action: "test.", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, e := range es {
		ids[e.Action] = e.ID
	}
	return ids
}

// dropAuditTriggers does what an attacker holding the database does first.
func dropAuditTriggers(t *testing.T, s *store.Store) {
	t.Helper()
	qs := []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
	if s.Dialect == store.Postgres {
		qs = []string{"DROP TRIGGER audit_log_no_update ON audit_log", "DROP TRIGGER audit_log_no_delete ON audit_log",
			"DROP TRIGGER audit_log_no_truncate ON audit_log"}
	}
	for _, q := range qs {
		mustExec(t, s, q)
	}
}

func mustExec(t *testing.T, s *store.Store, q string) {
	t.Helper()
	if err := store.ExecForTest(s, q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func verify(t *testing.T, s *store.Store) store.AuditChainReport {
	t.Helper()
	rep, err := s.VerifyAuditChain(context.Background())
	if err != nil {
		t.Fatalf("VerifyAuditChain: %v", err)
	}
	return rep
}

// wantBreak checks that the chain breaks first at the row with id and
// action, in the way kind.
func wantBreak(t *testing.T, rep store.AuditChainReport, kind store.AuditBreakKind, id int64, action string) {
	t.Helper()
	if rep.Intact || rep.Break == nil {
		t.Fatalf("chain reported intact (%d rows); want a break (%s) at row %d %s", rep.Rows, kind, id, action)
	}
	b := rep.Break
	if b.Kind != kind || b.ID != id || b.Action != action {
		t.Fatalf("break = %s at row %d %q; want %s at row %d %q", b.Kind, b.ID, b.Action, kind, id, action)
	}
	if id != 0 && (b.Username == "" || b.At.IsZero()) {
		t.Errorf("break names %q at %v; want the row's actor and time", b.Username, b.At)
	}
}

func wantIntact(t *testing.T, s *store.Store, rows int64) {
	t.Helper()
	rep := verify(t, s)
	if !rep.Intact || rep.Break != nil || rep.Rows != rows {
		t.Fatalf("chain: intact %v, %d rows, break %+v; want intact with %d rows", rep.Intact, rep.Rows, rep.Break, rows)
	}
}

func TestAuditChainIntact(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		wantIntact(t, s, 0)
		writeAudited(t, s, 10)
		wantIntact(t, s, 10)
		// Several rows in one transaction are chained in order too.
		err := s.Write(context.Background(), actor, func(tx *store.Tx) error {
			for i := range 3 {
				if err := tx.Audit("test.multi", "thing", fmt.Sprint(i), nil, nil); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		wantIntact(t, s, 13)
		// Without the key, nobody can tell a good chain from a forged one:
		// another key finds the very first row broken.
		if err := s.SetAuditKey([]byte(strings.Repeat("k", 32))); err != nil {
			t.Fatal(err)
		}
		rep := verify(t, s)
		if rep.Intact || rep.Break == nil || rep.Break.Action != "test.1" {
			t.Errorf("with another key: %+v; want a break at test.1", rep)
		}
	})
}

// TestAuditChainFindsEdits changes each column of a middle row in turn,
// behind the program's back, and restores it.
func TestAuditChainFindsEdits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ids := writeAudited(t, s, 10)
		dropAuditTriggers(t, s)
		id := ids["test.4"]
		edits := []struct{ set, undo string }{
			{"at = at + 1", "at = at - 1"},
			{"user_id = 99", "user_id = 1"},
			{"username = 'mallory'", "username = 'tester'"},
			{"role = 'volunteer'", "role = 'committee_admin'"},
			{"object_type = 'other'", "object_type = 'thing'"},
			{"object_id = '40'", "object_id = '4'"},
			{"ip = '10.0.0.1'", "ip = '127.0.0.1'"},
			{"request_id = 't2'", "request_id = 't1'"},
			{`before_json = '{"n":0}'`, `before_json = '{"n":3}'`},
			{`after_json = '{"n":5}'`, `after_json = '{"n":4}'`},
			{"hmac = '" + strings.Repeat("0", 64) + "'", ""},
		}
		for _, e := range edits {
			var hmacWas string
			if e.undo == "" {
				hmacWas = store.AuditHMACForTest(s, id)
				e.undo = "hmac = '" + hmacWas + "'"
			}
			mustExec(t, s, fmt.Sprintf("UPDATE audit_log SET %s WHERE id = %d", e.set, id))
			t.Run(e.set, func(t *testing.T) {
				wantBreak(t, verify(t, s), store.AuditChanged, id, "test.4")
			})
			mustExec(t, s, fmt.Sprintf("UPDATE audit_log SET %s WHERE id = %d", e.undo, id))
			wantIntact(t, s, 10)
		}
		// The action itself: the row is then reported with what it now says.
		mustExec(t, s, fmt.Sprintf("UPDATE audit_log SET action = 'test.x' WHERE id = %d", id))
		wantBreak(t, verify(t, s), store.AuditChanged, id, "test.x")
	})
}

func TestAuditChainFindsDeletedRow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ids := writeAudited(t, s, 10)
		dropAuditTriggers(t, s)
		mustExec(t, s, fmt.Sprintf("DELETE FROM audit_log WHERE id = %d", ids["test.5"]))
		wantBreak(t, verify(t, s), store.AuditChanged, ids["test.6"], "test.6")
	})
}

func TestAuditChainFindsDeletedFirstRow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ids := writeAudited(t, s, 5)
		dropAuditTriggers(t, s)
		mustExec(t, s, fmt.Sprintf("DELETE FROM audit_log WHERE id = %d", ids["test.1"]))
		wantBreak(t, verify(t, s), store.AuditChanged, ids["test.2"], "test.2")
	})
}

// TestAuditChainFindsCutTail removes the newest rows. The head recorded in
// settings finds that; an attacker who also rewrites the head is found only
// against a head recorded outside the database (a backup's).
func TestAuditChainFindsCutTail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ids := writeAudited(t, s, 10)
		full := verify(t, s)
		dropAuditTriggers(t, s)
		mustExec(t, s, fmt.Sprintf("DELETE FROM audit_log WHERE id >= %d", ids["test.9"]))
		wantBreak(t, verify(t, s), store.AuditTruncated, ids["test.8"], "test.8")

		// The attacker moves the recorded head back to the new last row.
		head := store.AuditHMACForTest(s, ids["test.8"])
		mustExec(t, s, fmt.Sprintf("UPDATE settings SET value = '%d %s' WHERE key = 'audit_chain_head'", ids["test.8"], head))
		wantIntact(t, s, 8)
		rep, err := s.VerifyAuditChainAgainst(context.Background(), full.Head)
		if err != nil {
			t.Fatal(err)
		}
		wantBreak(t, rep, store.AuditTruncated, ids["test.8"], "test.8")
		// Rows written after the cut chain on from test.8 and hide nothing.
		writeAudited(t, s, 2)
		wantIntact(t, s, 10)
		rep, err = s.VerifyAuditChainAgainst(context.Background(), full.Head)
		if err != nil {
			t.Fatal(err)
		}
		wantBreak(t, rep, store.AuditTruncated, ids["test.8"], "test.8")

		// Every row gone, and the head with them.
		mustExec(t, s, "DELETE FROM audit_log")
		wantBreak(t, verify(t, s), store.AuditTruncated, 0, "")
		mustExec(t, s, "DELETE FROM settings WHERE key = 'audit_chain_head'")
		rep, err = s.VerifyAuditChainAgainst(context.Background(), full.Head)
		if err != nil {
			t.Fatal(err)
		}
		wantBreak(t, rep, store.AuditTruncated, 0, "")
	})
}

func TestAuditChainFindsDeletedHead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ids := writeAudited(t, s, 3)
		mustExec(t, s, "DELETE FROM settings WHERE key = 'audit_chain_head'")
		wantBreak(t, verify(t, s), store.AuditTruncated, ids["test.3"], "test.3")
	})
}

func TestAuditChainFindsForgedRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ids := writeAudited(t, s, 5)
		forge := func(id int64, action, mac string) {
			mustExec(t, s, fmt.Sprintf(`INSERT INTO audit_log (id, at, user_id, username, role, action, object_type,
				object_id, ip, request_id, before_json, after_json, hmac)
				VALUES (%d, 1, NULL, 'tester', 'committee_admin', '%s', 'thing', '1', '127.0.0.1', 't1', '', '', %s)`, id, action, mac))
		}
		// A row at the end with a made-up HMAC, and the head moved to it.
		forged := ids["test.5"] + 1
		mac := strings.Repeat("ab", 32)
		forge(forged, "test.forged", "'"+mac+"'")
		mustExec(t, s, fmt.Sprintf("UPDATE settings SET value = '%d %s' WHERE key = 'audit_chain_head'", forged, mac))
		wantBreak(t, verify(t, s), store.AuditChanged, forged, "test.forged")

		// Gone again, and the head back: intact.
		dropAuditTriggers(t, s)
		mustExec(t, s, fmt.Sprintf("DELETE FROM audit_log WHERE id = %d", forged))
		mustExec(t, s, fmt.Sprintf("UPDATE settings SET value = '%d %s' WHERE key = 'audit_chain_head'",
			ids["test.5"], store.AuditHMACForTest(s, ids["test.5"])))
		wantIntact(t, s, 5)

		// A middle row replaced by a forged one.
		was := store.AuditHMACForTest(s, ids["test.3"])
		mustExec(t, s, fmt.Sprintf("DELETE FROM audit_log WHERE id = %d", ids["test.3"]))
		forge(ids["test.3"], "test.3", "'"+was+"'")
		wantBreak(t, verify(t, s), store.AuditChanged, ids["test.3"], "test.3")
	})
}

// TestAuditChainFindsUnsealedRow inserts a row without an HMAC after the
// chain: it is a break, and later writes do not hide it.
func TestAuditChainFindsUnsealedRow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ids := writeAudited(t, s, 3)
		mustExec(t, s, `INSERT INTO audit_log (at, user_id, username, role, action, object_type,
			object_id, ip, request_id, before_json, after_json)
			VALUES (1, NULL, 'tester', 'committee_admin', 'test.slipped', 'thing', '1', '127.0.0.1', 't1', '', '')`)
		rep := verify(t, s)
		if rep.Break == nil || rep.Break.Kind != store.AuditUnsealed || rep.Break.Action != "test.slipped" || rep.Break.ID <= ids["test.3"] {
			t.Fatalf("break = %+v; want unsealed at test.slipped", rep.Break)
		}
		slipped := rep.Break.ID
		if err := s.SealAuditLog(context.Background()); err != nil {
			t.Fatal(err)
		}
		writeAudited(t, s, 1) // test.1 again, after the slipped row
		wantBreak(t, verify(t, s), store.AuditUnsealed, slipped, "test.slipped")
	})
}

// TestAuditChainFindsReorder swaps two rows' places in the id order.
func TestAuditChainFindsReorder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ids := writeAudited(t, s, 6)
		dropAuditTriggers(t, s)
		a, b := ids["test.3"], ids["test.4"]
		mustExec(t, s, fmt.Sprintf("UPDATE audit_log SET id = -1 WHERE id = %d", a))
		mustExec(t, s, fmt.Sprintf("UPDATE audit_log SET id = %d WHERE id = %d", a, b))
		mustExec(t, s, fmt.Sprintf("UPDATE audit_log SET id = %d WHERE id = -1", b))
		wantBreak(t, verify(t, s), store.AuditChanged, a, "test.4")
	})
}

// TestAuditChainSealsLegacyLog writes rows as the schema before the chain
// held them, then migrates: the old rows are sealed once, and the chain
// goes on from them.
func TestAuditChainSealsLegacyLog(t *testing.T) {
	for _, dsn := range []func(testing.TB) string{storetest.SQLitePath, storetest.PostgresDSN} {
		s, err := store.Open(context.Background(), dsn(t))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		t.Run(string(s.Dialect), func(t *testing.T) {
			ctx := context.Background()
			if err := store.MigrateToForTest(s, 16); err != nil {
				t.Fatal(err)
			}
			for i := range 5 {
				mustExec(t, s, fmt.Sprintf(`INSERT INTO audit_log (at, user_id, username, role, action, object_type,
					object_id, ip, request_id, before_json, after_json)
					VALUES (%d, NULL, 'tester', 'committee_admin', 'legacy.%d', 'thing', '1', '127.0.0.1', 't1', '', '')`, 1000+i, i))
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			rep := verify(t, s)
			if rep.Break == nil || rep.Break.Kind != store.AuditUnsealed || rep.Break.Action != "legacy.0" {
				t.Fatalf("before sealing: %+v; want unsealed at legacy.0", rep.Break)
			}
			if err := s.SealAuditLog(ctx); err != nil {
				t.Fatal(err)
			}
			wantIntact(t, s, 5)
			if err := s.SealAuditLog(ctx); err != nil { // twice is once
				t.Fatal(err)
			}
			writeAudited(t, s, 2)
			wantIntact(t, s, 7)
			// A sealed row is sealed for good; the triggers still refuse
			// any other change.
			for _, q := range []string{"UPDATE audit_log SET hmac = NULL", "UPDATE audit_log SET hmac = 'x'",
				"UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"} {
				if err := store.ExecForTest(s, q); err == nil {
					t.Errorf("%s: succeeded, want refusal", q)
				}
			}
		})
	}
}

// TestAuditChainLegacyNotSealedAtWrite: rows without an HMAC in a log none
// of whose rows is sealed, when this process did not apply migration 017,
// are never sealed by a write: the write chains on nothing and the chain
// reports the first unsealed row. (It replaces the rule that the first write
// sealed such rows, which let the log be laundered.)
func TestAuditChainLegacyNotSealedAtWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		mustExec(t, s, `INSERT INTO audit_log (at, user_id, username, role, action, object_type,
			object_id, ip, request_id, before_json, after_json)
			VALUES (1, NULL, 'tester', 'committee_admin', 'legacy.0', 'thing', '1', '127.0.0.1', 't1', '', '')`)
		ids := writeAudited(t, s, 2)
		if ids["test.1"] == 0 || store.AuditHMACForTest(s, ids["test.1"]) == "" {
			t.Fatalf("the write after the unsealed row: ids %v, not sealed", ids)
		}
		rep := verify(t, s)
		if rep.Break == nil || rep.Break.Kind != store.AuditUnsealed || rep.Break.Action != "legacy.0" {
			t.Fatalf("break = %+v; want unsealed at legacy.0", rep.Break)
		}
		if err := s.SealAuditLog(context.Background()); err != nil {
			t.Fatal(err)
		}
		if rep := verify(t, s); rep.Break == nil || rep.Break.Action != "legacy.0" {
			t.Fatalf("after SealAuditLog: %+v; want still unsealed at legacy.0", rep.Break)
		}
	})
}

// eachDSN runs fn on a new SQLite file and a new PostgreSQL schema, giving
// the DSN so the test can open the database again (a restart).
func eachDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	for _, db := range []struct {
		name string
		dsn  func(testing.TB) string
	}{{"sqlite", storetest.SQLitePath}, {"postgres", storetest.PostgresDSN}} {
		t.Run(db.name, func(t *testing.T) { fn(t, db.dsn(t)) })
	}
}

func openMigrated(t *testing.T, dsn string) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestAuditChainNotLaundered: whoever holds the database but not the key
// edits a row, clears every HMAC and the recorded head, so the log looks
// as if written before the chain. Neither a write nor a restart (Open,
// Migrate, SealAuditLog) may seal it again: the chain breaks at the first row.
func TestAuditChainNotLaundered(t *testing.T) {
	launder := func(t *testing.T, s *store.Store, ids map[string]int64) {
		dropAuditTriggers(t, s)
		mustExec(t, s, fmt.Sprintf("UPDATE audit_log SET object_id = 'forged' WHERE id = %d", ids["test.3"]))
		mustExec(t, s, "UPDATE audit_log SET hmac = NULL")
		mustExec(t, s, "DELETE FROM settings WHERE key = 'audit_chain_head'")
	}
	write := func(t *testing.T, s *store.Store) {
		t.Helper()
		err := s.Write(context.Background(), actor, func(tx *store.Tx) error {
			return tx.Audit("test.after", "thing", "1", nil, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Run("write", func(t *testing.T) {
		eachDSN(t, func(t *testing.T, dsn string) {
			s := openMigrated(t, dsn)
			if err := s.SealAuditLog(context.Background()); err != nil {
				t.Fatal(err)
			}
			ids := writeAudited(t, s, 5)
			launder(t, s, ids)
			write(t, s)
			wantBreak(t, verify(t, s), store.AuditUnsealed, ids["test.1"], "test.1")
		})
	})
	t.Run("restart", func(t *testing.T) {
		eachDSN(t, func(t *testing.T, dsn string) {
			s := openMigrated(t, dsn)
			ids := writeAudited(t, s, 5)
			launder(t, s, ids)
			s.Close()
			s = openMigrated(t, dsn)
			if err := s.SealAuditLog(context.Background()); err != nil {
				t.Fatal(err)
			}
			wantBreak(t, verify(t, s), store.AuditUnsealed, ids["test.1"], "test.1")
			write(t, s)
			wantBreak(t, verify(t, s), store.AuditUnsealed, ids["test.1"], "test.1")
			// Nor a second restart after that write.
			s.Close()
			s = openMigrated(t, dsn)
			if err := s.SealAuditLog(context.Background()); err != nil {
				t.Fatal(err)
			}
			write(t, s)
			wantBreak(t, verify(t, s), store.AuditUnsealed, ids["test.1"], "test.1")
		})
	})
}

// TestAuditChainLegacySealedOnceAtUpgrade: the legitimate upgrade — rows
// written by the program before migration 017, then Migrate and
// SealAuditLog in the same start — is sealed and intact; a write between
// Migrate and SealAuditLog is refused rather than start a second chain.
func TestAuditChainLegacySealedOnceAtUpgrade(t *testing.T) {
	eachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if err := store.MigrateToForTest(s, 16); err != nil {
			t.Fatal(err)
		}
		store.UnsealedAuditForTest(s, true)
		writeAudited(t, s, 3)
		store.UnsealedAuditForTest(s, false)
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		err = s.Write(ctx, actor, func(tx *store.Tx) error { return tx.Audit("test.early", "thing", "1", nil, nil) })
		if err == nil {
			t.Fatal("a write before the old rows are sealed succeeded; want it refused")
		}
		if err := s.SealAuditLog(ctx); err != nil {
			t.Fatal(err)
		}
		wantIntact(t, s, 3)
		writeAudited(t, s, 2)
		wantIntact(t, s, 5)
		// A restart finds it sealed and leaves it so.
		s.Close()
		s2 := openMigrated(t, dsn)
		if err := s2.SealAuditLog(ctx); err != nil {
			t.Fatal(err)
		}
		wantIntact(t, s2, 5)
	})
}

// TestAuditChainConcurrentWriters: 8 goroutines × 50 writes, on PostgreSQL
// through two stores (two instances) on one database, leave one intact chain.
func TestAuditChainConcurrentWriters(t *testing.T) {
	run := func(t *testing.T, stores ...*store.Store) {
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := stores[g%len(stores)]
				for i := range 50 {
					err := s.Write(context.Background(), actor, func(tx *store.Tx) error {
						if _, err := tx.CreateOrg(0, "committee", fmt.Sprintf("org %d-%d", g, i)); err != nil {
							return err
						}
						return tx.Audit("test.concurrent", "org", fmt.Sprint(g), nil, map[string]any{"i": i})
					})
					if err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		for _, s := range stores {
			wantIntact(t, s, 800) // two rows a transaction: the org's and ours
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, storetest.SQLite(t)) })
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		var stores []*store.Store
		for range 2 {
			s, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			if err := s.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			stores = append(stores, s)
		}
		run(t, stores...)
	})
}

// TestAuditChainCheckKey: a start with another key is refused, so two
// instances cannot fork the chain; a log altered at its newest row is not.
func TestAuditChainCheckKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.CheckAuditKey(ctx); err != nil {
			t.Fatalf("empty log: %v", err)
		}
		ids := writeAudited(t, s, 3)
		if err := s.CheckAuditKey(ctx); err != nil {
			t.Fatalf("right key: %v", err)
		}
		dropAuditTriggers(t, s)
		mustExec(t, s, fmt.Sprintf("UPDATE audit_log SET action = 'x' WHERE id = %d", ids["test.3"]))
		if err := s.CheckAuditKey(ctx); err != nil {
			t.Fatalf("right key, newest row altered: %v", err)
		}
		s.SetAuditKey([]byte(strings.Repeat("k", 32)))
		if err := s.CheckAuditKey(ctx); !errors.Is(err, store.ErrAuditKey) {
			t.Fatalf("another key: got %v, want ErrAuditKey", err)
		}
	})
}

// BenchmarkVerifyAuditChain walks a chain of 100,000 rows, streaming:
//
//	go test ./store -run '^$' -bench VerifyAuditChain -benchmem
func BenchmarkVerifyAuditChain(b *testing.B) {
	for name, open := range benchStores(b) {
		b.Run(name, func(b *testing.B) {
			s := open(b)
			ctx := context.Background()
			for range 10 {
				err := s.Write(ctx, actor, func(tx *store.Tx) error {
					for i := range 10000 {
						if err := tx.Audit("bench.row", "thing", fmt.Sprint(i), nil, map[string]any{"i": i}); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			var rep store.AuditChainReport
			for b.Loop() {
				var err error
				if rep, err = s.VerifyAuditChain(ctx); err != nil || !rep.Intact {
					b.Fatalf("%+v, %v", rep, err)
				}
			}
			b.ReportMetric(float64(rep.Rows), "rows")
		})
	}
}
