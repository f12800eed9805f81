package chart

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// TestChartsAreWellFormed parses every chart as XML and checks the parts a
// reader and the CSP need: role, title, desc, escaped text, no style.
func TestChartsAreWellFormed(t *testing.T) {
	labels := []string{"医疗卫生", "法律<服务>", "环境 & 卫生", "植树造林植树造林植树造林植树造林植树造林"}
	cases := map[string][]byte{
		"bars":    Bars("按类别", "活动数 <by category>", labels, []float64{3, 0, 12.5, 7}),
		"line":    Line("按月", "每月活动", []string{"2026-01", "2026-02", "2026-03"}, []float64{1, 5, 2}),
		"stacked": Stacked("类别×月", "堆叠", []string{"2026-01", "2026-02"}, []Series{{"医疗", []float64{1, 2}}, {"法律", []float64{3, 0}}}),
		"empty":   Bars("空", "无数据", nil, nil),
	}
	for name, svg := range cases {
		d := xml.NewDecoder(bytes.NewReader(svg))
		var tags []string
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: not well-formed: %v\n%s", name, err, svg)
			}
			if se, ok := tok.(xml.StartElement); ok {
				tags = append(tags, se.Name.Local)
				for _, a := range se.Attr {
					if a.Name.Local == "style" {
						t.Errorf("%s: style attribute on <%s>", name, se.Name.Local)
					}
				}
			}
		}
		s := string(svg)
		if !strings.HasPrefix(s, "<svg") || !strings.Contains(s, `role="img"`) || len(tags) < 3 || tags[1] != "title" || tags[2] != "desc" {
			t.Errorf("%s: want <svg role=img> with <title> and <desc> first, got %v", name, tags[:min(3, len(tags))])
		}
		if strings.Contains(s, "NaN") || strings.Contains(s, "Inf") {
			t.Errorf("%s: bad number in %s", name, s)
		}
	}
}

func TestFormatAndScale(t *testing.T) {
	for v, want := range map[float64]string{3: "3", 12.5: "12.5", 0.333: "0.33", 1200: "1200"} {
		if got := Format(v); got != want {
			t.Errorf("Format(%v) = %q, want %q", v, got, want)
		}
	}
	for v, want := range map[float64]float64{0: 1, 7: 8, 12: 20, 312: 400, 1: 1} {
		if got := niceMax(v); got != want {
			t.Errorf("niceMax(%v) = %v, want %v", v, got, want)
		}
	}
}
