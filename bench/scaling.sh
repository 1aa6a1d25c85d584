#!/usr/bin/env bash
# scaling.sh - does pyfix's cost grow linearly with file size? (issue 6; never measured by timing tests)
#
#   bench/scaling.sh [sizes...]        default: 10000 30000 100000 300000 1000000 lines
#
# Generates one file per size: N copies of a 4-line function holding a bare `open` and a mutable default (two
# findings per 5 lines, both fixable), then times the release binary with /usr/bin/time on it in `--check` and
# `--dry-run --unsafe-fixes` modes and prints wall and CPU (user + system) seconds, CPU microseconds per line and
# peak RSS. Linear cost means the per-line column stays flat (within 2x) from the smallest size to the largest. CPU
# time is the column to read on a shared machine: one file is processed by one thread, and wall time there also
# counts waiting for a core. Honours CARGO_TARGET_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
sizes=("$@"); [[ ${#sizes[@]} -gt 0 ]] || sizes=(10000 30000 100000 300000 1000000)
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
pyfix="${CARGO_TARGET_DIR:-$here/target}/release/pyfix"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "$(date -u +%Y-%m-%d) $(nproc) cores, $("$pyfix" --version)"
printf '%-9s %-7s %-24s %8s %8s %9s %8s\n' lines findings mode wall_s cpu_s 'cpu_us/ln' 'RSS_MiB'
for lines in "${sizes[@]}"; do
  file="$tmp/gen_$lines.py"
  python3 - "$lines" > "$file" <<'PY'
import sys
n = int(sys.argv[1]) // 5
out = sys.stdout
for i in range(n):
    out.write(f"def load{i}(path, acc=[]):\n    fh = open(path)\n    acc.append(fh.read())\n    return acc\n\n")
PY
  actual=$(wc -l < "$file")
  for mode in "--check" "--dry-run --unsafe-fixes"; do
    # shellcheck disable=SC2086
    /usr/bin/time -o "$tmp/time" -f '%e %U %S %M' "$pyfix" $mode --quiet "$file" > "$tmp/out" 2> "$tmp/err" || true
    if grep -q "panicked\|internal error" "$tmp/err"; then echo "pyfix failed on $file:" >&2; head "$tmp/err" >&2; exit 1; fi
    read -r wall user sys rss < <(tail -n 1 "$tmp/time")
    findings=$((actual / 5 * 2))
    python3 -c "cpu = $user + $sys; print(f'{$actual:<9} {$findings:<7} {\"$mode\":<24} {$wall:8.2f} {cpu:8.2f} {cpu / $actual * 1e6:9.2f} {$rss / 1024:8.0f}')"
  done
  rm -f "$file"
done
