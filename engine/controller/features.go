package controller

import (
	"fmt"
	"sort"

	"github.com/brokerlab/brokerlab/engine/metadata"
)

// ELRFeature is the feature that turns on eligible leader replicas (KIP-966).
const ELRFeature = metadata.ELRFeature

// SetBootstrapFeatures sets the levels the cluster was formatted with
// (kafka-storage.sh format --feature name=level); features not given keep
// their defaults. The engine keeps them out of the metadata log: only a
// later change (UpdateFeature) appends a FeatureLevel record.
func (c *Controller) SetBootstrapFeatures(levels map[string]int16) {
	c.bootstrap = map[string]int16{}
	for k, v := range levels {
		c.bootstrap[k] = v
	}
}

// FeatureLevel is a feature's finalized level: the last FeatureLevel
// record, else the bootstrap level, else the default.
func (c *Controller) FeatureLevel(name string) int16 {
	return c.featureLevel(c.image, name)
}

// CommittedFeatureLevels lists every modelled feature's committed level.
func (c *Controller) CommittedFeatureLevels() map[string]int16 {
	out := map[string]int16{}
	img := c.CommittedImage()
	for name := range metadata.Features {
		out[name] = c.featureLevel(img, name)
	}
	return out
}

func (c *Controller) featureLevel(img *metadata.Image, name string) int16 {
	if v, ok := img.Features[name]; ok {
		return v
	}
	if v, ok := c.bootstrap[name]; ok {
		return v
	}
	return metadata.Features[name].Default
}

// ELREnabled reports whether eligible leader replicas are on
// (FeaturesImage.isElrEnabled: eligible.leader.replicas.version >= 1).
func (c *Controller) ELREnabled() bool { return c.FeatureLevel(ELRFeature) >= 1 }

// UpdateFeature finalizes a feature at a new level, like kafka-features.sh
// upgrade or downgrade. Turning ELR off clears every partition's ELR and
// last known leader: a simplification (Kafka documents the downgrade as
// safe; a level-0 controller no longer reads or writes those fields).
func (c *Controller) UpdateFeature(name string, level int16) error {
	f, ok := metadata.Features[name]
	if !ok {
		names := make([]string, 0, len(metadata.Features))
		for n := range metadata.Features {
			names = append(names, n)
		}
		sort.Strings(names)
		return fmt.Errorf("controller: unknown feature %q (known: %v)", name, names)
	}
	if level < 0 || level > f.Max {
		return fmt.Errorf("controller: %s supports levels 0 to %d, not %d", name, f.Max, level)
	}
	if c.down || c.role != Leader {
		return fmt.Errorf("controller: controller %d is not the active controller", c.ID)
	}
	old := c.FeatureLevel(name)
	c.append(metadata.Record{FeatureLevel: &metadata.FeatureLevel{Name: name, FeatureLevel: level}})
	c.emit("feature_updated", fmt.Sprintf("%s finalized at level %d (was %d)", name, level, old),
		map[string]any{"feature": name, "level": level, "previous_level": old})
	if name == ELRFeature && old >= 1 && level < 1 {
		c.clearELR()
	}
	return nil
}

// clearELR writes a change for every partition that still has an ELR or a
// last known leader, once ELR is turned off.
func (c *Controller) clearELR() {
	for _, tn := range c.image.TopicNames() {
		for _, p := range c.image.Topics[tn].Partitions {
			if len(p.ELR) == 0 && len(p.LastKnownELR) == 0 {
				continue
			}
			ch := &metadata.PartitionChange{Topic: p.Topic, Partition: p.Index, Leader: p.Leader, ISR: clone(p.ISR),
				LeaderEpoch: p.LeaderEpoch, PartitionEpoch: p.PartitionEpoch + 1}
			c.applyChange(p, result{rec: ch}, fmt.Sprintf("%s is 0: the ELR and the last known leader are cleared", ELRFeature))
		}
	}
}
