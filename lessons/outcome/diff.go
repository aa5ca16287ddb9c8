package outcome

import "math"

// Figure names one line of a diff.
type Figure string

// The figures of a diff, in the order Diff lists them.
const (
	Acked      Figure = "acked"
	Lost       Figure = "lost"
	Duplicated Figure = "duplicated"
	P99        Figure = "p99"
	Unowned    Figure = "unowned"
)

// Row is one figure of two runs side by side. Differs says the two differ
// at the precision the page shows (whole records, 1 ms, 0.1 s).
type Row struct {
	Figure  Figure
	A, B    float64
	Differs bool
}

// Diff lists the figures of a and b side by side.
func Diff(a, b Outcome) []Row {
	rows := []Row{
		{Figure: Acked, A: float64(a.Acked), B: float64(b.Acked)},
		{Figure: Lost, A: float64(a.Lost), B: float64(b.Lost)},
		{Figure: Duplicated, A: float64(a.Duplicated), B: float64(b.Duplicated)},
		{Figure: P99, A: a.P99MS, B: b.P99MS},
		{Figure: Unowned, A: a.UnownedPartitionS, B: b.UnownedPartitionS},
	}
	for i := range rows {
		r := &rows[i]
		switch r.Figure {
		case P99:
			r.Differs = math.Round(r.A) != math.Round(r.B)
		case Unowned:
			r.Differs = math.Round(r.A*10) != math.Round(r.B*10)
		default:
			r.Differs = r.A != r.B
		}
	}
	return rows
}

// Differing keeps the rows that differ.
func Differing(rows []Row) []Row {
	var out []Row
	for _, r := range rows {
		if r.Differs {
			out = append(out, r)
		}
	}
	return out
}
