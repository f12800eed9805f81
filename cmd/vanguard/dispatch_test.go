package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const goodInstance = `{"teams":[{"id":"t1","lat":49.21,"lng":119.76,"capacity":40,"load":10,"willingness":{"medical":0.9,"legal":0.5}},
 {"id":"t2","lat":49.60,"lng":117.43,"capacity":5,"willingness":{"legal":1}}],
 "orders":[{"id":"o1","lat":49.13,"lng":119.81,"demand":{"medical":3,"legal":1}},
 {"id":"o2","lat":49.5,"lng":117.5,"demand":{"legal":8}}]}`

func runDispatch(t *testing.T, instance string, extra ...string) (string, string, error) {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "instance.json")
	if err := os.WriteFile(in, []byte(instance), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "plan.json")
	var stdout, stderr bytes.Buffer
	args := append([]string{"dispatch", "plan", "--in", in, "--out", out}, extra...)
	err := run(args, &stdout, &stderr)
	b, _ := os.ReadFile(out)
	return string(b), strings.ReplaceAll(stdout.String()+stderr.String(), dir+string(filepath.Separator), ""), err
}

func TestDispatchPlan(t *testing.T) {
	plan, summary, err := runDispatch(t, goodInstance)
	if err != nil {
		t.Fatal(err)
	}
	// o1 goes to t1 whole (one trip); t2 (capacity 5) cannot take o2's 8
	// person-days of legal, and t1 would hold 12 of 40 with o1: it takes
	// o2 as well.
	want := `{"assignments":[{"order":"o1","category":"legal","team":"t1"},{"order":"o1","category":"medical","team":"t1"},{"order":"o2","category":"legal","team":"t1"}],"unassigned":[],"cost":`
	if !strings.HasPrefix(plan, want) || !strings.Contains(plan, `"lower_bound":`) {
		t.Fatalf("plan:\n%s\nwant it to start\n%s", plan, want)
	}
	var p planFile
	dec := json.NewDecoder(strings.NewReader(plan))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatal(err)
	}
	if p.LowerBound > p.Cost {
		t.Fatalf("lower bound %v above cost %v", p.LowerBound, p.Cost)
	}
	if !strings.Contains(summary, "3 slots assigned, 0 unassigned") {
		t.Fatalf("summary: %q", summary)
	}
	// Same input, same bytes.
	again, _, _ := runDispatch(t, goodInstance)
	if again != plan {
		t.Fatalf("second run differs:\n%s\n%s", plan, again)
	}
}

