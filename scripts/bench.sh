#!/usr/bin/env bash
# bench.sh - speed and peak memory of pyfix on the real-world corpus (never measured by timing tests).
#
#   scripts/bench.sh [runs]          default 3 runs of each mode
#
# Runs the release binary over a copy of the corpus ($CORPUS, from scripts/get-corpus.sh) in --check mode
# (parse + every codemod, no writes) and --dry-run --unsafe-fixes mode (also applies every fix and renders diffs),
# and prints wall-clock seconds (best and median), peak RSS and lines per second. Writes nothing to the corpus.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-/tmp/pyfix-dev-corpus}
runs=${1:-3}
[[ -d $CORPUS ]] || { echo "no corpus at $CORPUS: run scripts/get-corpus.sh first" >&2; exit 2; }
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
pyfix="$here/target/release/pyfix"
lines=$(find "$CORPUS" -name '*.py' -type f -print0 | xargs -0 cat | wc -l)
files=$(find "$CORPUS" -name '*.py' -type f | wc -l)
echo "corpus: $files files, $lines lines; $(nproc) cores; $("$pyfix" --version)"
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
for mode in "--check" "--dry-run --unsafe-fixes"; do
  times=(); mem=0
  for _ in $(seq "$runs"); do
    # shellcheck disable=SC2086
    /usr/bin/time -o "$tmp" -f '%e %M' "$pyfix" $mode --quiet "$CORPUS" > /dev/null 2> /dev/null || true
    out=$(tail -n 1 "$tmp")
    times+=("${out% *}"); m=${out#* }; (( m > mem )) && mem=$m
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  best=$(head -n 1 <<< "$sorted"); median=$(sed -n "$(( (runs + 1) / 2 ))p" <<< "$sorted")
  rate=$(python3 -c "print(f'{$lines / max($best, 0.001) / 1e6:.2f}')")
  printf '%-26s best %6.2fs  median %6.2fs  peak RSS %5d MiB  %s M lines/s\n' "$mode" "$best" "$median" $((mem / 1024)) "$rate"
done
