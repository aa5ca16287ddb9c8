package partition

import (
	"math"
	"testing"
)

// Kafka's own vectors: clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java, testMurmur2.
func TestMurmur2KafkaVectors(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int32
	}{
		{"21", -973932308},
		{"foobar", -790332482},
		{"a-little-bit-long-string", -985981536},
		{"a-little-bit-longer-string", -1486304829},
		{"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971},
		{"abc", 479470107},
	} {
		if got := Murmur2([]byte(c.in)); got != c.want {
			t.Errorf("Murmur2(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestToPositive(t *testing.T) {
	for _, c := range []struct{ in, want int32 }{
		{0, 0}, {1, 1}, {-1, math.MaxInt32}, {math.MinInt32, 0}, {math.MaxInt32, math.MaxInt32}, {-973932308, 1173551340},
	} {
		if got := ToPositive(c.in); got != c.want {
			t.Errorf("ToPositive(%d) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestForKey(t *testing.T) {
	// toPositive(-973932308) = 1173551340 = 3·391183780 = 7·167650191+3 = 50·23471026+40.
	for _, c := range []struct {
		n, want int
	}{{1, 0}, {3, 0}, {7, 3}, {50, 40}} {
		if got := ForKey([]byte("21"), c.n); got != c.want {
			t.Errorf("ForKey(\"21\", %d) = %d, want %d", c.n, got, c.want)
		}
	}
}

func TestForKeyPanicsWithoutPartitions(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("ForKey(key, 0) did not panic")
		}
	}()
	ForKey([]byte("k"), 0)
}
