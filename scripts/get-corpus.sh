#!/usr/bin/env bash
# get-corpus.sh - fetch and unpack the pyfix evaluation corpus.
#
#   scripts/get-corpus.sh            then scripts/corpus-check.sh, scripts/bench.sh, bench/*.sh read $CORPUS
#
# Real, third-party Python code at pinned versions: 8 PyPI projects plus the
# local CPython's standard library (about 1.7 million lines in all).  Idempotent: archives already downloaded
# (and matching their sha256) are not fetched again; projects already unpacked
# at the pinned version are left alone.  Only PyPI is contacted (via pip).
#
#   CORPUS    where the corpus goes        (default /tmp/pyfix-dev-corpus)
#   PYFIX_DL  where archives are cached    (default /tmp/pyfix-dev-dl)
#   PYTHON    interpreter whose pip and stdlib are used (default python3)
#
# Layout: $CORPUS/<name>/...  (one directory per project, the sdist's top
# directory renamed to <name>), $CORPUS/cpython-stdlib (copy of the stdlib
# without site-packages, __pycache__, lib-dynload, config-*).
# Counts printed at the end (and written to $CORPUS/COUNTS.tsv) cover *.py only.
set -euo pipefail

CORPUS=${CORPUS:-/tmp/pyfix-dev-corpus}
PYFIX_DL=${PYFIX_DL:-/tmp/pyfix-dev-dl}
PYTHON=${PYTHON:-python3}

# name | pip requirement | kind | archive file name | sha256
# kind "sdist": pip download --no-binary :all: --no-deps
# kind "wheel": the Python parts of a pinned manylinux cp311 wheel, for a
#   project whose sdist pip cannot download without building it.
PROJECTS='
requests|requests==2.34.2|sdist|requests-2.34.2.tar.gz|f288924cae4e29463698d6d60bc6a4da69c89185ad1e0bcc4104f584e960b9ed
flask|flask==3.1.3|sdist|flask-3.1.3.tar.gz|0ef0e52b8a9cd932855379197dd8f94047b359ca0a78695144304cb45f87c9eb
werkzeug|werkzeug==3.1.9|sdist|werkzeug-3.1.9.tar.gz|55ca7c70a75689be937aa27f8ff4b018f06ff4838fc73045560bf0f5a1291060
jinja2|jinja2==3.1.6|sdist|jinja2-3.1.6.tar.gz|0137fb05990d35f1275a587e9aee6d56da821fc83491a0fb838183be43f66d6d
click|click==8.5.1|sdist|click-8.5.1.tar.gz|9bbfada76703fd1d784b83eea012e3e8c6a001a876543ef104fa56aaaeb072b4
django|django==5.2.19|sdist|django-5.2.19.tar.gz|ad03d8abc51dbff95ebf34b27123cf0c26a3b62db7ba0cd520783686362533d1
setuptools|setuptools==84.2.1|sdist|setuptools-84.2.1.tar.gz|3ff8b3b5492a0aa66960f4419365a86b84e013070d4313e4d4a6894f5d64d6bc
pip|pip==26.3|sdist|pip-26.3.tar.gz|6c36ae7da8695be67e3cd9f7d87919667ced53f57ce2ede75d89b5912ed2bc4c
'

sha256() { "$PYTHON" -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$1"; }

mkdir -p "$CORPUS" "$PYFIX_DL"

fetch() {  # requirement kind file sha
    local req=$1 kind=$2 file=$3 sum=$4
    if [[ -f "$PYFIX_DL/$file" && "$(sha256 "$PYFIX_DL/$file")" == "$sum" ]]; then
        return 0
    fi
    echo "downloading $req ($kind)" >&2
    if [[ $kind == sdist ]]; then
        "$PYTHON" -m pip download -q --no-binary :all: --no-deps -d "$PYFIX_DL" "$req" >&2
    else
        "$PYTHON" -m pip download -q --only-binary :all: --no-deps \
            --platform manylinux_2_28_x86_64 --python-version 3.11 \
            --implementation cp --abi cp311 -d "$PYFIX_DL" "$req" >&2
    fi
    [[ -f "$PYFIX_DL/$file" ]] || { echo "error: pip did not produce $file" >&2; exit 1; }
    local got; got=$(sha256 "$PYFIX_DL/$file")
    [[ $got == "$sum" ]] || { echo "error: sha256 mismatch for $file: $got" >&2; exit 1; }
}

unpack() {  # name kind file
    local name=$1 kind=$2 file=$3 dest="$CORPUS/$1"
    if [[ -f "$dest/.pyfix-source" && "$(cat "$dest/.pyfix-source")" == "$file" ]]; then
        return 0
    fi
    echo "unpacking $file -> $dest" >&2
    rm -rf "$dest"
    local tmp; tmp=$(mktemp -d "$CORPUS/.unpack.XXXXXX")
    if [[ $kind == sdist ]]; then
        tar -xzf "$PYFIX_DL/$file" -C "$tmp"
        local tops=("$tmp"/*)
        [[ ${#tops[@]} -eq 1 && -d ${tops[0]} ]] || { echo "error: $file has no single top dir" >&2; exit 1; }
        mv "${tops[0]}" "$dest"
        rmdir "$tmp"
    else
        "$PYTHON" -m zipfile -e "$PYFIX_DL/$file" "$tmp"
        mv "$tmp" "$dest"
    fi
    echo "$file" > "$dest/.pyfix-source"
}

names=()
while IFS='|' read -r name req kind file sum; do
    [[ -z $name ]] && continue
    fetch "$req" "$kind" "$file" "$sum"
    unpack "$name" "$kind" "$file"
    names+=("$name")
done <<< "$PROJECTS"

# CPython standard library of $PYTHON (copied, so the corpus is self-contained).
STDLIB=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
PYVER=$("$PYTHON" -c 'import sys; print(sys.version.split()[0])')
dest="$CORPUS/cpython-stdlib"
if [[ ! -f "$dest/.pyfix-source" || "$(cat "$dest/.pyfix-source")" != "cpython-$PYVER" ]]; then
    echo "copying CPython $PYVER stdlib -> $dest" >&2
    rm -rf "$dest"; mkdir -p "$dest"
    tar -C "$STDLIB" --exclude=./site-packages --exclude=__pycache__ \
        --exclude=./lib-dynload --exclude='./config-*' -cf - . | tar -C "$dest" -xf -
    echo "cpython-$PYVER" > "$dest/.pyfix-source"
fi
names+=(cpython-stdlib)

# Counts (*.py only, regular files).
count() {  # dir -> "files lines"
    local files lines
    files=$(find "$1" -type f -name '*.py' | wc -l)
    lines=$(find "$1" -type f -name '*.py' -print0 | xargs -0 cat | wc -l)
    echo "$files $lines"
}
tf=0; tl=0
{
    printf 'project\tsource\tpy_files\tpy_lines\n'
    for n in "${names[@]}"; do
        read -r f l < <(count "$CORPUS/$n")
        printf '%s\t%s\t%d\t%d\n' "$n" "$(cat "$CORPUS/$n/.pyfix-source")" "$f" "$l"
        tf=$((tf + f)); tl=$((tl + l))
    done
    printf 'TOTAL\t-\t%d\t%d\n' "$tf" "$tl"
} > "$CORPUS/COUNTS.tsv"
column -t -s $'\t' "$CORPUS/COUNTS.tsv" 2>/dev/null || cat "$CORPUS/COUNTS.tsv"
