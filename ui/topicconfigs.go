package ui

import (
	"sort"
	"strings"
)

// TopicConfigLine is one topic's explicit configs as the cluster view lists
// them under its diagram.
type TopicConfigLine struct {
	Topic string
	Items []TopicConfigItem
}

// TopicConfigItem is one "name=value", with a note when the value is
// playground scale rather than something to copy to production.
type TopicConfigItem struct {
	Text, Note string
}

// scaleNotes name the settings shown with a note next to their value:
// Kafka's internal internal.segment.bytes (no minimum, used by Kafka's own
// tests) stands in for segment.bytes, which Kafka 4.x keeps at ≥ 1 MiB.
var scaleNotes = map[string]string{"internal.segment.bytes": "config.scale.segment"}

// topicConfigLines lists the explicit configs of the topics the view shows
// (internal topics only when they are shown), topics and names sorted.
func (a *App) topicConfigLines() []TopicConfigLine {
	var out []TopicConfigLine
	for _, t := range a.F.Snap.Topics {
		if len(t.Configs) == 0 || internalTopic(t.Name) && !a.Window.Internal {
			continue
		}
		names := make([]string, 0, len(t.Configs))
		for k := range t.Configs {
			names = append(names, k)
		}
		sort.Strings(names)
		line := TopicConfigLine{Topic: t.Name}
		for _, k := range names {
			it := TopicConfigItem{Text: k + "=" + t.Configs[k]}
			if id, ok := scaleNotes[k]; ok {
				it.Note = T(id)
			}
			line.Items = append(line.Items, it)
		}
		out = append(out, line)
	}
	sort.Slice(out, func(i, j int) bool { return strings.Compare(out[i].Topic, out[j].Topic) < 0 })
	return out
}
