//! The HTML report of `tmex check --format html`: one self-contained page
//! (inline CSS, a little plain JavaScript, no request to any server) that a
//! reviewer opens from disk.
//!
//! - A summary first: files, segments, findings, and inline SVG bar charts
//!   of the findings by check, by severity and by target language (a bar
//!   filters the list on click).
//! - Then one `<article data-check="NAME">` per finding: `file:line:column`,
//!   the check's code, name and severity, the message, and the source and
//!   target side by side with the offending part marked where the check
//!   tells it ([`highlights`]).
//! - Filters (check, severity, language, file) and a text search, run in
//!   the page over the `data-*` attributes; the script writes how many
//!   findings it saw in `<body data-rendered="N">`, how many are shown in
//!   `data-visible`, and the milliseconds from navigation to the end of its
//!   first run in `data-ready-ms`.
//!
//! Every text that comes from an input (file names, ids, languages,
//! segments, messages quoting them) is escaped ([`escape`]); control,
//! invisible and bidirectional-control characters are shown as labelled
//! boxes (`U+200B`) instead of being written. On top of that the page's
//! Content-Security-Policy allows no network access and only the page's own
//! script (by its SHA-256), so even a text that escaped escaping could not
//! run a script or load anything.

use super::Finding;
use crate::model::Severity;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::ops::Range;

/// What the report says about the run besides the findings.
#[derive(Debug, Clone, Default)]
pub struct ReportInfo {
    /// Input files checked.
    pub files: usize,
    /// Segments (aligned pairs) in them.
    pub segments: usize,
    /// Inputs that could not be read.
    pub failed: usize,
    /// The path to show for each `Finding::file` (as it opens from the
    /// current folder); files not in the map are shown as they are.
    pub paths: BTreeMap<String, String>,
}

impl ReportInfo {
    fn path<'a>(&'a self, file: &'a str) -> &'a str {
        self.paths.get(file).map_or(file, String::as_str)
    }
}

/// Escapes a text for HTML element content and quoted attribute values:
/// `&`, `<`, `>`, `"` and `'`.
///
/// ```
/// use tmex::check::html::escape;
/// assert_eq!(escape("<img src=x onerror='a()'>&"), "&lt;img src=x onerror=&#39;a()&#39;&gt;&amp;");
/// ```
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    out
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c if is_hidden(c) => {
            let _ = write!(out, "<span class=\"cc\">U+{:04X}</span>", c as u32);
        }
        c => out.push(c),
    }
}

/// Characters shown as a labelled box: controls (but tab and line feed),
/// zero-width characters, bidirectional controls, noncharacters.
fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n')
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' | '\u{ad}')
}

/// What a highlight marks: a part named by the finding, or whitespace
/// (drawn visibly, as `·`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A part the message names (a code span, a number, a URL, …).
    Part,
    /// Whitespace that is the problem (double space, edge whitespace).
    Space,
}

/// Byte ranges of a finding's source and target excerpts to mark, as far
/// as the check tells: whitespace runs for `double-space` and
/// `edge-whitespace-mismatch`, the last character for
/// `end-punctuation-mismatch`, and for the others the parts the message
/// quotes in backticks (code spans, URLs, placeholders, entities,
/// brackets) wherever they occur. Ranges are sorted and do not overlap.
pub fn highlights(f: &Finding) -> [Vec<(Range<usize>, Mark)>; 2] {
    let source = f.source.as_deref().unwrap_or("");
    let target = f.target.as_deref().unwrap_or("");
    let mut out = [Vec::new(), Vec::new()];
    match f.name {
        "double-space" => {
            out[1] = space_runs(target, 2);
        }
        "edge-whitespace-mismatch" => {
            for (i, s) in [source, target].into_iter().enumerate() {
                let t = s.trim_start();
                if t.len() < s.len() {
                    out[i].push((0..s.len() - t.len(), Mark::Space));
                }
                let t = s.trim_end();
                if t.len() < s.len() && !t.is_empty() {
                    out[i].push((t.len()..s.len(), Mark::Space));
                }
            }
        }
        "end-punctuation-mismatch" => {
            for (i, s) in [source, target].into_iter().enumerate() {
                let t = s.trim_end();
                if let Some(c) = t.chars().next_back() {
                    if !c.is_alphanumeric() {
                        out[i].push((t.len() - c.len_utf8()..t.len(), Mark::Part));
                    }
                }
            }
        }
        _ => {
            let items = quoted(&f.message);
            for (i, s) in [source, target].into_iter().enumerate() {
                for item in &items {
                    out[i].extend(occurrences(s, item).map(|r| (r, Mark::Part)));
                }
            }
        }
    }
    for v in &mut out {
        v.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
        let mut merged: Vec<(Range<usize>, Mark)> = Vec::with_capacity(v.len());
        for (r, m) in v.drain(..) {
            match merged.last_mut() {
                Some((last, _)) if r.start < last.end => last.end = last.end.max(r.end),
                _ => merged.push((r, m)),
            }
        }
        *v = merged;
    }
    out
}

