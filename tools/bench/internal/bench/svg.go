package bench

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// The chart's geometry, in pixels.
const (
	barW     = 26
	groupGap = 30
	plotTop  = 70
	plotH    = 220
	left     = 20
)

// palette colours the servers in their order (colour-blind safe).
var palette = []string{"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00"}

// WriteSVG draws res as a bar chart: a group of bars per cell, a bar per
// server, each cell scaled to its fastest server (msg/s differ by orders
// of magnitude between 16 B and 4 MiB), each bar labelled with its ratio
// to the Baseline server's msg/s; hovering a bar shows its msg/s.
func WriteSVG(w io.Writer, res Result) error {
	groupW := len(res.Servers)*barW + groupGap
	width := left*2 + len(res.Cells)*groupW
	height := plotTop + plotH + 66
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", width, height)
	fmt.Fprintf(&b, `<text x="%d" y="18" font-size="13" font-weight="bold">%s</text>`+"\n", left,
		esc("make bench: msg/s per cell, each cell scaled to its fastest server; labels: × "+Baseline+"'s msg/s"))
	x := left
	for i, name := range res.Servers {
		fmt.Fprintf(&b, `<rect x="%d" y="30" width="12" height="12" fill="%s"/><text x="%d" y="40">%s</text>`+"\n",
			x, palette[i%len(palette)], x+16, esc(name))
		x += 24 + 7*len(name)
	}
	base := plotTop + plotH
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333333"/>`+"\n", left, base, width-left, base)
	for g, c := range res.Cells {
		x0 := left + g*groupW + groupGap/2
		best := 0.0
		for _, r := range c.Runs {
			best = max(best, r.PerSec())
		}
		for i, r := range c.Runs {
			bx := x0 + i*barW
			if !r.OK() || best == 0 {
				fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="9" text-anchor="middle" fill="#777777">n/a</text>`+"\n", bx+barW/2, base-4)
				continue
			}
			h := max(1, int(float64(plotH)*r.PerSec()/best+0.5))
			fmt.Fprintf(&b, `<rect class="bar" x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s</title></rect>`+"\n",
				bx+2, base-h, barW-4, h, palette[i%len(palette)], esc(fmt.Sprintf("%s, %s: %s msg/s", res.Servers[i], c.Name(), rate(r.PerSec()))))
			if ratio := res.Ratio(c, i); ratio > 0 {
				fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="9" text-anchor="middle">×%.2f</text>`+"\n", bx+barW/2, base-h-3, ratio)
			}
		}
		mid := x0 + len(c.Runs)*barW/2
		conns, size, _ := strings.Cut(c.Name(), " × ")
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text><text x="%d" y="%d" text-anchor="middle">%s</text>`+"\n",
			mid, base+16, esc(conns), mid, base+30, esc(size))
	}
	if why := absent(res); why != "" {
		fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#555555">%s</text>`+"\n", left, height-8, esc("n/a: "+why))
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// esc escapes s for XML text and attribute values.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// absent says which servers have no bar in some cell, and why, in short:
// "yours not finished (make step12); reference failed or not run in 1 of 8 cells".
func absent(res Result) string {
	var parts []string
	for i, name := range res.Servers {
		failed, unfinished := 0, ""
		for _, c := range res.Cells {
			if r := c.Runs[i]; !r.OK() {
				failed++
				unfinished = r.Unfinished
			}
		}
		switch {
		case failed == 0:
		case unfinished != "":
			parts = append(parts, fmt.Sprintf("%s not finished (%s)", name, unfinished))
		default:
			parts = append(parts, fmt.Sprintf("%s failed or not run in %d of %d cells", name, failed, len(res.Cells)))
		}
	}
	return strings.Join(parts, "; ")
}
