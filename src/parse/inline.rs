//! The inline tokenizer: splits one segment text (the verbatim content of a
//! span: markdown, some HTML, entities) into [`Token`]s that carry byte ranges
//! into the input, so callers can copy the native markup verbatim.
//!
//! [`tokenize`] never panics, whatever the input, and runs in linear time
//! (every look-ahead is bounded or memoized; emphasis uses CommonMark's
//! delimiter-stack algorithm with `openers_bottom`). The tokens cover the input
//! contiguously, in order, without gaps or overlaps, and every range lies on
//! `char` boundaries.
//!
//! Three consumers are served by one token stream:
//! - the plain-text view ([`crate::parse::plain`]),
//! - TMX/XLIFF inline codes: [`TokenKind::Open`]/[`TokenKind::Close`] pairs
//!   (matched by `pair`, or isolated when `pair` is `None`) and standalone
//!   [`TokenKind::Placeholder`]s, each with a [`Token::tmx_type`] and a stable
//!   [`Token::key`],
//! - QA checks: code span contents, URLs ([`Token::url`]), links, tags,
//!   placeholders, entities.
//!
//! # Rules
//!
//! **Escapes.** `\` before ASCII punctuation is an [`TokenKind::Escape`];
//! `\` before a line ending is a hard break ([`Placeholder::HardBreak`]);
//! any other `\` is text. Inside code spans and link destinations `\` is raw.
//!
//! **Code spans** (CommonMark): a backtick run opens a span that closes at the
//! next run of exactly the same length; unmatched runs are text. The content
//! drops one leading and one trailing space when both are present and the
//! content is not all spaces.
//!
//! **Emphasis** (CommonMark delimiter runs). A run of `*` or `_` is
//! *left-flanking* when the next char is not whitespace and either is not
//! punctuation or is preceded by whitespace/punctuation; *right-flanking* is the
//! mirror image (start and end of the text count as whitespace). `*` opens when
//! left-flanking and closes when right-flanking; `_` opens only when
//! left-flanking and (not right-flanking or preceded by punctuation), and closes
//! in the mirror case, so intra-word `_` (`snake_case_name`) is never emphasis
//! while intra-word `*` is. Openers and closers are matched with the
//! delimiter-stack algorithm of the CommonMark spec (including the "rule of 3"),
//! two delimiters at a time when both sides have two (`**` → strong) else one
//! (`*` → emphasis): `***both***` is emphasis around strong. Emphasis never
//! crosses a link boundary.
//! Deviation from CommonMark: an unmatched part of a run that is two or more
//! characters long and can only open (or only close) is an *isolated*
//! open/close (`pair: None`), because in translated text it is nearly always
//! broken markup (`**Hinweis: …` without the closing `**`). An unmatched single
//! `*`/`_`, or a run that can neither open nor close (`2 * 3 * 4`), is text.
//!
//! **Links and images** (CommonMark bracket algorithm): `[` … `](dest "title")`
//! or `[` … `][label]` / `[` … `][]` is a link (open `[`, close `](…)`); links do
//! not nest (a link inside link text deactivates the outer `[`). A bare
//! `[text]` (a UI label, a shortcut reference) stays text. The destination may
//! be `<…>`, may contain balanced parentheses and may be followed by a line
//! ending before `)`. `![alt](src)` is one [`Placeholder::Image`] token
//! (whatever the alt text contains). `[!INCLUDE[title](path)]` is a
//! [`Placeholder::Include`]; `[!NOTE]`, `[!div class="x"]` and the like are
//! [`Placeholder::Extension`]s.
//!
//! **HTML.** Only the fixed list of known element names (lowercase; HTML phrase
//! and block elements that occur in documentation, plus the ECMA-XML doc tags
//! `c`, `para`, `see`, `seealso`, `paramref`, `typeparamref`) with valid
//! CommonMark attribute syntax is HTML. Paired elements become open/close tokens
//! matched with a stack per segment (closing a tag closes, as isolated, the
//! unclosed tags above it); `br`, `hr`, `img`, `wbr` and any self-closing known
//! tag (`<see cref="…"/>`) are [`Placeholder::Html`]. `<!-- … -->` is a
//! [`Placeholder::Comment`]. `<scheme:…>` and `<user@host>` are
//! [`Placeholder::Autolink`]s.
//!
//! **Tag-like text that is not HTML.** `<`, an optional `/`, a letter, digit
//! or `_`, then anything but `<`, a backtick or a line ending up to the next
//! `>` (at most 128 bytes) is a [`Placeholder::TagLike`]: `<RID>`,
//! `<Subscription ID>`, `<your-tenant>`, the `<T>` of `List<T>`, the typo
//! `<il>`, `<nom/entreprise \>`; an escaped `\<name\>` is one such token too.
//! Machine-translation tag leaks (`<<c0>`, `</c0>>`, and single `<g1>`, `</x2>`:
//! 1–3 lowercase letters then 1–3 digits, not an HTML name like `h1`) are a
//! [`Placeholder::LeakedTag`]. A `<` that starts none of these (`1.0 < x`) is
//! text.
//!
//! **Entities.** `&name;` for the known names, `&#123;` and `&#x1F;` (and,
//! leniently like a browser, numeric references without `;`, e.g. `&#8221 `,
//! and `&amp` `&lt` `&gt` `&quot` `&nbsp` `&copy` `&reg` without `;` when not
//! followed by a letter, digit or `=`). Numeric values 0x80–0x9F map through
//! Windows-1252, invalid values to U+FFFD. Unknown names (`&status=`) are text.
//!
//! **Format placeholders.** `{0}`, `{name}`, `{0:N2}`, `%s`, `%d`, `%1$s`,
//! `%1` are [`Placeholder::Format`].

mod simple;

use std::collections::HashMap;
use std::ops::Range;

/// Longest look-ahead for a link tail `(dest "title")`, in bytes.
pub(crate) const MAX_LINK_TAIL: usize = 4096;
/// Longest reference label, in bytes (CommonMark: 999 characters).
pub(crate) const MAX_LABEL: usize = 999;
/// Longest HTML tag, in bytes.
const MAX_TAG: usize = 2048;
/// Longest tag-like placeholder (`<Subscription ID>`), in bytes.
const MAX_TAG_LIKE: usize = 128;

/// One token of a segment text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range of the token in the tokenized text (on `char` boundaries).
    pub range: Range<usize>,
    /// What the token is.
    pub kind: TokenKind,
}

/// What a [`Token`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenKind {
    /// A run of plain text (may contain whitespace and line endings).
    Text,
    /// A markdown backslash escape `\*`; the escaped ASCII punctuation char.
    Escape(char),
    /// A character reference such as `&nbsp;` or `&#10004;`.
    Entity(Entity),
    /// The opening half of paired markup.
    Open {
        /// Which markup.
        markup: Markup,
        /// Index (in the token vector) of the matching [`TokenKind::Close`];
        /// `None` for an isolated opening.
        pair: Option<usize>,
    },
    /// The closing half of paired markup.
    Close {
        /// Which markup (the same as its opening's).
        markup: Markup,
        /// Index (in the token vector) of the matching [`TokenKind::Open`];
        /// `None` for an isolated closing.
        pair: Option<usize>,
    },
    /// A standalone inline code: code span, image, `<br>`, `<RID>`, …
    Placeholder(Placeholder),
}

/// A decoded character reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entity {
    /// The character it stands for.
    pub decoded: char,
    /// True when it stands for a markup character: `<`, `>`, `&` or `"`.
    pub markup: bool,
    /// False for the lenient forms without the closing `;`.
    pub terminated: bool,
}

/// Which emphasis delimiter character a markdown emphasis uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Delim {
    /// `*`
    Star,
    /// `_`
    Underscore,
}

/// Where a markdown link or image points.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    /// `(dest)`: byte range of the destination (raw, without `<>`).
    Inline(Range<usize>),
    /// `[label]` or `[]`: byte range of the reference label (the link text
    /// for `[]`).
    Reference(Range<usize>),
}

/// Paired markup: what an [`TokenKind::Open`]/[`TokenKind::Close`] stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Markup {
    /// `**…**` or `__…__`.
    Strong(Delim),
    /// `*…*` or `_…_`.
    Emphasis(Delim),
    /// A markdown link `[`…`](dest)` / `[`…`][label]` (both halves carry the target).
    Link(LinkTarget),
    /// A known HTML (or ECMA-XML doc) element, by lowercase name: `strong`, `a`, `c`.
    Html(&'static str),
}

/// A standalone inline code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Placeholder {
    /// An inline code span; `content` is the text between the backtick runs
    /// (one leading and trailing space stripped as in CommonMark).
    Code {
        /// Byte range of the content.
        content: Range<usize>,
    },
    /// A markdown image `![alt](src)`.
    Image {
        /// Byte range of the alt text (raw markdown).
        alt: Range<usize>,
        /// Where it points.
        target: LinkTarget,
    },
    /// An autolink `<https://…>` or `<user@host>`.
    Autolink {
        /// Byte range of the URL (without `<>`).
        url: Range<usize>,
    },
    /// A DocFX include `[!INCLUDE[title](path)]`.
    Include {
        /// Byte range of the title.
        title: Range<usize>,
        /// Byte range of the path.
        path: Range<usize>,
    },
    /// A DocFX extension marker: `[!NOTE]`, `[!TIP]`, `[!div class="…"]`.
    Extension {
        /// Byte range of the name (`NOTE`).
        name: Range<usize>,
    },
    /// A void or self-closing known HTML element: `<br/>`, `<img …>`,
    /// `<see cref="…"/>`, by lowercase name.
    Html(&'static str),
    /// An HTML comment `<!-- … -->`.
    Comment,
    /// Tag-like text that is not HTML: `<RID>`, `<Subscription ID>`, `\<name\>`.
    TagLike,
    /// A leaked machine-translation tag: `<<c0>`, `</c0>>`, `<g1>`.
    LeakedTag,
    /// A format placeholder: `{0}`, `{name}`, `%s`.
    Format,
    /// A hard line break written as `\` before a line ending.
    HardBreak,
}

impl Token {
    /// The verbatim text of the token in `src` (the string it was tokenized from).
    pub fn as_str<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.range.clone()).unwrap_or("")
    }

    /// For an open/close token, the index of its partner (`None` when isolated
    /// or when the token is not paired markup).
    pub fn pair(&self) -> Option<usize> {
        match &self.kind {
            TokenKind::Open { pair, .. } | TokenKind::Close { pair, .. } => *pair,
            _ => None,
        }
    }

    /// True for an open/close token without a partner in the segment.
    pub fn is_isolated(&self) -> bool {
        matches!(
            &self.kind,
            TokenKind::Open { pair: None, .. } | TokenKind::Close { pair: None, .. }
        )
    }

    /// The TMX 1.4b `type` attribute for an inline code (`bold`, `italic`,
    /// `link`, `code`, `image`, `lb`, `ulined`, `superscript`, `subscript`,
    /// `font`, or `x-…`); `None` for text, escapes and entities.
    pub fn tmx_type(&self) -> Option<&'static str> {
        match &self.kind {
            TokenKind::Open { markup, .. } | TokenKind::Close { markup, .. } => {
                Some(match markup {
                    Markup::Strong(_) => "bold",
                    Markup::Emphasis(_) => "italic",
                    Markup::Link(_) => "link",
                    Markup::Html(name) => element(name).map_or("x-html", |e| e.tmx),
                })
            }
            TokenKind::Placeholder(p) => Some(match p {
                Placeholder::Code { .. } => "code",
                Placeholder::Image { .. } => "image",
                Placeholder::Autolink { .. } => "link",
                Placeholder::Include { .. } => "x-include",
                Placeholder::Extension { .. } => "x-extension",
                Placeholder::Html(name) => element(name).map_or("x-html", |e| e.tmx),
                Placeholder::Comment => "x-comment",
                Placeholder::TagLike => "x-tag-like",
                Placeholder::LeakedTag => "x-leaked-tag",
                Placeholder::Format => "x-format",
                Placeholder::HardBreak => "lb",
            }),
            _ => None,
        }
    }

    /// A stable key naming the kind of markup, equal for both halves of a
    /// pair and for the same markup in source and target: `**`, `__`, `*`,
    /// `_`, `link`, `<strong>`, `` ` ``, `image`, `<br>`, `autolink`,
    /// `include`, `extension`, `comment`, `tag-like`, `leaked-tag`, `format`,
    /// `\`; `None` for text, escapes and entities. (The key does not include
    /// URLs; use [`Token::url`] to tell links apart.)
    pub fn key(&self) -> Option<&'static str> {
        match &self.kind {
            TokenKind::Open { markup, .. } | TokenKind::Close { markup, .. } => {
                Some(match markup {
                    Markup::Strong(Delim::Star) => "**",
                    Markup::Strong(Delim::Underscore) => "__",
                    Markup::Emphasis(Delim::Star) => "*",
                    Markup::Emphasis(Delim::Underscore) => "_",
                    Markup::Link(_) => "link",
                    Markup::Html(name) => element(name).map_or("<html>", |e| e.key),
                })
            }
            TokenKind::Placeholder(p) => Some(match p {
                Placeholder::Code { .. } => "`",
                Placeholder::Image { .. } => "image",
                Placeholder::Autolink { .. } => "autolink",
                Placeholder::Include { .. } => "include",
                Placeholder::Extension { .. } => "extension",
                Placeholder::Html(name) => element(name).map_or("<html>", |e| e.key),
                Placeholder::Comment => "comment",
                Placeholder::TagLike => "tag-like",
                Placeholder::LeakedTag => "leaked-tag",
                Placeholder::Format => "format",
                Placeholder::HardBreak => "\\",
            }),
            _ => None,
        }
    }

    /// The URL the token points to, raw as written: a markdown link's or
    /// image's inline destination, an autolink, an include path, the `href`
    /// of `<a>` or the `src` of `<img>`.
    pub fn url<'a>(&self, src: &'a str) -> Option<&'a str> {
        match &self.kind {
            TokenKind::Open {
                markup: Markup::Link(LinkTarget::Inline(r)),
                ..
            }
            | TokenKind::Placeholder(Placeholder::Image {
                target: LinkTarget::Inline(r),
                ..
            })
            | TokenKind::Placeholder(Placeholder::Autolink { url: r })
            | TokenKind::Placeholder(Placeholder::Include { path: r, .. }) => src.get(r.clone()),
            TokenKind::Open {
                markup: Markup::Html("a"),
                ..
            } => html_attr(self.as_str(src), "href"),
            TokenKind::Placeholder(Placeholder::Html("img")) => html_attr(self.as_str(src), "src"),
            _ => None,
        }
    }
}

