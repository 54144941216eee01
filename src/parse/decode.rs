//! Input decoding: bytes to text.
//!
//! Accepted: UTF-8 with or without a byte-order mark, UTF-16 LE/BE with a
//! BOM, and UTF-16 without a BOM when the first bytes make it obvious (a NUL
//! in every other byte of mostly-ASCII text, as Windows tools write it).
//! Anything else that is not valid UTF-8 is an error that names the line and
//! column of the first bad byte; nothing is guessed or replaced silently.

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
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Encoding), DecodeError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest).map(|s| (Cow::Borrowed(s), Encoding::Utf8));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, false).map(|s| (Cow::Owned(s), Encoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, true).map(|s| (Cow::Owned(s), Encoding::Utf16Be));
    }
    match sniff_utf16(bytes) {
        Some(big) => {
            let enc = if big {
                Encoding::Utf16Be
            } else {
                Encoding::Utf16Le
            };
            utf16(bytes, big).map(|s| (Cow::Owned(s), enc))
        }
        None => utf8(bytes).map(|s| (Cow::Borrowed(s), Encoding::Utf8)),
    }
}

/// Guesses UTF-16 without a BOM: at least 4 code units in the first 512
/// bytes, and in at least 90% of them one byte is NUL and the other is not
/// (ASCII text written as UTF-16). Returns `Some(true)` for big-endian.
fn sniff_utf16(bytes: &[u8]) -> Option<bool> {
    let head = &bytes[..bytes.len().min(512) & !1];
    let units = head.len() / 2;
    if units < 4 {
        return None;
    }
    let (mut le, mut be) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        match (pair[0], pair[1]) {
            (a, 0) if a != 0 => le += 1,
            (0, b) if b != 0 => be += 1,
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
