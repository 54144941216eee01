#!/usr/bin/env bash
# `tmex align --source-git` against the baseline of aligning checked-out
# files (issue 15: no more than 3x its time). Both on ../shared/align: its
# `<lang>/en/` holds each English article as it was at the commit its
# translation names, so `tmex align <lang>/en <lang>/loc` is the checked-out
# run, and `tmex align --source-git EN_REPO <lang>/loc` reads the same bytes
# from git. Medians of RUNS runs each, the two alternating, in the same run
# of the script. Run by hand:
#   git clone --bare https://github.com/NuGet/docs.microsoft.com-nuget nuget-en.git
#   EN_REPO=nuget-en.git bash benches/align_git.sh
# TMEX=path/to/tmex uses that binary instead of building the release one.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${EN_REPO:?set EN_REPO to a clone (bare or not) of NuGet/docs.microsoft.com-nuget}"
if [ -z "${TMEX:-}" ]; then
  cargo build --release --quiet
  TMEX=$PWD/target/release/tmex
fi
set="../shared/align"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tmex: $TMEX"
python3 - "$TMEX" "$EN_REPO" "$set" "${RUNS:-7}" <<'PY'
import statistics, subprocess, sys, time
tmex, repo, base, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def timed(cmd):
    t = time.perf_counter()
    # check=True: a failed run (a wrong EN_REPO) is an error, not a fast time.
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t
print(f"{'lang':6} {'checked out':>12} {'--source-git':>13} {'ratio':>6}")
for lang in ["ja-jp", "ko-kr", "fr-fr"]:
    loc, en = f"{base}/{lang}/loc", f"{base}/{lang}/en"
    plain = [tmex, "align", "-q", "-j1", en, loc, "-o", "/dev/null"]
    git = [tmex, "align", "-q", "-j1", "--source-git", repo, loc, "-o", "/dev/null"]
    a, b = [], []
    timed(plain); timed(git)  # warm the page cache
    for _ in range(runs):
        a.append(timed(plain)); b.append(timed(git))
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"{lang:6} {ma*1000:10.1f} ms {mb*1000:10.1f} ms {mb/ma:6.2f}")
PY
