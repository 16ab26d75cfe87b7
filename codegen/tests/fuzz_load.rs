//! A bounded fuzz run (proptest) over the spec loader and the whole pipeline: arbitrary
//! bytes, YAML/JSON fragment soup, and the fixtures with one node replaced or removed go
//! through `codegen::load` and `codegen::generate`. Nothing may panic, and every error
//! must name the file (then a JSON pointer or a `line:col`).
//!
//! CI runs a few hundred cases (seconds); a longer run:
//! `FUZZ_CASES=20000 cargo test -p codegen --test fuzz_load`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test] fns: a failed expectation should panic"
)]

use std::sync::OnceLock;

use codegen::Input;
use proptest::prelude::*;
use serde_json::Value;

const FILE: &str = "fuzz.yaml";

fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig::with_cases(cases)
}

/// Runs the loader and the pipeline; checks the shape of every error.
fn run(file: &str, text: &[u8]) -> Result<(), TestCaseError> {
    let input = Input {
        file_name: file,
        text,
    };
    if let Err(errors) = codegen::load::load(&input) {
        prop_assert!(!errors.is_empty(), "load: an empty error list");
        for error in &errors {
            let message = error.to_string();
            prop_assert!(message.starts_with(file), "load: no file name: {}", message);
        }
    }
    match codegen::generate(&input) {
        Ok(files) => prop_assert!(!files.is_empty()),
        Err(errors) => {
            prop_assert!(!errors.is_empty(), "generate: an empty error list");
            for error in &errors {
                let message = error.to_string();
                prop_assert!(
                    message.starts_with(file),
                    "generate: no file name: {}",
                    message
                );
            }
        }
    }
    Ok(())
}

/// The fixtures (small valid specs, one concern each) as JSON values.
fn fixtures() -> &'static [Value] {
    static FIXTURES: OnceLock<Vec<Value>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .expect("the fixtures directory")
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| {
                let text = std::fs::read_to_string(p).expect("a fixture");
                serde_yaml::from_str(&text).expect("a fixture is YAML")
            })
            .collect()
    })
}

/// Every node of `value`, as a list of steps from the root, in document order.
fn paths(value: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                at.push(Step::Key(k.clone()));
                paths(v, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push(Step::Index(i));
                paths(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// Replaces (or, with `None`, removes) the node at `path`.
fn mutate(root: &mut Value, path: &[Step], with: Option<Value>) {
    let Some((last, parents)) = path.split_last() else {
        if let Some(v) = with {
            *root = v;
        }
        return;
    };
    let mut node = root;
    for step in parents {
        node = match (step, node) {
            (Step::Key(k), Value::Object(map)) => map.get_mut(k).expect("a key on the path"),
            (Step::Index(i), Value::Array(items)) => items.get_mut(*i).expect("an index"),
            _ => return,
        };
    }
    match (last, node, with) {
        (Step::Key(k), Value::Object(map), Some(v)) => {
            map.insert(k.clone(), v);
        }
        (Step::Key(k), Value::Object(map), None) => {
            map.shift_remove(k);
        }
        (Step::Index(i), Value::Array(items), Some(v)) => {
            if let Some(slot) = items.get_mut(*i) {
                *slot = v;
            }
        }
        (Step::Index(i), Value::Array(items), None) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
}

/// Values that break specs in interesting ways.
fn replacement() -> impl Strategy<Value = Option<Value>> {
    let deep = (0..200).fold(Value::Null, |inner, _| Value::Array(vec![inner]));
    prop::sample::select(vec![
        None,
        Some(Value::Null),
        Some(serde_json::json!(0)),
        Some(serde_json::json!(-1)),
        Some(serde_json::json!(1e308)),
        Some(serde_json::json!(u64::MAX)),
        Some(serde_json::json!(true)),
        Some(serde_json::json!("")),
        Some(serde_json::json!("{}")),
        Some(serde_json::json!("é\u{0}\u{fffd}")),
        Some(serde_json::json!([])),
        Some(serde_json::json!({})),
        Some(serde_json::json!({"$ref": "#/components/schemas/Missing"})),
        Some(serde_json::json!({"$ref": "#/components/schemas"})),
        Some(serde_json::json!({"$ref": "other.yaml#/x"})),
        Some(serde_json::json!({"$ref": "#"})),
        Some(
            serde_json::json!({"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}}),
        ),
        Some(serde_json::json!({"oneOf": [], "discriminator": {"propertyName": ""}})),
        Some(serde_json::json!({"allOf": [{"type": "string"}, {"type": "integer"}]})),
        Some(serde_json::json!({"type": "array"})),
        Some(serde_json::json!({"enum": [null, 1, "a", "A", "a"]})),
        Some(serde_json::json!({"type": "integer", "minimum": "x", "maximum": -1.5e300})),
        Some(serde_json::json!({"type": "string", "pattern": "(?<=a)[", "format": "date-time"})),
        Some(deep),
    ])
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn fuzz_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..1024), json in any::<bool>()) {
        run(if json { "fuzz.json" } else { FILE }, &bytes)?;
    }

    #[test]
    fn fuzz_fragment_soup(parts in prop::collection::vec(prop::sample::select(vec![
        "openapi: 3.0.3\n", "openapi: \"3.0.0\"\n", "info: {title: t, version: v}\n", "paths:\n",
        "  /a/{b}:\n", "    get:\n", "      operationId: x\n", "      responses: {'200': {description: ok}}\n",
        "components:\n", "  schemas:\n", "    A: {$ref: '#/components/schemas/A'}\n",
        "    B: {type: object, properties: {c: {$ref: '#/components/schemas/B'}}}\n",
        "&a [*a]\n", "!!binary x\n", "- ", ": ", "{", "}", "[", "]", "\"", "'", "\t", "\n", "#", "%YAML 1.2\n",
        "---\n", "...\n", "? ", "|\n", ">\n", "~", "0x1F", "1e999", "\u{feff}", "\r\n",
    ]), 0..48)) {
        run(FILE, parts.concat().as_bytes())?;
    }
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn fuzz_fixtures_with_one_node_changed(
        which in any::<prop::sample::Index>(),
        node in any::<prop::sample::Index>(),
        with in replacement(),
        as_json in any::<bool>(),
    ) {
        let fixtures = fixtures();
        let mut doc = which.get(fixtures).clone();
        let mut all = Vec::new();
        paths(&doc, &mut Vec::new(), &mut all);
        let path = node.get(&all).clone();
        mutate(&mut doc, &path, with);
        if as_json {
            run("fuzz.json", serde_json::to_string(&doc).unwrap().as_bytes())?;
        } else {
            run(FILE, serde_yaml::to_string(&doc).unwrap().as_bytes())?;
        }
    }
}
