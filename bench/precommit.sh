#!/usr/bin/env bash
# precommit.sh - what a project-wide question costs as the project grows, and what a pre-commit run pays (issue 18).
#
#   bench/precommit.sh [modules...]        default: 5000 15000 50000 modules
#
# Generates a project of N modules under /tmp (10 packages; every module holds a memo dict, so every module asks
# whether another module uses it; one module in ten clears its neighbour's memo, so some answers are "yes"; then
# FILLER (20) plain functions, about 4 KB a module in all), then
# times the release binary with /usr/bin/time:
#   full cold      `--check` over the whole project, empty cache (every file parsed, every file's words hashed)
#   full warm      the same again: answered from the cache (results, and the words of every file)
#   3 files warm   `--check` naming 3 files of the project, as pre-commit does, with the cache the full run left
#   3 files cold   the same with `--no-cache`: the project's words are computed from scratch
# and prints wall and CPU (user + system) seconds, CPU microseconds per module and peak RSS; best of `RUNS` (3).
# Linear cost means the per-module column stays flat from the smallest project to the largest. The projects are
# deleted at the end. Honours CARGO_TARGET_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
sizes=("$@"); [[ ${#sizes[@]} -gt 0 ]] || sizes=(5000 15000 50000)
RUNS=${RUNS:-3}
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
pyfix="${CARGO_TARGET_DIR:-$here/target}/release/pyfix"
tmp=$(mktemp -d /tmp/pyfix-precommit.XXXXXX); trap 'rm -rf "$tmp"' EXIT
echo "$(date -u +%Y-%m-%d) $(nproc) cores, $("$pyfix" --version)"
printf '%-8s %-14s %8s %8s %11s %8s\n' modules run wall_s cpu_s 'cpu_us/mod' 'RSS_MiB'
for n in "${sizes[@]}"; do
  proj="$tmp/p$n"
  python3 - "$proj" "$n" "${FILLER:-20}" <<'PY'
import os, sys
root, n, filler = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
packages = 10
os.makedirs(root, exist_ok=True)
open(os.path.join(root, "pyproject.toml"), "w").write('[project]\nname = "gen"\n')
per = n // packages
for p in range(packages):
    d = os.path.join(root, f"pkg{p}")
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "__init__.py"), "w").write(f'"""Package {p}."""\n')
    for i in range(per - 1):
        prev = f"mod{i - 1}" if i else "mod0"
        clear = f"\n\ndef reset():\n    {prev}._memo{i - 1}.clear()\n" if i % 10 == 1 else ""
        clear += "".join(
            f"\n\ndef helper{k}(items, scale={k}):\n    total = 0\n    for item in items:\n"
            f"        if item.enabled and item.size > scale:\n            total += item.size * scale\n"
            f"    return {{'total': total, 'name': 'helper{k}', 'module': __name__}}\n"
            for k in range(filler)
        )
        open(os.path.join(d, f"mod{i}.py"), "w").write(
            f'"""Module {i} of package {p}."""\nfrom pkg{p} import {prev}\n\n_memo{i} = {{}}\n\n\n'
            f"def lookup{i}(name):\n    if name in _memo{i}:\n        return _memo{i}[name]\n"
            f"    value = name.upper()\n    _memo{i}[name] = value\n    return value\n\n\n"
            f"def main():\n    return lookup{i}(input()), {prev}\n{clear}"
        )
PY
  files=$(find "$proj" -name '*.py' | wc -l)
  three=(pkg0/mod0.py pkg3/mod7.py pkg9/mod42.py)
  run() { # label, args...: best of RUNS by CPU; the full cold run is also run RUNS times, each with an empty cache
    local label=$1; shift
    local best=""
    for _ in $(seq "$RUNS"); do
      [[ $label == "full cold" ]] && rm -rf "$proj/.pyfix_cache"
      (cd "$proj" && /usr/bin/time -o "$tmp/time" -f '%e %U %S %M' "$pyfix" --check --quiet "$@" > /dev/null 2> "$tmp/err") || true
      if grep -q "panicked\|internal error" "$tmp/err"; then echo "pyfix failed:" >&2; head "$tmp/err" >&2; exit 1; fi
      local line; line=$(tail -n 1 "$tmp/time")
      if [[ -z $best ]] || python3 -c "import sys; a, b = sys.argv[1].split(), sys.argv[2].split(); sys.exit(0 if float(a[1]) + float(a[2]) < float(b[1]) + float(b[2]) else 1)" "$line" "$best"; then best=$line; fi
    done
    read -r wall user sys rss <<< "$best"
    python3 -c "cpu = $user + $sys; print(f'{$files:<8} {\"$label\":<14} {$wall:8.2f} {cpu:8.2f} {cpu / $files * 1e6:11.1f} {$rss / 1024:8.0f}')"
  }
  run "full cold" .
  run "full warm" .
  run "3 files warm" "${three[@]}"
  run "3 files cold" --no-cache "${three[@]}"
  rm -rf "$proj"
done
