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
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"vanguard/store"
)

// Restore unpacks the archive in into the data folder dataDir, which must
// be missing or empty, checking every file against the manifest. A SQLite
// database goes to db (default: dataDir/vanguard.db), which must not exist;
// a PostgreSQL dump is restored with pg_restore into the database db names,
// which must hold no table. Everything restored is the owner's only.
func Restore(ctx context.Context, in, dataDir, db string, w io.Writer) (*Manifest, error) {
	if dataDir == "" {
		return nil, errors.New("restore needs --data, the folder to restore into")
	}
	if err := emptyPlace(dataDir); err != nil {
		return nil, err
	}
	f, err := os.Open(in)
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	defer f.Close()
	// Unpack beside the data folder first, check, then move into place: a
	// damaged archive leaves nothing behind.
	if err := os.MkdirAll(filepath.Dir(filepath.Clean(dataDir)), 0o700); err != nil {
		return nil, err
	}
	stage, err := os.MkdirTemp(filepath.Dir(filepath.Clean(dataDir)), ".vanguard-restore-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(stage)
	man, err := unpack(f, stage)
	if err != nil {
		return nil, fmt.Errorf("archive %s: %w", in, err)
	}
	switch man.Dialect {
	case string(store.SQLite):
		if db == "" {
			db = filepath.Join(dataDir, SQLiteName)
		}
		if store.IsPostgres(db) {
			return nil, errors.New("this archive holds a SQLite database; give --db a file path, or leave it out")
		}
		if _, err := os.Stat(db); err == nil {
			return nil, fmt.Errorf("%s exists already: restore only into an empty place", db)
		}
	case string(store.Postgres):
		if !store.IsPostgres(db) {
			return nil, errors.New("this archive holds a PostgreSQL dump: give --db the postgres:// DSN of a new, empty database")
		}
		if man.Database == "" {
			return nil, errors.New("this archive holds no database dump (pg_dump was missing when it was made): restore the " +
				"dump made by hand with pg_restore, then restore this archive's keys and photos with --db of that database")
		}
		if err := pgRestore(ctx, filepath.Join(stage, DumpName), db); err != nil {
			return nil, err
		}
		os.Remove(filepath.Join(stage, DumpName))
	default:
		return nil, fmt.Errorf("archive: unknown database kind %q", man.Dialect)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, err
	}
	os.Chmod(dataDir, 0o700)
	if err := moveInto(stage, dataDir, db); err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "restored %s (%s, made %s by vanguard %s) into %s\n", in, man.Dialect,
		man.CreatedAt.Format("2006-01-02 15:04:05 UTC"), man.Version, dataDir)
	return man, nil
}

// emptyPlace refuses a data folder that holds anything.
func emptyPlace(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty: restore only into a new or empty folder", dir)
	}
	return nil
}

// unpack writes the archive's files under dir (0600, folders 0700) and
// checks each against the manifest, which must come first.
func unpack(r io.Reader, dir string) (*Manifest, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	var man *Manifest
	seen := map[string]bool{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		name := path.Clean(h.Name)
		if h.Typeflag != tar.TypeReg || name != h.Name || path.IsAbs(name) || strings.HasPrefix(name, "../") || name == ".." {
			return nil, fmt.Errorf("unexpected entry %q", h.Name)
		}
		if man == nil {
			if name != ManifestName {
				return nil, errors.New("the manifest is not the first entry")
			}
			man = &Manifest{}
			if err := json.NewDecoder(io.LimitReader(tr, 16<<20)).Decode(man); err != nil {
				return nil, fmt.Errorf("manifest: %w", err)
			}
			continue
		}
		want, ok := man.Files[name]
		if !ok || seen[name] {
			return nil, fmt.Errorf("%s is not in the manifest", name)
		}
		seen[name] = true
		got, err := writeFile(filepath.Join(dir, filepath.FromSlash(name)), tr)
		if err != nil {
			return nil, err
		}
		if got != want {
			return nil, fmt.Errorf("%s is damaged: its checksum differs from the manifest's", name)
		}
	}
	if man == nil {
		return nil, errors.New("no manifest")
	}
	for name := range man.Files {
		if !seen[name] {
			return nil, fmt.Errorf("%s is missing", name)
		}
	}
	return man, nil
}

func writeFile(to string, r io.Reader) (string, error) {
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		return "", err
	}
	f, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(f, h), r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return hex.EncodeToString(h.Sum(nil)), err
}

// moveInto moves the unpacked files into the data folder, the SQLite
// database to db.
func moveInto(stage, dataDir, db string) error {
	return filepath.WalkDir(stage, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(stage, p)
		to := filepath.Join(dataDir, rel)
		if rel == SQLiteName {
			to = db
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
			return err
		}
		if err := os.Rename(p, to); err != nil {
			// Another file system: copy.
			if err := copyInto(p, to); err != nil {
				return err
			}
		}
		return nil
	})
}

// pgRestore restores a custom-format dump into an empty database.
func pgRestore(ctx context.Context, dump, dsn string) error {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	empty, err := st.IsEmpty(ctx)
	st.Close()
	if err != nil {
		return err
	}
	if !empty {
		return errors.New("the target PostgreSQL database holds tables: restore only into a new, empty database " +
			"(createdb NAME)")
	}
	bin, err := exec.LookPath("pg_restore")
	if err != nil {
		conn, _, _ := pgArgs(dsn, "")
		return fmt.Errorf("pg_restore was not found on PATH: install the PostgreSQL client, or run "+
			"pg_restore --no-owner --no-privileges --exit-on-error --dbname='%s' %s yourself", redact(conn), DumpName)
	}
	conn, _, env := pgArgs(dsn, "")
	cmd := exec.CommandContext(ctx, bin, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
		"--dbname="+conn, dump)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pg_restore: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}
