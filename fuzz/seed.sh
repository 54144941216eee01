#!/bin/sh
# Fills fuzz/seeds/<target>/ with seed inputs: the hand-written fixtures and
# a handful of real files from the shared corpus (third-party text: copied
# at run time, never committed; fuzz/.gitignore lists seeds/).
#
#   fuzz/seed.sh [CORPUS_DIR] [COUNT]
#
# CORPUS_DIR defaults to ../shared/corpus next to the repository (the
# layout of this machine: /work/shared/corpus), COUNT to 20. The corpus
# files are the COUNT smallest files of at least 2 KB, taken round-robin
# over the corpus folders (so every language and repository is in), in a
# fixed order: the same corpus gives the same seeds.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
corpus=${1:-$repo/../shared/corpus}
[ -d "$corpus" ] || corpus=/work/shared/corpus
count=${2:-20}
seeds=$here/seeds
rm -rf "$seeds"
mkdir -p "$seeds/files"

# 1. The hand-written fixtures (not the golden outputs).
find "$repo/fixtures" -type f ! -path '*/golden/*' | sort | while read -r f; do
    cp "$f" "$seeds/files/fixture-$(echo "${f#"$repo"/fixtures/}" | tr '/' '_')"
done

# 2. COUNT corpus files: per folder, files of 2 KB or more by size, then
#    the first of every folder, the second of every folder, ...
if [ -f "$corpus/MANIFEST.tsv" ]; then
    tail -n +2 "$corpus/MANIFEST.tsv" |
        awk -F'\t' '$5 >= 2048 { split($1, p, "/"); print p[1] "\t" $5 "\t" $1 }' |
        sort -t "$(printf '\t')" -k1,1 -k2,2n |
        awk -F'\t' '{ n[$1]++; print n[$1] "\t" $1 "\t" $3 }' |
        sort -t "$(printf '\t')" -k1,1n -k2,2 |
        head -n "$count" | cut -f3 |
        while read -r f; do
            cp "$corpus/$f" "$seeds/files/corpus-$(echo "$f" | tr '/' '_')"
        done
else
    echo "seed.sh: no $corpus/MANIFEST.tsv; fixtures only" >&2
fi

# Whole files for the targets that take a whole file.
for t in scan exporters front_matter; do
    mkdir -p "$seeds/$t"
    cp "$seeds/files/"* "$seeds/$t/"
done

# 3. inline: the target takes one segment text, so give it the source and
#    target texts of the seed files' spans (one per file, at most 400),
#    plus the whole fixture files.
mkdir -p "$seeds/inline"
cp "$seeds/files/fixture-"* "$seeds/inline/"
cat "$seeds/files/"* |
    grep -aoE 'data-(ttu|stu)-id="[^"]*">([^<]|<[^/s]|</[^s]|<s[^p])*</span>' |
    sed -E 's/^data-(ttu|stu)-id="[^"]*">//; s/<\/span>$//' |
    awk 'length($0) > 8 && !seen[$0]++' | head -n 400 |
    split -l 1 -a 3 - "$seeds/inline/span-"
rm -rf "$seeds/files"
for t in scan front_matter inline exporters; do
    printf '%s: %s seeds\n' "$t" "$(ls "$seeds/$t" | wc -l)"
done
