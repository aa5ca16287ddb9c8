package config

const maxLong = "9223372036854775807"

// table is every setting the engine models, one line each, grouped by
// scope; defs indexes it by scope and name.
//
// Topic and broker lines carry Kafka 4.3's validators (LogConfig,
// ServerLogConfigs, ReplicationConfigs, KRaftConfigs, CleanerConfig,
// GroupCoordinatorConfig, TransactionLogConfig): Min is atLeast, Min+Max is
// between, Any is "no validator", PlaygroundMin marks the engine's own floor.
var table = []Def{
	// Topic-level (LogConfig). Broker-wide log.* defaults map onto these.
	{Name: "cleanup.policy", Scope: Topic, Type: List, Default: "delete", Enum: []string{"compact", "delete"}, Doc: "delete old segments, compact by key, or both"},
	{Name: "segment.bytes", Scope: Topic, Type: Int, Default: "1073741824", Min: MinSegmentBytes, Doc: "roll a new segment when the active one would exceed this size (at least 1 MiB since Kafka 4.1)"},
	// Kafka's internal (defineInternal) override of segment.bytes, without a
	// minimum: its own tests use it for small segments, and a real 4.3
	// cluster accepts it. The lessons use it for playground-scale segments.
	{Name: InternalSegmentBytes, Scope: Topic, Type: Int, Any: true, Internal: true, Doc: "Kafka's internal test setting: overrides segment.bytes, no minimum (playground scale; in production segment.bytes ≥ 1 MiB)"},
	{Name: "segment.ms", Scope: Topic, Type: Long, Default: "604800000", Min: 1, Doc: "roll a new segment when the active one is this old"},
	{Name: "retention.ms", Scope: Topic, Type: Long, Default: "604800000", Min: -1, Doc: "delete segments whose newest record is older than this (-1: forever)"},
	{Name: "retention.bytes", Scope: Topic, Type: Long, Default: "-1", Any: true, Doc: "delete oldest segments while the partition is larger than this (-1: no limit)"},
	{Name: "min.insync.replicas", Scope: Topic, Type: Int, Default: "1", Min: 1, Doc: "acks=all needs at least this many in-sync replicas"},
	{Name: "unclean.leader.election.enable", Scope: Topic, Type: Bool, Default: "false", Doc: "let an out-of-sync replica become leader (may lose acknowledged records)"},
	{Name: "message.timestamp.type", Scope: Topic, Type: String, Default: "CreateTime", Enum: []string{"CreateTime", "LogAppendTime"}, Doc: "whose clock stamps records: the producer's or the broker's"},
	{Name: "max.message.bytes", Scope: Topic, Type: Int, Default: "1048588", Min: 0, Doc: "largest record batch the broker accepts"},
	{Name: "flush.messages", Scope: Topic, Type: Long, Default: maxLong, Min: 1, Doc: "fsync after this many messages (default: never; Kafka relies on replication)"},
	{Name: "flush.ms", Scope: Topic, Type: Long, Default: maxLong, Min: 0, Doc: "fsync when unflushed data is this old (default: never)"},
	{Name: "delete.retention.ms", Scope: Topic, Type: Long, Default: "86400000", Min: 0, Doc: "how long tombstones survive after compaction"},
	{Name: "min.cleanable.dirty.ratio", Scope: Topic, Type: Double, Default: "0.5", Min: 0, Max: 1, Doc: "compact when this share of the log is dirty"},
	{Name: "min.compaction.lag.ms", Scope: Topic, Type: Long, Default: "0", Min: 0, Doc: "records younger than this are not compacted"},
	{Name: "index.interval.bytes", Scope: Topic, Type: Int, Default: "4096", Min: 0, Doc: "bytes between offset index entries"},

	// Broker-level (KafkaConfig / ServerLogConfigs / ReplicationConfigs).
	{Name: "log.flush.interval.messages", Scope: Broker, Type: Long, Default: maxLong, Min: 1, Doc: "fsync after this many messages (default: never)"},
	{Name: "log.flush.interval.ms", Scope: Broker, Type: Long, Default: maxLong, Min: 0, PlaygroundMin: true, Doc: "fsync when unflushed data is this old (default: never)"},
	{Name: "log.flush.scheduler.interval.ms", Scope: Broker, Type: Long, Default: maxLong, Min: 0, PlaygroundMin: true, Doc: "how often the flusher checks log.flush.interval.ms"},
	{Name: "log.retention.check.interval.ms", Scope: Broker, Type: Long, Default: "300000", Min: 1, Doc: "how often retention runs"},
	{Name: "replica.lag.time.max.ms", Scope: Broker, Type: Long, Default: "30000", Min: 1, PlaygroundMin: true, Doc: "a follower that has not caught up for this long leaves the ISR"},
	{Name: "replica.fetch.wait.max.ms", Scope: Broker, Type: Int, Default: "500", Min: 0, PlaygroundMin: true, Doc: "longest a follower fetch waits for data"},
	{Name: "broker.heartbeat.interval.ms", Scope: Broker, Type: Int, Default: "2000", Min: 1, PlaygroundMin: true, Doc: "how often a broker heartbeats to the controller"},
	{Name: "broker.session.timeout.ms", Scope: Broker, Type: Int, Default: "9000", Min: 1, PlaygroundMin: true, Doc: "a broker silent this long is fenced by the controller"},
	{Name: "num.partitions", Scope: Broker, Type: Int, Default: "1", Min: 1, Doc: "partitions of an auto-created topic"},
	{Name: "default.replication.factor", Scope: Broker, Type: Int, Default: "1", Any: true, Doc: "replication factor of an auto-created topic"},
	{Name: "auto.create.topics.enable", Scope: Broker, Type: Bool, Default: "true", Doc: "create a topic when a client first asks for it"},
	{Name: "min.insync.replicas", Scope: Broker, Type: Int, Default: "1", Min: 1, Doc: "cluster default for topics"},
	{Name: "unclean.leader.election.enable", Scope: Broker, Type: Bool, Default: "false", Doc: "cluster default for topics"},
	{Name: "log.retention.ms", Scope: Broker, Type: Long, Default: "604800000", Any: true, Doc: "cluster default for retention.ms (-1: forever)"},
	{Name: "log.segment.bytes", Scope: Broker, Type: Int, Default: "1073741824", Min: MinSegmentBytes, Doc: "cluster default for segment.bytes (at least 1 MiB since Kafka 4.0)"},
	{Name: "log.retention.bytes", Scope: Broker, Type: Long, Default: "-1", Any: true, Doc: "cluster default for retention.bytes (-1: no limit)"},
	{Name: "log.cleanup.policy", Scope: Broker, Type: List, Default: "delete", Enum: []string{"compact", "delete"}, Doc: "cluster default for cleanup.policy"},
	{Name: "log.cleaner.enable", Scope: Broker, Type: Bool, Default: "true", Doc: "run the log cleaner that compacts topics with cleanup.policy=compact"},
	{Name: "log.cleaner.backoff.ms", Scope: Broker, Type: Long, Default: "15000", Min: 0, Doc: "how long the log cleaner sleeps when no log is dirty enough"},
	{Name: "log.cleaner.min.cleanable.ratio", Scope: Broker, Type: Double, Default: "0.5", Min: 0, Max: 1, Doc: "cluster default for min.cleanable.dirty.ratio"},
	{Name: "log.cleaner.delete.retention.ms", Scope: Broker, Type: Long, Default: "86400000", Min: 0, Doc: "cluster default for delete.retention.ms"},
	{Name: "log.cleaner.min.compaction.lag.ms", Scope: Broker, Type: Long, Default: "0", Min: 0, Doc: "cluster default for min.compaction.lag.ms"},
	{Name: "security.inter.broker.protocol", Scope: Broker, Type: String, Default: "PLAINTEXT", Enum: []string{"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"}, Doc: "protocol brokers replicate over; SSL turns off zero-copy for follower fetches"},
	// PLAYGROUND-ONLY: not a Kafka setting. Real brokers take the protocol
	// from the listener a client connects to (listeners,
	// listener.security.protocol.map); one switch stands for that here.
	{Name: "playground.listener.security.protocol", Scope: Broker, Type: String, Default: "PLAINTEXT", Enum: []string{"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"}, Doc: "playground-only (not a Kafka config): the protocol of the listener clients use; SSL/SASL_SSL turn off zero-copy (sendfile)"},

	// Producer (ProducerConfig).
	{Name: "acks", Scope: Producer, Type: String, Default: "all", Enum: []string{"0", "1", "all", "-1"}, Doc: "how many replicas must have a record before it counts as sent"},
	{Name: "linger.ms", Scope: Producer, Type: Long, Default: "5", Min: 0, Doc: "wait this long for more records before sending a batch"},
	{Name: "batch.size", Scope: Producer, Type: Int, Default: "16384", Min: 0, Doc: "target bytes per partition batch"},
	{Name: "buffer.memory", Scope: Producer, Type: Long, Default: "33554432", Min: 0, Doc: "bytes of records waiting to be sent before send() blocks"},
	{Name: "max.block.ms", Scope: Producer, Type: Long, Default: "60000", Min: 0, Doc: "how long send() may block before it fails with a timeout"},
	{Name: "max.request.size", Scope: Producer, Type: Int, Default: "1048576", Min: 0, Doc: "largest request the producer sends"},
	{Name: "request.timeout.ms", Scope: Producer, Type: Int, Default: "30000", Min: 0, Doc: "how long to wait for a broker's answer"},
	{Name: "delivery.timeout.ms", Scope: Producer, Type: Int, Default: "120000", Min: 0, Doc: "upper bound on the time to report success or failure of send()"},
	{Name: "retries", Scope: Producer, Type: Int, Default: "2147483647", Min: 0, Doc: "how many times a failed batch is resent"},
	{Name: "retry.backoff.ms", Scope: Producer, Type: Long, Default: "100", Min: 0, Doc: "wait before retrying"},
	{Name: "retry.backoff.max.ms", Scope: Producer, Type: Long, Default: "1000", Min: 0, Doc: "upper bound of the exponential retry backoff"},
	{Name: "reconnect.backoff.ms", Scope: Producer, Type: Long, Default: "50", Min: 0, Doc: "wait before reconnecting to a broker whose connection failed"},
	{Name: "reconnect.backoff.max.ms", Scope: Producer, Type: Long, Default: "1000", Min: 0, Doc: "upper bound of the exponential reconnect backoff"},
	{Name: "max.in.flight.requests.per.connection", Scope: Producer, Type: Int, Default: "5", Min: 1, Doc: "unanswered requests per broker before the producer waits"},
	{Name: "enable.idempotence", Scope: Producer, Type: Bool, Default: "true", Doc: "sequence numbers let the broker drop duplicate retries"},
	{Name: "compression.type", Scope: Producer, Type: String, Default: "none", Enum: []string{"none", "gzip", "snappy", "lz4", "zstd"}, Doc: "compress whole batches"},
	{Name: "partitioner.class", Scope: Producer, Type: String, Default: "", Enum: []string{"", "org.apache.kafka.clients.producer.RoundRobinPartitioner"}, Doc: "empty: the built-in partitioner"},
	{Name: "partitioner.ignore.keys", Scope: Producer, Type: Bool, Default: "false", Doc: "spread keyed records like keyless ones"},
	{Name: "partitioner.adaptive.partitioning.enable", Scope: Producer, Type: Bool, Default: "true", Doc: "send more to faster brokers"},
	{Name: "partitioner.availability.timeout.ms", Scope: Producer, Type: Long, Default: "0", Min: 0, Doc: "skip partitions whose broker has not taken records for this long (0: off)"},
	{Name: "metadata.max.age.ms", Scope: Producer, Type: Long, Default: "300000", Min: 0, Doc: "refresh metadata at least this often"},
	{Name: "transactional.id", Scope: Producer, Type: String, Default: "", Doc: "enables transactions"},

	// Consumer (ConsumerConfig).
	{Name: "group.id", Scope: Consumer, Type: String, Default: "", Doc: "the consumer group"},
	{Name: "group.instance.id", Scope: Consumer, Type: String, Default: "", Doc: "static membership"},
	{Name: "auto.offset.reset", Scope: Consumer, Type: String, Default: "latest", Enum: []string{"earliest", "latest", "none"}, Doc: "where to start without a committed offset"},
	{Name: "enable.auto.commit", Scope: Consumer, Type: Bool, Default: "true", Doc: "commit the previous poll's offsets in the background"},
	{Name: "auto.commit.interval.ms", Scope: Consumer, Type: Int, Default: "5000", Min: 0, Doc: "how often auto-commit runs"},
	{Name: "max.poll.records", Scope: Consumer, Type: Int, Default: "500", Min: 1, Doc: "most records one poll returns"},
	{Name: "max.poll.interval.ms", Scope: Consumer, Type: Int, Default: "300000", Min: 1, Doc: "a consumer that does not poll this long leaves the group"},
	{Name: "session.timeout.ms", Scope: Consumer, Type: Int, Default: "45000", Min: 1, Doc: "a consumer silent this long is removed from the group"},
	{Name: "heartbeat.interval.ms", Scope: Consumer, Type: Int, Default: "3000", Min: 1, Doc: "how often the consumer heartbeats to the coordinator"},
	{Name: "fetch.min.bytes", Scope: Consumer, Type: Int, Default: "1", Min: 0, Doc: "the broker waits for this much data"},
	{Name: "fetch.max.wait.ms", Scope: Consumer, Type: Int, Default: "500", Min: 0, Doc: "…but no longer than this"},
	{Name: "fetch.max.bytes", Scope: Consumer, Type: Int, Default: "52428800", Min: 0, Doc: "most bytes per fetch"},
	{Name: "max.partition.fetch.bytes", Scope: Consumer, Type: Int, Default: "1048576", Min: 0, Doc: "most bytes per partition per fetch"},
	{Name: "isolation.level", Scope: Consumer, Type: String, Default: "read_uncommitted", Enum: []string{"read_uncommitted", "read_committed"}, Doc: "read_committed hides aborted and open transactions"},
	{Name: "partition.assignment.strategy", Scope: Consumer, Type: List, Default: "range,cooperative-sticky", Enum: []string{"range", "roundrobin", "sticky", "cooperative-sticky"}, Doc: "how the group leader assigns partitions"},
	{Name: "group.remote.assignor", Scope: Consumer, Type: String, Default: "", Doc: "group.protocol=consumer: the server-side assignor to ask for (empty: the broker's default, the first of group.consumer.assignors)"},
	{Name: "group.protocol", Scope: Consumer, Type: String, Default: "classic", Enum: []string{"classic", "consumer"}, Doc: "classic rebalance protocol or KIP-848"},
	{Name: "request.timeout.ms", Scope: Consumer, Type: Int, Default: "30000", Min: 0, Doc: "how long to wait for a broker's answer"},
	{Name: "retry.backoff.ms", Scope: Consumer, Type: Long, Default: "100", Min: 0, Doc: "wait before retrying"},
	{Name: "retry.backoff.max.ms", Scope: Consumer, Type: Long, Default: "1000", Min: 0, Doc: "upper bound of the exponential backoff between coordinator lookups"},
	{Name: "metadata.max.age.ms", Scope: Consumer, Type: Long, Default: "300000", Min: 0, Doc: "refresh metadata at least this often (how soon new partitions are noticed)"},

	// Group and transaction coordinators (GroupCoordinatorConfig, TransactionStateManagerConfig).
	{Name: "offsets.topic.num.partitions", Scope: Broker, Type: Int, Default: "50", Min: 1, Doc: "partitions of __consumer_offsets (fixed once it exists)"},
	{Name: "offsets.topic.replication.factor", Scope: Broker, Type: Short, Default: "3", Min: 1, Doc: "replication factor of __consumer_offsets (capped by the live brokers when it is created)"},
	{Name: "offsets.topic.segment.bytes", Scope: Broker, Type: Int, Default: "104857600", Min: 1, Doc: "segment size of __consumer_offsets, kept small for fast compaction and loading (it becomes the topic's segment.bytes: below 1 MiB the topic cannot be created)"},
	{Name: "offsets.commit.timeout.ms", Scope: Broker, Type: Int, Default: "5000", Min: 1, Doc: "an offset commit waits this long for the offsets partition's replicas"},
	{Name: "group.initial.rebalance.delay.ms", Scope: Broker, Type: Int, Default: "3000", Min: 0, PlaygroundMin: true, Doc: "the first rebalance of an empty group waits this long for more members"},
	{Name: "group.min.session.timeout.ms", Scope: Broker, Type: Int, Default: "6000", Min: 0, PlaygroundMin: true, Doc: "smallest session.timeout.ms a consumer may ask for"},
	{Name: "group.max.session.timeout.ms", Scope: Broker, Type: Int, Default: "1800000", Min: 0, PlaygroundMin: true, Doc: "largest session.timeout.ms a consumer may ask for"},
	{Name: "group.consumer.heartbeat.interval.ms", Scope: Broker, Type: Int, Default: "5000", Min: 1, Doc: "KIP-848 consumer groups: how often members heartbeat (the coordinator tells them)"},
	{Name: "group.consumer.session.timeout.ms", Scope: Broker, Type: Int, Default: "45000", Min: 1, Doc: "KIP-848 consumer groups: a member silent this long is fenced and its partitions reassigned"},
	{Name: "group.consumer.assignors", Scope: Broker, Type: List, Default: "uniform,range", Enum: []string{"uniform", "range"}, Doc: "KIP-848 consumer groups: the server-side assignors; the first is the default"},
	{Name: "transaction.state.log.num.partitions", Scope: Broker, Type: Int, Default: "50", Min: 1, Doc: "partitions of __transaction_state"},
	{Name: "transaction.state.log.replication.factor", Scope: Broker, Type: Short, Default: "3", Min: 1, Doc: "replication factor of __transaction_state (capped by the live brokers when it is created)"},
	{Name: "transaction.state.log.min.isr", Scope: Broker, Type: Int, Default: "2", Min: 1, Doc: "min.insync.replicas of __transaction_state"},
	{Name: "transaction.max.timeout.ms", Scope: Broker, Type: Int, Default: "900000", Min: 1, Doc: "largest transaction.timeout.ms a producer may ask for"},
	{Name: "transaction.abort.timed.out.transaction.cleanup.interval.ms", Scope: Broker, Type: Int, Default: "10000", Min: 1, Doc: "how often the coordinator aborts transactions open longer than their timeout"},
	{Name: "transaction.partition.verification.enable", Scope: Broker, Type: Bool, Default: "true", Doc: "a partition leader asks the transaction coordinator before a transaction's first write to it (KIP-890)"},
	// A feature level, not a broker config: Kafka sets it with kafka-storage format --feature or kafka-features
	// upgrade; a cluster here takes it from its configs. TV_2 is LATEST_PRODUCTION from 4.0 (TransactionVersion).
	{Name: "transaction.version", Scope: Broker, Type: String, Default: "2", Enum: []string{"0", "1", "2"}, Doc: "the transaction protocol (feature level): 2 bumps the producer epoch on every transaction (KIP-890), 0 and 1 do not"},
	{Name: "transaction.timeout.ms", Scope: Producer, Type: Int, Default: "60000", Min: 1, Doc: "the coordinator aborts a transaction open longer than this"},
}
