package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// The job queue is River (riverqueue.com) on its own tables in Vanguard's
// database, through database/sql on both dialects (riversqlite and
// riverdatabasesql), so a job is inserted in the same transaction as the
// write that causes it: an order accepted and its notice commit together or
// not at all. River retries a failed job with backoff and, after its last
// attempt, keeps it as discarded — the dead letters /admin/jobs shows.
// Workers run in package jobs; the store only inserts and inspects.

// DeliverArgs is the job that sends one notification delivery by email or
// through the gateway.
type DeliverArgs struct {
	DeliveryID int64 `json:"delivery_id"`
}

// Kind names the job in River's tables.
func (DeliverArgs) Kind() string { return "deliver" }

// JobDriver is River's driver over the store's writer pool. On SQLite that
// pool is one connection, which River shares with every write.
func (s *Store) JobDriver() riverdriver.Driver[*sql.Tx] {
	if s.Dialect == Postgres {
		return riverdatabasesql.New(s.w)
	}
	return riversqlite.New(s.w)
}

// migrateJobs brings River's tables up to date, one instance at a time on
// PostgreSQL.
func (s *Store) migrateJobs(ctx context.Context) error {
	if s.Dialect == Postgres {
		conn, err := s.w.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(727002)"); err != nil {
			return fmt.Errorf("job queue migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(727002)")
	}
	m, err := rivermigrate.New(s.JobDriver(), nil)
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}

// jobClient is an insert-only River client: it enqueues and inspects jobs
// but works none.
type jobClient struct {
	once   sync.Once
	client *river.Client[*sql.Tx]
	err    error
}

func (s *Store) jobs() (*river.Client[*sql.Tx], error) {
	s.jobc.once.Do(func() {
		s.jobc.client, s.jobc.err = river.NewClient(s.JobDriver(), &river.Config{})
	})
	return s.jobc.client, s.jobc.err
}

// Enqueue inserts a job in this transaction; it runs no earlier than at (a
// zero time means now).
func (tx *Tx) Enqueue(args river.JobArgs, at time.Time) error {
	c, err := tx.s.jobs()
	if err != nil {
		return err
	}
	opts := &river.InsertOpts{MaxAttempts: JobMaxAttempts}
	if !at.IsZero() && at.After(tx.now) {
		opts.ScheduledAt = at
	}
	if _, err := c.InsertTx(tx.ctx, tx.tx, args, opts); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// JobMaxAttempts is how often a job is tried before it is kept as dead.
// River's backoff (attempt⁴ seconds) spreads ten attempts over about three
// hours.
const JobMaxAttempts = 10

// Job is one row of the queue as /admin/jobs shows it.
type Job struct {
	ID          int64
	Kind        string
	State       string // available, scheduled, running, retryable, completed, cancelled, discarded
	Attempt     int
	MaxAttempts int
	CreatedAt   time.Time
	ScheduledAt time.Time
	LastError   string
	Args        []byte // the job's arguments as River keeps them (JSON)
}

// JobStates are the states /admin/jobs can list, waiting ones first.
var JobStates = []string{"available", "scheduled", "running", "retryable", "discarded", "cancelled", "completed"}

// Jobs lists up to limit jobs in state, newest first.
func (s *Store) Jobs(ctx context.Context, state string, limit int) ([]Job, error) {
	c, err := s.jobs()
	if err != nil {
		return nil, err
	}
	params := river.NewJobListParams().States(rivertype.JobState(state)).First(limit).
		OrderBy(river.JobListOrderByID, river.SortOrderDesc)
	res, err := c.JobList(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	out := make([]Job, 0, len(res.Jobs))
	for _, j := range res.Jobs {
		job := Job{ID: j.ID, Kind: j.Kind, State: string(j.State), Attempt: j.Attempt,
			MaxAttempts: j.MaxAttempts, CreatedAt: j.CreatedAt, ScheduledAt: j.ScheduledAt, Args: j.EncodedArgs}
		if n := len(j.Errors); n > 0 {
			job.LastError = j.Errors[n-1].Error
		}
		out = append(out, job)
	}
	return out, nil
}

// JobCounts counts the jobs in each state.
func (s *Store) JobCounts(ctx context.Context) (map[string]int, error) {
	out, err := scanCounts(s.query(ctx, `SELECT state, COUNT(*) FROM river_job GROUP BY state`))
	if err != nil {
		return nil, fmt.Errorf("count jobs: %w", err)
	}
	return out, nil
}

// scanCounts reads the rows of a "SELECT key, COUNT(*) … GROUP BY key".
func scanCounts(rows *sql.Rows, err error) (map[string]int, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var key string
		var n int
		if err := rows.Scan(&key, &n); err != nil {
			return nil, err
		}
		out[key] = n
	}
	return out, rows.Err()
}

// RetryJob makes a failed, dead or cancelled job available again at once.
func (tx *Tx) RetryJob(id int64) error {
	c, err := tx.s.jobs()
	if err != nil {
		return err
	}
	if _, err := c.JobRetryTx(tx.ctx, tx.tx, id); err != nil {
		return jobError(err)
	}
	return nil
}

// CancelJob cancels a job that has not completed.
func (tx *Tx) CancelJob(id int64) error {
	c, err := tx.s.jobs()
	if err != nil {
		return err
	}
	if _, err := c.JobCancelTx(tx.ctx, tx.tx, id); err != nil {
		return jobError(err)
	}
	return nil
}

func jobError(err error) error {
	if errors.Is(err, rivertype.ErrNotFound) {
		return notFound(sql.ErrNoRows, "jobs.not_found")
	}
	return err
}
