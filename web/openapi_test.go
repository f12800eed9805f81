package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"vanguard/web"
)

// docURL names the OpenAPI document as a schema resource, so that a schema
// inside it is compiled by its JSON pointer and its $refs resolve in it.
const docURL = "https://vanguard.invalid/openapi.json"

// openAPI is the parsed document and a compiler holding it.
type openAPI struct {
	doc      map[string]any
	compiler *jsonschema.Compiler
}

func loadOpenAPI(t *testing.T) *openAPI {
	t.Helper()
	raw := web.OpenAPI()
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("web/openapi.json is not JSON: %v", err)
	}
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.1.") {
		t.Fatalf("openapi = %q, want 3.1.x", v)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(docURL, inst); err != nil {
		t.Fatalf("add the document as a schema resource: %v", err)
	}
	return &openAPI{doc: doc, compiler: c}
}

// pointer escapes one JSON-pointer token.
func pointer(tokens ...string) string {
	var b strings.Builder
	for _, tok := range tokens {
		b.WriteString("/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(tok))
	}
	return b.String()
}

// schema compiles the schema at a JSON pointer into the document.
func (o *openAPI) schema(t *testing.T, ptr string) *jsonschema.Schema {
	t.Helper()
	s, err := o.compiler.Compile(docURL + "#" + ptr)
	if err != nil {
		t.Fatalf("compile the schema at %s: %v", ptr, err)
	}
	return s
}

// validate checks a JSON value against the schema at ptr.
func (o *openAPI) validate(t *testing.T, ptr string, body []byte) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	return o.schema(t, ptr).Validate(v)
}

// operations lists the document's "METHOD /path" pairs.
func (o *openAPI) operations() map[string]map[string]any {
	out := map[string]map[string]any{}
	paths, _ := o.doc["paths"].(map[string]any)
	for path, item := range paths {
		for method, op := range item.(map[string]any) {
			if m, ok := op.(map[string]any); ok {
				out[strings.ToUpper(method)+" "+path] = m
			}
		}
	}
	return out
}

// responsePointer returns the pointer to the schema of an operation's
// response with status, following a $ref to components.responses.
func (o *openAPI) responsePointer(t *testing.T, method, path string, status int) string {
	t.Helper()
	op := o.operations()[method+" "+path]
	if op == nil {
		t.Fatalf("the document has no %s %s", method, path)
	}
	resp, _ := op["responses"].(map[string]any)[fmt.Sprint(status)].(map[string]any)
	if resp == nil {
		t.Fatalf("%s %s documents no %d response", method, path, status)
	}
	if ref, ok := resp["$ref"].(string); ok {
		return strings.TrimPrefix(ref, "#") + pointer("content", "application/json", "schema")
	}
	return pointer("paths", path, strings.ToLower(method), "responses", fmt.Sprint(status), "content", "application/json", "schema")
}

// checkResponse fails unless a real response's body validates against the
// schema the document gives for its route and status.
func (o *openAPI) checkResponse(t *testing.T, method, path string, r *response) {
	t.Helper()
	ptr := o.responsePointer(t, method, path, r.StatusCode)
	if err := o.validate(t, ptr, []byte(r.body)); err != nil {
		t.Errorf("%s %s answered %d with a body its schema refuses: %v\nbody: %s", method, path, r.StatusCode, err, r.body)
	}
}

// TestOpenAPIMatchesRoutes fails when an /api/v1 route is missing from the
// document or a documented operation is not routed.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	o := loadOpenAPI(t)
	routed := map[string]bool{}
	for _, r := range web.New(nil, web.Config{}).Routes() {
		method, path, _ := strings.Cut(r.Pattern, " ")
		if strings.HasPrefix(path, "/api/") {
			routed[method+" "+path] = true
		}
	}
	documented := o.operations()
	var missing, extra []string
	for k := range routed {
		if documented[k] == nil {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !routed[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	for _, k := range missing {
		t.Errorf("route %s is not in web/openapi.json", k)
	}
	for _, k := range extra {
		t.Errorf("web/openapi.json documents %s, which is not routed", k)
	}
	if len(routed) < 2 {
		t.Errorf("found %d /api/ routes; the route table was not read", len(routed))
	}
}

// TestOpenAPIExamples fails when an example request or response body in the
// document does not validate against its schema.
func TestOpenAPIExamples(t *testing.T) {
	t.Parallel()
	o := loadOpenAPI(t)
	checked := 0
	check := func(where string, content any) {
		media, _ := content.(map[string]any)["application/json"].(map[string]any)
		if media == nil {
			return
		}
		ex, ok := media["example"]
		if !ok {
			t.Errorf("%s: no example", where)
			return
		}
		body, _ := json.Marshal(ex)
		if err := o.validate(t, where+pointer("content", "application/json", "schema"), body); err != nil {
			t.Errorf("the example at %s does not validate: %v", where, err)
		}
		checked++
	}
	for key, op := range o.operations() {
		method, path, _ := strings.Cut(key, " ")
		base := pointer("paths", path, strings.ToLower(method))
		if rb, ok := op["requestBody"].(map[string]any); ok {
			check(base+pointer("requestBody"), rb["content"])
		}
		for status, resp := range op["responses"].(map[string]any) {
			if c, ok := resp.(map[string]any)["content"]; ok {
				check(base+pointer("responses", status), c)
			}
		}
	}
	comps, _ := o.doc["components"].(map[string]any)
	resps, _ := comps["responses"].(map[string]any)
	for name, resp := range resps {
		if c, ok := resp.(map[string]any)["content"]; ok {
			check(pointer("components", "responses", name), c)
		}
	}
	if checked == 0 {
		t.Fatal("no example checked")
	}
}

// TestOpenAPIRejectsBadExample makes sure the validation above can fail: a
// body missing a required field does not validate.
func TestOpenAPIRejectsBadExample(t *testing.T) {
	t.Parallel()
	o := loadOpenAPI(t)
	ptr := o.responsePointer(t, http.MethodGet, "/api/v1/me", http.StatusOK)
	if err := o.validate(t, ptr, []byte(`{"id": "twelve"}`)); err == nil {
		t.Error(`{"id": "twelve"} validated as GET /api/v1/me's answer`)
	}
}
