package app_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"vanguard/app"
	"vanguard/store"
	"vanguard/store/storetest"
)

// load writes people (each with a sealed ID number, so the people table
// and the audit log grow) from a few goroutines until stopped.
type load struct {
	written atomic.Int64
	failed  atomic.Int64
	stop    chan struct{}
	wg      sync.WaitGroup
}

func startLoad(m *app.Main, writers, first int) *load {
	l := &load{stop: make(chan struct{})}
	var next atomic.Int64
	next.Store(int64(first))
	for range writers {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for {
				select {
				case <-l.stop:
					return
				default:
				}
				if _, err := addPerson(context.Background(), m, int(next.Add(1))); err != nil {
					l.failed.Add(1)
					continue
				}
				l.written.Add(1)
			}
		}()
	}
	return l
}

func (l *load) wait(n int64) {
	for l.written.Load() < n && l.failed.Load() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
}

func (l *load) end() { close(l.stop); l.wg.Wait() }

// seeded is what the backup tests check after a restore: a person with a
// sealed ID number and a photo.
type seeded struct {
	person, activity, photo int64
	photoBytes              []byte
}

func seed(t *testing.T, m *app.Main) seeded {
	s := seeded{person: mustAddPerson(t, m, 1), activity: addActivity(t, m)}
	s.photo = addPhoto(t, m, s.activity, 7)
	// The platform stores a re-encoded photo (no metadata): the restore must
	// give back exactly what the live server serves.
	pf, err := m.Service.Photo(context.Background(), committee, s.activity, s.photo)
	if err != nil {
		t.Fatalf("live server serves the photo: %v", err)
	}
	s.photoBytes, _ = io.ReadAll(pf.File)
	pf.File.Close()
	return s
}

// servesSeeded proves that a restored server opens the sealed ID number
// (a check of it matches) and serves the photo.
func servesSeeded(t *testing.T, m *app.Main, s seeded) {
	t.Helper()
	ctx := context.Background()
	match, err := m.Service.CheckIDCard(ctx, committee, s.person, idCard(1))
	if err != nil || !match {
		t.Errorf("restored server checks the ID number: %v, %v; want a match", match, err)
	}
	pf, err := m.Service.Photo(ctx, committee, s.activity, s.photo)
	if err != nil {
		t.Fatalf("restored server serves the photo: %v", err)
	}
	b, _ := io.ReadAll(pf.File)
	pf.File.Close()
	if !bytes.Equal(b, s.photoBytes) {
		t.Errorf("restored photo: %d bytes, want the %d stored", len(b), len(s.photoBytes))
	}
}

// countsOf opens a database, counts every table's rows and closes it.
func countsOf(t *testing.T, db string) map[string]int64 {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.TableCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func sameCounts(t *testing.T, what string, got, want map[string]int64) {
	t.Helper()
	if len(want) < 10 {
		t.Errorf("%s: only %d tables to compare", what, len(want))
	}
	if !maps.Equal(got, want) {
		for name, n := range want {
			if got[name] != n {
				t.Errorf("%s: table %s has %d rows, want %d", what, name, got[name], n)
			}
		}
		for name := range got {
			if _, ok := want[name]; !ok {
				t.Errorf("%s: unexpected table %s", what, name)
			}
		}
	}
}

// TestBackupDuringWritesRestores (SQLite): a backup taken while four
// writers add people restores into a new folder, verify passes on it, and
// its row counts equal its manifest's in every table; with the writers
// stopped, a second backup restores to the live database's counts in every
// table; the restored server reveals an ID number and serves a photo.
func TestBackupDuringWritesRestores(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	db := filepath.Join(dir, "vanguard.db")
	m := mustOpenApp(t, db, "", "")
	s := seed(t, m)
	// Every key file of the data folder goes with the backup (the audit
	// log's key, generated at the first start, is another).
	auditKey, err := os.ReadFile(filepath.Join(dir, "audit.key"))
	if err != nil {
		t.Fatal(err)
	}

	l := startLoad(m, 4, 1000)
	l.wait(20)
	before := l.written.Load()
	out := filepath.Join(t.TempDir(), "during.tar.gz")
	var report bytes.Buffer
	man, err := app.Backup(ctx, app.Config{DB: db}, out, "test", &report) // the server holds the lock
	during := l.written.Load() - before
	if err != nil {
		l.end()
		t.Fatalf("backup during writes: %v", err)
	}
	t.Logf("%s(%d people written while the backup ran)", report.String(), during)
	if during == 0 {
		t.Error("no write happened while the backup ran: the test proves nothing")
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("archive: %v, %v; want mode 0600", fi, err)
	}
	for _, f := range []string{app.SQLiteName, "secret.key", "audit.key"} {
		if man.Files[f] == "" {
			t.Errorf("%s is not in the archive", f)
		}
	}
	restored := filepath.Join(t.TempDir(), "restored")
	if _, err := app.Restore(ctx, out, restored, "", io.Discard); err != nil {
		l.end()
		t.Fatalf("restore: %v", err)
	}
	var verify bytes.Buffer
	if err := app.Verify(ctx, app.Config{DB: filepath.Join(restored, app.SQLiteName)}, &verify); err != nil {
		t.Errorf("verify the restored folder: %v\n%s", err, verify.String())
	}
	sameCounts(t, "restored during writes vs its manifest", countsOf(t, filepath.Join(restored, app.SQLiteName)), man.Tables)
	if man.Tables["people"] < 21 {
		t.Errorf("manifest: %d people, want the load's", man.Tables["people"])
	}

	l.end()
	if l.failed.Load() > 0 {
		t.Errorf("%d writes failed during the backup", l.failed.Load())
	}
	out2 := filepath.Join(t.TempDir(), "quiet.tar.gz")
	if _, err := app.Backup(ctx, app.Config{DB: db}, out2, "test", io.Discard); err != nil {
		t.Fatal(err)
	}
	live, err := m.Store.TableCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	restored2 := filepath.Join(t.TempDir(), "restored2")
	if _, err := app.Restore(ctx, out2, restored2, "", io.Discard); err != nil {
		t.Fatal(err)
	}
	sameCounts(t, "restored after the load vs live", countsOf(t, filepath.Join(restored2, app.SQLiteName)), live)
	if b, err := os.ReadFile(filepath.Join(restored2, "audit.key")); err != nil || string(b) != string(auditKey) {
		t.Errorf("restored audit.key: %q, %v", b, err)
	}
	checkModes(t, restored2)
	servesSeeded(t, mustOpenApp(t, filepath.Join(restored2, app.SQLiteName), "", ""), s)
}

// checkModes: a restored folder is the owner's only.
func checkModes(t *testing.T, dir string) {
	t.Helper()
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		want := os.FileMode(0o600)
		if fi.IsDir() {
			want = 0o700
		}
		if fi.Mode().Perm() != want {
			t.Errorf("restored %s: mode %o, want %o", p, fi.Mode().Perm(), want)
		}
		return nil
	})
}

