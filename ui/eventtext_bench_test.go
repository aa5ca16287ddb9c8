package ui

import "testing"

// BenchmarkPhrase translates engine prose into Korean: one phrase no rule
// knows (every rule is tried) and one the last rules match.
func BenchmarkPhrase(b *testing.B) {
	b.Run("miss", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			phrase("ko", "replication factor 3 needs 4 live brokers, 2 are available and this sentence goes on")
		}
	})
	b.Run("hit", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			phrase("ko", "min.compaction.lag.ms=100: segment 7 holds records only 5s old")
		}
	})
}
