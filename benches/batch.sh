#!/usr/bin/env bash
# Batch benchmarks (issues 4 and 6), run by hand: `bash benches/batch.sh`.
# In one run, on two trees — ../shared/corpus (34 MB, page-cached) and the
# corpus copied COPIES times (default 30, about 1 GB) — and with one thread
# and with all cores, hyperfine medians of:
#   rg -c data-ttu-id                 the floor: find every span
#   tmex extract -f jsonl|tmx|csv     to /dev/null
#   tmex check                        default checks, to /dev/null
# and, with one thread, the stages of benches/floor.rs (the least work that
# writes records of the same shape: read the files; find the pairs of the
# usual form; write JSON lines with the texts as their own plain views, or
# TMX units without inline codes):
#   floor read | floor pairs | floor jsonl | floor tmx
# then the ratio of each to ripgrep with the same thread count, and the peak
# RSS of each tmex command on the big tree (/usr/bin/time).
# Needs: hyperfine, ripgrep (apt-get install -y hyperfine ripgrep).
# RUNS (small tree, default 10) and BIG_RUNS (default 3) set the run counts.
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${COPIES:-30}
corpus=$(cd ../shared/corpus && pwd)
cargo build --release --quiet
cargo build --release --quiet --example floor
tmex=$PWD/target/release/tmex
floor=$PWD/target/release/examples/floor
big=${BIG_DIR:-/tmp/tmex-big-corpus}
cores=$(nproc)
echo "machine: $cores cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%F); tmex $(git rev-parse --short HEAD)"

if [ ! -d "$big" ] || [ "$(ls "$big" | wc -l)" -ne "$copies" ]; then
  rm -rf "$big"; mkdir -p "$big"
  for i in $(seq -w 1 "$copies"); do cp -r "$corpus" "$big/copy$i"; done
fi

# commands TREE JOBS: label<TAB>command lines
commands() {
  local tree=$1 j=$2
  printf 'rg\trg -c -j%s data-ttu-id %s\n' "$j" "$tree"
  printf 'jsonl\t%s extract -q -j%s %s -f jsonl -o /dev/null\n' "$tmex" "$j" "$tree"
  printf 'tmx\t%s extract -q -j%s %s -f tmx --target-lang xx-XX -o /dev/null\n' "$tmex" "$j" "$tree"
  printf 'csv\t%s extract -q -j%s %s -f csv -o /dev/null\n' "$tmex" "$j" "$tree"
  printf 'check\t%s check -q -j%s --no-config %s\n' "$tmex" "$j" "$tree"
  if [ "$j" = 1 ]; then
    for stage in read pairs jsonl tmx; do
      printf 'floor-%s\t%s %s %s\n' "$stage" "$floor" "$stage" "$tree"
    done
  fi
}

bench() { # name tree runs
  local name=$1 tree=$2 runs=$3 mb
  # MB (10^6 bytes) of the input files tmex reads.
  mb=$(find "$tree" -type f \( -name '*.md' -o -name '*.yml' -o -name '*.yaml' -o -name '*.xml' \) -printf '%s\n' | awk '{s+=$1} END {printf "%.1f", s/1e6}')
  echo "== $name: $tree ($mb MB of inputs, $(find "$tree" -type f | wc -l) files)"
  cat $(find "$tree" -type f | head -100000) >/dev/null 2>&1 || true
  for j in 1 "$cores"; do
    local args=()
    while IFS=$'\t' read -r label cmd; do args+=(-n "$label -j$j" "$cmd"); done < <(commands "$tree" "$j")
    hyperfine -N -i --warmup 1 --runs "$runs" --export-json "/tmp/tmex-bench-$name-$j.json" "${args[@]}" >/dev/null
    python3 - "/tmp/tmex-bench-$name-$j.json" "$mb" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))['results']
mb = float(sys.argv[2])
med = {x['command']: x['median'] for x in r}
floor = next(m for c, m in med.items() if c.startswith('rg'))
print(f"  {'command':14s} {'median':>10s} {'MB/s':>8s} {'x rg':>6s}")
for c, m in med.items():
    print(f"  {c:14s} {m*1000:8.1f} ms {mb/m:8.1f} {m/floor:6.2f}")
PY
  done
}

bench small "$corpus" "${RUNS:-10}"
bench big "$big" "${BIG_RUNS:-3}"

echo "== peak RSS on the big tree (all cores)"
while IFS=$'\t' read -r label cmd; do
  case $label in rg|floor-*) continue ;; esac
  /usr/bin/time -f '%M' -o /tmp/tmex-rss.txt $cmd >/dev/null 2>&1 || true
  printf '  %-6s %8.1f MB\n' "$label" "$(python3 -c "print($(tail -1 /tmp/tmex-rss.txt)/1024)")"
done < <(commands "$big" "$cores")
