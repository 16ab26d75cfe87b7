//! The examples of `spec/atlas-admin-v2.yaml`:
//! - every `example` / `examples` entry (media types, parameters, schemas) validates, strictly,
//!   against the schema at its place (with the `jsonschema` crate, see
//!   `support/openapi_schema.rs`);
//! - no example goes missing: a table of the examples each operation records, per location;
//! - every JSON example printed on the doc pages (`../shared/atlas-docs/NN-*.txt`, beside the
//!   repository) is recorded in the spec for its operation and location, up to a short,
//!   explicit errata table (doc examples that contradict the page's own schema);
//! - the validator really fails on a typo in a property name, a wrong enum value, a missing
//!   required property and the other rules it enforces.
// Test code only: a failed expectation panics, with its message.
#![cfg(test)]

#[path = "support/openapi_schema.rs"]
mod openapi_schema;
#[path = "support/regex_patterns.rs"]
mod regex_patterns;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{json, Value};

use openapi_schema::{
    escape_pointer, is_format, json_equal, resolve_pointer, Checker, Direction, Violation,
};
use regex_patterns::compile_pattern;

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/atlas-admin-v2.yaml");
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "patch", "options", "head", "trace",
];

fn load_spec_text() -> String {
    std::fs::read_to_string(SPEC).unwrap_or_else(|e| panic!("cannot read {SPEC}: {e}"))
}

fn parse_spec(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{SPEC} is not valid YAML: {e}"))
}

fn spec() -> Value {
    parse_spec(&load_spec_text())
}

// ------------------------------------------------------------------------------------------
// Walking the document

/// Where an example sits, from the point of view of an operation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Loc {
    Request,
    Response(String),
    Parameter(String),
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Loc::Request => f.write_str("request"),
            Loc::Response(code) => f.write_str(code),
            Loc::Parameter(name) => write!(f, "param:{name}"),
        }
    }
}

/// One recorded example: the pointer of its value, the pointer of the schema it must satisfy.
#[derive(Clone, Debug)]
struct Site {
    example: String,
    schema: Option<String>,
    dir: Direction,
}

/// Every example in the document, keyed by the pointer of the example value, plus the
/// examples each operation reaches (through `$ref`s), in document order.
#[derive(Default)]
struct Walk {
    sites: BTreeMap<String, Site>,
    by_operation: BTreeMap<String, Vec<(Loc, String)>>,
}

fn child(ptr: &str, seg: &str) -> String {
    format!("{ptr}/{}", escape_pointer(seg))
}

/// Follows a `$ref` (if any) and returns the pointer and value of the target.
fn follow<'v>(doc: &'v Value, ptr: String, node: &'v Value) -> (String, &'v Value) {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let target = resolve_pointer(doc, r)
                .unwrap_or_else(|| panic!("{ptr}: $ref {r} does not resolve"));
            (r.to_owned(), target)
        }
        None => (ptr, node),
    }
}

/// Records the `example` / `examples` of a media type or parameter object at `ptr`.
fn examples_of(
    doc: &Value,
    ptr: &str,
    node: &Value,
    dir: Direction,
    walk: &mut Walk,
) -> Vec<String> {
    let schema = node.get("schema").map(|_| child(ptr, "schema"));
    let mut found = Vec::new();
    if node.get("example").is_some() {
        found.push(child(ptr, "example"));
    }
    if let Some(map) = node.get("examples").and_then(Value::as_object) {
        for (name, ex) in map {
            let (ex_ptr, ex) = follow(doc, child(&child(ptr, "examples"), name), ex);
            assert!(
                ex.get("value").is_some(),
                "{ex_ptr}: example without an inline `value`"
            );
            found.push(child(&ex_ptr, "value"));
        }
    }
    for example in &found {
        walk.sites.insert(
            example.clone(),
            Site {
                example: example.clone(),
                schema: schema.clone(),
                dir,
            },
        );
    }
    if let (Some(s), Some(sp)) = (node.get("schema"), schema.as_deref()) {
        schema_examples(sp, s, walk);
    }
    found
}

