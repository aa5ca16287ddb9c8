package broker

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// Topic deletion on a broker, after Kafka's ReplicaManager.applyDelta and
// LogManager.asyncDelete: once the broker replays a RemoveTopicRecord it
// stops its replicas of the topic (waiting produces get
// UNKNOWN_TOPIC_OR_PARTITION), deletes their logs and checkpoint entries,
// and tells its coordinators, which forget the topic's committed offsets
// and share-group state. A broker that was down replays the record when it
// comes back and deletes the stray logs then.
//
// Kafka tells a topic created again under the same name from the deleted
// one by its topic id, kept in each log folder's partition.metadata file.
// The engine names topics and counts incarnations instead
// (metadata.Topic.Incarnation); the file is written only from the second
// incarnation on, so a folder without it holds the first.

// removedTopic is a topic a RemoveTopic record deleted, and its incarnation.
type removedTopic struct {
	name        string
	incarnation int32
}

// noteRemoved adds the topic a RemoveTopic record is about to delete.
func (b *Broker) noteRemoved(removed []removedTopic, name string) []removedTopic {
	if t := b.image.Topics[name]; t != nil {
		removed = append(removed, removedTopic{name, t.Incarnation})
	}
	return removed
}

// deleteTopics removes what this broker keeps of the deleted topics.
func (b *Broker) deleteTopics(removed []removedTopic) {
	h := hostOf(b)
	for _, rt := range removed {
		if h != nil {
			// Only coordinators loaded before this batch: a broker replaying
			// the metadata log after a restart has none, and the coordinator
			// that was active then wrote the tombstones already.
			h.groups.OnTopicDeleted(rt.name)
			h.share.state.OnTopicDeleted(rt.name)
			for key, sp := range h.share.parts {
				if sp.tp.Topic == rt.name {
					delete(h.share.parts, key)
				}
			}
			for tp := range h.txnIndex {
				if tp.Topic == rt.name {
					delete(h.txnIndex, tp)
				}
			}
		}
		for _, r := range b.replicas.partitions(rt.name) {
			if r != nil {
				b.stopReplica(r)
			}
		}
		b.replicas.removeTopic(rt.name)
		b.deleteStrayLogs(rt)
	}
	b.syncFetchers()
}

// stopReplica answers the replica's waiting produces, then deletes its log.
func (b *Broker) stopReplica(r *Replica) {
	tp := r.TP
	b.purgatory.failPartition(b, tp, proto.UnknownTopicOrPartition, "the topic was deleted while the produce waited for replication")
	r.IsLeader, r.followers = false, nil
	records := r.LEO() - r.log.LogStartOffset()
	if err := r.log.Delete(); err != nil {
		b.emit("storage_error", &tp, fmt.Sprintf("broker %d cannot delete the log of %s: %v", b.opts.ID, tp, err), nil)
		return
	}
	b.forgetStorage(tp)
	b.emit("replica_deleted", &tp, fmt.Sprintf("broker %d stops its replica of %s and deletes its log (%d records): the topic was deleted", b.opts.ID, tp, records),
		map[string]any{"records": records, "stray": false})
}

// deleteStrayLogs deletes the log folders of rt's partitions that no open
// replica holds (this broker was down when the topic was deleted): every
// folder of the topic's name from rt's incarnation or an older one.
func (b *Broker) deleteStrayLogs(rt removedTopic) {
	for _, dir := range b.topicLogDirs(rt.name) {
		if b.dirIncarnation(dir) > rt.incarnation {
			continue // a topic created again since: its log stays
		}
		if err := log.RemoveAll(b.opts.Store, dir); err != nil {
			b.emit("storage_error", nil, fmt.Sprintf("broker %d cannot delete %s: %v", b.opts.ID, dir, err), nil)
			continue
		}
		tp := dirPartition(dir)
		b.forgetStorage(tp)
		b.emit("replica_deleted", &tp, fmt.Sprintf("broker %d deletes its stray log of %s: the topic was deleted while the broker was down", b.opts.ID, tp),
			map[string]any{"records": 0, "stray": true})
	}
}

