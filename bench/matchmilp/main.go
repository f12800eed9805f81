// Command matchmilp writes the exact dispatch problem of a match instance as
// a mixed-integer program in CPLEX LP format, reads back a CBC solution and
// prices it with match.Evaluate, and runs match.Plan on the same instance,
// for bench/match_cbc.sh.
//
//	go run ./bench/matchmilp -seed 1 -orders 200 -teams 30 -lp m.lp
//	go run ./bench/matchmilp -seed 1 -orders 200 -teams 30 -sol m.sol
//	go run ./bench/matchmilp -seed 1 -orders 200 -teams 30 -plan
//
// The model: x[o,c,t] = 1 when team t takes category c of order o (only for
// teams that offer c and have room for it), y[o,t] = 1 when team t serves
// order o at all (x ≤ y, travel is paid on y), u[o,c] = 1 when the slot is
// unassigned; per team F = load0 + Σ d·x ≤ C, and fairness
// f(F) = 4·max(0, F − 0.6C) + 8·max(0, F − 0.85C) — the f written
// as two hinge terms — with a ≥ F − 0.6C, b ≥ F − 0.85C, a, b ≥ 0. The
// constant −Σ f(load0) rides on a variable fixed at 1, so CBC's objective
// is the plan's cost.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"vanguard/match"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "matchmilp:", err)
		os.Exit(1)
	}
}

func run() error {
	seed := flag.Uint64("seed", 1, "instance seed (match.Generate)")
	orders := flag.Int("orders", 200, "orders")
	teams := flag.Int("teams", 30, "teams")
	inFile := flag.String("in", "", "read the instance from this JSON file instead of generating it")
	lp := flag.String("lp", "", "write the MILP in CPLEX LP format to this file")
	sol := flag.String("sol", "", "price the CBC solution in this file")
	plan := flag.Bool("plan", false, "run match.Plan and print cost, bound and time")
	write := flag.String("write", "", "write the generated instance as JSON to this file")
	cbcLimit := flag.Int("cbc", 0, "solve with cbc for at most this many seconds and compare with match.Plan")
	golden := flag.String("golden", "", "with -cbc: record a proven optimum in this golden file")
	stats := flag.Bool("stats", false, "print the MILP's size")
	flag.BoolVar(&barrier, "barrier", false, "with -cbc: solve cbc's root LP by barrier (its dual simplex takes over 10 minutes on 2000x200)")
	flag.Parse()
	if *cbcLimit > 0 {
		return compare(*seed, *orders, *teams, *cbcLimit, *golden)
	}

	in := match.Generate(*seed, *orders, *teams)
	if *inFile != "" {
		f, err := os.Open(*inFile)
		if err != nil {
			return err
		}
		defer f.Close()
		if in, err = match.DecodeInstance(f); err != nil {
			return err
		}
	}
	if *write != "" {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*write, b, 0o644); err != nil {
			return err
		}
	}
	m := newModel(in)
	if *stats {
		x, y, slots := m.size()
		fmt.Printf("%d orders, %d teams: %d x (slot, team) and %d y (order, team) binaries, %d rows\n",
			len(in.Orders), len(in.Teams), x, y, slots+x+3*len(in.Teams))
	}
	if *lp != "" {
		f, err := os.Create(*lp)
		if err != nil {
			return err
		}
		w := bufio.NewWriterSize(f, 1<<20)
		m.write(w)
		if err := w.Flush(); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	if *sol != "" {
		as, err := m.readSolution(*sol)
		if err != nil {
			return err
		}
		c, err := match.Evaluate(in, as)
		if err != nil {
			return err
		}
		fmt.Printf("cbc plan: cost %.3f (travel %.3f, mismatch %.3f, fairness %.3f, unassigned %.3f)\n",
			c.Total, c.Travel, c.Mismatch, c.Fairness, c.Unassigned)
	}
	if *plan {
		start := time.Now()
		r, err := match.Plan(in, match.Options{})
		if err != nil {
			return err
		}
		fmt.Printf("match.Plan: cost %.3f lower bound %.3f gap %.2f%% iterations %d time %.2fs\n",
			r.Cost.Total, r.LowerBound, 100*r.Gap, r.Iterations, time.Since(start).Seconds())
	}
	return nil
}

