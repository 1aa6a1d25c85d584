#!/usr/bin/env bash
# stdlib-regrtest.sh - apply pyfix to a copy of CPython's standard library and run CPython's own test modules
# against the copy, before and after the rewrite: a test that passes before and fails after is a pyfix bug.
#
#   scripts/stdlib-regrtest.sh [pyfix flags...]      e.g. --select bare-open --unsafe-fixes
#
# STDLIB: the stdlib to copy (default: the corpus's cpython-stdlib; its version must match python3's).
# PYFIX: a prebuilt binary to use instead of building one (a reviewer's copy, an older build).
# OUT: scratch dir (default /tmp/pyfix-stdlib-tests). TESTS: extra test modules to run. Every test module whose
# file pyfix changed runs too, and test_<name> for each changed library module or package <name>. Modules run one
# by one with `python3 -m test` and PYTHONPATH set to the copy, so the
# copied `test` package and the pure-Python modules it imports come from the copy (frozen ones such as `os` and
# `codecs` still come from the interpreter). Prints one line per module and the modules that newly fail.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
STDLIB=${STDLIB:-/tmp/pyfix-dev-corpus/cpython-stdlib}
OUT=${OUT:-/tmp/pyfix-stdlib-tests}
TIMEOUT=${TIMEOUT:-600}
TESTS=${TESTS:-"test_difflib test_dis test_iter test_itertools test_unittest test_urllib test_xml_etree test_optparse test_lib2to3 test_tokenize test_exception_hierarchy test_codecs test_logging"}
[[ -d $STDLIB ]] || { echo "no stdlib at $STDLIB: run scripts/get-corpus.sh first" >&2; exit 2; }
if [[ -n ${PYFIX:-} ]]; then
    pyfix=$PYFIX  # a prebuilt binary (a reviewer's copy, an older build to compare)
else
    cargo build --release --quiet --manifest-path "$here/Cargo.toml"
    pyfix="${CARGO_TARGET_DIR:-$here/target}/release/pyfix"
fi

rm -rf "$OUT"; mkdir -p "$OUT"
cp -r "$STDLIB" "$OUT/before"
cp -r "$STDLIB" "$OUT/after"
set +e
"$pyfix" "$@" "$OUT/after" > /dev/null 2> "$OUT/fix.stderr"
set -e
echo "pyfix: $(tail -n 1 "$OUT/fix.stderr")"
diff -ruN "$OUT/before" "$OUT/after" > "$OUT/changes.diff" || true
changed=$(diff -rq "$OUT/before" "$OUT/after" | awk '{print $4}' | sed -n 's|.*/test/\(test_[a-z0-9_]*\)\.py$|\1|p' \
  | sort -u | tr '\n' ' ' || true)
changed_pkgs=$(diff -rq "$OUT/before" "$OUT/after" | awk '{print $4}' | sed -n 's|.*/test/\(test_[a-z0-9_]*\)/.*|\1|p' \
  | sort -u | tr '\n' ' ' || true)
# A changed library module brings its own test module: `aifc.py` -> test_aifc, `email/utils.py` -> test_email.
libs=$(diff -rq "$OUT/before" "$OUT/after" | awk '{print $4}' | grep -v '/test/' \
  | sed -n "s|^$OUT/after/\([a-z0-9_]*\).*|test_\1|p" | sort -u || true)
lib_tests=$(for t in $libs; do [[ -e $OUT/after/test/$t.py || -d $OUT/after/test/$t ]] && echo "$t"; done || true)
modules=$(printf '%s\n' $TESTS $changed $changed_pkgs $lib_tests | sort -u)

run() { # run <tree> <module> -> "pass" | "fail" | "skip"
  local log="$OUT/$1-$2.log" status
  set +e
  (cd "$OUT" && PYTHONPATH="$OUT/$1" timeout "$TIMEOUT" python3 -m test --timeout "$TIMEOUT" "$2") > "$log" 2>&1
  status=$?
  set -e
  if [[ $status -eq 0 ]]; then
    if grep -q "1 test skipped\|1 test run no tests\|No tests ran" "$log"; then echo skip; else echo pass; fi
  else echo fail; fi
}

new_failures=()
for m in $modules; do
  b=$(run before "$m"); a=$(run after "$m")
  printf '%-32s before: %-5s after: %s\n' "$m" "$b" "$a"
  if [[ $b != fail && $a == fail ]]; then new_failures+=("$m"); fi
done
echo "new failures: ${#new_failures[@]} ${new_failures[*]:-}"
[[ ${#new_failures[@]} -eq 0 ]]
