//! The floor for `tmex extract -f jsonl`: the least work that writes the
//! same records, measured in stages. Run by `benches/batch.sh` (issue 6).
//!
//! ```text
//! cargo build --release --example floor
//! target/release/examples/floor STAGE TREE > /dev/null
//! ```
//!
//! Each stage does the work of the ones before it, and no more:
//!
//! - `read`: walk the tree (the same files as tmex: `.md`, `.yml`, `.yaml`,
//!   `.xml`, hidden folders skipped) and read every file;
//! - `validate`: and check that it is UTF-8 (as tmex must, to write text);
//! - `pairs`: and find every pair of the usual form (`<span data-ttu-id="ID">`
//!   target `</span><span class="sxs-lookup"><span data-stu-id="ID">` source
//!   `</span></span>`) with `memmem`/`memchr`, nothing else: no diagnostics,
//!   no accounting for every `data-ttu-id`, no other quoting;
//! - `jsonl`: and write one JSON line per pair with tmex's fields: file,
//!   line and column, id, the languages (`ms.contentlocale` found with one
//!   search, no YAML), the texts, and as the "plain" views the texts with
//!   edge spaces trimmed (no markup rendering), the translation type.
//!
//! It prints the pair count and output bytes to stderr, so that a run can be
//! checked against tmex's (118,249 pairs on `../shared/corpus`). It is not a
//! converter: it skips everything tmex does to be lossless and correct on
//! real input (broken spans, escaped YAML strings, UTF-16, diagnostics, the
//! plain-text rendering); that is the point of a floor.

use memchr::memmem;
use std::io::{self, Write};
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(stage), Some(tree)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: floor read|validate|pairs|jsonl TREE");
        std::process::exit(2);
    };
    let stage = match stage.as_str() {
        "read" => 0,
        "validate" => 1,
        "pairs" => 2,
        "jsonl" => 3,
        _ => {
            eprintln!("unknown stage {stage}");
            std::process::exit(2);
        }
    };
    let mut files: Vec<_> = walkdir::WalkDir::new(tree)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("md" | "yml" | "yaml" | "xml")
            )
        })
        .collect();
    files.sort();
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut buf = Vec::with_capacity(1 << 20);
    let finders = Finders::new();
    let (mut bytes, mut pairs, mut written) = (0usize, 0usize, 0usize);
    for path in &files {
        let Ok(data) = std::fs::read(path) else {
            continue;
        };
        bytes += data.len();
        if stage == 0 {
            continue;
        }
        let Ok(text) = simdutf8::basic::from_utf8(&data) else {
            continue;
        };
        if stage == 1 {
            continue;
        }
        buf.clear();
        pairs += each_pair(text, &finders, stage == 3, path, &mut buf);
        written += buf.len();
        if out.write_all(&buf).is_err() {
            break;
        }
    }
    let _ = out.flush();
    eprintln!(
        "floor: {} files, {bytes} bytes, {pairs} pairs, {written} bytes written",
        files.len()
    );
}

struct Finders {
    target: memmem::Finder<'static>,
    locale: memmem::Finder<'static>,
}

impl Finders {
    fn new() -> Self {
        Self {
            target: memmem::Finder::new(b"<span data-ttu-id=\""),
            locale: memmem::Finder::new(b"ms.contentlocale:"),
        }
    }
}

