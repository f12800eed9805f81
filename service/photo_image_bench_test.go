package service

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"
)

// BenchmarkCleanPhoto re-encodes a 12-megapixel phone photo (4000×3000,
// stored at 2560×1920 with a 320 px thumbnail): go test ./service -run '^$'
// -bench CleanPhoto -benchmem.
func BenchmarkCleanPhoto(b *testing.B) {
	img := image.NewRGBA(image.Rect(0, 0, 4000, 3000))
	for y := 0; y < 3000; y++ {
		for x := 0; x < 4000; x++ {
			o := img.PixOffset(x, y)
			img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = uint8(x/16), uint8(y/12), uint8((x+y)/28), 255
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		b.Fatal(err)
	}
	upload := buf.Bytes()
	b.SetBytes(int64(len(upload)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := cleanPhotoBytes(upload); err != nil {
			b.Fatal(err)
		}
	}
}
