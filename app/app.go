// Package app is the Vanguard program as a value: Open wires configuration →
// store → services → web, Run serves until its context ends, Close releases
// everything. cmd/vanguard only parses flags and calls it; end-to-end tests
// start it on port :0.
package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"vanguard/jobs"
	"vanguard/service"
	"vanguard/store"
	"vanguard/web"
)

// Config is the program's configuration; cmd/vanguard fills it from flags
// and environment variables.
type Config struct {
	Addr          string // VANGUARD_ADDR, ":8080"
	DB            string // VANGUARD_DB, a SQLite path or a postgres:// DSN
	DataDir       string // VANGUARD_DATA, where the generated secret key lives
	SecretKey     string // VANGUARD_SECRET_KEY, 64 hex digits
	AuditKey      string // VANGUARD_AUDIT_KEY, 64 hex digits; else audit.key in DataDir
	Demo          bool
	TLSCert       string
	TLSKey        string
	SecureCookies bool
	TrustProxy    bool
	// Notifications: SMTP for email, a signed webhook for the SMS/WeChat
	// gateway, the site's public address for links in them, and the job
	// queue's workers (see jobs).
	SMTPURL        string         // VANGUARD_SMTP_URL, smtp://user:pass@host:587?from=…
	GatewayURL     string         // VANGUARD_GATEWAY_URL
	GatewaySecret  string         // VANGUARD_GATEWAY_SECRET, signs the webhook
	BaseURL        string         // VANGUARD_BASE_URL, e.g. https://vanguard.example.gov.cn
	JobWorkers     int            // VANGUARD_JOB_WORKERS, jobs worked at once (4)
	JobRescueAfter time.Duration  // a job "running" this long is retried (5 min)
	JobPoll        time.Duration  // how often idle workers look for jobs (1 s)
	Hasher         service.Hasher // zero means service.DefaultHasher
	Out            io.Writer      // where first-start passwords and demo logins are printed
	Log            *slog.Logger
}

// Defaults for the configuration.
const (
	DefaultAddr = ":8080"
	DefaultDB   = "data/vanguard.db"
)

// Main is a running Vanguard.
type Main struct {
	Config  Config
	Store   *store.Store
	Service *service.Service
	Web     *web.Server

	listener net.Listener
	server   *http.Server

	witnessLost bool       // the log lost the head audit.head witnessed (auditchain.go)
	headMu      sync.Mutex // one writer of audit.head at a time
}

// Open connects the database, migrates it, prepares the first account or
// the demo city, and listens on the configured address.
func Open(ctx context.Context, cfg Config) (*Main, error) {
	cfg = withDefaults(cfg)
	m := &Main{Config: cfg}
	// Listen first: with the port taken, fail before creating the data
	// folder, seeding a demo or printing logins that would not work.
	var err error
	if m.listener, err = net.Listen("tcp", cfg.Addr); err != nil {
		return nil, fmt.Errorf("listen on %s (is another program, or another vanguard, using it? choose another with --addr): %w", cfg.Addr, err)
	}
	st, err := store.Open(ctx, cfg.DB)
	if err != nil {
		m.Close()
		return nil, err
	}
	m.Store = st
	if err := st.Migrate(ctx); err != nil {
		m.Close()
		return nil, err
	}
	// The secret key first (it seals personal data: the graver loss), then
	// the audit chain's key; neither is generated for data sealed before.
	secret, err := loadSecret(ctx, cfg, st)
	if err != nil {
		m.Close()
		return nil, err
	}
	m.Service = service.New(st, cfg.Hasher, secret, cfg.Log)
	if err := m.Service.CheckKey(ctx); err != nil {
		m.Close()
		return nil, keyAdvice(cfg, err)
	}
	if err := OpenAuditChain(ctx, cfg, st); err != nil {
		m.Close()
		return nil, err
	}
	if err := m.checkAuditWitness(ctx); err != nil {
		m.Close()
		return nil, err
	}
	m.Service.SetAuditWitness(m.auditWitness)
	// Birth dates (for the age rules of sign-up) of people entered before
	// the column existed are read from their sealed ID numbers once, a
	// thousand at a time; later starts find none to fill.
	if n, err := m.Service.FillBirthDates(ctx); err != nil {
		m.Close()
		return nil, fmt.Errorf("birth dates: %w", err)
	} else if n > 0 {
		cfg.Log.Info("birth dates filled from ID numbers", "people", n)
	}
	senders, err := cfg.senders()
	if err != nil {
		m.Close()
		return nil, err
	}
	m.Service.SetSenders(senders)
	// Photos live beside the database, outside it; several instances on one
	// PostgreSQL must share this folder. It is created (0700) on first upload.
	m.Service.SetPhotoDir(filepath.Join(cfg.DataDir, "photos"))
	if err := m.prepare(ctx); err != nil {
		m.Close()
		return nil, err
	}
	m.Web = web.New(m.Service, web.Config{SecureCookies: cfg.SecureCookies, TrustProxy: cfg.TrustProxy, Log: cfg.Log})
	m.server = &http.Server{
		Handler:           m.Web,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(cfg.Log.Handler(), slog.LevelWarn),
	}
	return m, nil
}

