//! Criterion benchmark for the aligner (issue 15's speed goal: the 1,053
//! article pairs of `../shared/align` in at most 0.26 s on 2 cores, 10x
//! hunalign's 2.6 s). The baseline in the same run is reading the 2,106
//! files from the (page-cached) disk: the floor for "look at every pair".
//! Skipped with a message when the set is absent.
//!
//! Run: `cargo bench --bench align`. Results: `benches/README.md`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::PathBuf;
use tmex::align::{align_documents, AlignOptions};

/// The (English, translated) paths of every article pair of the set.
fn pairs() -> Vec<(PathBuf, PathBuf)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/align");
    let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
        return Vec::new();
    };
    manifest
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut f = line.split('\t');
            let (lang, path) = (f.next()?, f.next()?);
            Some((
                dir.join(lang).join("en").join(path),
                dir.join(lang).join("loc").join(path),
            ))
        })
        .collect()
}

fn read(paths: &[(PathBuf, PathBuf)]) -> Vec<(String, String)> {
    paths
        .iter()
        .map(|(en, loc)| {
            (
                std::fs::read_to_string(en).unwrap(),
                std::fs::read_to_string(loc).unwrap(),
            )
        })
        .collect()
}

/// Aligns every pair on `threads` threads (pairs handed out one by one);
/// returns the number of aligned pairs.
fn align_all(texts: &[(String, String)], threads: usize) -> usize {
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut n = 0;
                    let opts = AlignOptions::default();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((en, loc)) = texts.get(i) else { break };
                        n += align_documents(en, loc, &opts).document.segments.len();
                    }
                    n
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

fn bench(c: &mut Criterion) {
    let paths = pairs();
    if paths.is_empty() {
        eprintln!("../shared/align is absent: the align benchmark did not run");
        return;
    }
    let texts = read(&paths);
    let bytes: usize = texts.iter().map(|(a, b)| a.len() + b.len()).sum();
    let mut g = c.benchmark_group("align_set");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("baseline_read_files", |b| {
        b.iter(|| {
            read(&paths)
                .iter()
                .map(|(a, b)| a.len() + b.len())
                .sum::<usize>()
        })
    });
    g.bench_function("align_1_thread", |b| b.iter(|| align_all(&texts, 1)));
    g.bench_function("align_2_threads", |b| b.iter(|| align_all(&texts, 2)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
