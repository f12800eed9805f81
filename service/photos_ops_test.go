package service_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestPhotoFolderReadOnly: when the photo folder cannot be written, an
// upload is refused with a message a clerk can act on (tell the system
// administrator), not a bare internal error, and nothing is recorded (the
// issue: a bare 500).
func TestPhotoFolderReadOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newPhotoFixture(t, s)
		must(t, os.MkdirAll(f.dir, 0o700))
		storetest.MakeReadOnly(t, f.dir)
		_, err := f.svc.AddPhoto(ctx, f.callers["leader A"], f.activity, bytes.NewReader(encodePNG(t)))
		e, ok := domain.AsError(err)
		if !ok || e.Key != "err.photo.storage" {
			t.Fatalf("upload into a read-only folder: %v, want err.photo.storage", err)
		}
		if photos, _ := s.ActivityPhotos(ctx, f.activity); len(photos) != 0 {
			t.Errorf("%d photos recorded, want none", len(photos))
		}
	})
}
