package ui

// eventKO are the Korean event formats: the same keys and arguments as
// eventEN. Kafka's names (config keys, error codes, API names, group states)
// stay in English, as Korean Kafka engineers write them.
var eventKO = map[string]string{
	"admin_error":        "토픽 {topic} 생성 실패: {error}",
	"admin_error/detail": "토픽 {topic} 생성 실패({error}): {detail}",
	"admin_error/add":    "토픽 {topic}에 파티션 추가 실패({error}): {detail}",

	"appended":            "브로커 {id}: {tp}의 오프셋 {base_offset}에 레코드 {records}개 추가 ({bytes} 바이트, 리더 에포크 {leader_epoch}, acks={acks})",
	"assignment_computed": "리더 {name}: {assignor} 할당자로 멤버 {members}명에게 파티션을 할당 (그룹 {group}, 제너레이션 {generation})",
	"batch_split":         "레코드 {records}개({bytes} 바이트)짜리 배치가 브로커에 너무 큼(MESSAGE_TOO_LARGE): 프로듀서가 배치 {batches}개로 나눔",

	"became_follower":         "브로커 {id}: 리더 에포크 {leader_epoch}에서 {tp}의 팔로워, 리더는 브로커 {leader}",
	"became_follower/offline": "브로커 {id}: 리더 에포크 {leader_epoch}에서 {tp}에 리더가 없음(파티션 오프라인)",
	"became_leader":           "브로커 {id}: 리더 에포크 {leader_epoch}에서 {tp}의 리더가 됨 (오프셋 {leo}부터)",

	"broker_crashed":       "브로커 {broker}의 프로세스가 종료됨: 페이지 캐시는 남고, 다른 노드는 연결이 끊긴 것을 봄",
	"broker_crashed/power": "브로커 {broker} 전원 꺼짐: 페이지 캐시에서 플러시되지 않은 레코드 {lost_records}개 유실",
	"broker_fenced":        "브로커 {broker} 펜싱됨: {why} ({timeout})",
	"broker_paused":        "브로커 {broker} 일시 정지: 재개될 때까지 응답도 페치도 하지 않음",
	"broker_registered":    "브로커 {broker} 등록 (브로커 에포크 {broker_epoch}): 메타데이터를 따라잡을 때까지 펜싱 상태",
	"broker_restarted":     "브로커 {broker} 재시작: 디스크에서 로그를 복구함",
	"broker_resumed":       "브로커 {broker} 재개: 밀린 이벤트 {queued}개를 처리함",
	"broker_unfenced":      "브로커 {broker}: 메타데이터를 따라잡아 펜싱 해제됨",

	"cluster_started": "브로커 {brokers}대와 KRaft 컨트롤러 {controllers}대로 클러스터 시작 (시드 {seed})",
	"command_failed":  "명령 {op} 실패: {err}",
	"commit_failed":   "컨슈머 {name}: {how} 실패: {error}",
	"config_warning":  "토픽 {topic}: min.insync.replicas={min_isr}가 복제 계수 {rf}보다 커서 acks=all 프로듀스는 항상 실패함",

	"consumed":                 "컨슈머 {name}: {topic}-{partition}의 오프셋 {from}부터 {to} 전까지 읽음",
	"consumer_closed":          "컨슈머 {name} 종료: 레코드 {count}개 처리 후",
	"consumer_closed/group":    "컨슈머 {name} 종료: 레코드 {count}개 처리 후, {how}",
	"consumer_crashed":         "컨슈머 {name} 크래시",
	"consumer_crashed/group":   "컨슈머 {name} 크래시(kill -9): 커밋도 LeaveGroup도 없음; 처리한 레코드 {processed_uncommitted}개가 커밋되지 않음; 그룹은 session.timeout.ms={session_ms} 뒤에야 알아챔",
	"consumer_error":           "컨슈머 {name}: {error}",
	"consumer_error/no_offset": "컨슈머 {name}: {topic}-{partition}에 오프셋이 없고 auto.offset.reset=none: NoOffsetForPartitionException",
	"consumer_poll_timeout":    "컨슈머 {name}: {since_poll_ms} ms 동안 poll()을 호출하지 않음 (max.poll.interval.ms={max_poll_interval_ms}): 그룹 {group}에서 나감; 배치 크기에 비해 처리가 너무 느림",
	"consumer_started":         "컨슈머 {name}: {topics} 읽기 시작 (auto.offset.reset={reset})",
	"consumer_started/group":   "컨슈머 {name}: 그룹 {group}에서 {topics} 구독, {member} ({protocol} 리밸런싱, 할당자 {assignors}, 커밋: {commit})",

	"controller_crashed":         "컨트롤러 {controller} 중지: 투표자 {voters}개 중 {left}개 남음",
	"controller_elected":         "컨트롤러 {controller}: 에포크 {epoch}에서 {voters}표 중 {votes}표를 얻어 활성 컨트롤러가 됨",
	"controller_election":        "컨트롤러 {controller}: 에포크 {epoch} 선거 시작, {voters}표 중 {need}표 필요",
	"controller_resigned":        "컨트롤러 {controller}: 더 이상 활성 컨트롤러가 아님, 에포크 {epoch}의 리더는 {leader}",
	"controller_resigned/quorum": "컨트롤러 {controller} 사임: controller.quorum.fetch.timeout.ms 안에 투표자 {voters}개 중 {voters_heard}개만 페치함; 과반 없이는 메타데이터를 바꿀 수 없음",
	"controller_restarted":       "컨트롤러 {controller} 복귀: 메타데이터 레코드 {records}개로 쿼럼에 다시 참여",

	"coordinator_found":    "컨슈머 {name}: 그룹 {group}의 코디네이터는 브로커 {coordinator} (__consumer_offsets에서 그룹 파티션의 리더)",
	"coordinator_loaded":   "브로커 {id}: 이제 __consumer_offsets-{partition}의 리더 (리더 에포크 {leader_epoch}): 레코드 {records}개를 재생했고 그룹 {groups}개, 커밋된 오프셋 {offsets}개를 코디네이트함",
	"coordinator_lost":     "컨슈머 {name}: 코디네이터 브로커 {coordinator}를 잃음: {reason}",
	"coordinator_unloaded": "브로커 {id}: __consumer_offsets-{partition}의 그룹 {groups}개 코디네이트 중단: {why}",

	"crash_armed":                "컨슈머 {name}: 다음 커밋 때(처리 후) 크래시함",
	"crash_armed/before_process": "컨슈머 {name}: 다음 poll 때(처리 전) 크래시함",

	"create_topic_done":      "토픽 {topic}의 CreateTopics 성공 (시도 {attempts}회)",
	"create_topic_requested": "어드민 클라이언트가 토픽 {topic} 생성을 요청 (재시도할 수 있는 오류는 최대 {timeout} 동안 재시도)",

	"disk_fault":         "부분 쓰기(torn write): {file}이 {size} 바이트에서 {cut_at} 바이트로 잘림",
	"disk_fault/restart": "부분 쓰기(torn write): {file}이 {size} 바이트에서 {cut_at} 바이트로 잘림; 브로커 {broker}가 재시작해 디스크에서 복구함",
	"disk_fault/nothing": "자를 것이 없음: 브로커 {broker}의 세그먼트 중 디스크에 바이트가 있는 것이 없음 (추가한 데이터가 아직 페이지 캐시에만 있거나 함께 유실됨)",

	"duplicate_dropped": "재시도된 배치(프로듀서 {producer_id}, 시퀀스 {base_sequence}–{last_sequence})는 이미 오프셋 {offset}에 있음: 다시 추가하지 않음",

	"group_joined":               "컨슈머 {name}: 그룹 {group}에 멤버 {member_id}로 참여 (제너레이션 {generation}); 팔로워",
	"group_joined/leader":        "컨슈머 {name}: 그룹 {group}에 멤버 {member_id}로 참여 (제너레이션 {generation}); 리더로서 {protocol} 할당자로 할당을 계산함",
	"group_joined/static_leader": "컨슈머 {name}: 그룹 {group}에 멤버 {member_id}로 참여 (제너레이션 {generation}); 정적 멤버로 돌아온 리더라 현재 할당을 유지함",
	"group_joining":              "컨슈머 {name}: 브로커 {coordinator}에 JoinGroup 보냄: {reason}",

	"group_state_changed":                     "그룹 {group} 리밸런싱 시작 (제너레이션 {generation}): {reason}; 멤버는 {timeout} 안에 다시 참여해야 함",
	"group_state_changed/first":               "그룹 {group} 첫 리밸런싱 시작: {reason}; 멤버를 더 기다리려고 group.initial.rebalance.delay.ms={delay_ms} 동안 대기",
	"group_state_changed/no_members":          "그룹 {group} 리밸런싱 (제너레이션 {generation}): {reason}; 남은 멤버 없음",
	"group_state_changed/Empty":               "그룹 {group}: 멤버 없음(Empty, 제너레이션 {generation})",
	"group_state_changed/CompletingRebalance": "그룹 {group}: 제너레이션 {generation}, 멤버 {members}명, 할당자 {protocol}, 리더 {leader}; 참여에 {join_ms} ms 걸림; 리더의 할당을 기다림",
	"group_state_changed/Stable":              "그룹 {group}: 제너레이션 {generation}에서 Stable; 리밸런싱에 {rebalance_ms} ms 걸림",

	"hwm_advanced":             "브로커 {id}: {tp}의 하이 워터마크 {from} → {to}",
	"internal_topic_requested": "브로커 {id}: 첫 코디네이터 조회를 위해 컨트롤러에 {topic} 생성을 요청 (파티션 {partitions}개, 복제 계수 {replication_factor})",
	"join_rejected":            "그룹 {group}: session.timeout.ms={session_ms}가 group.min.session.timeout.ms={min_ms} … group.max.session.timeout.ms={max_ms} 범위를 벗어남 ({error})",
	"link_fault":               "링크 {a} ↔ {b} 품질 저하",

	"log_cleaned":                   "브로커 {id}: {tp}를 오프셋 {checkpoint} 아래까지 컴팩션: 레코드 {records_read}개 중 {records_removed}개 제거 (툼스톤 {tombstones_removed}개, 키 없는 레코드 {keyless_removed}개), {bytes_before} → {bytes_after} 바이트; 더티 비율 {dirty_ratio_before} → {dirty_ratio_after}",
	"log_recovered":                 "브로커 {id}: {tp} 복구: 세그먼트 {segment_base_offset}의 바이트 {position}부터 {dropped_bytes} 바이트를 버림 ({reason})",
	"log_start_offset_moved":        "브로커 {id}: log-start-offset-checkpoint에 따라 {tp}를 로그 시작 오프셋 {log_start_offset}에서 다시 엶",
	"log_start_offset_moved/leader": "브로커 {id}: 리더를 따라 {tp}의 로그 시작 오프셋을 {log_start_offset}로 옮김",
	"log_swap_recovered":            "브로커 {id}: {segment}: {reason}",
	"log_truncated":                 "브로커 {id}: {tp}를 오프셋 {to_offset}에서 {from_offset}까지 잘라냄: {why}",
	"log_truncated/below":           "브로커 {id}: {tp}의 로그가 {to_offset}에서 끝나 리더의 로그 시작 오프셋 {log_start_offset}보다 앞섬: {log_start_offset}부터 빈 로그로 다시 시작",

	"member_joined":        "그룹 {group}: 동적 멤버 {member_id} 참여",
	"member_joined/static": "그룹 {group}: 정적 멤버({group_instance_id}) {member_id} 참여",
	"member_removed":       "그룹 {group}: 멤버 {member_id} 제거: {reason}",

	"network_healed":      "모든 네트워크 분할과 링크 장애가 복구됨",
	"network_partitioned": "네트워크가 {groups}로 분할됨",
	"note":                "{note}",

	"offset_commit_rejected":  "그룹 {group}: {member_id}의 커밋 거부: {error} (그룹은 제너레이션 {generation}, {state})",
	"offset_out_of_range":     "컨슈머 {name}: {topic}-{partition}의 오프셋 {offset}이 범위를 벗어남 (로그 시작 {log_start}); auto.offset.reset={reset}에 따라 정함",
	"offsets_committed":       "그룹 {group}: {offsets} 커밋 (제너레이션 {generation})",
	"offsets_committed/txn":   "그룹 {group}: 프로듀서 {producer_id}의 트랜잭션이 커밋되어 오프셋이 반영됨: {offsets}",
	"offsets_for_times":       "{who}: {tp}에 {when} 이후 첫 오프셋을 물음: 오프셋 {offset} (타임스탬프 {record_when})",
	"offsets_for_times/none":  "{who}: {tp}에 {when} 이후 첫 오프셋을 물음: 하이 워터마크 아래에 그만큼 늦은 레코드가 없어 답은 null",
	"offsets_for_times/error": "{who}: {tp}에 {when} 이후 첫 오프셋을 물음: {error}",

	"partitions_added":    "토픽 {topic}: 파티션 {from}개 → {to}개",
	"partitions_assigned": "컨슈머 {name}: 제너레이션 {generation}에서 {partitions} 담당 (새로 받음: {added})",
	"partitions_lost":     "컨슈머 {name}: {partitions}를 잃음: {reason}; 마지막 커밋 이후 처리한 레코드는 다음 담당자가 다시 읽음",
	"partitions_revoked":  "컨슈머 {name}: {partitions} 반납: {reason}",

	"position_reset":       "컨슈머 {name}: {topic}-{partition}를 오프셋 {offset}부터 읽음 (auto.offset.reset={reset})",
	"position_reset/group": "컨슈머 {name}: {topic}-{partition}를 오프셋 {offset}부터 읽음 (커밋된 오프셋 없음; auto.offset.reset={reset})",
	"position_restored":    "컨슈머 {name}: 커밋된 오프셋 {offset}부터 {topic}-{partition}를 이어서 읽음",

	"produce_acked":     "프로듀서 {name}: {topic}-{partition}에 보낸 레코드 {records}개 확인, 오프셋 {base_offset} (시도 {attempts}회)",
	"produce_failed":    "{topic}-{partition}에 보낸 레코드 {records}개 실패: {why}",
	"produce_rejected":  "브로커 {id}: {tp}로의 프로듀스 거부({error}): {why}",
	"produce_reordered": "레코드 #{seq}는 #{later_seq}보다 먼저 보냈지만 그 뒤인 오프셋 {offset}에 확인됨 (#{later_seq}는 오프셋 {later_offset}): 재시도된 배치가 나중 배치 뒤에 기록됨",
	"produce_retry":     "{topic}-{partition}에 보낸 레코드 {records}개 배치가 {error}로 실패: {backoff_ms} ms 뒤 {attempt}번째 재시도",

	"producer_closed":             "프로듀서 {name} 종료: 가진 레코드를 모두 보낸 뒤",
	"producer_epoch_bumped":       "프로듀서 {name}: 에포크를 {producer_epoch}로 올림: 브로커가 본 {partitions}의 시퀀스 번호에 빈틈이 있어 0부터 다시 시작",
	"producer_fenced":             "트랜잭션 ID {transactional_id}: 새 프로듀서 인스턴스가 initTransactions 호출; 프로듀서 {producer_id} 에포크 {fenced_epoch}는 펜싱되고 열린 트랜잭션은 중단됨",
	"producer_fenced/replaced":    "트랜잭션 ID {transactional_id}: 에포크 {producer_epoch}가 에포크 {fenced_epoch}를 대체; 이전 인스턴스는 펜싱됨 (PRODUCER_FENCED)",
	"producer_flushed":            "프로듀서 {name}의 flush()가 {ms} ms 뒤 반환됨",
	"producer_id":                 "프로듀서 {name}: 프로듀서 ID {producer_id}, 에포크 {producer_epoch} 받음: 이제 브로커가 중복 재시도를 버릴 수 있음",
	"producer_metadata":           "프로듀서 {name}: {topic}의 파티션 {partitions}개를 봄 (이전 {was}개): 이제 키가 파티션 {partitions}개에 해시되어 일부 키가 옮겨감",
	"producer_started":            "프로듀서 {name} 시작: acks={acks}, linger.ms={linger_ms}, batch.size={batch_size}, 멱등성 꺼짐, compression.type={compression}",
	"producer_started/idempotent": "프로듀서 {name} 시작: acks={acks}, linger.ms={linger_ms}, batch.size={batch_size}, 멱등성 켜짐, compression.type={compression}",

	"rejoin_needed":       "컨슈머 {name}: 그룹 {group}에 다시 참여해야 함: {reason}",
	"replica_gap_skipped": "브로커 {id}: 컴팩션 빈틈을 건너 {tp}를 복사: 오프셋 {from_offset}–{last}는 리더에서 정리됨",
	"scenario_end":        "시나리오가 끝남",
	"segment_deleted":     "브로커 {id}: {tp}의 세그먼트 {segment_base_offset} 삭제 (오프셋 {segment_base_offset}–{last}, {size_bytes} 바이트), 규칙 {rule}: {reason}",

	"send_failed":            "메시지를 직렬화하면 {size} 바이트로 max.request.size({max_request_size}) 또는 buffer.memory({buffer_memory})보다 큼 (RECORD_TOO_LARGE)",
	"send_failed/closed":     "프로듀서가 닫힌 뒤에는 보낼 수 없음 (ILLEGAL_STATE_EXCEPTION)",
	"send_timeout":           "send()가 max.block.ms={max_block_ms} 동안 막힌 뒤 TimeoutException 발생: {why}",
	"static_member_rejoined": "그룹 {group}: 정적 멤버 {group_instance_id}가 멤버 {member_id}로 돌아옴; 이전 멤버 ID {old_member_id}는 펜싱됨",

	"storage_error":           "브로커 {id}: {tp} 저장소 오류",
	"storage_error/clean":     "브로커 {id}: {tp}를 정리(컴팩션)할 수 없음: {err}",
	"storage_error/flush":     "브로커 {id}: {tp}를 디스크에 쓸 수 없음: {err}; 레코드는 페이지 캐시에 남고 이미 저장된 것은 유실되지 않음",
	"storage_error/append":    "브로커 {id}: {tp}에 추가할 수 없음: {err}",
	"storage_error/open":      "브로커 {id}: {tp}의 로그를 열 수 없음: {err}",
	"storage_error/swap":      "브로커 {id}: 중단된 클리너 교체를 마칠 수 없음: {err}",
	"storage_error/write":     "브로커 {id}: {file}을 쓸 수 없음: {err}",
	"storage_error/retention": "브로커 {id}: {tp}의 보존(retention) 처리 실패: {err}",
	"storage_recovered":       "브로커 {id}: {tp}를 다시 디스크에 씀",

	"subscription_changed": "컨슈머 {name}: 이제 {topics} 구독",
	"topic_created":        "토픽 {topic} 생성: 파티션 {partitions}개, 복제 계수 {replication_factor} (컨트롤러 과반이 받으면 커밋됨)",

	"transaction_aborting":             "컨슈머 {name}: 트랜잭션 중단: {reason}; 커밋된 오프셋부터 다시 읽음",
	"transaction_aborting/coordinator": "트랜잭션 ID {transactional_id}: 코디네이터가 프로듀서 {producer_id}의 열린 트랜잭션을 중단함: {reason}",
	"transaction_completed":            "트랜잭션 ID {transactional_id}: 프로듀서 {producer_id}의 트랜잭션이 파티션 {partitions}개에서 커밋됨",
	"transaction_completed/aborted":    "트랜잭션 ID {transactional_id}: 프로듀서 {producer_id}의 트랜잭션이 파티션 {partitions}개에서 중단됨",
	"transactions_initialized":         "컨슈머 {name}의 프로듀서: transactional.id {transactional_id}, 프로듀서 ID {producer_id}, 에포크 {producer_epoch} (이전 인스턴스는 펜싱됨)",
	"txn_coordinator_loaded":           "브로커 {id}: 이제 __transaction_state-{partition}의 리더 (리더 에포크 {leader_epoch}); 트랜잭션 ID {transactional_ids}개를 코디네이트함",
	"txn_marker_written":               "브로커 {id}: {tp}의 오프셋 {offset}에 프로듀서 {producer_id}(트랜잭션 ID {transactional_id})의 COMMIT 마커 기록",
	"txn_marker_written/abort":         "브로커 {id}: {tp}의 오프셋 {offset}에 프로듀서 {producer_id}(트랜잭션 ID {transactional_id})의 ABORT 마커 기록",
	"txn_offsets_dropped":              "그룹 {group}: 프로듀서 {producer_id}의 트랜잭션이 중단되어 준비된 오프셋을 버림",
	"txn_offsets_staged":               "그룹 {group}: 트랜잭션 {transactional_id}(프로듀서 {producer_id})가 {offsets}를 준비함; 트랜잭션이 커밋될 때만 반영됨",

	"unflushed_lost": "브로커 {id}: 페이지 캐시에서 플러시되지 않은 레코드 {records}개 유실 (오프셋 {from_offset}–{last})",

	"leader_elected":         "{tp}: 리더 에포크 {leader_epoch}의 리더는 브로커 {leader} (이전 {previous_leader}), ISR {isr}: {why}",
	"leader_elected/unclean": "{tp}: 리더 에포크 {leader_epoch}의 리더는 브로커 {leader} (이전 {previous_leader}), ISR {isr}: {why}",
	"partition_offline":      "{tp}: 리더 없음 (이전 브로커 {previous_leader}), ISR {isr}: {why}",
	"partition_changed":      "{tp}: ISR {isr}, 리더 {leader}, 리더 에포크 {leader_epoch}: {why}",
}

