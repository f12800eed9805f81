package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/gen"
	"vanguard/service"
	"vanguard/store"
)

const generateUsage = `usage: vanguard generate --db DSN-or-sqlite-path --scale province|city10|N [--year 2026] [--seed 1] [--admin-password PW]

Fills a new, empty database with a year of generated data for benchmarks:
  province  1,000,000 people, 20,000 orgs, 2,000 teams, 200,000 activities,
            10,000,000 person-times, 100,000 orders (meant for PostgreSQL)
  city10    the demo city ×10: 57,160 people, 670 teams, 9,410 activities (SQLite)
  N         N people, the rest in the province's proportions
and a committee admin account "admin" (its password printed when generated).
Never on real data: it refuses a database that holds any.`

func generate(args []string, stdout, stderr io.Writer) error {
	var cfg app.Config
	var scale, password string
	var year int
	var seed uint64
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, generateUsage); fs.PrintDefaults() }
	commonFlags(fs, &cfg)
	fs.StringVar(&scale, "scale", "", "province, city10 or a number of people")
	fs.IntVar(&year, "year", time.Now().In(china).Year(), "the year of service to generate")
	fs.Uint64Var(&seed, "seed", 1, "the generator's seed: the same seed gives the same data")
	fs.StringVar(&password, "admin-password", "", "password of the committee admin account \"admin\" (default: generated and printed)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sc, err := gen.ParseScale(scale)
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	if err := app.OpenAuditChain(ctx, cfg, st); err != nil {
		return err
	}
	res, err := gen.Generate(ctx, st, gen.Options{Scale: sc, Year: year, Seed: seed, Progress: stdout})
	if err != nil {
		return err
	}
	svc := service.New(st, service.DefaultHasher, nil, nil)
	oneTime := password == ""
	if oneTime {
		password = service.OneTimePassword()
	}
	if _, _, err := svc.CreateUser(ctx, service.SystemCaller, service.NewAccount{Username: "admin", DisplayName: "工委管理员",
		Role: domain.RoleCommitteeAdmin, Password: password}); err != nil {
		return fmt.Errorf("admin account: %w", userError(err))
	}
	fmt.Fprintf(stdout, "generated %s for %d in %.1fs: %d people, %d activities, %d person-times, %d attendance rows, %d orders\n",
		sc.Name, year, res.Elapsed.Seconds(), res.Rows["people"], res.Rows["activities"], res.Rows["activity_hours"],
		res.Rows["attendance"], res.Rows["orders"])
	if oneTime {
		fmt.Fprintf(stdout, "committee admin: admin, password: %s\n", password)
	} else {
		fmt.Fprintln(stdout, "committee admin: admin, with the password given")
	}
	fmt.Fprintln(stdout, "serve it with the same --data folder: its audit.key keys the audit log this load wrote to")
	return nil
}
