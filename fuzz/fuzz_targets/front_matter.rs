//! Front matter (`---` YAML block of `.md`/`.xml`, `metadata:` of `.yml`):
//! arbitrary text read as each container must not panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tmex::parse::front::parse_front_matter;
use tmex::Container;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for container in [Container::Markdown, Container::Yaml, Container::Xml] {
        let (fm, err) = parse_front_matter(&text, container);
        if let Some(e) = err {
            assert!(
                e.line >= 1 && e.column >= 1,
                "error at {}:{}",
                e.line,
                e.column
            );
            assert!(!e.message.is_empty());
        }
        if !fm.present {
            assert!(fm.fields.is_empty(), "fields without front matter");
        }
    }
});