// TestRestoreOnlyIntoAnEmptyPlace: restore refuses a folder that holds
// anything, and a damaged archive restores nothing.
func TestRestoreOnlyIntoAnEmptyPlace(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	db := filepath.Join(dir, "vanguard.db")
	m := mustOpenApp(t, db, "", "")
	mustAddPerson(t, m, 1)
	out := filepath.Join(t.TempDir(), "b.tar.gz")
	if _, err := app.Backup(ctx, app.Config{DB: db}, out, "test", io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Restore(ctx, out, dir, "", io.Discard); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("restore over the live folder: %v, want a refusal", err)
	}
	full := t.TempDir()
	os.WriteFile(filepath.Join(full, "notes.txt"), []byte("x"), 0o600)
	if _, err := app.Restore(ctx, out, full, "", io.Discard); err == nil {
		t.Error("restore into a folder holding a file succeeded")
	}
	// A flipped byte in the archive is found, and nothing is left behind.
	b, _ := os.ReadFile(out)
	b[len(b)/2] ^= 0xFF
	bad := filepath.Join(t.TempDir(), "bad.tar.gz")
	os.WriteFile(bad, b, 0o600)
	target := filepath.Join(t.TempDir(), "target")
	if _, err := app.Restore(ctx, bad, target, "", io.Discard); err == nil {
		t.Error("a damaged archive restored")
	}
	if entries, _ := os.ReadDir(target); len(entries) > 0 {
		t.Errorf("a damaged archive left %d files behind", len(entries))
	}
}

