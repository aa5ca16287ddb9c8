package kafkawire

import (
	"fmt"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"
)

// TestCompressionCodecs: kgo's default (snappy) and every other codec a
// client may pick are accepted and read back.
func TestCompressionCodecs(t *testing.T) {
	s, _, _ := start(t, "")
	for _, c := range []struct {
		name  string
		codec kgo.CompressionCodec
	}{{"snappy", kgo.SnappyCompression()}, {"lz4", kgo.Lz4Compression()}, {"gzip", kgo.GzipCompression()}, {"zstd", kgo.ZstdCompression()}} {
		topic := "codec-" + c.name
		p := client(t, s, kgo.DefaultProduceTopic(topic), kgo.AllowAutoTopicCreation(), kgo.ProducerBatchCompression(c.codec))
		for i := 0; i < 5; i++ {
			p.Produce(ctx(t), &kgo.Record{Value: []byte(fmt.Sprintf("%s-%d", c.name, i))}, nil)
		}
		if err := p.Flush(ctx(t)); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		cons := client(t, s, kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
		for i, r := range consume(t, cons, 5) {
			if want := fmt.Sprintf("%s-%d", c.name, i); string(r.Value) != want {
				t.Fatalf("%s: record %d is %q, want %q", c.name, i, r.Value, want)
			}
		}
	}
}
