#!/usr/bin/env bash
# Paired, interleaved comparison of two tryksag binaries on the same generated decks: for each
# size, run A, then B, then A, … so that both see the same machine (a shared, noisy one), and
# report best and median wall time and peak memory of each, and B's speed-up over A.
# The decks are those of benches/run.sh (bench_project: 30–70 words of Danish a card,
# hyphenated and justified, 63 × 88 mm, 3 × 3 on A4 with crop marks and duplex backs).
# Usage: benches/compare.sh OLD_BINARY NEW_BINARY [runs per size, default 9] [sizes, default "1000 10000"]
set -euo pipefail
cd "$(dirname "$0")/.."
a=${1:?old binary}
b=${2:?new binary}
runs=${3:-9}
sizes=${4:-"1000 10000"}
[ -x target/release/examples/bench_project ] || cargo build --release --quiet --example bench_project
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stats() { # file of "wall kb" lines → "best median peakMB"
  sort -n "$1" | awk '{w[NR]=$1; if ($2>m) m=$2} END{med=(NR%2 ? w[(NR+1)/2] : (w[NR/2]+w[NR/2+1])/2); printf "%.3f %.3f %.1f", w[1], med, m/1024}'
}
printf '%-7s %-4s %8s %9s %8s\n' cards bin "best s" "median s" "peak MB"
for n in $sizes; do
  target/release/examples/bench_project "$work/p$n" "$n" 1
  : > "$work/a"; : > "$work/b"
  for _ in $(seq "$runs"); do
    for which in a b; do
      bin=$a; [ $which = b ] && bin=$b
      rm -rf "$work/out"
      /usr/bin/time -f '%e %M' -o "$work/t" "$bin" build --root "$work/p$n" --run bench --out "$work/out" >/dev/null 2>&1
      cat "$work/t" >> "$work/$which"
    done
  done
  read -r ab am ap <<< "$(stats "$work/a")"
  read -r bb bm bp <<< "$(stats "$work/b")"
  printf '%-7s %-4s %8s %9s %8s\n' "$n" old "$ab" "$am" "$ap" "$n" new "$bb" "$bm" "$bp"
  awk -v ab="$ab" -v bb="$bb" -v am="$am" -v bm="$bm" 'BEGIN{printf "        speed-up: best %.2f×, median %.2f×\n", ab/bb, am/bm}'
done