// topicLogDirs lists this broker's log folders of topic's partitions.
func (b *Broker) topicLogDirs(topic string) []string {
	root := fmt.Sprintf("broker-%d", b.opts.ID)
	files, err := b.opts.Store.List(root)
	if err != nil {
		return nil
	}
	var dirs []string
	for _, f := range files {
		rest := strings.TrimPrefix(f, root+"/")
		dir, _, nested := strings.Cut(rest, "/")
		if !nested || dirPartition(root+"/"+dir).Topic != topic {
			continue
		}
		if d := root + "/" + dir; len(dirs) == 0 || dirs[len(dirs)-1] != d {
			dirs = append(dirs, d)
		}
	}
	return dirs
}

// dirPartition is the partition a log folder ("broker-N/topic-P") holds.
func dirPartition(dir string) names.TopicPartition {
	base := dir[strings.LastIndexByte(dir, '/')+1:]
	i := strings.LastIndexByte(base, '-')
	if i < 0 {
		return names.TopicPartition{Topic: base, Partition: -1}
	}
	p, err := strconv.ParseInt(base[i+1:], 10, 32)
	if err != nil {
		return names.TopicPartition{Topic: base, Partition: -1}
	}
	return names.TopicPartition{Topic: base[:i], Partition: int32(p)}
}

const partitionMetadataFile = "partition.metadata"

// dirIncarnation reads which incarnation of its topic a log folder holds.
func (b *Broker) dirIncarnation(dir string) int32 {
	files, _ := b.opts.Store.List(dir)
	return b.incarnationIn(dir, files)
}

// incarnationIn is dirIncarnation given the folder's files.
func (b *Broker) incarnationIn(dir string, files []string) int32 {
	name := dir + "/" + partitionMetadataFile
	if !slices.Contains(files, name) {
		return 0 // (Store.Open would create the file)
	}
	data, err := log.ReadFile(b.opts.Store, name)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "topic_incarnation: "); ok {
			if n, err := strconv.ParseInt(v, 10, 32); err == nil {
				return int32(n)
			}
		}
	}
	return 0
}

// errNewerLog: the folder holds a topic created again after the one the
// broker's metadata names; it waits for the rest of the metadata log.
var errNewerLog = errors.New("the log folder belongs to a newer topic of this name")

// claimLogDir readies tp's folder for incarnation inc before the log
// opens: a folder left by an older topic of the name is deleted, and a
// folder of a later incarnation is marked with partition.metadata.
func (b *Broker) claimLogDir(tp names.TopicPartition, inc int32) error {
	dir := b.logDir(tp)
	files, _ := b.opts.Store.List(dir)
	have := b.incarnationIn(dir, files)
	switch {
	case have > inc:
		return errNewerLog
	case have < inc:
		if len(files) > 0 {
			if err := log.RemoveAll(b.opts.Store, dir); err != nil {
				return err
			}
			b.forgetStorage(tp)
			b.emit("replica_deleted", &tp, fmt.Sprintf("broker %d deletes its stray log of %s: the topic was deleted while the broker was down", b.opts.ID, tp),
				map[string]any{"records": 0, "stray": true})
		}
		return log.WriteFile(b.opts.Store, dir+"/"+partitionMetadataFile, fmt.Appendf(nil, "version: 0\ntopic_incarnation: %d\n", inc))
	}
	return nil
}

// forgetStorage drops tp from the storage state and its checkpoint files.
func (b *Broker) forgetStorage(tp names.TopicPartition) {
	st := b.storage()
	delete(st.seen, tp)
	delete(st.cleanings, tp)
	delete(st.readByTP, tp)
	if _, ok := st.logStart[tp]; ok {
		delete(st.logStart, tp)
		b.writeCheckpoint(logStartCheckpointFile, st.logStart)
	}
	if _, ok := st.cleanerCP[tp]; ok {
		delete(st.cleanerCP, tp)
		b.writeCheckpoint(cleanerCheckpointFile, st.cleanerCP)
	}
}
