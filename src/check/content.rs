//! Content checks (`C…`), per segment: the target compared with its source
//! through the [inline tokenizer](crate::parse::inline). Each text is
//! tokenized once into a [`View`] (code spans, URLs, markup tree, format
//! placeholders, entities, the runs of plain text); every check reads the
//! two views, so no check parses markdown on its own.

use super::{segment_finding, Check, CheckOptions, Finding};
use crate::model::{Document, Segment};
use crate::parse::inline::{with_tokens, LinkTarget, Markup, Placeholder, Token, TokenKind};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// How a text is seen by the content checks: derived once from its tokens.
#[derive(Debug, Default)]
pub struct View<'a> {
    /// Contents of code spans (trimmed).
    pub codes: Vec<&'a str>,
    /// URLs of links, images, autolinks, includes, `<a href>`, `<img src>`,
    /// normalised (see [`normalize_url`]).
    pub urls: Vec<String>,
    /// Inline markdown links (`[text](url)`), autolinks and `<a>` elements.
    pub links: usize,
    /// Reference links (`[text][label]`): links only when the label is
    /// defined somewhere in the file, which a segment cannot tell.
    pub ref_links: usize,
    /// Canonical form of the tree of paired emphasis and HTML markup
    /// (siblings sorted, so reordering is allowed).
    pub markup: String,
    /// Number of paired markup elements, by normalised name.
    pub markup_counts: BTreeMap<&'static str, usize>,
    /// Isolated (unmatched) emphasis or HTML open/close tokens, verbatim.
    pub isolated: Vec<&'a str>,
    /// Format placeholders (`{0}`, `%s`), verbatim.
    pub formats: Vec<&'a str>,
    /// Tag-like placeholders (`<RID>`), verbatim.
    pub tag_likes: Vec<&'a str>,
    /// Leaked machine-translation tags (`<<c0>`), verbatim.
    pub leaked: Vec<&'a str>,
    /// Entities, verbatim (`&nbsp;`).
    pub entities: Vec<&'a str>,
    /// Entities without the closing `;` (`&#8221 `).
    pub unterminated: Vec<&'a str>,
    /// The runs of plain text, verbatim (outside code, URLs and tags;
    /// escaped characters are their own runs).
    pub texts: Vec<&'a str>,
    /// The text runs and escaped characters joined, with U+0001 where
    /// other tokens (code, tags, images) were: what numbers are read from
    /// (the text itself when it has no markup).
    pub joined: Cow<'a, str>,
}

/// Bytes at which the tokenizer may see something other than text.
/// Normalised name of a paired markup: bold and italic whatever their
/// spelling (`**`, `__`, `<b>`, `<strong>`; `*`, `_`, `<i>`, `<em>`).
fn markup_name(m: &Markup) -> Option<&'static str> {
    Some(match m {
        Markup::Strong(_) | Markup::Html("b") | Markup::Html("strong") => "bold",
        Markup::Emphasis(_) | Markup::Html("i") | Markup::Html("em") => "italic",
        Markup::Html(name) => name,
        Markup::Link(_) => return None,
    })
}

impl<'a> View<'a> {
    /// Tokenizes `s` and derives the view.
    pub fn new(s: &'a str) -> Self {
        let mut v = View::default();
        v.fill(s);
        v
    }

    /// Makes this the view of `s`, as [`View::new`] would, keeping the
    /// vectors' capacity (one pair of views serves a whole document).
    pub fn fill(&mut self, s: &'a str) {
        // Every field by name: a field added later must be cleared here.
        let View {
            codes,
            urls,
            links,
            ref_links,
            markup,
            markup_counts,
            isolated,
            formats,
            tag_likes,
            leaked,
            entities,
            unterminated,
            texts,
            joined: _,
        } = self;
        codes.clear();
        urls.clear();
        *links = 0;
        *ref_links = 0;
        markup.clear();
        markup_counts.clear();
        isolated.clear();
        formats.clear();
        tag_likes.clear();
        leaked.clear();
        entities.clear();
        unterminated.clear();
        texts.clear();
        // Fast path: nothing the tokenizer would make a token of.
        if !crate::parse::inline::may_have_markup(s) {
            self.texts.push(s);
            self.joined = Cow::Borrowed(s);
            return;
        }
        let mut joined = match std::mem::take(&mut self.joined) {
            Cow::Owned(mut j) => {
                j.clear();
                j
            }
            Cow::Borrowed(_) => String::with_capacity(s.len()),
        };
        with_tokens(s, |tokens| self.read_tokens(s, tokens, &mut joined));
        self.joined = Cow::Owned(joined);
    }

    /// Derives the view from the tokens of `s`.
    fn read_tokens(&mut self, s: &'a str, tokens: &[Token], joined: &mut String) {
        let v = self;
        // Markup tree: a stack of (name, children canon) frames.
        let mut stack: Vec<(&'static str, Vec<String>)> = vec![("", Vec::new())];
        for t in tokens {
            let text = t.as_str(s);
            match &t.kind {
                TokenKind::Text => joined.push_str(text),
                TokenKind::Escape(c) => joined.push(*c),
                TokenKind::Open { .. } | TokenKind::Close { .. } => {}
                _ => joined.push('\u{1}'),
            }
            match &t.kind {
                TokenKind::Text => v.texts.push(text),
                TokenKind::Escape(_) => v.texts.push(text.get(1..).unwrap_or("")),
                TokenKind::Entity(e) => {
                    v.entities.push(text);
                    if !e.terminated {
                        v.unterminated.push(text);
                    }
                }
                TokenKind::Open { markup, pair } => {
                    if let Some(url) = t.url(s) {
                        v.urls.push(normalize_url(url));
                    }
                    match markup {
                        Markup::Link(LinkTarget::Reference(_)) => v.ref_links += 1,
                        Markup::Link(_) | Markup::Html("a") => v.links += 1,
                        _ => {}
                    }
                    if let Some(name) = markup_name(markup) {
                        if pair.is_some() {
                            *v.markup_counts.entry(name).or_default() += 1;
                            stack.push((name, Vec::new()));
                        } else {
                            v.isolated.push(text);
                        }
                    }
                }
                TokenKind::Close { markup, pair } => {
                    if markup_name(markup).is_some() {
                        if pair.is_some() {
                            if stack.len() > 1 {
                                if let Some((n, mut kids)) = stack.pop() {
                                    kids.sort();
                                    let canon = format!("{n}({})", kids.join(","));
                                    if let Some(top) = stack.last_mut() {
                                        top.1.push(canon);
                                    }
                                }
                            }
                        } else {
                            v.isolated.push(text);
                        }
                    }
                }
                TokenKind::Placeholder(p) => {
                    if let Some(url) = t.url(s) {
                        v.urls.push(normalize_url(url));
                    }
                    match p {
                        Placeholder::Code { content } => {
                            v.codes.push(s.get(content.clone()).unwrap_or("").trim())
                        }
                        Placeholder::Autolink { .. } => v.links += 1,
                        Placeholder::Format => v.formats.push(text),
                        Placeholder::TagLike => v.tag_likes.push(text),
                        Placeholder::LeakedTag => v.leaked.push(text),
                        _ => {}
                    }
                }
            }
        }
        while stack.len() > 1 {
            if let Some((n, mut kids)) = stack.pop() {
                kids.sort();
                let canon = format!("{n}({})", kids.join(","));
                if let Some(top) = stack.last_mut() {
                    top.1.push(canon);
                }
            }
        }
        if let Some((_, mut kids)) = stack.pop() {
            kids.sort();
            v.markup = kids.join(",");
        }
    }
}

/// Normalises a URL for comparison: surrounding whitespace and `<>` removed,
/// and a path part that is a locale (`/en-us/`, `/ja-JP/`) replaced by
/// `/{locale}/`, since localized articles point to their own language.
pub fn normalize_url(url: &str) -> String {
    let u = url.trim().trim_start_matches('<').trim_end_matches('>');
    let mut out = String::with_capacity(u.len());
    for (i, part) in u.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        if is_locale_part(part) {
            out.push_str("{locale}");
        } else {
            out.push_str(part);
        }
    }
    out
}

