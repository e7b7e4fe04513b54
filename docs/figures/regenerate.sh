#!/bin/sh
# Regenerates every PNG in docs/figures from the commands the docs name
# (`make figures`; 10 min 35 s on 2 cores in release, most of it the
# eigenvalue task's three seeds). Each experiment gets a fresh results
# database in $RESULTS/figures, so its first run is run 1, and its HTML
# report and SVG figures land beside it.
set -eu
ASSAY=${ASSAY:-.build/release/assay}
OUT=${FIGURES:-docs/figures}
WORK=${RESULTS:-results}/figures
rm -rf "$WORK"
mkdir -p "$WORK" "$OUT"

# experiment NAME COMMAND CONFIG: runs it and reports run 1.
experiment() {
    "$ASSAY" "$2" "$3" --db "$WORK/$1.sqlite" > "$WORK/$1.txt"
    "$ASSAY" report 1 --db "$WORK/$1.sqlite" --output "$WORK/$1.html" --figures "$WORK/$1" > /dev/null
}

# png NAME FIGURE TARGET: one SVG figure of an experiment as docs/figures/TARGET.png.
png() {
    rsvg-convert -f png "$WORK/$1/$2.svg" -o "$OUT/$3.png"
}

experiment default run configs/default.toml
png default scaling scaling
png default pstar pstar

experiment phase phase configs/phase.toml
png phase phase phase

experiment phase-margin phase configs/phase-margin.toml
png phase-margin phase phase-margin

# Groups in sweep order: labels "sample" then "sign", n0 200, 1000, 10000.
experiment fig3 run configs/fig3.toml
png fig3 scaling-1 fig3-sample-n0-200
png fig3 scaling-4 fig3-sign-n0-200
png fig3 pstar-1 fig3-pstar

experiment rounds run configs/rounds.toml
png rounds rounds-1 rounds

experiment eigen-fig4 run configs/eigen-fig4.toml
png eigen-fig4 accuracy-pstar-1 eigen-fig4

echo "figures: $OUT/*.png; reports and tables: $WORK/*.html, $WORK/*.txt"
