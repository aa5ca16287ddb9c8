package lessons

import (
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

func init() { moreCases = append(moreCases, outsideCases) }

// kcatSession: a client produced to greetings on broker 1 (epoch 0), saw
// its leader die, and produced more at epoch 1 on broker 2; a second
// connection fetched.
func kcatSession() view.Snapshot {
	return view.Snapshot{Outside: []view.OutsideClientSnapshot{
		{Node: "client-c1", Broker: 1, State: "reset", Requests: map[string]int64{"Produce": 4},
			Produced: map[string]int64{"greetings-0": 5}, ProducedEpoch: map[string]int32{"greetings-0": 0}, Errors: map[string]int64{"NETWORK_EXCEPTION": 1}},
		{Node: "client-c2", Broker: 2, State: "open", Requests: map[string]int64{"Produce": 2, "Fetch": 3},
			Produced: map[string]int64{"greetings-0": 3, "greetings-extra-0": 9}, ProducedEpoch: map[string]int32{"greetings-0": 1, "greetings-extra-0": 0},
			Fetched: map[string]int64{"greetings-0": 8}},
	}}
}

func outsideCases() []eventCase {
	s, none := kcatSession(), view.Snapshot{}
	return []eventCase{
		{"outside_client", `{"topic":"greetings","produced":3}`, none, nil, false, "no Kafka client has connected from outside yet: start the server with its Kafka listener (make run-kafka) and point your client at it"},
		{"outside_client", `{"topic":"greetings","produced":8}`, s, nil, true, "outside clients: 8 records of greetings acknowledged (want 8)"},
		{"outside_client", `{"topic":"greetings","produced":9}`, s, nil, false, "outside clients: 8 records of greetings acknowledged (want 9)"},
		{"outside_client", `{"topic":"greetings","produced":3,"min_leader_epoch":1}`, s, nil, true, "outside clients: 3 records of greetings acknowledged by a leader in epoch 1 or later (want 3)"},
		{"outside_client", `{"topic":"greetings","produced":4,"min_leader_epoch":1}`, s, nil, false, "outside clients: 3 records of greetings acknowledged by a leader in epoch 1 or later (want 4)"},
		{"outside_client", `{"topic":"greetings","fetched":8,"error":"NETWORK_EXCEPTION"}`, s, nil, true, "outside clients: 8 records of greetings fetched (want 8); NETWORK_EXCEPTION in 1 answer"},
		{"outside_client", `{"topic":"greetings-extra","fetched":1}`, s, nil, false, "outside clients: 0 records of greetings-extra fetched (want 1)"},
	}
}

func TestOutsidePredicates(t *testing.T) { runCases(t, outsideCases()) }

func TestOutsidePredicateParams(t *testing.T) {
	for _, c := range []struct{ check, params, err string }{
		{"outside_client", `{"topic":"t"}`, `set "produced", "fetched" or "error"`},
		{"outside_client", `{"produced":1}`, `missing "topic"`},
		{"outside_client", `{"topic":"t","fetched":-1}`, `"produced", "fetched" and "min_leader_epoch" must not be negative`},
	} {
		_, err := LookupPredicate(c.check).ParseParams([]byte(c.params))
		if err == nil || err.Error() != c.err {
			t.Errorf("%s %s: error %v, want %q", c.check, c.params, err, c.err)
		}
	}
}
