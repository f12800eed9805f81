// Package jobs runs Vanguard's background work on River: the deliveries of
// notifications and a periodic tick (reminders, escalation). Every instance
// runs a Runner; River hands each job to one of them, retries failures with
// backoff, rescues the jobs of an instance that died, and runs the periodic
// tick on the elected leader only.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// Config tunes a Runner. Zero values take the defaults.
type Config struct {
	Workers     int           // jobs worked at once by this instance (4)
	JobTimeout  time.Duration // a job running longer is cancelled (1 min)
	RescueAfter time.Duration // a job still "running" this long is retried: its instance died (5 min)
	Poll        time.Duration // how often idle workers look for jobs (1 s)
	TickEvery   time.Duration // the periodic tick's interval (5 min)
	Tick        func(context.Context) error
	Log         *slog.Logger
}

// Runner works jobs until stopped.
type Runner struct {
	client *river.Client[*sql.Tx]
}

// TickArgs is the periodic job.
type TickArgs struct{}

// Kind names the job in River's tables.
func (TickArgs) Kind() string { return "tick" }

// Start starts working jobs.
func Start(ctx context.Context, st *store.Store, svc *service.Service, cfg Config) (*Runner, error) {
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if cfg.RescueAfter <= 0 {
		cfg.RescueAfter = 5 * time.Minute
	}
	if cfg.JobTimeout <= 0 || cfg.JobTimeout >= cfg.RescueAfter {
		cfg.JobTimeout = min(time.Minute, cfg.RescueAfter/2)
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.TickEvery <= 0 {
		cfg.TickEvery = 5 * time.Minute
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &deliverWorker{svc: svc})
	rc := &river.Config{
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:              workers,
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		FetchPollInterval:    cfg.Poll,
		FetchCooldown:        min(cfg.Poll, 100*time.Millisecond),
		// Dead letters stay a month for /admin/jobs.
		DiscardedJobRetentionPeriod: 30 * 24 * time.Hour,
		Logger:                      slog.New(warnOnly{cfg.Log.Handler()}),
	}
	if cfg.Tick != nil {
		river.AddWorker(workers, &tickWorker{tick: cfg.Tick})
		rc.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(cfg.TickEvery),
			func() (river.JobArgs, *river.InsertOpts) {
				return TickArgs{}, &river.InsertOpts{MaxAttempts: 1}
			}, &river.PeriodicJobOpts{RunOnStart: true})}
	}
	client, err := river.NewClient(st.JobDriver(), rc)
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	if err := client.Start(ctx); err != nil {
		return nil, fmt.Errorf("start the job queue: %w", err)
	}
	return &Runner{client: client}, nil
}

// Stop stops fetching jobs and waits for the running ones to finish, until
// ctx ends; then it cancels them (River retries them later).
func (r *Runner) Stop(ctx context.Context) error {
	if err := r.client.Stop(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

type deliverWorker struct {
	river.WorkerDefaults[store.DeliverArgs]
	svc *service.Service
}

// Work sends one delivery. A delivery that no longer exists (its person was
// erased) is cancelled rather than retried.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[store.DeliverArgs]) error {
	err := w.svc.DeliverNotification(ctx, job.Args.DeliveryID)
	if err != nil && domain.ErrCode(err) == domain.CodeNotFound {
		return river.JobCancel(err)
	}
	return err
}

type tickWorker struct {
	river.WorkerDefaults[TickArgs]
	tick func(context.Context) error
}

func (w *tickWorker) Work(ctx context.Context, _ *river.Job[TickArgs]) error { return w.tick(ctx) }

// Timeout gives the tick longer than a delivery: a round may have much to do.
func (w *tickWorker) Timeout(*river.Job[TickArgs]) time.Duration { return 4 * time.Minute }

// warnOnly passes River's warnings and errors to the program's log and
// drops its routine information.
type warnOnly struct{ slog.Handler }

func (h warnOnly) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && h.Handler.Enabled(ctx, l)
}

// Handle drops River's reports of a cancelled context: they come from a
// request that ended (the client went away, or the program is stopping) while
// its transaction was inserting a job. River returns that error to the caller
// as well, whose transaction rolls back and nothing is lost, so it is not a
// fault to alert anyone about.
func (h warnOnly) Handle(ctx context.Context, r slog.Record) error {
	canceled := false
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "err" && a.Value.String() == context.Canceled.Error() {
			canceled = true
			return false
		}
		return true
	})
	if canceled {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h warnOnly) WithAttrs(as []slog.Attr) slog.Handler {
	return warnOnly{h.Handler.WithAttrs(as)}
}

func (h warnOnly) WithGroup(name string) slog.Handler {
	return warnOnly{h.Handler.WithGroup(name)}
}
