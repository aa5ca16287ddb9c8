package ui

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

// TestISRNamesAreNotCut: the strips started at a fixed 84 units, so
// "ledger-safe-0" (13 characters of 11 px monospace) was drawn under them
// as "ledger-safe-(".
func TestISRNamesAreNotCut(t *testing.T) {
	var h ISRHistory
	for _, topic := range []string{"ledger-safe", "a-rather-long-topic-name-for-payments"} {
		h.Add(view.Snapshot{TimeUS: 1_000_000, Partitions: []view.PartitionState{{Topic: topic, Partition: 0, Leader: 1, ISR: []int32{1},
			Replicas: []view.ReplicaSnapshot{{Broker: 1}}}}})
	}
	svg, w, _ := h.SVG(2_000_000)
	bg := regexp.MustCompile(`<rect class="ibg" x="(\d+)"`).FindStringSubmatch(svg)
	if bg == nil {
		t.Fatalf("no strip in %s", svg)
	}
	x, _ := strconv.Atoi(bg[1])
	// The longest name drawn is cut to isrNameMax characters.
	if need := isrCharW * isrNameMax; x < need {
		t.Errorf("the strips start at x=%d, before the end of a %d-character name (%d)", x, isrNameMax, need)
	}
	if !strings.Contains(svg, ">ledger-safe-0<title>") || !strings.Contains(svg, "…<title>a-rather-long-topic-name-for-payments-0</title>") {
		t.Errorf("names not drawn whole (or cut with their full name as the title): %s", svg)
	}
	if w != x+isrStripW+8 {
		t.Errorf("width %d, want %d", w, x+isrStripW+8)
	}
}

// TestHistogramLabelsFit: the first label ("≤128") is centred under a bar
// at x=bw/2 and used to be cut by the left edge of the <svg>.
func TestHistogramLabelsFit(t *testing.T) {
	var hs []view.HistogramBucket
	for le := int64(128); le <= 1<<20; le *= 2 {
		hs = append(hs, view.HistogramBucket{LE: le, Count: 1})
	}
	hs = append(hs, view.HistogramBucket{LE: -1, Count: 1})
	var b strings.Builder
	histogram(&b, hs)
	vb := regexp.MustCompile(`viewBox="(-?\d+) 0 (\d+) `).FindStringSubmatch(b.String())
	if vb == nil {
		t.Fatal("no viewBox")
	}
	left, width := atoiT(t, vb[1]), atoiT(t, vb[2])
	for _, m := range regexp.MustCompile(`<text class="hl" x="(\d+)" y="\d+">([^<]+)</text>`).FindAllStringSubmatch(b.String(), -1) {
		x, half := atoiT(t, m[1]), len([]rune(m[2]))*5/2 // 8 px text: about 5 units a character
		if x-half < left || x+half > left+width {
			t.Errorf("label %q at x=%d spans %d..%d, outside the view %d..%d", m[2], x, x-half, x+half, left, left+width)
		}
	}
}

func atoiT(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
