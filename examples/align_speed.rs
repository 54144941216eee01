//! Times `tmex::align::align_documents` over every article pair of
//! `../shared/align` (a benchmark for issue 15's speed goal, not a test):
//! `cargo run --release --example align_speed [THREADS]`. The files are read
//! first; only the alignment is timed, on THREADS threads (2 by default).

use std::path::PathBuf;
use std::time::Instant;
use tmex::align::{align_documents, AlignOptions};

fn main() {
    let threads: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/align");
    let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
        eprintln!("../shared/align is absent");
        return;
    };
    let mut pairs = Vec::new();
    for line in manifest.lines().skip(1) {
        let mut f = line.split('\t');
        let (Some(lang), Some(path)) = (f.next(), f.next()) else {
            continue;
        };
        let en = std::fs::read_to_string(dir.join(lang).join("en").join(path)).unwrap();
        let loc = std::fs::read_to_string(dir.join(lang).join("loc").join(path)).unwrap();
        pairs.push((en, loc));
    }
    for round in 0..3 {
        let start = Instant::now();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let total: usize = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        let mut n = 0;
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some((en, loc)) = pairs.get(i) else { break };
                            n += align_documents(en, loc, &AlignOptions::default())
                                .document
                                .segments
                                .len();
                        }
                        n
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        println!(
            "round {round}: {} article pairs, {total} pairs, {threads} threads: {:.3} s",
            pairs.len(),
            start.elapsed().as_secs_f64()
        );
    }
}
