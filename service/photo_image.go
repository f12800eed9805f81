package service

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"strings"

	"vanguard/domain"
)

// An uploaded photo is never stored as sent: it is decoded and encoded
// again, which drops everything but the pixels — EXIF (with the GPS
// position a phone writes), comments, colour profiles and any bytes
// appended after the image. A JPEG's EXIF orientation is applied to the
// pixels first, so the picture stands as it was taken. Pictures larger
// than maxStoredSide on their longer side are scaled down, and a small
// JPEG thumbnail is kept beside each photo for list pages.

const (
	// maxStoredSide is the longest side a stored photo keeps, in pixels:
	// enough for a printed ledger page, a fraction of a phone's original.
	maxStoredSide = 2560
	// thumbWidth is a thumbnail's width in pixels.
	thumbWidth = 320
	// photoQuality is the JPEG quality of stored photos and thumbnails.
	photoQuality = 85
)

// decodeSlots bounds how many uploads are decoded at once to one: a
// picture at the pixel limit takes some 200 MB while it is re-encoded
// (decoded, copied to RGBA, scaled), and uploads are rare enough to queue.
var decodeSlots = make(chan struct{}, 1)

// cleanPhoto is an upload after re-encoding: the bytes to store, their
// type and size in pixels, and the thumbnail's bytes.
type cleanPhoto struct {
	Bytes, Thumb  []byte
	ContentType   string
	Width, Height int
}

// cleanPhotoBytes checks an upload (CheckPhoto: type, header and pixel
// limit, before any pixel is decoded) and re-encodes it: a JPEG as a JPEG
// of quality photoQuality, a PNG as a PNG, each without metadata or
// trailing bytes, turned upright and scaled to at most maxStoredSide.
func cleanPhotoBytes(b []byte) (cleanPhoto, error) {
	ct, _, _, err := CheckPhoto(b)
	if err != nil {
		return cleanPhoto{}, err
	}
	decodeSlots <- struct{}{}
	defer func() { <-decodeSlots }()
	var src image.Image
	if ct == "image/jpeg" {
		src, err = jpeg.Decode(bytes.NewReader(b))
	} else {
		src, err = png.Decode(bytes.NewReader(b))
	}
	if err != nil {
		return cleanPhoto{}, domain.Invalid("photo", "err.photo.broken")
	}
	img := toRGBA(src)
	if ct == "image/jpeg" {
		img = orient(img, exifOrientation(b))
	}
	img = fitWithin(img, maxStoredSide)
	var out bytes.Buffer
	if ct == "image/jpeg" {
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: photoQuality})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, img)
	}
	if err != nil {
		return cleanPhoto{}, err
	}
	th, err := thumbnail(img)
	if err != nil {
		return cleanPhoto{}, err
	}
	bounds := img.Bounds()
	return cleanPhoto{Bytes: out.Bytes(), Thumb: th, ContentType: ct, Width: bounds.Dx(), Height: bounds.Dy()}, nil
}

// thumbnailOf makes the thumbnail of a stored photo's bytes.
func thumbnailOf(b []byte) ([]byte, error) {
	if _, _, _, err := CheckPhoto(b); err != nil {
		return nil, err
	}
	decodeSlots <- struct{}{}
	defer func() { <-decodeSlots }()
	src, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return thumbnail(toRGBA(src))
}

// thumbName is the file name of a stored photo's thumbnail: its name with
// "_t.jpg" for the extension.
func thumbName(stored string) string {
	if i := strings.LastIndexByte(stored, '.'); i >= 0 {
		stored = stored[:i]
	}
	return stored + "_t.jpg"
}