fn is_locale_part(p: &str) -> bool {
    let b = p.as_bytes();
    match b.len() {
        5 => {
            b[2] == b'-'
                && b[..2].iter().all(u8::is_ascii_alphabetic)
                && b[3..].iter().all(u8::is_ascii_alphabetic)
        }
        10 => {
            // zh-hans-cn
            b[2] == b'-'
                && b[7] == b'-'
                && b[..2].iter().all(u8::is_ascii_alphabetic)
                && b[3..7].iter().all(u8::is_ascii_alphabetic)
                && b[8..].iter().all(u8::is_ascii_alphabetic)
        }
        _ => false,
    }
}

/// The built-in expected ratio of target to source length (characters
/// other than whitespace), by language subtag; measured medians on the
/// real corpus for de, fr, hu, ja, ko, zh, rounded; 1.0 for others.
pub fn expected_ratio(lang: &str, overrides: &BTreeMap<String, f64>) -> f64 {
    let lower = lang.to_ascii_lowercase();
    let primary = lower.split('-').next().unwrap_or("");
    for (k, v) in overrides {
        let k = k.to_ascii_lowercase();
        if k == lower || k == primary {
            return *v;
        }
    }
    match primary {
        "de" | "fr" => 1.2,
        "es" | "it" | "pt" | "nl" | "hu" | "pl" | "ru" | "ro" => 1.15,
        "ja" => 0.65,
        "ko" => 0.55,
        "zh" => 0.4,
        _ => 1.0,
    }
}

/// How far from the expected ratio a segment may be (both ways; CJK
/// targets may be shorter still, see [`RATIO_FACTOR_CJK_SHORT`]).
const RATIO_FACTOR: f64 = 2.5;
/// How much shorter than expected a CJK target may be: short noun phrases
/// compress a lot (`Geographical market of the customer` → `顧客の地理的市場`).
const RATIO_FACTOR_CJK_SHORT: f64 = 4.0;
/// Sources shorter than this (non-whitespace characters) are not measured.
const RATIO_MIN_CHARS: usize = 30;

/// Runs the content checks of `opts.selection` over one document.
pub fn check(doc: &Document, opts: &CheckOptions, out: &mut Vec<Finding>) {
    let sel = &opts.selection;
    let ratio = expected_ratio(&doc.target_lang, &opts.length_ratios);
    let english = doc.target_lang.to_ascii_lowercase().starts_with("en");
    let cjk = is_cjk_lang(&doc.target_lang);
    // The views of the two texts, refilled for each pair.
    let (mut s, mut t) = (View::default(), View::default());
    for seg in &doc.segments {
        // `at`: the problem's place in the target (a slice of it), when
        // the check knows it.
        let mut push = |c: Check, msg: String, at: Option<&str>| {
            if sel.is_on(c) {
                let mut f = segment_finding(c, doc, seg, msg);
                if let Some(o) = at.and_then(|a| offset_in(&seg.target, a)) {
                    f.target_offset = Some(o);
                    f.target_length = at.map(str::len);
                }
                out.push(f);
            }
        };
        // Checks that need no tokens.
        // A check that is not selected is not computed.
        let on = |c: Check| sel.is_on(c);
        if let Some((m, at)) = on(Check::XmlInvalidCharacter)
            .then(|| xml_invalid(seg))
            .flatten()
        {
            push(Check::XmlInvalidCharacter, m, at);
        }
        if let Some((m, at)) = on(Check::InvisibleCharacter)
            .then(|| invisible(&seg.target, &seg.source))
            .flatten()
        {
            push(Check::InvisibleCharacter, m, at);
        }
        if let Some(m) = on(Check::EdgeWhitespaceMismatch)
            .then(|| edge_whitespace(&seg.source, &seg.target))
            .flatten()
        {
            push(Check::EdgeWhitespaceMismatch, m, None);
        }
        if super::is_blank(&seg.target) || super::is_blank(&seg.source) {
            continue; // empty-target / empty-source say it
        }
        if !english && seg.target == seg.source && on(Check::Untranslated) {
            if let Some(m) = untranslated(seg) {
                push(Check::Untranslated, m, None);
            }
        }
        if on(Check::EndPunctuationMismatch) || on(Check::LengthRatio) {
            let (source_text, target_text) = (
                crate::parse::plain::view_or_render(&seg.source, &seg.source_text),
                crate::parse::plain::view_or_render(&seg.target, &seg.target_text),
            );
            if let Some(m) = on(Check::EndPunctuationMismatch)
                .then(|| end_punctuation(&source_text, &target_text, cjk))
                .flatten()
            {
                push(Check::EndPunctuationMismatch, m, None);
            }
            if let Some(m) = on(Check::LengthRatio)
                .then(|| length_ratio(&source_text, &target_text, ratio, cjk))
                .flatten()
            {
                push(Check::LengthRatio, m, None);
            }
        }
        if seg.target == seg.source {
            continue; // nothing to compare
        }
        s.fill(&seg.source);
        t.fill(&seg.target);
        if let Some(m) = multiset_diff("code span", &s.codes, &t.codes) {
            push(
                Check::InlineCodeMismatch,
                m,
                first_extra(&s.codes, &t.codes),
            );
        }
        // A reference link is a link only if its label is defined: when the
        // counts differ and a reference link could explain it, say nothing.
        let ambiguous =
            (s.links < t.links && s.ref_links > 0) || (t.links < s.links && t.ref_links > 0);
        if ambiguous {
            // Nothing to say about links.
        } else if s.links != t.links {
            push(
                Check::LinkCountMismatch,
                format!("the source has {} link(s), the target {}", s.links, t.links),
                None,
            );
        } else if let Some(m) = multiset_diff("URL", &s.urls, &t.urls) {
            push(Check::LinkUrlMismatch, m, None);
        }
        if let Some(m) = markup(&s, &t) {
            push(Check::MarkupMismatch, m, None);
        }
        if let Some(m) = placeholders(&s, &t) {
            push(
                Check::PlaceholderMismatch,
                m,
                first_extra(&s.formats, &t.formats),
            );
        }
        if let Some(m) = numbers(&s, &t) {
            push(Check::NumberMismatch, m, None);
        }
        if let Some(m) = entities(&s, &t) {
            push(Check::EntityMismatch, m, None);
        }
        if let Some((m, at)) = double_space(&s, &t) {
            push(Check::DoubleSpace, m, Some(at));
        }
        if let Some(m) = brackets(&s, &t) {
            push(Check::UnbalancedBrackets, m, None);
        }
        if t.leaked.len() > s.leaked.len() {
            push(
                Check::LeakedMtTag,
                format!(
                    "machine-translation tag(s) left in the target: {}",
                    quote_list(&t.leaked)
                ),
                first_extra(&s.leaked, &t.leaked),
            );
        }
        if let Some(m) = broken_markdown(&s, &t) {
            push(Check::BrokenMarkdown, m, None);
        }
    }
}

