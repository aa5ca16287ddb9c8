package builder

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// seedBundle is a small lesson bundle as the builder writes one.
const seedBundle = `{"lesson":{"id":"leader-crash","order":17,"scenario":{"seed":1,"cluster":{"brokers":3},"steps":[{"at":"0.5s","op":"create_topic","topic":"orders","partitions":1,"replication_factor":3}]},` +
	`"steps":[{"id":"step-1","controls":["play","step","speed","crash_broker"],"goals":[{"id":"step-1-goal-1","check":"election_seen","params":{"topic":"orders"}}],"hints":["step-1-hint-1"],"solution":[{"at":"10s","op":"broker_crash","broker":2}]},` +
	`{"id":"step-2","controls":["play","restart_broker"],"goals":[{"id":"g2","check":"isr_rejoined","params":{"topic":"orders"}}],"hints":["h2"],"solution":[{"at":"30s","op":"broker_restart","broker":2}]},` +
	`{"id":"step-3","controls":["play","inspect_record"],"goals":[{"id":"g3","check":"broker_state","params":{"broker":3,"state":"down"}}],"hints":["h3"]}],` +
	`"common_belief":"belief","glossary":["leader"]},` +
	`"text":{"en":{"title":"A leader crashes","steps.step-1.text":"Crash the [leader](glossary:leader).","glossary.leader":"The replica that takes writes.","belief.wrong":"w","belief.right":"r"},"ko":{"title":"리더가 멈춥니다"}}}`

// FuzzImportLesson feeds Import anything: it must never panic, and a
// bundle it accepts must write out (files, zip, bundle) and read back to
// the same bundle.
func FuzzImportLesson(f *testing.F) {
	f.Add([]byte(seedBundle))
	f.Add([]byte(`{"lesson":{},"text":{"en":{}}}`))
	f.Add([]byte(`{"lesson":{"scenario":{},"steps":[{"solution":[{"at":"-1s","op":"x"}]}]},"text":{"en":{}}}`))
	f.Add([]byte(`{"lesson":{"scenario":{"steps":7}},"text":{"en":{"title":"\u003c"}}}`))
	f.Add([]byte(`[]`))
	if b, err := os.ReadFile(filepath.Join("..", "01-topics-partitions-records", "lesson.json")); err == nil {
		en, _ := os.ReadFile(filepath.Join("..", "01-topics-partitions-records", "text.en.json"))
		if bb, err := BundleFiles([]File{{"lesson.json", b}, {"text.en.json", en}}); err == nil {
			f.Add(bb)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Import(data)
		if err != nil {
			return
		}
		d.Check(nil) // must not panic on any lesson that imports
		files, err := d.Files()
		if err != nil {
			return // a scenario or params that do not write (reported by Check)
		}
		if _, err := Zip(files); err != nil {
			t.Fatalf("Zip: %v", err)
		}
		b1, err := d.Bundle()
		if err != nil {
			t.Fatalf("Bundle of an imported lesson: %v", err)
		}
		d2, err := Import(b1)
		if err != nil {
			t.Fatalf("Import(Bundle()) = %v\n%s", err, b1)
		}
		b2, err := d2.Bundle()
		if err != nil || !bytes.Equal(b1, b2) {
			t.Fatalf("a bundle does not read back to itself (%v):\n%s\n%s", err, b1, b2)
		}
	})
}
