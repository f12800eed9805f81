package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"vanguard/domain"
)

// Generated data (package gen: a province of ten million person-times) is
// loaded table by table from streams of rows, never held whole in memory:
// on PostgreSQL by COPY (pgx CopyFrom), on SQLite by multi-row INSERTs in big
// transactions. The loads are for an empty database only (the caller
// checks): PrepareBulk drops the bulk tables' indexes and keys first and
// BulkPlan.Restore builds them again afterwards, which is both faster than
// maintaining them row by row and a proof that the data keeps every unique
// key and foreign key. The rows carry their own ids; FinishBulk moves the
// id sequences past them, rebuilds the statistics roll-up and analyses the
// tables. Loads of generated data write no audit rows of their own: the
// generator records one entry for the whole load when it is done.

// BulkTable is a table the bulk loader may fill, with the columns each row
// gives, in order. The names are constants of this package, never input.
type BulkTable struct {
	name string
	cols []string
}

// Name is the table's name, for progress messages.
func (t BulkTable) Name() string { return t.name }

// The tables generated data fills, with the order of each row's values.
var (
	BulkRegions = BulkTable{"regions", []string{"id", "parent_id", "level", "name", "lat", "lng", "path", "created_at"}}
	BulkOrgs    = BulkTable{"orgs", []string{"id", "parent_id", "kind", "name", "path", "created_at"}}
	BulkSites   = BulkTable{"sites", []string{"id", "org_id", "kind", "name", "region_id", "address", "contact_name",
		"contact_phone", "created_at"}}
	BulkPeople = BulkTable{"people", []string{"id", "name", "gender", "phone", "political_status", "org_id", "region_id",
		"availability", "created_at", "updated_at"}}
	BulkTrainings = BulkTable{"trainings", []string{"id", "person_id", "held_on", "subject", "minutes", "created_at"}}
	BulkTeams     = BulkTable{"teams", []string{"id", "org_id", "kind", "name", "founded_on", "description", "rules",
		"base_region_id", "base_address", "created_at"}}
	BulkTeamCategories = BulkTable{"team_categories", []string{"team_id", "category_id"}}
	BulkTeamMembers    = BulkTable{"team_members", []string{"id", "team_id", "person_id", "role", "joined_on", "left_on",
		"created_at"}}
	BulkMenuItems = BulkTable{"menu_items", []string{"id", "title", "category_id", "description", "kind", "term",
		"volunteers", "active", "created_at", "updated_at"}}
	BulkMenuItemTeams = BulkTable{"menu_item_teams", []string{"menu_item_id", "team_id"}}
	BulkOrders        = BulkTable{"orders", []string{"id", "code", "eval_code", "channel", "state", "requester_name",
		"requester_phone", "site_id", "region_id", "address", "date_from", "date_to", "beneficiaries", "need",
		"created_at", "updated_at"}}
	BulkOrderItems = BulkTable{"order_items", []string{"order_id", "menu_item_id"}}
	BulkOrderSteps = BulkTable{"order_steps", []string{"id", "order_id", "from_state", "to_state", "event", "reason",
		"actor_name", "at"}}
	BulkDispatches = BulkTable{"dispatches", []string{"id", "order_id", "category_id", "team_id", "person_days", "state",
		"reason", "dispatched_at", "answered_at"}}
	BulkEvaluations = BulkTable{"evaluations", []string{"id", "order_id", "rating", "comment", "complaint",
		"complaint_text", "created_at", "answer", "answered_name", "answered_at"}}
	BulkCampaigns = BulkTable{"campaigns", []string{"id", "name", "description", "starts_on", "ends_on", "created_at",
		"updated_at"}}
	BulkCampaignBatches = BulkTable{"campaign_batches", []string{"id", "campaign_id", "number", "note", "starts_on",
		"ends_on", "created_at"}}
	BulkActivities = BulkTable{"activities", []string{"id", "title", "mode", "state", "org_id", "team_id", "order_id",
		"site_id", "region_id", "address", "starts_at", "ends_at", "cancel_cutoff", "capacity", "taken", "description",
		"batch_id", "created_at", "updated_at", "completed_at"}}
	BulkActivityCategories = BulkTable{"activity_categories", []string{"activity_id", "category_id"}}
	BulkActivityTeams      = BulkTable{"activity_teams", []string{"activity_id", "team_id"}}
	BulkSignups            = BulkTable{"signups", []string{"id", "activity_id", "person_id", "team_id", "org_id", "state",
		"queued_at", "created_at", "updated_at"}}
	BulkAttendance = BulkTable{"attendance", []string{"id", "activity_id", "person_id", "day", "pair", "check_in",
		"check_out", "method_in", "method_out"}}
	BulkActivityHours = BulkTable{"activity_hours", []string{"activity_id", "person_id", "team_id", "org_id", "minutes",
		"recorded_at"}}
	BulkOutcomes      = BulkTable{"outcomes", []string{"activity_id", "beneficiaries", "narrative", "created_at", "updated_at"}}
	BulkOutcomeValues = BulkTable{"outcome_values", []string{"activity_id", "metric_id", "value"}}
)

