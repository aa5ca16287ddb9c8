package check

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/brokerlab/brokerlab/engine/view"
)

// CheckOwners reads the consumers' ownership events (partitions_assigned
// lists everything a member owns with its member epoch — a classic
// group's generation —, member_epoch_changed moves what it owns to a new
// member epoch, partitions_revoked and partitions_lost drop some,
// consumer_crashed and consumer_closed drop all): no partition may
// be owned by two members of a consumer group at one epoch
// (two-owners-one-epoch). Two owners at different epochs are allowed: the
// older one is a zombie the coordinator has fenced (KIP-848) or moved on
// from (a classic generation), and its commits are refused.
func CheckOwners(events []view.Event) []Violation {
	type claim struct {
		epoch int64
		at    time.Duration
	}
	type gtp struct{ group, tp string }
	owners := map[gtp]map[string]claim{} // who owns a partition, at which epoch
	byNode := map[string]map[gtp]bool{}  // what a consumer node owns
	reported := map[gtp]map[int64]bool{}
	var out []Violation
	drop := func(node string, k gtp) {
		delete(owners[k], node)
		delete(byNode[node], k)
	}
	for _, e := range events {
		switch e.Kind {
		case "partitions_assigned", "partitions_revoked", "partitions_lost", "consumer_crashed", "consumer_closed", "member_epoch_changed":
		default:
			continue
		}
		group, _ := e.Data["group"].(string)
		switch e.Kind {
		case "consumer_crashed", "consumer_closed":
			for k := range byNode[e.Node] {
				drop(e.Node, k)
			}
			continue
		case "partitions_revoked", "partitions_lost":
			for _, tp := range view.Strings(e.Data["partitions"]) {
				drop(e.Node, gtp{group, tp})
			}
			continue
		}
		now := map[gtp]bool{}
		epoch, ok := num(e.Data["generation"])
		if e.Kind == "member_epoch_changed" {
			// A new member epoch (KIP-848) restamps what the member owns;
			// what it must give up it revoked before the coordinator let
			// its epoch move on.
			epoch, ok = num(e.Data["member_epoch"])
			for k := range byNode[e.Node] {
				if k.group == group {
					now[k] = true
				}
			}
		} else {
			for _, tp := range view.Strings(e.Data["partitions"]) {
				now[gtp{group, tp}] = true
			}
			for k := range byNode[e.Node] { // partitions_assigned lists everything it owns
				if k.group == group && !now[k] {
					drop(e.Node, k)
				}
			}
		}
		if !ok || group == "" {
			continue
		}
		for _, k := range sortedGTPs(now, func(k gtp) string { return k.tp }) {
			if owners[k] == nil {
				owners[k] = map[string]claim{}
			}
			if byNode[e.Node] == nil {
				byNode[e.Node] = map[gtp]bool{}
			}
			owners[k][e.Node] = claim{epoch, e.At()}
			byNode[e.Node][k] = true
			for _, other := range sortedNames(owners[k]) {
				c := owners[k][other]
				if other == e.Node || c.epoch != epoch || reported[k][epoch] {
					continue
				}
				if reported[k] == nil {
					reported[k] = map[int64]bool{}
				}
				reported[k][epoch] = true
				topic, part := splitTP(k.tp)
				out = append(out, Violation{Kind: TwoOwnersOneEpoch, Topic: topic, Partition: part, Offset: -1,
					Detail: fmt.Sprintf("group %s: %s (since %v) and %s (at %v) both own %s at epoch %d", group, nodeName(other), c.at, nodeName(e.Node), e.At(), k.tp, epoch)})
			}
		}
	}
	return out
}

func nodeName(node string) string { return strings.TrimPrefix(node, "consumer-") }

// splitTP splits "orders-3" into "orders" and 3 (-1 if it has no number).
func splitTP(tp string) (string, int32) {
	i := strings.LastIndexByte(tp, '-')
	if i < 0 {
		return tp, -1
	}
	n, err := strconv.Atoi(tp[i+1:])
	if err != nil {
		return tp, -1
	}
	return tp[:i], int32(n)
}

func sortedGTPs[K comparable](m map[K]bool, name func(K) string) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return name(out[i]) < name(out[j]) })
	return out
}
