//! One JSON Schema 2020-12 schema object (OpenAPI 3.1) → its OpenAPI 3.0 form. Children
//! are already normalised when a schema is (see `oas31::walk`).
//!
//! | 3.1 | becomes |
//! |---|---|
//! | `type: [x, "null"]` | `type: x`, `nullable: true` (only if an `enum` allows `null`, when there is one) |
//! | `type: "null"` alone | `nullable: true`, `enum: [null]` (a value that is always `null`) |
//! | `type: [x, y]` | `oneOf` of one schema per type, each with the keywords that apply to it (and its `enum` values); `[integer, number]` is `number` |
//! | `oneOf`/`anyOf` with a `{type: "null"}` member | the member dropped, `nullable: true` |
//! | `const: v` | `enum: [v]` |
//! | `examples: [a, …]` | `example: a` |
//! | `exclusiveMinimum: n` (a number) | `minimum: n`, `exclusiveMinimum: true` (whichever of the two bounds is tighter) |
//! | `contentEncoding: base64`/`base64url` | `format: byte` |
//! | `contentMediaType` (not text, JSON or XML), no encoding | `format: binary` |
//! | `$ref` next to other keywords | `allOf: [{$ref}]` with those keywords beside it (only `description`, `title`, `summary` and `x-` extensions stay next to the `$ref`, where lowering reads them) |
//! | `unevaluatedProperties` | `additionalProperties`, when there is none |
//! | `patternProperties` | `additionalProperties`: the pattern's schema (several: `anyOf` of them); keys are not checked against the pattern |
//! | `prefixItems` (or the draft-04 `items: [A, B]`) all alike | `items` (and `maxItems` when closed) |
//! | `items: false` without `prefixItems` | `maxItems: 0` |
//! | `if`/`then`/`else`, `dependentSchemas` that only constrain declared properties | dropped (the client checks less than the schema says, never more) |
//! | `$defs`, `definitions`, `$id`, `$schema`, `$anchor`, `$dynamicAnchor`, `$comment`, `$vocabulary`, `contains`, `minContains`, `maxContains`, `propertyNames`, `dependentRequired`, `contentSchema`, `unevaluatedItems` | dropped (annotations, or checks that only narrow the values; references into `$defs` were hoisted to components first) |
//! | a property whose schema is `false` | dropped, with its `required` entry |
//!
//! Unsupported, each an error with its pointer: `$dynamicRef`; `prefixItems` whose items
//! differ (a tuple); `then`/`else`/`dependentSchemas` that declare properties the schema
//! does not (a type that changes with the data); a `type` list beside both `oneOf` and
//! `anyOf`, or with an entry that is not a string.

use serde_json::{Map, Value};

use super::problem::{unsupported, Problem};
use super::type_lists;
use crate::pointer::JsonPointer;

const DROPPED: &[&str] = &[
    "$defs",
    "definitions",
    "$id",
    "$schema",
    "$anchor",
    "$dynamicAnchor",
    "$comment",
    "$vocabulary",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "dependentRequired",
    "contentSchema",
    "unevaluatedItems",
];

/// Keywords that stay next to a `$ref` (lowering reads them there).
const REF_DOCS: &[&str] = &["description", "title", "summary"];

/// Rewrites one schema object (see the module docs).
pub(crate) fn schema(map: &mut Map<String, Value>, at: &JsonPointer) -> Result<(), Problem> {
    if map.contains_key("$dynamicRef") {
        return Err(unsupported(
            &at.push("$dynamicRef"),
            "`$dynamicRef`",
            "a plain `$ref`",
        ));
    }
    for key in DROPPED {
        map.shift_remove(*key);
    }
    if let Some(v) = map.shift_remove("const") {
        map.insert("enum".into(), Value::Array(vec![v]));
    }
    if let Some(examples) = map.shift_remove("examples") {
        if let Some(first) = examples.as_array().and_then(|e| e.first()) {
            map.entry("example").or_insert_with(|| first.clone());
        }
    }
    exclusive_bounds(map);
    content(map);
    conditionals(map, at)?;
    if let Some(v) = map.shift_remove("unevaluatedProperties") {
        map.entry("additionalProperties").or_insert(v);
    }
    pattern_properties(map);
    prefix_items(map, at)?;
    false_properties(map);
    type_lists::null_members(map);
    type_lists::types(map, at)?;
    ref_siblings(map);
    Ok(())
}

