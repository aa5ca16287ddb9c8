package contract

import (
	"reflect"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

// TestRawEventIsViewEvent: RawEvent reads the very fields view.Event
// writes, with the same JSON names and options, only its data left raw.
func TestRawEventIsViewEvent(t *testing.T) {
	tags := func(v any) map[string]string {
		out := map[string]string{}
		ty := reflect.TypeOf(v)
		for i := 0; i < ty.NumField(); i++ {
			if tag := ty.Field(i).Tag.Get("json"); tag != "" && tag != "-" {
				out[ty.Field(i).Name] = tag
			}
		}
		return out
	}
	if raw, ev := tags(RawEvent{}), tags(view.Event{}); !reflect.DeepEqual(raw, ev) {
		t.Errorf("RawEvent's fields %v differ from view.Event's %v", raw, ev)
	}
}
