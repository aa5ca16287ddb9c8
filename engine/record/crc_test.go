package record

import "testing"

// The CRC-32C check value from the catalogue of parametrised CRC algorithms
// (CRC-32/ISCSI): CRC-32C("123456789") = 0xE3069283.
func TestChecksumKnownAnswer(t *testing.T) {
	if got := checksum([]byte("123456789")); got != 0xE3069283 {
		t.Fatalf("checksum(123456789) = %#08x, want 0xe3069283", got)
	}
	if got := checksum(nil); got != 0 {
		t.Fatalf("checksum(nil) = %#08x, want 0", got)
	}
}