/// Splits a segment text into tokens (see the module docs for the rules).
///
/// The tokens cover `s` contiguously and in order; adjacent text is merged
/// into one [`TokenKind::Text`].
pub fn tokenize(s: &str) -> Vec<Token> {
    with_tokens(s, <[Token]>::to_vec)
}

/// Tokenizes `s` into a token vector kept per thread and calls `f` with the
/// tokens ([`tokenize`] copies them out), without allocating a vector for
/// each text.
pub(crate) fn with_tokens<R>(s: &str, f: impl FnOnce(&[Token]) -> R) -> R {
    thread_local! {
        static WORK: std::cell::RefCell<(Buffers, Vec<Token>)> =
            std::cell::RefCell::new((Buffers::default(), Vec::new()));
    }
    WORK.with(|w| match w.try_borrow_mut() {
        Ok(mut w) => {
            let (bufs, tokens) = &mut *w;
            tokenize_into(s, bufs, tokens);
            bufs.shrink_if_large();
            let r = f(tokens);
            if tokens.capacity() > 1 << 14 {
                *tokens = Vec::new();
            }
            r
        }
        // `f` tokenizes too: give it its own vectors.
        Err(_) => {
            let mut tokens = Vec::new();
            tokenize_into(s, &mut Buffers::default(), &mut tokens);
            f(&tokens)
        }
    })
}

/// Like [`tokenize`], but writes the tokens into `out` (cleared first) and
/// keeps the scanner's work vectors in `bufs`, so that tokenizing many texts
/// allocates only while the vectors grow.
pub(crate) fn tokenize_into(s: &str, bufs: &mut Buffers, out: &mut Vec<Token>) {
    // Most texts with markup have only the common kinds: one pass (see
    // `simple`), else the full scanner.
    if simple::simple_tokens(s, out) {
        return;
    }
    out.clear();
    let taken = std::mem::take(bufs);
    *bufs = Scanner::new(s, taken).run(out);
}

/// The work vectors of the tokenizer, kept between calls of
/// [`tokenize_into`]. They hold no heap data of their own between calls
/// (every element is plain data), so clearing them is free.
#[derive(Default)]
pub(crate) struct Buffers {
    items: Vec<Item>,
    delims: Vec<DelimRun>,
    pieces: Vec<Piece>,
    brackets: Vec<Bracket>,
    html_stack: Vec<(usize, usize)>,
    slots: Vec<[usize; 2]>,
}

impl Buffers {
    /// Frees the vectors after a huge text, so that a thread does not keep
    /// them for the rest of its life.
    pub(crate) fn shrink_if_large(&mut self) {
        const KEEP: usize = 1 << 14;
        if self.items.capacity() > KEEP
            || self.delims.capacity() > KEEP
            || self.pieces.capacity() > KEEP
            || self.brackets.capacity() > KEEP
            || self.html_stack.capacity() > KEEP
            || self.slots.capacity() > KEEP
        {
            *self = Self::default();
        }
    }
}

/// False when `s` has none of the bytes at which markup may start
/// (`` \ ` * _ [ ] ! < & { % ``): then [`tokenize`] gives one
/// [`TokenKind::Text`] token for the whole of `s` (none when `s` is empty).
pub(crate) fn may_have_markup(s: &str) -> bool {
    let b = s.as_bytes();
    let mut blocks = b.chunks_exact(SPECIAL_BLOCK);
    for w in &mut blocks {
        if block_has_special(w) {
            return true;
        }
    }
    blocks.remainder().iter().any(|&c| SPECIAL[c as usize])
}

/// The block size of [`block_has_special`].
pub(crate) const SPECIAL_BLOCK: usize = 32;

/// Whether one of the first [`SPECIAL_BLOCK`] bytes of `w` is in
/// [`SPECIAL`]. Written as bitwise ORs of `u8`s, which the compiler turns
/// into SIMD compares of the whole block (written with `||` or `matches!`,
/// it compares each byte with a vector of the eleven bytes instead, 3.6
/// times slower).
#[inline(always)]
pub(crate) fn block_has_special(w: &[u8]) -> bool {
    let mut acc = 0u8;
    for &c in &w[..SPECIAL_BLOCK] {
        acc |= (c == b'\\') as u8
            | (c == b'`') as u8
            | (c == b'*') as u8
            | (c == b'_') as u8
            | (c == b'[') as u8
            | (c == b']') as u8
            | (c == b'!') as u8
            | (c == b'<') as u8
            | (c == b'&') as u8
            | (c == b'{') as u8
            | (c == b'%') as u8;
    }
    acc != 0
}

/// The raw value of attribute `name` (ASCII case-insensitive) in the text of
/// an HTML tag such as `<a href="x" title='y'>`; entities are not decoded.
pub fn html_attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let b = tag.as_bytes();
    let mut i = 1;
    if b.get(i) == Some(&b'/') {
        i += 1;
    }
    while b.get(i).is_some_and(|c| c.is_ascii_alphanumeric()) {
        i += 1;
    }
    loop {
        while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
        }
        let start = i;
        while b
            .get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'.' | b'-'))
        {
            i += 1;
        }
        if i == start {
            return None;
        }
        let attr = tag.get(start..i)?;
        let mut j = i;
        while b.get(j).is_some_and(|c| c.is_ascii_whitespace()) {
            j += 1;
        }
        if b.get(j) != Some(&b'=') {
            if attr.eq_ignore_ascii_case(name) {
                return Some("");
            }
            continue;
        }
        j += 1;
        while b.get(j).is_some_and(|c| c.is_ascii_whitespace()) {
            j += 1;
        }
        let (vs, ve, next) = match b.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let e = memchr::memchr(q, b.get(j + 1..)?)? + j + 1;
                (j + 1, e, e + 1)
            }
            _ => {
                let mut e = j;
                while b
                    .get(e)
                    .is_some_and(|c| !c.is_ascii_whitespace() && !matches!(c, b'>' | b'"' | b'\''))
                {
                    e += 1;
                }
                if e > j && b.get(e - 1) == Some(&b'/') && b.get(e) == Some(&b'>') {
                    e -= 1;
                }
                (j, e, e)
            }
        };
        if attr.eq_ignore_ascii_case(name) {
            return tag.get(vs..ve);
        }
        i = next;
    }
}

// ---------------------------------------------------------------------------
// Known elements.

#[derive(Clone, Copy, PartialEq, Eq)]
enum ElemClass {
    /// Inline, paired.
    Phrase,
    /// Block-level, paired (the plain view puts a space for it).
    Block,
    /// Void: never paired (`br`, `img`).
    Void,
}

/// A known element.
struct Elem {
    name: &'static str,
    class: ElemClass,
    tmx: &'static str,
    key: &'static str,
}

macro_rules! elems {
    ($( $name:literal $class:ident $tmx:literal ),* $(,)?) => {
        [ $( Elem { name: $name, class: ElemClass::$class, tmx: $tmx, key: concat!("<", $name, ">") } ),* ]
    };
}

/// How many known elements there are (the length of [`ELEMENTS`]).
const ELEMENT_COUNT: usize = 63;

/// Known HTML and ECMA-XML doc element names, sorted for binary search.
static ELEMENTS: [Elem; ELEMENT_COUNT] = elems![
    "a" Phrase "link",
    "abbr" Phrase "x-abbr",
    "b" Phrase "bold",
    "bdi" Phrase "x-bdi",
    "bdo" Phrase "x-bdo",
    "big" Phrase "x-big",
    "blockquote" Block "x-blockquote",
    "br" Void "lb",
    "c" Phrase "code",
    "caption" Block "x-caption",
    "center" Block "x-center",
    "cite" Phrase "x-cite",
    "code" Phrase "code",
    "dd" Block "x-dd",
    "del" Phrase "x-del",
    "dfn" Phrase "x-dfn",
    "div" Block "x-div",
    "dl" Block "x-dl",
    "dt" Block "x-dt",
    "em" Phrase "italic",
    "font" Phrase "font",
    "h1" Block "x-h1",
    "h2" Block "x-h2",
    "h3" Block "x-h3",
    "h4" Block "x-h4",
    "h5" Block "x-h5",
    "h6" Block "x-h6",
    "hr" Void "x-hr",
    "i" Phrase "italic",
    "img" Void "image",
    "ins" Phrase "ulined",
    "kbd" Phrase "code",
    "li" Block "x-li",
    "mark" Phrase "x-mark",
    "nobr" Phrase "x-nobr",
    "ol" Block "x-ol",
    "p" Block "x-p",
    "para" Block "x-para",
    "paramref" Phrase "x-paramref",
    "pre" Block "x-pre",
    "q" Phrase "x-q",
    "s" Phrase "x-s",
    "samp" Phrase "code",
    "see" Phrase "x-see",
    "seealso" Phrase "x-seealso",
    "small" Phrase "x-small",
    "span" Phrase "x-span",
    "strike" Phrase "x-strike",
    "strong" Phrase "bold",
    "sub" Phrase "subscript",
    "sup" Phrase "superscript",
    "table" Block "x-table",
    "tbody" Block "x-tbody",
    "td" Block "x-td",
    "th" Block "x-th",
    "thead" Block "x-thead",
    "tr" Block "x-tr",
    "tt" Phrase "code",
    "typeparamref" Phrase "x-typeparamref",
    "u" Phrase "ulined",
    "ul" Block "x-ul",
    "var" Phrase "x-var",
    "wbr" Void "x-wbr",
];

fn element_index(name: &str) -> Option<usize> {
    ELEMENTS.binary_search_by(|e| e.name.cmp(name)).ok()
}

fn element(name: &str) -> Option<&'static Elem> {
    element_index(name).and_then(|i| ELEMENTS.get(i))
}

/// True when the known element `name` is block-level (`p`, `td`, `li`, …).
pub(crate) fn is_block_element(name: &str) -> bool {
    element(name).is_some_and(|e| e.class == ElemClass::Block)
}

// ---------------------------------------------------------------------------
// Character classes.

fn is_ascii_punct(c: u8) -> bool {
    c.is_ascii_punctuation()
}

/// Unicode punctuation (P*) and symbols (S*), approximated by block ranges.
pub(crate) fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    matches!(c as u32,
        0xA1..=0xBF | 0xD7 | 0xF7
        | 0x2010..=0x2027 | 0x2030..=0x205E | 0x20A0..=0x20CF
        | 0x2190..=0x2BFF | 0x2E00..=0x2E7F
        | 0x3001..=0x3003 | 0x3008..=0x3020 | 0x3030 | 0x303D | 0x30FB
        | 0xFE10..=0xFE19 | 0xFE30..=0xFE6B
        | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65
        | 0xFFE0..=0xFFEE)
}

