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

/// Checks that `tag` is a well-formed BCP 47 language tag (RFC 5646,
/// section 2.1) and returns it [normalised](normalize_tag); the error says
/// which subtag is wrong. `_` is taken for `-`, as in folder names.
///
/// One restriction on the grammar: the language subtag has 2 or 3 letters.
/// The RFC also allows 4 letters (reserved) and 5 to 8 letters (for
/// registration), but none is registered, and accepting them would take
/// `english` or `japanese` for tags. Private-use tags (`x-…`) and the
/// grandfathered irregular tags (`i-klingon`) are refused too: no
/// localized article uses them.
///
/// ```
/// use tmex::parse::lang::validate_tag;
/// assert_eq!(validate_tag("ja-jp").unwrap(), "ja-JP");
/// assert_eq!(validate_tag("zh-Hant-TW").unwrap(), "zh-Hant-TW");
/// assert_eq!(validate_tag("es-419").unwrap(), "es-419");
/// assert!(validate_tag("japanese").is_err());
/// assert!(validate_tag("").is_err());
/// assert!(validate_tag("x").is_err());
/// ```
pub fn validate_tag(tag: &str) -> Result<String, String> {
    let t = tag.trim();
    if t.is_empty() {
        return Err("an empty language tag".into());
    }
    let subtags: Vec<&str> = t.split(['-', '_']).collect();
    let alpha = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphabetic());
    let alnum = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let lang = subtags[0];
    if !(alpha(lang) && (2..=3).contains(&lang.len())) {
        return Err(format!(
            "the language subtag `{lang}` is not 2 or 3 letters (an ISO 639 code such as ja, de or fil)"
        ));
    }
    // language [-extlang{1,3}] [-script] [-region] [-variant]* [-singleton-ext]* [-x-private]
    let mut i = 1;
    let mut extlangs = 0;
    while lang.len() <= 3
        && extlangs < 3
        && subtags.get(i).is_some_and(|s| alpha(s) && s.len() == 3)
    {
        i += 1;
        extlangs += 1;
    }
    if subtags.get(i).is_some_and(|s| alpha(s) && s.len() == 4) {
        i += 1;
    }
    if subtags
        .get(i)
        .is_some_and(|s| (alpha(s) && s.len() == 2) || (digits(s) && s.len() == 3))
    {
        i += 1;
    }
    while subtags.get(i).is_some_and(|s| {
        alnum(s)
            && ((5..=8).contains(&s.len()) || (s.len() == 4 && s.as_bytes()[0].is_ascii_digit()))
    }) {
        i += 1;
    }
    while let Some(s) = subtags.get(i) {
        if !(s.len() == 1 && alnum(s)) {
            break;
        }
        let private = s.eq_ignore_ascii_case("x");
        let range = if private { 1..=8 } else { 2..=8 };
        let mut n = 0;
        while subtags
            .get(i + 1 + n)
            .is_some_and(|e| alnum(e) && range.contains(&e.len()) && (private || e.len() > 1))
        {
            n += 1;
        }
        if n == 0 {
            return Err(format!("the singleton `{s}` is not followed by a subtag"));
        }
        i += 1 + n;
        if private {
            break;
        }
    }
    match subtags.get(i) {
        None => Ok(normalize_tag(t)),
        Some(&"") => Err("an empty subtag (two `-` in a row, or one at an end)".into()),
        Some(s) => Err(format!(
            "`{s}` is not a script (4 letters), region (2 letters or 3 digits) or variant (5 to 8 letters and digits) subtag in its place"
        )),
    }
}

/// Whether two tags can name the same language: the same language
/// subtag, and the same script and region where both have one
/// (case-insensitive; `ja` and `ja-JP` agree, `de-DE` and `de-AT` do not).
///
/// ```
/// use tmex::parse::lang::agree;
/// assert!(agree("ja", "ja-jp"));
/// assert!(!agree("ja-JP", "de-DE"));
/// assert!(!agree("zh-Hans-CN", "zh-Hant-CN"));
/// ```
pub fn agree(a: &str, b: &str) -> bool {
    // (language, script, region) of a normalised tag.
    fn parts(t: &str) -> (String, Option<String>, Option<String>) {
        let norm = normalize_tag(t).to_ascii_lowercase();
        let mut it = norm.split('-');
        let lang = it.next().unwrap_or_default().to_string();
        let (mut script, mut region) = (None, None);
        for s in it {
            let alpha = s.bytes().all(|b| b.is_ascii_alphabetic());
            if alpha && s.len() == 4 && script.is_none() && region.is_none() {
                script = Some(s.to_string());
            } else if region.is_none()
                && ((alpha && s.len() == 2)
                    || (s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit())))
            {
                region = Some(s.to_string());
            } else {
                break;
            }
        }
        (lang, script, region)
    }
    let (a, b) = (parts(a), parts(b));
    let same = |x: &Option<String>, y: &Option<String>| match (x, y) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    };
    a.0 == b.0 && same(&a.1, &b.1) && same(&a.2, &b.2)
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
    fn validates_bcp47_well_formedness() {
        for ok in [
            "ja",
            "ja-JP",
            "ja_jp",
            "zh-Hant-TW",
            "sr-Latn-RS",
            "es-419",
            "fil-PH",
            "zh-yue-HK",
            "de-CH-1901",
            "en-US-x-twain",
            "de-DE-u-co-phonebk",
            "sl-rozaj-biske",
        ] {
            assert!(validate_tag(ok).is_ok(), "{ok}: {:?}", validate_tag(ok));
        }
        assert_eq!(validate_tag(" ja-jp ").unwrap(), "ja-JP");
        for bad in [
            "",
            " ",
            "x",
            "japanese",
            "english",
            "j",
            "ja-",
            "-ja",
            "ja--JP",
            "ja-JPN1",
            "ja-J",
            "en-US-x",
            "de-u",
            "1a",
            "ja-JP-Hant",
            "ja JP",
            "日本語",
        ] {
            assert!(validate_tag(bad).is_err(), "{bad} passed");
        }
    }

    #[test]
    fn tag_shape() {
        assert!(is_tag("en-US"));
        assert!(is_tag("zh-Hant-TW"));
        assert!(!is_tag("english"));
        assert!(!is_tag(""));
    }
}
