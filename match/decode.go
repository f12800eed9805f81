package match

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"
)

// The batch file format of `vanguard dispatch plan`:
//
//	{"teams":[{"id":"t1","lat":49.21,"lng":119.76,"capacity":40,"load":10,
//	           "willingness":{"medical":0.9,"legal":0.5}}],
//	 "orders":[{"id":"o1","lat":49.13,"lng":119.81,"demand":{"medical":3,"legal":1}}]}
//
// Decoding is strict: unknown fields, duplicate keys, missing fields, nulls
// and trailing data are errors, each naming its place and, when it has one,
// its line and column.

type wireInstance struct {
	Teams  []wireTeam  `json:"teams"`
	Orders []wireOrder `json:"orders"`
}

type wireTeam struct {
	ID          *string             `json:"id"`
	Lat         *float64            `json:"lat"`
	Lng         *float64            `json:"lng"`
	Capacity    *float64            `json:"capacity"`
	Load        *float64            `json:"load"`
	Willingness map[string]*float64 `json:"willingness"`
}

type wireOrder struct {
	ID     *string             `json:"id"`
	Lat    *float64            `json:"lat"`
	Lng    *float64            `json:"lng"`
	Demand map[string]*float64 `json:"demand"`
}

// schema is the shape the walker checks: an object's fields, a map's
// values or an array's elements; nil is a scalar.
type schema struct {
	fields map[string]*schema
	values *schema // an object with any keys
	elem   *schema
}

var instanceSchema = func() *schema {
	numbers := &schema{values: &schema{}}
	team := &schema{fields: map[string]*schema{"id": nil, "lat": nil, "lng": nil, "capacity": nil, "load": nil, "willingness": numbers}}
	order := &schema{fields: map[string]*schema{"id": nil, "lat": nil, "lng": nil, "demand": numbers}}
	return &schema{fields: map[string]*schema{"teams": {elem: team}, "orders": {elem: order}}}
}()

// DecodeInstance reads and checks an instance in the batch file format.
// Its errors are *InputError (malformed or misshapen JSON) or InputErrors
// (values that break the rules, see Validate).
func DecodeInstance(r io.Reader) (Instance, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Instance{}, err
	}
	var w wireInstance
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Instance{}, decodeError(data, err)
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		return Instance{}, at(data, skipSpace(data, end), "", "unexpected data after the instance")
	}
	// The decoder keeps the last of duplicate keys silently; the walk
	// refuses them (and names the place of anything else it meets).
	if err := walk(data, -1); err != nil {
		return Instance{}, err
	}
	in, err := w.instance(data)
	if err != nil {
		return Instance{}, err
	}
	if err := Validate(in); err != nil {
		return Instance{}, err
	}
	return in, nil
}

// decodeError turns an encoding/json error into an InputError with a place.
func decodeError(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		// Offset counts the bytes read, the offending one included.
		return at(data, se.Offset-1, "", "malformed JSON: "+se.Error())
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return at(data, int64(len(data)), "", "malformed JSON: unexpected end of input")
	case errors.As(err, &te):
		// Offset is just past the offending value (or past the first byte
		// of an offending array or object): name the value holding the
		// byte before it, at its start.
		path, off := "", te.Offset
		if werr, ok := walk(data, te.Offset-1).(*stopped); ok {
			path, off = werr.path, werr.start
		}
		if strings.HasPrefix(te.Value, "number") && te.Type.Kind() == reflect.Float64 {
			return at(data, off, path, te.Value+" is out of range")
		}
		return at(data, off, path, fmt.Sprintf("expected %s, found a JSON %s", kindName(te.Type.Kind().String()), te.Value))
	}
	// An unknown field: the walk finds it and its place.
	if werr := walk(data, -1); werr != nil {
		return werr
	}
	return &InputError{Msg: strings.TrimPrefix(err.Error(), "json: ")}
}

func kindName(k string) string {
	switch k {
	case "float64":
		return "a number"
	case "string":
		return "a string"
	case "slice":
		return "an array"
	case "map", "struct":
		return "an object"
	case "ptr":
		return "a value"
	}
	return k
}

// at makes an InputError at a byte offset of data.
func at(data []byte, off int64, path, msg string) *InputError {
	line, col := lineCol(data, off)
	return &InputError{Path: path, Msg: msg, Line: line, Col: col}
}

