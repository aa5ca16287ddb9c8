package share

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/brokerlab/brokerlab/lessons/share/flatecodec"
	"reflect"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/lessons/session"
)

// fifty is a sandbox run of 50 commands of the kinds a learner gives.
func fifty() Run {
	r := Run{Scenario: json.RawMessage(`{"cluster":{"brokers":3,"controllers":1,"storage":"files"},"seed":1,"steps":[]}`),
		TimeUS: 120_000_000, View: View{Follow: true, Selected: "rec-orders-1-4"}}
	at := int64(1_000_000)
	r.Journal = append(r.Journal, session.Entry{AtUS: at, Commands: []json.RawMessage{
		json.RawMessage(`{"op":"create_topic","partitions":6,"replication_factor":3,"topic":"orders"}`)}})
	for i := 0; i < 49; i++ {
		at += 1_700_000
		var c string
		switch i % 4 {
		case 0:
			c = fmt.Sprintf(`{"count":50,"key":"user-%d","op":"produce","producer":"learner","rate":"1000/s","topic":"orders","value":"order %d"}`, i, i)
		case 1:
			c = fmt.Sprintf(`{"broker":%d,"mode":"process","op":"broker_crash"}`, i%3+1)
		case 2:
			c = fmt.Sprintf(`{"broker":%d,"op":"broker_restart"}`, i%3+1)
		default:
			c = fmt.Sprintf(`{"configs":{"auto.offset.reset":"earliest"},"consumer":"c%d","group":"g","op":"consumer_start","topics":["orders"]}`, i)
		}
		r.Journal = append(r.Journal, session.Entry{AtUS: at, Commands: []json.RawMessage{json.RawMessage(c)}})
	}
	return r
}

