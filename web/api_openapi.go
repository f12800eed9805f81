package web

import (
	_ "embed"
	"net/http"
)

// openAPIDoc is the OpenAPI 3.1 document of /api/v1. openapi_test.go keeps
// it true: every /api/v1 route of the table is in it and nothing else, and
// every example validates against its schema.
//
//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI returns the OpenAPI document, for tests.
func OpenAPI() []byte { return openAPIDoc }

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	// Served as written; its ETag lets clients keep a copy.
	return writeAPIRaw(w, r, openAPIDoc)
}