// thumbnail scales img to thumbWidth wide (never up) and encodes it as a
// JPEG on a white background (a PNG's transparency would turn black).
func thumbnail(img *image.RGBA) ([]byte, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > thumbWidth {
		h = max(1, h*thumbWidth/w)
		w = thumbWidth
	}
	small := scaleRGBA(img, w, h)
	flat := image.NewRGBA(small.Bounds())
	draw.Draw(flat, flat.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(flat, flat.Bounds(), small, image.Point{}, draw.Over)
	var out bytes.Buffer
	err := jpeg.Encode(&out, flat, &jpeg.Options{Quality: photoQuality})
	return out.Bytes(), err
}

// toRGBA copies any image into an RGBA image whose bounds start at 0,0.
func toRGBA(src image.Image) *image.RGBA {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Src)
	return dst
}

// fitWithin scales img down so that its longer side is at most side.
func fitWithin(img *image.RGBA, side int) *image.RGBA {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	if w <= side && h <= side {
		return img
	}
	if w >= h {
		return scaleRGBA(img, side, max(1, h*side/w))
	}
	return scaleRGBA(img, max(1, w*side/h), side)
}

// scaleRGBA scales src down to w×h by averaging the source pixels each
// destination pixel covers (a box filter: good enough for shrinking, and
// every source pixel is read once).
func scaleRGBA(src *image.RGBA, w, h int) *image.RGBA {
	sw, sh := src.Bounds().Dx(), src.Bounds().Dy()
	if w >= sw && h >= sh {
		return src
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for dy := 0; dy < h; dy++ {
		y0, y1 := dy*sh/h, max((dy+1)*sh/h, dy*sh/h+1)
		for dx := 0; dx < w; dx++ {
			x0, x1 := dx*sw/w, max((dx+1)*sw/w, dx*sw/w+1)
			var sum [4]int
			for y := y0; y < y1; y++ {
				row := src.Pix[y*src.Stride+x0*4 : y*src.Stride+x1*4]
				for i := 0; i < len(row); i += 4 {
					sum[0] += int(row[i])
					sum[1] += int(row[i+1])
					sum[2] += int(row[i+2])
					sum[3] += int(row[i+3])
				}
			}
			n := (y1 - y0) * (x1 - x0)
			o := dy*dst.Stride + dx*4
			for c := 0; c < 4; c++ {
				dst.Pix[o+c] = uint8((sum[c] + n/2) / n)
			}
		}
	}
	return dst
}

// orient turns img as its EXIF orientation (1–8) says, so the stored
// pixels stand upright once the tag is gone.
func orient(img *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return img
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	// from maps a destination pixel to the source pixel shown there.
	from := map[int]func(x, y int) (int, int){
		2: func(x, y int) (int, int) { return w - 1 - x, y },
		3: func(x, y int) (int, int) { return w - 1 - x, h - 1 - y },
		4: func(x, y int) (int, int) { return x, h - 1 - y },
		5: func(x, y int) (int, int) { return y, x },
		6: func(x, y int) (int, int) { return y, h - 1 - x },
		7: func(x, y int) (int, int) { return w - 1 - y, h - 1 - x },
		8: func(x, y int) (int, int) { return w - 1 - y, x },
	}[o]
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		for x := 0; x < dw; x++ {
			sx, sy := from(x, y)
			copy(dst.Pix[y*dst.Stride+x*4:y*dst.Stride+x*4+4], img.Pix[sy*img.Stride+sx*4:])
		}
	}
	return dst
}

// exifOrientation reads the orientation tag (0x0112) of a JPEG's EXIF
// block, or 1 (upright) when there is none or it cannot be read. Only the
// segments before the image data are looked at.
func exifOrientation(b []byte) int {
	i := 2 // after SOI
	for i+4 <= len(b) && b[i] == 0xFF {
		marker := b[i+1]
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image
			break
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			break
		}
		seg := b[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			if o := tiffOrientation(seg[6:]); o != 0 {
				return o
			}
		}
		i += 2 + n
	}
	return 1
}

// tiffOrientation finds the orientation entry in a TIFF header's first
// directory, or returns 0.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 0
	}
	count := int(bo.Uint16(t[off:]))
	for k := 0; k < count; k++ {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return 0
		}
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 { // SHORT
			if o := int(bo.Uint16(t[e+8:])); o >= 1 && o <= 8 {
				return o
			}
		}
	}
	return 0
}
