package jobs

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

// A request that ends while its transaction inserts a job makes River log
// "context canceled" and return the error too; the log keeps quiet about it
// but still carries River's other errors and warnings.
func TestRiverLogDropsCancelledRequests(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(warnOnly{slog.NewTextHandler(&buf, nil)}).With("svc", "river")
	log.Error("Client: Failed to send job insert notification", "queues", "default", "err", context.Canceled.Error())
	log.Info("Client: started")
	if buf.Len() != 0 {
		t.Fatalf("logged %q, want nothing", buf.String())
	}
	log.Error("Client: Failed to send job insert notification", "err", errors.New("connection refused").Error())
	log.Warn("Elector: slow")
	out := buf.String()
	if !strings.Contains(out, "connection refused") || !strings.Contains(out, "Elector: slow") || !strings.Contains(out, "svc=river") {
		t.Fatalf("log lost a real report: %q", out)
	}
}