/// Bytes at which something other than plain text may start.
static SPECIAL: [bool; 256] = crate::parse::byte_set(b"\\`*_[]!<&{%");

// ---------------------------------------------------------------------------
// The scanner.

#[derive(Debug)]
enum ItemKind {
    /// Plain text.
    Text,
    /// A finished token (open/close pairs hold a pair id, not an index yet).
    Tok(TokenKind),
    /// An emphasis delimiter run (index into `delims`).
    Delim(usize),
    /// A `[` or `![` not (yet) resolved: text unless it becomes a link.
    Bracket,
}

#[derive(Debug)]
struct Item {
    range: Range<usize>,
    kind: ItemKind,
}

#[derive(Debug)]
struct DelimRun {
    ch: u8,
    /// Length of the whole run, in bytes (= chars).
    orig: usize,
    /// The still unused part of the run.
    start: usize,
    end: usize,
    can_open: bool,
    can_close: bool,
    prev: Option<usize>,
    next: Option<usize>,
}

#[derive(Debug)]
struct Bracket {
    item: usize,
    image: bool,
    /// Byte offset of `[` (or `!` of `![`).
    pos: usize,
    /// Byte offset right after the bracket.
    text_start: usize,
    /// Last delimiter on the delimiter list when the bracket was pushed.
    delim_bottom: Option<usize>,
}

/// A used part of a delimiter run.
#[derive(Debug)]
struct Piece {
    range: Range<usize>,
    open: bool,
    pair: usize,
}

/// Per backtick-run-length list of run starts, with a cursor that only moves
/// forward (so finding closers is linear overall).
#[derive(Default)]
struct Ticks {
    by_len: HashMap<usize, (Vec<usize>, usize), crate::hash::FxBuild>,
}

struct Scanner<'a> {
    s: &'a str,
    b: &'a [u8],
    items: Vec<Item>,
    delims: Vec<DelimRun>,
    head: Option<usize>,
    tail: Option<usize>,
    pieces: Vec<Piece>,
    brackets: Vec<Bracket>,
    /// Spare vectors for [`Scanner::pair_html`] and [`Scanner::emit`].
    html_stack: Vec<(usize, usize)>,
    slots: Vec<[usize; 2]>,
    /// Whether an HTML open or close tag was pushed (else nothing to pair).
    saw_html_pair: bool,
    /// Non-image brackets below this stack index are inactive (a link was formed after them).
    link_floor: usize,
    next_pair: usize,
    ticks: Option<Ticks>,
    /// A search for `-->` failed from some earlier point: none further on.
    no_comment_end: bool,
}

impl<'a> Scanner<'a> {
    fn new(s: &'a str, bufs: Buffers) -> Self {
        let Buffers {
            mut items,
            mut delims,
            mut pieces,
            mut brackets,
            mut html_stack,
            mut slots,
        } = bufs;
        items.clear();
        delims.clear();
        pieces.clear();
        brackets.clear();
        html_stack.clear();
        slots.clear();
        Scanner {
            s,
            b: s.as_bytes(),
            items,
            delims,
            head: None,
            tail: None,
            pieces,
            brackets,
            html_stack,
            slots,
            saw_html_pair: false,
            link_floor: 0,
            next_pair: 0,
            ticks: None,
            no_comment_end: false,
        }
    }

    /// The byte at `i`, or 0 past the end.
    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    fn char_at(&self, i: usize) -> Option<char> {
        self.s.get(i..).and_then(|p| p.chars().next())
    }

    fn push_text(&mut self, range: Range<usize>) {
        if let Some(last) = self.items.last_mut() {
            if matches!(last.kind, ItemKind::Text) && last.range.end == range.start {
                last.range.end = range.end;
                return;
            }
        }
        self.items.push(Item {
            range,
            kind: ItemKind::Text,
        });
    }

    fn push_tok(&mut self, range: Range<usize>, kind: TokenKind) {
        self.items.push(Item {
            range,
            kind: ItemKind::Tok(kind),
        });
    }

    fn new_pair(&mut self) -> usize {
        self.next_pair += 1;
        self.next_pair - 1
    }

    fn run(mut self, out: &mut Vec<Token>) -> Buffers {
        let len = self.b.len();
        let mut i = 0;
        while i < len {
            let c = self.at(i);
            let next = match c {
                b'\\' => self.backslash(i),
                b'`' => self.backticks(i),
                b'*' | b'_' => self.delim_run(i),
                b'[' => self.open_bracket(i),
                b'!' if self.at(i + 1) == b'[' => self.open_bracket(i),
                b']' => self.close_bracket(i),
                b'<' => self.angle(i),
                b'&' => self.entity(i),
                b'{' | b'%' => self.format(i),
                _ => None,
            };
            match next {
                Some(n) if n > i => i = n,
                _ => {
                    // Plain text up to the next special byte (always ASCII, so
                    // the range ends on a char boundary).
                    let rest = self.b.get(i + 1..).unwrap_or_default();
                    let j = i
                        + 1
                        + rest
                            .iter()
                            .position(|&c| SPECIAL[c as usize])
                            .unwrap_or(rest.len());
                    self.push_text(i..j);
                    i = j;
                }
            }
        }
        self.process_emphasis(None);
        if self.saw_html_pair {
            self.pair_html();
        }
        self.emit(out);
        Buffers {
            items: self.items,
            delims: self.delims,
            pieces: self.pieces,
            brackets: self.brackets,
            html_stack: self.html_stack,
            slots: self.slots,
        }
    }

    // --- escapes -----------------------------------------------------------

    fn backslash(&mut self, i: usize) -> Option<usize> {
        let n = self.at(i + 1);
        if n == b'<' {
            if let Some(end) = self.tag_like(i + 1) {
                self.push_tok(i..end, TokenKind::Placeholder(Placeholder::TagLike));
                return Some(end);
            }
        }
        if is_ascii_punct(n) {
            self.push_tok(i..i + 2, TokenKind::Escape(n as char));
            return Some(i + 2);
        }
        if n == b'\n' || n == b'\r' {
            let mut end = i + 2;
            if n == b'\r' && self.at(end) == b'\n' {
                end += 1;
            }
            self.push_tok(i..end, TokenKind::Placeholder(Placeholder::HardBreak));
            return Some(end);
        }
        None
    }

    // --- code spans --------------------------------------------------------

    fn backticks(&mut self, i: usize) -> Option<usize> {
        let len = self.b.len();
        let mut j = i;
        while j < len && self.at(j) == b'`' {
            j += 1;
        }
        let n = j - i;
        let b = self.b;
        let ticks = self.ticks.get_or_insert_with(|| {
            let mut t = Ticks::default();
            let mut k = 0;
            while let Some(off) = b.get(k..).and_then(|r| memchr::memchr(b'`', r)) {
                let st = k + off;
                let mut e = st;
                while b.get(e) == Some(&b'`') {
                    e += 1;
                }
                t.by_len.entry(e - st).or_default().0.push(st);
                k = e;
            }
            t
        });
        let closer = ticks.by_len.get_mut(&n).and_then(|(starts, cur)| {
            while starts.get(*cur).is_some_and(|&st| st <= i) {
                *cur += 1;
            }
            starts.get(*cur).copied()
        });
        match closer {
            Some(cs) => {
                let end = cs + n;
                self.push_tok(
                    i..end,
                    TokenKind::Placeholder(Placeholder::Code {
                        content: code_content(self.b, j..cs),
                    }),
                );
                Some(end)
            }
            None => {
                self.push_text(i..j);
                Some(j)
            }
        }
    }

    // --- emphasis ----------------------------------------------------------

    fn delim_run(&mut self, i: usize) -> Option<usize> {
        let ch = self.at(i);
        let mut j = i;
        while self.at(j) == ch {
            j += 1;
        }
        let (can_open, can_close) = flanking(self.s, i, j, ch);
        let d = self.delims.len();
        self.delims.push(DelimRun {
            ch,
            orig: j - i,
            start: i,
            end: j,
            can_open,
            can_close,
            prev: self.tail,
            next: None,
        });
        match self.tail {
            Some(t) => {
                if let Some(td) = self.delims.get_mut(t) {
                    td.next = Some(d);
                }
            }
            None => self.head = Some(d),
        }
        self.tail = Some(d);
        self.items.push(Item {
            range: i..j,
            kind: ItemKind::Delim(d),
        });
        Some(j)
    }

    fn unlink(&mut self, d: usize) {
        let (prev, next) = match self.delims.get(d) {
            Some(x) => (x.prev, x.next),
            None => return,
        };
        match prev {
            Some(p) => {
                if let Some(x) = self.delims.get_mut(p) {
                    x.next = next;
                }
            }
            None => self.head = next,
        }
        match next {
            Some(n) => {
                if let Some(x) = self.delims.get_mut(n) {
                    x.prev = prev;
                }
            }
            None => self.tail = prev,
        }
    }

    /// CommonMark "process emphasis" over the delimiters above `bottom`; they
    /// are all removed from the list afterwards.
    fn process_emphasis(&mut self, bottom: Option<usize>) {
        // openers_bottom[char][closer can open][closer length % 3]
        let mut ob = [[[bottom; 3]; 2]; 2];
        let mut cur = match bottom {
            Some(b) => self.delims.get(b).and_then(|d| d.next),
            None => self.head,
        };
        while let Some(c) = cur {
            let Some(cd) = self.delims.get(c) else { break };
            if !cd.can_close {
                cur = cd.next;
                continue;
            }
            let (cch, corig, c_open, c_both) =
                (cd.ch, cd.orig, cd.can_open, cd.can_open && cd.can_close);
            let key = (usize::from(cch == b'_'), usize::from(c_open), corig % 3);
            let limit = ob[key.0][key.1][key.2];
            let mut o = cd.prev;
            let mut found = None;
            while let Some(oi) = o {
                if Some(oi) == bottom || Some(oi) == limit {
                    break;
                }
                let Some(od) = self.delims.get(oi) else { break };
                let o_both = od.can_open && od.can_close;
                let rule3 = (o_both || c_both)
                    && (od.orig + corig) % 3 == 0
                    && !(od.orig % 3 == 0 && corig % 3 == 0);
                if od.ch == cch && od.can_open && od.end > od.start && !rule3 {
                    found = Some(oi);
                    break;
                }
                o = od.prev;
            }
            let Some(oi) = found else {
                ob[key.0][key.1][key.2] = self.delims.get(c).and_then(|d| d.prev);
                let next = self.delims.get(c).and_then(|d| d.next);
                if !c_open {
                    self.unlink(c);
                }
                cur = next;
                continue;
            };
            let pair = self.new_pair();
            let (o_rem, c_rem) = match (self.delims.get(oi), self.delims.get(c)) {
                (Some(od), Some(cd)) => (od.end - od.start, cd.end - cd.start),
                _ => break,
            };
            let used = if o_rem >= 2 && c_rem >= 2 { 2 } else { 1 };
            let (mut o_empty, mut c_empty) = (false, false);
            if let Some(od) = self.delims.get_mut(oi) {
                od.end -= used;
                self.pieces.push(Piece {
                    range: od.end..od.end + used,
                    open: true,
                    pair,
                });
                o_empty = od.end == od.start;
                od.next = Some(c);
            }
            if let Some(cd) = self.delims.get_mut(c) {
                self.pieces.push(Piece {
                    range: cd.start..cd.start + used,
                    open: false,
                    pair,
                });
                cd.start += used;
                c_empty = cd.end == cd.start;
                cd.prev = Some(oi);
            }
            if o_empty {
                self.unlink(oi);
            }
            if c_empty {
                let next = self.delims.get(c).and_then(|d| d.next);
                self.unlink(c);
                cur = next;
            }
        }
        // Remove every delimiter above `bottom`.
        match bottom {
            Some(b) => {
                if let Some(d) = self.delims.get_mut(b) {
                    d.next = None;
                }
                self.tail = Some(b);
            }
            None => {
                self.head = None;
                self.tail = None;
            }
        }
    }

    // --- brackets ----------------------------------------------------------

