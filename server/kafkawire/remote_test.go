package kafkawire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/twmb/franz-go/pkg/kgo"
)

// TestRemoteEngine: the engine API of the live cluster over HTTP, as an
// attached page uses it: the snapshot shows a real client's records on the
// leader's log, apply crashes the leader (and is journaled), advance runs
// nothing and open keeps the server's cluster.
func TestRemoteEngine(t *testing.T) {
	s, e, journal := startAt(t, "", 5)
	web := httptest.NewServer(e.Handler())
	t.Cleanup(web.Close)
	call := func(req string) (result json.RawMessage, err *contract.Error) {
		t.Helper()
		resp, herr := http.Post(web.URL, "application/json", strings.NewReader(req))
		if herr != nil {
			t.Fatal(herr)
		}
		defer resp.Body.Close()
		var reply contract.Reply
		if derr := json.NewDecoder(resp.Body).Decode(&reply); derr != nil {
			t.Fatal(derr)
		}
		return reply.Result, reply.Error
	}

	p := client(t, s, kgo.DefaultProduceTopic("watched"), kgo.ProducerBatchCompression(kgo.NoCompression()))
	createTopic(t, p, "watched", 1, 3, nil)
	if err := p.ProduceSync(ctx(t), &kgo.Record{Value: []byte("from a real client")}).FirstErr(); err != nil {
		t.Fatal(err)
	}
	snap, cerr := call(`{"method":"snapshot","params":{"records":true,"topics":["watched"]}}`)
	if cerr != nil || !bytes.Contains(snap, []byte(`"from a real client"`)) {
		t.Fatalf("the snapshot does not show the client's record: %v %.400s", cerr, snap)
	}
	leader := leaderOf(e, "watched", 0)
	if _, cerr := call(fmt.Sprintf(`{"method":"apply","params":{"commands":[{"op":"broker_crash","broker":%d}]}}`, leader)); cerr != nil {
		t.Fatalf("apply: %v", cerr)
	}
	if !bytes.Contains(journal.Bytes(), []byte(`"op":"apply"`)) {
		t.Fatal("the crash from the page is not in the journal")
	}
	if _, cerr := call(`{"method":"advance","params":{"by":"10s"}}`); cerr != nil {
		t.Fatalf("advance: %v", cerr)
	}
	// Another origin's page cannot drive it.
	cross, _ := http.NewRequest(http.MethodPost, web.URL, strings.NewReader(`{"method":"apply","params":{"commands":[{"op":"heal"}]}}`))
	cross.Header.Set("Content-Type", "application/json")
	cross.Header.Set("Origin", "https://example.com")
	if resp, err := http.DefaultClient.Do(cross); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a request from another origin: %v %v", err, resp)
	}
	if resp, err := http.Post(web.URL, "text/plain", strings.NewReader(`{"method":"snapshot"}`)); err != nil || resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Fatalf("a text/plain request (no CORS preflight): %v %v", err, resp)
	}
	if _, cerr := call(`{"method":"open","params":{"seed":1,"cluster":{"brokers":1,"controllers":1}}}`); cerr != nil {
		t.Fatalf("open: %v", cerr)
	}
	if snap, _ := call(`{"method":"snapshot","params":{"topics":["watched"]}}`); !bytes.Contains(snap, []byte(`"name":"watched"`)) {
		t.Fatalf("open replaced the server's cluster: %.300s", snap)
	}
	// The client carries on with the new leader.
	if err := p.ProduceSync(ctx(t), &kgo.Record{Value: []byte("after the crash")}).FirstErr(); err != nil {
		t.Fatal(err)
	}
	if now := leaderOf(e, "watched", 0); now == leader || now < 1 {
		t.Fatalf("leader %d after crashing %d", now, leader)
	}
}
