package match

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeInstance(t *testing.T) {
	src := `{"teams":[{"id":"t1","lat":49.21,"lng":119.76,"capacity":40,"load":10,"willingness":{"medical":0.9,"legal":0.5}}],
"orders":[{"id":"o1","lat":49.13,"lng":119.81,"demand":{"medical":3,"legal":1}}]}`
	in, err := DecodeInstance(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	want := Instance{
		Teams:  []Team{{ID: "t1", Lat: 49.21, Lng: 119.76, Capacity: 40, Load: 10, Willingness: map[string]float64{"medical": 0.9, "legal": 0.5}}},
		Orders: []Order{{ID: "o1", Lat: 49.13, Lng: 119.81, Demand: map[string]float64{"medical": 3, "legal": 1}}},
	}
	if !reflect.DeepEqual(in, want) {
		t.Fatalf("got %+v\nwant %+v", in, want)
	}
}

func TestDecodeInstanceErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{`{"teams":[],"orders":[{"id":"o1","lat":49,"lng":119,"demand":{"legal":-2}}]}`,
			`orders[0].demand["legal"]: negative person-days`},
		{"{\n\"teams\": [],\n\"orders\": [{\"id\": \"甲\", \"lat\": 49, \"lng\": 119, \"demand\": {\"法律\": 1}, \"x\": 1}]}",
			`line 3, column 68: orders[0]: unknown field "x"`},
		{"{\"teams\":[],\n \"orders\":[{\"id\":\"o1\"}\n", `line 3, column 1: malformed JSON: unexpected end of input`},
		{`{"teams":[],"orders":[{"id":"o1","lat":49,"lng":119,"demand":{"a\"b":1,"a\"b":2}}]}`,
			`line 1, column 72: orders[0].demand: duplicate key "a\"b"`},
		{`{"teams":[{"id":"t","lat":1,"lng":1,"capacity":2e9,"willingness":{"a":1}}],"orders":[]}`,
			`teams[0].capacity: capacity 2e+09 is not between 0 and 1e+09 person-days`},
		{``, `line 1, column 1: malformed JSON: unexpected end of input`},
		{`{"teams":[{"id":"t","lat":1e999,"lng":1,"capacity":2,"willingness":{"a":1}}],"orders":[]}`,
			`line 1, column 27: teams[0].lat: number 1e999 is out of range`},
	}
	for _, c := range cases {
		_, err := DecodeInstance(strings.NewReader(c.src))
		if err == nil {
			t.Errorf("%s: no error, want %s", c.src, c.want)
			continue
		}
		var ie *InputError
		var ies InputErrors
		if !errors.As(err, &ie) && !errors.As(err, &ies) {
			t.Errorf("%s: %T is not an input error", c.src, err)
		}
		if got := strings.SplitN(err.Error(), "\n", 2)[0]; got != c.want {
			t.Errorf("input %s\n got  %s\n want %s", c.src, got, c.want)
		}
	}
}

func TestLineCol(t *testing.T) {
	data := []byte("ab\n名字x\n")
	for _, c := range []struct {
		off       int64
		line, col int
	}{{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {9, 2, 3}, {10, 2, 4}, {11, 3, 1}, {99, 3, 1}, {-1, 1, 1}} {
		if l, col := lineCol(data, c.off); l != c.line || col != c.col {
			t.Errorf("lineCol(%d) = %d:%d, want %d:%d", c.off, l, col, c.line, c.col)
		}
	}
}

// FuzzDecodeInstance: the parser never panics; what it accepts is a valid
// instance that survives a round trip, and a small one plans within
// capacity.
func FuzzDecodeInstance(f *testing.F) {
	f.Add([]byte(`{"teams":[{"id":"t1","lat":49.21,"lng":119.76,"capacity":40,"load":10,"willingness":{"medical":0.9,"legal":0.5}}],"orders":[{"id":"o1","lat":49.13,"lng":119.81,"demand":{"medical":3,"legal":1}}]}`))
	f.Add([]byte(`{"teams":[],"orders":[]}`))
	f.Add([]byte(`{"teams":[{"id":"a","lat":0,"lng":0,"capacity":1,"willingness":{"x":0}}],"orders":[{"id":"b","lat":0,"lng":180,"demand":{"x":1}}]}`))
	f.Add([]byte(`{"teams":[{"id":"t","lat":1,"lng":1,"capacity":3,"willingness":{"m":1,"m":1}}],"orders":[]}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := DecodeInstance(bytes.NewReader(data))
		if err != nil {
			var ie *InputError
			var ies InputErrors
			if !errors.As(err, &ie) && !errors.As(err, &ies) {
				t.Fatalf("%T %v is not an input error", err, err)
			}
			return
		}
		if err := Validate(in); err != nil {
			t.Fatalf("accepted an invalid instance: %v", err)
		}
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		again, err := DecodeInstance(bytes.NewReader(b))
		if err != nil || !reflect.DeepEqual(normal(in), normal(again)) {
			t.Fatalf("round trip: %v\n%+v\n%+v", err, in, again)
		}
		if len(in.Teams) <= 8 && len(in.Orders) <= 8 {
			r, err := Plan(in, Options{MaxIterations: 3, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			checkPlan(t, "fuzz", in, r)
		}
	})
}

// normal makes empty and nil slices alike.
func normal(in Instance) Instance {
	if len(in.Teams) == 0 {
		in.Teams = nil
	}
	if len(in.Orders) == 0 {
		in.Orders = nil
	}
	return in
}
