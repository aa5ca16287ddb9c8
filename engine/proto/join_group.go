package proto

// TopicPartitions lists partitions of one topic (assignments, owned
// partitions of a subscription).
type TopicPartitions struct {
	Topic      string
	Partitions []int32
}

// ConsumerSubscription is the consumer protocol's JoinGroup metadata
// (ConsumerProtocolSubscription v1+): what a member wants and owns. It
// travels as a value here, not as encoded bytes.
type ConsumerSubscription struct {
	Topics          []string
	OwnedPartitions []TopicPartitions
	GenerationID    int32
}

// JoinGroupProtocol is one assignor the member supports, in preference order.
type JoinGroupProtocol struct {
	Name     string
	Metadata ConsumerSubscription
}

// JoinGroupRequest (API key 11) joins or rejoins a classic consumer group.
// Modelled on version 9: MEMBER_ID_REQUIRED for a first join without a
// member id (KIP-394), static membership with GroupInstanceID (KIP-345).
type JoinGroupRequest struct {
	GroupID            string
	SessionTimeoutMs   int32
	RebalanceTimeoutMs int32
	MemberID           string
	GroupInstanceID    string // "" for a dynamic member
	ProtocolType       string // "consumer"
	Protocols          []JoinGroupProtocol
	Reason             string
}

// JoinGroupMember is a member as the leader sees it.
type JoinGroupMember struct {
	MemberID        string
	GroupInstanceID string
	Metadata        ConsumerSubscription
}

// JoinGroupResponse ends the join phase: the generation, the chosen
// assignor and, for the leader only, every member's subscription.
type JoinGroupResponse struct {
	ErrorCode      ErrorCode
	GenerationID   int32
	ProtocolType   string
	ProtocolName   string
	Leader         string
	SkipAssignment bool // a static leader rejoined: keep the current assignment
	MemberID       string
	Members        []JoinGroupMember
}
