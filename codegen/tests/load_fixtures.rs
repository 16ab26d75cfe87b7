//! The load stage on what vendors publish: OpenAPI 3.1 (`fixtures/load/oas31/*.yaml`),
//! `$ref`s to any JSON pointer (`fixtures/load/pointers/*.yaml`) and descriptions spread
//! over many files (`fixtures/load/multi/<name>/openapi.yaml` and the files beside it).
//!
//! Every good fixture is read through an in-memory [`MemoryFiles`] of its directory and
//! records the loaded document (normalised to OpenAPI 3.0, bundled into one file: what
//! every later stage reads) and, for 3.1 and pointer fixtures, its IR, as snapshots; then
//! the whole pipeline must generate it. Bad multi-file cases (`fixtures/load/bad/<case>/openapi.yaml`) snapshot
//! their error text, which must name a file and a pointer or `line:col`.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers: a failed expectation should panic"
)]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::Path;

use codegen::load::{load_with_files, Loaded};
use codegen::{Errors, Files, Input, MemoryFiles, ReadError, Source};

/// Every file under `dir`, by logical path (`/`-separated, relative to `dir`).
fn tree(dir: &Path) -> MemoryFiles {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).unwrap();
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.insert(rel.join("/"), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    MemoryFiles(files)
}

/// How errors name a fixture file: `fixtures/load/multi/droplets/openapi.yaml`.
fn display_name(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let at = s.find("fixtures/load/").unwrap();
    s.get(at..).unwrap().to_owned()
}

/// A source that remembers every path it was asked for.
struct Recording<'a> {
    inner: &'a dyn Source,
    asked: RefCell<Vec<String>>,
}

impl Source for Recording<'_> {
    fn read(&self, path: &str) -> Result<Vec<u8>, ReadError> {
        self.asked.borrow_mut().push(path.to_owned());
        self.inner.read(path)
    }
}

/// Runs `f` on the root document `path` and the files of `source`.
fn with_fixture<T>(
    path: &Path,
    source: &dyn Source,
    f: impl FnOnce(&Input<'_>, &Files<'_>) -> T,
) -> T {
    let name = display_name(path);
    let text = std::fs::read(path).unwrap();
    let input = Input {
        file_name: &name,
        text: &text,
    };
    let files = Files {
        source,
        allow_outside: false,
    };
    f(&input, &files)
}

fn load_fixture(path: &Path, source: &dyn Source) -> Result<Loaded, Errors> {
    with_fixture(path, source, load_with_files)
}

fn generate_fixture(path: &Path, source: &dyn Source) -> Result<(), Errors> {
    with_fixture(path, source, |input, files| {
        codegen::generate_with_files(input, files).map(drop)
    })
}

fn good(group: &str, path: &Path) {
    let name = display_name(path);
    let files = tree(path.parent().unwrap());
    let recording = Recording {
        inner: &files,
        asked: RefCell::new(Vec::new()),
    };
    let loaded = load_fixture(path, &recording).unwrap_or_else(|e| panic!("{name}:\n{e}"));
    for asked in recording.asked.borrow().iter() {
        assert!(
            !asked.starts_with("../") && !asked.starts_with('/'),
            "{name}: asked for {asked}, outside the fixture's directory"
        );
    }
    // Later stages only ever meet references to whole components.
    let raw = serde_json::to_string(&loaded.raw).unwrap();
    for part in raw.split("\"$ref\":\"").skip(1) {
        let target = part.split('"').next().unwrap();
        let tokens: Vec<&str> = target.split('/').collect();
        assert!(
            tokens.len() == 4
                && tokens.first() == Some(&"#")
                && tokens.get(1) == Some(&"components"),
            "{name}: $ref {target} left in the loaded document"
        );
    }
    assert!(loaded.doc.openapi.starts_with("3.0."), "{name}");
    insta::assert_yaml_snapshot!(format!("{group}_loaded"), loaded.raw);
    let document = codegen::document::Document::new(&loaded.doc, &loaded.raw, &name);
    let valid = codegen::validate::validate(document)
        .unwrap_or_else(|e| panic!("{name} does not validate:\n{e}"));
    let ir =
        codegen::lower::lower(&valid).unwrap_or_else(|e| panic!("{name} does not lower:\n{e}"));
    // A multi-file fixture's IR is ordinary lowering; its concern is the bundled document.
    if group != "multi" {
        insta::assert_yaml_snapshot!(format!("{group}_ir"), ir);
    }
    generate_fixture(path, &files).unwrap_or_else(|e| panic!("{name} does not generate:\n{e}"));
}