/// The byte offset of `part` in `text`, when `part` is a slice of `text`
/// (the views' pieces are): the problem's place in a finding's target.
fn offset_in(text: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    (start + part.len() <= text.len()).then_some(start)
}

/// The first of `tgt` (slices of the target) beyond the copies `src` has:
/// the first token the target adds (multisets, as `multiset_diff` compares).
fn first_extra<'a>(src: &[&str], tgt: &[&'a str]) -> Option<&'a str> {
    let mut left: BTreeMap<&str, usize> = BTreeMap::new();
    for x in src {
        *left.entry(x).or_default() += 1;
    }
    tgt.iter().copied().find(|x| match left.get_mut(x) {
        Some(n) if *n > 0 => {
            *n -= 1;
            false
        }
        _ => true,
    })
}

fn is_cjk_lang(lang: &str) -> bool {
    let l = lang.to_ascii_lowercase();
    l.starts_with("ja") || l.starts_with("zh") || l.starts_with("ko")
}

fn quote_list<S: AsRef<str>>(items: &[S]) -> String {
    let v: Vec<String> = items
        .iter()
        .take(5)
        .map(|s| format!("`{}`", super::excerpt(s.as_ref()).replace('\n', "\\n")))
        .collect();
    let more = items.len().saturating_sub(5);
    if more > 0 {
        format!("{} and {more} more", v.join(", "))
    } else {
        v.join(", ")
    }
}

/// Compares two multisets; describes what the target misses and adds.
fn multiset_diff<S: AsRef<str> + Ord>(what: &str, src: &[S], tgt: &[S]) -> Option<String> {
    // Usually the same items in the same order: nothing to count.
    if src.len() == tgt.len() && src.iter().zip(tgt).all(|(a, b)| a.as_ref() == b.as_ref()) {
        return None;
    }
    let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
    for s in src {
        *counts.entry(s.as_ref()).or_default() += 1;
    }
    for t in tgt {
        *counts.entry(t.as_ref()).or_default() -= 1;
    }
    let missing: Vec<&str> = counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, _)| *k)
        .collect();
    let extra: Vec<&str> = counts
        .iter()
        .filter(|(_, n)| **n < 0)
        .map(|(k, _)| *k)
        .collect();
    if missing.is_empty() && extra.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!(
            "{what}s missing in the target: {}",
            quote_list(&missing)
        ));
    }
    if !extra.is_empty() {
        parts.push(format!("{what}s not in the source: {}", quote_list(&extra)));
    }
    Some(parts.join("; "))
}

// ---------------------------------------------------------------------------
// untranslated

/// English function words: a text with one of them reads as a sentence,
/// not as a name.
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "after", "all", "an", "and", "are", "as", "at", "be", "before", "by", "can",
    "do", "does", "for", "from", "has", "have", "how", "if", "in", "into", "is", "it", "its",
    "may", "must", "not", "of", "on", "or", "should", "that", "the", "their", "then", "there",
    "these", "this", "to", "use", "was", "what", "when", "which", "will", "with", "you", "your",
];

/// Whether a source (plain text) reads as English prose: at least five
/// words of ASCII letters outside code, URLs and placeholders, with at least
/// one English function word (`the`, `to`, `you`, …) and two other words in
/// lowercase. Title Case names (`Office 365 A5 with Calling Minutes for
/// Faculty`), cmdlets (`Get-AzVM`), numbers and URLs have no lowercase
/// content word and are not prose.
pub fn reads_as_prose(source_plain: &str) -> bool {
    let mut words = 0;
    let mut lower = 0;
    let mut function = false;
    for w in source_plain.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-')) {
        let w = w.trim_matches(|c| c == '\'' || c == '-');
        if w.is_empty() || !w.chars().all(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        words += 1;
        if w.chars().all(|c| c.is_ascii_lowercase()) {
            if FUNCTION_WORDS.binary_search(&w).is_ok() {
                function = true;
            } else {
                lower += 1;
            }
        }
    }
    words >= 5 && lower >= 2 && function
}

fn untranslated(seg: &Segment) -> Option<String> {
    // The prose decision is made on the text outside code spans, URLs,
    // placeholders and tags.
    let v = View::new(&seg.source);
    let prose: String = v.texts.join(" ");
    reads_as_prose(&prose).then(|| "the target is the English source, unchanged".to_string())
}

// ---------------------------------------------------------------------------
// markup, placeholders, entities

