//go:build !js

package lessons

import "maps"

// detailKOShare translates the share-group predicates' detail formats
// (share_groups.go) into Korean, as detailKO does for the others.
var detailKOShare = map[string]string{
	"%d running member":                 "실행 중인 멤버 %d개",
	"%d running members":                "실행 중인 멤버 %d개",
	"share group %s does not exist yet": "%s 공유 그룹이 아직 없습니다",
	"share group %s has %s on %s: start more share consumers than partitions":             "%s 공유 그룹: %s, %s — 파티션보다 많은 공유 컨슈머를 시작하세요",
	"share group %s has %s on %s; still waiting for records: %s":                          "%s 공유 그룹: %s, %s; 아직 레코드를 기다리는 멤버: %s",
	"share group %s has %s on %s and every one received records":                          "%s 공유 그룹: %s, %s, 모든 멤버가 레코드를 받았습니다",
	"share consumer %s is %s, takes %d ms per record and received %s":                     "%s 공유 컨슈머: 상태 %s, 레코드당 %d ms 처리, 받은 것 %s",
	"share consumer %s has not started yet":                                               "%s 공유 컨슈머가 아직 시작하지 않았습니다",
	"at %s the lock of member %s ran out; at %s member %s acquired records again":         "%s에 %s 멤버의 잠금이 만료됐고, %s에 %s 멤버가 레코드를 다시 획득했습니다",
	"at %s the lock of member %s ran out; no other member has acquired those records yet": "%s에 %s 멤버의 잠금이 만료됐지만, 아직 다른 멤버가 그 레코드를 획득하지 않았습니다",
	"no lock of share group %s has run out yet":                                           "%s 공유 그룹에서 만료된 잠금이 아직 없습니다",
	"at %s share group %s archived records: %s":                                           "%s에 %s 공유 그룹이 레코드를 보관(archive)했습니다: %s",
	"share group %s has archived no record that way yet":                                  "%s 공유 그룹이 아직 그렇게 보관한 레코드가 없습니다",
}

func init() { maps.Copy(detailKO, detailKOShare) }
