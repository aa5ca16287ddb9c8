package ui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

var tags = regexp.MustCompile(`<[^>]*>`)

// TestPanelsSpeakKorean: with the interface in Korean, the cluster view's
// voters and controller, the ISR panel, the accumulator, the group panel
// and the plot scale carry no English of their own (the e2e TestKoreanDOM
// checks the whole page).
func TestPanelsSpeakKorean(t *testing.T) {
	defer func(l string) { Locale = l }(Locale)
	Locale = "ko"
	s := quorumSnap()
	quorum := Layout(s, Window{Follow: true}).SVG("")
	s = snap3()
	s.Controller = view.ControllerSnapshot{ID: 1, State: "active", Epoch: 4, MetadataOffset: 41}
	single := Layout(s, Window{Follow: true}).SVG("")
	var h ISRHistory
	h.Add(isrSnap(0, 1, 0, 1, 2, 3))
	h.Add(isrSnap(1_000_000, -1, 0, 1, 2))
	isr, _, _ := h.SVG(2_000_000)
	accum := AccumulatorHTML(producerSnap())
	groups := GroupsHTML([]view.GroupSnapshot{{GroupID: "g1", State: "Unknown", Coordinator: -1, Generation: -1}})
	plot := Tf("plot.scale", 1000, 5)
	for _, c := range []struct{ name, markup string }{
		{"quorum", quorum}, {"controller", single}, {"isr", isr}, {"accumulator", accum}, {"groups", groups}, {"plot", plot},
	} {
		text := tags.ReplaceAllString(c.markup, "|") // classes and ids are not text
		for _, en := range []string{"|now|", "from ", " of ", "buffer", "records,", "sendable", "base sequence", "attempt",
			"follower", "unattached", "|down|", "cut off", "active ·", "no leader", "|more", "Unknown", "lag 0", "|linger "} {
			if strings.Contains(text, en) {
				t.Errorf("%s in Korean still says %q", c.name, en)
			}
		}
	}
	for _, want := range []string{"팔로워 · 에포크 4", "활성 · 메타 41", "지금", "버퍼 12.0 KB / 32.0 MB", "알 수 없음"} {
		if !strings.Contains(quorum+single+isr+accum+groups, want) {
			t.Errorf("Korean panels lack %q", want)
		}
	}
}
