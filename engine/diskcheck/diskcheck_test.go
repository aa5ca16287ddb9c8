package diskcheck

import (
	"reflect"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/log"
)

func put(t *testing.T, s log.Store, name string, b []byte) {
	t.Helper()
	f, err := s.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(0); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(b, 0); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func TestCompareNamesEveryFileThatLostBytes(t *testing.T) {
	seg := func(i int) string {
		return []string{"broker-1/t-0/00000000000000000000.log", "broker-1/t-0/00000000000000000040.log", "broker-2/t-0/00000000000000000000.log", "broker-3/t-0/00000000000000000000.log", "broker-3/u-1/00000000000000000000.log", "broker-2/u-1/00000000000000000000.log"}[i]
	}
	data := []byte("0123456789abcdefghij")
	old, cur := log.NewMemStore(), log.NewMemStore()
	// 0: identical. 1: the disk holds more (the page ran on). 2: shorter (torn).
	// 3: differs from byte 7. 4: missing on disk. 5: only on disk (deleted later).
	put(t, old, seg(0), data)
	put(t, cur, seg(0), data)
	put(t, old, seg(1), append(append([]byte{}, data...), "klm"...))
	put(t, cur, seg(1), data)
	put(t, old, seg(2), data[:11])
	put(t, cur, seg(2), data)
	bent := append([]byte{}, data...)
	bent[7] = 'X'
	put(t, old, seg(3), bent)
	put(t, cur, seg(3), data)
	put(t, cur, seg(4), data)
	put(t, old, seg(5), data)
	// Not segments: never compared.
	put(t, cur, "broker-1/t-0/00000000000000000000.index", data)
	put(t, cur, "broker-1/cleaner-offset-checkpoint", data)

	prev, err := Capture(old)
	if err != nil {
		t.Fatal(err)
	}
	if len(prev.Files) != 5 || prev.Clock != nil || prev.TooLarge {
		t.Fatalf("captured %d files, clock %v, too large %v", len(prev.Files), prev.Clock, prev.TooLarge)
	}
	got, short, err := Compare(prev, cur)
	if err != nil || short != nil {
		t.Fatal(err, short)
	}
	want := []Damage{
		{Broker: 2, File: "t-0/00000000000000000000.log", Expected: 20, Found: 11, CutAt: 11},
		{Broker: 3, File: "t-0/00000000000000000000.log", Expected: 20, Found: 20, CutAt: 7},
		{Broker: 3, File: "u-1/00000000000000000000.log", Expected: 20, Found: -1, CutAt: 0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("damage\n got %+v\nwant %+v", got, want)
	}
	// An earlier run whose writes failed (a full disk) left shorter and
	// missing files on purpose: only the file that differs is damage.
	prev.Clock = &Clock{Scenario: "x", WriteFailed: true}
	got, short, err = Compare(prev, cur)
	if err != nil || !reflect.DeepEqual(got, want[1:2]) || !reflect.DeepEqual(short, []Damage{want[0], want[2]}) {
		t.Fatalf("after a failed write: damage %+v, short %+v (%v)", got, short, err)
	}
	cmd := Command(want[0])
	if cmd["op"] != "disk_fault" || cmd["mode"] != "truncate" || cmd["size"] != int64(11) || cmd["file"] != "t-0/00000000000000000000.log" {
		t.Fatalf("command %v", cmd)
	}
}

func TestClockRecordRoundTripsAndATornOneIsIgnored(t *testing.T) {
	s := log.NewMemStore()
	if c, err := ReadClock(s); c != nil || err != nil {
		t.Fatalf("no record yet: %v, %v", c, err)
	}
	w, err := OpenClock(s)
	if err != nil {
		t.Fatal(err)
	}
	sum := strings.Repeat("ab12", 16) // a SHA-256 in hex
	for i, us := range []int64{5, 123456789012, 7} {
		want := Clock{Scenario: sum, TimeUS: us, WriteFailed: i == 1}
		if err := w.Write(want); err != nil {
			t.Fatal(err)
		}
		c, err := ReadClock(s)
		if err != nil || c == nil || *c != want {
			t.Fatalf("after writing %d: %+v, %v", us, c, err)
		}
	}
	w.Close()
	f, _ := s.Open(ClockFile)
	f.Truncate(20)
	f.Close()
	if c, err := ReadClock(s); c != nil || err != nil {
		t.Fatalf("torn record read as %+v, %v", c, err)
	}
}

func TestCaptureGivesUpOnAHugeStore(t *testing.T) {
	s := log.NewMemStore()
	big := make([]byte, MaxCapture/2+1)
	put(t, s, "broker-1/t-0/00000000000000000000.log", big)
	put(t, s, "broker-2/t-0/00000000000000000000.log", big)
	d, err := Capture(s)
	if err != nil || !d.TooLarge || len(d.Files) != 0 {
		t.Fatalf("too large %v, %d files, %v", d.TooLarge, len(d.Files), err)
	}
}
