//! Input decoding: bytes to text.
//!
//! Accepted: UTF-8 with or without a byte-order mark, UTF-16 LE/BE with a
//! BOM, and UTF-16 without a BOM when the bytes make it obvious (a NUL in
//! every other byte of mostly-ASCII text, as Windows tools write it: see
//! [`decode`] for the evidence required). UTF-32 (with a BOM) is an error
//! that names it; anything else that is not valid UTF-8 is an error that
//! names the line and column of the first bad byte; nothing is guessed or
//! replaced silently. [`lost_marker`] tells when the bytes hold
//! `data-ttu-id` but the decoded text does not (a wrong guess, or UTF-32
//! without a BOM read as UTF-8 with NULs).

use std::borrow::Cow;

/// Which encoding the bytes were read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (a BOM, if any, is dropped).
    Utf8,
    /// UTF-16 little-endian.
    Utf16Le,
    /// UTF-16 big-endian.
    Utf16Be,
}

/// Why bytes could not be decoded, with the place of the first bad byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// 1-based line of the first bad byte.
    pub line: u32,
    /// 1-based column (in characters) of the first bad byte.
    pub column: u32,
    /// What is wrong, for humans.
    pub message: String,
}

/// Decodes input bytes to text, dropping a byte-order mark.
///
/// UTF-16 without a BOM is taken only on strong evidence: in the first 512
/// bytes at least 4 code units, 90% of them with one NUL byte and one
/// other byte (ASCII text written as UTF-16), and no NUL code unit; then
/// the whole input must decode as UTF-16 without a NUL character, NUL
/// bytes must go on after those first bytes, and when the bytes hold
/// `data-ttu-id` as ASCII the UTF-16 text must hold it too. Otherwise the
/// bytes are read as UTF-8 (a UTF-8 file whose first bytes hold NULs stays
/// UTF-8).
///
/// ```
/// use tmex::parse::decode::{decode, Encoding};
/// let le: Vec<u8> = "<span data-ttu-id".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
/// assert_eq!(decode(&le).unwrap().1, Encoding::Utf16Le);
/// assert!(decode(b"\xFF\xFE\0\0<\0\0\0").unwrap_err().message.contains("UTF-32LE"));
/// ```
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Encoding), DecodeError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest).map(|s| (Cow::Borrowed(s), Encoding::Utf8));
    }
    // Before UTF-16: the UTF-32LE BOM begins with the UTF-16LE one.
    for (bom, name) in [
        (&b"\xFF\xFE\0\0"[..], "UTF-32LE"),
        (&b"\0\0\xFE\xFF"[..], "UTF-32BE"),
    ] {
        if bytes.starts_with(bom) {
            return Err(DecodeError {
                line: 1,
                column: 1,
                message: format!(
                    "{name} (byte-order mark {}) is not supported; tmex reads UTF-8 and UTF-16: convert the file to UTF-8 (iconv -f {name} -t UTF-8)",
                    hex(bom)
                ),
            });
        }
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, false).map(|s| (Cow::Owned(s), Encoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, true).map(|s| (Cow::Owned(s), Encoding::Utf16Be));
    }
    if let Some(big) = sniff_utf16(bytes) {
        if let Some(text) = verified_utf16(bytes, big) {
            let enc = if big {
                Encoding::Utf16Be
            } else {
                Encoding::Utf16Le
            };
            return Ok((Cow::Owned(text), enc));
        }
    }
    utf8(bytes).map(|s| (Cow::Borrowed(s), Encoding::Utf8))
}

/// The bytes sniffed for UTF-16 without a BOM.
const SNIFF_BYTES: usize = 512;