func withDefaults(cfg Config) Config {
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.DB == "" {
		cfg.DB = DefaultDB
	}
	if cfg.DataDir == "" {
		cfg.DataDir = "data"
		if !store.IsPostgres(cfg.DB) {
			cfg.DataDir = filepath.Dir(cfg.DB)
		}
	}
	if cfg.Hasher == (service.Hasher{}) {
		cfg.Hasher = service.DefaultHasher
	}
	if cfg.Out == nil {
		cfg.Out = os.Stdout
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return cfg
}

// prepare creates the first committee admin on an empty database, or the
// demo city with --demo, and prints how to sign in.
func (m *Main) prepare(ctx context.Context) error {
	out := m.Config.Out
	if m.Config.Demo {
		logins, err := m.Service.Demo(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(out, "演示账号 / Demo logins (demo data only):")
		for _, l := range logins {
			fmt.Fprintf(out, "  %-16s %-14s password: %s  %s\n", l.Role, l.Username, l.Password, l.Scope)
		}
		fmt.Fprintln(out, "  public           (no login)     the public pages need no account")
		return nil
	}
	pw, err := m.Service.Bootstrap(ctx, "市直机关工委")
	if err != nil || pw == "" {
		return err
	}
	fmt.Fprintln(out, "首次启动：已创建工委管理员 / First start: created the committee admin.")
	fmt.Fprintf(out, "  username: admin\n  one-time password: %s\n", pw)
	fmt.Fprintln(out, "  请立即登录并修改密码 / Sign in and change it now; it is shown only this once.")
	return nil
}

// URL is the address the program serves on, for tests and the start banner.
func (m *Main) URL() string {
	scheme := "http"
	if m.Config.TLSCert != "" {
		scheme = "https"
	}
	addr := m.listener.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "localhost"
	}
	return fmt.Sprintf("%s://%s", scheme, net.JoinHostPort(host, fmt.Sprint(addr.Port)))
}

// Run serves until ctx ends, then shuts down gracefully: it stops accepting,
// lets in-flight requests finish (up to 15 s) and returns.
func (m *Main) Run(ctx context.Context) error {
	fmt.Fprintf(m.Config.Out, "Vanguard 先锋志愿服务平台 listening on %s\n", m.URL())
	go m.housekeep(ctx)
	go m.recordAuditHeads(ctx)
	if m.Config.JobWorkers >= 0 {
		runner, err := jobs.Start(ctx, m.Store, m.Service, jobs.Config{Workers: m.Config.JobWorkers,
			RescueAfter: m.Config.JobRescueAfter, Poll: m.Config.JobPoll, Log: m.Config.Log,
			Tick: m.Service.RemindRound})
		if err != nil {
			if ctx.Err() != nil { // stopped before the queue had started: a clean stop
				return nil
			}
			return err
		}
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			if err := runner.Stop(sctx); err != nil {
				m.Config.Log.Error("stop the job queue", "error", err)
			}
		}()
	}
	errc := make(chan error, 1)
	go func() {
		var err error
		if m.Config.TLSCert != "" {
			err = m.server.ServeTLS(m.listener, m.Config.TLSCert, m.Config.TLSKey)
		} else {
			err = m.server.Serve(m.listener)
		}
		errc <- err
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	m.Config.Log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := m.server.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// housekeep removes expired sessions and old login failures every ten
// minutes.
func (m *Main) housekeep(ctx context.Context) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := m.Service.Housekeep(ctx); err != nil && ctx.Err() == nil {
				m.Config.Log.Error("housekeeping", "error", err)
			}
		}
	}
}

// Close releases the listener and the database.
func (m *Main) Close() error {
	var errs []error
	if m.listener != nil {
		m.listener.Close()
	}
	if m.Store != nil {
		errs = append(errs, m.recordAuditHead(), m.Store.Close())
	}
	return errors.Join(errs...)
}

// loadSecret returns the key for keyed hashes and field encryption: from
// VANGUARD_SECRET_KEY, else from secret.key in the data folder, generated
// there on first start — but never for a database that already holds data
// sealed with a key. Several instances must share one key, so on
// PostgreSQL set VANGUARD_SECRET_KEY.
func loadSecret(ctx context.Context, cfg Config, st *store.Store) ([]byte, error) {
	if cfg.SecretKey != "" {
		return decodeKey(cfg.SecretKey, "VANGUARD_SECRET_KEY")
	}
	path := filepath.Join(cfg.DataDir, "secret.key")
	b, err := os.ReadFile(path)
	if err == nil {
		return decodeKey(strings.TrimSpace(string(b)), path)
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read secret key: %w", err)
	}
	if sealed, err := st.HoldsSealedData(ctx); err != nil {
		return nil, err
	} else if sealed {
		return nil, missingKey(path)
	}
	key := make([]byte, 32)
	rand.Read(key)
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("write secret key: %w", err)
	}
	defer f.Close()
	if _, err := fmt.Fprintln(f, hex.EncodeToString(key)); err != nil {
		return nil, err
	}
	return key, f.Sync()
}

func decodeKey(s, from string) ([]byte, error) {
	key, err := hex.DecodeString(s)
	if err != nil || len(key) < 32 {
		return nil, fmt.Errorf("secret key from %s must be at least 64 hex digits", from)
	}
	return key, nil
}