// model numbers the instance: orders, categories and teams in the order of
// the instance, categories of an order by name.
type model struct {
	in    match.Instance
	cats  [][]string // per order
	cands [][][]int  // per order, per category: capable teams
}

func newModel(in match.Instance) *model {
	m := &model{in: in}
	for _, o := range in.Orders {
		var cs []string
		for c := range o.Demand {
			cs = append(cs, c)
		}
		sort.Strings(cs)
		var cands [][]int
		for _, c := range cs {
			var ts []int
			for t, tm := range in.Teams {
				if _, ok := tm.Willingness[c]; ok && tm.Capacity-tm.Load >= o.Demand[c] {
					ts = append(ts, t)
				}
			}
			cands = append(cands, ts)
		}
		m.cats = append(m.cats, cs)
		m.cands = append(m.cands, cands)
	}
	return m
}

// size counts the binaries: x per capable (slot, team), y per (order, team)
// with at least one x.
func (m *model) size() (x, y, slots int) {
	for o := range m.cands {
		slots += len(m.cands[o])
		used := map[int]bool{}
		for _, ts := range m.cands[o] {
			x += len(ts)
			for _, t := range ts {
				used[t] = true
			}
		}
		y += len(used)
	}
	return x, y, slots
}

// terms writes a sum a line at a time.
type terms struct {
	w io.Writer
	n int
}

func (t *terms) add(coef float64, name string) {
	if coef == 0 {
		return
	}
	sign := "+"
	if coef < 0 {
		sign, coef = "-", -coef
	}
	if t.n > 0 && t.n%8 == 0 {
		fmt.Fprint(t.w, "\n  ")
	}
	fmt.Fprintf(t.w, " %s %s %s", sign, strconv.FormatFloat(coef, 'g', 17, 64), name)
	t.n++
}