fn markup(s: &View, t: &View) -> Option<String> {
    if s.markup_counts != t.markup_counts {
        let fmt = |m: &BTreeMap<&str, usize>| {
            if m.is_empty() {
                "none".to_string()
            } else {
                m.iter()
                    .map(|(k, n)| format!("{k}×{n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        return Some(format!(
            "paired markup differs: source {}, target {}",
            fmt(&s.markup_counts),
            fmt(&t.markup_counts)
        ));
    }
    if t.isolated.len() > s.isolated.len() {
        return Some(format!(
            "unmatched markup in the target (it renders as literal characters): {}",
            quote_list(&t.isolated)
        ));
    }
    if s.markup != t.markup {
        return Some(format!(
            "markup nests differently: source {}, target {}",
            s.markup, t.markup
        ));
    }
    None
}

fn placeholders(s: &View, t: &View) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(m) = multiset_diff("format placeholder", &s.formats, &t.formats) {
        parts.push(m);
    }
    // Tag-like placeholders (`<Subscription ID>`) may have their words
    // translated, and a translator may add one for a name the source spells
    // out (`myproject` → `<プロジェクト名>`): report lost ones, and added ones
    // without a letter (`<8>`, machine-translation debris).
    let debris = t
        .tag_likes
        .iter()
        .filter(|x| !x.chars().any(char::is_alphabetic))
        .count()
        > s.tag_likes
            .iter()
            .filter(|x| !x.chars().any(char::is_alphabetic))
            .count();
    if t.tag_likes.len() < s.tag_likes.len() || debris {
        parts.push(format!(
            "the source has {} <placeholder>(s) ({}), the target {}",
            s.tag_likes.len(),
            quote_list(&s.tag_likes),
            t.tag_likes.len()
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn entities(s: &View, t: &View) -> Option<String> {
    if t.unterminated.len() > s.unterminated.len() {
        return Some(format!(
            "entity without the closing `;` in the target: {}",
            quote_list(&t.unterminated)
        ));
    }
    // Only the escapes of `<` and `&` must survive: without them the text
    // may open a tag or an entity. Other entities (`&mdash;`, `&#8220;`,
    // `&gt;` for `>`) may be replaced by the character or rephrased.
    fn escapes<'a>(v: &View<'a>) -> Vec<&'a str> {
        v.entities
            .iter()
            .filter(|e| {
                matches!(
                    e.to_ascii_lowercase().as_str(),
                    "&lt;" | "&#60;" | "&#x3c;" | "&amp;" | "&#38;" | "&#x26;"
                )
            })
            .copied()
            .collect()
    }
    let (src, tgt) = (escapes(s), escapes(t));
    if tgt.len() < src.len() {
        multiset_diff("entity", &src, &tgt)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------
// numbers

/// A number of a text: its digits (leading zeros dropped) and its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    /// All digits, separators removed, leading zeros dropped (`1,000` → `1000`).
    pub joined: String,
    /// The digit groups between separators, leading zeros dropped
    /// (`2021-03-04` → `2021`, `3`, `4`).
    pub parts: Vec<String>,
}

fn strip_zeros(d: &str) -> String {
    let t = d.trim_start_matches('0');
    if t.is_empty() {
        "0".into()
    } else {
        t.into()
    }
}

/// Whether `c` is a letter of an alphabetic script (a digit next to it is
/// part of a name such as `x64`); CJK characters are not.
fn is_word_letter(c: char) -> bool {
    c.is_alphabetic() && (c as u32) < 0x2e80
}

/// The numbers of a text. Full-width digits count as ASCII; separators
/// (`,` `.` `'` `/` `-` `:` space, U+00A0, U+202F between digits) join digit
/// groups into one number, so `1,000`, `1.000`, `1 000` and the dates
/// `2021-03-04`, `4.3.2021` are numbers with comparable parts (`:` does not
/// join: times are often rewritten, `7:30 PM` → `19:30`). With `strict`
/// (the source), digits glued to a Latin letter (`x64`, `Win32`,
/// `COVID-19`) are names and skipped; otherwise (the target) every number
/// counts, and a CJK unit after it multiplies it (`9 万` = 90000).
pub fn numbers_in(text: &str, strict: bool) -> Vec<Number> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    // The digits of the number being read, and where each group ends in
    // them (kept from one number to the next).
    let mut digits = String::new();
    let mut ends: Vec<usize> = Vec::new();
    let mut i = 0;
    // The next ASCII digit or `EF`, the lead byte of the full-width digits
    // (`EF BC 90`–`EF BC 99`); `EF` never continues a character.
    while let Some(at) = next_digit_byte(b, i) {
        i = at;
        let rest = text.get(i..).unwrap_or("");
        if rest.chars().next().and_then(digit).is_none() {
            i += 1;
            continue;
        }
        let in_word = strict && {
            let mut before = text.get(..i).unwrap_or("").chars().rev();
            match before.next() {
                Some(p) if is_word_letter(p) => true,
                Some('-') => before.next().is_some_and(is_word_letter),
                _ => false,
            }
        };
        digits.clear();
        ends.clear();
        while let Some(c) = text.get(i..).and_then(|r| r.chars().next()) {
            if let Some(d) = digit(c) {
                digits.push(d);
                i += c.len_utf8();
                continue;
            }
            let mut after = text.get(i + c.len_utf8()..).unwrap_or("").chars();
            let separator = matches!(
                c,
                ',' | '.' | '\'' | '/' | '-' | ' ' | '\u{a0}' | '\u{202f}'
            ) && after.clone().next().and_then(digit).is_some();
            if !separator {
                break;
            }
            // A space separates groups only before exactly three digits.
            if matches!(c, ' ' | '\u{a0}' | '\u{202f}') {
                let three = (0..3).all(|_| after.next().and_then(digit).is_some())
                    && after.next().and_then(digit).is_none();
                if !three {
                    break;
                }
            }
            ends.push(digits.len());
            i += c.len_utf8();
        }
        ends.push(digits.len());
        // `21Vianet`, `3rd`, `64bit`: a name or a unit glued on; skipped in the source.
        let glued = strict && b.get(i).is_some_and(u8::is_ascii_alphabetic);
        if !in_word && !glued {
            let mut joined = strip_zeros(&digits);
            // CJK myriads: `9 万` is 90,000, `2억` 200,000,000.
            if !strict && ends.len() == 1 {
                let unit = text.get(i..).and_then(|r| r.chars().find(|&c| c != ' '));
                joined.push_str(&"0".repeat(myriad_zeros(unit)));
            }
            let mut start = 0;
            let parts = ends
                .iter()
                .map(|&end| {
                    let part = strip_zeros(digits.get(start..end).unwrap_or(""));
                    start = end;
                    part
                })
                .collect();
            out.push(Number { joined, parts });
        }
    }
    out
}

/// The zeros a CJK unit after a number stands for: `千`/`천` 3, `万`/`萬`/`만`
/// 4, `億`/`亿`/`억` 8.
fn myriad_zeros(unit: Option<char>) -> usize {
    match unit {
        Some('千' | '천') => 3,
        Some('万' | '萬' | '만') => 4,
        Some('億' | '亿' | '억') => 8,
        _ => 0,
    }
}

/// The first ASCII digit or `EF` byte at or after `i`: 32-byte blocks
/// without one are skipped with a branch-free test (which the compiler
/// makes SIMD).
fn next_digit_byte(b: &[u8], mut i: usize) -> Option<usize> {
    #[inline(always)]
    fn hit(c: u8) -> u8 {
        u8::from(c.wrapping_sub(b'0') < 10) | u8::from(c == 0xef)
    }
    while let Some(w) = b.get(i..).and_then(<[u8]>::first_chunk::<32>) {
        if w.iter().fold(0, |any, &c| any | hit(c)) != 0 {
            break;
        }
        i += 32;
    }
    b.get(i..)?.iter().position(|&c| hit(c) != 0).map(|k| i + k)
}

/// [`numbers_in`] over the chars of the text, as it was written before it
/// read the text itself (kept as it was but for the shared table of CJK
/// units): the reference it is tested against.
#[cfg(test)]
fn numbers_in_chars(chars: &[char], strict: bool) -> Vec<Number> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if digit(chars[i]).is_none() {
            i += 1;
            continue;
        }
        let in_word = strict
            && i > 0
            && (is_word_letter(chars[i - 1])
                || (chars[i - 1] == '-' && i > 1 && is_word_letter(chars[i - 2])));
        let mut parts = vec![String::new()];
        while i < chars.len() {
            if let Some(d) = digit(chars[i]) {
                if let Some(p) = parts.last_mut() {
                    p.push(d);
                }
                i += 1;
            } else if matches!(
                chars[i],
                ',' | '.' | '\'' | '/' | '-' | ' ' | '\u{a0}' | '\u{202f}'
            ) && chars.get(i + 1).and_then(|c| digit(*c)).is_some()
            {
                // A space separates groups only before exactly three digits.
                if matches!(chars[i], ' ' | '\u{a0}' | '\u{202f}') {
                    let three = (1..=3).all(|k| chars.get(i + k).and_then(|c| digit(*c)).is_some())
                        && chars.get(i + 4).and_then(|c| digit(*c)).is_none();
                    if !three {
                        break;
                    }
                }
                parts.push(String::new());
                i += 1;
            } else {
                break;
            }
        }
        // `21Vianet`, `3rd`, `64bit`: a name or a unit glued on; skipped in the source.
        let glued = strict && chars.get(i).is_some_and(|c| c.is_ascii_alphabetic());
        if !in_word && !glued {
            let mut joined = strip_zeros(&parts.concat());
            // CJK myriads: `9 万` is 90,000, `2억` 200,000,000.
            if !strict && parts.len() == 1 {
                let unit = chars[i..].iter().find(|c| **c != ' ').copied();
                joined.push_str(&"0".repeat(myriad_zeros(unit)));
            }
            out.push(Number {
                joined,
                parts: parts.iter().map(|p| strip_zeros(p)).collect(),
            });
        }
    }
    out
}

fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '\u{ff10}'..='\u{ff19}' => char::from_u32(c as u32 - 0xff10 + '0' as u32),
        _ => None,
    }
}

