"""Puts a recorded session (record.sh's export) into lesson.json as the
steps' solutions (RECORD.md): the steps between two note commands are one
lesson step's, in order; the notes themselves are left out."""
import json, os, re

here = os.path.dirname(os.path.abspath(__file__))
rec = os.environ.get("REC", "/tmp/brokerlab-record")
sc = json.load(open(os.path.join(rec, "s.json")))
parts = {"produce": []}
order = ["produce"]
cur = "produce"
for st in sc.get("steps", []):
    if st["op"] == "note":
        cur = st["note"]
        parts[cur] = []
        order.append(cur)
        continue
    parts[cur].append(st)

path = os.path.join(here, "lesson.json")
src = open(path).read()
lesson = json.loads(src)
ids = [s["id"] for s in lesson["steps"]]
if ids != order:
    raise SystemExit("the recording's notes %s do not name the lesson's steps %s" % (order, ids))

def microseconds(at):
    # The page and the engine API count time in whole microseconds: a
    # recorded time (nanoseconds) is rounded up, after what it followed.
    assert at.endswith("s") and not at.endswith("ms"), at
    ns = round(float(at[:-1]) * 1e9)
    us = -(-ns // 1000)
    return "%d.%06ds" % (us // 1_000_000, us % 1_000_000)

for sid in parts:
    for st in parts[sid]:
        st["at"] = microseconds(st["at"])

def block(steps):
    return "[\n" + ",\n".join("        " + json.dumps(s, ensure_ascii=False, separators=(", ", ": ")) for s in steps) + "\n      ]"

out, pos = [], 0
for sid in ids:
    i = src.index('"solution": [', pos) + len('"solution": ')
    depth, j = 0, i
    while True:
        c = src[j]
        depth += c == "["
        depth -= c == "]"
        j += 1
        if depth == 0:
            break
    out.append(src[pos:i] + block(parts[sid]))
    pos = j
out.append(src[pos:])
open(path, "w").write("".join(out))
print({k: len(v) for k, v in parts.items()})
