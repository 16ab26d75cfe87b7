//! Stage 1, load: bytes → [`Loaded`] (`openapiv3::OpenAPI` plus the document as JSON),
//! one self-contained OpenAPI 3.0 document whatever the description was written as.
//!
//! Input: [`crate::Input`] (YAML or JSON bytes) and, for a description spread over several
//! files, [`Files`] (how to read the others; see [`source`]). Output: the typed document,
//! or the problem that stops us reading it, naming a `line:col` (syntax) or a JSON pointer.
//! (There is only ever one: nothing after a failed step can be trusted. `validate`
//! reports all.)
//!
//! Order of steps:
//! 1. text (UTF-8, no NUL) → not empty → syntax, into a generic value with a depth limit
//!    (so nothing downstream can overflow the stack);
//! 2. `openapi: 3.0.x` or `3.1.x`;
//! 3. with [`Files`]: every `$ref` to another file resolved and its target made a
//!    component (`bundle`); without, such references are left for `validate` to report;
//! 4. every `$ref` to a node that is not a whole component hoisted into the components,
//!    path-item and callback `$ref`s written out (`hoist`), so later stages only meet
//!    `#/components/{section}/{key}`; a schema `$ref` to a response or parameter with one
//!    schema is pointed at that schema first (`retarget`);
//! 5. a 3.1 document normalised to the 3.0 model (`oas31`, `schema31`: what is read,
//!    what is dropped, what is refused); a 3.0 document is not touched by this step;
//! 6. shape (`openapiv3` via `serde_path_to_error`, so errors name a pointer).
//!
//! A 3.0 document without references to other files or into the middle of objects comes
//! out exactly as it went in. Problems found at a moved node are reported where it was
//! written ([`Origins`]).

mod bundle;
mod hoist;
mod keys;
mod oas31;
mod origins;
mod position;
mod problem;
mod reference;
mod retarget;
mod schema31;
mod shape;
pub mod source;
mod syntax;
mod text;
mod type_lists;

use serde_json::Value;

use crate::error::{Error, ErrorKind, Errors};
use crate::pointer::JsonPointer;
use crate::Input;
pub use origins::Origins;
use position::Dialect;
use problem::Problem;
pub use source::{Files, MemoryFiles, ReadError, Source};
pub use syntax::MAX_DEPTH;

/// A loaded document.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The typed document.
    pub doc: openapiv3::OpenAPI,
    /// The same document as JSON, in document order (YAML keys such as `200` become
    /// strings), for `validate` and for extension lookups. For a 3.1 or multi-file
    /// description, the normalised, bundled document.
    pub raw: Value,
    /// The `openapi` version the description was written in (`3.1.0`); `doc.openapi`
    /// says `3.0.3` after normalising a 3.1 document.
    pub version: String,
    /// Where moved nodes were written, to report problems there.
    pub origins: Origins,
}

/// Reads a single-document description. See the module docs for the order of checks.
/// References to other files are left in place (`validate` reports them).
pub fn load(input: &Input<'_>) -> Result<Loaded, Errors> {
    load_described(input, None)
}

/// Reads a description whose `$ref`s may lead to other files, read through `files`.
pub fn load_with_files(input: &Input<'_>, files: &Files<'_>) -> Result<Loaded, Errors> {
    load_described(input, Some(files))
}

fn load_described(input: &Input<'_>, files: Option<&Files<'_>>) -> Result<Loaded, Errors> {
    let file = input.file_name;
    let fail =
        |pointer: JsonPointer, kind: ErrorKind| Errors::from(Error::new(file, pointer, kind));

    let mut raw =
        text::parse_text(input.text, file.ends_with(".json")).map_err(|(p, k)| fail(p, k))?;
    let dialect = check_version(&raw).map_err(|(pointer, kind)| fail(pointer, kind))?;
    let version = raw
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut origins = Origins::new(file);
    let mut sites = Some(position::sites(
        &raw,
        JsonPointer::root(),
        position::Ctx::Document,
        dialect,
    ));
    if let (Some(files), Some(found)) = (files, &sites) {
        let root_path = file.rsplit(['/', '\\']).next().unwrap_or(file);
        if let Some(moved) = bundle::bundle(&mut raw, found, root_path, file, files, dialect)? {
            // The references changed: `hoist` looks again.
            sites = None;
            origins.extend(moved);
            if let Some(at) = too_deep(&raw) {
                let e = Error::new(file, at, ErrorKind::TooDeep { limit: MAX_DEPTH });
                return Err(origins.relocate(e).into());
            }
        }
    }
    let relocate = |origins: &Origins, (pointer, kind): Problem| {
        Errors::from(origins.relocate(Error::new(file, pointer, kind)))
    };
    let hoisted = hoist::hoist(&mut raw, file, dialect, sites).map_err(|e| origins.relocate(e))?;
    origins.extend(hoisted);
    if dialect == Dialect::V31 {
        oas31::normalise(&mut raw).map_err(|p| relocate(&origins, p))?;
    }
    let doc = shape::to_openapi(&raw).map_err(|p| relocate(&origins, p))?;
    Ok(Loaded {
        doc,
        raw,
        version,
        origins,
    })
}

