# pyfix --evidence: converts a tracemalloc Snapshot.dump() file (argv[1]) to pyfix-evidence/1 JSON on stdout.
# Memory only: the snapshot's statistics by line become `memory.end` (the top 200 by size, as `pyfix trace` keeps).
import json
import os
import sys
import tracemalloc

snapshot = tracemalloc.Snapshot.load(sys.argv[1])
end = []
for stat in snapshot.statistics("lineno")[:200]:
    frame = stat.traceback[0]
    end.append({"path": os.path.realpath(frame.filename), "line": frame.lineno, "bytes": stat.size, "count": stat.count})
json.dump({"schema": "pyfix-evidence/1", "source": "tracemalloc-snapshot", "memory": {"start": [], "end": end, "samples": []}}, sys.stdout)
