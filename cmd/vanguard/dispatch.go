package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"vanguard/match"
)

const dispatchUsage = `usage: vanguard dispatch plan --in instance.json [--out plan.json] [flags]`

// dispatch runs the group-dispatch optimiser on batch files.
func dispatch(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "plan" {
		return errors.New(dispatchUsage)
	}
	return dispatchPlan(args[1:], stdout, stderr)
}

// planFile is the output of `vanguard dispatch plan`.
type planFile struct {
	Assignments []match.Assignment `json:"assignments"`
	Unassigned  []match.Slot       `json:"unassigned"`
	Cost        float64            `json:"cost"`
	LowerBound  float64            `json:"lower_bound"`
}

func dispatchPlan(args []string, stdout, stderr io.Writer) error {
	var in, out string
	var opt match.Options
	fs := flag.NewFlagSet("dispatch plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&in, "in", "", `instance JSON file ("-" for standard input)`)
	fs.StringVar(&out, "out", "-", `plan JSON file ("-" for standard output)`)
	fs.IntVar(&opt.Neighbours, "neighbours", 0, "nearest capable teams per category each order considers (0: 15)")
	fs.IntVar(&opt.MaxIterations, "iterations", 0, "most subgradient iterations (0: the default)")
	fs.DurationVar(&opt.TimeLimit, "time-limit", 0, "stop after this long (0: no limit; a plan cut short by the clock depends on the machine)")
	fs.IntVar(&opt.Workers, "workers", 0, "parallel workers (0: one per CPU; the plan does not depend on it)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if in == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New(dispatchUsage)
	}
	inst, err := readInstance(in)
	if err != nil {
		return err
	}
	r, err := match.Plan(inst, opt)
	if err != nil {
		return err
	}
	b, err := encodePlan(r)
	if err != nil {
		return err
	}
	if err := writeOutput(out, b, stdout); err != nil {
		return err
	}
	summary := stdout
	if out == "-" {
		summary = stderr
	}
	its := "iterations"
	if r.Iterations == 1 {
		its = "iteration"
	}
	fmt.Fprintf(summary, "%d slots assigned, %d unassigned; cost %.3f, lower bound %.3f (gap %.2f %%); %d %s in %.2f s\n",
		len(r.Assignments), len(r.Unassigned), r.Cost.Total, r.LowerBound, 100*r.Gap, r.Iterations, its, r.Elapsed.Seconds())
	return nil
}

// readInstance decodes the instance file, naming the file in each fault.
func readInstance(path string) (match.Instance, error) {
	var src io.Reader = os.Stdin
	name := "standard input"
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return match.Instance{}, err
		}
		defer f.Close()
		src, name = f, path
	}
	inst, err := match.DecodeInstance(src)
	if err != nil {
		return match.Instance{}, prefixLines(name, err)
	}
	return inst, nil
}

// prefixLines puts the file name before each fault of an input error.
func prefixLines(name string, err error) error {
	var ie *match.InputError
	var ies match.InputErrors
	if !errors.As(err, &ie) && !errors.As(err, &ies) {
		return fmt.Errorf("%s: %w", name, err)
	}
	lines := strings.Split(err.Error(), "\n")
	for i, l := range lines {
		lines[i] = name + ": " + l
	}
	return errors.New(strings.Join(lines, "\n"))
}

// encodePlan writes the plan file: costs to 0.001, the bound rounded down
// so that it stays a bound.
func encodePlan(r *match.Result) ([]byte, error) {
	p := planFile{
		Assignments: r.Assignments,
		Unassigned:  r.Unassigned,
		Cost:        math.Round(r.Cost.Total*1000) / 1000,
		LowerBound:  math.Floor(r.LowerBound*1000) / 1000,
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeOutput writes b to standard output or, through a temporary file and
// a rename, to path, so that a plan file is never half written.
func writeOutput(path string, b []byte, stdout io.Writer) error {
	if path == "-" {
		_, err := stdout.Write(b)
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
