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
//!   edge spaces trimmed (no markup rendering), the translation type;
//! - `tmx` (instead of `jsonl`): and write a TMX 1.4 unit per pair of the
//!   shape `tmex extract -f tmx --inline raw` writes (`tuid`, the `x-file`,
//!   `x-line`, `x-id` and `x-translation-type` properties, the two texts
//!   XML-escaped with edges trimmed), with no inline codes.
//!
//! The records have the shape and about the size of tmex's, not its exact
//! bytes: the language is not normalised, the translation type is always
//! `MT`, repeated ids are not numbered.
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
        eprintln!("usage: floor read|validate|pairs|jsonl|tmx TREE");
        std::process::exit(2);
    };
    let stage = match stage.as_str() {
        "read" => 0,
        "validate" => 1,
        "pairs" => 2,
        "jsonl" => 3,
        "tmx" => 4,
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
    let format = match stage {
        3 => Some(Format::Jsonl),
        4 => Some(Format::Tmx),
        _ => None,
    };
    if format == Some(Format::Tmx) {
        let _ = out.write_all(TMX_HEAD);
    }
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
        pairs += each_pair(text, &finders, format, path, &mut buf);
        written += buf.len();
        if out.write_all(&buf).is_err() {
            break;
        }
    }
    if format == Some(Format::Tmx) {
        let _ = out.write_all(b"  </body>\n</tmx>\n");
    }
    let _ = out.flush();
    eprintln!(
        "floor: {} files, {bytes} bytes, {pairs} pairs, {written} bytes written",
        files.len()
    );
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Jsonl,
    Tmx,
}

const TMX_HEAD: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n  <header creationtool=\"floor\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"floor\" adminlang=\"en-US\" srclang=\"en-US\" datatype=\"x-markdown\"/>\n  <body>\n";

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

/// Finds the pairs of `text`; with a format, appends their records to
/// `out`. Returns the pair count.
fn each_pair(
    text: &str,
    f: &Finders,
    format: Option<Format>,
    path: &Path,
    out: &mut Vec<u8>,
) -> usize {
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
        // Only the usual form: `"ID">` … `"ID">` (anything else is skipped,
        // so that every slice below is at ASCII delimiters).
        pos = id_start;
        if !b[id_start + id_len..].starts_with(b"\">") {
            continue;
        }
        let t_start = id_start + id_len + 2;
        let Some(t_len) = memmem::find(&b[t_start..], CLOSE) else {
            break;
        };
        let t_end = t_start + t_len;
        pos = t_end;
        let stu = t_end + LOOKUP.len();
        if !b[t_end..].starts_with(LOOKUP)
            || !b[stu..].starts_with(id.as_bytes())
            || !b[stu + id_len..].starts_with(b"\">")
        {
            continue;
        }
        let s_start = stu + id_len + 2;
        let Some(s_len) = b.get(s_start..).and_then(|r| memmem::find(r, CLOSE)) else {
            break;
        };
        let s_end = s_start + s_len;
        pos = s_end;
        n += 1;
        let Some(format) = format else {
            continue;
        };
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
        if format == Format::Tmx {
            out.extend_from_slice(b"    <tu tuid=\"");
            escape(out, &file, xml_attr);
            out.push(b'#');
            escape(out, id, xml_attr);
            out.extend_from_slice(b"\">\n      <prop type=\"x-file\">");
            escape(out, &file, xml_text);
            out.extend_from_slice(b"</prop>\n      <prop type=\"x-line\">");
            push_num(out, line);
            out.extend_from_slice(b"</prop>\n      <prop type=\"x-id\">");
            escape(out, id, xml_text);
            out.extend_from_slice(b"</prop>\n      <prop type=\"x-translation-type\">MT</prop>\n      <tuv xml:lang=\"en-US\"><seg>");
            escape(out, source.trim(), xml_text);
            out.extend_from_slice(b"</seg></tuv>\n      <tuv xml:lang=\"");
            escape(out, lang, xml_attr);
            out.extend_from_slice(b"\"><seg>");
            escape(out, target.trim(), xml_text);
            out.extend_from_slice(b"</seg></tuv>\n    </tu>\n");
            continue;
        }
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

/// A JSON string.
fn json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    escape(out, s, json);
    out.push(b'"');
}

/// The JSON escape of a byte, if it needs one (the `\\u` forms of the
/// other control characters are written by [`escape`]).
fn json(c: u8) -> Option<&'static [u8]> {
    match c {
        b'"' => Some(b"\\\""),
        b'\\' => Some(b"\\\\"),
        b'\n' => Some(b"\\n"),
        b'\t' => Some(b"\\t"),
        b'\r' => Some(b"\\r"),
        c if c < 0x20 => Some(b""),
        _ => None,
    }
}

/// The XML escape of a byte in text content.
fn xml_text(c: u8) -> Option<&'static [u8]> {
    match c {
        b'&' => Some(b"&amp;"),
        b'<' => Some(b"&lt;"),
        b'>' => Some(b"&gt;"),
        _ => None,
    }
}

/// The XML escape of a byte in an attribute value.
fn xml_attr(c: u8) -> Option<&'static [u8]> {
    match c {
        b'"' => Some(b"&quot;"),
        c => xml_text(c),
    }
}

/// Appends `s` escaped by `rule`: 32-byte blocks (the last one padded with
/// a plain byte) without `"`, `\\`, `&`, `<`, `>` or a control character are
/// copied whole (a branch-free test the compiler makes SIMD), the others
/// byte by byte. An empty replacement for a control character means `\\u00XX`.
fn escape(out: &mut Vec<u8>, s: &str, rule: fn(u8) -> Option<&'static [u8]>) {
    #[inline(always)]
    fn may_escape(w: &[u8; 32]) -> bool {
        let mut any = 0u8;
        for &c in w {
            any |= u8::from(c < 0x20)
                | u8::from(c == b'"')
                | u8::from(c == b'\\')
                | u8::from(c == b'&')
                | u8::from(c == b'<')
                | u8::from(c == b'>');
        }
        any != 0
    }
    let b = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        let mut pad = [b'a'; 32];
        let w = match b.get(i..).and_then(<[u8]>::first_chunk::<32>) {
            Some(w) => w,
            None => {
                pad[..b.len() - i].copy_from_slice(&b[i..]);
                &pad
            }
        };
        if !may_escape(w) {
            i += 32;
            continue;
        }
        let end = (i + 32).min(b.len());
        while i < end {
            if let Some(rep) = rule(b[i]) {
                out.extend_from_slice(&b[start..i]);
                if rep.is_empty() {
                    out.extend_from_slice(format!("\\u{:04x}", b[i]).as_bytes());
                } else {
                    out.extend_from_slice(rep);
                }
                start = i + 1;
            }
            i += 1;
        }
    }
    out.extend_from_slice(&b[start.min(b.len())..]);
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