/// Records schema-level `example`s, recursively through inline sub-schemas.
fn schema_examples(ptr: &str, schema: &Value, walk: &mut Walk) {
    let Some(obj) = schema.as_object() else {
        return;
    };
    if obj.contains_key("$ref") {
        return; // the target is walked where it is defined
    }
    if obj.contains_key("example") {
        let example = child(ptr, "example");
        walk.sites.insert(
            example.clone(),
            Site {
                example,
                schema: Some(ptr.to_owned()),
                dir: Direction::Neither,
            },
        );
    }
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        for (name, s) in props {
            schema_examples(&child(&child(ptr, "properties"), name), s, walk);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(s) = obj.get(key).filter(|s| s.is_object()) {
            schema_examples(&child(ptr, key), s, walk);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = obj.get(key).and_then(Value::as_array) {
            for (i, s) in list.iter().enumerate() {
                schema_examples(&format!("{}/{i}", child(ptr, key)), s, walk);
            }
        }
    }
}

fn walk_parameter(doc: &Value, ptr: String, node: &Value, walk: &mut Walk) -> (Loc, Vec<String>) {
    let (ptr, param) = follow(doc, ptr, node);
    let name = param
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_owned();
    (
        Loc::Parameter(name),
        examples_of(doc, &ptr, param, Direction::Neither, walk),
    )
}

fn walk_content(
    doc: &Value,
    ptr: &str,
    holder: &Value,
    dir: Direction,
    walk: &mut Walk,
) -> Vec<String> {
    let mut found = Vec::new();
    if let Some(content) = holder.get("content").and_then(Value::as_object) {
        for (media, mt) in content {
            found.extend(examples_of(
                doc,
                &child(&child(ptr, "content"), media),
                mt,
                dir,
                walk,
            ));
        }
    }
    found
}

fn walk_document(doc: &Value) -> Walk {
    let mut walk = Walk::default();
    let paths = doc
        .get("paths")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (path, item) in &paths {
        let item_ptr = child("#/paths", path);
        let shared_params: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            let op_ptr = child(&item_ptr, method);
            let op_id = op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("{op_ptr}: no operationId"))
                .to_owned();
            let mut reached = Vec::new();
            for (i, p) in shared_params.iter().enumerate() {
                let (loc, found) =
                    walk_parameter(doc, format!("{item_ptr}/parameters/{i}"), p, &mut walk);
                reached.extend(found.into_iter().map(|f| (loc.clone(), f)));
            }
            for (i, p) in op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let (loc, found) =
                    walk_parameter(doc, format!("{op_ptr}/parameters/{i}"), p, &mut walk);
                reached.extend(found.into_iter().map(|f| (loc.clone(), f)));
            }
            if let Some(body) = op.get("requestBody") {
                let (body_ptr, body) = follow(doc, child(&op_ptr, "requestBody"), body);
                for f in walk_content(doc, &body_ptr, body, Direction::Request, &mut walk) {
                    reached.push((Loc::Request, f));
                }
            }
            for (code, resp) in op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let (resp_ptr, resp) = follow(doc, child(&child(&op_ptr, "responses"), code), resp);
                for f in walk_content(doc, &resp_ptr, resp, Direction::Response, &mut walk) {
                    reached.push((Loc::Response(code.clone()), f));
                }
            }
            assert!(
                walk.by_operation.insert(op_id.clone(), reached).is_none(),
                "operationId {op_id} appears twice"
            );
        }
    }
    // Components hold examples too (also when no operation uses them).
    let components = doc.get("components");
    for (section, dir) in [
        ("parameters", Direction::Neither),
        ("requestBodies", Direction::Request),
        ("responses", Direction::Response),
    ] {
        for (name, node) in components
            .and_then(|c| c.get(section))
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let ptr = child(&format!("#/components/{section}"), name);
            if section == "parameters" {
                examples_of(doc, &ptr, node, dir, &mut walk);
            } else {
                walk_content(doc, &ptr, node, dir, &mut walk);
            }
        }
    }
    for (name, schema) in components
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        schema_examples(&child("#/components/schemas", name), schema, &mut walk);
    }
    walk
}

/// Every `example` / `examples/*/value` anywhere in the document, found without knowing the
/// OpenAPI structure (property names inside `properties` are not keywords; example values,
/// enums and extensions are not searched). Guards the structured walk above.
fn blind_example_pointers(node: &Value, ptr: &str, in_properties: bool, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, val) in map {
                let p = child(ptr, key);
                if in_properties {
                    blind_example_pointers(val, &p, false, out);
                } else if key == "example" {
                    out.push(p);
                } else if key == "examples" {
                    for (name, ex) in val.as_object().into_iter().flatten() {
                        if ex.get("value").is_some() {
                            out.push(child(&child(&p, name), "value"));
                        }
                    }
                } else if key == "enum" || key.starts_with("x-") {
                    continue;
                } else {
                    blind_example_pointers(val, &p, key == "properties", out);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                blind_example_pointers(item, &format!("{ptr}/{i}"), false, out);
            }
        }
        _ => {}
    }
}

/// Validates every recorded example; returns one line per violation.
fn validate_all_examples(doc: &Value) -> Vec<String> {
    let walk = walk_document(doc);
    let checker = Checker::new(doc);
    let mut problems = Vec::new();
    for site in walk.sites.values() {
        let value = resolve_pointer(doc, &site.example)
            .unwrap_or_else(|| panic!("{} does not resolve", site.example));
        let Some(schema) = &site.schema else {
            problems.push(format!(
                "{}: example without a schema beside it",
                site.example
            ));
            continue;
        };
        for v in checker.check_at(value, schema, site.dir) {
            problems.push(format!("example {}: {v}", site.example));
        }
    }
    problems
}

// ------------------------------------------------------------------------------------------
// Every recorded example validates