fn numbers(s: &View, t: &View) -> Option<String> {
    if !s.joined.bytes().any(|b| b.is_ascii_digit() || b == 0xef) {
        return None;
    }
    let mut src = numbers_in(&s.joined, true);
    // `24/7`, `24 x 7`: an idiom, translated as words (`rund um die Uhr`).
    // Only a `2` followed by spaces and a `4` can make `24` once spaces are
    // removed: the other texts skip the lowercase copy.
    let b = s.joined.as_bytes();
    let two_four = memchr::memchr_iter(b'2', b)
        .any(|i| b.get(i + 1..).and_then(|r| r.iter().find(|&&c| c != b' ')) == Some(&b'4'));
    if two_four {
        let lower = s.joined.to_ascii_lowercase().replace(' ', "");
        if lower.contains("24/7") || lower.contains("24x7") {
            src.retain(|n| n.joined != "247" && n.joined != "24");
        }
    }
    // Only numbers of two digits or more are looked for (see below).
    if !src.iter().any(|n| n.joined.len() > 1) {
        return None;
    }
    let tgt = numbers_in(&t.joined, false);
    let joined: std::collections::HashSet<&str> = tgt.iter().map(|n| n.joined.as_str()).collect();
    let parts: std::collections::HashSet<&str> = tgt
        .iter()
        .flat_map(|n| n.parts.iter().map(String::as_str))
        .chain(joined.iter().copied())
        .collect();
    // A number is found when the target has it whole, or all its parts
    // (a date or a decimal written the other way round). Numbers below 10
    // are skipped: style guides spell them out (`2 projects` → `두 프로젝트`).
    // A target may add numbers (`2021年6月30日`), so only missing ones count.
    let mut missing: Vec<&str> = src
        .iter()
        .filter(|n| n.joined.len() > 1)
        .filter(|n| {
            // Every group found (`4-6` = `4–6`), or every significant group
            // found (a date whose day lost its leading zero).
            let by_parts = n.parts.iter().all(|p| parts.contains(p.as_str()))
                || (n.parts.iter().any(|p| p.len() >= 2)
                    && n.parts
                        .iter()
                        .all(|p| p.len() < 2 || parts.contains(p.as_str())));
            !joined.contains(n.joined.as_str()) && !by_parts
        })
        .map(|n| n.joined.as_str())
        .collect();
    missing.dedup();
    (!missing.is_empty()).then(|| {
        format!(
            "number(s) of the source missing in the target: {}",
            quote_list(&missing)
        )
    })
}

// ---------------------------------------------------------------------------
// whitespace, punctuation, brackets

fn edge_whitespace(source: &str, target: &str) -> Option<String> {
    let lead = |s: &str| s.chars().next().is_some_and(char::is_whitespace);
    let trail = |s: &str| s.chars().last().is_some_and(char::is_whitespace);
    let mut parts = Vec::new();
    if lead(source) != lead(target) {
        parts.push(if lead(source) {
            "the source starts with whitespace, the target does not"
        } else {
            "the target starts with whitespace, the source does not"
        });
    }
    if trail(source) != trail(target) {
        parts.push(if trail(source) {
            "the source ends with whitespace, the target does not"
        } else {
            "the target ends with whitespace, the source does not"
        });
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The first run of two spaces or more inside a line of a view's text
/// runs, as a slice of the text the view was made of: not indentation after
/// a line break, not the two spaces of a markdown hard break before a line
/// ending, not at the edges of the whole text (leading spaces of the first
/// run and trailing ones of the last). A run lies inside one text run.
fn double_space_at<'a>(v: &View<'a>) -> Option<&'a str> {
    if !v.texts.iter().any(|t| t.contains("  ")) {
        return None;
    }
    let (first, last) = (v.texts.first()?, v.texts.last()?);
    for (k, piece) in v.texts.iter().enumerate() {
        let b = piece.as_bytes();
        // The whole text's edges: leading spaces of the first run and
        // trailing ones of the last are not inside it.
        let from = if k == 0 {
            b.len() - first.trim_start().len()
        } else {
            0
        };
        let to = if k == v.texts.len() - 1 {
            last.trim_end().len()
        } else {
            b.len()
        };
        let mut i = from;
        while i + 1 < to {
            if b[i] == b' ' && b[i + 1] == b' ' {
                let mut end = i;
                while end < to && b[end] == b' ' {
                    end += 1;
                }
                let after_break = i > from && matches!(b[i - 1], b'\n' | b'\r' | b'\t');
                let before_break = matches!(b.get(end), Some(b'\n' | b'\r'));
                if !after_break && !before_break {
                    return Some(&piece[i..end]);
                }
                i = end;
            } else {
                i += 1;
            }
        }
    }
    None
}

/// A double space in the target that the source does not have: the
/// message, and the first run (a slice of the target).
fn double_space<'a>(s: &View, t: &View<'a>) -> Option<(String, &'a str)> {
    let at = double_space_at(t)?;
    double_space_at(s)
        .is_none()
        .then(|| ("two spaces in a row inside the target text".to_string(), at))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EndPunct {
    Period,
    Question,
    Exclamation,
    Colon,
    Semicolon,
    Comma,
    Ellipsis,
}

fn end_class(s: &str) -> Option<EndPunct> {
    let s = s.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ')' | '"'
                    | '\''
                    | '”'
                    | '’'
                    | '」'
                    | '』'
                    | '】'
                    | '）'
                    | '»'
                    | '*'
                    | '_'
                    | ']'
                    | '］'
                    | '\u{200f}'
                    | '\u{200e}'
            )
    });
    if s.ends_with("...") || s.ends_with('…') || s.ends_with("⋯") {
        return Some(EndPunct::Ellipsis);
    }
    Some(match s.chars().last()? {
        '.' | '。' | '．' | '｡' => EndPunct::Period,
        '?' | '？' => EndPunct::Question,
        '!' | '！' => EndPunct::Exclamation,
        ':' | '：' => EndPunct::Colon,
        ';' | '；' => EndPunct::Semicolon,
        ',' | '，' | '、' => EndPunct::Comma,
        _ => return None,
    })
}

