#!/usr/bin/env bash
# index-decisions.sh - the decisions the project index changes on the corpus, per codemod.
#
#   scripts/index-decisions.sh [pyfix flags...]      e.g. --select mutable-default
#
# Runs `--check --unsafe-fixes --output-format json` over the corpus ($CORPUS, read only) twice: as is, and with
# PYFIX_NO_PROJECT_INDEX set (every question about another module of the project answers "unknown"). Prints per
# codemod the fixes gained, fixes refused, reports dropped and added, and reasons changed, then every change with
# both verdicts, for review. Leaves both JSON files in $OUT. PYFIX=/path/to/pyfix uses that binary.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-/tmp/pyfix-dev-corpus}
OUT=${OUT:-/tmp/pyfix-index-decisions}
[[ -d $CORPUS ]] || { echo "no corpus at $CORPUS: run scripts/get-corpus.sh first" >&2; exit 2; }
if [[ -n ${PYFIX:-} ]]; then
    pyfix=$PYFIX
else
    cargo build --release --quiet --manifest-path "$here/Cargo.toml"
    pyfix="${CARGO_TARGET_DIR:-$here/target}/release/pyfix"
fi
mkdir -p "$OUT"
set +e
"$pyfix" --check --unsafe-fixes --no-cache --output-format json "$@" "$CORPUS" > "$OUT/with-index.json" 2> "$OUT/with-index.stderr"
PYFIX_NO_PROJECT_INDEX=1 "$pyfix" --check --unsafe-fixes --no-cache --output-format json "$@" "$CORPUS" \
    > "$OUT/without-index.json" 2> "$OUT/without-index.stderr"
set -e
python3 - "$OUT/without-index.json" "$OUT/with-index.json" "$CORPUS" <<'PY'
import collections, json, sys
off, on, corpus = (json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3].rstrip("/") + "/")
key = lambda f: (f["path"], f["codemod"], f["start"]["line"], f["start"]["column"], f["message"].split(";")[0])
def index(fs):
    out = {}
    for f in fs:
        out.setdefault(key(f), f)
    return out
a, b = index(off), index(on)
counts = collections.defaultdict(collections.Counter)
changes = []
for k in sorted(set(a) | set(b)):
    x, y = a.get(k), b.get(k)
    fixed = lambda f: f is not None and f["applicability"] in ("safe", "unsafe")
    if x and y and (x["applicability"], x.get("reason"), x["message"]) == (y["applicability"], y.get("reason"), y["message"]):
        continue
    if not x:
        kind = "fix gained" if fixed(y) else "report added"
    elif not y:
        kind = "report dropped"
    elif fixed(y) and not fixed(x):
        kind = "fix gained"
    elif fixed(x) and not fixed(y):
        kind = "fix refused"
    elif x["applicability"] != y["applicability"]:
        kind = f"{x['applicability']} -> {y['applicability']}"
    else:
        kind = "reason changed"
    counts[k[1]][kind] += 1
    changes.append((k, kind, x, y))
show = lambda f: "no finding" if f is None else f"[{f['applicability']}] {f['message']}" + (f" ({f['reason']})" if f.get("reason") else "")
for codemod in sorted(counts):
    print(f"{codemod}: " + ", ".join(f"{n} {kind}" for kind, n in sorted(counts[codemod].items())))
if not counts:
    print("no decision changed")
for k, kind, x, y in changes:
    print(f"\n{k[0].removeprefix(corpus)}:{k[2]} {k[1]}: {kind}\n  without: {show(x)}\n  with:    {show(y)}")
PY
