package dashboard

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"time"
)

// Export writes every learner's row at now to prefix.csv and prefix.json,
// so that the instructor keeps a record of the class. The CSV has a header
// line; the JSON is {"exported": time, "learners": [rows]}.
func (r *Room) Export(prefix string, now time.Time) error {
	rows := r.Rows(now)
	data, err := json.MarshalIndent(struct {
		Exported time.Time `json:"exported"`
		Learners []Row     `json:"learners"`
	}{now.UTC(), rows}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(prefix+".json", append(data, '\n'), 0o644); err != nil {
		return err
	}
	f, err := os.Create(prefix + ".csv")
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"name", "step", "passed", "total", "first failing check", "seconds on step", "hints", "grades on the same failing check", "stuck"})
	for _, row := range rows {
		_ = w.Write([]string{cell(row.Name), strconv.Itoa(row.Step), strconv.Itoa(row.Passed), strconv.Itoa(row.Total),
			cell(row.Failing), strconv.Itoa(row.OnStep), strconv.Itoa(row.Hints), strconv.Itoa(row.Streak), row.Stuck})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// cell keeps a learner's text from being read as a formula by a
// spreadsheet that opens the CSV: one that starts with =, +, - or @ gets a
// leading apostrophe.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