    fn open_bracket(&mut self, i: usize) -> Option<usize> {
        let image = self.at(i) == b'!';
        if !image && self.at(i + 1) == b'!' {
            if let Some(end) = self.docfx(i) {
                return Some(end);
            }
        }
        let text_start = if image { i + 2 } else { i + 1 };
        self.brackets.push(Bracket {
            item: self.items.len(),
            image,
            pos: i,
            text_start,
            delim_bottom: self.tail,
        });
        self.items.push(Item {
            range: i..text_start,
            kind: ItemKind::Bracket,
        });
        Some(text_start)
    }

    /// `[!INCLUDE[title](path)]` and `[!NAME …]` at `i` (`[!`).
    fn docfx(&mut self, i: usize) -> Option<usize> {
        let mut j = i + 2;
        let ns = j;
        while self.at(j).is_ascii_alphabetic() {
            j += 1;
        }
        if j == ns || j - ns > 32 {
            return None;
        }
        let name = ns..j;
        let is_include = self
            .s
            .get(name.clone())
            .is_some_and(|n| n.eq_ignore_ascii_case("include"));
        if is_include {
            let mut k = j;
            while self.at(k) == b' ' {
                k += 1;
            }
            if self.at(k) == b'[' {
                let ts = k + 1;
                let window = self.b.get(ts..)?;
                let window = window.get(..window.len().min(MAX_LABEL))?;
                let te = ts + memchr::memchr(b']', window)?;
                if self.at(te + 1) == b'(' {
                    let ps = te + 2;
                    let window = self.b.get(ps..)?;
                    let window = window.get(..window.len().min(MAX_LINK_TAIL))?;
                    let pe = ps + memchr::memchr(b')', window)?;
                    if self.at(pe + 1) == b']' {
                        let end = pe + 2;
                        self.push_tok(
                            i..end,
                            TokenKind::Placeholder(Placeholder::Include {
                                title: ts..te,
                                path: ps..pe,
                            }),
                        );
                        return Some(end);
                    }
                }
            }
        }
        // `[!NAME]` or `[!NAME args]` on one line.
        let mut k = j;
        if self.at(k) == b' ' {
            while k < self.b.len()
                && k - j < 256
                && !matches!(self.at(k), b']' | b'[' | b'\n' | b'\r')
            {
                k += 1;
            }
        }
        if self.at(k) == b']' {
            let end = k + 1;
            self.push_tok(
                i..end,
                TokenKind::Placeholder(Placeholder::Extension { name }),
            );
            return Some(end);
        }
        None
    }

    fn pop_bracket(&mut self) -> Option<Bracket> {
        let b = self.brackets.pop();
        self.link_floor = self.link_floor.min(self.brackets.len());
        b
    }

    fn close_bracket(&mut self, i: usize) -> Option<usize> {
        let top = self.brackets.len().checked_sub(1)?;
        let (image, text_start) = match self.brackets.get(top) {
            Some(br) => (br.image, br.text_start),
            None => return None,
        };
        if !image && top < self.link_floor {
            self.pop_bracket();
            return None;
        }
        let tail = match self.at(i + 1) {
            b'(' => inline_tail(self.b, i + 1).map(|(e, r)| (e, LinkTarget::Inline(r))),
            b'[' => reference_tail(self.s, i + 1, text_start..i),
            _ => None,
        };
        let br = self.pop_bracket()?;
        let (end, target) = tail?;
        if br.image {
            // The whole image is one token: drop what was scanned inside.
            self.items.truncate(br.item);
            match br.delim_bottom {
                Some(b) => {
                    if let Some(d) = self.delims.get_mut(b) {
                        d.next = None;
                    }
                    self.tail = Some(b);
                }
                None => {
                    self.head = None;
                    self.tail = None;
                }
            }
            self.push_tok(
                br.pos..end,
                TokenKind::Placeholder(Placeholder::Image {
                    alt: br.text_start..i,
                    target,
                }),
            );
        } else {
            self.process_emphasis(br.delim_bottom);
            let pair = self.new_pair();
            if let Some(it) = self.items.get_mut(br.item) {
                it.kind = ItemKind::Tok(TokenKind::Open {
                    markup: Markup::Link(target.clone()),
                    pair: Some(pair),
                });
            }
            self.push_tok(
                i..end,
                TokenKind::Close {
                    markup: Markup::Link(target),
                    pair: Some(pair),
                },
            );
            self.link_floor = self.brackets.len();
        }
        Some(end)
    }

    // --- angle brackets ----------------------------------------------------

    fn angle(&mut self, i: usize) -> Option<usize> {
        if let Some(end) = self.comment(i) {
            self.push_tok(i..end, TokenKind::Placeholder(Placeholder::Comment));
            return Some(end);
        }
        if let Some(end) = self.leaked_tag(i) {
            self.push_tok(i..end, TokenKind::Placeholder(Placeholder::LeakedTag));
            return Some(end);
        }
        if let Some((end, e, closing, self_closing)) = self.html_tag(i) {
            self.html_token(i..end, e, closing, self_closing);
            return Some(end);
        }
        if let Some(end) = self.autolink(i) {
            self.push_tok(
                i..end,
                TokenKind::Placeholder(Placeholder::Autolink {
                    url: i + 1..end - 1,
                }),
            );
            return Some(end);
        }
        if let Some(end) = self.tag_like(i) {
            self.push_tok(i..end, TokenKind::Placeholder(Placeholder::TagLike));
            return Some(end);
        }
        None
    }

    fn comment(&mut self, i: usize) -> Option<usize> {
        if self.b.get(i..i + 4) != Some(b"<!--") || self.no_comment_end {
            return None;
        }
        match memchr::memmem::find(self.b.get(i + 4..)?, b"-->") {
            Some(off) => Some(i + 4 + off + 3),
            None => {
                self.no_comment_end = true;
                None
            }
        }
    }

    /// `<<c0>`, `</c0>>`, `<g1>`, `</x2>`, `<x3/>`.
    fn leaked_tag(&self, i: usize) -> Option<usize> {
        let mut j = i;
        let doubled_open = self.at(j + 1) == b'<';
        if doubled_open {
            j += 1;
        }
        j += 1;
        if self.at(j) == b'/' {
            j += 1;
        }
        let ns = j;
        while self.at(j).is_ascii_lowercase() {
            j += 1;
        }
        let letters = j - ns;
        let ds = j;
        while self.at(j).is_ascii_digit() {
            j += 1;
        }
        let digits = j - ds;
        if !(1..=3).contains(&letters) || !(1..=3).contains(&digits) {
            return None;
        }
        let name = self.s.get(ns..j)?;
        if self.at(j) == b'/' {
            j += 1;
        }
        if self.at(j) != b'>' {
            return None;
        }
        j += 1;
        let doubled_close = self.at(j) == b'>';
        if doubled_close {
            j += 1;
        }
        if element_index(name).is_some() && !doubled_open && !doubled_close {
            return None;
        }
        Some(j)
    }

    /// A known HTML tag at `i`: (end, element index, closing, self-closing).
    fn html_tag(&self, i: usize) -> Option<(usize, usize, bool, bool)> {
        let limit = self.b.len().min(i + MAX_TAG);
        let mut j = i + 1;
        let closing = self.at(j) == b'/';
        if closing {
            j += 1;
        }
        let ns = j;
        while self.at(j).is_ascii_lowercase() || (j > ns && self.at(j).is_ascii_digit()) {
            j += 1;
        }
        let e = element_index(self.s.get(ns..j)?)?;
        if closing {
            while self.at(j).is_ascii_whitespace() && j < limit {
                j += 1;
            }
            return (self.at(j) == b'>').then_some((j + 1, e, true, false));
        }
        loop {
            let ws_start = j;
            while j < limit && self.at(j).is_ascii_whitespace() {
                j += 1;
            }
            match self.at(j) {
                b'>' => return Some((j + 1, e, false, false)),
                b'/' => return (self.at(j + 1) == b'>').then_some((j + 2, e, false, true)),
                c if j > ws_start && (c.is_ascii_alphabetic() || c == b'_' || c == b':') => {
                    j += 1;
                    while self.at(j).is_ascii_alphanumeric()
                        || matches!(self.at(j), b'_' | b'.' | b':' | b'-')
                    {
                        j += 1;
                    }
                    let mut k = j;
                    while k < limit && self.at(k).is_ascii_whitespace() {
                        k += 1;
                    }
                    if self.at(k) == b'=' {
                        k += 1;
                        while k < limit && self.at(k).is_ascii_whitespace() {
                            k += 1;
                        }
                        match self.at(k) {
                            q @ (b'"' | b'\'') => {
                                let window = self.b.get(k + 1..limit)?;
                                k = k + 1 + memchr::memchr(q, window)? + 1;
                            }
                            _ => {
                                let vs = k;
                                while k < limit
                                    && !self.at(k).is_ascii_whitespace()
                                    && !matches!(
                                        self.at(k),
                                        b'"' | b'\'' | b'=' | b'<' | b'>' | b'`'
                                    )
                                    && self.at(k) != 0
                                {
                                    k += 1;
                                }
                                if k == vs {
                                    return None;
                                }
                            }
                        }
                        j = k;
                    }
                }
                _ => return None,
            }
            if j >= limit {
                return None;
            }
        }
    }

    fn html_token(&mut self, range: Range<usize>, e: usize, closing: bool, self_closing: bool) {
        let Some(elem) = ELEMENTS.get(e) else { return };
        let markup = Markup::Html(elem.name);
        let kind = if elem.class == ElemClass::Void || self_closing {
            // `</br>` too: browsers treat it as `<br>`.
            TokenKind::Placeholder(Placeholder::Html(elem.name))
        } else if closing {
            self.saw_html_pair = true;
            TokenKind::Close { markup, pair: None }
        } else {
            self.saw_html_pair = true;
            TokenKind::Open { markup, pair: None }
        };
        self.push_tok(range, kind);
    }

    /// Pairs the HTML open/close tags left after scanning (so nothing inside
    /// an image's alt text takes part): a stack per segment; a closing tag
    /// pairs with the nearest open one of the same name, and closes the
    /// unclosed tags above it as isolated.
    fn pair_html(&mut self) {
        let mut stack = std::mem::take(&mut self.html_stack);
        stack.clear();
        let mut open = [0u32; ELEMENT_COUNT];
        for idx in 0..self.items.len() {
            let (name, closing) = match self.items.get(idx).map(|it| &it.kind) {
                Some(ItemKind::Tok(TokenKind::Open {
                    markup: Markup::Html(n),
                    ..
                })) => (*n, false),
                Some(ItemKind::Tok(TokenKind::Close {
                    markup: Markup::Html(n),
                    ..
                })) => (*n, true),
                _ => continue,
            };
            let Some(e) = element_index(name) else {
                continue;
            };
            if !closing {
                stack.push((idx, e));
                if let Some(n) = open.get_mut(e) {
                    *n += 1;
                }
                continue;
            }
            if open.get(e).is_none_or(|&n| n == 0) {
                continue;
            }
            while let Some((oi, oe)) = stack.pop() {
                if let Some(n) = open.get_mut(oe) {
                    *n = n.saturating_sub(1);
                }
                if oe == e {
                    let p = self.new_pair();
                    for i in [oi, idx] {
                        if let Some(Item {
                            kind:
                                ItemKind::Tok(
                                    TokenKind::Open { pair, .. } | TokenKind::Close { pair, .. },
                                ),
                            ..
                        }) = self.items.get_mut(i)
                        {
                            *pair = Some(p);
                        }
                    }
                    break;
                }
            }
        }
        self.html_stack = stack;
    }

    fn autolink(&self, i: usize) -> Option<usize> {
        let mut j = i + 1;
        if !self.at(j).is_ascii_alphabetic() {
            return None;
        }
        while self.at(j).is_ascii_alphanumeric() || matches!(self.at(j), b'+' | b'.' | b'-') {
            j += 1;
        }
        let scheme_len = j - (i + 1);
        if self.at(j) == b':' && (2..=32).contains(&scheme_len) {
            j += 1;
            loop {
                match self.at(j) {
                    b'>' => return Some(j + 1),
                    c if c <= b' ' || c == b'<' || c == 0x7f => return None,
                    _ => j += 1,
                }
            }
        }
        // Email autolink.
        let mut j = i + 1;
        let local = |c: u8| c.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(&c);
        while local(self.at(j)) {
            j += 1;
        }
        if j == i + 1 || self.at(j) != b'@' {
            return None;
        }
        j += 1;
        let ds = j;
        while self.at(j).is_ascii_alphanumeric() || matches!(self.at(j), b'.' | b'-') {
            j += 1;
        }
        (j > ds && self.at(j) == b'>').then_some(j + 1)
    }