// TestRoundTrip: a link and a file give back the very run, and a run of
// 50 commands fits a chat message.
func TestRoundTrip(t *testing.T) {
	r := fifty()
	link, err := Encode(r, flatecodec.Codec{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(link, flatecodec.Codec{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Errorf("link round trip:\n got %+v\nwant %+v", got, r)
	}
	if len(link) > 2000 {
		t.Errorf("a 50-command run takes %d characters; it should fit a chat message (≤ 2,000)", len(link))
	}
	t.Logf("50 commands: link of %d characters", len(link))
	file, err := File(r)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := DecodeFile(file); err != nil || !reflect.DeepEqual(got, r) {
		t.Errorf("file round trip: %v\n got %+v", err, got)
	}
	lesson := Run{Lesson: "topics-partitions-records", LessonVersion: ScenarioVersion(r.Scenario), Step: 2, TimeUS: 5}
	link, _ = Encode(lesson, flatecodec.Codec{})
	if got, err := Decode(link, flatecodec.Codec{}); err != nil || !reflect.DeepEqual(got, lesson) {
		t.Errorf("lesson round trip: %v, %+v", err, got)
	}
}

// TestBundleLink: a run that carries its lesson is written as version 2
// and reads back; a run without one stays version 1.
func TestBundleLink(t *testing.T) {
	r := Run{Bundle: json.RawMessage(`{"lesson":{"id":"made"},"text":{"en":{"title":"Made"}}}`), Journal: []session.Entry{}}
	link, err := Encode(r, flatecodec.Codec{})
	if err != nil || !strings.HasPrefix(link, "2.") {
		t.Fatalf("Encode = %q, %v", link, err)
	}
	got, err := Decode(link, flatecodec.Codec{})
	if err != nil || canon(got) != canon(r) {
		t.Errorf("round trip: %v\n got %+v", err, got)
	}
	file, _ := File(r)
	if got, err := DecodeFile(file); err != nil || canon(got) != canon(r) || !bytes.Contains(file, []byte(`"brokerlab_run": 2`)) {
		t.Errorf("file round trip: %v\n%s", err, file)
	}
}

func deflate(b []byte) string {
	z, _ := flatecodec.Codec{}.Deflate(b)
	return "1." + base64.RawURLEncoding.EncodeToString(z)
}

// TestBrokenLinks: each way a link can be broken is refused with a
// message that says which.
func TestBrokenLinks(t *testing.T) {
	good, _ := Encode(fifty(), flatecodec.Codec{})
	bomb := deflate(bytes.Repeat([]byte(" "), 64<<20))
	cases := []struct{ name, link, want string }{
		{"empty", "", "no version in front"},
		{"version", "3." + good[2:], "format version \"3\""},
		{"version 02", "02." + good[2:], "format version \"02\""},
		{"version mismatch", "2." + good[2:], "says format version 2 but holds a run of version 1"},
		{"bundle in v1", deflate([]byte(`{"bundle":{"lesson":{}},"journal":[],"time_us":0,"view":{}}`)), "says format version 1 but holds a run of version 2"},
		{"bundle and scenario", "2" + deflate([]byte(`{"bundle":{},"scenario":{},"journal":[],"time_us":0,"view":{}}`))[1:], "carries a lesson and names"},
		{"bundle not object", "2" + deflate([]byte(`{"bundle":[1],"journal":[],"time_us":0,"view":{}}`))[1:], "not a JSON object"},
		{"base64", good[:40] + "%%" + good[42:], "characters a link never has"},
		{"truncated", good[:len(good)/2], "cut short or damaged"},
		{"bomb", bomb, "more than 4 MB"},
		{"not a run", deflate([]byte(`[1,2]`)), "does not hold a run"},
		{"unknown field", deflate([]byte(`{"scenario":{},"journal":[],"time_us":0,"view":{},"extra":1}`)), "unknown field"},
		{"neither", deflate([]byte(`{"journal":[],"time_us":0,"view":{}}`)), "neither a lesson nor a scenario"},
		{"time", deflate([]byte(`{"scenario":{},"journal":[],"time_us":99999999999999,"view":{}}`)), "outside 0 to"},
		{"order", deflate([]byte(`{"scenario":{},"journal":[{"at_us":5,"commands":[{"op":"heal"}]},{"at_us":4,"commands":[]}],"time_us":9,"view":{}}`)), "in time order"},
		{"command", deflate([]byte(`{"scenario":{},"journal":[{"at_us":5,"commands":["heal"]}],"time_us":9,"view":{}}`)), "not a JSON object"},
	}
	for _, c := range cases {
		_, err := Decode(c.link, flatecodec.Codec{})
		var p *Problem
		if !errors.As(err, &p) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want a Problem saying %q", c.name, err, c.want)
		}
	}
	if _, err := DecodeFile([]byte(`{"journal":[]}`)); err == nil || !strings.Contains(err.Error(), "no \"brokerlab_run\" field") {
		t.Errorf("a file without the mark: %v", err)
	}
}

// FuzzDecode: no input makes the decoder panic, hang or accept a run that
// breaks the limits, and what it accepts encodes and decodes to itself.
func FuzzDecode(f *testing.F) {
	good, _ := Encode(fifty(), flatecodec.Codec{})
	f.Add(good)
	f.Add(good[:len(good)/3])
	f.Add("1." + base64.RawURLEncoding.EncodeToString([]byte{0xff, 0x00}))
	f.Add(deflate(bytes.Repeat([]byte("{"), 1<<16)))
	f.Add(deflate([]byte(`{"lesson":"x","journal":null,"time_us":0,"view":{}}`)))
	f.Add("2.AAAA")
	bundled, _ := Encode(Run{Bundle: json.RawMessage(`{"lesson":{"id":"x"},"text":{"en":{}}}`), Step: 1}, flatecodec.Codec{})
	f.Add(bundled)
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Decode(s, flatecodec.Codec{})
		if err != nil {
			var p *Problem
			if !errors.As(err, &p) {
				t.Fatalf("an error that is no Problem: %v", err)
			}
			return
		}
		if r.check() != nil {
			t.Fatalf("accepted a run that breaks the limits: %+v", r)
		}
		again, err := Encode(r, flatecodec.Codec{})
		if err != nil {
			t.Fatal(err)
		}
		if r2, err := Decode(again, flatecodec.Codec{}); err != nil || !reflect.DeepEqual(canon(r2), canon(r)) {
			t.Fatalf("re-encoded run differs: %v", err)
		}
	})
}

// canon compacts a run's raw JSON, which a round trip may reformat.
func canon(r Run) string {
	b, _ := json.Marshal(r)
	return string(b)
}
