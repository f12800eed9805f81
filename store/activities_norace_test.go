//go:build !race

package store_test

// raceEnabled reports whether the tests run under the race detector, where
// SQLite is about 25 times slower: the concurrency tests use fewer people.
const raceEnabled = false
