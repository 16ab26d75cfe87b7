//! `type` lists and `null` (OpenAPI 3.1): `[x, "null"]`, `"null"` alone, several types
//! split into `oneOf`, `null` members of `anyOf`/`oneOf`. Part of [`super::schema31`]'s
//! rules (its module docs have the table).

use serde_json::{Map, Value};

use super::problem::{unsupported, Problem};
use crate::pointer::JsonPointer;

/// Keywords that belong to one type when a `type` list is split.
const STRING_KEYWORDS: &[&str] = &["minLength", "maxLength", "pattern"];
const NUMBER_KEYWORDS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];
const OBJECT_KEYWORDS: &[&str] = &[
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
];
const ARRAY_KEYWORDS: &[&str] = &["items", "minItems", "maxItems", "uniqueItems"];

/// What `type: "null"` becomes: a value that is always `null`.
fn null_form(map: &mut Map<String, Value>) {
    map.shift_remove("type");
    map.insert("nullable".into(), Value::Bool(true));
    map.insert("enum".into(), Value::Array(vec![Value::Null]));
}

/// Whether a normalised member only says "null".
fn is_null_member(v: &Value) -> bool {
    let Value::Object(m) = v else {
        return false;
    };
    m.get("enum") == Some(&Value::Array(vec![Value::Null]))
        && m.keys()
            .all(|k| matches!(k.as_str(), "enum" | "nullable" | "description" | "title"))
}

/// `anyOf: [X, {type: "null"}]` → `anyOf: [X]`, `nullable: true`.
pub(super) fn null_members(map: &mut Map<String, Value>) {
    for keyword in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = map.get_mut(keyword) else {
            continue;
        };
        let before = members.len();
        members.retain(|m| !is_null_member(m));
        if members.len() == before {
            continue;
        }
        if members.is_empty() {
            map.shift_remove(keyword);
            null_form(map);
        } else {
            map.insert("nullable".into(), Value::Bool(true));
        }
    }
}

/// `type` lists and `type: "null"` (see the module docs).
pub(super) fn types(map: &mut Map<String, Value>, at: &JsonPointer) -> Result<(), Problem> {
    let list = match map.get("type") {
        Some(Value::String(t)) if t == "null" => {
            null_form(map);
            return Ok(());
        }
        Some(Value::Array(list)) => list.clone(),
        _ => return Ok(()),
    };
    let mut names: Vec<String> = Vec::new();
    for (i, t) in list.iter().enumerate() {
        // YAML's unquoted `null` in `type: [string, null]` means the type name.
        let t = if t.is_null() {
            &Value::String("null".into())
        } else {
            t
        };
        let Some(t) = t.as_str() else {
            return Err(unsupported(
                &at.push("type").index(i),
                format!("a `type` list entry {t}"),
                "type names (strings) such as \"string\" or \"null\"",
            ));
        };
        if !names.iter().any(|n| n == t) {
            names.push(t.to_owned());
        }
    }
    let has_null = names.iter().any(|n| n == "null");
    names.retain(|n| n != "null");
    if names.iter().any(|n| n == "number") {
        names.retain(|n| n != "integer");
    }
    let enum_allows_null = match map.get("enum") {
        Some(Value::Array(values)) => values.contains(&Value::Null),
        _ => true,
    };
    match names.as_slice() {
        [] if has_null => {
            null_form(map);
            return Ok(());
        }
        [] => {
            map.shift_remove("type");
        }
        [only] => {
            map.insert("type".into(), Value::String(only.clone()));
        }
        _ => split(map, &names, at)?,
    }
    if has_null && enum_allows_null {
        map.insert("nullable".into(), Value::Bool(true));
    }
    Ok(())
}

/// A schema of several types → `oneOf` of one schema per type.
fn split(map: &mut Map<String, Value>, names: &[String], at: &JsonPointer) -> Result<(), Problem> {
    map.shift_remove("type");
    let values = match map.shift_remove("enum") {
        Some(Value::Array(v)) => Some(v),
        _ => None,
    };
    let format = map.get("format").and_then(Value::as_str).map(str::to_owned);
    let numeric_format = format
        .as_deref()
        .is_some_and(|f| matches!(f, "int32" | "int64" | "float" | "double"));
    let mut branches: Vec<Map<String, Value>> = Vec::new();
    for name in names {
        let mut branch = Map::new();
        branch.insert("type".into(), Value::String(name.clone()));
        let keywords: &[&str] = match name.as_str() {
            "string" => STRING_KEYWORDS,
            "number" | "integer" => NUMBER_KEYWORDS,
            "object" => OBJECT_KEYWORDS,
            "array" => ARRAY_KEYWORDS,
            _ => &[],
        };
        for key in keywords {
            if let Some(v) = map.get(*key) {
                branch.insert((*key).into(), v.clone());
            }
        }
        let takes_format = match name.as_str() {
            "string" => !numeric_format,
            "number" | "integer" => numeric_format,
            _ => false,
        };
        if let (true, Some(f)) = (takes_format, &format) {
            branch.insert("format".into(), Value::String(f.clone()));
        }
        if let Some(values) = &values {
            let mine: Vec<Value> = values
                .iter()
                .filter(|v| is_of_type(v, name))
                .cloned()
                .collect();
            if mine.is_empty() {
                continue;
            }
            branch.insert("enum".into(), Value::Array(mine));
        }
        branches.push(branch);
    }
    for key in STRING_KEYWORDS
        .iter()
        .chain(NUMBER_KEYWORDS)
        .chain(OBJECT_KEYWORDS)
        .chain(ARRAY_KEYWORDS)
        .chain(&["format"])
    {
        map.shift_remove(*key);
    }
    if let Some(values) = &values {
        if values.contains(&Value::Null) && branches.is_empty() {
            null_form(map);
            return Ok(());
        }
    }
    if let [only] = branches.as_slice() {
        map.extend(only.clone());
        return Ok(());
    }
    let keyword = match (map.contains_key("oneOf"), map.contains_key("anyOf")) {
        (false, _) => "oneOf",
        (true, false) => "anyOf",
        (true, true) => {
            return Err(unsupported(
                &at.push("type"),
                "a `type` list beside both `oneOf` and `anyOf`",
                "a single type, or a type list on a schema without oneOf or anyOf",
            ))
        }
    };
    let branches = branches.into_iter().map(Value::Object).collect();
    map.insert(keyword.into(), Value::Array(branches));
    Ok(())
}

fn is_of_type(v: &Value, name: &str) -> bool {
    match (v, name) {
        (Value::String(_), "string")
        | (Value::Bool(_), "boolean")
        | (Value::Object(_), "object")
        | (Value::Array(_), "array")
        | (Value::Number(_), "number") => true,
        (Value::Number(n), "integer") => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}