/// The first node nested deeper than [`MAX_DEPTH`], if any (a bundled document puts
/// another file's nodes a few levels down). Iterative.
fn too_deep(root: &Value) -> Option<JsonPointer> {
    let mut stack = vec![(JsonPointer::root(), root, 0usize)];
    while let Some((at, node, depth)) = stack.pop() {
        let children: Vec<(String, &Value)> = match node {
            Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            _ => continue,
        };
        if depth + 1 > MAX_DEPTH {
            return Some(at);
        }
        for (token, child) in children.into_iter().rev() {
            stack.push((at.push(token), child, depth + 1));
        }
    }
    None
}

/// The `openapi` field must say 3.0.x or 3.1.x.
fn check_version(raw: &Value) -> Result<Dialect, Problem> {
    let root = JsonPointer::root();
    let Value::Object(map) = raw else {
        let reason = format!("the top level is {}, not a mapping", describe(raw));
        return Err((root, ErrorKind::NotOpenApi { reason }));
    };
    match map.get("openapi") {
        Some(Value::String(v)) if is_version(v, "3.0.") => Ok(Dialect::V30),
        Some(Value::String(v)) if is_version(v, "3.1.") => Ok(Dialect::V31),
        Some(Value::String(v)) => Err((
            root.push("openapi"),
            ErrorKind::UnsupportedVersion { found: v.clone() },
        )),
        Some(other) => {
            let found = format!("{other} ({}, not a string)", describe(other));
            Err((
                root.push("openapi"),
                ErrorKind::UnsupportedVersion { found },
            ))
        }
        None => match map.get("swagger") {
            Some(v) => {
                let found = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                Err((root.push("swagger"), ErrorKind::Swagger2 { found }))
            }
            None => {
                let reason = "it has no `openapi` field".to_owned();
                Err((root, ErrorKind::NotOpenApi { reason }))
            }
        },
    }
}

