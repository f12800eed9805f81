package app

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"vanguard/store"
)

// A backup archive is a tar.gz holding manifest.json first, then the
// database (vanguard.db, a VACUUM INTO copy of SQLite, or database.pgdump,
// pg_dump's custom format), every *.key file of the data folder and the
// photos folder. The manifest records the version, the time, the row count
// of every table in the copied database and a SHA-256 of every other file,
// so that restore and a reader can check the archive.

// ManifestName, SQLiteName and DumpName are the database's and the
// manifest's names in an archive.
const (
	ManifestName = "manifest.json"
	SQLiteName   = "vanguard.db"
	DumpName     = "database.pgdump"
)

// Manifest describes a backup archive.
type Manifest struct {
	Format    int               `json:"format"`
	Version   string            `json:"version"`
	CreatedAt time.Time         `json:"created_at"`
	Dialect   string            `json:"dialect"`
	Database  string            `json:"database,omitempty"` // "" when the PostgreSQL dump is to be made by hand
	Schema    string            `json:"schema,omitempty"`   // PostgreSQL: the schema dumped
	Tables    map[string]int64  `json:"tables"`
	Files     map[string]string `json:"files"` // name in the archive → SHA-256, hex
	Notes     []string          `json:"notes,omitempty"`
}

// photoFile is what a stored photo is called (see service/photos.go).
var photoFile = regexp.MustCompile(`^[0-9a-f]{32}(\.jpg|\.png|_t\.jpg)$`)

// Backup writes a consistent archive of the database named by cfg.DB and of
// cfg.DataDir's keys and photos to out, while a server may be running on
// them. It reports what it did on w.
func Backup(ctx context.Context, cfg Config, out, version string, w io.Writer) (*Manifest, error) {
	cfg = withDefaults(cfg)
	if _, err := os.Stat(out); err == nil {
		return nil, fmt.Errorf("%s exists already; choose a new file", out)
	}
	stage, err := os.MkdirTemp(filepath.Dir(out), ".vanguard-backup-*")
	if err != nil {
		return nil, fmt.Errorf("backup folder: %w", err)
	}
	defer os.RemoveAll(stage)
	man := &Manifest{Format: 1, Version: version, CreatedAt: time.Now().UTC(), Files: map[string]string{}}
	var photos []string
	if store.IsPostgres(cfg.DB) {
		photos, err = dumpPostgres(ctx, cfg.DB, stage, man, w)
	} else {
		photos, err = copySQLite(ctx, cfg.DB, stage, man)
	}
	if err != nil {
		return nil, err
	}
	if err := stageKeys(cfg, stage, man); err != nil {
		return nil, err
	}
	if err := stagePhotos(cfg.DataDir, stage, photos, man); err != nil {
		return nil, err
	}
	if err := writeArchive(stage, out, man); err != nil {
		return nil, err
	}
	var rows int64
	for _, n := range man.Tables {
		rows += n
	}
	fmt.Fprintf(w, "backup written to %s: %s database, %d tables, %d rows, %d files\n", out, man.Dialect, len(man.Tables), rows, len(man.Files))
	for _, n := range man.Notes {
		fmt.Fprintln(w, "note:", n)
	}
	if man.Database == "" {
		return man, ErrNoDump
	}
	return man, nil
}

// ErrNoDump is returned, with the archive written, when pg_dump was
// missing: the archive holds the keys and photos, and the note says what to
// run for the database. A scheduled backup must not pass for whole.
var ErrNoDump = errors.New("the archive holds no database: pg_dump was not found on PATH (see the note above)")

// copySQLite copies the live database with VACUUM INTO, without the
// instance lock, and counts the copy's rows.
func copySQLite(ctx context.Context, db, stage string, man *Manifest) (photos []string, err error) {
	if _, err := os.Stat(db); err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	man.Dialect, man.Database = string(store.SQLite), SQLiteName
	path := filepath.Join(stage, SQLiteName)
	if err := store.VacuumInto(ctx, db, path); err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if man.Tables, err = st.TableCounts(ctx); err != nil {
		return nil, err
	}
	return st.PhotoNames(ctx)
}

// dumpPostgres runs pg_dump on a snapshot whose rows it counts. Without
// pg_dump on PATH it says exactly what to run instead.
func dumpPostgres(ctx context.Context, dsn, stage string, man *Manifest, w io.Writer) (photos []string, err error) {
	man.Dialect = string(store.Postgres)
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if man.Schema, err = st.CurrentSchema(ctx); err != nil {
		return nil, err
	}
	conn, args, env := pgArgs(dsn, man.Schema)
	pgDump, lookErr := exec.LookPath("pg_dump")
	err = st.ExportSnapshot(ctx, func(snapshot string, counts map[string]int64) error {
		man.Tables = counts
		if lookErr != nil {
			return nil
		}
		cmd := exec.CommandContext(ctx, pgDump, append(append([]string{"--format=custom", "--no-owner", "--no-privileges",
			"--snapshot=" + snapshot, "--file=" + filepath.Join(stage, DumpName)}, args...), conn)...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("pg_dump: %v: %s", err, strings.TrimSpace(string(out)))
		}
		man.Database = DumpName
		return nil
	})
	if err != nil {
		return nil, err
	}
	if lookErr != nil {
		cmd := strings.Join(append(append([]string{"pg_dump", "--format=custom", "--no-owner", "--no-privileges"}, args...),
			"--file=vanguard-"+time.Now().Format("2006-01-02")+".pgdump", "'"+redact(conn)+"'"), " ")
		man.Notes = append(man.Notes, "pg_dump was not found on PATH: this archive holds the keys and photos but not the "+
			"database; install the PostgreSQL client and run: "+cmd)
	}
	return st.PhotoNames(ctx)
}

