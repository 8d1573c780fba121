#!/usr/bin/env bash
# Whole-process benchmark of the release binary: generated decks of 100, 1000 and 10 000 cards
# (Danish text of 30–70 words, hyphenated and justified, 63 × 88 mm, imposed 3 × 3 on A4 with crop
# marks and duplex backs), then the whole default build. Prints wall time, cards per second, peak
# memory and how the stages share the CPU time. Usage: benches/run.sh [runs per size, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cargo build --release --quiet --bin tryksag --example bench_project
bin=target/release/tryksag
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The machine is shared and noisy: report the best and the median wall time of the runs, and the
# peak memory of the best run.
printf '%-8s %10s %10s %12s %12s\n' cards "best s" "median s" "cards/s" "peak MB"
for n in 100 1000 10000; do
  target/release/examples/bench_project "$work/p$n" "$n" 1
  : > "$work/walls"
  best=""
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$work/time" "$bin" build --root "$work/p$n" --run bench >/dev/null 2>&1
    read -r wall kb < "$work/time"
    echo "$wall" >> "$work/walls"
    if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall; peak=$kb; fi
  done
  median=$(sort -n "$work/walls" | awk '{a[NR]=$1} END{print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}')
  awk -v n="$n" -v w="$best" -v m="$median" -v k="$peak" \
    'BEGIN{printf "%-8d %10.3f %10.3f %12.0f %12.1f\n", n, w, m, (w > 0 ? n / w : 0), k / 1024}'
done
echo
echo "stage shares, 1000 cards:"
TRYKSAG_TIMINGS=1 "$bin" build --root "$work/p1000" --run bench 2>&1 >/dev/null | sed -n '/^stage/,+7p'
echo
/usr/bin/time -f 'whole default build (all products and runs): %e s wall, %M KB peak' "$bin" build --out "$work/default" >/dev/null 2>"$work/err" || true
tail -1 "$work/err"