    /// Tag-like text at `i` (`<`): `<RID>`, `<Subscription ID>`, `<名前\>`.
    fn tag_like(&self, i: usize) -> Option<usize> {
        let mut j = i + 1;
        if self.at(j) == b'/' {
            j += 1;
        }
        let first = self.char_at(j)?;
        if !(first.is_alphanumeric() || first == '_') {
            return None;
        }
        let limit = self.b.len().min(i + MAX_TAG_LIKE);
        while j < limit {
            match self.at(j) {
                b'>' => return Some(j + 1),
                b'<' | b'`' | b'\n' | b'\r' => return None,
                _ => j += 1,
            }
        }
        None
    }

    // --- entities ----------------------------------------------------------

    fn entity(&mut self, i: usize) -> Option<usize> {
        let (end, decoded, terminated) = self.entity_at(i)?;
        let markup = matches!(decoded, '<' | '>' | '&' | '"');
        self.push_tok(
            i..end,
            TokenKind::Entity(Entity {
                decoded,
                markup,
                terminated,
            }),
        );
        Some(end)
    }

    fn entity_at(&self, i: usize) -> Option<(usize, char, bool)> {
        let mut j = i + 1;
        if self.at(j) == b'#' {
            j += 1;
            let hex = matches!(self.at(j), b'x' | b'X');
            if hex {
                j += 1;
            }
            let ds = j;
            let mut v: u32 = 0;
            loop {
                let c = self.at(j);
                let d = if hex {
                    (c as char).to_digit(16)
                } else {
                    (c as char).to_digit(10)
                };
                let Some(d) = d else { break };
                v = v
                    .saturating_mul(if hex { 16 } else { 10 })
                    .saturating_add(d);
                j += 1;
            }
            if j == ds {
                return None;
            }
            let terminated = self.at(j) == b';';
            if terminated {
                j += 1;
            }
            return Some((j, numeric_char(v), terminated));
        }
        let ns = j;
        while self.at(j).is_ascii_alphanumeric() && j - ns < 32 {
            j += 1;
        }
        let name = self.s.get(ns..j)?;
        if name.is_empty() {
            return None;
        }
        if self.at(j) == b';' {
            return named_entity(name).map(|c| (j + 1, c, true));
        }
        let next = self.at(j);
        if next.is_ascii_alphanumeric() || next == b'=' {
            return None;
        }
        if matches!(name, "amp" | "lt" | "gt" | "quot" | "nbsp" | "copy" | "reg") {
            return named_entity(name).map(|c| (j, c, false));
        }
        None
    }

    // --- format placeholders -----------------------------------------------

    fn format(&mut self, i: usize) -> Option<usize> {
        let end = format_end(self.b, i)?;
        self.push_tok(i..end, TokenKind::Placeholder(Placeholder::Format));
        Some(end)
    }

    // --- output --------------------------------------------------------------

    fn emit(&mut self, out: &mut Vec<Token>) {
        out.reserve(self.items.len());
        self.pieces.sort_by_key(|p| p.range.start);
        let mut k = 0;
        let mut items = std::mem::take(&mut self.items);
        for item in items.drain(..) {
            match item.kind {
                ItemKind::Text | ItemKind::Bracket => push_text(out, item.range),
                ItemKind::Tok(kind) => out.push(Token {
                    range: item.range,
                    kind,
                }),
                ItemKind::Delim(d) => {
                    while self
                        .pieces
                        .get(k)
                        .is_some_and(|p| p.range.start < item.range.start)
                    {
                        k += 1;
                    }
                    let Some(run) = self.delims.get(d) else {
                        push_text(out, item.range);
                        continue;
                    };
                    let delim = if run.ch == b'*' {
                        Delim::Star
                    } else {
                        Delim::Underscore
                    };
                    let mut p = item.range.start;
                    while let Some(pc) = self
                        .pieces
                        .get(k)
                        .filter(|pc| pc.range.start < item.range.end)
                    {
                        if pc.range.start > p {
                            leftover(out, p..pc.range.start, run, delim);
                        }
                        let markup = if pc.range.len() == 2 {
                            Markup::Strong(delim)
                        } else {
                            Markup::Emphasis(delim)
                        };
                        let kind = if pc.open {
                            TokenKind::Open {
                                markup,
                                pair: Some(pc.pair),
                            }
                        } else {
                            TokenKind::Close {
                                markup,
                                pair: Some(pc.pair),
                            }
                        };
                        out.push(Token {
                            range: pc.range.clone(),
                            kind,
                        });
                        p = pc.range.end;
                        k += 1;
                    }
                    if p < item.range.end {
                        leftover(out, p..item.range.end, run, delim);
                    }
                }
            }
        }
        // Pair ids → token indices.
        self.items = items;
        if self.next_pair == 0 {
            return;
        }
        let mut slots = std::mem::take(&mut self.slots);
        slots.clear();
        slots.resize(self.next_pair, [usize::MAX; 2]);
        for (idx, t) in out.iter().enumerate() {
            match &t.kind {
                TokenKind::Open { pair: Some(p), .. } => {
                    if let Some(s) = slots.get_mut(*p) {
                        s[0] = idx;
                    }
                }
                TokenKind::Close { pair: Some(p), .. } => {
                    if let Some(s) = slots.get_mut(*p) {
                        s[1] = idx;
                    }
                }
                _ => {}
            }
        }
        for t in out.iter_mut() {
            match &mut t.kind {
                TokenKind::Open { pair, .. } => {
                    *pair = pair
                        .and_then(|p| slots.get(p))
                        .and_then(|s| (s[0] != usize::MAX && s[1] != usize::MAX).then_some(s[1]));
                }
                TokenKind::Close { pair, .. } => {
                    *pair = pair
                        .and_then(|p| slots.get(p))
                        .and_then(|s| (s[0] != usize::MAX && s[1] != usize::MAX).then_some(s[0]));
                }
                _ => {}
            }
        }
        self.slots = slots;
    }
}

/// Whether the run of `ch` (`*` or `_`) at `start..end` of `s` can open
/// and whether it can close emphasis (CommonMark's left- and
/// right-flanking rules, stricter for `_` inside words).
fn flanking(s: &str, start: usize, end: usize, ch: u8) -> (bool, bool) {
    let before = s.get(..start).and_then(|p| p.chars().next_back());
    let after = s.get(end..).and_then(|p| p.chars().next());
    let ws = |c: Option<char>| c.is_none_or(char::is_whitespace);
    let pu = |c: Option<char>| c.is_some_and(is_punct);
    let left = !ws(after) && (!pu(after) || ws(before) || pu(before));
    let right = !ws(before) && (!pu(before) || ws(after) || pu(after));
    if ch == b'*' {
        (left, right)
    } else {
        (
            left && (!right || pu(before)),
            right && (!left || pu(after)),
        )
    }
}

/// The content of a code span whose text between the backtick runs is
/// `inner`: one leading and one trailing space or line ending stripped when
/// there are both and the text is not all spaces (CommonMark).
fn code_content(b: &[u8], inner: Range<usize>) -> Range<usize> {
    let (mut a, mut z) = (inner.start, inner.end);
    let content = b.get(a..z).unwrap_or(&[]);
    let edge = |c: Option<&u8>| matches!(c, Some(b' ' | b'\n' | b'\r'));
    if z - a >= 2
        && edge(content.first())
        && edge(content.last())
        && !content.iter().all(|c| matches!(c, b' ' | b'\n' | b'\r'))
    {
        a += 1;
        z -= 1;
        if at(b, a - 1) == b'\r' && at(b, a) == b'\n' {
            a += 1;
        }
    }
    a..z
}

/// The bytes that end or need a look in a link destination without `<>`
/// ([`inline_tail`]): controls, space, DEL, `\`, `(` and `)`.
static URL_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c <= b' ' as usize {
        t[c] = true;
        c += 1;
    }
    t[0x7f] = true;
    t[b'\\' as usize] = true;
    t[b'(' as usize] = true;
    t[b')' as usize] = true;
    t
};

/// The byte at `i`, or 0 past the end.
fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// Skips spaces and tabs and at most one line ending.
fn skip_ws(b: &[u8], mut i: usize, limit: usize) -> usize {
    let mut newline = false;
    while i < limit {
        match at(b, i) {
            b' ' | b'\t' => i += 1,
            b'\n' | b'\r' if !newline => {
                newline = true;
                if at(b, i) == b'\r' && at(b, i + 1) == b'\n' {
                    i += 1;
                }
                i += 1;
            }
            _ => break,
        }
    }
    i
}

/// `(dest "title")` at `p` (the `(`): end offset and destination range.
pub(crate) fn inline_tail(b: &[u8], p: usize) -> Option<(usize, Range<usize>)> {
    let limit = b.len().min(p + MAX_LINK_TAIL);
    let mut i = skip_ws(b, p + 1, limit);
    let url;
    if at(b, i) == b'<' {
        let start = i + 1;
        let mut j = start;
        loop {
            if j >= limit {
                return None;
            }
            match at(b, j) {
                b'\n' | b'\r' | b'<' => return None,
                b'\\' if is_ascii_punct(at(b, j + 1)) => j += 2,
                b'>' => break,
                _ => j += 1,
            }
        }
        url = start..j;
        i = j + 1;
    } else {
        let start = i;
        let mut depth = 0u32;
        while i < limit {
            // Most URL bytes are none of the cases below: one table look-up.
            if !URL_STOP[usize::from(at(b, i))] {
                i += 1;
                continue;
            }
            match at(b, i) {
                c if c <= b' ' || c == 0x7f => break,
                b'\\' if is_ascii_punct(at(b, i + 1)) => {
                    i += 2;
                    continue;
                }
                b'(' => {
                    depth += 1;
                    if depth > 32 {
                        return None;
                    }
                }
                b')' => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                _ => {}
            }
            i += 1;
        }
        if depth != 0 || i >= limit {
            return None;
        }
        url = start..i;
    }
    let j = skip_ws(b, i, limit);
    let mut k = j;
    if j > i {
        let close = match at(b, j) {
            b'"' => Some(b'"'),
            b'\'' => Some(b'\''),
            b'(' => Some(b')'),
            _ => None,
        };
        if let Some(q) = close {
            let mut t = j + 1;
            loop {
                if t >= limit {
                    return None;
                }
                match at(b, t) {
                    b'\\' if is_ascii_punct(at(b, t + 1)) => t += 2,
                    c if c == q => break,
                    b'(' if q == b')' => return None,
                    _ => t += 1,
                }
            }
            k = skip_ws(b, t + 1, limit);
        }
    }
    (at(b, k) == b')').then_some((k + 1, url))
}

/// `[label]` or `[]` at `p`: end offset and the reference.
pub(crate) fn reference_tail(s: &str, p: usize, text: Range<usize>) -> Option<(usize, LinkTarget)> {
    let b = s.as_bytes();
    let start = p + 1;
    let mut j = start;
    loop {
        if j >= b.len() || j - start > MAX_LABEL {
            return None;
        }
        match at(b, j) {
            b'\\' if is_ascii_punct(at(b, j + 1)) => j += 2,
            b'[' => return None,
            b']' => break,
            _ => j += 1,
        }
    }
    let label = start..j;
    let label_text = s.get(label.clone())?;
    if label_text.is_empty() {
        return (!text.is_empty()).then_some((j + 1, LinkTarget::Reference(text)));
    }
    if label_text.trim().is_empty() {
        return None;
    }
    Some((j + 1, LinkTarget::Reference(label)))
}

/// The end of the format placeholder (`{0}`, `{name:N2}`, `%s`, `%1$d`) that
/// starts at `i` (a `{` or `%`), if one does.
pub(crate) fn format_end(b: &[u8], i: usize) -> Option<usize> {
    let at = |k: usize| b.get(k).copied().unwrap_or(0);
    let end = if at(i) == b'{' {
        let mut j = i + 1;
        while (at(j).is_ascii_alphanumeric() || at(j) == b'_') && j - i <= 64 {
            j += 1;
        }
        if j == i + 1 {
            return None;
        }
        if matches!(at(j), b',' | b':') {
            let fs = j;
            while !matches!(at(j), b'{' | b'}' | b'\n' | b'\r' | 0) && j - fs <= 32 {
                j += 1;
            }
        }
        if at(j) != b'}' {
            return None;
        }
        j + 1
    } else {
        let mut j = i + 1;
        let ds = j;
        while at(j).is_ascii_digit() && j - ds < 3 {
            j += 1;
        }
        if j > ds && at(j) == b'$' {
            j += 1;
            if !matches!(at(j), b's' | b'd' | b'i' | b'f' | b'u' | b'x' | b'c' | b'@') {
                return None;
            }
            j += 1;
        } else if j == ds + 1 && at(ds) != b'0' {
            // `%1`
        } else if j == ds && matches!(at(j), b's' | b'd' | b'i' | b'f' | b'u' | b'x' | b'c' | b'@')
        {
            j += 1;
        } else {
            return None;
        }
        if at(j).is_ascii_alphanumeric() {
            return None;
        }
        j
    };
    Some(end)
}