// lineCol turns a byte offset into a 1-based line and column (in
// characters).
func lineCol(data []byte, off int64) (line, col int) {
	if off < 0 {
		off = 0
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	head := data[:off]
	line = 1 + bytes.Count(head, []byte{'\n'})
	start := bytes.LastIndexByte(head, '\n') + 1
	return line, 1 + utf8.RuneCount(head[start:])
}

// stopped is how walk reports the innermost value holding an offset: its
// path and where it starts.
type stopped struct {
	path  string
	start int64
}

func (s *stopped) Error() string { return s.path }

// walker reads the JSON text token by token against the schema.
type walker struct {
	dec    *json.Decoder
	data   []byte
	stopAt int64 // when ≥ 0, stop at the innermost value holding this offset
}

// walk checks data's shape. With stopAt ≥ 0 it returns *stopped for the
// innermost value holding that offset.
func walk(data []byte, stopAt int64) error {
	w := &walker{dec: json.NewDecoder(bytes.NewReader(data)), data: data, stopAt: stopAt}
	w.dec.UseNumber()
	return w.value("", instanceSchema)
}

func (w *walker) value(path string, s *schema) error {
	start := skipSpace(w.data, w.dec.InputOffset())
	tok, err := w.dec.Token()
	if err != nil {
		return decodeError(w.data, err)
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for w.dec.More() {
			kt, err := w.dec.Token()
			if err != nil {
				return decodeError(w.data, err)
			}
			k := kt.(string)
			var child *schema
			var cpath string
			switch {
			case s != nil && s.values != nil:
				child, cpath = s.values, key(path, k)
			case s != nil && s.fields != nil:
				var ok bool
				if child, ok = s.fields[k]; !ok {
					return at(w.data, w.keyStart(), path, fmt.Sprintf("unknown field %q", k))
				}
				cpath = join(path, k)
			default:
				cpath = join(path, k)
			}
			if seen[k] {
				return at(w.data, w.keyStart(), path, fmt.Sprintf("duplicate key %q", k))
			}
			seen[k] = true
			if err := w.value(cpath, child); err != nil {
				return err
			}
		}
		if _, err := w.dec.Token(); err != nil {
			return decodeError(w.data, err)
		}
	case json.Delim('['):
		var elem *schema
		if s != nil {
			elem = s.elem
		}
		for i := 0; w.dec.More(); i++ {
			if err := w.value(fmt.Sprintf("%s[%d]", path, i), elem); err != nil {
				return err
			}
		}
		if _, err := w.dec.Token(); err != nil {
			return decodeError(w.data, err)
		}
	}
	if w.stopAt >= start && w.stopAt < w.dec.InputOffset() {
		return &stopped{path: path, start: start}
	}
	return nil
}

// skipSpace skips white space and the separators ':' and ',' from off.
func skipSpace(data []byte, off int64) int64 {
	for off < int64(len(data)) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
		default:
			return off
		}
	}
	return off
}

// keyStart finds where the key just read begins: the opening quote before
// the decoder's position.
func (w *walker) keyStart() int64 {
	end := w.dec.InputOffset() - 1 // the closing quote
	for i := end - 1; i >= 0; i-- {
		if w.data[i] != '"' {
			continue
		}
		bs := 0
		for j := i - 1; j >= 0 && w.data[j] == '\\'; j-- {
			bs++
		}
		if bs%2 == 0 {
			return i
		}
	}
	return end
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// instance checks presence and nulls, then converts.
func (w *wireInstance) instance(data []byte) (Instance, error) {
	var c checker
	var in Instance
	if w.Teams == nil {
		c.add("teams", "missing")
	}
	if w.Orders == nil {
		c.add("orders", "missing")
	}
	in.Teams = make([]Team, len(w.Teams))
	for i, t := range w.Teams {
		p := fmt.Sprintf("teams[%d]", i)
		in.Teams[i] = Team{
			ID: str(&c, p+".id", t.ID), Lat: req(&c, p+".lat", t.Lat), Lng: req(&c, p+".lng", t.Lng),
			Capacity: req(&c, p+".capacity", t.Capacity), Willingness: nums(&c, p+".willingness", t.Willingness),
		}
		if t.Load != nil {
			in.Teams[i].Load = *t.Load
		}
	}
	in.Orders = make([]Order, len(w.Orders))
	for i, o := range w.Orders {
		p := fmt.Sprintf("orders[%d]", i)
		in.Orders[i] = Order{ID: str(&c, p+".id", o.ID), Lat: req(&c, p+".lat", o.Lat), Lng: req(&c, p+".lng", o.Lng),
			Demand: nums(&c, p+".demand", o.Demand)}
	}
	return in, c.err()
}

func str(c *checker, path string, s *string) string {
	if s == nil {
		c.add(path, "missing")
		return ""
	}
	return *s
}

func req(c *checker, path string, x *float64) float64 {
	if x == nil {
		c.add(path, "missing")
		return 0
	}
	return *x
}

func nums(c *checker, path string, m map[string]*float64) map[string]float64 {
	if m == nil {
		c.add(path, "missing")
		return nil
	}
	out := make(map[string]float64, len(m))
	for _, k := range sortedKeys(m) {
		if m[k] == nil {
			c.add(key(path, k), "null is not a number")
			continue
		}
		out[k] = *m[k]
	}
	return out
}
