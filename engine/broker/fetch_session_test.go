package broker

import (
	"fmt"
	"testing"

	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// A follower's side of a fetch session (Kafka's FetchSessionHandler): the
// first fetch is full, the next ones list only the partitions whose
// position changed and forget the ones no longer followed; an error makes
// the next fetch full again, FETCH_SESSION_ID_NOT_FOUND with a new id.
func TestFollowerFetchSession(t *testing.T) {
	store := log.NewMemStore()
	replica := func(topic string, p int32) *Replica {
		l, _, err := log.Open(store, fmt.Sprintf("%s-%d", topic, p), log.DefaultConfig(), 0)
		if err != nil {
			t.Fatal(err)
		}
		return &Replica{TP: names.TopicPartition{Topic: topic, Partition: p}, log: l, LeaderEpoch: 3}
	}
	a0, a1, b0 := replica("a", 0), replica("a", 1), replica("b", 0)
	f := &fetcher{}
	fetch := func(follow ...*Replica) (string, []proto.FetchTopicForgotten) {
		f.follow = follow
		fs := &proto.FetchSession{ID: f.sessionID, Epoch: f.sessionEpoch}
		_, topics := f.sessionRequest(fs, nil, nil)
		got := fmt.Sprintf("epoch %d:", fs.Epoch)
		for _, tp := range topics {
			for _, p := range tp.Partitions {
				got += fmt.Sprintf(" %s-%d@%d", tp.Name, p.Index, p.FetchOffset)
			}
		}
		return got, fs.Forgotten
	}
	expect := func(got, want string) {
		t.Helper()
		if got != want {
			t.Fatalf("fetch: %s, want %s", got, want)
		}
	}

	got, _ := fetch(a0, a1, b0)
	expect(got, "epoch 0: a-0@0 a-1@0 b-0@0") // full: opens a session
	if !f.sessionAnswered(&proto.FetchSessionAnswer{ID: 7}) || f.sessionID != 7 || f.sessionEpoch != 1 {
		t.Fatalf("after the full fetch's answer: session %d epoch %d, want 7 and 1", f.sessionID, f.sessionEpoch)
	}
	got, _ = fetch(a0, a1, b0)
	expect(got, "epoch 1:") // nothing moved: an empty incremental fetch
	f.sessionAnswered(&proto.FetchSessionAnswer{ID: 7})

	a1.LeaderEpoch = 4 // a-1's leader epoch moved: only it is sent; b-0 is no longer followed
	got, forgotten := fetch(a0, a1)
	expect(got, "epoch 2: a-1@0")
	if len(forgotten) != 1 || forgotten[0].Name != "b" || len(forgotten[0].Partitions) != 1 || forgotten[0].Partitions[0] != 0 {
		t.Fatalf("forgotten %+v, want b-0", forgotten)
	}
	f.sessionAnswered(&proto.FetchSessionAnswer{ID: 7})

	got, _ = fetch(a0, a1, b0) // b-0 comes back: sent again
	expect(got, "epoch 3: b-0@0")

	// INVALID_FETCH_SESSION_EPOCH: the same session is closed and a new one
	// opened by a full fetch; FETCH_SESSION_ID_NOT_FOUND: a new session.
	if f.sessionAnswered(&proto.FetchSessionAnswer{ErrorCode: proto.InvalidFetchSessionEpoch}) {
		t.Fatal("a session error was taken as an answer")
	}
	got, _ = fetch(a0, a1, b0)
	expect(got, "epoch 0: a-0@0 a-1@0 b-0@0")
	if f.sessionID != 7 {
		t.Fatalf("after INVALID_FETCH_SESSION_EPOCH the full fetch names session %d, want 7 (to close it)", f.sessionID)
	}
	f.sessionAnswered(&proto.FetchSessionAnswer{ErrorCode: proto.FetchSessionIDNotFound})
	if f.sessionID != 0 || f.sessionEpoch != 0 {
		t.Fatalf("after FETCH_SESSION_ID_NOT_FOUND: session %d epoch %d, want 0 and 0", f.sessionID, f.sessionEpoch)
	}
	// A leader that opened no session (its cache is full) answers id 0:
	// the fetches stay full.
	f.sessionAnswered(&proto.FetchSessionAnswer{})
	got, _ = fetch(a0, a1, b0)
	expect(got, "epoch 0: a-0@0 a-1@0 b-0@0")
}
