package views

import (
	"strconv"
	"time"
)

// signed writes points with their sign: +15, -30.
func signed(n int64) string {
	if n > 0 {
		return "+" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// fromMicros reads a stored time in microseconds.
func fromMicros(v int64) time.Time { return time.UnixMicro(v) }
