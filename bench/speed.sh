#!/usr/bin/env bash
# speed.sh - pyfix against ruff's nearest leak rules on the real-world corpus: wall time, CPU time and peak memory.
#
#   bench/speed.sh [runs]        default 5 interleaved runs of each command
#
# Compares, on $CORPUS (fetched by scripts/get-corpus.sh):
#   pyfix --check (every codemod)                       the product
#   pyfix --check --parse-only                          pyfix's floor: read, parse, semantic model, no codemod
#   ruff check --no-cache --isolated --select B006,SIM115,B019    ruff's nearest rules (installed from PyPI into a venv)
# each with all threads and single-threaded (RAYON_NUM_THREADS=1, which both tools honour), runs interleaved so that
# load on the machine hits them alike. Prints medians and the ratios the speed issue asks for, then (with valgrind)
# instruction counts, which do not move with load. Writes nothing to the corpus.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-/tmp/pyfix-dev-corpus}
VENV=${VENV:-/tmp/pyfix-bench-venv}
RUFF_VERSION=${RUFF_VERSION:-0.17.6}
runs=${1:-5}
[[ -d $CORPUS ]] || { echo "no corpus at $CORPUS (run scripts/get-corpus.sh first)" >&2; exit 2; }
if [[ ! -x $VENV/bin/ruff ]] || [[ $("$VENV/bin/ruff" --version) != "ruff $RUFF_VERSION" ]]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "ruff==$RUFF_VERSION"
fi
ruff="$VENV/bin/ruff"
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
pyfix="${CARGO_TARGET_DIR:-$here/target}/release/pyfix"
echo "corpus: $(find "$CORPUS" -name '*.py' | wc -l) files; $(nproc) cores; $("$pyfix" --version); $("$ruff" --version); $(date -u +%F)"

declare -A cmd=(
  [pyfix]="$pyfix --check --no-cache --quiet $CORPUS"
  [floor]="$pyfix --check --parse-only --no-cache --quiet $CORPUS"
  [ruff]="$ruff check --no-cache --isolated --quiet --select B006,SIM115,B019 $CORPUS"
)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for _ in $(seq "$runs"); do
  for threads in all 1; do
    for tool in pyfix floor ruff; do
      env=(); [[ $threads == 1 ]] && env=(RAYON_NUM_THREADS=1)
      # shellcheck disable=SC2086
      env "${env[@]}" /usr/bin/time -o "$tmp/t" -f '%e %U %S %M' ${cmd[$tool]} > /dev/null 2>&1 || true
      read -r wall user sys rss < <(tail -n 1 "$tmp/t")
      echo "$wall $(python3 -c "print($user + $sys)") $rss" >> "$tmp/$tool-$threads"
    done
  done
done
python3 - "$tmp" <<'PY'
import statistics, sys, os
d = sys.argv[1]
def med(tool, threads, col):
    rows = [list(map(float, l.split())) for l in open(os.path.join(d, f"{tool}-{threads}"))]
    return statistics.median(r[col] for r in rows)
print(f"{'':22}{'wall s':>8}{'cpu s':>8}{'peak MiB':>10}")
for threads in ("all", "1"):
    for tool in ("pyfix", "floor", "ruff"):
        print(f"{tool + ' (' + threads + ' threads)':22}{med(tool, threads, 0):8.2f}{med(tool, threads, 1):8.2f}{med(tool, threads, 2) / 1024:10.1f}")
for threads in ("all", "1"):
    r = lambda a, b, c: med(a, threads, c) / med(b, threads, c)
    print(f"{threads} threads: pyfix/ruff wall {r('pyfix','ruff',0):.2f}x cpu {r('pyfix','ruff',1):.2f}x memory {r('pyfix','ruff',2):.2f}x;"
          f" pyfix/floor wall {r('pyfix','floor',0):.2f}x cpu {r('pyfix','floor',1):.2f}x")
PY

# Wall and CPU times move by 10-20% from run to run on a shared 2-core VM. With valgrind installed (and
# INSTRUCTIONS unset or 1), each command also runs once single-threaded under cachegrind: its instruction count
# does not depend on load, so the ratios below are the stable ones.
if [[ ${INSTRUCTIONS:-1} == 1 ]] && command -v valgrind > /dev/null; then
  count() {
    # shellcheck disable=SC2086
    # Exit status 1 means findings, not failure.
    { RAYON_NUM_THREADS=1 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null $1 2>&1 > /dev/null || true; } \
      | awk '/I[[:space:]]+refs/ { gsub(",", "", $NF); print $NF }'
  }
  declare -A ir
  for tool in pyfix floor ruff; do ir[$tool]=$(count "${cmd[$tool]}"); done
  python3 - "${ir[pyfix]}" "${ir[floor]}" "${ir[ruff]}" <<'PY'
import sys
p, f, r = map(int, sys.argv[1:])
print(f"instructions (1 thread): pyfix {p / 1e9:.2f} G, floor {f / 1e9:.2f} G, ruff {r / 1e9:.2f} G;"
      f" pyfix/ruff {p / r:.2f}x, pyfix/floor {p / f:.2f}x")
PY
fi
