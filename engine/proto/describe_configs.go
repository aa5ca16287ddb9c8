package proto

// Config resource types and config sources of DescribeConfigs, with
// Kafka's numbers.
const (
	ConfigResourceTopic  int8 = 2
	ConfigResourceBroker int8 = 4

	ConfigSourceDynamicTopic int8 = 1 // set on the topic
	ConfigSourceStaticBroker int8 = 4 // the broker's own setting (server.properties)
	ConfigSourceDefault      int8 = 5 // Kafka's default
)

// DescribeConfigsRequest (API key 32) reads a topic's or a broker's
// settings with where each value comes from. Modelled on version 4.
type DescribeConfigsRequest struct {
	Resources            []ConfigResource
	IncludeDocumentation bool
}

// ConfigResource names a topic or a broker (by id) and, optionally, the
// settings wanted (nil: all).
type ConfigResource struct {
	Type        int8
	Name        string
	ConfigNames []string
}

// DescribeConfigsResponse answers per resource.
type DescribeConfigsResponse struct {
	Results []DescribeConfigsResult
}

// DescribeConfigsResult is one resource's settings, or an error.
type DescribeConfigsResult struct {
	ErrorCode    ErrorCode
	ErrorMessage string
	Type         int8
	Name         string
	Configs      []ConfigEntry
}

// ConfigEntry is one setting: its value, its source and its one-line
// documentation.
type ConfigEntry struct {
	Name          string
	Value         string
	Source        int8
	Documentation string
}