/// Guesses UTF-16 without a BOM: at least 4 code units in the first 512
/// bytes, in at least 90% of them one byte is NUL and the other is not
/// (ASCII text written as UTF-16), and none is NUL. Returns `Some(true)`
/// for big-endian. Only a guess: see [`verified_utf16`].
fn sniff_utf16(bytes: &[u8]) -> Option<bool> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES) & !1];
    let units = head.len() / 2;
    if units < 4 {
        return None;
    }
    let (mut le, mut be) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        match (pair[0], pair[1]) {
            (a, 0) if a != 0 => le += 1,
            (0, b) if b != 0 => be += 1,
            (0, 0) => return None,
            _ => {}
        }
    }
    if le * 10 >= units * 9 {
        Some(false)
    } else if be * 10 >= units * 9 {
        Some(true)
    } else {
        None
    }
}

/// The text of bytes sniffed as UTF-16 without a BOM, if the rest of them
/// bears the guess out: they decode without error and without a NUL
/// character; when longer than the sniffed head, they hold a NUL byte after
/// it (text written as UTF-16 has one in every ASCII character, markup and
/// line breaks included); and `data-ttu-id` in ASCII bytes is not lost.
fn verified_utf16(bytes: &[u8], big: bool) -> Option<String> {
    if bytes.len() > SNIFF_BYTES && memchr::memchr(0, &bytes[SNIFF_BYTES..]).is_none() {
        return None;
    }
    let text = utf16(bytes, big).ok()?;
    if text.contains('\0') || (!has_marker(text.as_bytes()) && has_marker(bytes)) {
        return None;
    }
    Some(text)
}

/// The attribute every target span carries.
const MARKER: &[u8] = b"data-ttu-id";

fn has_marker(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, MARKER).is_some()
}

/// When the decoded `text` holds no `data-ttu-id` but the raw `bytes` do,
/// in ASCII or as UTF-32 or UTF-16, the name of the form found (the byte
/// order told by the marker's offset): the bytes were decoded in the wrong
/// encoding, and the spans are lost. `None` when the text holds it, or the
/// bytes do not.
///
/// ```
/// use tmex::parse::decode::{decode, lost_marker};
/// let utf32: Vec<u8> = "<span data-ttu-id=\"a\">".chars().flat_map(|c| (c as u32).to_le_bytes()).collect();
/// let (text, _) = decode(&utf32).unwrap(); // valid UTF-8 (with NULs)
/// assert_eq!(lost_marker(&utf32, &text), Some("UTF-32LE"));
/// assert_eq!(lost_marker(b"data-ttu-id", "data-ttu-id"), None);
/// ```
pub fn lost_marker(bytes: &[u8], text: &str) -> Option<&'static str> {
    if has_marker(text.as_bytes()) {
        return None;
    }
    // A text borrowed from the bytes (UTF-8) is all of them but a BOM.
    let borrowed = bytes.as_ptr_range().contains(&text.as_ptr());
    if !borrowed && has_marker(bytes) {
        return Some("ASCII");
    }
    // Every wide form holds NUL bytes; most inputs hold none.
    memchr::memchr(0, bytes)?;
    // The little-endian form of a width also occurs in the big-endian
    // bytes, one byte before its place there: the offset tells them apart.
    for (width, le, be) in [(4, "UTF-32LE", "UTF-32BE"), (2, "UTF-16LE", "UTF-16BE")] {
        let mut needle = Vec::with_capacity(MARKER.len() * width);
        for &b in MARKER {
            needle.push(b);
            needle.resize(needle.len() + width - 1, 0);
        }
        // A big-endian marker at the very start has no NUL before it.
        let at = memchr::memmem::find(bytes, &needle).or_else(|| {
            let first = &needle[..needle.len() - (width - 1)];
            (bytes.get(width - 1..)?.starts_with(first)
                && bytes[..width - 1].iter().all(|&b| b == 0))
            .then_some(width - 1)
        });
        if let Some(at) = at {
            return Some(if at % width == 0 { le } else { be });
        }
    }
    None
}

fn hex(bytes: &[u8]) -> String {
    let v: Vec<String> = bytes.iter().map(|b| format!("{b:02X}")).collect();
    v.join(" ")
}

