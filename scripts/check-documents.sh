#!/bin/sh
# The JSON documents of the shipped configs, compared with the ones in
# Tests/Fixtures/documents (made by the build before the layout change of
# issue 13). A refactor that changes no result leaves them byte-identical;
# a change that means to move a number regenerates them with --update and
# says so in its commit.
#
#   scripts/check-documents.sh [--update] [BUILD_DIR]    (default .build/release)
#
# Each command gets a fresh results store, so run ids are the same every time.
# The top-level "schema" member (the document format's version, added with
# the layout) is the one thing removed before comparing — its own line in a
# pretty document, the head of a sweep's first line: the pre-layout
# documents have none.
set -eu
cd "$(dirname "$0")/.."
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
build=${1:-.build/release}
assay="$build/assay"
[ -x "$assay" ] || { echo "check-documents: $assay not found (build it first)" >&2; exit 2; }
golden=Tests/Fixtures/documents
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

document() {  # name, then the assay arguments
    name=$1; shift
    "$assay" "$@" --json --db "$work/$name.sqlite" > "$work/$name.raw" 2> "$work/$name.err" || {
        echo "check-documents: '$name' failed:" >&2; cat "$work/$name.err" >&2; exit 1; }
    grep -v '^  "schema" : ' "$work/$name.raw" | sed '1s/^{"schema": [0-9]*, /{/' > "$work/$name.json" || true
}

document default run configs/default.toml
document rounds-quick run configs/rounds.toml --quick
document phase-quick phase configs/phase.toml --quick
document eigen-fig4-quick run configs/eigen-fig4.toml --quick
document candidates-eigen-quick candidates configs/eigen.toml --quick
document fig3-quick run configs/fig3.toml --quick
document margin-theory phase --margin-theory configs/margin-theory.toml

status=0
for f in "$work"/*.json; do
    name=$(basename "$f")
    if [ $update = 1 ]; then
        mkdir -p "$golden"; cp "$f" "$golden/$name"; echo "updated $golden/$name"
    elif cmp -s "$f" "$golden/$name"; then
        echo "identical: $name"
    else
        echo "DIFFERENT: $name"; diff "$golden/$name" "$f" | head -20; status=1
    fi
done
exit $status
