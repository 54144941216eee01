//! Front matter: the YAML block between `---` lines at the top of a `.md`
//! file, or the `metadata:` mapping of a `.yml` YamlMime file.
//!
//! Parsed with `yaml-rust2`'s event parser (a maintained, safe-Rust YAML 1.2
//! parser). Only scalar values are kept, so aliases are never expanded: a
//! "billion laughs" document costs nothing. Invalid YAML gives a diagnostic
//! and an empty [`FrontMatter`]; the spans of the file are still extracted.

use crate::model::{Container, FrontMatter, TranslationType};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A front-matter problem: 1-based line in the file and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    /// 1-based line in the physical file.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

/// Reads the front matter of a file's text.
pub fn parse_front_matter(
    text: &str,
    container: Container,
) -> (FrontMatter, Option<FrontMatterError>) {
    match container {
        Container::Yaml => parse_yaml(text, 0, Some("metadata")),
        Container::Markdown | Container::Xml => match split_front_matter(text) {
            FrontSplit::None => (FrontMatter::default(), None),
            FrontSplit::Unclosed => (
                FrontMatter::default(),
                Some(FrontMatterError {
                    line: 1,
                    column: 1,
                    message: "front matter opened with `---` on line 1 is never closed".into(),
                }),
            ),
            FrontSplit::Block { yaml, first_line } => parse_yaml(yaml, first_line, None),
        },
    }
}

enum FrontSplit<'a> {
    None,
    Unclosed,
    /// The YAML text and the 0-based line of the file where it starts.
    Block {
        yaml: &'a str,
        first_line: usize,
    },
}

/// Finds `---\n … \n---` (or `...`) at the very top of a markdown file.
fn split_front_matter(text: &str) -> FrontSplit<'_> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return FrontSplit::None;
    }
    let start = first.len();
    let mut pos = start;
    for line in lines {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            return FrontSplit::Block {
                yaml: &text[start..pos],
                first_line: 1,
            };
        }
        pos += line.len();
    }
    FrontSplit::Unclosed
}

