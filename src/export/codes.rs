//! Inline codes for TMX and XLIFF (`--inline codes`): markdown and HTML
//! inline markup as `<bpt>`/`<ept>`/`<ph>`/`<it>` elements.
//!
//! Until the inline tokenizer ([`crate::parse::inline`]) lands, the texts
//! are written as escaped text (like `--inline raw`).

use super::xml::{escape_into, Dialect};

/// Renders a normalized source/target pair with inline codes; forbidden
/// characters are pushed to `bad_src` / `bad_tgt`.
pub fn render(
    src: &str,
    tgt: &str,
    _dialect: Dialect,
    bad_src: &mut Vec<char>,
    bad_tgt: &mut Vec<char>,
) -> (String, String) {
    let mut s = String::with_capacity(src.len() + 16);
    escape_into(&mut s, src, false, bad_src);
    let mut t = String::with_capacity(tgt.len() + 16);
    escape_into(&mut t, tgt, false, bad_tgt);
    (s, t)
}
