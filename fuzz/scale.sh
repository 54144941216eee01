#!/bin/sh
# Looks for super-linear blow-ups that the fuzzer's 4 KB inputs and 10 s
# timeout cannot show: takes N inputs of a target's corpus (the largest,
# plus a fixed-seed random sample), repeats each to about SMALL and to
# 16 x SMALL bytes, runs the fuzz binary once on each file and prints the
# inputs whose time grows by more than LIMIT times (linear is ~16x).
#
#   fuzz/scale.sh TARGET [N=60] [SMALL=16384] [LIMIT=48]
#
# Run after run-all.sh (it needs corpus/TARGET and the built binary), and
# not while a fuzzer runs. A flag is a lead, not a verdict: times of a few
# ms are at the timer's resolution, and the exporters target picks its
# options from the bytes, so a repeated input may do up to 2x the work.
# Confirm at several sizes (e.g. with the tmex CLI) before fixing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
t=$1
n=${2:-60}
small=${3:-16384}
limit=${4:-48}
bin=target/x86_64-unknown-linux-gnu/release/$t
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
    ls -S "corpus/$t" | head -n $((n / 2))
    ls "corpus/$t" | sort | awk 'BEGIN { srand(6) } { print rand() "\t" $0 }' |
        sort | cut -f2 | head -n $((n / 2))
} | sort -u >"$work/list"
mkdir -p "$work/s" "$work/l"
while read -r f; do
    sz=$(stat -c %s "corpus/$t/$f")
    [ "$sz" -gt 0 ] || continue
    reps=$(( (small + sz - 1) / sz ))
    i=0
    while [ $i -lt $reps ]; do cat "corpus/$t/$f"; i=$((i + 1)); done >"$work/s/$f"
    i=0
    while [ $i -lt 16 ]; do cat "$work/s/$f"; i=$((i + 1)); done >"$work/l/$f"
done <"$work/list"
ms() { "$bin" -timeout=60 "$@" 2>&1 | sed -n 's/^Executed \(.*\) in \([0-9]*\) ms$/\1\t\2/p'; }
ms "$work"/s/* | sed "s|$work/s/||" | sort >"$work/ts"
ms "$work"/l/* | sed "s|$work/l/||" | sort >"$work/tl"
join -t "$(printf '\t')" "$work/ts" "$work/tl" |
    awk -F'\t' -v lim="$limit" -v t="$t" '
        { n++; s += $2; l += $3
          if ($3 > 50 && $3 > lim * ($2 > 0 ? $2 : 1)) { bad++; print "SUPER-LINEAR? " $1 ": " $2 " ms -> " $3 " ms" } }
        END { printf "%s: %d inputs, total %d ms at ~16x1 -> %d ms at ~16x16 (x%.1f); %d suspicious\n", t, n, s, l, (s ? l / s : 0), bad }'