func init() { phraseTables["ko"] = phrasesKO }

// phrasesKO translate the engine's English prose that events carry as a
// reason or an explanation (see phrase). Each pattern covers a whole
// phrase; the first rule that matches wins, so specific rules come first.
var phrasesKO = rules(
	// starting and joining
	`it starts`, `시작함`,
	`member (\S+) joined`, `멤버 $1 참여`,
	`member (\S+) rejoined with new metadata`, `멤버 $1가 새 메타데이터로 다시 참여`,
	`static member (\S+) rejoined with new metadata`, `정적 멤버 $1가 새 메타데이터로 다시 참여`,
	`member (\S+) updated its subscription`, `멤버 $1가 구독을 바꿈`,
	`members did not sync in time`, `멤버들이 제때 SyncGroup을 보내지 않음`,
	`storing the assignment failed with (\S+)`, `할당 저장이 $1로 실패`,
	`it left the group`, `그룹을 떠남`,
	`it left the group \((.*)\)`, `그룹을 떠남 ($1)`,
	`no heartbeat within session\.timeout\.ms=(\d+)`, `session.timeout.ms=$1 안에 하트비트 없음`,
	`no heartbeat answer within session\.timeout\.ms=(\d+)`, `session.timeout.ms=$1 안에 하트비트 응답 없음`,
	`it did not rejoin within the rebalance timeout \(max\.poll\.interval\.ms=(\d+)\)`, `리밸런스 타임아웃(max.poll.interval.ms=$1) 안에 다시 참여하지 않음`,
	`it did not send SyncGroup within the rebalance timeout`, `리밸런스 타임아웃 안에 SyncGroup을 보내지 않음`,
	`the subscription changed to (.*)`, `구독이 $1로 바뀜`,
	`topic (\S+) now has (\d+) partitions \(the assignment used (\d+)\)`, `토픽 $1의 파티션이 이제 $2개 (할당은 $3개 기준)`,
	`SyncGroup: the group started another rebalance`, `SyncGroup: 그룹이 또 리밸런싱을 시작함`,
	`partitions were revoked and must be reassigned in a second rebalance`, `반납한 파티션은 두 번째 리밸런싱에서 다시 할당되어야 함`,
	`the coordinator answered a heartbeat with REBALANCE_IN_PROGRESS`, `코디네이터가 하트비트에 REBALANCE_IN_PROGRESS로 답함`,
	`OffsetCommit: REBALANCE_IN_PROGRESS`, `OffsetCommit: REBALANCE_IN_PROGRESS`,
	`heartbeat failed: (\S+)`, `하트비트 실패: $1`,
	`heartbeat: (\S+)`, `하트비트: $1`,
	`heartbeat: FENCED_INSTANCE_ID: another consumer uses group\.instance\.id (\S+)`, `하트비트: FENCED_INSTANCE_ID: 다른 컨슈머가 group.instance.id $1를 사용함`,
	`this member is no longer in the group's generation`, `이 멤버는 더 이상 그룹의 제너레이션에 속하지 않음`,
	`eager rebalance: every partition is given back before rejoining`, `eager 리밸런싱: 다시 참여하기 전에 모든 파티션을 반납함`,
	`the cooperative assignor moves them to another member`, `cooperative 할당자가 다른 멤버에게 옮김`,
	`they are no longer subscribed`, `더 이상 구독하지 않음`,
	`the group chose assignor "(.*)", which this consumer does not know`, `그룹이 이 컨슈머가 모르는 할당자 "$1"를 골랐음`,
	`NoOffsetForPartitionException: no committed offset for (\S+) and auto\.offset\.reset=none`, `NoOffsetForPartitionException: $1에 커밋된 오프셋이 없고 auto.offset.reset=none`,
	`ProducerFencedException \((\S+)\): another instance with transactional\.id (\S+) took over`, `ProducerFencedException ($1): transactional.id $2를 가진 다른 인스턴스가 넘겨받음`,
	`dynamic member`, `동적 멤버`,
	`static member (\S+)`, `정적 멤버 $1`,
	// closing and committing
	`sent LeaveGroup`, `LeaveGroup을 보냄`,
	`did not leave the group \(a static member keeps its place until session\.timeout\.ms\)`, `그룹을 떠나지 않음 (정적 멤버는 session.timeout.ms까지 자리를 지킴)`,
	`CommitFailedException \(ILLEGAL_GENERATION\): the group rebalanced and this member's partitions may belong to another member now`, `CommitFailedException (ILLEGAL_GENERATION): 그룹이 리밸런싱되어 이 멤버의 파티션이 이제 다른 멤버의 것일 수 있음`,
	`CommitFailedException \(UNKNOWN_MEMBER_ID\): the coordinator removed this member`, `CommitFailedException (UNKNOWN_MEMBER_ID): 코디네이터가 이 멤버를 제거함`,
	`RebalanceInProgressException: commit again after rejoining`, `RebalanceInProgressException: 다시 참여한 뒤 다시 커밋해야 함`,
	`auto-commit`, `자동 커밋`,
	// brokers, controller, partitions
	`missed heartbeats for broker\.session\.timeout\.ms`, `broker.session.timeout.ms 동안 하트비트가 없음`,
	`it no longer leads the partition`, `더 이상 그 파티션의 리더가 아님`,
	`leadership changed`, `리더가 바뀜`,
	`broker (\d+) is the first in-sync, unfenced replica`, `브로커 $1가 펜싱되지 않은 첫 동기화 복제본`,
	`UNCLEAN election: broker (\d+) was not in the ISR (\[.*\]); records it never received are lost`, `언클린 선출(UNCLEAN): 브로커 $1는 ISR $2에 없었음; 그 브로커가 받지 못한 레코드는 유실됨`,
	`no in-sync replica is available: the partition is offline`, `사용할 수 있는 동기화 복제본이 없음: 파티션 오프라인`,
	`preferred leader election: broker (\d+) is the preferred replica and in sync`, `선호 리더 선출: 브로커 $1가 선호 복제본이고 동기화됨`,
	`broker (\d+) was fenced`, `브로커 $1 펜싱됨`,
	`broker (\d+) re-registered after a restart`, `브로커 $1가 재시작 후 다시 등록함`,
	`leader (\d+) changed the ISR`, `리더 $1가 ISR을 바꿈`,
	`ISR shrinks: broker (\[.*\]) fell behind for replica\.lag\.time\.max\.ms`, `ISR 축소: 브로커 $1가 replica.lag.time.max.ms 넘게 뒤처짐`,
	`ISR expands: broker (\[.*\]) caught up with the leader`, `ISR 확장: 브로커 $1가 리더를 따라잡음`,
	`the leader's epoch (\d+) ended at offset (\d+)`, `리더의 에포크 $1는 오프셋 $2에서 끝남`,
	// produce refusals (broker)
	`acks=all needs (\d+) in-sync replicas but the ISR of (\S+) is (\[.*\])`, `acks=all에는 동기화 복제본 $1개가 필요하지만 $2의 ISR은 $3`,
	`broker (\d+) does not know (\S+)`, `브로커 $1는 $2를 모름`,
	`broker (\d+) is not the leader of (\S+)`, `브로커 $1는 $2의 리더가 아님`,
	`batch of (\d+) bytes exceeds max\.message\.bytes=(\d+)`, `$1 바이트 배치가 max.message.bytes=$2를 넘음`,
	`producer (\d+) epoch (\d+) sequence (\d+) rejected on (\S+): (\S+)`, `프로듀서 $1 에포크 $2 시퀀스 $3가 $4에서 거부됨: $5`,
	`broker (\d+) could not append to (\S+): (.*)`, `브로커 $1가 $2에 추가하지 못함: $3`,
	`(\S+) after (\d+) attempts?`, `$1 ($2회 시도 후)`,
	`Topic (\S+) not present in metadata after (\d+) ms\.`, `$2 ms가 지나도 토픽 $1가 메타데이터에 없음`,
	// generic shapes, after the specific ones
	`(\w+) failed: (\S+)`, `$1 실패: $2`,
	`(\w+) failed with (\S+)`, `$1 실패: $2`,
	// storage
	`a cleaned segment was being written when the broker stopped; the old segments stay`, `브로커가 멈출 때 정리된 세그먼트를 쓰는 중이었음; 이전 세그먼트는 그대로 남음`,
)
