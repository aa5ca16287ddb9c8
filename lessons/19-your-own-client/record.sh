#!/bin/bash
# Records the solution of lesson your-own-client (RECORD.md): a kcat
# session against go run ./server -kafka, exported as a scenario.
set -e
cd "$(dirname "$0")/../.."
REC=${REC:-/tmp/brokerlab-record}
rm -rf "$REC" && mkdir -p "$REC"
go build -o "$REC/server" ./server
"$REC/server" -addr 127.0.0.1:18080 -kafka 127.0.0.1:19092 -journal "$REC/s.jsonl" > "$REC/server.log" 2>&1 &
SRV=$!
sleep 2
api() { curl -s -H 'Content-Type: application/json' -X POST http://127.0.0.1:18080/engine -d "$1"; echo; }
B=127.0.0.1:19092
api '{"method":"apply","params":{"commands":[{"op":"create_topic","topic":"greetings","partitions":1,"replication_factor":3}]}}'
sleep 2
note() { api "{\"method\":\"apply\",\"params\":{\"commands\":[{\"op\":\"note\",\"note\":\"$1\"}]}}"; }
printf 'hello\nhola\nbonjour\n' | kcat -P -b $B -t greetings
sleep 2
note consume
kcat -C -b $B -t greetings -o beginning -e -q
sleep 2
note failover
( for i in $(seq 1 80); do printf '%s %0200d\n' "$(date +%T)" 0; sleep 0.2; done ) | kcat -P -b $B -t greetings &
KC=$!
sleep 4
LEADER=$(api '{"method":"snapshot","params":{}}' | python3 -c "
import json,sys
s=json.load(sys.stdin)['result']
for p in s['partitions']:
    if p['topic']=='greetings': print(p['leader'])")
echo "leader $LEADER"
api "{\"method\":\"apply\",\"params\":{\"commands\":[{\"op\":\"broker_crash\",\"broker\":$LEADER}]}}"
wait $KC || true
note restart
api "{\"method\":\"apply\",\"params\":{\"commands\":[{\"op\":\"broker_restart\",\"broker\":$LEADER}]}}"
sleep 15
api '{"method":"snapshot","params":{}}' | python3 -c "
import json,sys
s=json.load(sys.stdin)['result']
for p in s['partitions']:
    if p['topic']=='greetings': print(p)
print(json.dumps(s.get('outside'))[:2000])"
kill -INT $SRV; wait $SRV || true
"$REC/server" -replay "$REC/s.jsonl" -export "$REC/s.json"
