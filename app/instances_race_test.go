//go:build race

package app_test

// raceEnabled reports whether the tests run under the race detector: the
// two-instance test then sends fewer sign-ups.
const raceEnabled = true
