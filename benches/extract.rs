//! Criterion benchmarks for the scanner and the whole extract, over the real
//! corpus held in memory (`../shared/corpus`; the fixtures repeated when it
//! is absent). The baseline in the same run is `memmem` counting every
//! `data-ttu-id`: the floor for "find every span".
//!
//! Run: `cargo bench --bench extract`. Results: `benches/README.md`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::{Path, PathBuf};
use tmex::export::{ExportOptions, Format};
use tmex::{parse_document, ParseOptions};

fn inputs() -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../shared/corpus");
    let dir = if corpus.is_dir() {
        corpus
    } else {
        root.join("fixtures")
    };
    let mut files = Vec::new();
    collect(&dir, &mut files);
    files.sort();
    let mut out: Vec<(String, String)> = files
        .iter()
        .filter_map(|p| {
            let bytes = std::fs::read(p).ok()?;
            let (text, _) = tmex::parse::decode::decode(&bytes).ok()?;
            Some((p.display().to_string(), text.into_owned()))
        })
        .collect();
    if out.iter().map(|(_, t)| t.len()).sum::<usize>() < 1 << 20 {
        let copy = out.clone();
        for _ in 0..100 {
            out.extend(copy.iter().cloned());
        }
    }
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("md" | "yml" | "xml")
        ) {
            out.push(p);
        }
    }
}

fn bench(c: &mut Criterion) {
    let docs = inputs();
    let bytes: usize = docs.iter().map(|(_, t)| t.len()).sum();
    let mut g = c.benchmark_group("corpus");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);
    g.bench_function("baseline_memmem_count_ttu", |b| {
        let f = memchr::memmem::Finder::new("data-ttu-id");
        b.iter(|| {
            docs.iter()
                .map(|(_, t)| f.find_iter(t.as_bytes()).count())
                .sum::<usize>()
        })
    });
    g.bench_function("scan_only", |b| {
        b.iter(|| {
            docs.iter()
                .map(|(p, t)| tmex::parse::scan::scan(t, p).segments.len())
                .sum::<usize>()
        })
    });
    let no_plain = ParseOptions {
        plain_text: false,
        ..ParseOptions::default()
    };
    g.bench_function("parse_document_no_plain", |b| {
        b.iter(|| {
            docs.iter()
                .map(|(_, t)| parse_document(t, &no_plain).segments.len())
                .sum::<usize>()
        })
    });
    let opts = ParseOptions::default();
    g.bench_function("parse_document", |b| {
        b.iter(|| {
            docs.iter()
                .map(|(_, t)| parse_document(t, &opts).segments.len())
                .sum::<usize>()
        })
    });
    let formats: &[Format] = &[Format::Jsonl, Format::Tmx, Format::Xliff];
    for &format in formats {
        let exporter = format.exporter(&ExportOptions::default());
        g.bench_function(format!("extract_to_{format:?}").to_lowercase(), |b| {
            let mut out = Vec::with_capacity(bytes * 3);
            b.iter(|| {
                out.clear();
                let mut notes = Vec::new();
                for (_, t) in &docs {
                    let doc = parse_document(t, &opts);
                    exporter.write_document(&doc, &mut out, &mut notes).unwrap();
                }
                out.len()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
