package gen

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// Options say what to generate.
type Options struct {
	Scale Scale
	Year  int
	Seed  uint64
	// Now is the moment of the load: activities before its day are held
	// (or cancelled), later ones still scheduled. Zero: the present.
	Now time.Time
	// Progress, when not nil, hears what is being done.
	Progress io.Writer
	// Workers is how many tables load at once on PostgreSQL (0: 2).
	Workers int
}

// Result counts what Generate wrote, by table.
type Result struct {
	Rows    map[string]int64
	Elapsed time.Duration
}

type world struct {
	sc     Scale
	year   int
	seed   uint64
	r      *rand.Rand
	days   int   // days in the year
	nowDay int   // the day of the load: activities before it are past
	loaded int64 // micros: the registry's created_at

	cats      []domain.Category
	metrics   map[string]int64
	metricIDs []int64

	regions                  []region
	banners, towns, villages []int32
	orgs                     []org
	units                    []unit
	teams                    []team
	sites                    []site
	items                    []menuItem
	itemsByCat               map[int64][]int32
	batches                  []batch
	orders                   []order
	acts                     []act
	busy                     busy
	perActivity              float64 // people wanted per activity, on average
}

// plan builds the registry and the plan of the year in memory.
func plan(o Options, cats []domain.Category, metrics []domain.Metric) (*world, error) {
	if o.Year < 2000 || o.Year > 2100 {
		return nil, fmt.Errorf("year %d: want 2000–2100", o.Year)
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	w := &world{sc: o.Scale, year: o.Year, seed: o.Seed, r: rand.New(rand.NewPCG(o.Seed, 2026)), metrics: map[string]int64{}}
	jan1 := time.Date(o.Year, 1, 1, 0, 0, 0, 0, domain.ChinaZone)
	w.days = int(time.Date(o.Year+1, 1, 1, 0, 0, 0, 0, domain.ChinaZone).Sub(jan1).Hours() / 24)
	w.nowDay = min(w.days, max(0, int(now.Sub(jan1).Hours()/24)))
	w.loaded = now.UnixMicro()
	for _, c := range cats {
		if !c.Retired {
			w.cats = append(w.cats, c)
		}
	}
	for _, m := range metrics {
		w.metrics[m.Code] = m.ID
		w.metricIDs = append(w.metricIDs, m.ID)
	}
	sort.Slice(w.metricIDs, func(i, j int) bool { return w.metricIDs[i] < w.metricIDs[j] })
	if len(w.cats) == 0 {
		return nil, fmt.Errorf("no categories of service on file")
	}
	// Hours come from completed activities only (a little over nine in ten), and
	// about one in twenty-five of those signed up does not come.
	w.perActivity = max(1, float64(o.Scale.PersonTimes)/(float64(o.Scale.Activities)*0.92*0.96))
	w.genRegions()
	w.genOrgs()
	w.genTeams(int(w.perActivity + 0.999))
	w.genSites()
	w.genMenu()
	w.busy = make(busy, len(w.teams))
	for i := range w.busy {
		w.busy[i] = make([]bool, w.days)
	}
	w.genCampaigns()
	w.genOrders()
	w.genActivities()
	return w, nil
}

// load is one table's stream.
type load struct {
	table store.BulkTable
	rows  store.RowChunks
}

// loads lists every table's stream, the biggest first so that parallel
// loads end together.
func (w *world) loads() []load {
	return []load{
		{store.BulkAttendance, w.attendanceRows()}, {store.BulkActivityHours, w.hoursRows()}, {store.BulkSignups, w.signupRows()},
		{store.BulkPeople, w.peopleRows()}, {store.BulkActivities, w.activityRows()}, {store.BulkTeamMembers, w.memberRows()},
		{store.BulkOrderSteps, w.orderStepRows()}, {store.BulkOutcomes, w.outcomeRows()}, {store.BulkOutcomeValues, w.outcomeValueRows()},
		{store.BulkActivityTeams, w.activityTeamRows()}, {store.BulkActivityCategories, w.activityCategoryRows()},
		{store.BulkOrders, w.orderRows()}, {store.BulkOrderItems, w.orderItemRows()}, {store.BulkDispatches, w.dispatchRows()},
		{store.BulkEvaluations, w.evaluationRows()}, {store.BulkTrainings, w.trainingRows()},
		{store.BulkRegions, w.regionRows()}, {store.BulkOrgs, w.orgRows()}, {store.BulkSites, w.siteRows()},
		{store.BulkTeams, w.teamRows()}, {store.BulkTeamCategories, w.teamCategoryRows()}, {store.BulkMenuItems, w.menuRows()},
		{store.BulkMenuItemTeams, w.menuTeamRows()}, {store.BulkCampaigns, w.campaignRows()}, {store.BulkCampaignBatches, w.batchRows()},
	}
}

// parentsFirst is the order SQLite, which checks foreign keys row by row,
// loads the tables in.
var parentsFirst = []store.BulkTable{store.BulkRegions, store.BulkOrgs, store.BulkSites, store.BulkPeople, store.BulkTrainings,
	store.BulkTeams, store.BulkTeamCategories, store.BulkTeamMembers, store.BulkMenuItems, store.BulkMenuItemTeams,
	store.BulkOrders, store.BulkOrderItems, store.BulkOrderSteps, store.BulkDispatches, store.BulkEvaluations,
	store.BulkCampaigns, store.BulkCampaignBatches, store.BulkActivities, store.BulkActivityCategories,
	store.BulkActivityTeams, store.BulkSignups, store.BulkAttendance, store.BulkActivityHours, store.BulkOutcomes,
	store.BulkOutcomeValues}

// Generate fills an empty, migrated database with a year of generated data
// and records the load in the audit log as one "generate.load" entry.
func Generate(ctx context.Context, st *store.Store, o Options) (Result, error) {
	began := time.Now()
	res := Result{Rows: map[string]int64{}}
	say := func(format string, args ...any) {
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "%7.1fs  "+format+"\n", append([]any{time.Since(began).Seconds()}, args...)...)
		}
	}
	if err := st.CheckEmptyForBulk(ctx); err != nil {
		return res, err
	}
	cats, err := st.ListCategories(ctx, false)
	if err != nil {
		return res, err
	}
	metrics, err := st.ListMetrics(ctx, false)
	if err != nil {
		return res, err
	}
	w, err := plan(o, cats, metrics)
	if err != nil {
		return res, err
	}
	say("planned %d orgs, %d teams, %d orders, %d activities (about %.1f people each)", len(w.orgs), len(w.teams),
		len(w.orders), len(w.acts), w.perActivity)
	bulk, err := st.PrepareBulk(ctx)
	if err != nil {
		return res, err
	}
	say("dropped indexes and keys of the bulk tables")
	if err := w.loadAll(ctx, st, o, res.Rows, say); err != nil {
		return res, err
	}
	if err := bulk.Restore(ctx, w.workers(st, o), nil); err != nil {
		return res, err
	}
	say("built indexes and keys again (checking every key)")
	if err := st.FinishBulk(ctx); err != nil {
		return res, err
	}
	say("rebuilt the statistics roll-up and analysed the tables")
	err = st.Write(ctx, domain.SystemActor, func(tx *store.Tx) error {
		return tx.Audit("generate.load", "generate", "", nil, map[string]any{
			"scale": o.Scale.Name, "year": o.Year, "seed": o.Seed, "people": res.Rows["people"],
			"activities": res.Rows["activities"], "person_times": res.Rows["activity_hours"],
		})
	})
	res.Elapsed = time.Since(began)
	return res, err
}

