#!/usr/bin/env bash
# corpus-check.sh - run pyfix over a copy of the real-world corpus and check what it wrote.
#
#   scripts/corpus-check.sh [pyfix flags...]      e.g. --unsafe-fixes --select bare-open
#
# Copies the corpus (scripts/get-corpus.sh; CORPUS=/tmp/pyfix-dev-corpus) to a scratch dir, runs
# pyfix on the copy, then checks: every changed file still compiles under python3; a second run changes
# nothing (idempotent); pyfix did not panic; its safety net dropped no fix (no "internal error").
# Builds into $CARGO_TARGET_DIR when set; PYFIX=/path/to/pyfix uses that binary instead of building. Prints counts and leaves the copy and a full diff in $OUT for review.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-/tmp/pyfix-dev-corpus}
OUT=${OUT:-/tmp/pyfix-corpus-check}
[[ -d $CORPUS ]] || { echo "no corpus at $CORPUS: run scripts/get-corpus.sh first" >&2; exit 2; }
if [[ -n ${PYFIX:-} ]]; then
    pyfix=$PYFIX  # a prebuilt binary (a reviewer's copy, an older build to compare)
else
    cargo build --release --quiet --manifest-path "$here/Cargo.toml"
    pyfix="${CARGO_TARGET_DIR:-$here/target}/release/pyfix"
fi

rm -rf "$OUT"; mkdir -p "$OUT"
cp -r "$CORPUS" "$OUT/before"
cp -r "$CORPUS" "$OUT/after"

set +e
"$pyfix" --check "$@" "$OUT/before" > "$OUT/findings.txt" 2> "$OUT/check.stderr"
start=$(date +%s.%N)
"$pyfix" "$@" "$OUT/after" 2> "$OUT/fix.stderr"
status=$?
end=$(date +%s.%N)
set -e
echo "first run: exit $status in $(python3 -c "print(round($end-$start,2))")s: $(tail -n 1 "$OUT/fix.stderr")"
if grep -q "panicked" "$OUT/fix.stderr" "$OUT/check.stderr"; then echo "FAIL: pyfix panicked"; grep -h "panicked" "$OUT"/*.stderr | head; exit 1; fi
# pyfix's own safety net (parse + compile-level check of every pass, src/compile.rs) reports a fix it had to drop as
# an internal error: each one is a codemod bug.
internal=$(grep -c "internal error" "$OUT/fix.stderr" || true)
echo "internal errors (fixes pyfix's safety net dropped): $internal"
grep -h "internal error" "$OUT/fix.stderr" | head -20 || true
echo "skipped files (not processed):"; grep -h "not processed\|cannot decode\|binary file" "$OUT/fix.stderr" | sed 's/^/  /' | head -20 || true

diff -ruN "$OUT/before" "$OUT/after" > "$OUT/changes.diff" || true
changed=$(diff -rq "$OUT/before" "$OUT/after" | awk '{print $4}' | grep '\.pyi\?$' || true)
n=$(printf '%s\n' "$changed" | grep -c . || true)
echo "changed files: $n   (full diff: $OUT/changes.diff, findings: $OUT/findings.txt)"
if [[ $n -gt 0 ]]; then
  bad=$(printf '%s\n' "$changed" | python3 -c '
import sys
bad = 0
for p in sys.stdin.read().split():
    try:
        compile(open(p, "rb").read(), p, "exec", dont_inherit=True)
    except SyntaxError as e:
        bad += 1
        print(f"  does not compile: {p}:{e.lineno}: {e.msg}", file=sys.stderr)
print(bad)')
  echo "changed files that do not compile: $bad"
fi
set +e
"$pyfix" --dry-run "$@" "$OUT/after" > "$OUT/second.diff" 2> "$OUT/second.stderr"
set -e
again=$(grep -c '^+++ ' "$OUT/second.diff" || true)
echo "files a second run would change again: $again"
grep -h '^+++ ' "$OUT/second.diff" | head -10 || true
echo "findings by codemod and fix kind:"
sed -n 's/.*: \([a-z-]*\): .*\[fix: \([a-z]*\)\].*/\1 \2/p' "$OUT/findings.txt" | sort | uniq -c | sed 's/^/  /'
[[ ${bad:-0} -eq 0 && $again -eq 0 && $internal -eq 0 ]]
