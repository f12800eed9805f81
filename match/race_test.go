//go:build race

package match

// raceEnabled reports whether the tests run under the race detector, where
// the heavy ones shrink or skip.
const raceEnabled = true