// bulkTables are every BulkTable, for preparing and finishing a load.
var bulkTables = []BulkTable{BulkRegions, BulkOrgs, BulkSites, BulkPeople, BulkTrainings, BulkTeams, BulkTeamCategories,
	BulkTeamMembers, BulkMenuItems, BulkMenuItemTeams, BulkOrders, BulkOrderItems, BulkOrderSteps, BulkDispatches,
	BulkEvaluations, BulkCampaigns, BulkCampaignBatches, BulkActivities, BulkActivityCategories, BulkActivityTeams,
	BulkSignups, BulkAttendance, BulkActivityHours, BulkOutcomes, BulkOutcomeValues}

func bulkTableNames() []string {
	out := make([]string, len(bulkTables))
	for i, t := range bulkTables {
		out[i] = t.name
	}
	return out
}

// RowChunks returns the next rows of a stream, in the table's column
// order; an empty chunk ends it. The loader is done with a chunk's rows when
// it asks for the next, so a source may reuse them.
type RowChunks func() ([][]any, error)

// BulkPlan holds the indexes and keys PrepareBulk dropped, to build again.
type BulkPlan struct {
	s       *Store
	indexes []string // CREATE INDEX statements
	keys    []string // ALTER TABLE … ADD CONSTRAINT: primary and unique keys
	foreign []string // ALTER TABLE … ADD CONSTRAINT: foreign keys, added last
}

