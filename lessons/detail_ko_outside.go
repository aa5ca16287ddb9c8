//go:build !js

package lessons

import "maps"

// detailKOOutside translates the outside-client predicate's detail formats
// (outside.go) into Korean, as detailKO does for the others.
var detailKOOutside = map[string]string{
	"no Kafka client has connected from outside yet: start the server with its Kafka listener (make run-kafka) and point your client at it": "아직 외부에서 연결한 Kafka 클라이언트가 없습니다: Kafka 리스너와 함께 서버를 시작하고(make run-kafka) 클라이언트를 연결하세요",
	"%d records of %s acknowledged by a leader in epoch %d or later (want %d)":                                                              "레코드 %d개(%s)가 리더 에포크 %d 이상의 리더에게 확인됨 (목표 %d)",
	"%d records of %s acknowledged (want %d)":                                                                                               "레코드 %d개(%s)가 확인됨 (목표 %d)",
	"%d records of %s fetched (want %d)":                                                                                                    "레코드 %d개(%s)를 가져옴 (목표 %d)",
	"%s in %s":                                                                                                                              "%s: 응답 %s",
	"%d answer":                                                                                                                             "응답 %d개",
	"%d answers":                                                                                                                            "응답 %d개",
	"outside clients: %s":                                                                                                                   "외부 클라이언트: %s",
}

func init() { maps.Copy(detailKO, detailKOOutside) }
