package bench

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/wsfromtcp/workshop/tools/bench/internal/masks"
)

// masking builds each masking command cfg picks, then runs them in turn,
// Rounds times, each for cfg.Time/2/Rounds a size, and keeps each one's
// best time per size, as Measure does for the echo servers.
func masking(ctx context.Context, cfg Config, dir string, progress io.Writer) Masking {
	var m Masking
	for _, size := range cfg.Masks {
		m.Rows = append(m.Rows, MaskRow{Size: size})
	}
	sizes := make([]string, len(cfg.Masks))
	for i, s := range cfg.Masks {
		sizes[i] = strconv.Itoa(s)
	}
	bins, errs := map[string]string{}, map[string]error{}
	best := map[string]map[int]float64{}
	impls := cfg.Pick(Masks)
	for _, s := range impls {
		fmt.Fprintf(progress, "masking: building %s\n", s.Pkg)
		m.Impls = append(m.Impls, s.Name)
		bins[s.Name], errs[s.Name] = build(ctx, cfg.Root, dir, s)
		best[s.Name] = map[int]float64{}
	}
	for range Rounds {
		for _, s := range impls {
			if errs[s.Name] != nil || ctx.Err() != nil {
				continue
			}
			ns, err := timeMasking(ctx, bins[s.Name], strings.Join(sizes, ","), cfg.Time/2/Rounds)
			if err != nil {
				errs[s.Name] = err
			}
			for size, t := range ns {
				if b := best[s.Name][size]; b == 0 || t < b {
					best[s.Name][size] = t
				}
			}
		}
	}
	for i := range m.Rows {
		for _, s := range impls {
			r := MaskRun{NsPerOp: best[s.Name][m.Rows[i].Size]}
			if err := errs[s.Name]; err != nil {
				r = MaskRun{Err: err.Error(), Unfinished: s.Unfinished}
			}
			m.Rows[i].Runs = append(m.Rows[i].Runs, r)
		}
	}
	return m
}

// timeMasking runs masking command bin, and returns its time per masking
// for each size.
func timeMasking(ctx context.Context, bin string, sizes string, d time.Duration) (map[int]float64, error) {
	p, err := start(bin, "-sizes", sizes, "-time", d.String())
	if err != nil {
		return nil, err
	}
	defer p.kill()
	ns := map[int]float64{}
	for n := strings.Count(sizes, ",") + 1; len(ns) < n; {
		l, err := p.line(ctx, startPatience+2*d)
		if err != nil {
			return nil, err
		}
		var size int
		var t float64
		if _, err := fmt.Sscanf(l+"\n", masks.LineFormat, &size, &t); err != nil {
			return nil, fmt.Errorf("%s said %q, not %q", bin, l, masks.LineFormat)
		}
		ns[size] = t
	}
	return ns, nil
}
