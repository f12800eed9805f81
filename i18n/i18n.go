// Package i18n holds the message catalogues and the localiser. Every string a
// user sees is a key in both catalogues, zh-CN (the default) and en; a test
// fails when a key used in code or templates is missing from either.
package i18n

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"golang.org/x/text/language"
)

// Lang is a supported language tag.
type Lang string

// The supported languages; the first is the default.
const (
	ZH Lang = "zh-CN"
	EN Lang = "en"
)

// Langs lists the supported languages, default first.
var Langs = []Lang{ZH, EN}

// The catalogues are split by area, one pair of files each:
// core.zh-CN.json and core.en.json, registry.zh-CN.json and
// registry.en.json, … A key may appear in one file of a language only.
//
//go:embed *.json
var files embed.FS

var catalogues = func() map[Lang]map[string]string {
	out := map[Lang]map[string]string{}
	for _, l := range Langs {
		out[l] = map[string]string{}
		names, err := fs.Glob(files, "*."+string(l)+".json")
		if err != nil || len(names) == 0 {
			panic(fmt.Sprintf("no catalogue files for %s", l))
		}
		for _, name := range names {
			b, err := files.ReadFile(name)
			if err != nil {
				panic(err)
			}
			m := map[string]string{}
			if err := json.Unmarshal(b, &m); err != nil {
				panic(fmt.Sprintf("catalogue %s: %v", name, err))
			}
			for k, v := range m {
				if _, dup := out[l][k]; dup {
					panic(fmt.Sprintf("catalogue %s: key %q is defined in two files", name, k))
				}
				out[l][k] = v
			}
		}
	}
	return out
}()

// Keys returns the keys of a catalogue, sorted, for tests.
func Keys(l Lang) []string {
	keys := make([]string, 0, len(catalogues[l]))
	for k := range catalogues[l] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Has reports whether the catalogue of l holds key.
func Has(l Lang, key string) bool { _, ok := catalogues[l][key]; return ok }

// Translate returns the message for key in l, with args filled in by
// fmt.Sprintf. A missing key shows as the key itself, so a gap is visible
// rather than blank (and the catalogue test fails).
func Translate(l Lang, key string, args ...any) string {
	msg, ok := catalogues[l][key]
	if !ok {
		msg, ok = catalogues[ZH][key]
	}
	if !ok {
		return key
	}
	if len(args) > 0 {
		// An argument that is itself a catalogue key ("order.state.accepted")
		// is shown translated.
		args = append([]any(nil), args...)
		for i, a := range args {
			if k, ok := a.(string); ok && Has(l, k) {
				args[i] = Translate(l, k)
			}
		}
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

var matcher = language.NewMatcher([]language.Tag{language.MustParse(string(ZH)), language.English})

// Parse returns the supported language for a cookie value or an
// Accept-Language header, or the default.
func Parse(s string) Lang {
	s = strings.TrimSpace(s)
	if s == "" {
		return ZH
	}
	for _, l := range Langs {
		if strings.EqualFold(s, string(l)) {
			return l
		}
	}
	tags, _, err := language.ParseAcceptLanguage(s)
	if err != nil || len(tags) == 0 {
		return ZH
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return ZH
	}
	return Langs[i]
}

type ctxKey struct{}

// With returns a context carrying the language.
func With(ctx context.Context, l Lang) context.Context { return context.WithValue(ctx, ctxKey{}, l) }

// From returns the context's language, or the default.
func From(ctx context.Context) Lang {
	if l, ok := ctx.Value(ctxKey{}).(Lang); ok {
		return l
	}
	return ZH
}

// T translates key into the context's language.
func T(ctx context.Context, key string, args ...any) string {
	return Translate(From(ctx), key, args...)
}