#[test]
fn openapi_31() {
    insta::glob!("fixtures/load/oas31/*.yaml", |path| good("oas31", path));
}

#[test]
fn refs_to_any_pointer() {
    insta::glob!("fixtures/load/pointers/*.yaml", |path| good(
        "pointers", path
    ));
}

#[test]
fn multi_file() {
    insta::glob!("fixtures/load/multi/*/openapi.yaml", |path| good(
        "multi", path
    ));
}

/// `{file}: #…` or `{file}:{line}:{col}: …`, for a file of the fixture.
fn names_a_place(message: &str) -> bool {
    let Some((file, rest)) = message.split_once(": ").or_else(|| message.split_once(':')) else {
        return false;
    };
    if !file.starts_with("fixtures/load/bad/") {
        return false;
    }
    if rest.starts_with('#') {
        return true;
    }
    let mut parts = file.rsplitn(3, ':');
    let col = parts.next().unwrap_or_default();
    let line = parts.next().unwrap_or_default();
    [line, col]
        .iter()
        .all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
}

#[test]
fn bad_multi_file() {
    insta::glob!("fixtures/load/bad/*/openapi.yaml", |path| {
        let name = display_name(path);
        let files = tree(path.parent().unwrap());
        let errors = match generate_fixture(path, &files) {
            Ok(()) => panic!("{name}: accepted, but it is a bad case"),
            Err(errors) => errors,
        };
        for e in &errors {
            let message = e.to_string();
            assert!(names_a_place(&message), "no file and place: {message}");
            assert!(
                !message.ends_with('.') && !message.contains('\n'),
                "{message}"
            );
        }
        insta::assert_snapshot!(errors.to_string());
    });
}

#[test]
fn references_outside_the_tree_load_only_when_allowed() {
    let root = b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  \
                 schemas:\n    Pet: {$ref: '../common/pet.yaml'}\n";
    let files = MemoryFiles::new([("../common/pet.yaml", b"type: object\n".as_slice())]);
    let input = Input {
        file_name: "api/openapi.yaml",
        text: root,
    };
    let recording = Recording {
        inner: &files,
        asked: RefCell::new(Vec::new()),
    };
    let denied = Files {
        source: &recording,
        allow_outside: false,
    };
    let e = load_with_files(&input, &denied).unwrap_err().to_string();
    assert_eq!(
        e,
        "api/openapi.yaml: #/components/schemas/Pet/$ref: $ref ../common/pet.yaml leads to \
         common/pet.yaml, outside the directory of the root document; expected a file in that \
         directory or below it (or allow references outside it)"
    );
    assert!(
        recording.asked.borrow().is_empty(),
        "the file was read anyway"
    );
    let allowed = Files {
        source: &files,
        allow_outside: true,
    };
    let loaded = load_with_files(&input, &allowed).unwrap();
    assert_eq!(
        loaded.raw["components"]["schemas"]["pet"],
        serde_json::json!({"type": "object"})
    );
    assert_eq!(
        loaded.raw["components"]["schemas"]["Pet"],
        serde_json::json!({"$ref": "#/components/schemas/pet"})
    );
}

#[test]
fn single_document_entry_points_are_unchanged() {
    // `generate` (no files) still reports a file reference as before, without reading.
    let text = b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  \
                 schemas:\n    Pet: {$ref: 'pet.yaml'}\n";
    let e = codegen::generate(&Input {
        file_name: "api.yaml",
        text,
    })
    .unwrap_err()
    .to_string();
    assert!(
        e.starts_with(
            "api.yaml: #/components/schemas/Pet/$ref: external $ref pet.yaml is not supported"
        ),
        "{e}"
    );
}