// PrepareBulk drops the indexes of the bulk tables — on PostgreSQL also
// their primary, unique and foreign keys and the foreign keys that point at
// them — and returns the plan that builds them again. The database must
// hold no data in those tables.
func (s *Store) PrepareBulk(ctx context.Context) (*BulkPlan, error) {
	p := &BulkPlan{s: s}
	var err error
	if s.Dialect == Postgres {
		err = p.preparePostgres(ctx)
	} else {
		err = p.prepareSQLite(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("prepare bulk load: %w", err)
	}
	return p, nil
}

// The statements below name tables, indexes and keys that come from the
// database's own catalogue (for the bulk tables, constants of this
// package), never from input.

func (p *BulkPlan) preparePostgres(ctx context.Context) error {
	names := bulkTableNames()
	rows, err := p.s.w.QueryContext(ctx, `SELECT c.contype, quote_ident(t.relname), quote_ident(c.conname), pg_get_constraintdef(c.oid)
		FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
		LEFT JOIN pg_class f ON f.oid = c.confrelid
		WHERE t.relnamespace = current_schema()::regnamespace AND (
			(c.contype IN ('p', 'u') AND t.relname = ANY($1)) OR
			(c.contype = 'f' AND (t.relname = ANY($1) OR f.relname = ANY($1))))
		ORDER BY c.contype, t.relname, c.conname`, names)
	if err != nil {
		return err
	}
	var drops, dropKeys []string
	for rows.Next() {
		var kind, table, name, def string
		if err := rows.Scan(&kind, &table, &name, &def); err != nil {
			rows.Close()
			return err
		}
		add := "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " " + def
		drop := "ALTER TABLE " + table + " DROP CONSTRAINT " + name
		if kind == "f" {
			p.foreign = append(p.foreign, add)
			drops = append(drops, drop)
		} else {
			p.keys = append(p.keys, add)
			dropKeys = append(dropKeys, drop)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = p.s.w.QueryContext(ctx, `SELECT quote_ident(ix.relname), pg_get_indexdef(i.indexrelid)
		FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ix ON ix.oid = i.indexrelid
		WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1)
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
		ORDER BY t.relname, ix.relname`, names)
	if err != nil {
		return err
	}
	var dropIndexes []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return err
		}
		p.indexes = append(p.indexes, def)
		dropIndexes = append(dropIndexes, "DROP INDEX "+name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// Foreign keys first: a primary key cannot go while one points at it.
	return p.s.execAll(ctx, append(append(drops, dropKeys...), dropIndexes...))
}

func (p *BulkPlan) prepareSQLite(ctx context.Context) error {
	// SQLite keeps its keys (they are part of each table); the secondary
	// indexes go, partial unique ones included, and come back after.
	rows, err := p.s.w.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(bulkTables)), ", ")+`) ORDER BY tbl_name, name`,
		anySlice(bulkTableNames())...)
	if err != nil {
		return err
	}
	var drops []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return err
		}
		p.indexes = append(p.indexes, def)
		drops = append(drops, `DROP INDEX "`+name+`"`)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return p.s.execAll(ctx, drops)
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func (s *Store) execAll(ctx context.Context, stmts []string) error {
	for _, q := range stmts {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// Restore builds the dropped indexes and keys again: primary and unique
// keys, then indexes, then foreign keys, each checking the loaded rows. On
// PostgreSQL each phase runs on workers connections at once (builds of
// different tables do not wait for each other). progress, when not nil,
// hears of each statement as it starts.
func (p *BulkPlan) Restore(ctx context.Context, workers int, progress func(stmt string)) error {
	if p.s.Dialect != Postgres {
		workers = 1
	}
	for _, phase := range [][]string{p.keys, p.indexes, p.foreign} {
		if err := p.s.execParallel(ctx, phase, max(1, workers), progress); err != nil {
			return fmt.Errorf("restore after bulk load: %w", err)
		}
	}
	return nil
}

// execParallel runs stmts on up to workers connections of the writer pool.
func (s *Store) execParallel(ctx context.Context, stmts []string, workers int, progress func(string)) error {
	next := make(chan string)
	errs := make(chan error, workers)
	for range workers {
		go func() {
			errs <- s.execFrom(ctx, next, progress)
		}()
	}
	var first error
send:
	for _, q := range stmts {
		select {
		case next <- q:
		case err := <-errs: // a worker stops early only on an error
			first = err
			workers--
			break send
		}
	}
	close(next)
	for range workers {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// execFrom runs the statements it receives on one connection until the
// channel closes or a statement fails.
func (s *Store) execFrom(ctx context.Context, stmts <-chan string, progress func(string)) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if s.Dialect == Postgres {
		// Index builds sort; give them room (this session only).
		if _, err := conn.ExecContext(ctx, "SET maintenance_work_mem = '256MB'"); err != nil {
			return err
		}
	}
	for q := range stmts {
		if progress != nil {
			progress(q)
		}
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// BulkLoad streams the rows next returns into table t and returns how many
// it wrote: on PostgreSQL one COPY, on SQLite multi-row inserts committed
// about every 100,000 rows.
func (s *Store) BulkLoad(ctx context.Context, t BulkTable, next RowChunks) (int64, error) {
	var n int64
	var err error
	if s.Dialect == Postgres {
		n, err = s.copyPostgres(ctx, t, next)
	} else {
		n, err = s.insertSQLite(ctx, t, next)
	}
	if err != nil {
		return n, fmt.Errorf("bulk load %s: %w", t.name, err)
	}
	return n, nil
}

func (s *Store) copyPostgres(ctx context.Context, t BulkTable, next RowChunks) (int64, error) {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	var n int64
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("not a pgx connection: %T", dc)
		}
		n, err = c.Conn().CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, &chunkSource{next: next})
		return err
	})
	return n, err
}

// chunkSource is a pgx.CopyFromSource over RowChunks.
type chunkSource struct {
	next  RowChunks
	chunk [][]any
	i     int
	err   error
}

func (c *chunkSource) Next() bool {
	c.i++
	for c.i >= len(c.chunk) {
		if c.err != nil {
			return false
		}
		c.chunk, c.err = c.next()
		c.i = 0
		if len(c.chunk) == 0 {
			return false
		}
	}
	return true
}

func (c *chunkSource) Values() ([]any, error) { return c.chunk[c.i], nil }

func (c *chunkSource) Err() error { return c.err }

// sqliteCommitRows is how many rows one transaction of a SQLite bulk load
// holds at least: big enough that the commit's sync is rare, small enough
// that the WAL stays modest.
const sqliteCommitRows = 100_000

// insertSQLite writes each chunk in multi-row INSERTs (bulkRows), a few
// hundred rows a statement, committing every sqliteCommitRows rows.
func (s *Store) insertSQLite(ctx context.Context, t BulkTable, next RowChunks) (int64, error) {
	var n, since int64
	var tx *Tx
	for {
		chunk, err := next()
		if err == nil && len(chunk) > 0 && tx == nil {
			var sqlTx *sql.Tx
			if sqlTx, err = s.w.BeginTx(ctx, nil); err == nil {
				tx = &Tx{s: s, tx: sqlTx, ctx: ctx, actor: domain.SystemActor, now: s.now()}
			}
		}
		if err == nil && len(chunk) > 0 {
			err = tx.insertRows(t.name, t.cols, chunk)
		}
		if err != nil {
			if tx != nil {
				tx.tx.Rollback()
			}
			return n, err
		}
		n += int64(len(chunk))
		since += int64(len(chunk))
		if tx != nil && (len(chunk) == 0 || since >= sqliteCommitRows) {
			if err := tx.tx.Commit(); err != nil {
				return n, err
			}
			tx, since = nil, 0
		}
		if len(chunk) == 0 {
			return n, nil
		}
	}
}

// FinishBulk ends a bulk load: on PostgreSQL the id sequences move past the
// loaded ids; then the statistics roll-up is rebuilt from activity_hours
// and the tables are analysed for the planner.
func (s *Store) FinishBulk(ctx context.Context) error {
	if s.Dialect == Postgres {
		for _, t := range bulkTables {
			if t.cols[0] != "id" {
				continue
			}
			if _, err := s.w.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('"+t.name+"', 'id'), "+
				"COALESCE((SELECT MAX(id) FROM "+t.name+"), 0) + 1, false)"); err != nil {
				return fmt.Errorf("finish bulk load: sequence of %s: %w", t.name, err)
			}
		}
	}
	if err := s.RebuildActivityTotals(ctx); err != nil {
		return err
	}
	// On PostgreSQL VACUUM also marks the loaded pages all-visible, so that
	// index-only scans need not visit the table: autovacuum would do it in
	// time, where it is on.
	analyze := "ANALYZE"
	if s.Dialect == Postgres {
		analyze = "VACUUM (ANALYZE)"
	}
	if _, err := s.w.ExecContext(ctx, analyze); err != nil {
		return fmt.Errorf("finish bulk load: analyze: %w", err)
	}
	return nil
}

// ErrNotEmpty is returned by CheckEmptyForBulk for a database with data.
var ErrNotEmpty = errors.New("the database already holds orgs, people or activities: generate into a new, empty database")

// CheckEmptyForBulk refuses a database whose bulk tables hold rows, the
// committee of a first start included: generated data brings its own.
func (s *Store) CheckEmptyForBulk(ctx context.Context) error {
	for _, t := range bulkTables {
		var n int
		if err := s.queryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM "+t.name+" LIMIT 1) x").Scan(&n); err != nil {
			return fmt.Errorf("check empty: %w", err)
		}
		if n > 0 {
			return ErrNotEmpty
		}
	}
	return nil
}
