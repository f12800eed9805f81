// Command vanguard runs 先锋志愿服务平台, the party-member volunteer service
// platform: vanguard serve | migrate | backup | restore | verify |
// user add|list|disable|enable|unlock|reset|reset-totp | dispatch plan | generate | version.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	"vanguard/app"
	"vanguard/store"
)

// china is the time zone the platform's users live in.
var china = time.FixedZone("CST", 8*3600)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "vanguard:", err)
		os.Exit(1)
	}
}

const usage = `usage: vanguard <command> [flags]

commands:
  serve      run the platform (--demo loads a demo city on an empty database)
  migrate    apply database migrations and exit
  backup     write a consistent archive while the server runs (backup --out FILE)
  restore    restore an archive into an empty place (restore --in FILE --data DIR [--db DSN])
  verify     check a data folder: integrity, key, audit chain, photos (verify [--data DIR] [--db DSN])
  user       accounts: add (--username --name --role [--scope] [--person]), list, disable, enable, unlock, reset, reset-totp
  dispatch   plan a batch file of orders over teams (dispatch plan --in instance.json --out plan.json)
  generate   fill a new, empty database with a generated year for benchmarks (generate --db DSN --scale province|city10|N [--year Y] [--seed S] [--admin-password PW])
  version    print the version

Run "vanguard <command> -h" for a command's flags.`

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return errors.New("no command")
	}
	switch args[0] {
	case "serve":
		return serve(args[1:], stdout, stderr)
	case "migrate":
		return migrate(args[1:], stdout, stderr)
	case "backup":
		return backup(args[1:], stdout, stderr)
	case "restore":
		return restore(args[1:], stdout, stderr)
	case "verify":
		return verify(args[1:], stdout, stderr)
	case "user":
		return user(args[1:], stdout, stderr)
	case "dispatch":
		return dispatch(args[1:], stdout, stderr)
	case "generate":
		return generate(args[1:], stdout, stderr)
	case "version", "-v", "--version":
		fmt.Fprintln(stdout, "vanguard", buildVersion())
		return nil
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	fmt.Fprintln(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// env returns the environment variable or a default.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

func envBool(name string) bool {
	b, _ := strconv.ParseBool(os.Getenv(name))
	return b
}

// commonFlags are the flags every command that opens the database takes.
func commonFlags(fs *flag.FlagSet, cfg *app.Config) {
	fs.StringVar(&cfg.DB, "db", env("VANGUARD_DB", app.DefaultDB), "SQLite file or postgres:// DSN (VANGUARD_DB)")
	fs.StringVar(&cfg.DataDir, "data", env("VANGUARD_DATA", ""), "data folder for the generated secret key (VANGUARD_DATA; default: the SQLite file's folder, or ./data)")
	fs.StringVar(&cfg.SecretKey, "secret-key", env("VANGUARD_SECRET_KEY", ""), "64 hex digits for keyed hashes and field encryption (VANGUARD_SECRET_KEY)")
	fs.StringVar(&cfg.AuditKey, "audit-key", env("VANGUARD_AUDIT_KEY", ""), "64 hex digits keying the audit log's chain (VANGUARD_AUDIT_KEY; default: audit.key in the data folder)")
}

func serve(args []string, stdout, stderr io.Writer) error {
	var cfg app.Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &cfg)
	fs.StringVar(&cfg.Addr, "addr", env("VANGUARD_ADDR", app.DefaultAddr), "listen address (VANGUARD_ADDR)")
	fs.BoolVar(&cfg.Demo, "demo", envBool("VANGUARD_DEMO"), "load the demo city into an empty database and print its logins (VANGUARD_DEMO)")
	fs.StringVar(&cfg.TLSCert, "tls-cert", env("VANGUARD_TLS_CERT", ""), "TLS certificate file (VANGUARD_TLS_CERT)")
	fs.StringVar(&cfg.TLSKey, "tls-key", env("VANGUARD_TLS_KEY", ""), "TLS key file (VANGUARD_TLS_KEY)")
	fs.BoolVar(&cfg.SecureCookies, "secure-cookies", envBool("VANGUARD_SECURE_COOKIES"), "mark cookies Secure behind a TLS proxy (VANGUARD_SECURE_COOKIES)")
	fs.BoolVar(&cfg.TrustProxy, "trust-proxy", envBool("VANGUARD_TRUST_PROXY"), "take client addresses from X-Forwarded-For (VANGUARD_TRUST_PROXY)")
	fs.StringVar(&cfg.BaseURL, "base-url", env("VANGUARD_BASE_URL", ""), "the address people open, for links in emails and texts (VANGUARD_BASE_URL)")
	fs.StringVar(&cfg.SMTPURL, "smtp-url", env("VANGUARD_SMTP_URL", ""), "send email through smtp://user:password@host:587?from=noreply@example.org (VANGUARD_SMTP_URL)")
	fs.StringVar(&cfg.GatewayURL, "gateway-url", env("VANGUARD_GATEWAY_URL", ""), "post SMS/WeChat notifications as signed JSON to this URL (VANGUARD_GATEWAY_URL)")
	fs.StringVar(&cfg.GatewaySecret, "gateway-secret", env("VANGUARD_GATEWAY_SECRET", ""), "the secret that signs gateway webhooks (VANGUARD_GATEWAY_SECRET)")
	fs.IntVar(&cfg.JobWorkers, "job-workers", envInt("VANGUARD_JOB_WORKERS", 4), "background jobs worked at once by this instance; -1: none, it only enqueues (VANGUARD_JOB_WORKERS)")
	fs.DurationVar(&cfg.JobRescueAfter, "job-rescue-after", envDuration("VANGUARD_JOB_RESCUE_AFTER", 5*time.Minute), "retry a job still running after this long: its instance died (VANGUARD_JOB_RESCUE_AFTER)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg.Out = stdout
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	m, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer m.Close()
	return m.Run(ctx)
}

func migrate(args []string, stdout, stderr io.Writer) error {
	var cfg app.Config
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &cfg)
	if err := fs.Parse(args); err != nil {
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
	// The audit rows from before the chain can be sealed only by the run
	// that applied migration 017: this one, when it did.
	if st.AuditSealPending() {
		if err := app.OpenAuditChain(ctx, cfg, st); err != nil {
			return fmt.Errorf("seal the audit log: %w", err)
		}
	}
	v, err := st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database is at schema version %d\n", v)
	return nil
}

func buildVersion() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
		v += " " + info.GoVersion
	}
	return v
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return v
	}
	return def
}