fn push_text(out: &mut Vec<Token>, range: Range<usize>) {
    if range.is_empty() {
        return;
    }
    if let Some(last) = out.last_mut() {
        if last.kind == TokenKind::Text && last.range.end == range.start {
            last.range.end = range.end;
            return;
        }
    }
    out.push(Token {
        range,
        kind: TokenKind::Text,
    });
}

/// The unused part of a delimiter run: isolated markup when it is two or more
/// characters that can only open (or only close), else text.
fn leftover(out: &mut Vec<Token>, range: Range<usize>, run: &DelimRun, delim: Delim) {
    let len = range.len();
    if len < 2 || run.can_open == run.can_close {
        push_text(out, range);
        return;
    }
    let open = run.can_open;
    let mut p = range.start;
    // Outer single delimiter first for an opener, last for a closer.
    let single_first = len % 2 == 1 && open;
    let single_last = len % 2 == 1 && !open;
    let mut emit = |r: Range<usize>| {
        let markup = if r.len() == 2 {
            Markup::Strong(delim)
        } else {
            Markup::Emphasis(delim)
        };
        let kind = if open {
            TokenKind::Open { markup, pair: None }
        } else {
            TokenKind::Close { markup, pair: None }
        };
        out.push(Token { range: r, kind });
    };
    if single_first {
        emit(p..p + 1);
        p += 1;
    }
    while range.end - p >= 2 {
        emit(p..p + 2);
        p += 2;
    }
    if single_last && p < range.end {
        emit(p..p + 1);
    }
}

// ---------------------------------------------------------------------------
// Entities.