/// Runs of at least `min` spaces (ASCII, no-break, ideographic).
fn space_runs(s: &str, min: usize) -> Vec<(Range<usize>, Mark)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut n = 0;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), 'x'))) {
        if matches!(c, ' ' | '\u{a0}' | '\u{3000}') {
            start.get_or_insert(i);
            n += 1;
        } else {
            if let Some(b) = start.take() {
                if n >= min {
                    out.push((b..i, Mark::Space));
                }
            }
            n = 0;
        }
    }
    out
}

/// The texts a message quotes between backticks (`\n` written as in
/// messages becomes a line break again; a shortened text loses its `…`).
fn quoted(message: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = message;
    while let Some(a) = rest.find('`') {
        let after = &rest[a + 1..];
        let Some(b) = after.find('`') else { break };
        let item = after[..b].replace("\\n", "\n");
        let item = item.strip_suffix('…').unwrap_or(&item);
        if !item.trim().is_empty() && !out.iter().any(|x: &String| x == item) {
            out.push(item.to_string());
        }
        rest = &after[b + 1..];
    }
    out
}

/// Where `item` occurs in `s`; an item that begins (ends) with a letter or
/// digit must not continue a word there (`12` is not marked inside `123`).
fn occurrences<'a>(s: &'a str, item: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
    let word_start = item.chars().next().is_some_and(char::is_alphanumeric);
    let word_end = item.chars().next_back().is_some_and(char::is_alphanumeric);
    s.match_indices(item).filter_map(move |(i, m)| {
        let before = s[..i].chars().next_back();
        let after = s[i + m.len()..].chars().next();
        let joined = (word_start && before.is_some_and(char::is_alphanumeric))
            || (word_end && after.is_some_and(char::is_alphanumeric));
        let ok = !joined;
        ok.then(|| i..i + m.len())
    })
}

/// Writes `s` escaped, with the marked ranges wrapped in `<mark>`.
fn push_marked(out: &mut String, s: &str, marks: &[(Range<usize>, Mark)]) {
    let mut at = 0;
    for (r, m) in marks {
        if r.start < at || r.end > s.len() || !s.is_char_boundary(r.start) {
            continue;
        }
        for c in s[at..r.start].chars() {
            push_escaped(out, c);
        }
        match m {
            Mark::Part => {
                out.push_str("<mark>");
                for c in s[r.clone()].chars() {
                    push_escaped(out, c);
                }
            }
            Mark::Space => {
                out.push_str("<mark class=\"ws\" title=\"whitespace\">");
                for c in s[r.clone()].chars() {
                    match c {
                        ' ' => out.push('·'),
                        '\u{a0}' => out.push('⍽'),
                        '\u{3000}' => out.push('□'),
                        '\t' => out.push('→'),
                        '\n' => out.push_str("⏎\n"),
                        c => push_escaped(out, c),
                    }
                }
            }
        }
        out.push_str("</mark>");
        at = r.end;
    }
    for c in s[at..].chars() {
        push_escaped(out, c);
    }
}

