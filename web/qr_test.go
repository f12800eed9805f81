package web

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/yeqown/go-qrcode/v2"
)

// parsedSVG is what a QR code's SVG holds, read back.
type parsedSVG struct {
	XMLName xml.Name `xml:"svg"`
	ViewBox string   `xml:"viewBox,attr"`
	Shape   string   `xml:"shape-rendering,attr"`
	Rect    struct {
		Width string `xml:"width,attr"`
		Fill  string `xml:"fill,attr"`
	} `xml:"rect"`
	Paths []struct {
		D    string `xml:"d,attr"`
		Fill string `xml:"fill,attr"`
	} `xml:"path"`
}

var runRE = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)

// decodeSVG reads a QR code's SVG back into its grid of modules, quiet
// zone included, failing on anything but the shape qrSVG writes.
func decodeSVG(t *testing.T, b []byte) [][]bool {
	t.Helper()
	var s parsedSVG
	if err := xml.Unmarshal(b, &s); err != nil {
		t.Fatalf("the SVG does not parse as XML: %v\n%s", err, b)
	}
	var n, n2 int
	if _, err := fmt.Sscanf(s.ViewBox, "0 0 %d %d", &n, &n2); err != nil || n != n2 || n < 21+2*qrQuietZone {
		t.Fatalf("viewBox %q: want a square of at least %d", s.ViewBox, 21+2*qrQuietZone)
	}
	if s.Shape != "crispEdges" || s.Rect.Fill != "#fff" || s.Rect.Width != strconv.Itoa(n) {
		t.Errorf("shape-rendering %q, background %q wide %q: want crispEdges and a white square of %d", s.Shape, s.Rect.Fill, s.Rect.Width, n)
	}
	if len(s.Paths) != 1 || s.Paths[0].Fill != "#000" {
		t.Fatalf("%d paths: want one black path", len(s.Paths))
	}
	d := s.Paths[0].D
	if rest := runRE.ReplaceAllString(d, ""); rest != "" {
		t.Fatalf("path data holds more than runs of unit squares: %q", rest)
	}
	grid := make([][]bool, n)
	for i := range grid {
		grid[i] = make([]bool, n)
	}
	for _, m := range runRE.FindAllStringSubmatch(d, -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		if m[3] != m[4] || w < 1 || x+w > n-qrQuietZone || y >= n-qrQuietZone || x < qrQuietZone || y < qrQuietZone {
			t.Fatalf("run %q leaves the code or its shape", m[0])
		}
		for i := x; i < x+w; i++ {
			if grid[y][i] {
				t.Fatalf("module (%d,%d) drawn twice", i, y)
			}
			grid[y][i] = true
		}
	}
	return grid
}

// matrixWriter keeps the matrix the library hands to a writer.
type matrixWriter struct{ bits [][]bool }

func (w *matrixWriter) Write(m qrcode.Matrix) error { w.bits = m.Bitmap(); return nil }
func (w *matrixWriter) Close() error                { return nil }

// TestQRSVG checks that the SVG of a check-in link decodes to exactly the
// library's matrix inside a quiet zone of four modules, with the three
// finder patterns where a camera looks for them, and that it is the same
// every time.
func TestQRSVG(t *testing.T) {
	for _, text := range []string{
		"https://vanguard.example.cn/checkin?t=123.in.29512345.AbCdEfGhIjKlMnOpQrStUv",
		"http://127.0.0.1:41234/checkin?t=1.out.1.x",
		"先锋",
	} {
		b, err := qrSVG(text)
		if err != nil {
			t.Fatalf("qrSVG(%q): %v", text, err)
		}
		if again, _ := qrSVG(text); !bytes.Equal(again, b) {
			t.Errorf("qrSVG(%q) is not deterministic", text)
		}
		if !strings.HasPrefix(string(b), `<svg xmlns="http://www.w3.org/2000/svg"`) {
			t.Errorf("qrSVG(%q) starts %q", text, b[:40])
		}
		grid := decodeSVG(t, b)
		qrc, err := qrcode.New(text)
		if err != nil {
			t.Fatal(err)
		}
		var want matrixWriter
		if err := qrc.Save(&want); err != nil {
			t.Fatal(err)
		}
		dim := len(want.bits)
		if len(grid) != dim+2*qrQuietZone {
			t.Fatalf("qrSVG(%q): %d modules wide, want %d + 2×%d", text, len(grid), dim, qrQuietZone)
		}
		dark := 0
		for y := range grid {
			for x := range grid[y] {
				in := x >= qrQuietZone && y >= qrQuietZone && x < dim+qrQuietZone && y < dim+qrQuietZone
				wantDark := in && want.bits[y-qrQuietZone][x-qrQuietZone]
				if grid[y][x] != wantDark {
					t.Fatalf("qrSVG(%q): module (%d,%d) dark=%v, want %v", text, x, y, grid[y][x], wantDark)
				}
				if grid[y][x] {
					dark++
				}
			}
		}
		if dark == 0 || dark == dim*dim {
			t.Errorf("qrSVG(%q): %d dark modules of %d", text, dark, dim*dim)
		}
		// The finder patterns: a dark 7×7 ring at three corners.
		for _, c := range [][2]int{{0, 0}, {dim - 7, 0}, {0, dim - 7}} {
			x0, y0 := c[0]+qrQuietZone, c[1]+qrQuietZone
			for i := range 7 {
				if !grid[y0][x0+i] || !grid[y0+6][x0+i] || !grid[y0+i][x0] || !grid[y0+i][x0+6] {
					t.Fatalf("qrSVG(%q): no finder pattern at (%d,%d)", text, c[0], c[1])
				}
			}
		}
	}
}
