#!/usr/bin/env bash
# cache.sh - how much the per-file cache saves: `pyfix --check` over the real-world corpus with an empty cache
# (cold: parses everything and writes the cache) and again with the cache it left (warm: nothing changed).
#
#   bench/cache.sh [runs]          default 3 runs of each; prints the best wall-clock time of each and the ratio
#
# CORPUS defaults to /tmp/pyfix-dev-corpus (fetched by scripts/get-corpus.sh). The corpus is only read: pyfix runs from a
# scratch directory, which is the project root and so holds the cache. Honours CARGO_TARGET_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-/tmp/pyfix-dev-corpus}
runs=${1:-3}
[[ -d $CORPUS ]] || { echo "no corpus at $CORPUS (run scripts/get-corpus.sh first)" >&2; exit 2; }
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
pyfix="${CARGO_TARGET_DIR:-$here/target}/release/pyfix"
scratch=$(mktemp -d); trap 'rm -rf "$scratch"' EXIT
files=$(find "$CORPUS" -name '*.py' -type f | wc -l)
echo "corpus: $files files; $(nproc) cores; $("$pyfix" --version); $(date -u +%Y-%m-%d)"

seconds() { # runs pyfix --check in the scratch dir, prints wall-clock seconds
  local t0 t1
  t0=$(date +%s.%N)
  (cd "$scratch" && "$pyfix" --check --quiet "$CORPUS" > /dev/null 2>&1) || true
  t1=$(date +%s.%N)
  python3 -c "print(f'{$t1 - $t0:.3f}')"
}
best() { printf '%s\n' "$@" | sort -n | head -n 1; }

cold=(); warm=()
for _ in $(seq "$runs"); do
  rm -rf "$scratch/.pyfix_cache"
  cold+=("$(seconds)")
  warm+=("$(seconds)")
done
c=$(best "${cold[@]}"); w=$(best "${warm[@]}")
echo "cold (empty cache): best ${c}s of ${cold[*]}"
echo "warm (unchanged):   best ${w}s of ${warm[*]}"
python3 -c "print(f'warm is {$c / max($w, 0.001):.1f}x faster than cold')"
