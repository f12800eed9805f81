package service

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"
)

// FuzzExifOrientation feeds the EXIF reader arbitrary bytes after a JPEG's
// start: it must never panic and only ever answer 1 to 8.
// go test ./service -run '^$' -fuzz FuzzExifOrientation -fuzztime 30s
func FuzzExifOrientation(f *testing.F) {
	var b bytes.Buffer
	jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4)), nil)
	f.Add(b.Bytes())
	f.Add([]byte("\xff\xd8\xff\xe1\x00\x22Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x06\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("\xff\xd8\xff\xe1\x00\x10Exif\x00\x00MM\x00*\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if o := exifOrientation(b); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
	})
}

// TestExifOrientationSeed reads the orientation of the fuzz seed above.
func TestExifOrientationSeed(t *testing.T) {
	b := []byte("\xff\xd8\xff\xe1\x00\x22Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x06\x00\x00\x00\x00\x00\x00\x00")
	if o := exifOrientation(b); o != 6 {
		t.Errorf("orientation %d, want 6", o)
	}
}
