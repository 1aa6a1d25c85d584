#!/usr/bin/env bash
# verify-stdlib.sh - `pyfix --verify` on a copy of CPython's standard library, with CPython's own test modules of the
# files the fixes change as the command: the fixes that make a test module's test newly fail are dropped, the others
# kept (and written to the copy).
#
#   scripts/verify-stdlib.sh [pyfix flags...]      e.g. --select strong-backref,mutable-default --unsafe-fixes
#
# STDLIB: the stdlib to copy (default: the corpus's cpython-stdlib; its version must match python3's).
# PYFIX: a prebuilt binary instead of building one. OUT: scratch dir (default /tmp/pyfix-verify-stdlib).
# TIMEOUT: --verify-timeout, seconds per run of the command (default 900). TESTS: extra test modules to run.
# JOBS: -j, copies bisected at once (default 1).
# PATHS: what pyfix fixes, relative to the stdlib (default `.`, all of it; e.g. "test/test_dbm.py aifc.py").
# The test modules are chosen as scripts/stdlib-regrtest.sh chooses them: every changed test module, and
# test_<name> for each changed library module or package <name>. They run in one `python3 -m test -v` per run,
# with the copy pyfix made for that run ($PYFIX_VERIFY_ROOT) first on PYTHONPATH (the trace bootstrap pyfix puts
# there stays after it). Prints pyfix's report and the
# wall time; everything is in $OUT/verify.log.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
STDLIB=${STDLIB:-/tmp/pyfix-dev-corpus/cpython-stdlib}
OUT=${OUT:-/tmp/pyfix-verify-stdlib}
TIMEOUT=${TIMEOUT:-900}
TESTS=${TESTS:-}
PATHS=${PATHS:-.}
JOBS=${JOBS:-1}
[[ -d $STDLIB ]] || { echo "no stdlib at $STDLIB: run scripts/get-corpus.sh first" >&2; exit 2; }
if [[ -n ${PYFIX:-} ]]; then
    pyfix=$PYFIX
else
    cargo build --release --quiet --manifest-path "$here/Cargo.toml"
    pyfix="${CARGO_TARGET_DIR:-$here/target}/release/pyfix"
fi

rm -rf "$OUT"; mkdir -p "$OUT"
cp -r "$STDLIB" "$OUT/stdlib"
cd "$OUT/stdlib"
# The files the fixes would change: a dry run's diff headers.
set +e
"$pyfix" --no-cache "$@" --dry-run --color never $PATHS > "$OUT/candidates.diff" 2> /dev/null
set -e
files=$(sed -n 's|^+++ b/\(.*\)$|\1|p' "$OUT/candidates.diff" | sort -u)
[[ -n $files ]] || { echo "no fix to verify"; exit 0; }
modules=$(for f in $files; do
  case $f in
    test/test_*/*) t=${f#test/}; echo "${t%%/*}" ;;
    test/test_*.py) t=${f#test/}; echo "${t%.py}" ;;
    test/*) ;;
    *) t=test_${f%%/*}; t=${t%.py}; [[ -e test/$t.py || -d test/$t ]] && echo "$t" ;;
  esac
done; printf '%s\n' $TESTS)
modules=$(printf '%s\n' $modules | sort -u | tr '\n' ' ')
echo "changed files: $(echo "$files" | wc -l); test modules: $modules"
command="PYTHONPATH=\$PYFIX_VERIFY_ROOT\${PYTHONPATH:+:\$PYTHONPATH} python3 -m test -v --timeout $TIMEOUT $modules"
start=$(date +%s)
set +e
"$pyfix" --no-cache "$@" -j "$JOBS" --verify "$command" --verify-timeout "$TIMEOUT" $PATHS > "$OUT/verify.stdout" 2> "$OUT/verify.log"
status=$?
set -e
end=$(date +%s)
grep -v '^pyfix: verify: ' "$OUT/verify.log" || true
echo "exit status $status; wall time $((end - start)) s on $(nproc) cores"