#[test]
fn every_recorded_example_validates_against_its_schema() {
    let doc = spec();
    let problems = validate_all_examples(&doc);
    assert!(
        problems.is_empty(),
        "{} example problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    // Sanity: the walk saw them all. Distinct recorded examples: 7 request bodies, 14 success
    // bodies (three on page 08), 8 shared error bodies, 7 schema-level `example`s.
    let walk = walk_document(&doc);
    assert_eq!(
        walk.sites.len(),
        36,
        "examples found: {:#?}",
        walk.sites.keys()
    );
}

#[test]
fn the_structured_walk_sees_every_example_in_the_document() {
    let doc = spec();
    let walk = walk_document(&doc);
    let mut blind = Vec::new();
    blind_example_pointers(&doc, "#", false, &mut blind);
    blind.sort();
    let walked: Vec<String> = walk.sites.keys().cloned().collect();
    assert_eq!(
        walked, blind,
        "examples found by the structured walk differ from those found by a blind search"
    );
}

/// Every `pattern` keyword of the document (example values are data and are not searched).
fn patterns(node: &Value, ptr: &str, out: &mut Vec<(String, String)>) {
    match node {
        Value::Object(map) => {
            for (key, val) in map {
                let p = child(ptr, key);
                match (key.as_str(), val) {
                    ("pattern", Value::String(re)) => out.push((p, re.clone())),
                    ("example" | "value", _) => {}
                    _ => patterns(val, &p, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                patterns(item, &format!("{ptr}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_pattern_compiles_with_the_regex_crate() {
    let doc = spec();
    let mut found = Vec::new();
    patterns(&doc, "#", &mut found);
    assert!(found.len() >= 20, "only {} patterns found", found.len());
    let broken: Vec<String> = found
        .iter()
        .filter_map(|(at, re)| compile_pattern(re).err().map(|e| format!("{at}: {e}")))
        .collect();
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

// ------------------------------------------------------------------------------------------
// No example goes missing

/// The examples each doc page shows, per location (request body, response code). Error
/// examples live in components/responses and count for every operation that uses them.
const EXAMPLE_COUNTS: &[(&str, &str)] = &[
    (
        "createStreamInstance",
        "request=1 200=1 400=1 401=1 403=1 404=1 500=1",
    ),
    ("startStreamProcessor", "401=1 403=1 404=1 500=1"),
    ("listFlexBackups", "200=1 400=1 401=1 403=1 404=1 500=1"),
    (
        "deleteAllCustomZoneMappings",
        "200=1 401=1 403=1 404=1 500=1",
    ),
    (
        "createOnlineArchive",
        "request=1 200=1 400=1 401=1 403=1 404=1 409=1 500=1",
    ),
    ("getOnlineArchive", "200=1 400=1 401=1 403=1 404=1 500=1"),
    (
        "updateOrganizationInvitation",
        "request=1 200=1 400=1 401=1 403=1 404=1 500=1",
    ),
    ("getPrivateEndpoint", "200=3 400=1 401=1 403=1 404=1 500=1"),
    (
        "listApiKeyAccessListsEntries",
        "200=1 401=1 403=1 404=1 500=1",
    ),
    (
        "updateProjectInvitationById",
        "request=1 200=1 400=1 401=1 403=1 404=1 500=1",
    ),
    (
        "createStreamProcessor",
        "request=1 200=1 400=1 401=1 403=1 404=1 409=1 500=1",
    ),
    (
        "createServerlessInstance",
        "request=1 201=1 400=1 401=1 402=1 403=1 404=1 409=1 500=1",
    ),
    (
        "createFlexCluster",
        "request=1 201=1 400=1 401=1 402=1 403=1 404=1 409=1 500=1",
    ),
];

fn count_line(examples: &[(Loc, String)]) -> String {
    let mut counts: BTreeMap<Loc, usize> = BTreeMap::new();
    for (loc, _) in examples {
        *counts.entry(loc.clone()).or_default() += 1;
    }
    counts
        .iter()
        .map(|(loc, n)| format!("{loc}={n}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn each_operation_records_the_examples_its_page_shows() {
    let walk = walk_document(&spec());
    let mut expected_ops: Vec<&str> = EXAMPLE_COUNTS.iter().map(|(op, _)| *op).collect();
    expected_ops.sort_unstable();
    let actual_ops: Vec<&str> = walk.by_operation.keys().map(String::as_str).collect();
    assert_eq!(actual_ops, expected_ops, "operations of the spec");
    for (op, expected) in EXAMPLE_COUNTS {
        let actual = count_line(&walk.by_operation[*op]);
        assert_eq!(&actual, expected, "examples recorded for {op}");
    }
}

// ------------------------------------------------------------------------------------------
// The doc pages' examples are the recorded ones

/// Doc page (file name prefix) → operationId.
const PAGES: &[(&str, &str)] = &[
    ("01", "createStreamInstance"),
    ("02", "startStreamProcessor"),
    ("03", "listFlexBackups"),
    ("04", "deleteAllCustomZoneMappings"),
    ("05", "createOnlineArchive"),
    ("06", "getOnlineArchive"),
    ("07", "updateOrganizationInvitation"),
    ("08", "getPrivateEndpoint"),
    ("09", "listApiKeyAccessListsEntries"),
    ("10", "updateProjectInvitationById"),
    ("11", "createStreamProcessor"),
    ("12", "createServerlessInstance"),
    ("13", "createFlexCluster"),
];

/// A doc example that contradicts the page's own schema, and how the spec records it.
struct Erratum {
    page: &'static str,
    /// "request" or a response code.
    loc: &'static str,
    /// Which of the page's examples at that location (0-based).
    nth: usize,
    /// JSON pointer inside the example.
    pointer: &'static str,
    doc: &'static str,
    spec: &'static str,
    why: &'static str,
}

const TAG_WITH_OTHER_VARIANT: &str =
    "the doc's example generator pairs a union tag with the fields of another variant; the tag \
     is corrected to the variant whose fields the example shows";
const HOUR_RANGE: &str =
    "placeholder 42 breaks the documented maximum 23 of the DAILY window hours; clamped to 23";

const ERRATA: &[Erratum] = &[
    Erratum { page: "01", loc: "200", nth: 0, pointer: "/connections/0/type", doc: r#""Kafka""#, spec: r#""Cluster""#, why: TAG_WITH_OTHER_VARIANT },
    Erratum { page: "05", loc: "request", nth: 0, pointer: "/criteria/type", doc: r#""DATE""#, spec: r#""CUSTOM""#, why: TAG_WITH_OTHER_VARIANT },
    Erratum { page: "05", loc: "request", nth: 0, pointer: "/schedule/type", doc: r#""DEFAULT""#, spec: r#""DAILY""#, why: TAG_WITH_OTHER_VARIANT },
    Erratum { page: "05", loc: "request", nth: 0, pointer: "/schedule/endHour", doc: "42", spec: "23", why: HOUR_RANGE },
    Erratum { page: "05", loc: "request", nth: 0, pointer: "/schedule/startHour", doc: "42", spec: "23", why: HOUR_RANGE },
    Erratum { page: "05", loc: "200", nth: 0, pointer: "/criteria/type", doc: r#""DATE""#, spec: r#""CUSTOM""#, why: TAG_WITH_OTHER_VARIANT },
    Erratum { page: "05", loc: "200", nth: 0, pointer: "/schedule/type", doc: r#""DEFAULT""#, spec: r#""DAILY""#, why: TAG_WITH_OTHER_VARIANT },
    Erratum { page: "05", loc: "200", nth: 0, pointer: "/schedule/endHour", doc: "42", spec: "23", why: HOUR_RANGE },
    Erratum { page: "05", loc: "200", nth: 0, pointer: "/schedule/startHour", doc: "42", spec: "23", why: HOUR_RANGE },
    Erratum { page: "06", loc: "200", nth: 0, pointer: "/criteria/type", doc: r#""DATE""#, spec: r#""CUSTOM""#, why: TAG_WITH_OTHER_VARIANT },
    Erratum { page: "06", loc: "200", nth: 0, pointer: "/schedule/type", doc: r#""DEFAULT""#, spec: r#""DAILY""#, why: TAG_WITH_OTHER_VARIANT },
    Erratum { page: "06", loc: "200", nth: 0, pointer: "/schedule/endHour", doc: "42", spec: "23", why: HOUR_RANGE },
    Erratum { page: "06", loc: "200", nth: 0, pointer: "/schedule/startHour", doc: "42", spec: "23", why: HOUR_RANGE },
    Erratum { page: "08", loc: "200", nth: 1, pointer: "/cloudProvider", doc: r#""AWS""#, spec: r#""AZURE""#, why: "all three 200 examples are tagged AWS; the second shows the Azure private endpoint shape" },
    Erratum { page: "08", loc: "200", nth: 2, pointer: "/cloudProvider", doc: r#""AWS""#, spec: r#""GCP""#, why: "all three 200 examples are tagged AWS; the third shows the GCP endpoint group shape" },
    Erratum { page: "12", loc: "201", nth: 0, pointer: "/mongoDBVersion", doc: r#""string""#, spec: r#""8.0.0""#, why: "placeholder \"string\" breaks the documented pattern ([\\d]+\\.[\\d]+\\.[\\d]+)" },
];

fn docs_dir() -> PathBuf {
    // The workspace root is the parent of this package; shared/ sits beside the repository.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/atlas-docs")
}

/// serde_json::Value that refuses duplicate object keys (the lossy pages could otherwise
/// hide a second `""` key).
struct StrictJson(Value);

impl<'de> Deserialize<'de> for StrictJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StrictJson;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E>(self, b: bool) -> Result<StrictJson, E> {
                Ok(StrictJson(Value::Bool(b)))
            }
            fn visit_i64<E>(self, n: i64) -> Result<StrictJson, E> {
                Ok(StrictJson(json!(n)))
            }
            fn visit_u64<E>(self, n: u64) -> Result<StrictJson, E> {
                Ok(StrictJson(json!(n)))
            }
            fn visit_f64<E>(self, n: f64) -> Result<StrictJson, E> {
                Ok(StrictJson(json!(n)))
            }
            fn visit_str<E>(self, s: &str) -> Result<StrictJson, E> {
                Ok(StrictJson(Value::String(s.to_owned())))
            }
            fn visit_unit<E>(self) -> Result<StrictJson, E> {
                Ok(StrictJson(Value::Null))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StrictJson, A::Error> {
                let mut items = Vec::new();
                while let Some(StrictJson(v)) = seq.next_element()? {
                    items.push(v);
                }
                Ok(StrictJson(Value::Array(items)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StrictJson, A::Error> {
                let mut obj = serde_json::Map::new();
                while let Some((k, StrictJson(v))) = map.next_entry::<String, StrictJson>()? {
                    if obj.insert(k.clone(), v).is_some() {
                        return Err(de::Error::custom(format!("duplicate key {k:?}")));
                    }
                }
                Ok(StrictJson(Value::Object(obj)))
            }
        }
        d.deserialize_any(V)
    }
}

/// One JSON example printed on a page, with the heading that precedes it (if any).
#[derive(Debug)]
struct DocBlock {
    heading: Option<String>,
    line: usize,
    value: Value,
}

/// Extracts the top-level JSON blocks of a page: a block starts at a line that is exactly
/// `{` and ends where its braces balance (strings and escapes respected).
fn extract_blocks(text: &str, file: &str) -> Result<Vec<DocBlock>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut heading: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end();
        if line == "Request examples" || line.starts_with("Response examples (") {
            heading = Some(line.to_owned());
            i += 1;
            continue;
        }
        if line != "{" {
            i += 1;
            continue;
        }
        let start = i;
        let (mut depth, mut in_str, mut escaped) = (0i32, false, false);
        let mut buf = String::new();
        'outer: while i < lines.len() {
            for c in lines[i].chars() {
                buf.push(c);
                if in_str {
                    match (escaped, c) {
                        (true, _) => escaped = false,
                        (false, '\\') => escaped = true,
                        (false, '"') => in_str = false,
                        _ => {}
                    }
                    continue;
                }
                match c {
                    '"' => in_str = true,
                    '{' | '[' => depth += 1,
                    '}' | ']' => {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            break 'outer;
                        }
                    }
                    _ => {}
                }
            }
            buf.push('\n');
            i += 1;
        }
        let StrictJson(value) = serde_json::from_str(&buf).map_err(|e| {
            format!(
                "{file}:{}: example block is not valid JSON: {e}\n{buf}",
                start + 1
            )
        })?;
        blocks.push(DocBlock {
            heading: heading.take(),
            line: start + 1,
            value,
        });
    }
    Ok(blocks)
}

/// Which location a doc block documents: its heading, or (lossy pages without headings) an
/// error body's own `error` code, the request when the operation has a body and no request
/// example was seen yet, else the operation's success response.
fn classify(
    block: &DocBlock,
    has_body: bool,
    request_seen: bool,
    success: &str,
    file: &str,
) -> Loc {
    match block.heading.as_deref() {
        Some("Request examples") => Loc::Request,
        Some(h) => Loc::Response(
            h.trim_start_matches("Response examples (")
                .trim_end_matches(')')
                .to_owned(),
        ),
        None => {
            let is_error = block.value.get("errorCode").is_some_and(Value::is_string);
            match block.value.get("error").and_then(Value::as_u64) {
                Some(code) if is_error => Loc::Response(code.to_string()),
                _ if has_body && !request_seen => Loc::Request,
                _ => {
                    assert!(
                        !success.is_empty(),
                        "{file}:{}: no success response to attach to",
                        block.line
                    );
                    Loc::Response(success.to_owned())
                }
            }
        }
    }
}

/// Compares a doc example with a recorded one. Lossy renderings print some keys as `""`: each
/// such entry must match, by value, a distinct recorded key that the doc object lacks.
fn lossy_match(doc: &Value, spec: &Value) -> bool {
    match (doc, spec) {
        (Value::Object(d), Value::Object(s)) => {
            if d.len() != s.len() {
                return false;
            }
            let mut unmatched: Vec<&String> = s.keys().filter(|k| !d.contains_key(*k)).collect();
            for (k, dv) in d {
                if k.is_empty() {
                    let Some(pos) = unmatched.iter().position(|sk| lossy_match(dv, &s[*sk])) else {
                        return false;
                    };
                    unmatched.remove(pos);
                } else if !s.get(k).is_some_and(|sv| lossy_match(dv, sv)) {
                    return false;
                }
            }
            unmatched.is_empty()
        }
        (Value::Array(d), Value::Array(s)) => {
            d.len() == s.len() && d.iter().zip(s).all(|(x, y)| lossy_match(x, y))
        }
        _ => json_equal(doc, spec),
    }
}

#[test]
fn every_doc_page_example_is_recorded_in_the_spec() {
    let dir = docs_dir();
    assert!(
        dir.is_dir(),
        "the doc pages are missing: expected them in {} (shared/atlas-docs beside the \
         repository); this test cross-checks the spec against them and must not be skipped",
        dir.display()
    );
    let failures = cross_check(&spec(), &dir);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Compares the examples of every doc page in `dir` with those recorded in `doc`; returns
/// one message per mismatch.
fn cross_check(doc: &Value, dir: &Path) -> Vec<String> {
    let walk = walk_document(doc);
    let mut errata_used = vec![false; ERRATA.len()];
    let mut pages_seen = 0;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    entries.sort();
    let mut failures = Vec::new();
    for path in entries {
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default()
            .to_owned();
        let Some((prefix, op)) = PAGES
            .iter()
            .find(|(p, _)| file.starts_with(&format!("{p}-")))
        else {
            panic!("{file}: a doc page that no operation of the table claims");
        };
        pages_seen += 1;
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        let recorded = &walk.by_operation[*op];
        let has_body = op_has_request_body(doc, op);
        let success = success_code(doc, op);
        let mut request_seen = false;
        let mut per_loc_seen: BTreeMap<Loc, usize> = BTreeMap::new();
        let mut used: Vec<bool> = vec![false; recorded.len()];
        let blocks = match extract_blocks(&text, &file) {
            Ok(blocks) => blocks,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        for block in blocks {
            let loc = classify(&block, has_body, request_seen, &success, &file);
            if loc == Loc::Request {
                request_seen = true;
            }
            let nth = {
                let n = per_loc_seen.entry(loc.clone()).or_default();
                *n += 1;
                *n - 1
            };
            let mut value = block.value.clone();
            for (i, e) in ERRATA.iter().enumerate() {
                if e.page != *prefix || e.loc != loc.to_string() || e.nth != nth {
                    continue;
                }
                let expected_doc: Value = serde_json::from_str(e.doc)
                    .unwrap_or_else(|x| panic!("erratum doc value: {x}"));
                let replacement: Value = serde_json::from_str(e.spec)
                    .unwrap_or_else(|x| panic!("erratum spec value: {x}"));
                match value.pointer_mut(e.pointer) {
                    Some(slot) if json_equal(slot, &expected_doc) => {
                        *slot = replacement;
                        errata_used[i] = true;
                    }
                    other => failures.push(format!(
                        "{file}:{}: erratum {} {} expects {} on the page, found {:?} ({})",
                        block.line, e.loc, e.pointer, e.doc, other, e.why
                    )),
                }
            }
            let found = recorded.iter().enumerate().find(|(i, (l, ptr))| {
                !used[*i]
                    && *l == loc
                    && resolve_pointer(doc, ptr).is_some_and(|v| lossy_match(&value, v))
            });
            match found {
                Some((i, _)) => used[i] = true,
                None => failures.push(format!(
                    "{file}:{}: the {loc} example of {op} is not recorded in the spec \
                     (after errata):\n{}",
                    block.line,
                    serde_json::to_string_pretty(&value).unwrap_or_default()
                )),
            }
        }
        let doc_counts = per_loc_seen
            .iter()
            .map(|(l, n)| format!("{l}={n}"))
            .collect::<Vec<_>>()
            .join(" ");
        let table = EXAMPLE_COUNTS
            .iter()
            .find(|(o, _)| o == op)
            .map(|(_, c)| *c)
            .unwrap_or("");
        if doc_counts != table {
            failures.push(format!(
                "{file}: the page shows `{doc_counts}`, the table says `{table}`"
            ));
        }
    }
    if pages_seen != PAGES.len() {
        failures.push(format!(
            "{pages_seen} doc pages found in {}, {} expected",
            dir.display(),
            PAGES.len()
        ));
    }
    for (used, e) in errata_used.iter().zip(ERRATA) {
        if !used {
            failures.push(format!(
                "erratum {} {} {} was never applied",
                e.page, e.loc, e.pointer
            ));
        }
    }
    failures
}

fn operation<'v>(doc: &'v Value, op_id: &str) -> &'v Value {
    doc.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .flat_map(|item| METHODS.iter().filter_map(move |m| item.get(*m)))
        .find(|op| op.get("operationId").and_then(Value::as_str) == Some(op_id))
        .unwrap_or_else(|| panic!("no operation {op_id}"))
}

fn op_has_request_body(doc: &Value, op_id: &str) -> bool {
    operation(doc, op_id).get("requestBody").is_some()
}

fn success_code(doc: &Value, op_id: &str) -> String {
    operation(doc, op_id)
        .get("responses")
        .and_then(Value::as_object)
        .and_then(|r| r.keys().find(|k| k.starts_with('2')).cloned())
        .unwrap_or_default()
}

#[test]
fn the_errata_only_touch_what_they_say() {
    // Each erratum rewrites one scalar to another scalar of the same JSON type: a correction
    // may not add or drop fields.
    for e in ERRATA {
        let doc: Value = serde_json::from_str(e.doc).unwrap_or_else(|x| panic!("{x}"));
        let spec: Value = serde_json::from_str(e.spec).unwrap_or_else(|x| panic!("{x}"));
        let same_kind = matches!(
            (&doc, &spec),
            (Value::String(_), Value::String(_)) | (Value::Number(_), Value::Number(_))
        );
        assert!(
            same_kind && doc != spec,
            "erratum {} {} {}: {}",
            e.page,
            e.loc,
            e.pointer,
            e.why
        );
    }
}

#[test]
fn the_cross_check_fails_when_a_recorded_example_differs_from_its_page() {
    let dir = docs_dir();
    assert!(dir.is_dir(), "doc pages missing: {}", dir.display());
    let text = load_spec_text();
    for (from, to, needle) in [
        // a value changed in a success example
        ("                    hostnames:\n                      - string\n", "                    hostnames:\n                      - strin\n", "01-create-stream-instance.txt"),
        // a field dropped from a response example
        ("                    terminationProtectionEnabled: false\n                    versionReleaseSystem: LTS\n", "                    versionReleaseSystem: LTS\n", "13-create-flex-cluster.txt"),
        // a shared error example changed: every page that shows a 402 notices
        ("                reason: Payment Required\n", "                reason: Payment required\n", "12-create-serverless-instance.txt"),
        // an erratum that no longer matches the recorded example
        ("                    type: Cluster\n", "                    type: Kafka\n", "01-create-stream-instance.txt"),
    ] {
        assert_eq!(text.matches(from).count(), 1, "mutation anchor {from:?} must be unique");
        let mutated = text.replacen(from, to, 1);
        let failures = cross_check(&parse_spec(&mutated), &dir);
        assert!(
            failures.iter().any(|f| f.contains(needle)),
            "mutation {from:?} -> {to:?} was not caught: {failures:#?}"
        );
    }
}

#[test]
fn lossy_keys_match_one_recorded_key_by_value() {
    let recorded = json!({"cloudProvider": "AWS", "region": "SYDNEY_AUS"});
    assert!(lossy_match(
        &json!({"cloudProvider": "AWS", "": "SYDNEY_AUS"}),
        &recorded
    ));
    assert!(!lossy_match(
        &json!({"cloudProvider": "AWS", "": "TOKYO_JPN"}),
        &recorded
    ));
    assert!(!lossy_match(&json!({"cloudProvider": "AWS"}), &recorded));
    assert!(!lossy_match(
        &json!({"cloudProvider": "AWS", "": "SYDNEY_AUS", "x": 1}),
        &recorded
    ));
    assert!(lossy_match(
        &json!({"diskSizeGB": 42.0}),
        &json!({"diskSizeGB": 42.0})
    ));
    let text =
        "x\nRequest examples\n{\n\"a\": [\n{\n\"b\": \"}\"\n}\n]\n}\n{\n\"\": 1,\n\"\": 2\n}\n";
    let err = extract_blocks(text, "t.txt").expect_err("a duplicate key must be reported");
    assert!(err.contains("duplicate key"), "{err}");
    let blocks = extract_blocks(
        "Request examples\n{\n\"a\": [\n{\n\"b\": \"}\"\n}\n]\n}\n",
        "t.txt",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].value, json!({"a": [{"b": "}"}]}));
    assert_eq!(blocks[0].heading.as_deref(), Some("Request examples"));
}

// ------------------------------------------------------------------------------------------
// The validator fails where it must

fn example_value(doc: &Value, op_id: &str, loc: Loc, nth: usize) -> (Value, String, Direction) {
    let walk = walk_document(doc);
    let (_, ptr) = walk.by_operation[op_id]
        .iter()
        .filter(|(l, _)| *l == loc)
        .nth(nth)
        .unwrap_or_else(|| panic!("{op_id} has no example #{nth} at {loc}"))
        .clone();
    let site = &walk.sites[&ptr];
    let value = resolve_pointer(doc, &ptr).cloned().unwrap_or(Value::Null);
    (value, site.schema.clone().unwrap_or_default(), site.dir)
}

fn violations(doc: &Value, value: &Value, schema: &str, dir: Direction) -> Vec<Violation> {
    Checker::new(doc).check_at(value, schema, dir)
}

fn assert_rejected(found: &[Violation], path: &str, needle: &str) {
    assert!(
        found
            .iter()
            .any(|v| v.path == path && v.message.contains(needle)),
        "expected a violation at {path} mentioning {needle:?}, got:\n{}",
        found
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn rename_key(value: &mut Value, pointer: &str, from: &str, to: &str) {
    let obj = value
        .pointer_mut(pointer)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("no object at {pointer}"));
    let v = obj
        .remove(from)
        .unwrap_or_else(|| panic!("no key {from} at {pointer}"));
    obj.insert(to.to_owned(), v);
}

#[test]
fn real_examples_are_accepted_before_mutation() {
    let doc = spec();
    for (op, loc) in [
        ("createOnlineArchive", Loc::Request),
        ("createStreamInstance", Loc::Response("200".into())),
        ("listFlexBackups", Loc::Response("200".into())),
    ] {
        let (value, schema, dir) = example_value(&doc, op, loc, 0);
        assert!(violations(&doc, &value, &schema, dir).is_empty(), "{op}");
    }
}

#[test]
fn a_property_name_typo_fails() {
    let doc = spec();
    let (mut value, schema, dir) = example_value(&doc, "createOnlineArchive", Loc::Request, 0);
    rename_key(&mut value, "", "collName", "colName");
    let found = violations(&doc, &value, &schema, dir);
    assert_rejected(&found, "$.colName", "unknown property `colName`");
    assert_rejected(&found, "$", "required property `collName` is missing");

    // Inside a union variant (dispatched on the discriminator).
    let (mut value, schema, dir) = example_value(&doc, "createOnlineArchive", Loc::Request, 0);
    rename_key(&mut value, "/criteria", "query", "qeury");
    let found = violations(&doc, &value, &schema, dir);
    assert_rejected(&found, "$.criteria.qeury", "unknown property");

    // Inside a response list item.
    let (mut value, schema, dir) =
        example_value(&doc, "listFlexBackups", Loc::Response("200".into()), 0);
    rename_key(&mut value, "/results/0", "finishTime", "finishedTime");
    let found = violations(&doc, &value, &schema, dir);
    assert_rejected(&found, "$.results[0].finishedTime", "unknown property");

    // In a shared error body.
    let (mut value, schema, dir) =
        example_value(&doc, "getOnlineArchive", Loc::Response("404".into()), 0);
    rename_key(&mut value, "", "errorCode", "error_code");
    let found = violations(&doc, &value, &schema, dir);
    assert_rejected(&found, "$.error_code", "unknown property");
}

#[test]
fn a_wrong_enum_value_fails() {
    let doc = spec();
    let (mut value, schema, dir) = example_value(&doc, "createOnlineArchive", Loc::Request, 0);
    value["collectionType"] = json!("STANDART");
    value["dataProcessRegion"]["region"] = json!("US_EAST_9");
    let found = violations(&doc, &value, &schema, dir);
    assert_rejected(&found, "$.collectionType", "not one of the enum values");
    assert_rejected(
        &found,
        "$.dataProcessRegion.region",
        "not one of the enum values",
    );

    let (mut value, schema, dir) =
        example_value(&doc, "listFlexBackups", Loc::Response("200".into()), 0);
    value["results"][0]["status"] = json!("PENDNG");
    let found = violations(&doc, &value, &schema, dir);
    assert_rejected(&found, "$.results[0].status", "not one of the enum values");
}

#[test]
fn a_missing_required_property_fails() {
    let doc = spec();
    let (mut value, schema, dir) = example_value(&doc, "createOnlineArchive", Loc::Request, 0);
    value.as_object_mut().map(|o| o.remove("dbName"));
    let found = violations(&doc, &value, &schema, dir);
    assert_rejected(&found, "$", "required property `dbName` is missing");

    let (mut value, schema, dir) = example_value(&doc, "createServerlessInstance", Loc::Request, 0);
    value["providerSettings"]
        .as_object_mut()
        .map(|o| o.remove("regionName"));
    let found = violations(&doc, &value, &schema, dir);
    assert_rejected(
        &found,
        "$.providerSettings",
        "required property `regionName` is missing",
    );
}

#[test]
fn a_union_with_an_unknown_or_mismatched_tag_fails() {
    let doc = spec();
    let (mut value, schema, dir) = example_value(&doc, "createOnlineArchive", Loc::Request, 0);
    value["schedule"]["type"] = json!("HOURLY");
    let found = violations(&doc, &value, &schema, dir);
    assert_rejected(&found, "$.schedule.type", "unknown discriminator value");

    // The doc page's own mistake: DEFAULT has no window fields.
    let (mut value, schema, dir) = example_value(&doc, "createOnlineArchive", Loc::Request, 0);
    value["schedule"]["type"] = json!("DEFAULT");
    let found = violations(&doc, &value, &schema, dir);
    assert_rejected(&found, "$.schedule.endHour", "unknown property");

    // And the page's unlabelled Azure example under the AWS tag.
    let (mut value, schema, dir) =
        example_value(&doc, "getPrivateEndpoint", Loc::Response("200".into()), 1);
    value["cloudProvider"] = json!("AWS");
    let found = violations(&doc, &value, &schema, dir);
    assert_rejected(&found, "$.privateEndpointIPAddress", "unknown property");
}

#[test]
fn read_only_properties_fail_in_requests() {
    let doc = spec();
    let (mut value, schema, dir) = example_value(&doc, "createStreamInstance", Loc::Request, 0);
    assert_eq!(dir, Direction::Request);
    value["_id"] = json!("32b6e34b3d91647abb20e7b8");
    value["streamConfig"]["links"] = json!([]);
    let found = violations(&doc, &value, &schema, dir);
    assert_rejected(&found, "$._id", "readOnly property");
    assert_rejected(&found, "$.streamConfig.links", "readOnly property");
}

#[test]
fn a_typo_in_the_spec_text_fails_the_whole_example_check() {
    let text = load_spec_text();
    for (from, to, needle) in [
        // property name typo in a recorded example
        (
            "                        clusterGroupId: string\n",
            "                        clusterGroupID: string\n",
            "unknown property `clusterGroupID`",
        ),
        // enum value typo in a recorded example
        (
            "                    status: PENDING\n",
            "                    status: PENDNG\n",
            "not one of the enum values",
        ),
        // enum value typo in the schema instead of the example
        (
            "\n        - GROUP_BACKUP_MANAGER\n",
            "\n        - GROUP_BACKUP_MANGER\n",
            "not one of the enum values",
        ),
    ] {
        assert_eq!(
            text.matches(from).count(),
            1,
            "mutation anchor {from:?} must be unique"
        );
        let doc = parse_spec(&text.replacen(from, to, 1));
        let problems = validate_all_examples(&doc);
        assert!(
            problems.iter().any(|p| p.contains(needle)),
            "mutation {from:?} -> {to:?} was not caught: {problems:#?}"
        );
    }
}

/// A small document exercising the rules the Atlas spec does not use everywhere.
fn mini_doc() -> Value {
    json!({
        "components": {"schemas": {
            "Base": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "integer", "format": "int32"},
                "secret": {"type": "string", "writeOnly": true}
            }},
            "Derived": {"allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "properties": {"when": {"type": "string", "format": "date-time"}}}
            ]},
            "Labels": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 3}},
            "Maybe": {"type": "object", "nullable": true, "properties": {"mail": {"type": "string", "format": "email"}}},
            "List": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "string", "pattern": "^[a-z]+$"}},
            "Loose": {"oneOf": [{"type": "string"}, {"type": "string", "minLength": 1}]},
            "Odd": {"type": "string", "not": {"enum": ["x"]}},
            "Num": {"type": "number", "format": "double", "minimum": 0, "exclusiveMinimum": true}
        }}
    })
}

#[test]
fn the_validator_enforces_the_remaining_rules() {
    let doc = mini_doc();
    let check = |v: Value, schema: &str, dir: Direction| {
        Checker::new(&doc).check_at(&v, &format!("#/components/schemas/{schema}"), dir)
    };
    // allOf merges: both parts' properties are known, required is kept.
    assert!(check(
        json!({"id": 1, "when": "2025-05-04T09:42:00Z"}),
        "Derived",
        Direction::Response
    )
    .is_empty());
    assert_rejected(
        &check(
            json!({"when": "2025-05-04T09:42:00Z"}),
            "Derived",
            Direction::Response,
        ),
        "$",
        "required property `id`",
    );
    assert_rejected(
        &check(
            json!({"id": 1, "whem": "x"}),
            "Derived",
            Direction::Response,
        ),
        "$.whem",
        "unknown property",
    );
    assert_rejected(
        &check(
            json!({"id": 1, "when": "2025-13-04T09:42:00Z"}),
            "Derived",
            Direction::Response,
        ),
        "$.when",
        "date-time",
    );
    // int32 range and integer syntax
    assert_rejected(
        &check(
            json!({"id": 2_147_483_648_i64}),
            "Base",
            Direction::Response,
        ),
        "$.id",
        "does not fit",
    );
    assert_rejected(
        &check(json!({"id": 1.0}), "Base", Direction::Response),
        "$.id",
        "expected an integer",
    );
    // writeOnly in a response, fine in a request
    assert_rejected(
        &check(json!({"id": 1, "secret": "s"}), "Base", Direction::Response),
        "$.secret",
        "writeOnly",
    );
    assert!(check(json!({"id": 1, "secret": "s"}), "Base", Direction::Request).is_empty());
    // additionalProperties schema
    assert!(check(json!({"a": "abc"}), "Labels", Direction::Neither).is_empty());
    assert_rejected(
        &check(json!({"a": "abcd"}), "Labels", Direction::Neither),
        "$.a",
        "maxLength",
    );
    // nullable
    assert!(check(Value::Null, "Maybe", Direction::Neither).is_empty());
    assert_rejected(
        &check(Value::Null, "Base", Direction::Neither),
        "$",
        "null is not allowed",
    );
    assert_rejected(
        &check(json!({"mail": "no-at-sign"}), "Maybe", Direction::Neither),
        "$.mail",
        "email",
    );
    // item counts and patterns
    assert_rejected(
        &check(json!([]), "List", Direction::Neither),
        "$",
        "minItems",
    );
    assert_rejected(
        &check(json!(["a", "b", "c"]), "List", Direction::Neither),
        "$",
        "maxItems",
    );
    assert_rejected(
        &check(json!(["a", "B"]), "List", Direction::Neither),
        "$[1]",
        "does not match pattern",
    );
    // oneOf without discriminator: exactly one must match
    assert_rejected(
        &check(json!("x"), "Loose", Direction::Neither),
        "$",
        "exactly one expected",
    );
    // an unimplemented keyword is reported, not ignored
    assert_rejected(
        &check(json!("y"), "Odd", Direction::Neither),
        "$",
        "unsupported schema keyword `not`",
    );
    // exclusive minimum
    assert_rejected(
        &check(json!(0.0), "Num", Direction::Neither),
        "$",
        "below the minimum",
    );
    // an unresolvable schema pointer
    assert_rejected(
        &check(json!(1), "Nope", Direction::Neither),
        "$",
        "does not resolve",
    );
}

#[test]
fn format_and_pattern_helpers() {
    let is_date_time = |s: &str| is_format("date-time", s);
    let is_email = |s: &str| is_format("email", s);
    assert!(is_date_time("2025-05-04T09:42:00Z"));
    assert!(is_date_time("1990-12-31T23:59:60Z"));
    assert!(is_date_time("1990-12-31T15:59:60.5-08:00"));
    assert!(!is_date_time("2024-02-29T23:59:60.5+05:30"));
    assert!(!is_date_time("2023-02-29T00:00:00Z"));
    assert!(!is_date_time("2025-05-04 09:42:00Z"));
    assert!(is_email("hello@example.com"));
    assert!(!is_email("hello@example"));
    // The documented look-ahead pattern compiles through its documented equivalent.
    let ip = compile_pattern(
        r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for (s, ok) in [
        ("203.0.113.10", true),
        ("255.255.255.255", true),
        ("1.2.3.4.5", true), // the original accepts it too: its IPv4 branch is not end-anchored
        ("1.2.3.4.", false),
        ("256.1.1.1", false),
        ("1.2.3", false),
        ("fe80:0:0:0:0:0:0:1", true),
    ] {
        assert_eq!(ip.is_match(s), ok, "{s}");
    }
    assert!(
        compile_pattern("(?=x)").is_err(),
        "an unknown look-around pattern is an error"
    );
    // Unicode classes of the documented name patterns.
    let name =
        compile_pattern(r"^[\p{L}\p{N}\-_.(),:&@+']{1,64}$").unwrap_or_else(|e| panic!("{e}"));
    assert!(!name.is_match("Équipe-1 (prod)"));
    assert!(name.is_match("Équipe-1_(prod)"));
}
