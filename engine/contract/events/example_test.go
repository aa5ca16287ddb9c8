package events_test

import (
	"encoding/json"
	"fmt"

	"github.com/brokerlab/brokerlab/engine/contract/events"
	"github.com/brokerlab/brokerlab/engine/view"
)

// An event read from the API: its data is JSON decoded into a map, and
// Data turns it into the kind's type.
func ExampleData() {
	line := `{"seq":7,"t_us":2100000,"kind":"leader_elected","node":"controller-1","topic":"orders","partition":0,` +
		`"msg":"broker 2 leads orders-0","data":{"isr":[2,3],"leader":2,"leader_epoch":1,"previous_leader":1,"unclean":false}}`
	var e view.Event
	if err := json.Unmarshal([]byte(line), &e); err != nil {
		panic(err)
	}
	d, err := events.Data[events.PartitionChange](e)
	if err != nil {
		panic(err)
	}
	k, _ := events.Lookup(e.Kind)
	fmt.Println(k.Doc)
	fmt.Printf("leader %d → %d in epoch %d, ISR %v\n", d.PreviousLeader, d.Leader, d.LeaderEpoch, d.ISR)
	// Output:
	// The controller elected a new partition leader.
	// leader 1 → 2 in epoch 1, ISR [2 3]
}