/// The bundled spec loads to the same document with or without a file source, and the
/// loader leaves a 3.0 document without such references exactly as it was.
#[test]
fn a_plain_30_document_is_untouched() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/atlas-admin-v2.yaml");
    let text = std::fs::read(&path).unwrap();
    let input = Input {
        file_name: "spec/atlas-admin-v2.yaml",
        text: &text,
    };
    let plain: serde_json::Value = serde_yaml::from_slice(&text).unwrap();
    let single = codegen::load::load(&input).unwrap();
    let files = MemoryFiles::default();
    let with_files = load_with_files(
        &input,
        &Files {
            source: &files,
            allow_outside: false,
        },
    )
    .unwrap();
    assert_eq!(single.raw, plain);
    assert_eq!(with_files.raw, plain);
    assert!(single.origins.is_empty() && with_files.origins.is_empty());
    assert_eq!(single.version, "3.0.3");
}

/// Keys under which mapping order is meaningful or the value is data.
const KEEP_ORDER: &[&str] = &[
    "properties",
    "mapping",
    "example",
    "examples",
    "default",
    "value",
];

fn reversed(v: serde_yaml::Value) -> serde_yaml::Value {
    match v {
        serde_yaml::Value::Mapping(m) => {
            let mut entries: Vec<(serde_yaml::Value, serde_yaml::Value)> = m.into_iter().collect();
            entries.reverse();
            entries
                .into_iter()
                .map(|(k, val)| {
                    let keep = k.as_str().is_some_and(|k| KEEP_ORDER.contains(&k));
                    let val = if keep { val } else { reversed(val) };
                    (k, val)
                })
                .collect::<serde_yaml::Mapping>()
                .into()
        }
        serde_yaml::Value::Sequence(s) => s.into_iter().map(reversed).collect(),
        other => other,
    }
}

/// Component keys and rewritten references do not depend on the order of mapping keys in
/// any file.
#[test]
fn bundling_does_not_depend_on_key_order() {
    for dir in ["multi/droplets", "pointers", "oas31"] {
        let base = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/load")
            .join(dir);
        let files = tree(&base);
        let flipped = MemoryFiles(
            files
                .0
                .iter()
                .map(|(p, text)| {
                    let v: serde_yaml::Value = serde_yaml::from_slice(text).unwrap();
                    (
                        p.clone(),
                        serde_yaml::to_string(&reversed(v)).unwrap().into_bytes(),
                    )
                })
                .collect(),
        );
        let roots: Vec<&String> = if dir.starts_with("multi") {
            files.0.keys().filter(|p| *p == "openapi.yaml").collect()
        } else {
            files.0.keys().collect()
        };
        for root in roots {
            let load = |files: &MemoryFiles| {
                let input = Input {
                    file_name: root,
                    text: files.0.get(root).unwrap(),
                };
                let source = Files {
                    source: files,
                    allow_outside: false,
                };
                load_with_files(&input, &source).unwrap_or_else(|e| panic!("{root}: {e}"))
            };
            let (a, b) = (load(&files), load(&flipped));
            let sorted = |v: &serde_json::Value| -> BTreeMap<String, serde_json::Value> {
                let mut flat = BTreeMap::new();
                flatten(v, String::new(), &mut flat);
                flat
            };
            assert_eq!(sorted(&a.raw), sorted(&b.raw), "{dir}/{root}");
        }
    }
}

/// Every leaf by its pointer (so two documents compare without regard to key order).
fn flatten(v: &serde_json::Value, at: String, out: &mut BTreeMap<String, serde_json::Value>) {
    match v {
        serde_json::Value::Object(m) if !m.is_empty() => {
            for (k, v) in m {
                flatten(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        serde_json::Value::Array(items) if !items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                flatten(v, format!("{at}/{i}"), out);
            }
        }
        leaf => {
            out.insert(at, leaf.clone());
        }
    }
}