// pgArgs turns a pgx DSN into one libpq understands, and the pg_dump
// arguments that pick its schema: libpq knows no search_path parameter.
// The password leaves the connection string (any local user can read a
// process's arguments) and goes to the environment the command gets,
// as PGPASSWORD.
func pgArgs(dsn, schema string) (conn string, args, env []string) {
	env = os.Environ()
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn, nil, env
	}
	q := u.Query()
	q.Del("search_path")
	if pw := q.Get("password"); pw != "" {
		env = append(env, "PGPASSWORD="+pw)
		q.Del("password")
	}
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	u.RawQuery = q.Encode()
	if schema != "" && schema != "public" {
		args = []string{"--schema=" + schema}
	}
	return u.String(), args, env
}

// redact hides a DSN's password in what is printed; pg_dump takes it from
// PGPASSWORD or ~/.pgpass.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.User(u.User.Username())
	}
	return u.String()
}

// stageKeys copies every *.key file of the data folder: secret.key, and
// the audit log's key.
func stageKeys(cfg Config, stage string, man *Manifest) error {
	keys, err := filepath.Glob(filepath.Join(cfg.DataDir, "*.key"))
	if err != nil {
		return err
	}
	hasSecret := false
	for _, k := range keys {
		if filepath.Base(k) == "secret.key" {
			hasSecret = true
		}
		if err := copyInto(k, filepath.Join(stage, filepath.Base(k))); err != nil {
			return err
		}
	}
	if !hasSecret {
		man.Notes = append(man.Notes, "no secret.key in "+cfg.DataDir+": the key is in VANGUARD_SECRET_KEY; keep it with this "+
			"archive, separately protected, or the restored data cannot be used")
	}
	return nil
}

// stagePhotos copies the photos folder. The database was copied first, and
// a photo's file is written before its row, so every photo in the copy has
// its file unless it was deleted in between: that is noted.
func stagePhotos(dataDir, stage string, referenced []string, man *Manifest) error {
	dir := filepath.Join(dataDir, "photos")
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("photos: %w", err)
	}
	have := map[string]bool{}
	for _, e := range entries {
		if !e.Type().IsRegular() || !photoFile.MatchString(e.Name()) {
			continue
		}
		if err := copyInto(filepath.Join(dir, e.Name()), filepath.Join(stage, "photos", e.Name())); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue // deleted while we copied
			}
			return err
		}
		have[e.Name()] = true
	}
	var missing []string
	for _, n := range referenced {
		if !have[n] {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		man.Notes = append(man.Notes, fmt.Sprintf("%d photos named in the database were not in %s: %s", len(missing), dir,
			strings.Join(missing, ", ")))
	}
	return nil
}

func copyInto(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		return err
	}
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return fmt.Errorf("copy %s: %w", from, err)
	}
	return dst.Close()
}

// writeArchive checksums the staged files and writes them, the manifest
// first, to out (0600), whole or not at all.
func writeArchive(stage, out string, man *Manifest) error {
	var names []string
	err := filepath.WalkDir(stage, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(stage, path)
		rel = filepath.ToSlash(rel)
		if strings.HasSuffix(rel, "-wal") || strings.HasSuffix(rel, "-shm") {
			return nil
		}
		sum, err := fileSum(path)
		if err != nil {
			return err
		}
		man.Files[rel] = sum
		names = append(names, rel)
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(names)
	manifest, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return err
	}
	tmp := out + ".partial"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	defer os.Remove(tmp)
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	err = tw.WriteHeader(&tar.Header{Name: ManifestName, Mode: 0o600, Size: int64(len(manifest)), ModTime: man.CreatedAt,
		Typeflag: tar.TypeReg})
	if err == nil {
		_, err = tw.Write(manifest)
	}
	for _, n := range names {
		if err != nil {
			break
		}
		err = addToTar(tw, filepath.Join(stage, filepath.FromSlash(n)), n, man.CreatedAt)
	}
	for _, c := range []io.Closer{tw, zw} {
		if cerr := c.Close(); err == nil {
			err = cerr
		}
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, out)
	}
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	return nil
}

func addToTar(tw *tar.Writer, path, name string, at time.Time) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: fi.Size(), ModTime: at, Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

func fileSum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