func (m *model) write(w io.Writer) {
	in := m.in
	fmt.Fprintf(w, "\\ match dispatch MILP: %d orders, %d teams\nMinimize\n obj:", len(in.Orders), len(in.Teams))
	obj := &terms{w: w}
	var constant float64
	for o, od := range in.Orders {
		used := map[int]bool{}
		for i, c := range m.cats[o] {
			d := od.Demand[c]
			for _, t := range m.cands[o][i] {
				obj.add(10*(1-in.Teams[t].Willingness[c])*d, fmt.Sprintf("x_%d_%d_%d", o, i, t))
				used[t] = true
			}
			obj.add(match.UnassignedCost*d, fmt.Sprintf("u_%d_%d", o, i))
		}
		for _, t := range sortedInts(used) {
			tm := in.Teams[t]
			obj.add(match.Distance(od.Lat, od.Lng, tm.Lat, tm.Lng), fmt.Sprintf("y_%d_%d", o, t))
		}
	}
	for t, tm := range in.Teams {
		obj.add(4, fmt.Sprintf("a_%d", t))
		obj.add(8, fmt.Sprintf("b_%d", t))
		constant -= match.Fairness(tm.Load, tm.Capacity)
	}
	obj.add(constant, "one")
	fmt.Fprint(w, "\nSubject To\n")
	load := make([][]string, len(in.Teams)) // per team: "+ d x" terms
	for o, od := range in.Orders {
		for i, c := range m.cats[o] {
			fmt.Fprintf(w, " s_%d_%d:", o, i)
			row := &terms{w: w}
			for _, t := range m.cands[o][i] {
				row.add(1, fmt.Sprintf("x_%d_%d_%d", o, i, t))
				load[t] = append(load[t], fmt.Sprintf("%s x_%d_%d_%d", strconv.FormatFloat(od.Demand[c], 'g', 17, 64), o, i, t))
			}
			row.add(1, fmt.Sprintf("u_%d_%d", o, i))
			fmt.Fprint(w, " = 1\n")
			for _, t := range m.cands[o][i] {
				fmt.Fprintf(w, " l_%d_%d_%d: x_%d_%d_%d - y_%d_%d <= 0\n", o, i, t, o, i, t, o, t)
			}
		}
	}
	for t, tm := range in.Teams {
		if len(load[t]) == 0 {
			continue
		}
		sum := joinTerms(load[t])
		fmt.Fprintf(w, " cap_%d: %s <= %s\n", t, sum, g(tm.Capacity-tm.Load))
		fmt.Fprintf(w, " fa_%d: a_%d - %s >= %s\n", t, t, strings.ReplaceAll(sum, " + ", " - "), g(tm.Load-0.6*tm.Capacity))
		fmt.Fprintf(w, " fb_%d: b_%d - %s >= %s\n", t, t, strings.ReplaceAll(sum, " + ", " - "), g(tm.Load-0.85*tm.Capacity))
	}
	fmt.Fprint(w, "Bounds\n one = 1\n")
	for t, tm := range in.Teams {
		if len(load[t]) == 0 { // a and b are then constants
			fmt.Fprintf(w, " a_%d = %s\n b_%d = %s\n", t, g(max(0, tm.Load-0.6*tm.Capacity)), t, g(max(0, tm.Load-0.85*tm.Capacity)))
		}
	}
	fmt.Fprint(w, "Binaries\n")
	for o := range in.Orders {
		used := map[int]bool{}
		for i := range m.cats[o] {
			for _, t := range m.cands[o][i] {
				fmt.Fprintf(w, " x_%d_%d_%d\n", o, i, t)
				used[t] = true
			}
		}
		for _, t := range sortedInts(used) {
			fmt.Fprintf(w, " y_%d_%d\n", o, t)
		}
	}
	fmt.Fprint(w, "End\n")
}

// joinTerms writes "+ d x" terms a few to a line (the first without its sign).
func joinTerms(ts []string) string {
	var b strings.Builder
	for i, t := range ts {
		if i > 0 {
			b.WriteString(" + ")
			if i%8 == 0 {
				b.WriteString("\n   ")
			}
		}
		b.WriteString(t)
	}
	return b.String()
}

func g(x float64) string { return strconv.FormatFloat(x, 'g', 17, 64) }

func sortedInts(m map[int]bool) []int {
	var s []int
	for k := range m {
		s = append(s, k)
	}
	sort.Ints(s)
	return s
}

// readSolution reads CBC's solution file: lines "index name value reduced";
// x variables at 1 are the plan's assignments.
func (m *model) readSolution(path string) ([]match.Assignment, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var as []match.Assignment
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 3 || !strings.HasPrefix(fs[1], "x_") {
			continue
		}
		v, err := strconv.ParseFloat(fs[2], 64)
		if err != nil || v < 0.5 {
			continue
		}
		var o, i, t int
		if _, err := fmt.Sscanf(fs[1], "x_%d_%d_%d", &o, &i, &t); err != nil {
			return nil, fmt.Errorf("solution: %q: %w", fs[1], err)
		}
		as = append(as, match.Assignment{Order: m.in.Orders[o].ID, Category: m.cats[o][i], Team: m.in.Teams[t].ID})
	}
	return as, sc.Err()
}

// barrier makes cbc solve the root LP by barrier before branching.
var barrier bool

// cbcResult is what a CBC run proved.
type cbcResult struct {
	status  string  // optimal, time limit, …
	cost    float64 // of CBC's plan, priced by match.Evaluate; NaN without one
	bound   float64
	seconds float64 // wall clock
	cpu     float64 // CPU seconds, as cbc counts them (its time limit is in these)
}

