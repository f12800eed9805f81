// Package chart draws small charts as SVG on the server: horizontal bars,
// a line and stacked columns. It is pure — labels and values in, SVG bytes
// out — so pages and reports can embed the same picture.
//
// The SVG carries role="img", a <title> and a <desc>, and only
// presentation attributes (no style attribute, no script, no outside
// resource), so that it passes a strict Content-Security-Policy when
// embedded inline. Text uses the reader's sans-serif font, which covers
// Chinese; widths are estimated from the runes (a CJK rune is about one em,
// a Latin one about 0.55 em). Pages should still show the same figures as a
// table beside each chart, for screen readers and printing.
//
// Hand-drawn rather than github.com/go-analyze/charts: that library was
// not tried here for lack of time; a few hundred lines of SVG with only
// presentation attributes are easy to hold to the CSP and to CJK labels.
// Swapping it in later only changes this package.
package chart

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Series is one named set of values, one per label, for Stacked.
type Series struct {
	Name   string
	Values []float64
}

// Palette is the colours of series in order; it repeats after its end.
var Palette = []string{"#b71c1c", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a",
	"#00838f", "#ad1457", "#5d4037", "#9e9d24", "#455a64", "#f9a825", "#283593"}

const (
	width    = 640.0
	fontSize = 12.0
	textFill = "#222"
	gridFill = "#ddd"
)

// svg starts a chart's document.
func svg(b *bytes.Buffer, title, desc string, h float64) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 %s %s" width="%s" height="%s" class="chart-svg" font-family="sans-serif" font-size="%s">`,
		num(width), num(h), num(width), num(h), num(fontSize))
	fmt.Fprintf(b, `<title>%s</title><desc>%s</desc>`, esc(title), esc(desc))
}

// Bars draws one horizontal bar per label, its value written at its end.
// Negative values count as zero.
func Bars(title, desc string, labels []string, values []float64) []byte {
	var b bytes.Buffer
	const row, top = 26.0, 8.0
	left := labelWidth(labels, 200) + 12
	h := top*2 + row*float64(max(len(labels), 1))
	svg(&b, title, desc, h)
	hi := math.Max(maxOf(values), 1) // no scale is drawn: the longest bar fills the row
	span := width - left - 70
	for i, l := range labels {
		v := at(values, i)
		y := top + row*float64(i)
		w := span * v / hi
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" dominant-baseline="middle" fill="%s">%s</text>`,
			num(left-6), num(y+row/2), textFill, esc(clip(l, 200)))
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`,
			num(left), num(y+4), num(w), num(row-8), Palette[1])
		fmt.Fprintf(&b, `<text x="%s" y="%s" dominant-baseline="middle" fill="%s">%s</text>`,
			num(left+w+4), num(y+row/2), textFill, esc(Format(v)))
	}
	b.WriteString(`</svg>`)
	return b.Bytes()
}

// Line draws values over labels as a line with a dot at each point, on a
// vertical scale with grid lines.
func Line(title, desc string, labels []string, values []float64) []byte {
	var b bytes.Buffer
	const h = 260.0
	svg(&b, title, desc, h)
	hi := niceMax(maxOf(values))
	x0, y0, y1 := axes(&b, labels, hi, h)
	step := (width - x0 - 10) / float64(max(len(labels), 1))
	var pts []string
	for i := range labels {
		x := x0 + step*(float64(i)+0.5)
		y := y0 - (y0-y1)*at(values, i)/hi
		pts = append(pts, num(x)+","+num(y))
	}
	fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(pts, " "), Palette[0])
	for i, p := range pts {
		x, y, _ := strings.Cut(p, ",")
		fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3.5" fill="%s"><title>%s: %s</title></circle>`,
			x, y, Palette[0], esc(labels[i]), esc(Format(at(values, i))))
	}
	b.WriteString(`</svg>`)
	return b.Bytes()
}