/// A numeric character reference value as a browser decodes it.
fn numeric_char(v: u32) -> char {
    const CP1252: [u16; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    let v = match v {
        0x80..=0x9F => CP1252
            .get((v - 0x80) as usize)
            .map_or(0xFFFD, |&c| u32::from(c)),
        0 => 0xFFFD,
        _ => v,
    };
    char::from_u32(v).unwrap_or('\u{FFFD}')
}

/// Known named entities (HTML5 names that map to one character).
fn named_entity(name: &str) -> Option<char> {
    let c = match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "zwnj" => '\u{200C}',
        "zwj" => '\u{200D}',
        "lrm" => '\u{200E}',
        "rlm" => '\u{200F}',
        "shy" => '\u{AD}',
        "copy" | "COPY" => '©',
        "reg" | "REG" => '®',
        "trade" | "TRADE" => '™',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" | "mldr" => '…',
        "bull" | "bullet" => '•',
        "middot" | "centerdot" => '·',
        "laquo" => '«',
        "raquo" => '»',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "ldquo" => '\u{201C}',
        "rdquo" => '\u{201D}',
        "sbquo" => '\u{201A}',
        "bdquo" => '\u{201E}',
        "prime" => '′',
        "Prime" => '″',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "curren" => '¤',
        "sect" => '§',
        "para" => '¶',
        "deg" => '°',
        "plusmn" | "pm" => '±',
        "times" => '×',
        "divide" | "div" => '÷',
        "minus" => '−',
        "frac12" | "half" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "sup1" => '¹',
        "sup2" => '²',
        "sup3" => '³',
        "micro" => 'µ',
        "iexcl" => '¡',
        "iquest" => '¿',
        "ordf" => 'ª',
        "ordm" => 'º',
        "not" => '¬',
        "macr" => '¯',
        "acute" => '´',
        "cedil" => '¸',
        "uml" => '¨',
        "brvbar" => '¦',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "harr" => '↔',
        "lArr" => '⇐',
        "rArr" => '⇒',
        "hArr" => '⇔',
        "le" => '≤',
        "ge" => '≥',
        "ne" => '≠',
        "asymp" => '≈',
        "infin" => '∞',
        "check" | "checkmark" => '✓',
        "cross" => '✗',
        "star" => '☆',
        "starf" => '★',
        "dagger" => '†',
        "Dagger" => '‡',
        "permil" => '‰',
        "loz" => '◊',
        "spades" => '♠',
        "clubs" => '♣',
        "hearts" => '♥',
        "diams" => '♦',
        "Agrave" => 'À',
        "Aacute" => 'Á',
        "Acirc" => 'Â',
        "Atilde" => 'Ã',
        "Auml" => 'Ä',
        "Aring" => 'Å',
        "AElig" => 'Æ',
        "Ccedil" => 'Ç',
        "Egrave" => 'È',
        "Eacute" => 'É',
        "Ecirc" => 'Ê',
        "Euml" => 'Ë',
        "Iacute" => 'Í',
        "Icirc" => 'Î',
        "Iuml" => 'Ï',
        "Ntilde" => 'Ñ',
        "Oacute" => 'Ó',
        "Ocirc" => 'Ô',
        "Ouml" => 'Ö',
        "Oslash" => 'Ø',
        "Uacute" => 'Ú',
        "Ucirc" => 'Û',
        "Uuml" => 'Ü',
        "szlig" => 'ß',
        "agrave" => 'à',
        "aacute" => 'á',
        "acirc" => 'â',
        "atilde" => 'ã',
        "auml" => 'ä',
        "aring" => 'å',
        "aelig" => 'æ',
        "ccedil" => 'ç',
        "egrave" => 'è',
        "eacute" => 'é',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "igrave" => 'ì',
        "iacute" => 'í',
        "icirc" => 'î',
        "iuml" => 'ï',
        "ntilde" => 'ñ',
        "ograve" => 'ò',
        "oacute" => 'ó',
        "ocirc" => 'ô',
        "otilde" => 'õ',
        "ouml" => 'ö',
        "oslash" => 'ø',
        "ugrave" => 'ù',
        "uacute" => 'ú',
        "ucirc" => 'û',
        "uuml" => 'ü',
        "yacute" => 'ý',
        "yuml" => 'ÿ',
        "oelig" => 'œ',
        "OElig" => 'Œ',
        _ => return None,
    };
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compact view: `text` for text, `\c` escapes, `&c` entities, `<key` /
    /// `key>` for open/close (`!` when isolated), `[key]` for placeholders.
    fn show(s: &str) -> Vec<String> {
        let toks = tokenize(s);
        check_invariants(s, &toks);
        toks.iter()
            .map(|t| {
                let raw = t.as_str(s);
                let key = t.key().unwrap_or("");
                let iso = if t.is_isolated() { "!" } else { "" };
                match &t.kind {
                    TokenKind::Text => raw.to_string(),
                    TokenKind::Escape(c) => format!("\\{c}"),
                    TokenKind::Entity(e) => format!("&{}", e.decoded),
                    TokenKind::Open { .. } => format!("<{key}{iso}"),
                    TokenKind::Close { .. } => format!("{key}{iso}>"),
                    TokenKind::Placeholder(_) => format!("[{key}:{raw}]"),
                }
            })
            .collect()
    }

    /// Coverage, char boundaries and pairing consistency.
    pub(super) fn check_invariants(s: &str, toks: &[Token]) {
        let mut pos = 0;
        for (i, t) in toks.iter().enumerate() {
            assert_eq!(t.range.start, pos, "gap/overlap at token {i} in {s:?}");
            assert!(t.range.end > t.range.start, "empty token {i} in {s:?}");
            assert!(s.is_char_boundary(t.range.start) && s.is_char_boundary(t.range.end));
            pos = t.range.end;
            match &t.kind {
                TokenKind::Open {
                    pair: Some(p),
                    markup,
                } => {
                    assert!(*p > i, "open {i} paired backwards in {s:?}");
                    let partner = &toks[*p];
                    assert!(
                        matches!(&partner.kind, TokenKind::Close { pair: Some(q), markup: m } if *q == i && m == markup),
                        "bad pair {i}->{p} in {s:?}"
                    );
                    assert_eq!(t.key(), partner.key());
                }
                TokenKind::Close { pair: Some(p), .. } => {
                    assert!(*p < i);
                    assert!(
                        matches!(&toks[*p].kind, TokenKind::Open { pair: Some(q), .. } if *q == i)
                    );
                }
                _ => {}
            }
            for r in ranges(&t.kind) {
                assert!(
                    r.start >= t.range.start && r.end <= t.range.end,
                    "inner range outside token"
                );
                assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
            }
        }
        assert_eq!(pos, s.len(), "tokens do not cover {s:?}");
    }

    fn ranges(k: &TokenKind) -> Vec<Range<usize>> {
        match k {
            TokenKind::Placeholder(Placeholder::Code { content }) => vec![content.clone()],
            TokenKind::Placeholder(Placeholder::Image { alt, target }) => {
                let (LinkTarget::Inline(r) | LinkTarget::Reference(r)) = target;
                vec![alt.clone(), r.clone()]
            }
            TokenKind::Placeholder(Placeholder::Autolink { url }) => vec![url.clone()],
            TokenKind::Placeholder(Placeholder::Include { title, path }) => {
                vec![title.clone(), path.clone()]
            }
            TokenKind::Placeholder(Placeholder::Extension { name }) => vec![name.clone()],
            _ => vec![],
        }
    }

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    // --- basics -------------------------------------------------------------

    #[test]
    fn empty_and_plain() {
        assert!(tokenize("").is_empty());
        assert_eq!(show("Nächste Schritte"), v(&["Nächste Schritte"]));
        assert_eq!(show("次のステップ"), v(&["次のステップ"]));
    }

    #[test]
    fn only_markup() {
        assert_eq!(show("****"), v(&["****"]));
        assert_eq!(show("<b></b>"), v(&["<<b>", "<b>>"]));
        assert_eq!(show("[]()"), v(&["<link", "link>"]));
    }

    // --- escapes ------------------------------------------------------------

    #[test]
    fn backslash_escapes() {
        assert_eq!(
            show(r"\*nicht kursiv\*"),
            v(&["\\*", "nicht kursiv", "\\*"])
        );
        assert_eq!(
            show(r"a\_b \[x\]"),
            v(&["a", "\\_", "b ", "\\[", "x", "\\]"])
        );
        assert_eq!(show(r"C:\Users"), v(&[r"C:\Users"]));
        assert_eq!(show("fin\\"), v(&["fin\\"]));
        assert_eq!(show("\\"), v(&["\\"]));
        assert_eq!(show("\\é"), v(&["\\é"]));
    }

    #[test]
    fn hard_break() {
        assert_eq!(
            show("Zeile\\\nweiter"),
            v(&["Zeile", "[\\:\\\n]", "weiter"])
        );
        assert_eq!(show("a\\\r\nb"), v(&["a", "[\\:\\\r\n]", "b"]));
    }

    // --- code spans ---------------------------------------------------------

    #[test]
    fn code_spans() {
        assert_eq!(
            show("Führen Sie `dotnet pack` aus."),
            v(&["Führen Sie ", "[`:`dotnet pack`]", " aus."])
        );
        assert_eq!(show("``a ` b``"), v(&["[`:``a ` b``]"]));
        assert_eq!(show("`a``b`"), v(&["[`:`a``b`]"]));
        assert_eq!(
            show("```<license>```要素"),
            v(&["[`:```<license>```]", "要素"])
        );
        // Unclosed runs are text.
        assert_eq!(show("`offen"), v(&["`offen"]));
        assert_eq!(show("``a`"), v(&["``a`"]));
        // Markup inside code is not markup.
        assert_eq!(show("`**x** [a](b)`"), v(&["[`:`**x** [a](b)`]"]));
        // Backslash does not escape inside code, but an escaped backtick
        // cannot open one.
        assert_eq!(show(r"`C:\` x"), v(&[r"[`:`C:\`]", " x"]));
        assert_eq!(show(r"\`x`"), v(&["\\`", "x`"]));
    }

    #[test]
    fn code_content_strips_one_space() {
        let s = "`` `x` ``";
        let t = tokenize(s);
        let TokenKind::Placeholder(Placeholder::Code { content }) = &t[0].kind else {
            panic!("{t:?}")
        };
        assert_eq!(&s[content.clone()], "`x`");
        let s = "`  `";
        let t = tokenize(s);
        let TokenKind::Placeholder(Placeholder::Code { content }) = &t[0].kind else {
            panic!("{t:?}")
        };
        assert_eq!(&s[content.clone()], "  ");
    }

    // --- emphasis -----------------------------------------------------------

    #[test]
    fn strong_and_emphasis() {
        assert_eq!(show("**fett**"), v(&["<**", "fett", "**>"]));
        assert_eq!(show("*kursiv*"), v(&["<*", "kursiv", "*>"]));
        assert_eq!(show("_kursiv_"), v(&["<_", "kursiv", "_>"]));
        assert_eq!(show("__fett__"), v(&["<__", "fett", "__>"]));
        assert_eq!(
            show("***beides***"),
            v(&["<*", "<**", "beides", "**>", "*>"])
        );
    }

    #[test]
    fn emphasis_flanking() {
        assert_eq!(show("2 * 3 * 4"), v(&["2 * 3 * 4"]));
        assert_eq!(show("snake_case_name"), v(&["snake_case_name"]));
        assert_eq!(show("file_name_here.txt"), v(&["file_name_here.txt"]));
        // Intra-word `*` is emphasis, intra-word `_` is not.
        assert_eq!(
            show("un*frigging*believable"),
            v(&["un", "<*", "frigging", "*>", "believable"])
        );
        assert_eq!(
            show("un_frigging_believable"),
            v(&["un_frigging_believable"])
        );
        assert_eq!(show("** nicht fett**"), v(&["** nicht fett", "**!>"]));
        assert_eq!(show("*.nupkg"), v(&["*.nupkg"]));
    }

    #[test]
    fn emphasis_nesting_and_mixing() {
        assert_eq!(
            show("***NuGet 5.1** ou version ultérieure*"),
            v(&[
                "<*",
                "<**",
                "NuGet 5.1",
                "**>",
                " ou version ultérieure",
                "*>"
            ])
        );
        assert_eq!(
            show("*a **b** c*"),
            v(&["<*", "a ", "<**", "b", "**>", " c", "*>"])
        );
        assert_eq!(show("**a*"), v(&["*", "<*", "a", "*>"]));
        // Rule of 3.
        assert_eq!(
            show("*foo**bar**baz*"),
            v(&["<*", "foo", "<**", "bar", "**>", "baz", "*>"])
        );
        // Different characters do not match.
        assert_eq!(show("*a_"), v(&["*a_"]));
    }

    #[test]
    fn unclosed_strong_is_isolated() {
        assert_eq!(show("**Hinweis: Text"), v(&["<**!", "Hinweis: Text"]));
        assert_eq!(show("Text fertig**"), v(&["Text fertig", "**!>"]));
        assert_eq!(show("***offen"), v(&["<*!", "<**!", "offen"]));
        // A single unmatched `*` is text.
        assert_eq!(show("*offen"), v(&["*offen"]));
        // Intra-word double runs that could open and close stay text.
        assert_eq!(show("a**b"), v(&["a**b"]));
    }

    #[test]
    fn emphasis_next_to_multibyte() {
        assert_eq!(
            show("これは**重要**です"),
            v(&["これは", "<**", "重要", "**>", "です"])
        );
        assert_eq!(show("「**太字**」"), v(&["「", "<**", "太字", "**>", "」"]));
        assert_eq!(show("**Größe**:"), v(&["<**", "Größe", "**>", ":"]));
        assert_eq!(show("é*à*ü"), v(&["é", "<*", "à", "*>", "ü"]));
        assert_eq!(
            show("**מידע חשוב**\u{200F}"),
            v(&["<**", "מידע חשוב", "**>", "\u{200F}"])
        );
    }

    #[test]
    fn emphasis_does_not_cross_links() {
        assert_eq!(show("*a [b* c](u)"), v(&["*a ", "<link", "b* c", "link>"]));
    }

    // --- links --------------------------------------------------------------

    #[test]
    fn inline_links() {
        let s = "Siehe [Übersicht](../overview.md#start).";
        assert_eq!(show(s), v(&["Siehe ", "<link", "Übersicht", "link>", "."]));
        let t = tokenize(s);
        assert_eq!(t[1].url(s), Some("../overview.md#start"));
        assert_eq!(t[3].url(s), None);
        assert_eq!(t[1].pair(), Some(3));
        assert_eq!(t[1].tmx_type(), Some("link"));
        // Title, `<dest>`, balanced parentheses, a line ending before `)`.
        let s = "[a](http://x/y_(z) \"Titel\") [b](<mit leer>) [c](/p#frag\n)";
        let t = tokenize(s);
        let urls: Vec<_> = t.iter().filter_map(|t| t.url(s)).collect();
        assert_eq!(urls, ["http://x/y_(z)", "mit leer", "/p#frag"]);
    }

    #[test]
    fn reference_links() {
        let s = "[Enable-AzContextAutosave][enable] und [Texte][]";
        assert_eq!(
            show(s),
            v(&[
                "<link",
                "Enable-AzContextAutosave",
                "link>",
                " und ",
                "<link",
                "Texte",
                "link>"
            ])
        );
        let t = tokenize(s);
        assert!(
            matches!(&t[0].kind, TokenKind::Open { markup: Markup::Link(LinkTarget::Reference(r)), .. } if &s[r.clone()] == "enable")
        );
        assert!(
            matches!(&t[4].kind, TokenKind::Open { markup: Markup::Link(LinkTarget::Reference(r)), .. } if &s[r.clone()] == "Texte")
        );
    }

    #[test]
    fn brackets_that_are_not_links() {
        // UI labels in Japanese docs, shortcut references.
        assert_eq!(show("[保存] を選択します。"), v(&["[保存] を選択します。"]));
        assert_eq!(show("[a] (b)"), v(&["[a] (b)"]));
        assert_eq!(
            show("[Konto](mit Leerzeichen)"),
            v(&["[Konto](mit Leerzeichen)"])
        );
        assert_eq!(show("[offen"), v(&["[offen"]));
        assert_eq!(show("[a](b"), v(&["[a](b"]));
        assert_eq!(show("a]b"), v(&["a]b"]));
        assert_eq!(show(r"[a]\(b\)"), v(&["[a]", "\\(", "b", "\\)"]));
    }

    #[test]
    fn links_do_not_nest() {
        assert_eq!(
            show("[a [b](c) d](e)"),
            v(&["[a ", "<link", "b", "link>", " d](e)"])
        );
    }

    #[test]
    fn code_inside_link_text_and_link_in_code() {
        let s = "[`<PackageReference>`](../ref.md)";
        assert_eq!(show(s), v(&["<link", "[`:`<PackageReference>`]", "link>"]));
        // A code span that starts inside the brackets wins over `]`.
        assert_eq!(show("[a`]`(b)"), v(&["[a", "[`:`]`]", "(b)"]));
    }

    // --- images and DocFX ---------------------------------------------------

    #[test]
    fn images() {
        let s = "![Registrierte *Zertifikate*](media/certs.png)";
        let t = tokenize(s);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].tmx_type(), Some("image"));
        assert_eq!(t[0].url(s), Some("media/certs.png"));
        let TokenKind::Placeholder(Placeholder::Image { alt, .. }) = &t[0].kind else {
            panic!()
        };
        assert_eq!(&s[alt.clone()], "Registrierte *Zertifikate*");
        // Linked image (lightbox).
        let s = "[![Alt](a.png)](a.png#lightbox)";
        assert_eq!(show(s), v(&["<link", "[image:![Alt](a.png)]", "link>"]));
        // `!` alone and an unresolved `![`.
        assert_eq!(show("Achtung! ![nein"), v(&["Achtung! ![nein"]));
    }

    #[test]
    fn image_swallows_markup_inside_alt() {
        let s = "<b>![x</b> **y**](i.png)</b>";
        let out = show(s);
        assert_eq!(out, v(&["<<b>", "[image:![x</b> **y**](i.png)]", "<b>>"]));
    }

    #[test]
    fn docfx_include_and_markers() {
        let s = "[!INCLUDE[Hinweis](../includes/note.md)]";
        let t = tokenize(s);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].key(), Some("include"));
        assert_eq!(t[0].url(s), Some("../includes/note.md"));
        assert_eq!(show("[!NOTE] Text"), v(&["[extension:[!NOTE]]", " Text"]));
        assert_eq!(
            show("[!div class=\"checklist\"]"),
            v(&["[extension:[!div class=\"checklist\"]]"])
        );
        assert_eq!(show("[!INCLUDE[offen"), v(&["[!INCLUDE[offen"]));
    }

    // --- HTML ---------------------------------------------------------------

    #[test]
    fn paired_html() {
        assert_eq!(
            show("<strong>Gutschriften</strong>"),
            v(&["<<strong>", "Gutschriften", "<strong>>"])
        );
        let s = "Siehe <a href=\"#charge_types\">Gebühren</a>";
        let t = tokenize(s);
        assert_eq!(t[1].url(s), Some("#charge_types"));
        assert_eq!(t[1].tmx_type(), Some("link"));
        assert_eq!(
            show("<sup>1</sup>.NET"),
            v(&["<<sup>", "1", "<sup>>", ".NET"])
        );
        assert_eq!(
            show("H<sub>2</sub>O"),
            v(&["H", "<<sub>", "2", "<sub>>", "O"])
        );
        let s = "<font color=\"red\">Wichtig</font>";
        assert_eq!(tokenize(s)[0].tmx_type(), Some("font"));
        assert_eq!(
            show("<em> x </em><i>y</i><u>z</u>"),
            v(&["<<em>", " x ", "<em>>", "<<i>", "y", "<i>>", "<<u>", "z", "<u>>"])
        );
    }

    #[test]
    fn html_types() {
        let ty = |s: &str| tokenize(s)[0].tmx_type();
        assert_eq!(ty("<b>x</b>"), Some("bold"));
        assert_eq!(ty("<strong>x</strong>"), Some("bold"));
        assert_eq!(ty("<em>x</em>"), Some("italic"));
        assert_eq!(ty("<u>x</u>"), Some("ulined"));
        assert_eq!(ty("<sup>x</sup>"), Some("superscript"));
        assert_eq!(ty("<sub>x</sub>"), Some("subscript"));
        assert_eq!(ty("<c>x</c>"), Some("code"));
        assert_eq!(ty("<br>"), Some("lb"));
        assert_eq!(ty("<img src=\"a.png\">"), Some("image"));
        assert_eq!(ty("<span>x</span>"), Some("x-span"));
        assert_eq!(ty("`x`"), Some("code"));
        assert_eq!(ty("**x**"), Some("bold"));
        assert_eq!(ty("_x_"), Some("italic"));
    }

    #[test]
    fn html_isolated_and_crossed() {
        assert_eq!(show("<b>offen"), v(&["<<b>!", "offen"]));
        assert_eq!(show("zu</b>"), v(&["zu", "<b>!>"]));
        // Closing an outer tag closes the unclosed inner one as isolated.
        assert_eq!(show("<i><b>x</i>"), v(&["<<i>", "<<b>!", "x", "<i>>"]));
        // Nested same tags pair inside out.
        let s = "<b>a<b>b</b>c</b>";
        let t = tokenize(s);
        assert_eq!(t[0].pair(), Some(6));
        assert_eq!(t[2].pair(), Some(4));
    }

    #[test]
    fn void_and_self_closing_html() {
        assert_eq!(
            show("a<br>b<br/>c<br />d"),
            v(&[
                "a",
                "[<br>:<br>]",
                "b",
                "[<br>:<br/>]",
                "c",
                "[<br>:<br />]",
                "d"
            ])
        );
        let s = "<img src=\"media/a.png\" alt=\"Bild\"/>";
        let t = tokenize(s);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].url(s), Some("media/a.png"));
        assert_eq!(
            show("Gibt <see cref=\"T:System.String\"/> oder <paramref name=\"wert\" /> zurück."),
            v(&[
                "Gibt ",
                "[<see>:<see cref=\"T:System.String\"/>]",
                " oder ",
                "[<paramref>:<paramref name=\"wert\" />]",
                " zurück."
            ])
        );
        assert_eq!(show("<c>null</c>"), v(&["<<c>", "null", "<c>>"]));
    }

    #[test]
    fn html_attribute_syntax() {
        assert_eq!(show("<a href='x' target=_blank>t</a>").len(), 3);
        assert_eq!(show("<a\nhref=\"x\">t</a>").len(), 3);
        // Invalid attribute syntax: not HTML.
        assert_eq!(show("<a href=>t</a>")[0], "[tag-like:<a href=>]");
        assert_eq!(show("<a \"x\">")[0], "[tag-like:<a \"x\">]");
        // Unknown or uppercase names are not HTML.
        assert_eq!(
            show("<B>x</B>"),
            v(&["[tag-like:<B>]", "x", "[tag-like:</B>]"])
        );
    }

    #[test]
    fn comments_and_autolinks() {
        assert_eq!(
            show("a<!-- nicht übersetzen -->b"),
            v(&["a", "[comment:<!-- nicht übersetzen -->]", "b"])
        );
        assert_eq!(show("<!-- offen"), v(&["<!-- offen"]));
        let s = "Siehe <https://support.microsoft.com/kb/2581019>.";
        let t = tokenize(s);
        assert_eq!(
            t[1].url(s),
            Some("https://support.microsoft.com/kb/2581019")
        );
        assert_eq!(t[1].key(), Some("autolink"));
        assert_eq!(
            show("<xref:System.String>")[0],
            "[autolink:<xref:System.String>]"
        );
        assert_eq!(
            show("<support@contoso.com>")[0],
            "[autolink:<support@contoso.com>]"
        );
    }

    // --- tag-like text ------------------------------------------------------

    #[test]
    fn tag_like_text_is_not_html() {
        assert_eq!(
            show("Ersetzen Sie <RID>."),
            v(&["Ersetzen Sie ", "[tag-like:<RID>]", "."])
        );
        assert_eq!(show("<Subscription ID>")[0], "[tag-like:<Subscription ID>]");
        assert_eq!(show("<your-tenant>")[0], "[tag-like:<your-tenant>]");
        assert_eq!(show("List<T>"), v(&["List", "[tag-like:<T>]"]));
        assert_eq!(show("1.0 < x < 2.0"), v(&["1.0 < x < 2.0"]));
        assert_eq!(show("x < 1.0"), v(&["x < 1.0"]));
        assert_eq!(
            show("<nom/entreprise \\>")[0],
            "[tag-like:<nom/entreprise \\>]"
        );
        assert_eq!(
            show("<名前/会社\\> <年\\>"),
            v(&["[tag-like:<名前/会社\\>]", " ", "[tag-like:<年\\>]"])
        );
        assert_eq!(
            show("\\<package-name\\> weglassen"),
            v(&["[tag-like:\\<package-name\\>]", " weglassen"])
        );
        assert_eq!(
            show("<il>Punkt</il>"),
            v(&["[tag-like:<il>]", "Punkt", "[tag-like:</il>]"])
        );
        assert_eq!(show("a <b"), v(&["a <b"]));
        assert_eq!(show("<"), v(&["<"]));
        assert_eq!(show("<>"), v(&["<>"]));
    }

    #[test]
    fn leaked_mt_tags() {
        assert_eq!(
            show("<<c0>Text</c0>>"),
            v(&["[leaked-tag:<<c0>]", "Text", "[leaked-tag:</c0>>]"])
        );
        assert_eq!(
            show("<g1>x</g1>"),
            v(&["[leaked-tag:<g1>]", "x", "[leaked-tag:</g1>]"])
        );
        assert_eq!(show("<x2/>")[0], "[leaked-tag:<x2/>]");
        // `h1` is HTML.
        assert_eq!(show("<h1>T</h1>"), v(&["<<h1>", "T", "<h1>>"]));
    }

    // --- entities -----------------------------------------------------------

    fn entity(s: &str) -> Entity {
        match tokenize(s).first().map(|t| t.kind.clone()) {
            Some(TokenKind::Entity(e)) => e,
            other => panic!("{s:?}: {other:?}"),
        }
    }

    #[test]
    fn entities() {
        assert_eq!(entity("&nbsp;").decoded, '\u{A0}');
        assert_eq!(entity("&#10004;").decoded, '✔');
        assert_eq!(entity("&#x2714;").decoded, '✔');
        assert_eq!(entity("&#X2714;").decoded, '✔');
        assert_eq!(entity("&bullet;").decoded, '•');
        assert_eq!(entity("&mdash;").decoded, '—');
        assert!(
            entity("&gt;").markup
                && entity("&lt;").markup
                && entity("&amp;").markup
                && entity("&quot;").markup
        );
        assert!(entity("&#60;").markup);
        assert!(!entity("&nbsp;").markup);
        assert!(entity("&amp;").terminated);
    }

    #[test]
    fn lenient_entities() {
        let e = entity("&#8221 x");
        assert_eq!((e.decoded, e.terminated), ('”', false));
        assert_eq!(entity("&#150;").decoded, '–');
        assert_eq!(entity("&#0;").decoded, '\u{FFFD}');
        assert_eq!(entity("&#xD800;").decoded, '\u{FFFD}');
        assert_eq!(entity("&#99999999999999999999;").decoded, '\u{FFFD}');
        assert_eq!(entity("&amp x").decoded, '&');
        // Not entities.
        assert_eq!(
            show("?a=1&status=All&amp;b"),
            v(&["?a=1&status=All", "&&", "b"])
        );
        assert_eq!(
            show("&ltr; &bogus; & &# &#x; &"),
            v(&["&ltr; &bogus; & &# &#x; &"])
        );
        assert_eq!(show("Fin &"), v(&["Fin &"]));
    }

    // --- format placeholders ------------------------------------------------

    #[test]
    fn format_placeholders() {
        assert_eq!(
            show("Datei {0} von {1:N2}"),
            v(&["Datei ", "[format:{0}]", " von ", "[format:{1:N2}]"])
        );
        assert_eq!(show("lib/{tfm}")[1], "[format:{tfm}]");
        assert_eq!(
            show("%s und %1$s und %1"),
            v(&[
                "[format:%s]",
                " und ",
                "[format:%1$s]",
                " und ",
                "[format:%1]"
            ])
        );
        assert_eq!(
            show("50 % mehr, %20, 100%sicher, { x }"),
            v(&["50 % mehr, %20, 100%sicher, { x }"])
        );
    }

    // --- keys ---------------------------------------------------------------

    #[test]
    fn keys_are_stable() {
        let keys = |s: &str| {
            tokenize(s)
                .iter()
                .filter_map(|t| t.key())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            keys("**a** __b__ *c* _d_"),
            ["**", "**", "__", "__", "*", "*", "_", "_"]
        );
        assert_eq!(
            keys("<strong>a</strong><br/><br>"),
            ["<strong>", "<strong>", "<br>", "<br>"]
        );
        assert_eq!(keys("[a](b) `c` ![d](e)"), ["link", "link", "`", "image"]);
        assert!(tokenize("Text &amp; \\*")
            .iter()
            .all(|t| t.key().is_none() && t.tmx_type().is_none()));
    }

    #[test]
    fn html_attr_reads_values() {
        assert_eq!(
            html_attr("<a href=\"x\" title='y z' data-k=v>", "title"),
            Some("y z")
        );
        assert_eq!(
            html_attr("<a href=\"x\" title='y z' data-k=v>", "data-k"),
            Some("v")
        );
        assert_eq!(html_attr("<a HREF=\"x\">", "href"), Some("x"));
        assert_eq!(html_attr("<img src=a.png/>", "src"), Some("a.png"));
        assert_eq!(html_attr("<br>", "href"), None);
        assert_eq!(html_attr("<a href=\"unclosed>", "href"), None);
        assert_eq!(html_attr("", "href"), None);
    }

    // --- mixed real-life shapes ---------------------------------------------

    #[test]
    fn multi_line_and_bidi() {
        let s = "**nuget.org-Galerie**\n![Galerie](media/g.png)";
        assert_eq!(
            show(s),
            v(&[
                "<**",
                "nuget.org-Galerie",
                "**>",
                "\n",
                "[image:![Galerie](media/g.png)]"
            ])
        );
        let s = "\u{202B}לחץ על **שמור**\u{202C}";
        assert_eq!(
            show(s),
            v(&["\u{202B}לחץ על ", "<**", "שמור", "**>", "\u{202C}"])
        );
    }

    // --- pathological inputs stay linear ------------------------------------

    fn timed(s: &str) {
        let t = std::time::Instant::now();
        let toks = tokenize(s);
        check_invariants(s, &toks);
        assert!(t.elapsed().as_secs() < 5, "too slow: {:?}", t.elapsed());
    }

    #[test]
    fn deep_nesting_is_fast() {
        timed(&format!("{}a{}", "*".repeat(10_000), "*".repeat(10_000)));
        timed(&"**a ".repeat(10_000));
        timed(&"*a ".repeat(5_000).to_string());
        timed(&format!("{}a", "[".repeat(10_000)));
        timed(&format!("{}a{}", "[".repeat(5_000), "](u)".repeat(5_000)));
        timed(&"[a](".repeat(5_000));
        timed(&"![".repeat(5_000));
        timed(&format!("{}a{}", "![".repeat(2_000), "](u)".repeat(2_000)));
        timed(&"`` ` ```".repeat(3_000));
        timed(
            &(1..3000)
                .map(|n| "`".repeat(n % 60 + 1) + "x")
                .collect::<String>(),
        );
        timed(&"<b>".repeat(5_000));
        timed(&"<b><i></u>".repeat(3_000));
        timed(&"<!--".repeat(5_000));
        timed(&"<a href=\"".repeat(5_000));
        timed(&"&#".repeat(5_000));
        timed(&"_a*".repeat(5_000));
        timed(&"[a][".repeat(5_000));
        timed(&"[!INCLUDE[".repeat(3_000));
    }

    #[test]
    fn nested_stars_pair_correctly() {
        let s = format!("{}a{}", "*".repeat(5_000), "*".repeat(5_000));
        let t = tokenize(&s);
        assert_eq!(t.len(), 2_500 + 1 + 2_500);
        assert!(t.iter().all(|t| !t.is_isolated()));
    }

    // --- property tests -----------------------------------------------------

    use proptest::prelude::*;

    /// Fragments that exercise every construct and its broken forms.
    const ALPHABET: &[&str] = &[
        "*",
        "**",
        "_",
        "__",
        "[",
        "]",
        "(",
        ")",
        "![",
        "](",
        "][",
        "`",
        "``",
        "<",
        ">",
        "</",
        "/>",
        "&",
        ";",
        "#",
        "x",
        "1",
        "\\",
        "\n",
        "\r\n",
        " ",
        "  ",
        "\t",
        "é",
        "日本",
        "\u{200F}",
        "\u{A0}",
        "\u{3000}",
        "b",
        "a",
        "strong",
        " href=\"",
        "\"",
        "'",
        "!",
        "{",
        "}",
        "%",
        "s",
        "<<c0>",
        "</c0>>",
        "<br>",
        "<b>",
        "</b>",
        "<a href=\"u\">",
        "</a>",
        "&nbsp;",
        "&#",
        "&#x",
        "&amp",
        "http:",
        "<!--",
        "-->",
        "[!NOTE]",
        "[!INCLUDE[",
        "=",
        "<RID>",
        "\\<",
        "\\>",
    ];

    /// `may_have_markup` sees a markup byte at every position.
    #[test]
    fn may_have_markup_sees_every_position() {
        for len in 0..100 {
            let plain = "a".repeat(len);
            assert!(!may_have_markup(&plain));
            for at in 0..len {
                for special in "\\`*_[]!<&{%".chars() {
                    let mut s = plain.clone();
                    s.replace_range(at..at + 1, special.encode_utf8(&mut [0; 4]));
                    assert!(may_have_markup(&s), "{s:?}");
                }
            }
        }
    }

    fn markup_string() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(ALPHABET), 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn tokens_cover_markup_heavy_input(s in markup_string()) {
            let toks = tokenize(&s);
            check_invariants(&s, &toks);
        }

        #[test]
        fn text_without_markup_bytes_is_one_text_token(s in "[ a-zé日\n\t()#>/.:;]{0,20}") {
            prop_assert!(!may_have_markup(&s));
            let want: Vec<Token> = if s.is_empty() {
                Vec::new()
            } else {
                vec![Token { range: 0..s.len(), kind: TokenKind::Text }]
            };
            prop_assert_eq!(tokenize(&s), want);
        }

        #[test]
        fn tokens_cover_any_input(s in any::<String>()) {
            let toks = tokenize(&s);
            check_invariants(&s, &toks);
        }

        #[test]
        fn isolated_tokens_have_no_partner_anywhere(s in markup_string()) {
            let toks = tokenize(&s);
            let partners: Vec<usize> = toks.iter().filter_map(Token::pair).collect();
            for (i, t) in toks.iter().enumerate() {
                if t.is_isolated() {
                    prop_assert!(!partners.contains(&i));
                }
            }
        }
    }
}
