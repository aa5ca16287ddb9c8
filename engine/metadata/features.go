package metadata

// ELRFeature is the feature that turns on eligible leader replicas (KIP-966).
const ELRFeature = "eligible.leader.replicas.version"

// FeatureRange is a modelled feature's default level (what a new Kafka 4.3
// cluster is formatted with) and the highest level it knows.
type FeatureRange struct{ Default, Max int16 }

// Features are the finalized features (kafka-features.sh describe) the
// engine models.
var Features = map[string]FeatureRange{
	// Off in 4.0; on by default for new clusters from 4.1.
	ELRFeature: {Default: 1, Max: 1},
}
