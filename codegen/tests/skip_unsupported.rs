//! Partial generation (`Options::skip_unsupported`, issue 8) on `fixtures/skip/`: strict
//! mode refuses the document; skip mode leaves out exactly the operations and schemas with
//! a problem, and what needs them, one warning per problem, and generates the rest. On
//! every good fixture and on the bundled spec, skip mode changes nothing and warns nothing.
//! (`xtask/tests/standalone_crates.rs` compiles the skip-mode crate under clippy.)

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] fns"
)]

use std::path::{Path, PathBuf};

use codegen::{Generated, Input, ItemKind, Options};

const SKIP: Options = Options {
    skip_unsupported: true,
};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn run(path: &Path, name: &str, options: &Options) -> Result<Generated, codegen::Errors> {
    let text = std::fs::read(path).unwrap();
    let input = Input {
        file_name: name,
        text: &text,
    };
    codegen::generate_with_options(&input, None, options)
}

fn partial(options: &Options) -> Result<Generated, codegen::Errors> {
    run(
        &fixtures().join("skip/partial.yaml"),
        "partial.yaml",
        options,
    )
}

fn file<'a>(generated: &'a Generated, rel_path: &str) -> &'a str {
    &generated
        .files
        .iter()
        .find(|f| f.rel_path == rel_path)
        .unwrap_or_else(|| panic!("no {rel_path}"))
        .contents
}

#[test]
fn strict_mode_refuses_the_document() {
    let errors = partial(&Options::default()).unwrap_err();
    assert_eq!(
        errors.to_string(),
        "partial.yaml: #/components/schemas/Typo/type: schema type `strin` is not an OpenAPI \
         3.0 type; expected one of string, number, integer, boolean, array, object (with \
         `nullable: true` for null)"
    );
    // The same through `generate`, which has no options.
    let text = std::fs::read(fixtures().join("skip/partial.yaml")).unwrap();
    let input = Input {
        file_name: "partial.yaml",
        text: &text,
    };
    assert!(codegen::generate(&input).is_err());
}

#[test]
fn skip_mode_warns_once_per_problem_and_generates_the_rest() {
    let generated = partial(&SKIP).unwrap_or_else(|e| panic!("{e}"));
    let lines: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    let needs = |target: &str| {
        format!("#/components/schemas/{target} is skipped (see its warning); expected every schema this needs to generate")
    };
    let not = "`not` is not supported; expected a schema without `not`";
    let json = "responses/200/content/application~1json/schema";
    assert_eq!(
        lines,
        [
            format!("partial.yaml: #/components/schemas/Album/properties/needs: {}; skipped schema #/components/schemas/Album", needs("NeedsBad")),
            format!("partial.yaml: #/components/schemas/Bad/properties/value: {not}; skipped schema #/components/schemas/Bad"),
            format!("partial.yaml: #/components/schemas/NeedsBad/properties/bad: {}; skipped schema #/components/schemas/NeedsBad", needs("Bad")),
            "partial.yaml: #/components/schemas/Typo/type: schema type `strin` is not an OpenAPI 3.0 type; expected one of string, number, integer, boolean, array, object (with `nullable: true` for null); skipped schema #/components/schemas/Typo".to_owned(),
            format!("partial.yaml: #/paths/~1needs-bad/get/{json}: {}; skipped operation #/paths/~1needs-bad/get", needs("NeedsBad")),
            format!("partial.yaml: #/paths/~1negated/get/{json}: {not}; skipped operation #/paths/~1negated/get"),
            format!("partial.yaml: #/paths/~1typo/post/requestBody/content/application~1json/schema: {}; skipped operation #/paths/~1typo/post", needs("Typo")),
        ],
        "{lines:#?}"
    );
    // As data: every warning skips one item, of the kind its pointer says.
    for w in &generated.warnings {
        let [item] = w.skipped.as_slice() else {
            panic!("{w}")
        };
        let kind = if item.at.tokens()[0] == "paths" {
            ItemKind::Operation
        } else {
            ItemKind::Schema
        };
        assert_eq!(item.kind, kind, "{w}");
        assert!(w.problem.pointer.starts_with(&item.at), "{w}");
    }

    let models = file(&generated, "models.rs");
    let operations = file(&generated, "operations.rs");
    assert!(models.contains("pub struct Good {"), "{models}");
    assert!(
        operations.contains("pub fn get_good(&self)"),
        "{operations}"
    );
    for absent in ["Album", "Bad", "Typo"] {
        assert!(!models.contains(absent), "{absent} in models.rs:\n{models}");
    }
    for absent in [
        "negated",
        "Negated",
        "needs_bad",
        "NeedsBad",
        "typo",
        "Typo",
    ] {
        assert!(
            !operations.contains(absent),
            "{absent} in operations.rs:\n{operations}"
        );
    }
}

#[test]
fn skip_mode_changes_nothing_where_strict_mode_generates() {
    let mut specs: Vec<(PathBuf, String)> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (p, name)
        })
        .collect();
    assert!(specs.len() > 10, "{specs:?}");
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/atlas-admin-v2.yaml");
    specs.push((bundled, "spec/atlas-admin-v2.yaml".to_owned()));
    for (path, name) in &specs {
        let strict = run(path, name, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
        let skipping = run(path, name, &SKIP).unwrap_or_else(|e| panic!("{e}"));
        assert!(strict.warnings.is_empty(), "{name}");
        assert!(
            skipping.warnings.is_empty(),
            "{name}: {:?}",
            skipping.warnings
        );
        assert_eq!(strict.files, skipping.files, "{name}");
    }
}

#[test]
fn problems_of_the_whole_document_still_stop_skip_mode() {
    let text = b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      \
                 operationId: a\n      parameters:\n        - $ref: '#/components/parameters/Nope'\n      \
                 responses: {'200': {description: ok}}\ncomponents:\n  parameters:\n    \
                 Broken: {$ref: '#/components/parameters/Gone'}\n";
    let input = Input {
        file_name: "doc.yaml",
        text,
    };
    let errors = codegen::generate_with_options(&input, None, &SKIP).unwrap_err();
    let message = errors.to_string();
    assert!(
        message.starts_with("doc.yaml: #/components/parameters/Broken/$ref: $ref target"),
        "{message}"
    );
    assert!(
        !message.contains("#/paths"),
        "only the document's problems: {message}"
    );
}