// TestVerifyFindsFaults: verify prints one line per check and fails on a
// missing photo and on a key that is not the database's.
func TestVerifyFindsFaults(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	db := filepath.Join(dir, "vanguard.db")
	m := mustOpenApp(t, db, "", "")
	seed(t, m)
	var out bytes.Buffer
	if err := app.Verify(ctx, app.Config{DB: db}, &out); !errors.Is(err, store.ErrLocked) {
		t.Errorf("verify of a folder in use: %v, want ErrLocked", err)
	}
	m.Close()
	out.Reset()
	if err := app.Verify(ctx, app.Config{DB: db}, &out); err != nil {
		t.Fatalf("verify a good folder: %v\n%s", err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	for _, line := range lines {
		if !strings.HasPrefix(line, "ok    ") {
			t.Errorf("verify of a good folder printed %q", line)
		}
	}
	if len(lines) < 3 {
		t.Errorf("verify printed %d lines, want one per check (3 or more)", len(lines))
	}
	photos, _ := filepath.Glob(filepath.Join(dir, "photos", "*.png"))
	if len(photos) != 1 {
		t.Fatalf("%d photos on disk, want 1", len(photos))
	}
	os.Remove(photos[0])
	os.WriteFile(filepath.Join(dir, "secret.key"), []byte(strings.Repeat("c3", 32)+"\n"), 0o600)
	out.Reset()
	err := app.Verify(ctx, app.Config{DB: db}, &out)
	if !errors.Is(err, app.ErrVerify) {
		t.Errorf("verify with a missing photo and another key: %v, want ErrVerify", err)
	}
	for _, want := range []string{"ok    database integrity", "FAIL  secret key", "FAIL  photos"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("verify output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestBackupRestorePostgres: on PostgreSQL, a backup during writes (pg_dump
// on the snapshot its row counts were read in) restores with pg_restore
// into a new database with the manifest's counts in every table, verify
// passes, and the restored server reveals and serves the photo. It needs
// VANGUARD_TEST_POSTGRES, pg_dump and pg_restore.
func TestBackupRestorePostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not on PATH: PostgreSQL backup test skipped", tool)
		}
	}
	ctx := context.Background()
	key := strings.Repeat("d4", 32)
	m := mustOpenApp(t, dsn, t.TempDir(), key)
	s := seed(t, m)
	l := startLoad(m, 4, 1000)
	l.wait(20)
	out := filepath.Join(t.TempDir(), "pg.tar.gz")
	var report bytes.Buffer
	man, err := app.Backup(ctx, app.Config{DB: dsn, DataDir: m.Config.DataDir, SecretKey: key}, out, "test", &report)
	l.end()
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	t.Log(report.String())
	if man.Database != app.DumpName {
		t.Fatalf("the archive holds no dump: %+v", man)
	}
	restoredDSN := freshDatabase(t, dsn)
	dataDir := filepath.Join(t.TempDir(), "restored")
	if _, err := app.Restore(ctx, out, dataDir, restoredDSN, io.Discard); err != nil {
		t.Fatalf("restore: %v", err)
	}
	if _, err := app.Restore(ctx, out, filepath.Join(t.TempDir(), "again"), restoredDSN, io.Discard); err == nil {
		t.Error("restore into a database holding tables succeeded")
	}
	sameCounts(t, "restored vs manifest", countsOf(t, restoredDSN), man.Tables)
	var verify bytes.Buffer
	if err := app.Verify(ctx, app.Config{DB: restoredDSN, DataDir: dataDir, SecretKey: key}, &verify); err != nil {
		t.Errorf("verify: %v\n%s", err, verify.String())
	}
	servesSeeded(t, mustOpenApp(t, restoredDSN, dataDir, key), s)
}

// freshDatabase creates an empty database beside the test one, dropped when
// the test ends, and returns a DSN for it with the same search_path.
func freshDatabase(t *testing.T, dsn string) string {
	t.Helper()
	admin, err := sql.Open("pgx", os.Getenv(storetest.EnvPostgres))
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "vt_restore_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			t.Logf("drop %s: %v", name, err)
		}
		admin.Close()
	})
	u, _ := url.Parse(dsn)
	u.Path = "/" + name
	return u.String()
}

// TestBackupPostgresWithoutPgDump: without pg_dump on PATH, backup still
// saves the keys and photos, prints exactly the pg_dump command to run and
// fails, so that a scheduled backup does not pass for whole.
func TestBackupPostgresWithoutPgDump(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	m := mustOpenApp(t, dsn, t.TempDir(), strings.Repeat("d4", 32))
	t.Setenv("PATH", t.TempDir())
	var report bytes.Buffer
	out := filepath.Join(t.TempDir(), "nodump.tar.gz")
	_, err := app.Backup(context.Background(), app.Config{DB: dsn, DataDir: m.Config.DataDir}, out, "test", &report)
	if !errors.Is(err, app.ErrNoDump) {
		t.Errorf("backup without pg_dump: %v, want ErrNoDump", err)
	}
	schema, _ := m.Store.CurrentSchema(context.Background())
	if want := "run: pg_dump --format=custom --no-owner --no-privileges --schema=" + schema + " --file="; !strings.Contains(report.String(), want) {
		t.Errorf("the report does not give the command (%q):\n%s", want, report.String())
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("no archive of the keys and photos: %v", err)
	}
}

// TestRestoreRefusesEntriesOutsideTheFolder: an archive whose entry climbs
// out of the data folder ("../…") is refused and writes nothing there.
func TestRestoreRefusesEntriesOutsideTheFolder(t *testing.T) {
	base := t.TempDir()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	add := func(name string, body []byte) {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(body)), Typeflag: tar.TypeReg})
		tw.Write(body)
	}
	sum := sha256.Sum256([]byte("evil"))
	man, _ := json.Marshal(app.Manifest{Format: 1, Dialect: "sqlite", Files: map[string]string{"../evil": hex.EncodeToString(sum[:])}})
	add(app.ManifestName, man)
	add("../evil", []byte("evil"))
	tw.Close()
	zw.Close()
	archive := filepath.Join(base, "evil.tar.gz")
	os.WriteFile(archive, buf.Bytes(), 0o600)
	target := filepath.Join(base, "sub", "data")
	if _, err := app.Restore(context.Background(), archive, target, "", io.Discard); err == nil {
		t.Error("an archive with ../evil restored")
	}
	for _, p := range []string{filepath.Join(base, "sub", "evil"), filepath.Join(base, "evil")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was written", p)
		}
	}
}