// workers is how many tables load, and how many indexes build, at once:
// one on SQLite (one writer), Options.Workers (default 2) on PostgreSQL.
func (w *world) workers(st *store.Store, o Options) int {
	switch {
	case st.Dialect != store.Postgres:
		return 1
	case o.Workers > 0:
		return o.Workers
	}
	return 2
}

// loadAll streams every table: on PostgreSQL several at once (keys come
// after), on SQLite one after another, parents first.
func (w *world) loadAll(ctx context.Context, st *store.Store, o Options, rows map[string]int64, say func(string, ...any)) error {
	ls := w.loads()
	workers := w.workers(st, o)
	if st.Dialect != store.Postgres {
		rank := map[string]int{}
		for i, t := range parentsFirst {
			rank[t.Name()] = i
		}
		sort.Slice(ls, func(i, j int) bool { return rank[ls[i].table.Name()] < rank[ls[j].table.Name()] })
	}
	var mu sync.Mutex
	var first error
	next := make(chan load)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for l := range next {
				t0 := time.Now()
				n, err := st.BulkLoad(ctx, l.table, l.rows)
				mu.Lock()
				rows[l.table.Name()] = n
				if err != nil && first == nil {
					first = err
				}
				mu.Unlock()
				say("%-20s %10d rows in %.1fs", l.table.Name(), n, time.Since(t0).Seconds())
			}
		}()
	}
	for _, l := range ls {
		mu.Lock()
		failed := first != nil
		mu.Unlock()
		if failed {
			break
		}
		next <- l
	}
	close(next)
	wg.Wait()
	return first
}
