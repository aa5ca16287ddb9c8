package scenario

import (
	"sort"
	"strings"

	"github.com/brokerlab/brokerlab/engine/metadata"
)

// validateFeature checks a feature name and level against the features the
// engine models (engine/metadata.Features).
func validateFeature(name string, level int) error {
	f, ok := metadata.Features[name]
	if !ok {
		known := make([]string, 0, len(metadata.Features))
		for n := range metadata.Features {
			known = append(known, n)
		}
		sort.Strings(known)
		return errorf("unknown feature %q (known: %s)", name, strings.Join(known, ", "))
	}
	if level < 0 || level > int(f.Max) {
		return errorf("feature %s has levels 0 to %d, got %d", name, f.Max, level)
	}
	return nil
}

// validateUpdateFeatures checks update_features: kafka-features.sh upgrade
// or downgrade of one feature, e.g. {"feature":
// "eligible.leader.replicas.version", "level": 0} for Kafka 4.0's election.
func validateUpdateFeatures(c *Command) error {
	return validateFeature(c.Feature, *c.Level)
}

// validateFeatures checks the cluster's bootstrap features (the levels
// kafka-storage.sh format --feature gives a new cluster).
func (c *Cluster) validateFeatures() error {
	for _, name := range sortedFeatureNames(c.Features) {
		if err := validateFeature(name, c.Features[name]); err != nil {
			return errorf("features: %v", err)
		}
	}
	return nil
}

func sortedFeatureNames(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
