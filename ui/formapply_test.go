package ui

import (
	"strings"
	"testing"
)

// playingSandbox starts a one-broker sandbox with topic "orders", playing.
func playingSandbox(t *testing.T) (*App, func(func()), func(string, func() bool)) {
	t.Helper()
	a, env := startApp(t, newFake(map[string]string{}, "sandbox"))
	do := func(f func()) { handle(env, f) }
	wait := func(what string, cond func() bool) { t.Helper(); waitFor(t, env, what, cond) }
	do(func() { a.Sandbox.Brokers = 1; a.StartSandbox() })
	wait("the sandbox", func() bool { return a.F.Open && len(a.F.Snap.Brokers) == 1 })
	do(func() {
		a.Forms.NewTopic, a.Forms.NewPartitions, a.Forms.NewRF = "orders", "2", "1"
		a.CreateTopic()
	})
	wait("the topic", func() bool { return len(a.TopicNames()) == 1 })
	do(func() { a.Playing = true; a.Do(func() error { return nil }) })
	return a, do, wait
}

// TestFormErrorKeepsPlaying: an engine refusal of a form's command shows
// at that form, in plain words, and the simulation goes on playing; the
// page banner stays empty; the form's next success clears it.
func TestFormErrorKeepsPlaying(t *testing.T) {
	a, do, wait := playingSandbox(t)
	do(func() { a.More.ConsumerTopics = "nope"; a.StartConsumer() })
	wait("the consumer form's error", func() bool { return a.FormErrText(PanelConsumer) != "" })
	var text, raw, banner string
	var playing bool
	var at int64
	do(func() {
		text, raw, banner, playing, at = a.FormErrText(PanelConsumer), a.FormErrRaw(PanelConsumer), a.Err, a.Playing, a.F.NowUS
	})
	if !strings.HasPrefix(text, "There is no topic “nope”") || !strings.Contains(raw, `unknown topic "nope"`) {
		t.Fatalf("form error %q (engine: %q)", text, raw)
	}
	if banner != "" || !playing {
		t.Fatalf("after a refused form the banner says %q and playing is %v", banner, playing)
	}
	wait("time to go on", func() bool { return a.F.NowUS > at+100_000 })
	do(func() {
		// The name the learner typed is back (the refused start used no name).
		if a.ConsumerNameField() != "c1" {
			t.Errorf("after a refusal the name field shows %q, want the learner's c1", a.ConsumerNameField())
		}
		// Other panels keep no error; this one clears on its next success.
		if a.FormErrText(PanelProduce) != "" {
			t.Error("the produce panel shows the consumer's error")
		}
	})
	do(func() { a.More.ConsumerTopics = "orders"; a.StartConsumer() })
	wait("the error cleared", func() bool { return a.FormErrText(PanelConsumer) == "" && len(a.F.Snap.Consumers) == 1 })

	// A form's own check goes to its panel, not to the banner.
	do(func() {
		a.Forms.Rate, a.Forms.Count = "fast", "10"
		a.Produce()
		if !strings.Contains(a.FormErrText(PanelProduce), "records per second") || a.Err != "" {
			t.Errorf("produce check: panel %q, banner %q", a.FormErrText(PanelProduce), a.Err)
		}
	})
}

// TestFormsMoveOn: after a send, names that must be unique move on, so a
// second Start consumer click starts a second consumer; one-shot fields
// clear and the topic stays.
func TestFormsMoveOn(t *testing.T) {
	a, do, wait := playingSandbox(t)
	do(func() { a.StartConsumer(); a.StartConsumer() }) // a quick double click
	wait("two consumers", func() bool { return len(a.RunningConsumers()) == 2 })
	settle(t, a)
	do(func() {
		if got := strings.Join(a.RunningConsumers(), " "); got != "c1 c2" || a.ConsumerNameField() != "c3" {
			t.Errorf("consumers %q, next name %q", got, a.ConsumerNameField())
		}
		if e := a.FormErrText(PanelConsumer); e != "" || a.Err != "" {
			t.Errorf("a second Start consumer failed: %q %q", e, a.Err)
		}
	})

	// Lesson 15: "crash c1, then start c1 again": the field proposes c1
	// once c1 has stopped.
	do(func() { a.More.Target = "c1"; a.CrashConsumer() })
	wait("c1 stopped", func() bool { return strings.Join(a.RunningConsumers(), " ") == "c2" })
	do(func() {
		if a.ConsumerNameField() != "c1" {
			t.Errorf("after c1 crashed the name field proposes %q", a.ConsumerNameField())
		}
		a.StartConsumer()
	})
	wait("c1 again", func() bool { return strings.Join(a.RunningConsumers(), " ") == "c1 c2" })
	do(func() {
		if a.ConsumerNameField() != "c3" || a.FormErrText(PanelConsumer) != "" {
			t.Errorf("after c1 restarted: next name %q, error %q", a.ConsumerNameField(), a.FormErrText(PanelConsumer))
		}
		// What the learner types is kept as typed.
		a.SetConsumerName("slow")
		if a.ConsumerNameField() != "slow" {
			t.Errorf("typed slow, field shows %q", a.ConsumerNameField())
		}
	})

	do(func() { a.More.ProducerName = "fast"; a.StartProducer(); a.StartProducer() })
	wait("two producers", func() bool { return len(a.ProducerNames()) == 2 })
	do(func() {
		if got := strings.Join(a.ProducerNames(), " "); got != "fast fast2" || a.More.ProducerName != "fast3" || a.SenderName() != "fast2" {
			t.Errorf("producers %q, next name %q, sender %q", got, a.More.ProducerName, a.SenderName())
		}
	})

	do(func() {
		a.Forms.Key, a.Forms.HKey, a.Forms.HVal, a.Forms.Tombstone, a.Forms.Count, a.Forms.Rate = "k", "trace", "1", true, "1", "500"
		a.Produce()
		if a.Forms.HKey != "" || a.Forms.HVal != "" || a.Forms.Tombstone {
			t.Errorf("one-shot fields kept: %+v", a.Forms)
		}
		if a.Forms.Key != "k" || a.Forms.Rate != "500" || a.FormTopic() != "orders" {
			t.Errorf("fields a learner reuses were cleared: %+v", a.Forms)
		}
	})
	wait("the tombstone", func() bool {
		for _, p := range a.F.Snap.Partitions {
			for _, r := range p.Records {
				if r.Key != nil && *r.Key == "k" && r.Value == nil {
					return true
				}
			}
		}
		return false
	})

	do(func() { a.Forms.NewTopic = "audit"; a.CreateTopic() })
	do(func() {
		if a.Forms.NewTopic != "" || a.FormTopic() != "audit" {
			t.Errorf("after create: name field %q, forms' topic %q", a.Forms.NewTopic, a.FormTopic())
		}
	})
	wait("the new topic", func() bool { return len(a.TopicNames()) == 2 })
	do(func() { a.Forms.NewTopic = "audit"; a.CreateTopic() })
	wait("the duplicate refused", func() bool { return a.FormErrText(PanelTopic) != "" })
	do(func() {
		if a.Forms.NewTopic != "audit" {
			t.Errorf("a refused create cleared the name the learner typed: %q", a.Forms.NewTopic)
		}
	})
}
