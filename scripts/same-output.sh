#!/usr/bin/env bash
# same-output.sh - show that two pyfix binaries print byte-identical output on real code (for refactors that must
# change nothing a user sees).
#
#   scripts/same-output.sh OLD_BINARY NEW_BINARY [DIR]     DIR defaults to the corpus ($CORPUS, /tmp/pyfix-dev-corpus)
#
# Runs both binaries with each flag set below on DIR (read-only modes: nothing is written) and compares stdout,
# stderr and the exit code with cmp. Prints one line per flag set and exits 1 on any difference, leaving both
# outputs in $OUT (default /tmp/pyfix-same-output) to diff.
set -uo pipefail
old=$1 new=$2
dir=${3:-${CORPUS:-/tmp/pyfix-dev-corpus}}
OUT=${OUT:-/tmp/pyfix-same-output}
rm -rf "$OUT"; mkdir -p "$OUT/old" "$OUT/new"
runs=(
  "--check --unsafe-fixes --output-format json"
  "--check"
  "--dry-run"
  "--dry-run --unsafe-fixes"
  "--statistics --check"
  "--statistics --check --unsafe-fixes"
  "--add-ignore --dry-run"
  "--check --output-format sarif --unsafe-fixes"
)
meta=("--list" "--explain bare-open" "--explain mutable-default" "--explain unbounded-cache" "--explain strong-backref"
      "--select no-such-codemod ." "--help")
fail=0
compare() { # name, then the command's arguments
  local name=$1; shift
  for side in old new; do
    local bin=$old; [[ $side == new ]] && bin=$new
    "$bin" "$@" > "$OUT/$side/$name.out" 2> "$OUT/$side/$name.err"
    echo $? > "$OUT/$side/$name.rc"
  done
  local bad=()
  for ext in out err rc; do cmp -s "$OUT/old/$name.$ext" "$OUT/new/$name.$ext" || bad+=("$ext"); done
  if [[ ${#bad[@]} -eq 0 ]]; then echo "same     $*"; else echo "DIFFERS  $* (${bad[*]}: diff $OUT/old/$name.* $OUT/new/$name.*)"; fail=1; fi
}
i=0
for r in "${runs[@]}"; do i=$((i+1)); # shellcheck disable=SC2086
  compare "run$i" --no-cache $r "$dir"; done
for m in "${meta[@]}"; do i=$((i+1)); # shellcheck disable=SC2086
  compare "meta$i" $m; done
exit $fail
