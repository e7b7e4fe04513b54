#!/bin/sh
# `make data`: Debian's English package descriptions as a summarization
# corpus (long description = article, synopsis = summary), in data/debian/.
#
# apt fetches the main archive's Translation-en index with its own signature
# checks (InRelease, then the index's hash), into a lists folder of its own:
# the machine's apt lists are neither read nor changed. Then
# scripts/prepare_debian_corpus.py writes data/debian/pairs.jsonl and
# data/debian/manifest.json (the index's sha256, counts, medians), which
# every run that uses the corpus records.
set -eu
cd "$(dirname "$0")/.."
out=${1:-data/debian}
python=${PYTHON:-python3}
out=$(mkdir -p "$out" && cd "$out" && pwd)
lists="$out/apt/lists"
mkdir -p "$lists/partial" "$out/apt/cache"
# apt drops privileges to _apt for downloads when it runs as root.
chown -R _apt "$lists/partial" 2>/dev/null || true
apt-get -qq -o Dir::State::Lists="$lists" -o Dir::Cache="$out/apt/cache" \
    -o Acquire::Languages=en -o Debug::NoLocking=1 update
index=$(ls "$lists"/*_debian_dists_*_main_i18n_Translation-en* | grep -v -e updates -e security | head -1)
[ -n "$index" ] || { echo "fetch-debian-corpus: no Translation-en index in $lists" >&2; exit 1; }
/usr/lib/apt/apt-helper cat-file "$index" > "$out/Translation-en"
"$python" scripts/prepare_debian_corpus.py "$out/Translation-en" "$out/pairs.jsonl" "$out/manifest.json"
echo "corpus: $out/pairs.jsonl ($out/manifest.json)"