/// `exclusiveMinimum: 5` → `minimum: 5, exclusiveMinimum: true` (the tighter bound wins
/// when `minimum` is there too); the same for the maximum.
fn exclusive_bounds(map: &mut Map<String, Value>) {
    for (exclusive, bound, tighter) in [
        (
            "exclusiveMinimum",
            "minimum",
            (|e: f64, b: f64| e >= b) as fn(f64, f64) -> bool,
        ),
        ("exclusiveMaximum", "maximum", |e: f64, b: f64| e <= b),
    ] {
        let Some(Value::Number(e)) = map.get(exclusive).cloned() else {
            continue;
        };
        let keep_bound = match map.get(bound).and_then(Value::as_f64) {
            Some(b) => e.as_f64().is_some_and(|e| !tighter(e, b)),
            None => false,
        };
        if keep_bound {
            map.shift_remove(exclusive);
        } else {
            map.insert(bound.into(), Value::Number(e));
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
}

/// `contentEncoding`/`contentMediaType` → `format: byte`/`binary`.
fn content(map: &mut Map<String, Value>) {
    let encoding = map.shift_remove("contentEncoding");
    let media = map.shift_remove("contentMediaType");
    if map.contains_key("format") {
        return;
    }
    let format = match (
        encoding.as_ref().and_then(Value::as_str),
        media.as_ref().and_then(Value::as_str),
    ) {
        (Some("base64" | "base64url"), _) => "byte",
        (None, Some(m)) if !is_textual(m) => "binary",
        _ => return,
    };
    map.insert("format".into(), Value::String(format.into()));
}

fn is_textual(media: &str) -> bool {
    let m = media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .to_ascii_lowercase();
    m.starts_with("text/")
        || m.ends_with("/json")
        || m.ends_with("+json")
        || m.ends_with("/xml")
        || m.ends_with("+xml")
        || m == "application/x-www-form-urlencoded"
}

/// `then`/`else`/`dependentSchemas` are dropped when they declare no property of their own.
fn conditionals(map: &mut Map<String, Value>, at: &JsonPointer) -> Result<(), Problem> {
    let declared: Vec<String> = map
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    let mut subschemas: Vec<(JsonPointer, &str, &Value)> = Vec::new();
    for key in ["then", "else"] {
        if let Some(s) = map.get(key) {
            subschemas.push((at.push(key), key, s));
        }
    }
    if let Some(Value::Object(deps)) = map.get("dependentSchemas") {
        for (name, s) in deps {
            let sub_at = at.push("dependentSchemas").push(name.as_str());
            subschemas.push((sub_at, "dependentSchemas", s));
        }
    }
    for (sub_at, keyword, s) in subschemas {
        let own = s.get("properties").and_then(Value::as_object);
        if let Some(name) = own
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
            .find(|k| !declared.contains(k))
        {
            return Err(unsupported(
                &sub_at.push("properties").push(name.as_str()),
                format!("property `{name}` declared only in a conditional schema (`{keyword}`)"),
                "conditional schemas (if/then/else, dependentSchemas) that only constrain properties the schema declares",
            ));
        }
    }
    for key in ["if", "then", "else", "dependentSchemas"] {
        map.shift_remove(key);
    }
    Ok(())
}

/// `patternProperties` → the map's value schema.
fn pattern_properties(map: &mut Map<String, Value>) {
    let Some(Value::Object(patterns)) = map.shift_remove("patternProperties") else {
        return;
    };
    let mut values: Vec<Value> = patterns.into_iter().map(|(_, v)| v).collect();
    match map.get("additionalProperties") {
        Some(Value::Bool(true)) => return,
        Some(Value::Object(extra)) => values.push(Value::Object(extra.clone())),
        _ => {}
    }
    let mut distinct: Vec<Value> = Vec::new();
    for v in values {
        if !distinct.contains(&v) {
            distinct.push(v);
        }
    }
    let value = match distinct.len() {
        0 => return,
        1 => distinct.into_iter().next().unwrap_or_default(),
        _ => {
            let mut any = Map::new();
            any.insert("anyOf".into(), Value::Array(distinct));
            Value::Object(any)
        }
    };
    map.insert("additionalProperties".into(), value);
}

/// `prefixItems` whose items are alike → `items`; `items: true|false` → 3.0 forms.
fn prefix_items(map: &mut Map<String, Value>, at: &JsonPointer) -> Result<(), Problem> {
    // The draft-04 tuple form (`items: [A, B]`) reads as `prefixItems` with nothing after.
    let legacy_tuple =
        matches!(map.get("items"), Some(Value::Array(_))) && !map.contains_key("prefixItems");
    if legacy_tuple {
        if let Some(items) = map.shift_remove("items") {
            map.insert("prefixItems".into(), items);
            let closed = map.shift_remove("additionalItems") == Some(Value::Bool(false));
            if closed {
                map.insert("items".into(), Value::Bool(false));
            }
        }
    }
    let keyword = if legacy_tuple { "items" } else { "prefixItems" };
    if let Some(Value::Array(prefix)) = map.shift_remove("prefixItems") {
        let first = prefix.first().cloned();
        let alike = prefix.iter().all(|p| Some(p) == first.as_ref());
        let rest_alike = match map.get("items") {
            None | Some(Value::Bool(_)) => true,
            Some(items) => Some(items) == first.as_ref(),
        };
        if !alike || !rest_alike {
            return Err(unsupported(
                &at.push(keyword),
                format!("`{keyword}` with items of different schemas (a tuple)"),
                "an array whose items share one schema (`items`)",
            ));
        }
        let closed = map.get("items") == Some(&Value::Bool(false));
        match first {
            Some(item) => {
                map.insert("items".into(), item);
                if closed {
                    map.entry("maxItems").or_insert_with(|| prefix.len().into());
                }
            }
            None => {
                map.shift_remove("items");
            }
        }
    }
    match map.get("items") {
        Some(Value::Bool(true)) => {
            map.insert("items".into(), Value::Object(Map::new()));
        }
        Some(Value::Bool(false)) => {
            map.shift_remove("items");
            map.insert("maxItems".into(), 0.into());
        }
        _ => {}
    }
    Ok(())
}

/// `true` → `{}`, `false` → `{not: {}}`.
pub(super) fn boolean_schema(node: &mut Value) {
    if let Value::Bool(b) = *node {
        let mut map = Map::new();
        if !b {
            map.insert("not".into(), Value::Object(Map::new()));
        }
        *node = Value::Object(map);
    }
}

/// Whether `node` is the `{not: {}}` a `false` schema became.
fn is_false_schema(node: &Value) -> bool {
    matches!(node, Value::Object(m) if m.len() == 1
        && m.get("not").is_some_and(|n| n.as_object().is_some_and(Map::is_empty)))
}

/// Properties whose schema is `false` cannot be present: dropped.
fn false_properties(map: &mut Map<String, Value>) {
    let mut dropped: Vec<String> = Vec::new();
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        props.retain(|k, v| {
            let keep = !is_false_schema(v);
            if !keep {
                dropped.push(k.clone());
            }
            keep
        });
    }
    if let (false, Some(Value::Array(required))) = (dropped.is_empty(), map.get_mut("required")) {
        required.retain(|r| !r.as_str().is_some_and(|r| dropped.iter().any(|d| d == r)));
    }
}

/// `{$ref, nullable, readOnly…}` → `{allOf: [{$ref}], nullable, readOnly…}`.
fn ref_siblings(map: &mut Map<String, Value>) {
    if !map.get("$ref").is_some_and(Value::is_string) {
        return;
    }
    let meaningful = map
        .keys()
        .any(|k| k != "$ref" && !REF_DOCS.contains(&k.as_str()) && !k.starts_with("x-"));
    if !meaningful {
        return;
    }
    let Some(reference) = map.shift_remove("$ref") else {
        return;
    };
    let mut only = Map::new();
    only.insert("$ref".into(), reference);
    let mut all_of = vec![Value::Object(only)];
    if let Some(Value::Array(existing)) = map.shift_remove("allOf") {
        all_of.extend(existing);
    }
    map.insert("allOf".into(), Value::Array(all_of));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn norm(v: Value) -> Value {
        let Value::Object(mut map) = v else { panic!() };
        schema(&mut map, &JsonPointer::root()).unwrap();
        Value::Object(map)
    }

    fn err(v: Value) -> String {
        let Value::Object(mut map) = v else { panic!() };
        let (at, kind) = schema(&mut map, &JsonPointer::root().push("S")).unwrap_err();
        format!("{at}: {kind}")
    }

    #[test]
    fn nullable_types() {
        assert_eq!(
            norm(json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            norm(json!({"type": ["null", "integer", "number"]})),
            json!({"type": "number", "nullable": true})
        );
        assert_eq!(
            norm(json!({"type": "null"})),
            json!({"nullable": true, "enum": [null]})
        );
        assert_eq!(
            norm(json!({"type": ["string", "null"], "enum": ["a"]})),
            json!({"type": "string", "enum": ["a"]})
        );
        assert_eq!(norm(json!({"type": ["string"]})), json!({"type": "string"}));
        assert_eq!(
            norm(
                json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"nullable": true, "enum": [null]}]})
            ),
            json!({"anyOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})
        );
    }

    #[test]
    fn several_types_split_with_their_keywords() {
        assert_eq!(
            norm(
                json!({"type": ["string", "integer", "null"], "minLength": 1, "minimum": 0, "format": "int64", "description": "d"})
            ),
            json!({"description": "d", "oneOf": [{"type": "string", "minLength": 1}, {"type": "integer", "minimum": 0, "format": "int64"}], "nullable": true})
        );
        assert_eq!(
            norm(json!({"type": ["string", "boolean", "array"], "enum": ["a", true]})),
            json!({"oneOf": [{"type": "string", "enum": ["a"]}, {"type": "boolean", "enum": [true]}]})
        );
        assert_eq!(
            norm(json!({"type": ["string", "boolean"], "enum": ["a"]})),
            json!({"type": "string", "enum": ["a"]})
        );
        assert!(
            err(json!({"type": ["string", "object"], "oneOf": [{}], "anyOf": [{}]}))
                .starts_with("#/S/type: a `type` list beside both")
        );
        assert!(err(json!({"type": ["string", 1]}))
            .starts_with("#/S/type/1: a `type` list entry 1 is not supported"));
    }

    #[test]
    fn const_examples_bounds_and_content() {
        assert_eq!(
            norm(json!({"const": "x", "examples": ["a", "b"]})),
            json!({"enum": ["x"], "example": "a"})
        );
        assert_eq!(
            norm(json!({"exclusiveMinimum": 0, "exclusiveMaximum": 10.5})),
            json!({"minimum": 0, "exclusiveMinimum": true, "maximum": 10.5, "exclusiveMaximum": true})
        );
        assert_eq!(
            norm(json!({"minimum": 5, "exclusiveMinimum": 1})),
            json!({"minimum": 5})
        );
        assert_eq!(
            norm(json!({"minimum": 1, "exclusiveMinimum": 5})),
            json!({"minimum": 5, "exclusiveMinimum": true})
        );
        assert_eq!(
            norm(json!({"exclusiveMinimum": true, "minimum": 1})),
            json!({"exclusiveMinimum": true, "minimum": 1})
        );
        assert_eq!(
            norm(json!({"type": "string", "contentEncoding": "base64"})),
            json!({"type": "string", "format": "byte"})
        );
        assert_eq!(
            norm(json!({"type": "string", "contentMediaType": "image/png"})),
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            norm(json!({"type": "string", "contentMediaType": "application/json"})),
            json!({"type": "string"})
        );
    }

    #[test]
    fn ref_siblings_become_an_all_of_wrapper_unless_only_docs() {
        let r = "#/components/schemas/A";
        assert_eq!(
            norm(json!({"$ref": r, "description": "d", "x-a": 1})),
            json!({"$ref": r, "description": "d", "x-a": 1})
        );
        assert_eq!(
            norm(json!({"$ref": r, "nullable": true, "description": "d"})),
            json!({"nullable": true, "description": "d", "allOf": [{"$ref": r}]})
        );
        assert_eq!(
            norm(json!({"$ref": r, "allOf": [{"type": "object"}], "readOnly": true})),
            json!({"readOnly": true, "allOf": [{"$ref": r}, {"type": "object"}]})
        );
    }

    #[test]
    fn maps_tuples_conditionals_and_annotations() {
        assert_eq!(
            norm(json!({"type": "object", "patternProperties": {"^x": {"type": "string"}}})),
            json!({"type": "object", "additionalProperties": {"type": "string"}})
        );
        assert_eq!(
            norm(
                json!({"patternProperties": {"^x": {"type": "string"}, "^y": {"type": "integer"}}, "additionalProperties": false})
            ),
            json!({"additionalProperties": {"anyOf": [{"type": "string"}, {"type": "integer"}]}})
        );
        assert_eq!(
            norm(json!({"unevaluatedProperties": false})),
            json!({"additionalProperties": false})
        );
        assert_eq!(
            norm(
                json!({"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}], "items": false})
            ),
            json!({"type": "array", "items": {"type": "number"}, "maxItems": 2})
        );
        assert!(err(json!({"prefixItems": [{"type": "number"}, {"type": "string"}]})).starts_with("#/S/prefixItems: `prefixItems` with items of different schemas (a tuple) is not supported"));
        assert!(
            err(json!({"items": [{"type": "number"}, {"type": "string"}]})).starts_with(
                "#/S/items: `items` with items of different schemas (a tuple) is not supported"
            )
        );
        assert_eq!(
            norm(
                json!({"items": [{"type": "number"}, {"type": "number"}], "additionalItems": false})
            ),
            json!({"items": {"type": "number"}, "maxItems": 2})
        );
        assert_eq!(
            norm(
                json!({"properties": {"a": {}, "b": {"not": {}}}, "required": ["a", "b"], "if": {"properties": {"a": {"const": 1}}}, "then": {"required": ["a"]}, "$defs": {"X": {}}, "$comment": "c"})
            ),
            json!({"properties": {"a": {}}, "required": ["a"]})
        );
        assert_eq!(
            err(json!({"properties": {"a": {}}, "dependentSchemas": {"a": {"properties": {"z": {}}}}})),
            "#/S/dependentSchemas/a/properties/z: property `z` declared only in a conditional schema (`dependentSchemas`) is not supported; expected conditional schemas (if/then/else, dependentSchemas) that only constrain properties the schema declares"
        );
        assert!(err(json!({"$dynamicRef": "#node"}))
            .starts_with("#/S/$dynamicRef: `$dynamicRef` is not supported"));
    }
}
