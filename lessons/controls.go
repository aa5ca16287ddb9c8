package lessons

import "slices"

// controls are the UI controls a step may enable. The UI shows only the
// enabled ones; the names are the contract between lessons and the UI.
var controls = []string{
	"play",               // run virtual time
	"step",               // run to the next event
	"speed",              // change the playback speed
	"produce",            // send records from a running producer
	"inspect_record",     // open a record: key, value, headers, timestamp, offset
	"create_topic",       // create a topic
	"add_partitions",     // add partitions to a topic
	"producer_start",     // start a producer with configs
	"producer_flush",     // flush a producer
	"producer_close",     // close a producer
	"transaction",        // a transactional producer's calls: init, begin, send offsets, commit, abort
	"consumer_start",     // start a consumer
	"consumer_close",     // close a consumer
	"crash_consumer",     // kill a consumer (now, before its commit or before processing)
	"subscribe",          // change a consumer's subscription
	"commit",             // commit a consumer's offsets (commitSync or commitAsync)
	"crash_broker",       // kill a broker (process or power loss)
	"restart_broker",     // restart a crashed broker
	"disk_fault",         // tear the last write of a stopped broker's segments
	"pause_broker",       // freeze a broker process (SIGSTOP) and resume it
	"preferred_election", // move leadership back to preferred replicas
	"update_features",    // finalize eligible.leader.replicas.version at 0 or 1 (kafka-features.sh)
	"crash_controller",   // stop the KRaft controller
	"restart_controller", // restart the KRaft controller
	"partition_network",  // split the network
	"link_fault",         // slow down or drop a link
	"heal",               // heal every network fault

	"share_consumer_start", // start a share consumer (KIP-932 share group)
	"delete_topic",         // delete a topic
	"outside_client",       // a real Kafka client outside the page (kcat, your code; server -kafka)
}

// Controls lists the known UI control names.
func Controls() []string { return slices.Clone(controls) }

func knownControl(name string) bool { return slices.Contains(controls, name) }

// opControls maps each scenario op to the control a learner uses for it;
// ops without one ("note", "end") are not the learner's to run.
var opControls = map[string]string{
	"create_topic":       "create_topic",
	"delete_topic":       "delete_topic",
	"add_partitions":     "add_partitions",
	"producer_start":     "producer_start",
	"produce":            "produce",
	"producer_flush":     "producer_flush",
	"producer_close":     "producer_close",
	"init_transactions":  "transaction",
	"begin_transaction":  "transaction",
	"send_offsets":       "transaction",
	"commit_transaction": "transaction",
	"abort_transaction":  "transaction",
	"consumer_start":     "consumer_start",
	"consumer_close":     "consumer_close",
	"consumer_crash":     "crash_consumer",
	"subscribe":          "subscribe",
	"commit":             "commit",
	"broker_crash":       "crash_broker",
	"broker_restart":     "restart_broker",
	"disk_fault":         "disk_fault",
	"broker_pause":       "pause_broker",
	"broker_resume":      "pause_broker",
	"preferred_election": "preferred_election",
	"update_features":    "update_features",
	"controller_crash":   "crash_controller",
	"controller_restart": "restart_controller",
	"network_partition":  "partition_network",
	"link_fault":         "link_fault",
	"heal":               "heal",

	"share_consumer_start": "share_consumer_start",

	// A recorded session of real Kafka clients (server -kafka -export).
	"client_connect": "outside_client",
	"client_request": "outside_client",
	"client_close":   "outside_client",
}

// ControlFor returns the control that runs a scenario op, if there is one.
func ControlFor(op string) (string, bool) {
	c, ok := opControls[op]
	return c, ok
}