fn parse_yaml(
    yaml: &str,
    line_offset: usize,
    under: Option<&str>,
) -> (FrontMatter, Option<FrontMatterError>) {
    let mut rx = Collector {
        under,
        ..Collector::default()
    };
    let mut parser = Parser::new_from_str(yaml);
    let err = parser.load(&mut rx, false).err().map(|e| FrontMatterError {
        line: crate::parse::decode::clamp(e.marker().line() + line_offset),
        column: crate::parse::decode::clamp(e.marker().col() + 1),
        message: format!("invalid YAML front matter: {}", e.info()),
    });
    let mut fm = FrontMatter {
        present: rx.saw_mapping && (under.is_none() || rx.saw_under),
        ..FrontMatter::default()
    };
    let fields = if err.is_some() {
        lenient_fields(yaml, under)
    } else {
        rx.fields
    };
    if err.is_some() {
        fm.present = true;
    }
    for (k, v) in fields {
        fm.fields.entry(k).or_insert(v);
    }
    let get = |k: &str| {
        fm.fields
            .get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    fm.content_locale = get("ms.contentlocale");
    fm.translation_type = get("ms.translationtype").and_then(|v| TranslationType::parse(&v));
    fm.locfileid = get("ms.locfileid");
    fm.sourcegitcommit = get("ms.sourcegitcommit");
    fm.title = get("title");
    (fm, err)
}

/// Reads `key: value` lines the simple way, for front matter that is not
/// valid YAML: so that `ms.contentlocale` and friends are still known. Only
/// unindented lines (indented by two spaces under `under`) are read; quotes
/// around a value are removed.
fn lenient_fields(yaml: &str, under: Option<&str>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut inside = under.is_none();
    for line in yaml.lines() {
        let indent = line.len() - line.trim_start().len();
        if let Some(u) = under {
            if indent == 0 {
                inside = line.trim_end().strip_suffix(':') == Some(u);
                continue;
            }
            if !inside || indent != 2 {
                continue;
            }
        } else if indent != 0 {
            continue;
        }
        if let Some((k, v)) = line.trim().split_once(':') {
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(v);
            if !k.is_empty() && !k.contains(' ') {
                out.push((k.to_string(), v.to_string()));
            }
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// A mapping; `true` when the next scalar is a key.
    Map {
        expect_key: bool,
        collect: bool,
    },
    Seq,
}

/// Receives parser events and keeps scalar `key: value` pairs at the level
/// that holds the metadata.
#[derive(Default)]
struct Collector<'a> {
    under: Option<&'a str>,
    stack: Vec<Frame>,
    key: Option<String>,
    /// The key whose value the next container is, at the top level.
    top_key: Option<String>,
    fields: Vec<(String, String)>,
    saw_mapping: bool,
    saw_under: bool,
}

impl Collector<'_> {
    /// Called when a value (scalar, alias or container) ends a `key: value` pair.
    fn value_done(&mut self) {
        if let Some(Frame::Map { expect_key, .. }) = self.stack.last_mut() {
            *expect_key = true;
        }
    }

    fn open(&mut self, frame: Frame) {
        let depth = self.stack.len();
        let collect = match (frame, self.under) {
            (Frame::Map { .. }, None) => depth == 0,
            (Frame::Map { .. }, Some(u)) => depth == 1 && self.top_key.as_deref() == Some(u),
            _ => false,
        };
        if let Frame::Map { .. } = frame {
            self.saw_mapping = true;
            if collect && self.under.is_some() {
                self.saw_under = true;
            }
        }
        self.stack.push(match frame {
            Frame::Map { .. } => Frame::Map {
                expect_key: true,
                collect,
            },
            Frame::Seq => Frame::Seq,
        });
    }
}

impl MarkedEventReceiver for Collector<'_> {
    fn on_event(&mut self, ev: Event, _mark: Marker) {
        match ev {
            Event::MappingStart(..) => self.open(Frame::Map {
                expect_key: true,
                collect: false,
            }),
            Event::SequenceStart(..) => self.open(Frame::Seq),
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                if self.stack.len() <= 1 {
                    self.top_key = None;
                }
                self.value_done();
            }
            Event::Scalar(value, ..) => match self.stack.last().copied() {
                Some(Frame::Map {
                    expect_key: true, ..
                }) => {
                    if self.stack.len() == 1 {
                        self.top_key = Some(value.clone());
                    }
                    self.key = Some(value);
                    if let Some(Frame::Map { expect_key, .. }) = self.stack.last_mut() {
                        *expect_key = false;
                    }
                }
                Some(Frame::Map {
                    expect_key: false,
                    collect,
                }) => {
                    if let (true, Some(k)) = (collect, self.key.take()) {
                        self.fields.push((k, value));
                    }
                    self.value_done();
                }
                _ => {}
            },
            Event::Alias(_) => self.value_done(),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_front_matter() {
        let text = "---\r\ntitle: Titel\r\nms.contentlocale: de-DE\r\nms.translationtype: HT\r\nms.locfileid: \"123\"\r\nlist:\r\n  - a\r\nauthor: x\r\n---\nbody";
        let (fm, err) = parse_front_matter(text, Container::Markdown);
        assert!(err.is_none());
        assert!(fm.present);
        assert_eq!(fm.title.as_deref(), Some("Titel"));
        assert_eq!(fm.content_locale.as_deref(), Some("de-DE"));
        assert_eq!(fm.translation_type, Some(TranslationType::Ht));
        assert_eq!(fm.locfileid.as_deref(), Some("123"));
        assert_eq!(fm.fields.get("author").map(String::as_str), Some("x"));
        assert!(!fm.fields.contains_key("list"));
    }

    #[test]
    fn no_front_matter() {
        let (fm, err) = parse_front_matter("# Title\n---\n", Container::Markdown);
        assert!(!fm.present && err.is_none());
    }

    #[test]
    fn invalid_front_matter_has_a_line() {
        let (_, err) = parse_front_matter(
            "---\ntitle: a\nbad: [unclosed\nx: y\n---\n",
            Container::Markdown,
        );
        let err = err.expect("error");
        assert!(err.line >= 2, "{err:?}");
        assert!(err.message.contains("invalid YAML"));
        let (fm, _) = parse_front_matter(
            "---\ntitle: \"a\nms.contentlocale: fr-FR\nms.translationtype: MT\nx: [\n---\n",
            Container::Markdown,
        );
        assert_eq!(
            fm.content_locale.as_deref(),
            Some("fr-FR"),
            "lenient fallback"
        );
        assert_eq!(fm.translation_type, Some(TranslationType::Mt));
    }

    #[test]
    fn unclosed_front_matter() {
        let (_, err) = parse_front_matter("---\ntitle: a\n", Container::Markdown);
        assert_eq!(err.expect("error").line, 1);
    }

    #[test]
    fn yaml_metadata_mapping() {
        let text = "### YamlMime:Tutorial\ntitle: top\nmetadata:\n  title: meta\n  ms.contentlocale: de-DE\n  nested:\n    ms.contentlocale: xx\nitems:\n- title: no\n";
        let (fm, err) = parse_front_matter(text, Container::Yaml);
        assert!(err.is_none());
        assert!(fm.present);
        assert_eq!(fm.title.as_deref(), Some("meta"));
        assert_eq!(fm.content_locale.as_deref(), Some("de-DE"));
    }

    #[test]
    fn billion_laughs_is_cheap() {
        let mut y = String::from("---\na: &a [\"lol\",\"lol\"]\n");
        for i in 0..30 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            };
            y.push_str(&format!("b{i}: &b{i} [*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        y.push_str("ms.contentlocale: ja-JP\n---\n");
        let (fm, err) = parse_front_matter(&y, Container::Markdown);
        assert!(err.is_none(), "{err:?}");
        assert_eq!(fm.content_locale.as_deref(), Some("ja-JP"));
    }
}
