#!/usr/bin/env bash
# fuzz.sh - fuzz pyfix's decode + fix_source for a given time on one core (cargo-fuzz; needs a nightly toolchain).
#
#   scripts/fuzz.sh <seconds>          e.g. scripts/fuzz.sh 3600
#   SEEDS=/usr/lib/python3.11 scripts/fuzz.sh 1200      also seed with real files under 8 KB
#
# One-time setup: `rustup toolchain install nightly` and `cargo install cargo-fuzz`.
# The target (fuzz/fuzz_targets/fix_source.rs, invariants in fuzz/check.rs): any bytes never panic; bytes that parse
# give a fixed text that parses, compiles no worse than the input and that a second run leaves alone. The corpus
# (fuzz/corpus/fix_source, git-ignored) is seeded from every fixture and every kept crash (tests/fuzz_regressions/).
# A crash is saved under fuzz/artifacts/fix_source/ and the run goes on (fork mode); once it is fixed, copy the input
# to tests/fuzz_regressions/ (cargo test runs them all) and record the run in CONTRIBUTING.md.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:?usage: scripts/fuzz.sh <seconds>}
command -v cargo-fuzz > /dev/null || { echo "fuzz.sh: cargo-fuzz missing: cargo install cargo-fuzz" >&2; exit 2; }
corpus="$here/fuzz/corpus/fix_source"
artifacts="$here/fuzz/artifacts/fix_source"
mkdir -p "$corpus" "$artifacts"
for f in "$here"/codemods/*/*.py "$here"/codemods/*/*.pyi "$here"/tests/fuzz_regressions/*; do
  [[ -f $f ]] && cp "$f" "$corpus/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
done
# SEEDS=<dir>: also seed with the Python files under <dir> that fit the length limit (e.g. the stdlib).
if [[ -n ${SEEDS:-} ]]; then
  find "$SEEDS" -name '*.py' -size -8k -type f -not -path '*/site-packages/*' | while read -r f; do
    cp "$f" "$corpus/real-$(echo "$f" | md5sum | cut -c1-12).py"
  done
fi
log="$here/fuzz/fuzz-$(date -u +%Y%m%dT%H%M%SZ).log"
cd "$here/fuzz"
before=$(find "$artifacts" -type f | wc -l)
start=$(date +%s)
# -s none: no sanitizer (pyfix is safe Rust; panics are what we look for) and twice the speed.
# -fork=1 with -ignore_crashes: one worker process on one core that keeps going after a crash.
cargo +nightly fuzz run -s none fix_source "$corpus" -- \
  -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -max_total_time="$secs" \
  -max_len=8192 -timeout=20 -rss_limit_mb=4096 -dict="$here/fuzz/python.dict" \
  -artifact_prefix="$artifacts/" > "$log" 2>&1 || true
end=$(date +%s)
after=$(find "$artifacts" -type f | wc -l)
execs=$(grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#')
echo "fuzzed $((end - start))s, ${execs:-?} executions, $((after - before)) new crash inputs in $artifacts (log: $log)"
grep -h "panicked at" "$log" | sort | uniq -c | sort -rn | head -20 || true
