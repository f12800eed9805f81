// Package static serves the embedded stylesheet and script under
// content-hash URLs ("/static/app.3f2a9c1b.css"), so a browser may cache
// them forever and still never runs a stale copy.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed *.css *.js
var files embed.FS

type asset struct {
	name, hashed string
	body         []byte
}

var (
	byName   = map[string]*asset{}
	byHashed = map[string]*asset{}
)

func init() {
	entries, _ := fs.ReadDir(files, ".")
	for _, e := range entries {
		body, _ := files.ReadFile(e.Name())
		sum := sha256.Sum256(body)
		ext := path.Ext(e.Name())
		a := &asset{
			name:   e.Name(),
			hashed: strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:4]) + ext,
			body:   body,
		}
		byName[a.name], byHashed[a.hashed] = a, a
	}
}

// URL returns the content-hash URL of an embedded asset.
func URL(name string) string {
	if a, ok := byName[name]; ok {
		return "/static/" + a.hashed
	}
	return "/static/" + name
}

// Handler serves assets by their hashed names with a long cache lifetime.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := byHashed[strings.TrimPrefix(r.URL.Path, "/static/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		http.ServeContent(w, r, a.name, time.Time{}, strings.NewReader(string(a.body)))
	})
}