var (
	reResult = regexp.MustCompile(`(?m)^Result - (.*)$`)
	reObj    = regexp.MustCompile(`(?m)^Objective value:\s+(\S+)`)
	reBound  = regexp.MustCompile(`(?m)^Lower bound:\s+(\S+)`)
	reCPU    = regexp.MustCompile(`(?m)^Total time \(CPU seconds\):\s+(\S+)`)
	// "Cbc0010I After 100 nodes, 12 on tree, 139876.5 best solution, best possible 138012.3 (40.2 seconds)"
	reProgress = regexp.MustCompile(`Cbc0010I After \d+ nodes, \d+ on tree, (\S+) best solution, best possible (\S+)`)
	// "Cbc0012I Integer solution of 576048.48 found by feasibility pump after …"
	reFound = regexp.MustCompile(`Cbc0012I Integer solution of (\S+) found`)
	// the root LP's value, a bound ("Optimal objective 137928.8329 - …")
	reRoot = regexp.MustCompile(`(?:Continuous objective value is|Optimal objective) (\S+)`)
)

// solveCBC writes the MILP, runs cbc on it with a time limit and prices
// its plan.
func solveCBC(in match.Instance, limit int) (cbcResult, error) {
	dir, err := os.MkdirTemp("", "matchmilp")
	if err != nil {
		return cbcResult{}, err
	}
	defer os.RemoveAll(dir)
	lp, sol := filepath.Join(dir, "m.lp"), filepath.Join(dir, "m.sol")
	f, err := os.Create(lp)
	if err != nil {
		return cbcResult{}, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	m := newModel(in)
	m.write(w)
	if err := w.Flush(); err != nil {
		return cbcResult{}, err
	}
	f.Close()
	// cbc's own limit counts CPU and is checked only between nodes; a
	// stuck root gets a hard stop at twice the limit of wall clock, and
	// the log (kept as it goes) still tells the best found so far.
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(2*limit+60)*time.Second)
	defer cancel()
	logPath := filepath.Join(dir, "cbc.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return cbcResult{}, err
	}
	args := []string{"cbc", lp, "sec", strconv.Itoa(limit), "ratioGap", "0", "allowableGap", "1e-7"}
	if barrier {
		args = append(args, "barrier")
	}
	args = append(args, "solve", "solu", sol)
	if path, err := exec.LookPath("stdbuf"); err == nil {
		args = append([]string{path, "-oL"}, args...) // line by line, so a killed run leaves its log
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	start := time.Now()
	runErr := cmd.Run()
	logFile.Close()
	out, err := os.ReadFile(logPath)
	if err != nil {
		return cbcResult{}, err
	}
	r := cbcResult{seconds: time.Since(start).Seconds(), cost: nan(), bound: nan()}
	if ctx.Err() != nil {
		r.status = fmt.Sprintf("killed after %.0f s", r.seconds)
		if mm := reRoot.FindAllSubmatch(out, -1); len(mm) > 0 {
			r.bound, _ = strconv.ParseFloat(string(mm[len(mm)-1][1]), 64)
		}
		if mm := reFound.FindAllSubmatch(out, -1); len(mm) > 0 {
			r.cost, _ = strconv.ParseFloat(string(mm[len(mm)-1][1]), 64)
		}
		if mm := reProgress.FindAllSubmatch(out, -1); len(mm) > 0 {
			last := mm[len(mm)-1]
			r.cost, _ = strconv.ParseFloat(string(last[1]), 64)
			r.bound, _ = strconv.ParseFloat(string(last[2]), 64)
		}
		return r, nil
	}
	if runErr != nil {
		return r, fmt.Errorf("cbc: %v\n%s", runErr, out)
	}
	if mm := reResult.FindSubmatch(out); mm != nil {
		r.status = strings.TrimSpace(string(mm[1]))
	}
	if mm := reObj.FindSubmatch(out); mm != nil {
		r.bound, _ = strconv.ParseFloat(string(mm[1]), 64) // for an optimum, the bound is the value
	}
	if mm := reBound.FindSubmatch(out); mm != nil {
		r.bound, _ = strconv.ParseFloat(string(mm[1]), 64)
	}
	if mm := reCPU.FindSubmatch(out); mm != nil {
		r.cpu, _ = strconv.ParseFloat(string(mm[1]), 64)
	}
	if !strings.HasPrefix(r.status, "Optimal") && reBound.Find(out) == nil {
		r.bound = nan()
	}
	if as, err := m.readSolution(sol); err == nil && len(as) > 0 {
		c, err := match.Evaluate(in, as)
		if err != nil {
			return r, fmt.Errorf("cbc's plan: %w", err)
		}
		r.cost = c.Total
	}
	return r, nil
}

func nan() float64 { return math.NaN() }

// compare solves one generated instance with CBC and with match.Plan and
// prints both; with golden it records a proven optimum.
func compare(seed uint64, orders, teams, limit int, golden string) error {
	in := match.Generate(seed, orders, teams)
	start := time.Now()
	r, err := match.Plan(in, match.Options{})
	if err != nil {
		return err
	}
	ours := time.Since(start).Seconds()
	c, err := solveCBC(in, limit)
	if err != nil {
		return err
	}
	best := r.LowerBound
	if c.bound > best {
		best = c.bound
	}
	fmt.Printf("%dx%d seed %d\n", orders, teams, seed)
	fmt.Printf("  cbc:        %-26s cost %12.3f  bound %12.3f  %7.1f s (%.1f s CPU)\n", c.status, c.cost, c.bound, c.seconds, c.cpu)
	fmt.Printf("  match.Plan: %-26s cost %12.3f  bound %12.3f  %7.2f s  (%d iterations)\n", "", r.Cost.Total, r.LowerBound, ours, r.Iterations)
	fmt.Printf("  match.Plan cost ÷ best bound %.4f, ÷ cbc's cost %.4f; cbc's cost ÷ best bound %.4f\n",
		r.Cost.Total/best, r.Cost.Total/c.cost, c.cost/best)
	if golden != "" && strings.HasPrefix(c.status, "Optimal") {
		return record(golden, goldenEntry{Seed: seed, Orders: orders, Teams: teams, Optimum: c.cost, CBCSeconds: round1(c.seconds)})
	}
	return nil
}

func round1(x float64) float64 { return float64(int(x*10+0.5)) / 10 }

// goldenEntry is one proven optimum in match/testdata/golden.json.
type goldenEntry struct {
	Seed       uint64  `json:"seed"`
	Orders     int     `json:"orders"`
	Teams      int     `json:"teams"`
	Optimum    float64 `json:"optimum"`
	CBCSeconds float64 `json:"cbc_seconds"`
}

type goldenFile struct {
	Note      string        `json:"note"`
	Instances []goldenEntry `json:"instances"`
}

// record adds or replaces an entry, keeping the file sorted.
func record(path string, e goldenEntry) error {
	var g goldenFile
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &g); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	g.Note = "Proven optima (CBC, ratioGap 0) of match.Generate(seed, orders, teams), priced by match.Evaluate; written by bench/match_cbc.sh golden."
	kept := g.Instances[:0]
	for _, x := range g.Instances {
		if x.Seed != e.Seed || x.Orders != e.Orders || x.Teams != e.Teams {
			kept = append(kept, x)
		}
	}
	g.Instances = append(kept, e)
	sort.Slice(g.Instances, func(i, j int) bool {
		a, b := g.Instances[i], g.Instances[j]
		if a.Orders != b.Orders {
			return a.Orders < b.Orders
		}
		if a.Teams != b.Teams {
			return a.Teams < b.Teams
		}
		return a.Seed < b.Seed
	})
	b, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