fn utf8(bytes: &[u8]) -> Result<&str, DecodeError> {
    // SIMD validation (simdutf8 picks AVX2/SSE4.2 at run time): several
    // times faster than `std::str::from_utf8` on CJK text, where std's ASCII
    // fast path does not help. Only when it fails does std find the place.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Ok(s);
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let good = e.valid_up_to();
        // `good` is a char boundary of valid UTF-8, so this cannot fail.
        let before = std::str::from_utf8(&bytes[..good]).unwrap_or("");
        let (line, column) = line_col(before);
        let bad: Vec<String> = bytes[good..]
            .iter()
            .take(e.error_len().unwrap_or(bytes.len() - good).min(4))
            .map(|b| format!("{b:#04x}"))
            .collect();
        DecodeError {
            line,
            column,
            message: format!(
                "invalid UTF-8 (byte {} at offset {good}); tmex reads UTF-8 and UTF-16 with a BOM",
                bad.join(" ")
            ),
        }
    })
}

fn utf16(bytes: &[u8], big: bool) -> Result<String, DecodeError> {
    let units = bytes.chunks_exact(2).map(|p| {
        if big {
            u16::from_be_bytes([p[0], p[1]])
        } else {
            u16::from_le_bytes([p[0], p[1]])
        }
    });
    let mut out = String::with_capacity(bytes.len() / 2 + 16);
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => out.push(c),
            Err(e) => {
                let (line, column) = line_col(&out);
                return Err(DecodeError {
                    line,
                    column,
                    message: format!(
                        "invalid UTF-16 (unpaired surrogate {:#06x})",
                        e.unpaired_surrogate()
                    ),
                });
            }
        }
    }
    if bytes.len() % 2 == 1 {
        let (line, column) = line_col(&out);
        return Err(DecodeError {
            line,
            column,
            message: "invalid UTF-16 (odd number of bytes)".into(),
        });
    }
    Ok(out)
}

/// 1-based line and column (in characters) just after the end of `before`.
fn line_col(before: &str) -> (u32, u32) {
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
    let column = before[start..].chars().count() + 1;
    (clamp(line), clamp(column))
}

