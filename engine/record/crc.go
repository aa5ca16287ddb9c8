package record

import "hash/crc32"

// castagnoli is the CRC-32C table Kafka uses for v2 batches (Crc32C.java).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// checksum is CRC-32C over b, as stored in a batch's crc field.
func checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }
