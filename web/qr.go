package web

import (
	"bytes"
	"fmt"

	"github.com/yeqown/go-qrcode/v2"
)

// qrQuietZone is the blank border around a QR code, in modules: the four
// the standard asks for, so that phone cameras find the code.
const qrQuietZone = 4

// qrSVG draws text as a QR code in SVG: one path over a white square, one
// unit per module, no image library. The same text always gives the same
// bytes.
func qrSVG(text string) ([]byte, error) {
	qrc, err := qrcode.New(text)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	w := &svgWriter{}
	if err := qrc.Save(w); err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	return w.buf.Bytes(), nil
}

// svgWriter is a qrcode.Writer that writes the matrix as SVG. Each dark
// run of a row becomes one rectangle of unit-high squares in a single
// path; crispEdges keeps the squares sharp at any scale.
type svgWriter struct{ buf bytes.Buffer }

func (w *svgWriter) Write(m qrcode.Matrix) error {
	bits := m.Bitmap() // [y][x], true for a dark module
	n := len(bits) + 2*qrQuietZone
	fmt.Fprintf(&w.buf, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" `+
		`shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`,
		n, n, n*8, n*8, n, n)
	for y, row := range bits {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&w.buf, "M%d %dh%dv1h-%dz", start+qrQuietZone, y+qrQuietZone, x-start, x-start)
		}
	}
	w.buf.WriteString(`"/></svg>`)
	return nil
}

func (w *svgWriter) Close() error { return nil }