fn end_punctuation(source: &str, target: &str, cjk: bool) -> Option<String> {
    use EndPunct::*;
    let s = end_class(source);
    let t = end_class(target);
    // A source fragment without end punctuation may become a full sentence.
    if s == t || s.is_none() {
        return None;
    }
    let accepted = match (s, t) {
        // A period after a non-letter (`starts with .`) is part of a name.
        (Some(Period), _)
            if source.trim_end().chars().rev().nth(1).is_some_and(|c| {
                !c.is_alphanumeric() && !matches!(c, ')' | '"' | '*' | '`' | '\'' | ']')
            }) =>
        {
            true
        }
        // `!` is often toned down to a period.
        (Some(Exclamation), Some(Period)) => true,
        // CJK conventions: a lead-in ends with `。` rather than `：`; a
        // question becomes `〜とは` or `〜か。`; noun phrases drop the period.
        (Some(Colon | Question | Exclamation | Period), _) if cjk => true,
        _ => false,
    };
    if accepted {
        return None;
    }
    let name = |p: Option<EndPunct>| match p {
        None => "no punctuation".to_string(),
        Some(p) => format!("{p:?}").to_lowercase(),
    };
    Some(format!(
        "the source ends with {}, the target with {}",
        name(s),
        name(t)
    ))
}

/// Bracket balance per pair (`()` `[]` `{}` with their full-width forms,
/// then `「」` `『』` `【】` `〔〕` `《》` `〈〉`) over the text runs.
fn balance(v: &View) -> [i64; 9] {
    let mut b = [0i64; 9];
    let mut count = |t: &str, i: usize| {
        if let Some((k, d)) = t.get(i..).and_then(|r| r.chars().next()).and_then(bracket) {
            b[k] += d;
        }
    };
    for t in &v.texts {
        let tb = t.as_bytes();
        if tb.len() < 64 {
            // Short texts: one pass with a table costs less than setting up
            // the three searches below.
            for (i, &c) in tb.iter().enumerate() {
                if BRACKET_START[usize::from(c)]
                    && (c < 0x80 || tb.get(i + 1).is_some_and(|&n| cjk_bracket_lead(c, n)))
                {
                    count(t, i);
                }
            }
            continue;
        }
        // The ASCII brackets are rare: found by SIMD searches.
        for i in memchr::memchr3_iter(b'(', b')', b'[', tb)
            .chain(memchr::memchr3_iter(b']', b'{', b'}', tb))
        {
            count(t, i);
        }
        // The CJK brackets: U+3008–U+3015 (`E3 80 xx`) and U+FF08–U+FF5D
        // (`EF BC xx`, `EF BD xx`), found by their second byte: kana and
        // many ideographs share the lead byte `E3`, few have `80` after it.
        // (A third byte never follows `E3` or `EF`.)
        for i in memchr::memchr3_iter(0x80, 0xbc, 0xbd, tb) {
            if let Some(lead) = i.checked_sub(1) {
                if cjk_bracket_lead(tb[lead], tb[i]) {
                    count(t, lead);
                }
            }
        }
    }
    b
}

/// Whether two bytes start a CJK bracket: `E3 80` (U+3008–U+3015) or
/// `EF BC` / `EF BD` (U+FF08–U+FF5D); other chars of these blocks are
/// sorted out by [`bracket`].
fn cjk_bracket_lead(lead: u8, second: u8) -> bool {
    matches!((lead, second), (0xe3, 0x80) | (0xef, 0xbc | 0xbd))
}

/// The first bytes of brackets for [`balance`]: `()[]{}`, and the lead
/// bytes `E3` and `EF` (which also start kana, ideographs and other forms:
/// the second byte says).
static BRACKET_START: [bool; 256] = crate::parse::byte_set(b"()[]{}\xe3\xef");

/// A bracket's pair (its index in [`balance`]) and +1 for an opening, −1
/// for a closing.
fn bracket(c: char) -> Option<(usize, i64)> {
    const PAIRS: [[char; 4]; 9] = [
        ['(', ')', '（', '）'],
        ['[', ']', '［', '］'],
        ['{', '}', '｛', '｝'],
        ['「', '」', '「', '」'],
        ['『', '』', '『', '』'],
        ['【', '】', '【', '】'],
        ['〔', '〕', '〔', '〕'],
        ['《', '》', '《', '》'],
        ['〈', '〉', '〈', '〉'],
    ];
    PAIRS.iter().enumerate().find_map(|(k, p)| {
        if c == p[0] || c == p[2] {
            Some((k, 1))
        } else if c == p[1] || c == p[3] {
            Some((k, -1))
        } else {
            None
        }
    })
}

fn brackets(s: &View, t: &View) -> Option<String> {
    let tb = balance(t);
    if tb.iter().all(|x| *x == 0) {
        return None;
    }
    let sb = balance(s);
    let names = [
        "()", "[]", "{}", "「」", "『』", "【】", "〔〕", "《》", "〈〉",
    ];
    let bad: Vec<String> = (0..9)
        .filter(|&k| tb[k] != 0 && tb[k] != sb[k])
        .map(|k| {
            let (o, c) = names[k].split_at(names[k].len() / 2);
            if tb[k] > 0 {
                format!("{} `{o}` not closed", tb[k])
            } else {
                format!("{} `{c}` not opened", -tb[k])
            }
        })
        .collect();
    (!bad.is_empty()).then(|| format!("unbalanced brackets in the target: {}", bad.join(", ")))
}

// ---------------------------------------------------------------------------
// length

/// The chars of `s` that are not whitespace (`char::is_whitespace`).
fn non_whitespace_chars(s: &str) -> usize {
    if s.is_ascii() {
        // ASCII: the whitespace of `char::is_whitespace` is 9–13 and space.
        let ws = s
            .bytes()
            .map(|c| usize::from((c == b' ') | (c.wrapping_sub(b'\t') < 5)))
            .sum::<usize>();
        s.len() - ws
    } else {
        s.chars().filter(|c| !c.is_whitespace()).count()
    }
}

fn length_ratio(source: &str, target: &str, expected: f64, cjk: bool) -> Option<String> {
    let (sn, tn) = (non_whitespace_chars(source), non_whitespace_chars(target));
    if sn < RATIO_MIN_CHARS {
        return None;
    }
    let r = tn as f64 / sn as f64;
    let low = if cjk {
        RATIO_FACTOR_CJK_SHORT
    } else {
        RATIO_FACTOR
    };
    if r < expected / low || r > expected * RATIO_FACTOR {
        Some(format!(
            "the target is {r:.2} times as long as the source (expected about {expected:.2}): a missing or extra part?"
        ))
    } else {
        None
    }
}