// Stacked draws one column per label, each the series' values stacked in
// order, with a legend of the series below.
func Stacked(title, desc string, labels []string, series []Series) []byte {
	var b bytes.Buffer
	totals := make([]float64, len(labels))
	for _, s := range series {
		for i := range labels {
			totals[i] += at(s.Values, i)
		}
	}
	legendRows := legendLayout(series)
	const plot = 260.0
	h := plot + 20*float64(len(legendRows)) + 8
	svg(&b, title, desc, h)
	hi := niceMax(maxOf(totals))
	x0, y0, y1 := axes(&b, labels, hi, plot)
	step := (width - x0 - 10) / float64(max(len(labels), 1))
	for i, l := range labels {
		base := y0
		for k, s := range series {
			v := at(s.Values, i)
			if v <= 0 {
				continue
			}
			ht := (y0 - y1) * v / hi
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s · %s: %s</title></rect>`,
				num(x0+step*float64(i)+step*0.15), num(base-ht), num(step*0.7), num(ht), colour(k),
				esc(l), esc(s.Name), esc(Format(v)))
			base -= ht
		}
	}
	for r, items := range legendRows {
		y := plot + 8 + 20*float64(r)
		x := 10.0
		for _, k := range items {
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="12" height="12" fill="%s"/>`, num(x), num(y), colour(k))
			fmt.Fprintf(&b, `<text x="%s" y="%s" dominant-baseline="middle" fill="%s">%s</text>`,
				num(x+16), num(y+6), textFill, esc(clip(series[k].Name, 160)))
			x += 16 + min(textWidth(series[k].Name), 160) + 14
		}
	}
	b.WriteString(`</svg>`)
	return b.Bytes()
}

// axes draws the vertical scale 0..hi with grid lines and the labels under
// the plot of height h; it returns the plot's left edge, its baseline and
// its top.
func axes(b *bytes.Buffer, labels []string, hi, h float64) (x0, y0, y1 float64) {
	x0 = textWidth(Format(hi)) + 14
	y0, y1 = h-36, 10
	for i := 0; i <= 4; i++ {
		v := hi * float64(i) / 4
		y := y0 - (y0-y1)*float64(i)/4
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`,
			num(x0), num(y), num(width-10), num(y), gridFill)
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="end" dominant-baseline="middle" fill="%s">%s</text>`,
			num(x0-4), num(y), textFill, esc(Format(v)))
	}
	step := (width - x0 - 10) / float64(max(len(labels), 1))
	every := 1
	if w := maxWidth(labels); w > step-4 {
		every = int(math.Ceil(w / math.Max(step-4, 1)))
	}
	for i, l := range labels {
		if i%every != 0 {
			continue
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`,
			num(x0+step*(float64(i)+0.5)), num(y0+18), textFill, esc(l))
	}
	return x0, y0, y1
}

// legendLayout places the series' legend entries in rows that fit the width.
func legendLayout(series []Series) [][]int {
	var rows [][]int
	var cur []int
	x := 10.0
	for k, s := range series {
		w := 16 + min(textWidth(s.Name), 160) + 14
		if x+w > width && len(cur) > 0 {
			rows, cur, x = append(rows, cur), nil, 10
		}
		cur, x = append(cur, k), x+w
	}
	if len(cur) > 0 {
		rows = append(rows, cur)
	}
	return rows
}

func colour(k int) string { return Palette[k%len(Palette)] }

// Format writes a value as people read it: an integer without decimals,
// otherwise at most two decimals with trailing zeros dropped.
func Format(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	s := strconv.FormatFloat(v, 'f', 2, 64)
	return strings.TrimRight(strings.TrimRight(s, "0"), ".")
}

// niceMax rounds a maximum up to 1, 2, 2.5 or 5 times a power of ten, so
// the scale's quarters read well; at least 1.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 4, 5, 8, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func maxOf(xs []float64) float64 {
	var m float64
	for _, x := range xs {
		m = math.Max(m, x)
	}
	return m
}

func at(xs []float64, i int) float64 {
	if i < len(xs) && xs[i] > 0 && !math.IsInf(xs[i], 0) && !math.IsNaN(xs[i]) {
		return xs[i]
	}
	return 0
}

// textWidth estimates the width of a label at fontSize.
func textWidth(s string) float64 {
	var w float64
	for _, r := range s {
		if r < 0x1100 {
			w += fontSize * 0.6
		} else {
			w += fontSize
		}
	}
	return w
}

func maxWidth(labels []string) float64 {
	var m float64
	for _, l := range labels {
		m = math.Max(m, textWidth(l))
	}
	return m
}

func labelWidth(labels []string, limit float64) float64 {
	return math.Min(math.Max(maxWidth(labels), 20), limit)
}

// clip shortens a label to about limit pixels, ending it with an ellipsis.
func clip(s string, limit float64) string {
	if textWidth(s) <= limit {
		return s
	}
	var b strings.Builder
	var w float64
	for _, r := range s {
		rw := textWidth(string(r))
		if w+rw > limit-fontSize {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return b.String() + "…"
}

func esc(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return html.EscapeString(s)
}

func num(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