const STYLE: &str = r#"
:root{--bg:#fff;--fg:#1b1f24;--mute:#59636e;--line:#d1d9e0;--err:#c62828;--warn:#b26a00;--info:#0a6b8a;--mark:#ffe27a;--ws:#ffc1c1}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header.top,main,section.summary,form.filters{padding:0 16px}
h1{font-size:20px;margin:12px 0 4px}
.meta{color:var(--mute);margin:0 0 8px}
.totals{display:flex;flex-wrap:wrap;gap:8px 24px;margin:8px 0}
.totals b{font-size:18px;display:block}
.charts{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
.chart{margin:0;border:1px solid var(--line);border-radius:6px;padding:8px;max-width:100%;overflow-x:auto}
.chart h2{font-size:13px;margin:0 0 4px}
.chart svg{display:block}
.chart g[data-filter]{cursor:pointer}
.chart g[data-filter]:hover rect{opacity:.75}
svg text{font:11px system-ui,sans-serif;fill:var(--fg)}
form.filters{position:sticky;top:0;z-index:1;background:var(--bg);border-bottom:1px solid var(--line);display:flex;flex-wrap:wrap;gap:6px 12px;align-items:center;padding-top:8px;padding-bottom:8px}
form.filters label{display:flex;gap:4px;align-items:center}
form.filters select,form.filters input{font:inherit;max-width:16em}
#shown{color:var(--mute)}
main{padding-top:8px}
article{border:1px solid var(--line);border-left:4px solid var(--info);border-radius:4px;margin:0 0 8px;padding:6px 10px;content-visibility:auto;contain-intrinsic-size:auto 140px}
article[hidden]{display:none}
article.error{border-left-color:var(--err)}
article.warning{border-left-color:var(--warn)}
.head{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:baseline}
.loc{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
.sev{font-weight:600;text-transform:uppercase;font-size:11px}
.error .sev{color:var(--err)}.warning .sev{color:var(--warn)}.info .sev{color:var(--info)}
.id,.lang{color:var(--mute);font-size:12px}
.msg{margin:4px 0;overflow-wrap:anywhere}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:8px}
.pair>div{background:#f6f8fa;border-radius:4px;padding:4px 8px;white-space:pre-wrap;overflow-wrap:anywhere;min-width:0}
.pair small{display:block;color:var(--mute);font-size:11px;white-space:normal}
mark{background:var(--mark);border-radius:2px;outline:1px solid #d4a800}
mark.ws{background:var(--ws);color:#8a1c1c;outline-color:#c62828}
.cc{font:10px ui-monospace,monospace;border:1px solid var(--err);color:var(--err);border-radius:2px;padding:0 2px;margin:0 1px}
.rel{color:var(--mute);font-size:12px;margin:4px 0 0;overflow-wrap:anywhere}
.none{color:var(--mute)}
@media (max-width:700px){.pair{grid-template-columns:1fr}}
@media print{form.filters{display:none}article{break-inside:avoid;content-visibility:visible}.chart g[data-filter]{cursor:auto}}
"#;

/// The page's script: filters, search, and the `data-rendered` marker. It
/// reads only `data-*` attributes and text content and writes only
/// `hidden`, `textContent` and attributes: no input text ever becomes markup.
const SCRIPT: &str = r##"
(function(){
"use strict";
var items=Array.prototype.slice.call(document.querySelectorAll("#findings > article"));
var texts=null;
function el(id){return document.getElementById(id);}
var f={check:el("f-check"),sev:el("f-sev"),lang:el("f-lang"),file:el("f-file"),q:el("f-q")};
function apply(){
  var c=f.check.value,s=f.sev.value,l=f.lang.value,p=f.file.value.toLowerCase(),q=f.q.value.toLowerCase().trim();
  if(q&&!texts){texts=items.map(function(e){return e.textContent.toLowerCase();});}
  var n=0;
  for(var i=0;i<items.length;i++){
    var d=items[i].dataset;
    var ok=(!c||d.check===c)&&(!s||d.sev===s)&&(!l||d.lang===l)&&(!p||d.file.toLowerCase().indexOf(p)>=0)&&(!q||texts[i].indexOf(q)>=0);
    if(items[i].hidden===ok){items[i].hidden=!ok;}
    if(ok){n++;}
  }
  el("shown").textContent=n+" of "+items.length+" findings shown";
  document.body.setAttribute("data-visible",String(n));
}
var timer=0;
function later(){clearTimeout(timer);timer=setTimeout(apply,150);}
f.check.addEventListener("change",apply);
f.sev.addEventListener("change",apply);
f.lang.addEventListener("change",apply);
f.file.addEventListener("input",later);
f.q.addEventListener("input",later);
f.file.addEventListener("change",apply);
f.q.addEventListener("change",apply);
el("f-reset").addEventListener("click",function(){setTimeout(apply,0);});
Array.prototype.forEach.call(document.querySelectorAll("g[data-filter]"),function(g){
  g.addEventListener("click",function(){
    var sel=f[g.getAttribute("data-filter")];
    sel.value=(sel.value===g.getAttribute("data-value"))?"":g.getAttribute("data-value");
    apply();
    el("f-form").scrollIntoView();
  });
});
apply();
document.body.setAttribute("data-rendered",String(items.length));
document.body.setAttribute("data-ready-ms",String(Math.round(performance.now())));
})();
"##;

/// Writes the report page for `findings`.
pub fn write_html(out: &mut dyn Write, findings: &[Finding], info: &ReportInfo) -> io::Result<()> {
    let mut by_check: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut by_sev = [0usize; 3];
    let mut by_lang: BTreeMap<&str, usize> = BTreeMap::new();
    let mut files: BTreeMap<&str, usize> = BTreeMap::new();
    for f in findings {
        *by_check.entry((f.code, f.name)).or_default() += 1;
        by_sev[f.severity as usize] += 1;
        *by_lang.entry(f.target_lang.as_str()).or_default() += 1;
        *files.entry(info.path(&f.file)).or_default() += 1;
    }
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{}'; img-src data:; form-action 'none'; base-uri 'none'\">\n\
         <meta name=\"generator\" content=\"tmex {}\">\n\
         <title>tmex check: {} findings</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        base64(&sha256(SCRIPT.as_bytes())),
        env!("CARGO_PKG_VERSION"),
        findings.len()
    );
    let _ = writeln!(
        s,
        "<header class=\"top\"><h1>tmex check report</h1>\
         <p class=\"meta\">Localization QA findings, target against source. Click a bar to filter; the list below filters by check, severity, language, file and text.</p>\
         <div class=\"totals\"><span><b>{}</b>files</span><span><b>{}</b>segments</span><span><b>{}</b>findings</span>\
         <span><b>{}</b>errors</span><span><b>{}</b>warnings</span><span><b>{}</b>info</span>{}</div></header>",
        info.files,
        info.segments,
        findings.len(),
        by_sev[2],
        by_sev[1],
        by_sev[0],
        if info.failed > 0 {
            format!(
                "<span><b>{}</b>inputs not read</span>",
                info.failed
            )
        } else {
            String::new()
        }
    );
    s.push_str("<section class=\"summary\"><div class=\"charts\">\n");
    let checks: Vec<(String, String, usize)> = by_check
        .iter()
        .map(|((code, name), n)| (format!("{code} {name}"), name.to_string(), *n))
        .collect();
    chart(&mut s, "Findings by check", "check", &checks, None);
    let sevs: Vec<(String, String, usize)> = [Severity::Error, Severity::Warning, Severity::Info]
        .iter()
        .map(|v| (v.to_string(), v.to_string(), by_sev[*v as usize]))
        .collect();
    chart(
        &mut s,
        "By severity",
        "sev",
        &sevs,
        Some(["#c62828", "#b26a00", "#0a6b8a"]),
    );
    let langs: Vec<(String, String, usize)> = by_lang
        .iter()
        .map(|(l, n)| (l.to_string(), l.to_string(), *n))
        .collect();
    chart(&mut s, "By target language", "lang", &langs, None);
    s.push_str("</div></section>\n");

    // Filters.
    s.push_str("<form class=\"filters\" id=\"f-form\">");
    s.push_str("<label>Check <select id=\"f-check\"><option value=\"\">all</option>");
    for (label, value, n) in &checks {
        let _ = write!(
            s,
            "<option value=\"{}\">{} ({n})</option>",
            escape(value),
            escape(label)
        );
    }
    s.push_str(
        "</select></label><label>Severity <select id=\"f-sev\"><option value=\"\">all</option>",
    );
    for (label, _, n) in &sevs {
        if *n > 0 {
            let _ = write!(s, "<option value=\"{label}\">{label} ({n})</option>");
        }
    }
    s.push_str(
        "</select></label><label>Language <select id=\"f-lang\"><option value=\"\">all</option>",
    );
    for (label, _, n) in &langs {
        let l = escape(label);
        let _ = write!(s, "<option value=\"{l}\">{l} ({n})</option>");
    }
    s.push_str("</select></label><label>File <input id=\"f-file\" list=\"f-files\" placeholder=\"part of a path\" autocomplete=\"off\"></label><datalist id=\"f-files\">");
    for p in files.keys() {
        let _ = write!(s, "<option value=\"{}\">", escape(p));
    }
    let _ = write!(
        s,
        "</datalist><label>Search <input id=\"f-q\" type=\"search\" placeholder=\"text in a finding\"></label>\
         <button type=\"reset\" id=\"f-reset\">Clear</button><span id=\"shown\">{} findings</span></form>\n<main id=\"findings\">\n",
        findings.len()
    );
    out.write_all(s.as_bytes())?;
    s.clear();

    if findings.is_empty() {
        s.push_str("<p class=\"none\">No findings.</p>\n");
    }
    for f in findings {
        finding(&mut s, f, info);
        if s.len() > 64 * 1024 {
            out.write_all(s.as_bytes())?;
            s.clear();
        }
    }
    s.push_str("</main>\n<script>");
    s.push_str(SCRIPT);
    s.push_str("</script>\n</body>\n</html>\n");
    out.write_all(s.as_bytes())
}

fn finding(s: &mut String, f: &Finding, info: &ReportInfo) {
    let path = escape(info.path(&f.file));
    let lang = escape(&f.target_lang);
    let _ = write!(
        s,
        "<article class=\"{sev}\" data-check=\"{name}\" data-sev=\"{sev}\" data-lang=\"{lang}\" data-file=\"{path}\">\
         <div class=\"head\"><span class=\"loc\">{path}:{line}:{col}</span><span class=\"sev\">{sev}</span>\
         <code>{code}</code><b>{name}</b>",
        sev = f.severity,
        name = f.name,
        line = f.line,
        col = f.column,
        code = f.code,
    );
    if let Some(id) = &f.id {
        let _ = write!(s, "<span class=\"id\">id {}</span>", escape(id));
    }
    let _ = write!(
        s,
        "<span class=\"lang\">{lang}</span></div><p class=\"msg\" dir=\"auto\">"
    );
    for c in f.message.chars() {
        push_escaped(s, c);
    }
    s.push_str("</p>");
    if f.source.is_some() || f.target.is_some() {
        let [sm, tm] = highlights(f);
        s.push_str("<div class=\"pair\"><div class=\"src\" dir=\"auto\"><small>source</small>");
        push_marked(s, f.source.as_deref().unwrap_or(""), &sm);
        let _ = write!(
            s,
            "</div><div class=\"tgt\" lang=\"{lang}\" dir=\"auto\"><small>target</small>"
        );
        match &f.target {
            Some(t) => push_marked(s, t, &tm),
            None => s.push_str("<span class=\"none\">(see the message)</span>"),
        }
        s.push_str("</div></div>");
    }
    if !f.related.is_empty() {
        s.push_str("<p class=\"rel\">also at: ");
        for (i, l) in f.related.iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            let _ = write!(s, "{}:{}", escape(info.path(&l.file)), l.line);
        }
        s.push_str("</p>");
    }
    s.push_str("</article>\n");
}

/// A horizontal bar chart: one bar per `(label, filter value, count)`.
fn chart(
    s: &mut String,
    title: &str,
    filter: &str,
    rows: &[(String, String, usize)],
    colors: Option<[&str; 3]>,
) {
    let max = rows.iter().map(|r| r.2).max().unwrap_or(0).max(1);
    let label_w = rows
        .iter()
        .map(|r| r.0.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(4, 32)
        * 7
        + 8;
    let bar_w = 200;
    let h = 16;
    let width = label_w + bar_w + 50;
    let height = (rows.len().max(1) * h) + 4;
    let _ = write!(
        s,
        "<figure class=\"chart\"><h2>{}</h2><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        escape(title),
        escape(title)
    );
    if rows.is_empty() {
        s.push_str("<text x=\"0\" y=\"12\">none</text>");
    }
    for (i, (label, value, n)) in rows.iter().enumerate() {
        let y = i * h + 2;
        let w = if *n == 0 { 0 } else { (n * bar_w / max).max(2) };
        let color = colors.map_or("#4a79c4", |c| c[i.min(2)]);
        let shown: String = if label.chars().count() > 32 {
            label.chars().take(31).chain(['…']).collect()
        } else {
            label.clone()
        };
        let _ = write!(
            s,
            "<g data-filter=\"{filter}\" data-value=\"{}\"><title>{}: {n}</title>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{}\" fill=\"{color}\"/>\
             <text x=\"{}\" y=\"{}\">{n}</text></g>",
            escape(value),
            escape(label),
            label_w - 6,
            y + 11,
            escape(&shown),
            h - 4,
            label_w + w + 4,
            y + 11,
        );
    }
    s.push_str("</svg></figure>\n");
}

/// SHA-256 (FIPS 180-4), for the page's Content-Security-Policy hash.
fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, c) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7]
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [
                t1.wrapping_add(t2),
                v[0],
                v[1],
                v[2],
                v[3].wrapping_add(t1),
                v[4],
                v[5],
                v[6],
            ];
        }
        for (a, b) in h.iter_mut().zip(v) {
            *a = a.wrapping_add(b);
        }
    }
    let mut out = [0u8; 32];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// Standard base64 with padding.
fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                s.push(A[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(name: &'static str, message: &str, source: &str, target: &str) -> Finding {
        Finding {
            code: "C000",
            name,
            severity: Severity::Warning,
            file: "a.md".into(),
            line: 1,
            column: 1,
            message: message.into(),
            id: Some("x-1".into()),
            target_lang: "he-IL".into(),
            source: Some(source.into()),
            target: Some(target.into()),
            target_offset: None,
            target_length: None,
            related: Vec::new(),
        }
    }

    #[test]
    fn sha256_and_base64_match_known_values() {
        // FIPS 180-4 examples, and RFC 4648 test vectors.
        let hex = |d: [u8; 32]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(
            hex(sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(sha256(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            hex(sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        for (i, o) in [
            "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy",
        ]
        .iter()
        .enumerate()
        {
            assert_eq!(base64(&b"foobar"[..i]), *o);
        }
    }

    #[test]
    fn every_input_text_is_escaped() {
        let evil = "<script>alert(1)</script><img src=x onerror=\"alert(2)\">'";
        let mut f = finding("markup-mismatch", &format!("`{evil}`"), evil, evil);
        f.file = evil.into();
        f.id = Some(evil.into());
        f.target_lang = evil.into();
        f.related = vec![super::super::Location {
            file: evil.into(),
            line: 2,
            column: 1,
            id: None,
        }];
        let mut out = Vec::new();
        write_html(&mut out, &[f], &ReportInfo::default()).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(!html.contains("<img"), "{html}");
        assert_eq!(html.matches("<script").count(), 1, "only the page's script");
        assert!(!html.contains("onerror=\""));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert_eq!(html.matches("data-check=\"markup-mismatch\"").count(), 1);
    }

    #[test]
    fn invisible_and_control_characters_are_shown_as_boxes() {
        let f = finding("invisible-character", "x", "a", "a\u{200b}b\u{202e}c\u{1}");
        let mut out = Vec::new();
        write_html(&mut out, &[f], &ReportInfo::default()).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(html.contains("a<span class=\"cc\">U+200B</span>b<span class=\"cc\">U+202E</span>c<span class=\"cc\">U+0001</span>"));
        assert!(!html.contains('\u{202e}'));
    }

    #[test]
    fn highlights_follow_the_check() {
        let f = finding("double-space", "two spaces", "a b", "a  b   c");
        assert_eq!(
            highlights(&f)[1],
            vec![(1..3, Mark::Space), (4..7, Mark::Space)]
        );
        let f = finding(
            "number-mismatch",
            "number(s) of the source missing in the target: `12`",
            "12 and 123",
            "x",
        );
        assert_eq!(highlights(&f)[0], vec![(0..2, Mark::Part)]);
        let f = finding(
            "inline-code-mismatch",
            "code spans missing in the target: `nuget pack`",
            "Run `nuget pack`.",
            "Run `nuget packen`.",
        );
        let [s, t] = highlights(&f);
        assert_eq!(s, vec![(5..15, Mark::Part)]);
        assert!(t.is_empty());
        let f = finding(
            "edge-whitespace-mismatch",
            "m",
            "For example:",
            "Beispiel: ",
        );
        assert_eq!(highlights(&f)[1], vec![(9..10, Mark::Space)]);
        let mut html = String::new();
        push_marked(&mut html, "a  <b", &[(1..3, Mark::Space)]);
        assert_eq!(
            html,
            "a<mark class=\"ws\" title=\"whitespace\">··</mark>&lt;b"
        );
    }

    #[test]
    fn the_script_hash_is_in_the_policy() {
        let mut out = Vec::new();
        write_html(&mut out, &[], &ReportInfo::default()).unwrap();
        let html = String::from_utf8(out).unwrap();
        let start = html.find("<script>").unwrap() + "<script>".len();
        let end = html.find("</script>").unwrap();
        let hash = base64(&sha256(&html.as_bytes()[start..end]));
        assert!(html.contains(&format!("script-src 'sha256-{hash}'")));
        assert!(html.contains("No findings."));
    }
}
