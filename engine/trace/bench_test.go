package trace

import (
	"encoding/json"
	"testing"
	"time"
)

// leaderEvent is shaped like the broker's leader change: the commonest
// event with a slice, a message and several numbers in Data.
func leaderEvent() Event {
	return Event{
		Kind: "became_leader", Node: "broker-2", Topic: "orders", Partition: P(3),
		Msg:  "broker 2 is now the leader of orders-3 at epoch 4; followers fetch from it",
		Data: map[string]any{"leader_epoch": int32(4), "leo": int64(1832), "hwm": int64(1790), "isr": []int32{2, 1, 3}},
	}
}

// emitJSON is Emit as it was before encode.go: json.Marshal per event.
func emitJSON(t *Trace, e Event) {
	t.seq++
	e.Seq = t.seq
	e.TimeUS = int64(t.now() / time.Microsecond)
	line, err := json.Marshal(e)
	if err != nil {
		panic("trace: event not encodable: " + err.Error())
	}
	t.h.Write(line)
	t.h.Write([]byte{'\n'})
	if len(t.ring) < t.cap {
		t.ring = append(t.ring, e)
	} else {
		t.ring[(t.seq-1)%int64(t.cap)] = e
	}
}

func BenchmarkEmit(b *testing.B) {
	e := leaderEvent()
	for _, bc := range []struct {
		name string
		emit func(*Trace, Event)
	}{{"json.Marshal", emitJSON}, {"encoder", (*Trace).Emit}} {
		b.Run(bc.name, func(b *testing.B) {
			now := time.Duration(0)
			tr := New(func() time.Duration { return now })
			tr.cap = 1024 // keep the ring warm; growing it is not what is measured
			b.ReportAllocs()
			for b.Loop() {
				now += time.Millisecond
				bc.emit(tr, e)
			}
		})
	}
}