/// Finds the pairs of `text`; with `write`, appends their JSON lines to
/// `out`. Returns the pair count.
fn each_pair(text: &str, f: &Finders, write: bool, path: &Path, out: &mut Vec<u8>) -> usize {
    const LOOKUP: &[u8] = b"</span><span class=\"sxs-lookup\"><span data-stu-id=\"";
    const CLOSE: &[u8] = b"</span>";
    let b = text.as_bytes();
    let file = path.to_string_lossy();
    let lang = f
        .locale
        .find(b)
        .and_then(|i| text.get(i + 17..))
        .and_then(|r| r.lines().next())
        .map_or("und", |l| l.trim().trim_matches('"'));
    let (mut line, mut line_start, mut counted, mut column) = (1usize, 0usize, 0usize, 1usize);
    let mut pos = 0;
    let mut n = 0;
    while let Some(rel) = f.target.find(&b[pos..]) {
        let at = pos + rel;
        let id_start = at + 19;
        let Some(id_len) = memchr::memchr(b'"', &b[id_start..]) else {
            break;
        };
        let id = &text[id_start..id_start + id_len];
        let t_start = id_start + id_len + 2;
        let Some(t_len) = memmem::find(&b[t_start.min(b.len())..], CLOSE) else {
            break;
        };
        let t_end = t_start + t_len;
        pos = t_end;
        if !b[t_end..].starts_with(LOOKUP) {
            continue;
        }
        let s_start = t_end + LOOKUP.len() + id_len + 2;
        let Some(s_len) = b.get(s_start..).and_then(|r| memmem::find(r, CLOSE)) else {
            break;
        };
        let s_end = s_start + s_len;
        pos = s_end;
        n += 1;
        if !write {
            continue;
        }
        // Line and column of the target span, counted forward from the
        // pair before.
        let mut newline = false;
        for nl in memchr::memchr_iter(b'\n', &b[counted..at]) {
            line += 1;
            line_start = counted + nl + 1;
            newline = true;
        }
        if newline {
            column = 1;
            counted = line_start;
        }
        column += text[counted..at].chars().count();
        counted = at;
        let (target, source) = (&text[t_start..t_end], &text[s_start..s_end]);
        out.extend_from_slice(b"{\"file\":");
        json_str(out, &file);
        out.extend_from_slice(b",\"line\":");
        push_num(out, line);
        out.extend_from_slice(b",\"column\":");
        push_num(out, column);
        out.extend_from_slice(b",\"id\":");
        json_str(out, id);
        out.extend_from_slice(b",\"source_lang\":\"en-US\",\"target_lang\":");
        json_str(out, lang);
        out.extend_from_slice(b",\"source\":");
        json_str(out, source);
        out.extend_from_slice(b",\"target\":");
        json_str(out, target);
        out.extend_from_slice(b",\"source_text\":");
        json_str(out, source.trim_matches(' '));
        out.extend_from_slice(b",\"target_text\":");
        json_str(out, target.trim_matches(' '));
        out.extend_from_slice(b",\"translation_type\":\"MT\"}\n");
    }
    n
}

/// A JSON string: 32-byte blocks without `"`, `\\` or a control character
/// are copied whole (a branch-free test the compiler makes SIMD), the
/// others byte by byte.
fn json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let b = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    #[inline(always)]
    fn needs_escape(w: &[u8; 32]) -> bool {
        let mut any = 0u8;
        for &c in w {
            any |= u8::from(c < 0x20) | u8::from(c == b'"') | u8::from(c == b'\\');
        }
        any != 0
    }
    while i < b.len() {
        // A block, or the rest padded with a plain byte.
        let mut pad = [b'a'; 32];
        let w = match b.get(i..).and_then(<[u8]>::first_chunk::<32>) {
            Some(w) => w,
            None => {
                pad[..b.len() - i].copy_from_slice(&b[i..]);
                &pad
            }
        };
        if !needs_escape(w) {
            i += 32;
            continue;
        }
        let end = (i + 32).min(b.len());
        while i < end {
            let c = b[i];
            if c == b'"' || c == b'\\' || c < 0x20 {
                out.extend_from_slice(&b[start..i]);
                match c {
                    b'"' => out.extend_from_slice(b"\\\""),
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.extend_from_slice(format!("\\u{c:04x}").as_bytes()),
                }
                start = i + 1;
            }
            i += 1;
        }
    }
    out.extend_from_slice(&b[start.min(b.len())..]);
    out.push(b'"');
}

/// A decimal number, without allocating.
fn push_num(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut k = digits.len();
    loop {
        k -= 1;
        digits[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[k..]);
}
