package service_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// exifBlock is an APP1 segment as a phone writes it: a little-endian TIFF
// header whose first directory holds the orientation (6: turn 90° clockwise
// to view) and a pointer to a GPS directory with a latitude reference and
// the maker's name "GPS-SECRET".
func exifBlock() []byte {
	le := binary.LittleEndian
	var t bytes.Buffer
	t.WriteString("II*\x00")
	binary.Write(&t, le, uint32(8)) // IFD0 at 8
	// IFD0: two entries, then the next-IFD pointer.
	binary.Write(&t, le, uint16(2))
	entry := func(tag, typ uint16, count, value uint32) {
		binary.Write(&t, le, tag)
		binary.Write(&t, le, typ)
		binary.Write(&t, le, count)
		binary.Write(&t, le, value)
	}
	gpsAt := uint32(8 + 2 + 2*12 + 4)
	entry(0x0112, 3, 1, 6)     // orientation, SHORT
	entry(0x8825, 4, 1, gpsAt) // GPS IFD pointer
	binary.Write(&t, le, uint32(0))
	// GPS IFD: latitude ref "N", and an ASCII "GPS-SECRET" processing method.
	binary.Write(&t, le, uint16(2))
	strAt := gpsAt + 2 + 2*12 + 4
	entry(0x0001, 2, 2, uint32('N'))
	entry(0x001B, 2, 11, strAt)
	binary.Write(&t, le, uint32(0))
	t.WriteString("GPS-SECRET\x00")
	payload := append([]byte("Exif\x00\x00"), t.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// TestPhotoMetadataStripped is fault 12: a JPEG with an EXIF block carrying
// a GPS position and bytes appended after the image is stored re-encoded,
// with neither, turned upright, and a thumbnail is kept and served.
func TestPhotoMetadataStripped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newPhotoFixture(t, s)
		plain := encodeJPEG(t) // 40×30
		upload := append([]byte{0xFF, 0xD8}, exifBlock()...)
		upload = append(upload, plain[2:]...)
		upload = append(upload, []byte("TRAILING-SECRET appended after the image")...)
		if _, err := jpeg.Decode(bytes.NewReader(upload)); err != nil {
			t.Fatalf("the test upload is not a JPEG: %v", err)
		}
		id, err := f.svc.AddPhoto(ctx, f.callers["leader A"], f.activity, bytes.NewReader(upload))
		must(t, err)
		p, err := s.PhotoByID(ctx, id)
		must(t, err)
		stored, err := os.ReadFile(filepath.Join(f.dir, p.StoredName))
		must(t, err)
		for _, secret := range []string{"Exif", "GPS-SECRET", "TRAILING-SECRET"} {
			if bytes.Contains(stored, []byte(secret)) {
				t.Errorf("stored photo still holds %q", secret)
			}
		}
		if bytes.Contains(stored, []byte{0xFF, 0xE1}) && exifAt(stored) {
			t.Errorf("stored photo still has an APP1 (EXIF) segment")
		}
		if !bytes.HasSuffix(stored, []byte{0xFF, 0xD9}) {
			t.Errorf("stored photo does not end with the end-of-image marker")
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(stored))
		if err != nil || cfg.Width != 30 || cfg.Height != 40 || p.Width != 30 || p.Height != 40 {
			t.Errorf("stored photo %dx%d (row %dx%d), %v; want 30x40, turned upright", cfg.Width, cfg.Height, p.Width, p.Height, err)
		}
		if p.Size != int64(len(stored)) || p.ContentType != "image/jpeg" {
			t.Errorf("photo row %+v for a %d-byte file", p, len(stored))
		}
		// The thumbnail exists beside it and is what list pages get.
		th, err := f.svc.PhotoThumbnail(ctx, f.callers["volunteer in"], f.activity, id)
		must(t, err)
		tb, _ := io.ReadAll(th.File)
		th.File.Close()
		if _, err := jpeg.Decode(bytes.NewReader(tb)); err != nil || th.ContentType != "image/jpeg" ||
			!strings.HasSuffix(th.File.Name(), "_t.jpg") || bytes.Contains(tb, []byte("GPS-SECRET")) {
			t.Errorf("thumbnail %s (%d bytes, %s): %v", th.File.Name(), len(tb), th.ContentType, err)
		}
		// A photo without its thumbnail (stored before thumbnails were kept,
		// or restored without them) gets one made when it is first asked for.
		must(t, os.Remove(th.File.Name()))
		again, err := f.svc.PhotoThumbnail(ctx, f.callers["leader A"], f.activity, id)
		must(t, err)
		again.File.Close()
		if again.File.Name() != th.File.Name() || again.ContentType != "image/jpeg" {
			t.Errorf("thumbnail not remade: served %s as %s", again.File.Name(), again.ContentType)
		}
		if _, err := os.Stat(th.File.Name()); err != nil {
			t.Errorf("remade thumbnail: %v", err)
		}
		// Deleting the photo removes the thumbnail too.
		must(t, f.svc.DeletePhoto(ctx, f.callers["leader A"], f.activity, id))
		if _, err := os.Stat(th.File.Name()); !os.IsNotExist(err) {
			t.Errorf("thumbnail after delete: %v", err)
		}
	})
}

// exifAt reports whether a JPEG has an APP1 segment before its image data.
func exifAt(b []byte) bool {
	for i := 2; i+4 <= len(b) && b[i] == 0xFF && b[i+1] != 0xDA; i += 2 + int(binary.BigEndian.Uint16(b[i+2:])) {
		if b[i+1] == 0xE1 {
			return true
		}
	}
	return false
}

// TestPhotoLargeScaledWithThumbnail checks that a picture over the stored
// size is scaled down and its thumbnail is 320 pixels wide.
func TestPhotoLargeScaledWithThumbnail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newPhotoFixture(t, s)
		big := image.NewRGBA(image.Rect(0, 0, 3000, 1500))
		for i := range big.Pix {
			big.Pix[i] = uint8(i / 7)
		}
		var b bytes.Buffer
		must(t, jpeg.Encode(&b, big, &jpeg.Options{Quality: 50}))
		id, err := f.svc.AddPhoto(ctx, f.callers["leader A"], f.activity, bytes.NewReader(b.Bytes()))
		must(t, err)
		p, err := s.PhotoByID(ctx, id)
		must(t, err)
		if p.Width != 2560 || p.Height != 1280 {
			t.Errorf("stored %dx%d, want 2560x1280", p.Width, p.Height)
		}
		th, err := f.svc.PhotoThumbnail(ctx, f.callers["leader A"], f.activity, id)
		must(t, err)
		defer th.File.Close()
		cfg, err := jpeg.DecodeConfig(th.File)
		if err != nil || cfg.Width != 320 || cfg.Height != 160 {
			t.Errorf("thumbnail %dx%d, %v; want 320x160", cfg.Width, cfg.Height, err)
		}
	})
}

// TestPhotoDecompressionBomb: a small PNG claiming a picture over the pixel
// limit is refused from its header, before any pixel is decoded.
func TestPhotoDecompressionBomb(t *testing.T) {
	var b bytes.Buffer
	must(t, png.Encode(&b, image.NewGray(image.Rect(0, 0, 6000, 6000)))) // 36 MP of black: a few KB
	if b.Len() > 200_000 {
		t.Fatalf("the bomb is %d bytes", b.Len())
	}
	_, _, _, err := service.CheckPhoto(b.Bytes())
	if e, ok := domain.AsError(err); !ok || e.Key != "err.photo.dimensions" {
		t.Errorf("36 MP in %d bytes: %v, want err.photo.dimensions", b.Len(), err)
	}
}
