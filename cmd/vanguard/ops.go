package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"vanguard/app"
)

// backup, restore and verify are the operator's commands for copies of the
// data; the work is in app (backup.go, restore.go, verify.go).

func backup(args []string, stdout, stderr io.Writer) error {
	var cfg app.Config
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &cfg)
	out := fs.String("out", "", "the archive to write (a new .tar.gz file)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("backup needs --out FILE")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	_, err := app.Backup(ctx, cfg, *out, buildVersion(), stdout)
	return err
}

func restore(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "the archive made by vanguard backup")
	data := fs.String("data", "", "the data folder to restore into: new or empty")
	db := fs.String("db", "", "SQLite: where the database goes (default DATA/vanguard.db); PostgreSQL: the DSN of a new, empty database")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *data == "" {
		return errors.New("restore needs --in FILE and --data DIR")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	man, err := app.Restore(ctx, *in, *data, *db, stdout)
	if err != nil {
		return err
	}
	for _, n := range man.Notes {
		fmt.Fprintln(stdout, "note from the backup:", n)
	}
	next := "next: vanguard verify --data " + *data
	if *db != "" {
		next += " --db '" + *db + "'"
	}
	fmt.Fprintln(stdout, next)
	return nil
}

func verify(args []string, stdout, stderr io.Writer) error {
	var cfg app.Config
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &cfg)
	if err := fs.Parse(args); err != nil {
		return err
	}
	// Given only --data, check the database in that folder.
	if cfg.DataDir != "" && !isSet(fs, "db") && os.Getenv("VANGUARD_DB") == "" {
		cfg.DB = cfg.DataDir + "/vanguard.db"
	}
	return app.Verify(context.Background(), cfg, stdout)
}

func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
