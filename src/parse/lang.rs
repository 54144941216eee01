//! Language tags: BCP 47 case normalisation and language codes found in
//! folder names (`partner-center-pr.ja-jp` → `ja-JP`).

use std::path::Path;

/// Normalises a language tag to BCP 47 case: the language subtag lowercase,
/// a 4-letter script subtag titlecase, a 2-letter or 3-digit region
/// uppercase, anything else lowercase; `_` becomes `-`.
///
/// ```
/// use tmex::parse::lang::normalize_tag;
/// assert_eq!(normalize_tag("ja-jp"), "ja-JP");
/// assert_eq!(normalize_tag("zh-hant-tw"), "zh-Hant-TW");
/// assert_eq!(normalize_tag("en_US"), "en-US");
/// assert_eq!(normalize_tag("es-419"), "es-419");
/// ```
pub fn normalize_tag(tag: &str) -> String {
    let mut out = String::with_capacity(tag.len());
    for (i, sub) in tag.trim().split(['-', '_']).enumerate() {
        if i > 0 {
            out.push('-');
        }
        let alpha = sub.bytes().all(|b| b.is_ascii_alphabetic());
        if i == 0 {
            out.push_str(&sub.to_ascii_lowercase());
        } else if alpha && sub.len() == 4 {
            let mut cs = sub.chars();
            if let Some(first) = cs.next() {
                out.push(first.to_ascii_uppercase());
                out.push_str(&cs.as_str().to_ascii_lowercase());
            }
        } else if (alpha && sub.len() == 2)
            || (sub.len() == 3 && sub.bytes().all(|b| b.is_ascii_digit()))
        {
            out.push_str(&sub.to_ascii_uppercase());
        } else {
            out.push_str(&sub.to_ascii_lowercase());
        }
    }
    out
}

/// Whether `s` is shaped like a language tag (`ll`, `ll-RR`, `ll-Ssss-RR`, `lll-…`).
pub fn is_tag(s: &str) -> bool {
    let mut parts = s.split(['-', '_']);
    let first_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Finds a language code in a folder name of `path` (nearest folder first):
/// a repository-style suffix after the last dot (`docs.microsoft.com-nuget.fr-fr`,
/// `azure-docs-powershell.de-DE`, `x.zh-hant-tw`) or a folder named exactly
/// like `ja-jp` / `zh-hant-tw` (2-letter language, then a 2-letter region,
/// optionally after a 4-letter script). Folder names such as `how-to` are
/// not taken for languages.
pub fn lang_from_path(path: &Path) -> Option<String> {
    let from = |p: &Path| {
        p.ancestors()
            .skip(1)
            .filter_map(|a| a.file_name()?.to_str())
            .find_map(lang_from_folder_name)
    };
    from(path).or_else(|| {
        if path.is_absolute() {
            None
        } else {
            std::fs::canonicalize(path).ok().as_deref().and_then(from)
        }
    })
}

fn lang_from_folder_name(name: &str) -> Option<String> {
    if let Some((_, suffix)) = name.rsplit_once('.') {
        if is_locale_with_region(suffix) {
            return Some(normalize_tag(suffix));
        }
    }
    if is_locale_with_region(name) && name.split('-').next().is_some_and(|l| l.len() == 2) {
        return Some(normalize_tag(name));
    }
    None
}

/// `ll-rr`, `lll-rr`, `ll-ssss-rr` (case-insensitive), the shapes used in
/// localized repository names.
fn is_locale_with_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let alpha = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic())
    };
    match parts.as_slice() {
        [l, r] => alpha(l, 2..=3) && alpha(r, 2..=2),
        [l, s, r] => alpha(l, 2..=3) && alpha(s, 4..=4) && alpha(r, 2..=2),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case() {
        assert_eq!(normalize_tag("JA-jp"), "ja-JP");
        assert_eq!(normalize_tag("de-DE"), "de-DE");
        assert_eq!(normalize_tag("zh-HANT-tw"), "zh-Hant-TW");
        assert_eq!(normalize_tag("sr-latn-rs"), "sr-Latn-RS");
        assert_eq!(normalize_tag(" fr "), "fr");
    }

    #[test]
    fn finds_language_in_folder_names() {
        let p = |s: &str| lang_from_path(Path::new(s));
        assert_eq!(
            p("/x/partner-center-pr.ja-jp/a/b.md").as_deref(),
            Some("ja-JP")
        );
        assert_eq!(
            p("/x/docs.microsoft.com-nuget.fr-fr/b.md").as_deref(),
            Some("fr-FR")
        );
        assert_eq!(
            p("/x/azure-docs-powershell.de-DE/docs/x.md").as_deref(),
            Some("de-DE")
        );
        assert_eq!(p("/x/repo.zh-hant-tw/x.md").as_deref(), Some("zh-Hant-TW"));
        assert_eq!(p("/x/ko-kr/x.md").as_deref(), Some("ko-KR"));
        assert_eq!(p("/x/how-to/x.md"), None);
        assert_eq!(p("/x/azurermps-1.2.9/x.md"), None);
        assert_eq!(
            p("/x/a/ja-jp.md"),
            None,
            "the file name itself is not a folder"
        );
    }

    #[test]
    fn tag_shape() {
        assert!(is_tag("en-US"));
        assert!(is_tag("zh-Hant-TW"));
        assert!(!is_tag("english"));
        assert!(!is_tag(""));
    }
}
