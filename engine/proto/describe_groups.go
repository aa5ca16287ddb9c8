package proto

// ListGroupsRequest (API key 16) lists the groups a broker coordinates;
// clients ask every broker. Modelled on version 4 (a state filter).
type ListGroupsRequest struct {
	StatesFilter []string
}

// ListGroupsResponse lists them.
type ListGroupsResponse struct {
	ErrorCode ErrorCode
	Groups    []ListedGroup
}

// ListedGroup is one group.
type ListedGroup struct {
	GroupID      string
	ProtocolType string
	State        string
}

// DescribeGroupsRequest (API key 15) asks a group's coordinator for its
// state, protocol and members. Modelled on version 5.
type DescribeGroupsRequest struct {
	Groups []string
}

// DescribeGroupsResponse answers per group.
type DescribeGroupsResponse struct {
	Groups []DescribedGroup
}

// DescribedGroup is one group (state Dead: the coordinator knows no such
// group).
type DescribedGroup struct {
	ErrorCode    ErrorCode
	GroupID      string
	State        string
	ProtocolType string
	Protocol     string
	Members      []DescribedGroupMember
}

// DescribedGroupMember is one member with its subscription (of the chosen
// protocol) and assignment, as values.
type DescribedGroupMember struct {
	MemberID     string
	InstanceID   string
	ClientID     string
	Subscription ConsumerSubscription
	Assignment   []TopicPartitions
}