/// Converts a count to `u32`, saturating.
pub(crate) fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(b"abc").unwrap().0, "abc");
        assert_eq!(decode(b"\xEF\xBB\xBFabc").unwrap().0, "abc");
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in "日本 x".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(
            decode(&le).unwrap(),
            (Cow::Borrowed("日本 x"), Encoding::Utf16Le)
        );
        assert_eq!(decode(&be).unwrap().0, "日本 x");
    }

    #[test]
    fn utf16_without_bom_is_sniffed() {
        let le: Vec<u8> = "<span data-ttu-id"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(
            decode(&le).unwrap(),
            (Cow::Borrowed("<span data-ttu-id"), Encoding::Utf16Le)
        );
        let be: Vec<u8> = "hello world"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(decode(&be).unwrap().1, Encoding::Utf16Be);
    }

    #[test]
    fn invalid_utf8_names_the_place() {
        let e = decode(b"ok\nab\xFFcd").unwrap_err();
        assert_eq!((e.line, e.column), (2, 3));
        assert!(e.message.contains("invalid UTF-8"), "{}", e.message);
    }

    #[test]
    fn broken_utf16_is_an_error() {
        assert!(decode(&[0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00]).is_err());
        assert!(decode(&[0xFF, 0xFE, 0x41, 0x00, 0x42]).is_err());
    }

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
    }

    /// UTF-32 with a BOM used to be taken for UTF-16 (its BOM begins with
    /// the UTF-16LE one): 0 pairs and no message.
    #[test]
    fn utf32_with_bom_is_an_error_that_names_it() {
        let pair = "<span data-ttu-id=\"a-1\">Ja</span>";
        let mut le = vec![0xFF, 0xFE, 0, 0];
        let mut be = vec![0, 0, 0xFE, 0xFF];
        for c in pair.chars() {
            le.extend_from_slice(&(c as u32).to_le_bytes());
            be.extend_from_slice(&(c as u32).to_be_bytes());
        }
        let e = decode(&le).unwrap_err();
        assert!(e.message.contains("UTF-32LE"), "{}", e.message);
        assert_eq!((e.line, e.column), (1, 1));
        assert!(decode(&be).unwrap_err().message.contains("UTF-32BE"));
    }

    /// A UTF-8 file whose first bytes hold NULs (every other byte) used to
    /// be sniffed as UTF-16: its spans became CJK-looking garbage.
    #[test]
    fn utf8_with_nuls_in_its_first_bytes_stays_utf8() {
        let pair = "<span data-ttu-id=\"58ab2-1\">Ja</span><span class=\"sxs-lookup\"><span data-stu-id=\"58ab2-1\">Yes</span></span>\n";
        // Longer than the sniffed head, with no NUL after it.
        let mut bytes = b"x\0".repeat(300);
        bytes.extend_from_slice(pair.repeat(3).as_bytes());
        let (text, enc) = decode(&bytes).unwrap();
        assert_eq!(enc, Encoding::Utf8);
        assert!(text.ends_with(pair));
        // Shorter than the head, even length: the ASCII marker decides.
        let mut bytes = b"x\0".repeat(200);
        bytes.extend_from_slice(pair.as_bytes());
        if bytes.len() % 2 == 1 {
            bytes.push(b'\n');
        }
        assert_eq!(decode(&bytes).unwrap().1, Encoding::Utf8);
        // NULs after the head too, but odd length: not UTF-16 either.
        let mut bytes = b"x\0".repeat(300);
        bytes.extend_from_slice(b"a\0b");
        assert_eq!(decode(&bytes).unwrap().1, Encoding::Utf8);
    }

    /// Real UTF-16 without a BOM is still found: ASCII front matter, then
    /// CJK text with markup, longer than the sniffed head.
    #[test]
    fn long_utf16_without_bom_is_still_sniffed() {
        let mut text = String::from("---\nms.contentlocale: ja-jp\n---\n");
        text.push_str(&"# title\n".repeat(60));
        for i in 0..50 {
            text.push_str(&format!("<span data-ttu-id=\"58ab2-{i}\">日本語の文。</span><span class=\"sxs-lookup\"><span data-stu-id=\"58ab2-{i}\">A sentence.</span></span>\n"));
        }
        let bytes = utf16le(&text);
        let (got, enc) = decode(&bytes).unwrap();
        assert_eq!((got.as_ref(), enc), (text.as_str(), Encoding::Utf16Le));
    }

    #[test]
    fn lost_marker_finds_every_form() {
        let s = "x <span data-ttu-id=\"a\">";
        assert_eq!(lost_marker(s.as_bytes(), s), None);
        assert_eq!(lost_marker(b"nothing here", "nothing here"), None);
        // Wide forms, told apart by the offset of the marker, also at the
        // very start of the bytes.
        for s in [s, "data-ttu-id"] {
            let be16: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
            let le32: Vec<u8> = s.chars().flat_map(|c| (c as u32).to_le_bytes()).collect();
            let be32: Vec<u8> = s.chars().flat_map(|c| (c as u32).to_be_bytes()).collect();
            assert_eq!(lost_marker(&utf16le(s), "garbage"), Some("UTF-16LE"));
            assert_eq!(lost_marker(&be16, "garbage"), Some("UTF-16BE"));
            assert_eq!(lost_marker(&le32, "garbage"), Some("UTF-32LE"));
            assert_eq!(lost_marker(&be32, "garbage"), Some("UTF-32BE"));
        }
        // UTF-8 bytes decoded as something else (a text not borrowed).
        assert_eq!(lost_marker(s.as_bytes(), &"x".repeat(3)), Some("ASCII"));
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The SIMD validator accepts exactly what std accepts, and
        /// gives the same text.
        #[test]
        fn utf8_agrees_with_std(
            text in "[a日é\u{10348}\n]{0,70}",
            noise in prop::collection::vec(any::<u8>(), 0..3),
            at in 0usize..300,
        ) {
            let mut bytes = text.into_bytes();
            let at = at.min(bytes.len());
            bytes.splice(at..at, noise);
            prop_assert_eq!(utf8(&bytes).ok(), std::str::from_utf8(&bytes).ok());
        }
    }
}
