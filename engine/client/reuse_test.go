package client

import "testing"

func TestRecordLogListsEverythingInOrderAcrossChunks(t *testing.T) {
	var l recordLog[int]
	if l.all() != nil {
		t.Fatal("an empty log lists nil")
	}
	for i := 0; i < logChunk+10; i++ {
		l.add(i)
	}
	first := l.all()
	for i := logChunk + 10; i < 3*logChunk+1; i++ {
		l.add(i)
	}
	all := l.all()
	if len(first) != logChunk+10 || len(all) != 3*logChunk+1 {
		t.Fatalf("lengths %d and %d", len(first), len(all))
	}
	for i, v := range all {
		if v != i || i < len(first) && first[i] != i {
			t.Fatalf("item %d is %d", i, v)
		}
	}
}

func TestCarveCopiesAndKeepsEmptyNonNil(t *testing.T) {
	buf := make([]byte, 0, 5)
	k := []byte("ab")
	a, b, e := carve(&buf, k), carve(&buf, []byte("cde")), carve(&buf, nil)
	k[0] = 'x'
	if string(a) != "ab" || string(b) != "cde" || e == nil || len(e) != 0 {
		t.Fatalf("carved %q %q %v", a, b, e)
	}
	if a2 := append(a, 'z'); string(a2) != "abz" || string(b) != "cde" {
		t.Fatalf("appending to one copy changed the next: %q", b)
	}
	key, value := keyValue([]byte("k1"), []byte("v-1"))
	if key != "k1" || value != "v-1" {
		t.Fatalf("keyValue gave %q %q", key, value)
	}
}

func TestPopFrontReusesTheArrayOfAOneItemQueue(t *testing.T) {
	q := make([]int, 0, 1)
	for i := 0; i < 10; i++ {
		q = append(q, i)
		if cap(q) != 1 {
			t.Fatalf("append %d reallocated: cap %d", i, cap(q))
		}
		q = popFront(q)
	}
	q = append(q, 1, 2, 3)
	if q = popFront(q); len(q) != 2 || q[0] != 2 || q[1] != 3 {
		t.Fatalf("popFront left %v", q)
	}
}