/// `{minor}<digits>` (`minor` is `3.0.`), optionally followed by a pre-release or build
/// suffix.
fn is_version(version: &str, minor: &str) -> bool {
    version
        .strip_prefix(minor)
        .and_then(|rest| rest.split(['-', '+']).next())
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a sequence",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(text: &str) -> Input<'_> {
        Input {
            file_name: "spec.yaml",
            text: text.as_bytes(),
        }
    }

    fn load_err(text: &[u8]) -> String {
        load(&Input {
            file_name: "spec.yaml",
            text,
        })
        .unwrap_err()
        .to_string()
    }

    const MINIMAL_YAML: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

    /// `levels` mappings, each under `items`, inside a schema component: the deepest
    /// document that still loads, to prove openapiv3 and drop stay within the stack.
    fn nested_schema(levels: usize) -> String {
        let mut schema = String::from("{\"type\": \"string\"}");
        for _ in 0..levels {
            schema = format!("{{\"type\": \"array\", \"items\": {schema}}}");
        }
        format!(
            "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \
             \"paths\": {{}}, \"components\": {{\"schemas\": {{\"A\": {schema}}}}}}}"
        )
    }

    #[test]
    fn yaml_and_json_load_to_the_same_raw() {
        let yaml = load(&input(MINIMAL_YAML)).unwrap();
        let json = load(&input(
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
        ))
        .unwrap();
        assert_eq!(yaml.raw, json.raw);
        assert_eq!(yaml.doc, json.doc);
        assert_eq!(yaml.doc.info.title, "t");
    }

    #[test]
    fn yaml_flow_mapping_that_is_not_json_still_loads() {
        let doc = load(&input(
            "{openapi: 3.0.3, info: {title: t, version: '1'}, paths: {}}",
        ))
        .unwrap();
        assert_eq!(doc.doc.openapi, "3.0.3");
    }

    #[test]
    fn numeric_and_boolean_keys_become_strings_in_document_order() {
        let text = format!("{MINIMAL_YAML}x-codes:\n  404: a\n  200: b\n  true: c\n  default: d\n");
        let loaded = load(&input(&text)).unwrap();
        let keys: Vec<&str> = loaded.raw["x-codes"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["404", "200", "true", "default"]);
    }

    #[test]
    fn yaml_response_code_keys_reach_openapiv3() {
        let text =
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      \
                    operationId: a\n      responses:\n        200: {description: ok}\n";
        let loaded = load(&input(text)).unwrap();
        let op = loaded.doc.paths.paths["/a"]
            .as_item()
            .unwrap()
            .get
            .as_ref()
            .unwrap();
        assert_eq!(op.responses.responses.len(), 1);
        assert!(loaded.raw.pointer("/paths/~1a/get/responses/200").is_some());
    }

    #[test]
    fn text_problems() {
        assert_eq!(
            load_err(b"\x00\x01"),
            "spec.yaml: #: the document is not text: it contains a NUL byte at offset 0; \
             expected a UTF-8 YAML or JSON document"
        );
        assert!(load_err(b"openapi: \xff").contains("byte 0xff at offset 9 is not valid UTF-8"));
        assert!(load_err(b"\xff\xfeo\x00").contains("UTF-16"));
        for empty in ["", " \n\t\r\n", "# only a comment\n", "---\n"] {
            assert_eq!(
                load_err(empty.as_bytes()),
                "spec.yaml: #: the document is empty; expected an OpenAPI 3.0 document",
                "{empty:?}"
            );
        }
        // A UTF-8 byte order mark is fine.
        load(&Input {
            file_name: "s",
            text: format!("\u{feff}{MINIMAL_YAML}").as_bytes(),
        })
        .unwrap();
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let e = load_err(b"openapi: 3.0.3\ninfo:\n  title: [unclosed\n");
        assert!(e.starts_with("spec.yaml:4:1: invalid YAML: "), "{e}");
        let json = b"{\n  \"openapi\": \"3.0.3\",\n  \"info\": }\n";
        let e = load(&Input {
            file_name: "spec.json",
            text: json,
        })
        .unwrap_err()
        .to_string();
        assert_eq!(e, "spec.json:3:11: invalid JSON: expected value");
        // Not a JSON file, and valid YAML: the YAML reading wins, so the problem is shape.
        assert_eq!(
            load_err(json),
            "spec.yaml: #/info: invalid type: null; expected an Info object"
        );
        let e = load_err(b"{\"openapi\": \"3.0.3\",, }");
        assert_eq!(e, "spec.yaml:1:21: invalid JSON: key must be a string");
        let e = load_err(b"openapi: 3.0.3\nopenapi: 3.0.3\n");
        assert_eq!(
            e,
            "spec.yaml:1:1: invalid YAML: duplicate key `openapi` in the mapping that starts here (#); \
             expected each key once"
        );
        let e = load_err(b"{\"a\": {\"b\": 1, \"b\": 2}}");
        assert_eq!(
            e,
            "spec.yaml:1:18: invalid JSON: duplicate key `b` in the mapping at #/a; expected each key once"
        );
    }

    #[test]
    fn yaml_beyond_json() {
        // Anchors and aliases are fine…
        let text = format!("{MINIMAL_YAML}x-a: &a {{k: 1}}\nx-b: *a\n");
        let loaded = load(&input(&text)).unwrap();
        assert_eq!(loaded.raw["x-b"], serde_json::json!({"k": 1}));
        // …what JSON cannot hold, or a reader would silently get wrong, is not.
        let cases = [
            ("openapi: 3.0.3\n---\nopenapi: 3.0.3\n", "spec.yaml: #: invalid YAML: the file holds more than one YAML document"),
            ("openapi: !v 3.0.3\n", "spec.yaml:1:10: invalid YAML: YAML tags such as `!name` are not supported (at #/openapi)"),
            ("x: .nan\n", "spec.yaml:1:4: invalid YAML: NaN is not a number JSON can represent (at #/x)"),
            ("b: &b {k: 1}\nx:\n  <<: *b\n", "spec.yaml:3:3: invalid YAML: YAML merge keys (`<<`) are not supported (at #/x)"),
            ("? [a]\n: 1\n", "spec.yaml:1:3: invalid YAML: a mapping key is a sequence (at #); expected a string or a number"),
            ("x: 123456789012345678901234567890\n", "spec.yaml:1:4: invalid YAML: the integer 123456789012345678901234567890 does not fit in 64 bits"),
            ("x: *nope\n", "spec.yaml:1:4: invalid YAML: unknown anchor"),
        ];
        for (text, want) in cases {
            let e = load_err(text.as_bytes());
            assert!(e.starts_with(want), "{e}\n  does not start with\n{want}");
        }
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h"])
        {
            let refs = vec![format!("*{prev}"); 10].join(", ");
            bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        assert!(load_err(bomb.as_bytes()).contains("aliases expand to too many nodes"));
    }

    #[test]
    fn shape_errors_read_well() {
        let doc = |body: &str| format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{body}");
        let cases = [
            ("paths: {}\nservers: {url: x}\n", "spec.yaml: #/servers: invalid type: map; expected a sequence"),
            ("paths: {}\ncomponents: {schemas: {A: {type: array, items: 5}}}\n", "spec.yaml: #/components/schemas/A/items: invalid type: integer `5`; expected a Schema object"),
            ("paths: {}\ncomponents: {schemas: {A: {additionalProperties: yes}}}\n", "spec.yaml: #/components/schemas/A/additionalProperties: invalid type: string \"yes\"; expected `true`, `false` or a schema"),
            ("paths: {/a: {get: {responses: {'200': {content: {}}}}}}\n", "spec.yaml: #/paths/~1a/get/responses/200: required field `description` is missing; expected `description` here"),
            ("paths: {/a: {get: {parameters: [{name: p, in: body}], responses: {}}}}\n", "spec.yaml: #/paths/~1a/get/parameters/0/in: unknown value `body`; expected one of `query`, `header`, `path`, `cookie` \
             (in OpenAPI 3.0, bodies and forms go in the operation's requestBody)"),
        ];
        for (body, want) in cases {
            assert_eq!(load_err(doc(body).as_bytes()), want);
        }
        assert_eq!(
            load_err(
                doc("paths: {}\ncomponents: {schemas: {A: {type: [string, 'null']}}}\n").as_bytes()
            ),
            "spec.yaml: #/components/schemas/A/type: invalid type: sequence; expected a string \
             (type lists are OpenAPI 3.1; in 3.0, add `nullable: true`)"
        );
        assert_eq!(
            load_err(b"openapi: 3.0.3\npaths: {}\n"),
            "spec.yaml: #: required field `info` is missing; expected `info` here"
        );
    }

    #[test]
    fn version_checks() {
        assert!(load_err(b"swagger: '2.0'\n")
            .starts_with("spec.yaml: #/swagger: Swagger 2.0 is not supported"));
        assert!(load_err(b"openapi: 3.2.0\n")
            .starts_with("spec.yaml: #/openapi: OpenAPI version 3.2.0 is not supported"));
        assert!(load_err(b"openapi: 3.0\n").contains("3.0 (a number, not a string)"));
        assert!(load_err(b"info: {}\n")
            .starts_with("spec.yaml: #: not an OpenAPI document: it has no `openapi` field"));
        assert!(load_err(b"- a\n").contains("the top level is a sequence, not a mapping"));
        for ok in ["3.0.0", "3.0.3", "3.0.10-rc1"] {
            assert!(is_version(ok, "3.0."), "{ok}");
        }
        assert!(is_version("3.1.1", "3.1.") && !is_version("3.10.1", "3.1."));
        for bad in ["3.0", "3.0.", "3.0.x", "3.1.0", "3.00.1", "2.0"] {
            assert!(!is_version(bad, "3.0."), "{bad}");
        }
    }

    #[test]
    fn shape_errors_name_the_deepest_pointer() {
        let e = load_err(b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: []\n");
        assert_eq!(
            e,
            "spec.yaml: #/paths: invalid type: sequence; expected a Paths object"
        );
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    \
                    A:\n      properties:\n        b:\n          type: object\n          nullable: maybe\n";
        let e = load_err(text.as_bytes());
        assert!(
            e.starts_with("spec.yaml: #/components/schemas/A/properties/b"),
            "{e}"
        );
    }

    #[test]
    fn depth_limit_is_an_error_with_a_pointer() {
        // Exactly at the limit: loads (and nothing overflows on a test thread's stack).
        let at_limit = nested_schema(MAX_DEPTH - 4);
        load(&input(&at_limit)).unwrap();
        let over = nested_schema(MAX_DEPTH - 3);
        let e = load_err(over.as_bytes());
        assert!(
            e.starts_with("spec.yaml: #/components/schemas/A/items/items/"),
            "{e}"
        );
        assert!(e.contains("nested more than 64 levels deep"), "{e}");
    }

    #[test]
    fn absurd_depth_never_crashes() {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let text = format!("{}1{}", open.repeat(10_000), close.repeat(10_000));
            let e = load_err(text.as_bytes());
            assert!(e.contains("nested more than 64 levels deep"), "{e}");
            let yaml = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
            assert!(load_err(format!("x: {yaml}").as_bytes()).contains("nested more than"));
        }
        let mut block = String::new();
        for i in 0..300 {
            block.push_str(&" ".repeat(i));
            block.push_str("a:\n");
        }
        let e = load_err(block.as_bytes());
        assert!(e.starts_with("spec.yaml: #/a/a/a/"), "{e}");
    }
}