func TestDispatchPlanUnassigned(t *testing.T) {
	inst := `{"teams":[{"id":"t1","lat":49,"lng":119,"capacity":3,"willingness":{"legal":1}}],
	 "orders":[{"id":"o1","lat":49,"lng":119,"demand":{"legal":5}}]}`
	plan, _, err := runDispatch(t, inst)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"assignments":[],"unassigned":[{"order":"o1","category":"legal"}],"cost":5000,"lower_bound":5000}` + "\n"
	if plan != want {
		t.Fatalf("plan %s, want %s", plan, want)
	}
}

func TestDispatchPlanErrors(t *testing.T) {
	cases := []struct {
		name, instance, want string
	}{
		{"negative demand", `{"teams":[{"id":"t1","lat":49,"lng":119,"capacity":3,"willingness":{"legal":1}}],
"orders":[{"id":"o1","lat":49,"lng":119,"demand":{"legal":-1}}]}`,
			`instance.json: orders[0].demand["legal"]: negative person-days`},
		{"nobody offers", `{"teams":[{"id":"t1","lat":49,"lng":119,"capacity":3,"willingness":{"legal":1}}],
"orders":[{"id":"o1","lat":49,"lng":119,"demand":{"legal":1}},{"id":"o2","lat":49,"lng":119,"demand":{"medical":2}}]}`,
			`instance.json: orders[1].demand["medical"]: no team offers "medical"`},
		{"unknown field", `{"teams":[{"id":"t1","lat":49,"lng":119,"capacity":3,
 "colour":"red","willingness":{"legal":1}}],"orders":[]}`,
			`instance.json: line 2, column 2: teams[0]: unknown field "colour"`},
		{"unknown top-level field", `{"teams":[],"orders":[],"when":"now"}`,
			`instance.json: line 1, column 25: unknown field "when"`},
		{"malformed", "{\"teams\":[\n  {\"id\":\"t1\",,}]}",
			`instance.json: line 2, column 14: malformed JSON: invalid character ',' looking for beginning of object key string`},
		{"truncated", `{"teams":[{"id":"t1"`,
			`instance.json: line 1, column 21: malformed JSON: unexpected end of input`},
		{"wrong type", `{"teams":[{"id":"t1","lat":"north","lng":119,"capacity":3,"willingness":{"legal":1}}],"orders":[]}`,
			`instance.json: line 1, column 28: teams[0].lat: expected a number, found a JSON string`},
		{"wrong type in map", `{"teams":[{"id":"t1","lat":49,"lng":119,"capacity":3,"willingness":{"legal":true}}],"orders":[]}`,
			`instance.json: line 1, column 77: teams[0].willingness["legal"]: expected a number, found a JSON bool`},
		{"missing field", `{"teams":[{"id":"t1","lng":119,"capacity":3,"willingness":{"legal":1}}],"orders":[]}`,
			`instance.json: teams[0].lat: missing`},
		{"missing orders", `{"teams":[]}`, `instance.json: orders: missing`},
		{"null demand", `{"teams":[{"id":"t1","lat":49,"lng":119,"capacity":3,"willingness":{"legal":1}}],"orders":[{"id":"o","lat":49,"lng":119,"demand":{"legal":null}}]}`,
			`instance.json: orders[0].demand["legal"]: null is not a number`},
		{"duplicate key", `{"teams":[{"id":"t1","lat":49,"lng":119,"capacity":3,"willingness":{"legal":1,"legal":0.5}}],"orders":[]}`,
			`instance.json: line 1, column 79: teams[0].willingness: duplicate key "legal"`},
		{"duplicate id", `{"teams":[{"id":"t1","lat":49,"lng":119,"capacity":3,"willingness":{"legal":1}},{"id":"t1","lat":49,"lng":119,"capacity":3,"willingness":{"legal":1}}],"orders":[]}`,
			`instance.json: teams[1].id: duplicate id "t1" (also teams[0])`},
		{"overloaded team", `{"teams":[{"id":"t1","lat":49,"lng":119,"capacity":3,"load":4,"willingness":{"legal":1}}],"orders":[]}`,
			`instance.json: teams[0].load: load 4 exceeds capacity 3`},
		{"willingness above 1", `{"teams":[{"id":"t1","lat":49,"lng":119,"capacity":3,"willingness":{"legal":1.5}}],"orders":[]}`,
			`instance.json: teams[0].willingness["legal"]: willingness 1.5 is outside [0, 1]`},
		{"latitude", `{"teams":[{"id":"t1","lat":149,"lng":119,"capacity":3,"willingness":{"legal":1}}],"orders":[]}`,
			`instance.json: teams[0].lat: latitude 149 is outside [-90, 90]`},
		{"zero demand", `{"teams":[{"id":"t1","lat":49,"lng":119,"capacity":3,"willingness":{"legal":1}}],"orders":[{"id":"o","lat":49,"lng":119,"demand":{"legal":0}}]}`,
			`instance.json: orders[0].demand["legal"]: zero person-days (leave the category out)`},
		{"trailing data", `{"teams":[],"orders":[]} {}`,
			`instance.json: line 1, column 26: unexpected data after the instance`},
		{"not an object", `[1,2]`,
			`instance.json: line 1, column 1: expected an object, found a JSON array`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plan, _, err := runDispatch(t, c.instance)
			if err == nil {
				t.Fatalf("no error; plan %s", plan)
			}
			if got := strings.SplitN(err.Error(), "\n", 2)[0]; !strings.HasSuffix(got, c.want) {
				t.Fatalf("error\n  %s\nwant\n  %s\ninput %s", got, c.want, c.instance)
			}
			if plan != "" {
				t.Fatalf("a plan file was written: %s", plan)
			}
		})
	}
}

func TestDispatchUsage(t *testing.T) {
	var out bytes.Buffer
	for _, args := range [][]string{{"dispatch"}, {"dispatch", "solve"}, {"dispatch", "plan"}} {
		if err := run(args, &out, &out); err == nil || !strings.Contains(err.Error(), "usage: vanguard dispatch plan") {
			t.Errorf("%v: %v", args, err)
		}
	}
	if err := run([]string{"dispatch", "plan", "--in", filepath.Join(t.TempDir(), "none.json")}, &out, &out); err == nil {
		t.Error("a missing file: no error")
	}
}

func TestDispatchStdio(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "i.json")
	os.WriteFile(in, []byte(goodInstance), 0o644)
	var stdout, stderr bytes.Buffer
	if err := run([]string{"dispatch", "plan", "--in", in}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stdout.String(), `{"assignments":[`) || !strings.Contains(stderr.String(), "slots assigned") {
		t.Fatalf("stdout %q, stderr %q", stdout.String(), stderr.String())
	}
}