// ---------------------------------------------------------------------------
// broken markdown, characters

fn broken_markdown(s: &View, t: &View) -> Option<String> {
    let scan = |v: &View| -> Vec<&'static str> {
        let mut found = Vec::new();
        for x in &v.texts {
            if memchr::memchr2(b'\n', b']', x.as_bytes()).is_none() {
                continue;
            }
            let mut lines = x.split('\n');
            lines.next();
            for l in lines {
                let l = l.trim_start_matches([' ', '\t', '\r']);
                if l.starts_with("> ") || l == ">" {
                    found.push("a blockquote marker `>` after a line break");
                } else if l.starts_with("- ")
                    || l.starts_with("* ")
                    || l.starts_with("+ ")
                    || l.split_once(". ").is_some_and(|(n, _)| {
                        !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit())
                    })
                {
                    found.push("a list marker after a line break");
                } else if l.starts_with('#') && l.trim_start_matches('#').starts_with(' ') {
                    found.push("a heading marker `#` after a line break");
                }
            }
            if split_link(x) {
                found.push("a split link (`](` or `] (url)` in plain text)");
            }
        }
        found
    };
    let st = scan(s);
    let tt = scan(t);
    let new: Vec<&str> = tt.iter().filter(|f| !st.contains(f)).copied().collect();
    (!new.is_empty()).then(|| {
        let mut new = new;
        new.dedup();
        format!("markdown structure inside the target: {}", new.join("; "))
    })
}

/// Whether a text run holds a link the renderer does not see: `](`, or
/// `]` then whitespace then `(` and a URL-like word (`] (setup.md)`). A
/// bracketed UI label followed by a translation in parentheses
/// (`[Save] (保存)`, a Japanese convention) is not one.
fn split_link(x: &str) -> bool {
    let mut rest = x;
    while let Some(i) = rest.find(']') {
        let after = &rest[i + 1..];
        let trimmed = after.trim_start_matches([' ', '\t', '\n', '\r']);
        if let Some(inner) = trimmed.strip_prefix('(') {
            let gap = after.len() - trimmed.len();
            let word: &str = inner.split([')', ' ', '\n']).next().unwrap_or("");
            let urlish = word.contains('/')
                || word.contains('#')
                || word.ends_with(".md")
                || word.starts_with("http");
            if gap == 0 || urlish {
                return true;
            }
        }
        rest = after;
    }
    false
}

/// Zero-width characters that have no business inside a word.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200b}' | '\u{2060}' | '\u{feff}' | '\u{180e}')
}

