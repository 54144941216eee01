#!/usr/bin/env bash
# Linear scaling (issue 6): time per MB of `tmex extract -j1 -f jsonl` on
# single generated files of 1 MB to 1 GB, in two shapes: many short pairs
# (about 150 bytes each) and few huge pairs (1 MB of text each). Flat s/MB
# across sizes means linear time. Run by hand: `bash benches/linear.sh`
# (SIZES="1 10 100 1000" in MB by default; needs about 3 GB of /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
tmex=$PWD/target/release/tmex
dir=${LINEAR_DIR:-/tmp/tmex-linear}
mkdir -p "$dir"
gen() { # shape size_mb file
  python3 - "$1" "$2" "$3" <<'PY'
import sys
shape, mb, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
target = mb * 1_000_000
with open(path, "w", encoding="utf-8") as f:
    f.write("---\nms.contentlocale: de-de\nms.translationtype: HT\n---\n")
    n, written = 0, 0
    while written < target:
        if shape == "short":
            t = f"Öffnen Sie **Einstellungen** und wählen Sie [Speichern](save.md) {n}."
            s = f"Open **Settings** and select [Save](save.md) {n}."
        else:
            t = ("Ein sehr langer Satz mit **Markup**, `Code` und [Links](x.md). " * 16000)[:1_000_000]
            s = ("A very long sentence with **markup**, `code` and [links](x.md). " * 16000)[:1_000_000]
        line = f'<span data-ttu-id="abcde-{n}">{t}</span><span class="sxs-lookup"><span data-stu-id="abcde-{n}">{s}</span></span>\n'
        f.write(line)
        written += len(line.encode())
        n += 1
PY
}
printf '%-6s %8s %10s %10s %10s\n' shape MB seconds "s/MB" "RSS MB"
for shape in short huge; do
  for mb in ${SIZES:-1 10 100 1000}; do
    f="$dir/$shape-$mb.md"
    [ -f "$f" ] || gen "$shape" "$mb" "$f"
    best=""
    for run in 1 2 3; do
      /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$tmex" extract -q -j1 "$f" -f jsonl -o /dev/null
      read -r secs rss < "$dir/time.txt"
      if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $secs < $best else 1)"; then best=$secs; best_rss=$rss; fi
    done
    python3 -c "print(f'%-6s %8d %10.3f %10.5f %10.1f' % ('$shape', $mb, $best, $best/$mb, $best_rss/1024))"
  done
done
