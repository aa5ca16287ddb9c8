package scenario

import "sort"

// opSpec is everything this package knows about one op: the fields a step
// may give (besides "at" and "op") and which it must, what ParseCommand
// checks without engine state, what State.Check refuses against the names
// declared so far, and what State.Note records once it runs. A nil function
// checks or records nothing.
type opSpec struct {
	allowed, required []string
	validate          func(c *Command) error          // after the checks every op shares (Command.validate)
	check             func(s *State, c Command) error // State.Check
	note              func(s *State, c Command)       // State.Note
}

// ops is every op a scenario step or an apply request may name. The
// functions live in the file of their concern (state.go for topics,
// clients, brokers, controllers and the network; ops_groups.go,
// ops_disk.go, ops_storage.go); engine/cluster's opExecutors runs each op.
// The order of allowed is the order error messages list the fields in.
var ops = map[string]opSpec{
	// Topics and producers.
	"create_topic":   {allowed: []string{"topic", "partitions", "replication_factor", "configs"}, required: []string{"topic"}, check: checkCreateTopic, note: noteCreateTopic},
	"delete_topic":   {allowed: []string{"topic"}, required: []string{"topic"}, check: checkDeleteTopic, note: noteDeleteTopic},
	"producer_start": {allowed: []string{"producer", "configs"}, required: []string{"producer"}, check: checkProducerStart, note: noteProducerStart},
	"produce":        {allowed: []string{"producer", "topic", "partition", "key", "value", "headers", "count", "rate"}, required: []string{"producer", "topic"}, check: checkProduce},
	"producer_flush": {allowed: []string{"producer"}, required: []string{"producer"}, check: checkProducer},
	"producer_close": {allowed: []string{"producer"}, required: []string{"producer"}, check: checkProducer},

	// A transactional producer's calls (ops_txn.go).
	"init_transactions":  {allowed: []string{"producer"}, required: []string{"producer"}, check: checkProducer},
	"begin_transaction":  {allowed: []string{"producer"}, required: []string{"producer"}, check: checkProducer},
	"send_offsets":       {allowed: []string{"producer", "group", "topic", "partition", "offset"}, required: []string{"producer", "group", "topic", "partition", "offset"}, check: checkSendOffsets},
	"commit_transaction": {allowed: []string{"producer"}, required: []string{"producer"}, check: checkProducer},
	"abort_transaction":  {allowed: []string{"producer"}, required: []string{"producer"}, check: checkProducer},

	// Consumers and consumer groups (ops_groups.go).
	"consumer_start": {allowed: []string{"consumer", "topics", "configs", "delay", "mode", "topic", "group", "process", "max_records", "commit", "on_revoked"}, required: []string{"consumer", "topics"},
		validate: validateConsumerStart, check: checkConsumerStart, note: noteConsumerStart},
	"consumer_close": {allowed: []string{"consumer", "mode"}, required: []string{"consumer"}, check: checkConsumerClose, note: noteConsumerGone},
	"consumer_crash": {allowed: []string{"consumer", "mode"}, required: []string{"consumer"}, check: checkConsumerCrash, note: noteConsumerGone},
	"commit":         {allowed: []string{"consumer", "mode", "commit"}, required: []string{"consumer"}, check: checkCommit},
	"subscribe":      {allowed: []string{"consumer", "topics"}, required: []string{"consumer", "topics"}, check: checkSubscribe},
	"add_partitions": {allowed: []string{"topic", "partitions"}, required: []string{"topic", "partitions"}, check: checkAddPartitions, note: noteAddPartitions},

	// Share groups, KIP-932 (ops_share.go); consumer_close and consumer_crash stop share consumers too.
	"share_consumer_start": {allowed: []string{"consumer", "group", "topics", "configs", "process", "max_records", "poison", "on_poison", "renew"}, required: []string{"consumer", "group", "topics"},
		validate: validateShareConsumerStart, check: checkShareConsumerStart, note: noteConsumerStart},

	// Storage (ops_storage.go).
	"offsets_for_times": {allowed: []string{"consumer", "topic", "partition", "timestamp"}, required: []string{"topic", "timestamp"}, check: checkOffsetsForTimes},

	// Brokers, disks and controllers.
	"broker_crash":       {allowed: []string{"broker", "mode"}, required: []string{"broker"}, validate: validateBrokerCrash, check: checkBroker},
	"broker_restart":     {allowed: []string{"broker"}, required: []string{"broker"}, check: checkBroker},
	"broker_pause":       {allowed: []string{"broker"}, required: []string{"broker"}, check: checkBroker},
	"broker_resume":      {allowed: []string{"broker"}, required: []string{"broker"}, check: checkBroker},
	"disk_fault":         {allowed: []string{"broker", "mode", "file", "size"}, required: []string{"broker"}, check: checkDiskFault}, // ops_disk.go
	"preferred_election": {allowed: []string{"topic"}, check: checkPreferredElection},
	"controller_crash":   {allowed: []string{"controller"}, check: checkController},
	"controller_restart": {allowed: []string{"controller"}, check: checkController},
	"update_features":    {allowed: []string{"feature", "level"}, required: []string{"feature", "level"}, validate: validateUpdateFeatures}, // ops_features.go

	// The network.
	"network_partition": {allowed: []string{"groups", "isolate"}, validate: validateNetworkPartition, check: checkNetworkPartition},
	"link_fault":        {allowed: []string{"from", "to", "delay", "drop"}, required: []string{"from", "to"}, check: checkLinkFault},
	"heal":              {},

	// Outside Kafka clients' connections and requests (ops_clients.go).
	"client_connect": {allowed: []string{"node", "broker"}, required: []string{"node", "broker"}, validate: validateClientNode},
	"client_request": {allowed: []string{"node", "api", "request"}, required: []string{"node", "api", "request"}, validate: validateClientRequest},
	"client_close":   {allowed: []string{"node"}, required: []string{"node"}, validate: validateClientNode},

	// The scenario itself.
	"note": {allowed: []string{"note"}, required: []string{"note"}},
	"end":  {},
}

// Ops lists the known ops, sorted.
func Ops() []string {
	out := make([]string, 0, len(ops))
	for k := range ops {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
