package ui

// eventEN are the English event formats by kind and kind/variant (see
// eventtext.go). They say what the engine's own messages say.
var eventEN = map[string]string{
	"admin_error":        "create topic {topic} failed: {error}",
	"admin_error/detail": "create topic {topic} failed with {error}: {detail}",
	"admin_error/add":    "add partitions to {topic} failed with {error}: {detail}",

	"appended":            "broker {id} appended {records} records to {tp} at offset {base_offset} ({bytes} bytes, leader epoch {leader_epoch}, acks={acks})",
	"assignment_computed": "leader {name} assigns {members} members with {assignor} (group {group}, generation {generation})",
	"batch_split":         "a batch of {records} records ({bytes} bytes) was too large for the broker (MESSAGE_TOO_LARGE); the producer split it into {batches} batches",

	"became_follower":         "broker {id} follows broker {leader} for {tp} in leader epoch {leader_epoch}",
	"became_follower/offline": "broker {id} has no leader (partition offline) for {tp} in leader epoch {leader_epoch}",
	"became_leader":           "broker {id} leads {tp} in leader epoch {leader_epoch} from offset {leo}",

	"broker_crashed":       "broker {broker}'s process was killed; its page cache survives, peers see their connections reset",
	"broker_crashed/power": "broker {broker} lost power; {lost_records} unflushed records were lost from its page cache",
	"broker_fenced":        "broker {broker} is fenced: {why} ({timeout})",
	"broker_paused":        "broker {broker} is paused: it answers nothing and fetches nothing until resumed",
	"broker_registered":    "broker {broker} registered with broker epoch {broker_epoch}; it stays fenced until it catches up on metadata",
	"broker_restarted":     "broker {broker} restarted and recovers its logs from disk",
	"broker_resumed":       "broker {broker} resumes and works through {queued} queued events",
	"broker_unfenced":      "broker {broker} caught up on metadata and is unfenced",

	"cluster_started": "a cluster of {brokers} brokers and {controllers} KRaft controllers starts (seed {seed})",
	"command_failed":  "{op}: {err}",
	"commit_failed":   "consumer {name}: {how} failed: {error}",
	"config_warning":  "topic {topic}: min.insync.replicas={min_isr} exceeds replication factor {rf}, so acks=all produce will always fail",

	"consumed":                 "consumer {name} read {topic}-{partition} from offset {from} to {to}",
	"consumer_closed":          "consumer {name} closed after {count} records",
	"consumer_closed/group":    "consumer {name} closed after {count} records and {how}",
	"consumer_crashed":         "consumer {name} crashed",
	"consumer_crashed/group":   "consumer {name} crashed (kill -9): no commit, no LeaveGroup; {processed_uncommitted} processed records were not committed; the group notices after session.timeout.ms={session_ms}",
	"consumer_error":           "consumer {name}: {error}",
	"consumer_error/no_offset": "consumer {name} has no offset for {topic}-{partition} and auto.offset.reset=none: NoOffsetForPartitionException",
	"consumer_poll_timeout":    "consumer {name} did not call poll() for {since_poll_ms} ms (max.poll.interval.ms={max_poll_interval_ms}): it leaves group {group}; processing is too slow for the batch size",
	"consumer_started":         "consumer {name} reads {topics} with auto.offset.reset={reset}",
	"consumer_started/group":   "consumer {name} subscribes to {topics} in group {group} as a {member} ({protocol} rebalancing, assignors {assignors}, commits: {commit})",

	"controller_crashed":         "controller {controller} stopped; {left} of {voters} voters remain",
	"controller_elected":         "controller {controller} won epoch {epoch} with {votes} of {voters} votes and is the active controller",
	"controller_election":        "controller {controller} starts an election for epoch {epoch} and needs {need} of {voters} votes",
	"controller_resigned":        "controller {controller} is no longer the active controller: {leader} leads epoch {epoch}",
	"controller_resigned/quorum": "controller {controller} resigns: only {voters_heard} of {voters} voters fetched within 1.5 × controller.quorum.fetch.timeout.ms; without a majority no metadata can change",
	"controller_restarted":       "controller {controller} is back with {records} metadata records and rejoins the quorum",

	"coordinator_found":    "consumer {name}: broker {coordinator} coordinates group {group} (it leads the group's partition of __consumer_offsets)",
	"coordinator_loaded":   "broker {id} now leads __consumer_offsets-{partition} (leader epoch {leader_epoch}): it replayed {records} records and coordinates {groups} groups with {offsets} committed offsets",
	"coordinator_lost":     "consumer {name} lost coordinator broker {coordinator}: {reason}",
	"coordinator_unloaded": "broker {id} stops coordinating the {groups} groups of __consumer_offsets-{partition}: {why}",

	"crash_armed":                "consumer {name} will crash at its next commit, after processing",
	"crash_armed/before_process": "consumer {name} will crash at its next poll, before processing",

	"create_topic_done":      "CreateTopics for {topic} succeeded after {attempts} attempt(s)",
	"create_topic_requested": "the admin client asks for topic {topic} (retrying retriable errors for up to {timeout})",

	"disk_fault":         "a torn write: {file} is cut from {size} to {cut_at} bytes",
	"disk_fault/restart": "a torn write: {file} is cut from {size} to {cut_at} bytes; broker {broker} restarts and recovers from its disk",
	"disk_fault/nothing": "nothing to tear: no segment of broker {broker} holds bytes on disk (what it appended never left the page cache, or was lost with it)",

	"duplicate_dropped": "a retried batch (producer {producer_id}, sequence {base_sequence}–{last_sequence}) is already at offset {offset}; not appended again",

	"feature_updated": "{feature} is finalized at level {level} (was {previous_level})",

	"group_joined":               "consumer {name} joined group {group} as member {member_id} in generation {generation}; it is a follower",
	"group_joined/leader":        "consumer {name} joined group {group} as member {member_id} in generation {generation}; it is the leader: it computes the assignment with {protocol}",
	"group_joined/static_leader": "consumer {name} joined group {group} as member {member_id} in generation {generation}; it is the leader, back as a static member: it keeps the current assignment",
	"group_joining":              "consumer {name} sends JoinGroup to broker {coordinator}: {reason}",

	"group_state_changed":                     "group {group} starts rebalancing (generation {generation}): {reason}; members must rejoin within {timeout}",
	"group_state_changed/first":               "group {group} starts its first rebalance: {reason}; it waits group.initial.rebalance.delay.ms={delay_ms} for more members",
	"group_state_changed/no_members":          "group {group} rebalances (generation {generation}): {reason}; no members are left",
	"group_state_changed/Empty":               "group {group} is empty (generation {generation})",
	"group_state_changed/CompletingRebalance": "group {group}: generation {generation} with {members} members, assignor {protocol}, leader {leader}; joining took {join_ms} ms; waiting for the leader's assignment",
	"group_state_changed/Stable":              "group {group} is Stable in generation {generation}: the rebalance took {rebalance_ms} ms",

	"hwm_advanced":             "the high watermark of {tp} on broker {id} moves from {from} to {to}",
	"internal_topic_requested": "broker {id} asks the controller to create {topic} ({partitions} partitions, replication factor {replication_factor}) for the first coordinator lookup",
	"join_rejected":            "group {group}: session.timeout.ms={session_ms} is outside group.min.session.timeout.ms={min_ms} … group.max.session.timeout.ms={max_ms} ({error})",
	"link_fault":               "link {a} ↔ {b} degraded",

	"log_cleaned":                   "broker {id} compacted {tp} below offset {checkpoint}: removed {records_removed} of {records_read} records ({tombstones_removed} tombstones, {keyless_removed} without a key), {bytes_before} → {bytes_after} bytes; dirty ratio {dirty_ratio_before} → {dirty_ratio_after}",
	"log_recovered":                 "broker {id} recovered {tp}: dropped {dropped_bytes} bytes of segment {segment_base_offset} at byte {position} ({reason})",
	"log_start_offset_moved":        "broker {id} reopened {tp} at log start offset {log_start_offset} from its log-start-offset-checkpoint",
	"log_start_offset_moved/leader": "broker {id} follows the leader's log start offset of {tp}: {log_start_offset}",
	"log_swap_recovered":            "broker {id}: {segment}: {reason}",
	"log_truncated":                 "broker {id} truncated {tp} from offset {to_offset} to {from_offset}: {why}",
	"log_truncated/below":           "broker {id}'s log of {tp} ends at {to_offset}, below the leader's log start offset {log_start_offset}: it restarts empty at {log_start_offset}",

	"member_joined":        "group {group}: dynamic member {member_id} joins",
	"member_joined/static": "group {group}: static ({group_instance_id}) member {member_id} joins",
	"member_removed":       "group {group}: member {member_id} is removed: {reason}",

	"network_healed":      "every network partition and link fault is healed",
	"network_partitioned": "the network is split into {groups}",
	"note":                "{note}",

	"offset_commit_rejected":  "group {group} refuses a commit from {member_id}: {error} (the group is in generation {generation}, {state})",
	"offset_out_of_range":     "consumer {name}: offset {offset} of {topic}-{partition} is out of range (log start {log_start}); auto.offset.reset={reset} decides",
	"offsets_committed":       "group {group} committed {offsets} (generation {generation})",
	"offsets_committed/txn":   "group {group}: the transaction of producer {producer_id} committed, so its offsets count: {offsets}",
	"offsets_for_times":       "{who} asked {tp} for the first offset at or after {when}: offset {offset} (its timestamp is {record_when})",
	"offsets_for_times/none":  "{who} asked {tp} for the first offset at or after {when}: no record that late below the high watermark, the answer is null",
	"offsets_for_times/error": "{who} asked {tp} for the first offset at or after {when}: {error}",

	"partitions_added":    "topic {topic} grows from {from} to {to} partitions",
	"partitions_assigned": "consumer {name} owns {partitions} in generation {generation} (new: {added})",
	"partitions_lost":     "consumer {name} lost {partitions}: {reason}; what it processed since its last commit will be read again by the next owner",
	"partitions_revoked":  "consumer {name} gives back {partitions}: {reason}",

	"position_reset":       "consumer {name} starts {topic}-{partition} at offset {offset} (auto.offset.reset={reset})",
	"position_reset/group": "consumer {name} starts {topic}-{partition} at offset {offset} (no committed offset; auto.offset.reset={reset})",
	"position_restored":    "consumer {name} resumes {topic}-{partition} at the committed offset {offset}",

	"produce_acked":     "producer {name}: {records} records to {topic}-{partition} acknowledged at offset {base_offset} (attempt {attempts})",
	"produce_failed":    "{records} records to {topic}-{partition} failed: {why}",
	"produce_rejected":  "broker {id} rejects a produce to {tp} with {error}: {why}",
	"produce_reordered": "record #{seq} was sent before #{later_seq} but was acknowledged at offset {offset}, after it (offset {later_offset}): a retried batch landed behind a later one",
	"produce_retry":     "batch of {records} records to {topic}-{partition} failed with {error}; retry {attempt} in {backoff_ms} ms",

	"producer_closed":             "producer {name} closed after sending everything it had",
	"producer_epoch_bumped":       "producer {name} bumped its epoch to {producer_epoch}: the broker has a gap in the sequence numbers of {partitions}, so they start again at 0",
	"producer_fenced":             "transactional id {transactional_id}: a new producer instance calls initTransactions; producer {producer_id} epoch {fenced_epoch} is fenced and its open transaction aborted",
	"producer_fenced/replaced":    "transactional id {transactional_id}: epoch {producer_epoch} replaces epoch {fenced_epoch}; the older instance is fenced (PRODUCER_FENCED)",
	"producer_flushed":            "flush() of producer {name} returned after {ms} ms",
	"producer_id":                 "producer {name} got producer id {producer_id}, epoch {producer_epoch}: the broker can now drop duplicate retries",
	"producer_metadata":           "producer {name} sees {partitions} partitions of {topic} (was {was}): keys now hash over {partitions} partitions, so some keys move",
	"producer_started":            "producer {name} started: acks={acks}, linger.ms={linger_ms}, batch.size={batch_size}, idempotence off, compression {compression}",
	"producer_started/idempotent": "producer {name} started: acks={acks}, linger.ms={linger_ms}, batch.size={batch_size}, idempotence on, compression {compression}",

	"rejoin_needed":       "consumer {name} must rejoin group {group}: {reason}",
	"replica_gap_skipped": "broker {id} copied {tp} across a compaction gap: offsets {from_offset}–{last} were cleaned away on the leader",
	"scenario_end":        "the scenario reached its end",
	"segment_deleted":     "broker {id} deleted segment {segment_base_offset} of {tp} (offsets {segment_base_offset}–{last}, {size_bytes} bytes) by {rule}: {reason}",

	"send_failed":            "The message is {size} bytes when serialized which is larger than max.request.size ({max_request_size}) or buffer.memory ({buffer_memory}). (RECORD_TOO_LARGE)",
	"send_failed/closed":     "Cannot perform operation after producer has been closed (ILLEGAL_STATE_EXCEPTION)",
	"send_timeout":           "send() blocked for max.block.ms={max_block_ms} and threw TimeoutException: {why}",
	"static_member_rejoined": "group {group}: static member {group_instance_id} is back as member {member_id}; its old member id {old_member_id} is fenced",

	"storage_error":           "broker {id} has a storage error on {tp}",
	"storage_error/clean":     "broker {id} could not clean {tp}: {err}",
	"storage_error/flush":     "broker {id} cannot write {tp} to disk: {err}; the records stay in the page cache and nothing already stored is lost",
	"storage_error/append":    "broker {id} cannot append to {tp}: {err}",
	"storage_error/open":      "broker {id} cannot open the log of {tp}: {err}",
	"storage_error/swap":      "broker {id} cannot finish interrupted cleaner swaps: {err}",
	"storage_error/write":     "broker {id} cannot write {file}: {err}",
	"storage_error/retention": "broker {id}: retention of {tp} failed: {err}",
	"storage_recovered":       "broker {id} writes {tp} to disk again",

	"subscription_changed": "consumer {name} now subscribes to {topics}",
	"topic_created":        "topic {topic} created with {partitions} partitions, replication factor {replication_factor} (committed once a majority of controllers has it)",

	"transaction_aborting":             "consumer {name} aborts its transaction: {reason}; it rereads from the committed offsets",
	"transaction_aborting/coordinator": "transactional id {transactional_id}: the coordinator aborts the open transaction of producer {producer_id}: {reason}",
	"transaction_completed":            "transactional id {transactional_id}: the transaction of producer {producer_id} is committed on {partitions} partitions",
	"transaction_completed/aborted":    "transactional id {transactional_id}: the transaction of producer {producer_id} is aborted on {partitions} partitions",
	"transactions_initialized":         "consumer {name}'s producer has transactional.id {transactional_id}: producer id {producer_id}, epoch {producer_epoch} (older instances are fenced)",
	"txn_coordinator_loaded":           "broker {id} now leads __transaction_state-{partition} (leader epoch {leader_epoch}) and coordinates its {transactional_ids} transactional ids",
	"txn_marker_written":               "broker {id} writes a COMMIT marker for producer {producer_id} (transactional id {transactional_id}) at offset {offset} of {tp}",
	"txn_marker_written/abort":         "broker {id} writes an ABORT marker for producer {producer_id} (transactional id {transactional_id}) at offset {offset} of {tp}",
	"txn_offsets_dropped":              "group {group}: the transaction of producer {producer_id} aborted; its staged offsets are dropped",
	"txn_offsets_staged":               "group {group}: transaction {transactional_id} (producer {producer_id}) stages {offsets}; they count only if it commits",

	"unflushed_lost": "broker {id} lost {records} unflushed records (offsets {from_offset}–{last}) from its page cache",

	"leader_elected":         "{tp}: broker {leader} leads in leader epoch {leader_epoch} (was {previous_leader}), ISR {isr}: {why}",
	"leader_elected/unclean": "{tp}: broker {leader} leads in leader epoch {leader_epoch} (was {previous_leader}), ISR {isr}: {why}",
	"partition_offline":      "{tp} has no leader (was broker {previous_leader}), ISR {isr}: {why}",
	"partition_changed":      "{tp}: ISR {isr}, leader {leader}, leader epoch {leader_epoch}: {why}",
}
