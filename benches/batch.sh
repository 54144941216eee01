#!/usr/bin/env bash
# Batch benchmarks (issue 4 and 6), run by hand: `bash benches/batch.sh`.
#  1. Scaling: `tmex extract` over ../shared/corpus with -j1 vs -j2 (and all
#     cores), JSONL to /dev/null, page-cached; hyperfine medians.
#  2. Big corpus: ../shared/corpus copied N times (default 30, about 1 GB)
#     under different folder names; wall time, MB/s and peak RSS
#     (/usr/bin/time -v) for JSONL, CSV and TMX (--split-by lang).
#  3. The floor: `rg -c data-ttu-id` over the same trees.
# Needs: hyperfine, ripgrep (apt-get install -y hyperfine ripgrep).
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${COPIES:-30}
corpus=$(cd ../shared/corpus && pwd)
cargo build --release --quiet
tmex=$PWD/target/release/tmex
big=${BIG_DIR:-/tmp/tmex-big-corpus}
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%F)"

echo "== 1. scaling on ../shared/corpus ($(du -sm "$corpus" | cut -f1) MB)"
hyperfine -N --warmup 2 --runs ${RUNS:-10} --export-json /tmp/tmex-scaling.json \
  "rg -c -j1 data-ttu-id $corpus" \
  "rg -c data-ttu-id $corpus" \
  "$tmex extract -q -j1 $corpus -f jsonl -o /dev/null" \
  "$tmex extract -q -j2 $corpus -f jsonl -o /dev/null" \
  "$tmex extract -q -j1 $corpus -f tmx --target-lang xx-XX -o /dev/null" \
  "$tmex extract -q -j2 $corpus -f tmx --target-lang xx-XX -o /dev/null" \
  "$tmex extract -q -j1 $corpus -f csv -o /dev/null" \
  "$tmex extract -q -j2 $corpus -f csv -o /dev/null" >/dev/null
python3 - <<'PY'
import json
r = json.load(open('/tmp/tmex-scaling.json'))['results']
med = {x['command']: x['median'] for x in r}
for c, m in med.items():
    print(f"  median {m*1000:8.1f} ms  {c.split('/')[-1] if c.startswith('rg') else c.split('release/')[1]}")
cmds = list(med)
j1, j2 = med[cmds[2]], med[cmds[3]]
print(f"  jsonl speedup -j2 vs -j1: {j1/j2:.2f}x")
print(f"  jsonl -j1 vs rg -j1: {j1/med[cmds[0]]:.2f}x;  tmx -j1 vs rg -j1: {med[cmds[4]]/med[cmds[0]]:.2f}x")
PY

echo "== 2. big corpus: $copies copies"
if [ ! -d "$big" ] || [ "$(ls "$big" | wc -l)" -ne "$copies" ]; then
  rm -rf "$big"; mkdir -p "$big"
  for i in $(seq -w 1 "$copies"); do cp -r "$corpus" "$big/copy$i"; done
fi
size=$(du -sm "$big" | cut -f1)
echo "  $size MB in $(find "$big" -type f | wc -l) files"
cat "$(find "$big" -type f -name '*.md' | head -2000)" >/dev/null 2>&1 || true
measure() {
  local label=$1; shift
  /usr/bin/time -v "$@" 2>/tmp/tmex-time.txt >/dev/null || true
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' /tmp/tmex-time.txt)
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' /tmp/tmex-time.txt)
  python3 -c "
w='$wall'.split(':'); s=sum(float(x)*60**i for i,x in enumerate(reversed(w)))
print(f'  {\"$label\":28s} {s:7.2f} s  {$size/s:7.1f} MB/s  max RSS {int($rss)/1024:6.1f} MB')"
}
measure "rg -c data-ttu-id" rg -c data-ttu-id "$big"
measure "extract jsonl" "$tmex" extract -q "$big" -f jsonl -o /dev/null
measure "extract csv" "$tmex" extract -q "$big" -f csv -o /dev/null
out=$(mktemp -d)
measure "extract tmx --split-by lang" "$tmex" extract -q "$big" --split-by lang -o "$out/tm.tmx"
rm -rf "$out"
