#!/bin/sh
# Runs the fuzz targets one after the other (one libFuzzer process at a
# time), each for SECONDS (default 600), with seeds from seed.sh. Builds
# once with `cargo fuzz build`, then runs the binaries directly (what
# `cargo fuzz run` does), so no cargo process stays alive while fuzzing.
# Logs go to fuzz/logs/<target>.log; the last lines hold libFuzzer's final
# stats; crashes go to fuzz/artifacts/<target>/.
#
#   fuzz/run-all.sh [SECONDS] [TARGET...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
secs=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-scan front_matter inline exporters}
[ -d seeds ] || ./seed.sh
RUSTC_BOOTSTRAP=1 cargo fuzz build ${FUZZ_BUILD_FLAGS:-}
bin=target/x86_64-unknown-linux-gnu/release
mkdir -p logs
for t in $targets; do
    mkdir -p "corpus/$t" "artifacts/$t"
    echo "== $t: $(date -u +%FT%TZ)" >&2
    "$bin/$t" -artifact_prefix="$here/artifacts/$t/" \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 "corpus/$t" "seeds/$t" >"logs/$t.log" 2>&1 ||
        echo "== $t: exit $?" >&2
done
echo "== done: $(date -u +%FT%TZ)" >&2