fn invisible<'a>(target: &'a str, source: &str) -> Option<(String, Option<&'a str>)> {
    // Every character looked for is encoded with a lead byte E1, E2 or EF.
    memchr::memchr3(0xe1, 0xe2, 0xef, target.as_bytes())?;
    let mut parts = Vec::new();
    let mut names: Vec<String> = Vec::new();
    // The first zero-width character inside a word, as a slice of `target`.
    let mut first: Option<&str> = None;
    let (mut prev, mut cur) = (None::<char>, None::<(usize, char)>);
    let mut depth = 0i64;
    let mut unbalanced = false;
    let end = std::iter::once((target.len(), '\0'));
    for (i, c) in target.char_indices().chain(end) {
        if let (Some(p), Some((zi, z))) = (prev, cur) {
            if is_zero_width(z) && p.is_alphanumeric() && c.is_alphanumeric() {
                first.get_or_insert(&target[zi..i]);
                let n = format!("U+{:04X}", z as u32);
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
        match c {
            '\u{202a}' | '\u{202b}' | '\u{202d}' | '\u{202e}' | '\u{2066}'..='\u{2068}' => {
                depth += 1
            }
            '\u{202c}' | '\u{2069}' => {
                depth -= 1;
                if depth < 0 {
                    unbalanced = true;
                    depth = 0;
                }
            }
            _ => {}
        }
        prev = cur.map(|(_, c)| c);
        cur = Some((i, c));
    }
    // The place is the zero-width character's, when it is reported.
    let at = first.filter(|_| !source.chars().any(is_zero_width));
    if at.is_some() {
        parts.push(format!(
            "zero-width character inside a word ({})",
            names.join(", ")
        ));
    }
    if depth != 0 || unbalanced {
        parts.push(
            "unbalanced bidi embedding/override/isolate controls (U+202A–U+202E, U+2066–U+2069)"
                .to_string(),
        );
    }
    (!parts.is_empty()).then(|| (parts.join("; "), at))
}

/// Characters XML 1.0 forbids: C0 controls but tab, LF, CR; U+FFFE, U+FFFF.
fn is_xml_invalid(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Whether `s` may hold a char XML 1.0 forbids: a C0 control other than
/// tab and line endings, or the lead byte of U+FFFE/U+FFFF. Tested 32 bytes
/// at a time (ORs of `u8`, which the compiler makes SIMD).
fn may_be_xml_invalid(s: &str) -> bool {
    let bad = |c: u8| {
        ((c < 0x20) as u8 & !((c == b'\t') as u8 | (c == b'\n') as u8 | (c == b'\r') as u8))
            | (c == 0xef) as u8
    };
    let mut blocks = s.as_bytes().chunks_exact(32);
    for w in &mut blocks {
        let mut acc = 0u8;
        for &c in w {
            acc |= bad(c);
        }
        if acc != 0 {
            return true;
        }
    }
    blocks.remainder().iter().any(|&c| bad(c) != 0)
}

fn xml_invalid(seg: &Segment) -> Option<(String, Option<&str>)> {
    if !may_be_xml_invalid(&seg.target) && !may_be_xml_invalid(&seg.source) {
        return None;
    }
    // The first such char, as a slice of `s`.
    let find = |s: &str| {
        let (i, c) = s.char_indices().find(|&(_, c)| is_xml_invalid(c))?;
        Some((c, i..i + c.len_utf8()))
    };
    let message = |side: &str, c: char| {
        format!(
            "the {side} holds U+{:04X}, which XML 1.0 (TMX, XLIFF) cannot hold",
            c as u32
        )
    };
    match (find(&seg.target), find(&seg.source)) {
        // The place is the target's char (the finding's texts are the
        // pair's; a char of the source has no place in the target).
        (Some((c, at)), _) => Some((message("target", c), Some(&seg.target[at]))),
        (None, Some((c, _))) => Some((message("source", c), None)),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `double_space_at` finds the first run of spaces inside a line, not
    /// at the edges, not around line breaks, not across inline code.
    #[test]
    fn double_space_place() {
        let texts = [
            ("a  b", Some(1)),
            ("  a b", None),
            ("a b  ", None),
            ("a\n  b", None),
            ("a  \nb", None),
            ("a `x`  b", Some(5)),
            ("a  `x` b", Some(1)),
            ("`x`  `y`", None),
            ("**a**  b", Some(5)),
            ("a \\*  b", Some(4)),
            ("a b", None),
            ("a\t  b", None),
            ("[l](u)  x", Some(6)),
            ("x   y  z", Some(1)),
            ("  ", None),
            ("", None),
        ];
        for (t, want) in texts {
            let v = View::new(t);
            let at = double_space_at(&v);
            assert_eq!(at.and_then(|a| offset_in(t, a)), want, "{t:?}");
            if let Some(a) = at {
                assert!(a.len() >= 2 && a.bytes().all(|b| b == b' '), "{t:?}");
            }
        }
        let t = "Cliquez  sur  OK.";
        let v = View::new(t);
        assert_eq!(offset_in(t, double_space_at(&v).unwrap()), Some(7));
    }

    #[test]
    fn first_extra_is_the_first_token_the_target_adds() {
        assert_eq!(first_extra(&["a", "b"], &["b", "a", "c"]), Some("c"));
        assert_eq!(first_extra(&["a"], &["a", "a"]), Some("a"));
        assert_eq!(first_extra(&["a", "b"], &["a"]), None);
        let t = "x ab";
        assert_eq!(offset_in(t, &t[2..]), Some(2));
        let other = String::from("ab");
        assert_eq!(offset_in(t, &other), None, "not a slice of it");
    }

    fn as_pairs(n: Vec<Number>) -> Vec<(String, Vec<String>)> {
        n.into_iter().map(|n| (n.joined, n.parts)).collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// Reading numbers from the text equals reading them from its
        /// chars (the earlier implementation), strict or not.
        #[test]
        fn numbers_from_the_text_equal_numbers_from_chars(
            s in "[0-9０-９ ,.'/:\\-a-zA-Zé日万억千\u{a0}\u{202f}\u{ef}\u{ff5e}]{0,120}",
            strict in proptest::prelude::any::<bool>(),
        ) {
            let chars: Vec<char> = s.chars().collect();
            proptest::prop_assert_eq!(
                as_pairs(numbers_in(&s, strict)),
                as_pairs(numbers_in_chars(&chars, strict))
            );
        }
    }

    /// The digit search finds a digit or a full-width digit's lead byte at
    /// every position, with whole blocks skipped before it.
    #[test]
    fn next_digit_byte_at_every_position() {
        for len in 0..100 {
            let plain = "a".repeat(len);
            assert_eq!(next_digit_byte(plain.as_bytes(), 0), None);
            for at in 0..len {
                for digit in ["7", "\u{ff17}"] {
                    let mut s = plain.clone();
                    s.insert_str(at, digit);
                    assert_eq!(next_digit_byte(s.as_bytes(), 0), Some(at), "{s:?}");
                    assert_eq!(next_digit_byte(s.as_bytes(), at + 1), None, "{s:?}");
                }
            }
        }
    }

    /// Every CJK unit after a number, with the zeros it stands for (the
    /// number reader and its test reference share the table).
    #[test]
    fn cjk_units_multiply() {
        for (unit, zeros) in [
            ("千", 3),
            ("천", 3),
            ("万", 4),
            ("萬", 4),
            ("만", 4),
            ("億", 8),
            ("亿", 8),
            ("억", 8),
            ("件", 0),
        ] {
            let got: Vec<String> = numbers_in(&format!("12 {unit}"), false)
                .into_iter()
                .map(|n| n.joined)
                .collect();
            assert_eq!(got, [format!("12{}", "0".repeat(zeros))], "{unit}");
        }
    }

    /// Numbers: all digits joined without leading zeros, and each group.
    #[test]
    fn numbers_and_their_groups() {
        let got: Vec<(String, Vec<String>)> =
            numbers_in("on 2021-03-04, 1,000 and 007 items; ９ 万", false)
                .into_iter()
                .map(|n| (n.joined, n.parts))
                .collect();
        let want = |j: &str, p: &[&str]| (j.to_string(), p.iter().map(|s| s.to_string()).collect());
        assert_eq!(
            got,
            [
                want("20210304", &["2021", "3", "4"]),
                want("1000", &["1", "0"]),
                want("7", &["7"]),
                want("90000", &["9"]),
            ]
        );
    }

    /// The 24/7 idiom is found with spaces anywhere in it, as before the
    /// fast pre-check (a review found `2 4/7` missed by a first version).
    #[test]
    fn twenty_four_seven_with_spaces() {
        let src = "Version 2.4, support 2 4/7.";
        let tgt = "Version, Support rund um die Uhr.";
        assert_eq!(
            numbers(&View::new(src), &View::new(tgt)).as_deref(),
            Some("number(s) of the source missing in the target: `47`")
        );
        assert_eq!(
            numbers(&View::new("24 x 7 support"), &View::new("Support")),
            None
        );
    }

    /// The fast tests agree with the char-by-char definitions, at every
    /// position around the block size.
    #[test]
    fn byte_tests_agree_with_char_tests() {
        for len in 0..70 {
            for at in 0..len {
                for c in [
                    '\u{1}', '\t', '\n', '\r', '\u{b}', ' ', '\u{a0}', '\u{3000}', '\u{ffff}', 'é',
                    '日',
                ] {
                    let mut s = "a".repeat(len);
                    s.replace_range(at..at + 1, c.encode_utf8(&mut [0; 4]));
                    let slow = s.chars().filter(|c| !c.is_whitespace()).count();
                    assert_eq!(non_whitespace_chars(&s), slow, "{s:?}");
                    let invalid = s.chars().any(is_xml_invalid);
                    assert!(!invalid || may_be_xml_invalid(&s), "{s:?}");
                    assert_eq!(
                        may_be_xml_invalid(&s),
                        matches!(c, '\u{1}' | '\u{b}' | '\u{ffff}'),
                        "{s:?}"
                    );
                }
            }
        }
    }

    /// Every bracket kind is counted, ASCII and full-width and CJK, and
    /// kana or ideographs that share a lead byte with them are not.
    #[test]
    fn balance_counts_every_bracket_kind() {
        let v = View::new("（a）［b］｛c｝「d」『e』【f】〔g〕《h》〈i〉(j)[k]{l}");
        assert_eq!(balance(&v), [0; 9]);
        let v = View::new("（「『【〔《〈 ひらがな カタカナ 漢字 ｱ ｰ ＡＢＣ ｛");
        assert_eq!(balance(&v), [1, 0, 1, 1, 1, 1, 1, 1, 1]);
        let v = View::new("」』】〕》〉）］｝ 。、・ー");
        assert_eq!(balance(&v), [-1, -1, -1, -1, -1, -1, -1, -1, -1]);
        // Short texts (a table) and long ones (searches) count alike.
        for s in [
            "（a",
            "b）",
            "「c",
            "[d",
            "e}",
            "ひら（が）な",
            "ＡＢＣ｛",
            "、。",
        ] {
            let long = format!("{s}{}", " ".repeat(70));
            let long_end = format!("{}{s}", " ".repeat(70));
            assert!(s.len() < 64 && long.len() >= 64);
            assert_eq!(balance(&View::new(s)), balance(&View::new(&long)), "{s}");
            assert_eq!(
                balance(&View::new(s)),
                balance(&View::new(&long_end)),
                "{s}"
            );
        }
    }
}
