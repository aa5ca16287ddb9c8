package cluster

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/trace"
)

// opExecutors runs each op of engine/scenario's op table (scenario.Ops),
// once the command has passed its State.Check; each executor lives in the
// file of its concern. An op missing here does nothing (a test keeps the
// two tables naming the same ops).
var opExecutors = map[string]func(c *Cluster, cmd scenario.Command){
	// Topics and producers: ops_admin.go, ops_producers.go, produce.go.
	"create_topic":   (*Cluster).createTopic,
	"delete_topic":   (*Cluster).deleteTopic,
	"producer_start": (*Cluster).producerStart,
	"produce":        (*Cluster).produce,
	"producer_flush": (*Cluster).producerFlush,
	"producer_close": (*Cluster).producerClose,

	// A transactional producer's calls: ops_txn.go.
	"init_transactions":  (*Cluster).initTransactions,
	"begin_transaction":  (*Cluster).beginTransaction,
	"send_offsets":       (*Cluster).sendOffsets,
	"commit_transaction": (*Cluster).commitTransaction,
	"abort_transaction":  (*Cluster).abortTransaction,

	// Consumers and consumer groups: ops_groups.go.
	"consumer_start": (*Cluster).consumerStart,
	"consumer_close": (*Cluster).consumerClose,
	"consumer_crash": (*Cluster).consumerCrash,
	"commit":         (*Cluster).commit,
	"subscribe":      (*Cluster).subscribe,
	"add_partitions": (*Cluster).addPartitions,

	// Share groups: ops_share.go.
	"share_consumer_start": (*Cluster).shareConsumerStart,

	// Storage: ops_storage.go.
	"offsets_for_times": offsetsForTimes,

	// Brokers, disks and controllers: ops_nodes.go, ops_disk.go, ops_admin.go.
	"broker_crash":       (*Cluster).brokerCrash,
	"broker_restart":     (*Cluster).brokerRestart,
	"broker_pause":       (*Cluster).brokerPause,
	"broker_resume":      (*Cluster).brokerResume,
	"disk_fault":         diskFault,
	"preferred_election": (*Cluster).preferredElection,
	"controller_crash":   (*Cluster).controllerCrash,
	"controller_restart": (*Cluster).controllerRestart,
	"update_features":    (*Cluster).updateFeatures,

	// The network: ops_network.go.
	"network_partition": (*Cluster).partition,
	"link_fault":        (*Cluster).linkFault,
	"heal":              (*Cluster).heal,

	// Outside Kafka clients' connections: ops_clients.go.
	"client_connect": (*Cluster).clientConnect,
	"client_request": (*Cluster).clientRequest,
	"client_close":   (*Cluster).clientClose,

	// The scenario itself: here.
	"note": (*Cluster).note,
	"end":  (*Cluster).end,
}

// Fail records that a command could not run, with the reason.
func (c *Cluster) Fail(cmd scenario.Command, err error) { c.fail(cmd, err) }

func (c *Cluster) fail(cmd scenario.Command, err error) {
	c.Trace.Emit(trace.Event{Kind: "command_failed", Msg: fmt.Sprintf("%s: %v", cmd.Op, err), Data: map[string]any{"op": cmd.Op}})
}

// startRefused records that a producer_start, consumer_start or
// share_consumer_start could not start its client, and forgets the name the
// command's State.Note took unless a client of that name still runs: a
// later op on the name is then refused as on any unknown client, instead of
// reaching a client that is not there.
func (c *Cluster) startRefused(cmd scenario.Command, err error) {
	c.fail(cmd, err)
	if cmd.Op == "producer_start" {
		if c.Producers[cmd.Producer] == nil {
			delete(c.state.Producers, cmd.Producer)
		}
		return
	}
	cs, sc := c.Consumers[cmd.Consumer], c.ShareConsumers[cmd.Consumer]
	if (cs == nil || cs.Stopped()) && (sc == nil || sc.Stopped()) {
		delete(c.state.Consumers, cmd.Consumer)
	}
}

// execute runs one command at the current virtual time.
func (c *Cluster) execute(cmd scenario.Command) {
	if err := c.state.Check(cmd); err != nil {
		c.fail(cmd, err)
		return
	}
	c.state.Note(cmd)
	if run := opExecutors[cmd.Op]; run != nil {
		run(c, cmd)
	}
}

func (c *Cluster) note(cmd scenario.Command) {
	c.Trace.Emit(trace.Event{Kind: "note", Msg: cmd.Note})
}

func (c *Cluster) end(scenario.Command) {
	c.Trace.Emit(trace.Event{Kind: "scenario_end", Msg: "the scenario reached its end"})
}
