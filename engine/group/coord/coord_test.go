package coord

import (
	"math"
	"testing"
)

// Vectors produced by Java 17 (openjdk 17.0.15) with a throwaway program that
// printed s.hashCode() and (n == Integer.MIN_VALUE ? 0 : Math.abs(n)) % 50,
// the formula of Kafka's GroupCoordinator (Utils.abs(groupId.hashCode()) %
// offsets.topic.num.partitions). "my-group" → 12 and "polygenelubricants" → 0
// are also in KAFKA.md.
var vectors = []struct {
	groupID   string
	hash      int32
	partition int
}{
	{"", 0, 0},
	{"a", 97, 47},
	{"my-group", -1906497762, 12},
	{"polygenelubricants", math.MinInt32, 0}, // abs(MIN_VALUE) = 0
	{"주문-컨슈머-그룹", 131373959, 9},
	{"컨슈머그룹", -1091714663, 13},
	{"결제서비스", -547455472, 22},
	{"😀-group", -1198440043, 43},  // U+1F600: a surrogate pair
	{"group-𝄞-한글", 824336537, 37}, // U+1D11E: a surrogate pair
	{"console-consumer-12345", 158455506, 6},
	{"the-quick-brown-fox-jumps-over-the-lazy-dog-0123456789", -133039853, 3},
}

func TestJavaStringHashCode(t *testing.T) {
	for _, v := range vectors {
		if got := JavaStringHashCode(v.groupID); got != v.hash {
			t.Errorf("JavaStringHashCode(%q) = %d, want %d", v.groupID, got, v.hash)
		}
	}
}

func TestPartition(t *testing.T) {
	for _, v := range vectors {
		if got := Partition(v.groupID, 50); got != v.partition {
			t.Errorf("Partition(%q, 50) = %d, want %d", v.groupID, got, v.partition)
		}
	}
}

// Hand-checked: "컨" is U+CEE8 = 52968 and "슈" is U+C288 = 49800, so
// "컨슈".hashCode() = 52968·31 + 49800 = 1691808; a non-BMP rune counts as
// its two UTF-16 units: U+1F600 = D83D DE00 → 55357·31 + 56832 = 1772899.
func TestHashByHand(t *testing.T) {
	if got := JavaStringHashCode("컨슈"); got != 1691808 {
		t.Errorf("컨슈: %d, want 1691808", got)
	}
	if got := JavaStringHashCode("😀"); got != 1772899 {
		t.Errorf("😀: %d, want 1772899", got)
	}
}

func TestAbs(t *testing.T) {
	for _, c := range []struct{ in, want int32 }{{math.MinInt32, 0}, {-10, 10}, {10, 10}, {0, 0}, {-1, 1}} {
		if got := Abs(c.in); got != c.want {
			t.Errorf("Abs(%d) = %d, want %d", c.in, got, c.want)
		}
	}
}
