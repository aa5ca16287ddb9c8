package ui

import "github.com/brokerlab/brokerlab/engine/metadata"

// FeatureCommand finalizes eligible.leader.replicas.version at level: the
// fault panel's ELR buttons, what kafka-features.sh upgrade (1, Kafka 4.1+
// new clusters) or downgrade (0, Kafka 4.0) does.
func (a *App) FeatureCommand(level int) Cmd {
	return Cmd{Op: "update_features", Feature: metadata.ELRFeature, Level: &level}
}

// ELRLevel is the committed level of eligible.leader.replicas.version.
func (a *App) ELRLevel() int16 {
	if v, ok := a.F.Snap.Controller.Features[metadata.ELRFeature]; ok {
		return v
	}
	return metadata.Features[metadata.ELRFeature].Default
}
