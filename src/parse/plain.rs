//! Plain-text view of a segment text (placeholder; replaced by the real rules).

/// Renders the plain-text view of a verbatim segment text.
pub fn plain_text(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
