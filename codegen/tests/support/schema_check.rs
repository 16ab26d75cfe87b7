//! Strict validation of JSON values against the schemas of one OpenAPI 3.0 document.
//!
//! Input: the whole document as a `serde_json::Value` (so that `$ref`s resolve), a value and
//! the schema (or the JSON pointer of the schema) it must satisfy. Output: every violation,
//! each naming the JSON path in the value (`$.connections[0].type`) and the JSON pointer of
//! the schema that rejected it (`#/components/schemas/StreamsClusterConnection/...`).
//!
//! Stricter than JSON Schema on purpose, because it guards hand-transcribed examples:
//! - objects are closed unless `additionalProperties` says otherwise, so a typo in a property
//!   name is an error;
//! - a keyword this checker does not implement is an error, never silently ignored;
//! - `readOnly` properties are errors in request values and `writeOnly` ones in response
//!   values (`required` then applies only in the other direction, as OpenAPI 3.0 says);
//! - `oneOf` + `discriminator` dispatches on the tag (explicit `mapping`, else the schema
//!   name); an unknown tag is an error;
//! - integers must be written without a fraction and fit their `format` (int32/int64).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;

use regex::Regex;
use serde_json::{Map, Value};

/// Which way the value travels: it decides what `readOnly` / `writeOnly` mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// A request body: `readOnly` properties must not appear.
    Request,
    /// A response body: `writeOnly` properties must not appear.
    Response,
    /// A parameter value or a schema-level `example`: neither rule applies.
    Neither,
}

/// One reason why a value does not satisfy its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Where in the checked value, as `$`, `$.a.b`, `$.list[3]`.
    pub path: String,
    /// JSON pointer of the schema (inside the document) that rejected the value.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (schema {})",
            self.path, self.message, self.pointer
        )
    }
}

/// Patterns the `regex` crate cannot compile (look-around), with an equivalent that it can.
/// Each entry is a documented pattern of the spec; the equivalence is argued next to it.
const LOOKAROUND_EQUIVALENTS: &[(&str, &str)] = &[(
    // UserAccessListResponse.ipAddress. In the original, each of the four octet groups ends
    // with `\.(?!$)` (a dot that is not the last character) or `$`; a group ending at `$`
    // cannot be followed by another octet, so the first three end with a dot and the whole
    // IPv4 branch means "o.o.o.o, then end of input or a dot followed by any character".
    r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$",
    r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)\.){3}(25[0-5]|(2[0-4]|1\d|[1-9]|)\d)($|\.[\s\S])|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$",
)];

/// Schema keywords this checker implements or knowingly ignores (annotations).
const KNOWN_KEYWORDS: &[&str] = &[
    "$ref",
    "type",
    "format",
    "enum",
    "default",
    "nullable",
    "readOnly",
    "writeOnly",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "allOf",
    "oneOf",
    "anyOf",
    "discriminator",
    // annotations
    "title",
    "description",
    "example",
    "externalDocs",
    "deprecated",
];

/// Validates values against the schemas of one document.
pub struct Checker<'a> {
    doc: &'a Value,
    regexes: RefCell<BTreeMap<String, Result<Regex, String>>>,
}

impl<'a> Checker<'a> {
    pub fn new(doc: &'a Value) -> Self {
        Checker {
            doc,
            regexes: RefCell::new(BTreeMap::new()),
        }
    }

    /// Looks up a local reference (`#/components/schemas/X`) in the document.
    pub fn resolve(&self, reference: &str) -> Option<&'a Value> {
        resolve_pointer(self.doc, reference)
    }

    /// Checks `value` against the schema found at `schema_pointer` (`#/...`).
    pub fn check_at(&self, value: &Value, schema_pointer: &str, dir: Direction) -> Vec<Violation> {
        let mut out = Vec::new();
        match self.resolve(schema_pointer) {
            Some(schema) => self.check(value, schema, schema_pointer, "$", dir, &mut out),
            None => out.push(Violation {
                path: "$".to_owned(),
                pointer: schema_pointer.to_owned(),
                message: "schema pointer does not resolve".to_owned(),
            }),
        }
        out
    }

    fn check(
        &self,
        value: &Value,
        schema: &Value,
        ptr: &str,
        path: &str,
        dir: Direction,
        out: &mut Vec<Violation>,
    ) {
        let Some(obj) = schema.as_object() else {
            if schema.as_bool() == Some(true) {
                return;
            }
            out.push(viol(
                path,
                ptr,
                format!("schema is not an object: {schema}"),
            ));
            return;
        };

        // `$ref`: in OpenAPI 3.0 its siblings are ignored, so only the target counts.
        if let Some(reference) = obj.get("$ref") {
            let Some(target_ref) = reference.as_str() else {
                out.push(viol(path, ptr, "$ref is not a string".to_owned()));
                return;
            };
            match self.resolve(target_ref) {
                Some(target) => self.check(value, target, target_ref, path, dir, out),
                None => out.push(viol(
                    path,
                    ptr,
                    format!("$ref {target_ref} does not resolve"),
                )),
            }
            return;
        }

        for key in obj.keys() {
            if !key.starts_with("x-") && !KNOWN_KEYWORDS.contains(&key.as_str()) {
                out.push(viol(
                    path,
                    ptr,
                    format!("unsupported schema keyword `{key}`"),
                ));
            }
        }

        // allOf: merge the parts (resolving their $refs) into one schema, then check that.
        if obj.contains_key("allOf") {
            match self.merge_all_of(obj, ptr) {
                Ok(merged) => self.check(value, &Value::Object(merged), ptr, path, dir, out),
                Err(message) => out.push(viol(path, ptr, message)),
            }
            return;
        }

        if value.is_null() {
            if obj.get("nullable").and_then(Value::as_bool) != Some(true) {
                out.push(viol(
                    path,
                    ptr,
                    "null is not allowed here (the schema is not nullable)".to_owned(),
                ));
            }
            return;
        }

        if let Some(variants) = obj.get("oneOf") {
            self.check_one_of(value, obj, variants, ptr, path, dir, out);
            return;
        }
        if let Some(variants) = obj.get("anyOf") {
            let Some(list) = variants.as_array() else {
                out.push(viol(path, ptr, "anyOf is not an array".to_owned()));
                return;
            };
            let ok = list.iter().enumerate().any(|(i, v)| {
                let mut sub = Vec::new();
                self.check(value, v, &format!("{ptr}/anyOf/{i}"), path, dir, &mut sub);
                sub.is_empty()
            });
            if !ok {
                out.push(viol(
                    path,
                    ptr,
                    "matches none of the anyOf schemas".to_owned(),
                ));
            }
            return;
        }

        if let Some(allowed) = obj.get("enum") {
            match allowed.as_array() {
                Some(list) if list.iter().any(|a| json_equal(a, value)) => {}
                Some(list) => out.push(viol(
                    path,
                    ptr,
                    format!(
                        "{value} is not one of the enum values [{}]",
                        list.iter()
                            .map(Value::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
                None => out.push(viol(path, ptr, "enum is not an array".to_owned())),
            }
        }

        let declared = obj.get("type").and_then(Value::as_str);
        let ty = match declared {
            Some(t) => t,
            None if obj.contains_key("properties") || obj.contains_key("additionalProperties") => {
                "object"
            }
            None if obj.contains_key("items") => "array",
            // No type and nothing that implies one: any value.
            None => return,
        };
        match ty {
            "string" => self.check_string(value, obj, ptr, path, out),
            "integer" => check_integer(value, obj, ptr, path, out),
            "number" => check_number(value, obj, ptr, path, out),
            "boolean" => {
                if !value.is_boolean() {
                    out.push(viol(
                        path,
                        ptr,
                        format!("expected a boolean, found {}", kind(value)),
                    ));
                }
            }
            "array" => self.check_array(value, obj, ptr, path, dir, out),
            "object" => self.check_object(value, obj, ptr, path, dir, out),
            other => out.push(viol(path, ptr, format!("unknown type `{other}`"))),
        }
    }

    #[allow(clippy::too_many_arguments)] // one call site; grouping them would only add noise
    fn check_one_of(
        &self,
        value: &Value,
        obj: &Map<String, Value>,
        variants: &Value,
        ptr: &str,
        path: &str,
        dir: Direction,
        out: &mut Vec<Violation>,
    ) {
        let here = |message: String| Violation {
            path: path.to_owned(),
            pointer: ptr.to_owned(),
            message,
        };
        let Some(list) = variants.as_array() else {
            out.push(here("oneOf is not an array".to_owned()));
            return;
        };
        if let Some(disc) = obj.get("discriminator") {
            let Some(prop) = disc.get("propertyName").and_then(Value::as_str) else {
                out.push(here("discriminator has no propertyName".to_owned()));
                return;
            };
            let Some(map) = value.as_object() else {
                out.push(here(format!("expected an object, found {}", kind(value))));
                return;
            };
            match map.get(prop) {
                Some(Value::String(tag)) => {
                    let explicit = disc
                        .get("mapping")
                        .and_then(|m| m.get(tag))
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    // Without a mapping entry, OpenAPI matches the tag to a schema name.
                    let implicit = || {
                        list.iter()
                            .filter_map(|v| v.get("$ref").and_then(Value::as_str))
                            .find(|r| r.rsplit('/').next() == Some(tag.as_str()))
                            .map(str::to_owned)
                    };
                    match explicit.or_else(implicit) {
                        Some(target) => match self.resolve(&target) {
                            Some(schema) => self.check(value, schema, &target, path, dir, out),
                            None => out.push(here(format!(
                                "discriminator target {target} does not resolve"
                            ))),
                        },
                        None => out.push(Violation {
                            path: format!("{path}.{prop}"),
                            pointer: format!("{ptr}/discriminator"),
                            message: format!(
                                "unknown discriminator value {tag:?}; expected one of [{}]",
                                disc.get("mapping")
                                    .and_then(Value::as_object)
                                    .map(|m| m.keys().cloned().collect::<Vec<_>>().join(", "))
                                    .unwrap_or_default()
                            ),
                        }),
                    }
                    return;
                }
                Some(other) => {
                    out.push(Violation {
                        path: format!("{path}.{prop}"),
                        pointer: format!("{ptr}/discriminator"),
                        message: format!("discriminator value must be a string, found {other}"),
                    });
                    return;
                }
                // No tag: fall through to plain oneOf matching.
                None => {}
            }
        }
        let mut matched = Vec::new();
        let mut reasons = Vec::new();
        for (i, v) in list.iter().enumerate() {
            let mut sub = Vec::new();
            self.check(value, v, &format!("{ptr}/oneOf/{i}"), path, dir, &mut sub);
            if sub.is_empty() {
                matched.push(i);
            } else {
                reasons.extend(sub);
            }
        }
        match matched.len() {
            1 => {}
            0 => {
                out.push(here("matches none of the oneOf schemas".to_owned()));
                out.extend(reasons);
            }
            n => out.push(here(format!(
                "matches {n} of the oneOf schemas ({matched:?}); exactly one expected"
            ))),
        }
    }

    fn check_string(
        &self,
        value: &Value,
        obj: &Map<String, Value>,
        ptr: &str,
        path: &str,
        out: &mut Vec<Violation>,
    ) {
        let mut fail = |message: String| {
            out.push(Violation {
                path: path.to_owned(),
                pointer: ptr.to_owned(),
                message,
            })
        };
        let Some(s) = value.as_str() else {
            fail(format!("expected a string, found {}", kind(value)));
            return;
        };
        let chars = s.chars().count() as u64;
        if let Some(min) = obj.get("minLength").and_then(Value::as_u64) {
            if chars < min {
                fail(format!("length {chars} is below minLength {min}"));
            }
        }
        if let Some(max) = obj.get("maxLength").and_then(Value::as_u64) {
            if chars > max {
                fail(format!("length {chars} is above maxLength {max}"));
            }
        }
        if let Some(pattern) = obj.get("pattern") {
            match pattern.as_str().map(|p| self.regex(p)) {
                Some(Ok(re)) => {
                    if !re.is_match(s) {
                        fail(format!("{s:?} does not match pattern {pattern}"));
                    }
                }
                Some(Err(e)) => fail(e),
                None => fail("pattern is not a string".to_owned()),
            }
        }
        match obj.get("format").and_then(Value::as_str) {
            Some("date-time") if !is_date_time(s) => {
                fail(format!("{s:?} is not an RFC 3339 date-time"));
            }
            Some("email") if !is_email(s) => {
                fail(format!("{s:?} is not an email address"));
            }
            Some("date-time" | "email") => {}
            Some(other) if !["uri", "uuid", "byte", "binary", "password"].contains(&other) => {
                fail(format!("unsupported string format `{other}`"));
            }
            _ => {}
        }
    }

    fn check_array(
        &self,
        value: &Value,
        obj: &Map<String, Value>,
        ptr: &str,
        path: &str,
        dir: Direction,
        out: &mut Vec<Violation>,
    ) {
        let here = |message: String| Violation {
            path: path.to_owned(),
            pointer: ptr.to_owned(),
            message,
        };
        let Some(items) = value.as_array() else {
            out.push(here(format!("expected an array, found {}", kind(value))));
            return;
        };
        let n = items.len() as u64;
        if let Some(min) = obj.get("minItems").and_then(Value::as_u64) {
            if n < min {
                out.push(here(format!("{n} items, below minItems {min}")));
            }
        }
        if let Some(max) = obj.get("maxItems").and_then(Value::as_u64) {
            if n > max {
                out.push(here(format!("{n} items, above maxItems {max}")));
            }
        }
        if obj.get("uniqueItems").and_then(Value::as_bool) == Some(true) {
            for (i, a) in items.iter().enumerate() {
                if items.iter().skip(i + 1).any(|b| json_equal(a, b)) {
                    out.push(here(format!("item {i} is repeated (uniqueItems)")));
                }
            }
        }
        match obj.get("items") {
            Some(item_schema) => {
                for (i, item) in items.iter().enumerate() {
                    self.check(
                        item,
                        item_schema,
                        &format!("{ptr}/items"),
                        &format!("{path}[{i}]"),
                        dir,
                        out,
                    );
                }
            }
            None => out.push(here("array schema without `items`".to_owned())),
        }
    }

    fn check_object(
        &self,
        value: &Value,
        obj: &Map<String, Value>,
        ptr: &str,
        path: &str,
        dir: Direction,
        out: &mut Vec<Violation>,
    ) {
        let here = |path: String, message: String| Violation {
            path,
            pointer: ptr.to_owned(),
            message,
        };
        let Some(map) = value.as_object() else {
            out.push(here(
                path.to_owned(),
                format!("expected an object, found {}", kind(value)),
            ));
            return;
        };
        let empty = Map::new();
        let props = obj
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let n = map.len() as u64;
        if let Some(min) = obj.get("minProperties").and_then(Value::as_u64) {
            if n < min {
                out.push(here(
                    path.to_owned(),
                    format!("{n} properties, below minProperties {min}"),
                ));
            }
        }
        if let Some(max) = obj.get("maxProperties").and_then(Value::as_u64) {
            if n > max {
                out.push(here(
                    path.to_owned(),
                    format!("{n} properties, above maxProperties {max}"),
                ));
            }
        }

        if let Some(required) = obj.get("required").and_then(Value::as_array) {
            for name in required.iter().filter_map(Value::as_str) {
                if map.contains_key(name) {
                    continue;
                }
                // OpenAPI 3.0: a required readOnly property is required in responses only, a
                // required writeOnly one in requests only.
                let flags = props
                    .get(name)
                    .map(|s| self.access_flags(s))
                    .unwrap_or_default();
                let exempt = (dir == Direction::Request && flags.read_only)
                    || (dir == Direction::Response && flags.write_only);
                if !exempt {
                    out.push(here(
                        path.to_owned(),
                        format!("required property `{name}` is missing"),
                    ));
                }
            }
        }

        for (name, item) in map {
            let child_path = format!("{path}.{}", path_segment(name));
            if let Some(prop_schema) = props.get(name) {
                let flags = self.access_flags(prop_schema);
                let prop_ptr = format!("{ptr}/properties/{}", escape_pointer(name));
                if dir == Direction::Request && flags.read_only {
                    out.push(Violation {
                        path: child_path.clone(),
                        pointer: prop_ptr.clone(),
                        message: format!("readOnly property `{name}` in a request value"),
                    });
                }
                if dir == Direction::Response && flags.write_only {
                    out.push(Violation {
                        path: child_path.clone(),
                        pointer: prop_ptr.clone(),
                        message: format!("writeOnly property `{name}` in a response value"),
                    });
                }
                self.check(item, prop_schema, &prop_ptr, &child_path, dir, out);
                continue;
            }
            match obj.get("additionalProperties") {
                None | Some(Value::Bool(false)) => out.push(here(
                    child_path,
                    format!(
                        "unknown property `{name}`; expected one of [{}]",
                        props.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                )),
                Some(Value::Bool(true)) => {}
                Some(extra) => self.check(
                    item,
                    extra,
                    &format!("{ptr}/additionalProperties"),
                    &child_path,
                    dir,
                    out,
                ),
            }
        }
    }

    /// readOnly / writeOnly of a property schema, looking through a `$ref`.
    fn access_flags(&self, schema: &Value) -> AccessFlags {
        let own = AccessFlags::of(schema);
        let target = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| self.resolve(r))
            .map(AccessFlags::of)
            .unwrap_or_default();
        AccessFlags {
            read_only: own.read_only || target.read_only,
            write_only: own.write_only || target.write_only,
        }
    }

    /// Merges the parts of an `allOf` (and the schema's own keywords) into one object schema:
    /// properties and required lists are united; other keywords must agree.
    fn merge_all_of(
        &self,
        obj: &Map<String, Value>,
        ptr: &str,
    ) -> Result<Map<String, Value>, String> {
        let mut merged = Map::new();
        let mut parts: Vec<(String, Map<String, Value>)> = Vec::new();
        let mut own = obj.clone();
        let Some(Value::Array(list)) = own.remove("allOf") else {
            return Err(format!("{ptr}: allOf is not an array"));
        };
        parts.push((ptr.to_owned(), own));
        for (i, part) in list.iter().enumerate() {
            let (part_ptr, part) = match part.get("$ref").and_then(Value::as_str) {
                Some(r) => match self.resolve(r) {
                    Some(target) => (r.to_owned(), target),
                    None => return Err(format!("$ref {r} does not resolve")),
                },
                None => (format!("{ptr}/allOf/{i}"), part),
            };
            let Some(part_obj) = part.as_object() else {
                return Err(format!("{part_ptr}: allOf part is not an object"));
            };
            if part_obj.contains_key("allOf") {
                parts.push((part_ptr.clone(), self.merge_all_of(part_obj, &part_ptr)?));
            } else {
                parts.push((part_ptr, part_obj.clone()));
            }
        }
        let mut props = Map::new();
        let mut required: Vec<Value> = Vec::new();
        for (part_ptr, part) in parts {
            for (key, val) in part {
                match key.as_str() {
                    "properties" => {
                        if let Some(p) = val.as_object() {
                            for (name, s) in p {
                                props.insert(name.clone(), s.clone());
                            }
                        }
                    }
                    "required" => {
                        for r in val.as_array().into_iter().flatten() {
                            if !required.contains(r) {
                                required.push(r.clone());
                            }
                        }
                    }
                    // Annotations may differ between the parts.
                    "description" | "title" | "example" | "externalDocs" => {
                        merged.entry(key).or_insert(val);
                    }
                    _ => match merged.get(&key) {
                        Some(existing) if existing != &val => {
                            return Err(format!(
                                "{part_ptr}: allOf parts disagree on `{key}` ({existing} vs {val})"
                            ))
                        }
                        _ => {
                            merged.insert(key, val);
                        }
                    },
                }
            }
        }
        if !props.is_empty() {
            merged.insert("properties".to_owned(), Value::Object(props));
            merged
                .entry("type".to_owned())
                .or_insert_with(|| Value::String("object".to_owned()));
        }
        if !required.is_empty() {
            merged.insert("required".to_owned(), Value::Array(required));
        }
        Ok(merged)
    }

    fn regex(&self, pattern: &str) -> Result<Regex, String> {
        let mut cache = self.regexes.borrow_mut();
        cache
            .entry(pattern.to_owned())
            .or_insert_with(|| compile_pattern(pattern))
            .clone()
    }
}

fn viol(path: &str, pointer: &str, message: String) -> Violation {
    Violation {
        path: path.to_owned(),
        pointer: pointer.to_owned(),
        message,
    }
}

#[derive(Clone, Copy, Default)]
struct AccessFlags {
    read_only: bool,
    write_only: bool,
}

impl AccessFlags {
    fn of(schema: &Value) -> Self {
        AccessFlags {
            read_only: schema.get("readOnly").and_then(Value::as_bool) == Some(true),
            write_only: schema.get("writeOnly").and_then(Value::as_bool) == Some(true),
        }
    }
}

/// Compiles a spec `pattern` with the `regex` crate, using the documented equivalent for the
/// look-around patterns it cannot compile.
pub fn compile_pattern(pattern: &str) -> Result<Regex, String> {
    match Regex::new(pattern) {
        Ok(re) => Ok(re),
        Err(first) => match LOOKAROUND_EQUIVALENTS.iter().find(|(p, _)| *p == pattern) {
            Some((_, equivalent)) => Regex::new(equivalent)
                .map_err(|e| format!("equivalent of pattern {pattern:?} does not compile: {e}")),
            None => Err(format!(
                "pattern {pattern:?} does not compile with the regex crate ({first}) and has no \
                 documented equivalent in LOOKAROUND_EQUIVALENTS"
            )),
        },
    }
}

fn check_integer(
    value: &Value,
    obj: &Map<String, Value>,
    ptr: &str,
    path: &str,
    out: &mut Vec<Violation>,
) {
    let mut fail = |message: String| {
        out.push(Violation {
            path: path.to_owned(),
            pointer: ptr.to_owned(),
            message,
        })
    };
    // Written without a fraction: 42, not 42.0.
    let n: i128 = match (value.as_i64(), value.as_u64()) {
        (Some(i), _) => i128::from(i),
        (None, Some(u)) => i128::from(u),
        _ => {
            fail(format!("expected an integer, found {}", kind(value)));
            return;
        }
    };
    let range = match obj.get("format").and_then(Value::as_str) {
        Some("int32") => Some((i128::from(i32::MIN), i128::from(i32::MAX))),
        Some("int64") => Some((i128::from(i64::MIN), i128::from(i64::MAX))),
        Some(other) => {
            fail(format!("unsupported integer format `{other}`"));
            None
        }
        None => None,
    };
    if let Some((lo, hi)) = range {
        if n < lo || n > hi {
            fail(format!("{n} does not fit the integer format"));
        }
    }
    // The range checks are done in f64; every integer the spec uses is exact in f64.
    #[allow(clippy::cast_precision_loss)]
    check_range(n as f64, obj, &mut fail);
}

fn check_number(
    value: &Value,
    obj: &Map<String, Value>,
    ptr: &str,
    path: &str,
    out: &mut Vec<Violation>,
) {
    let mut fail = |message: String| {
        out.push(Violation {
            path: path.to_owned(),
            pointer: ptr.to_owned(),
            message,
        })
    };
    let Some(x) = value.as_f64() else {
        fail(format!("expected a number, found {}", kind(value)));
        return;
    };
    match obj.get("format").and_then(Value::as_str) {
        None | Some("double") => {}
        Some("float") => {
            if x.abs() > f64::from(f32::MAX) {
                fail(format!("{x} does not fit a float"));
            }
        }
        Some(other) => fail(format!("unsupported number format `{other}`")),
    }
    check_range(x, obj, &mut fail);
}

fn check_range(x: f64, obj: &Map<String, Value>, fail: &mut dyn FnMut(String)) {
    let exclusive = |key: &str| obj.get(key).and_then(Value::as_bool) == Some(true);
    if let Some(min) = obj.get("minimum").and_then(Value::as_f64) {
        if x < min || (exclusive("exclusiveMinimum") && x <= min) {
            fail(format!("{x} is below the minimum {min}"));
        }
    }
    if let Some(max) = obj.get("maximum").and_then(Value::as_f64) {
        if x > max || (exclusive("exclusiveMaximum") && x >= max) {
            fail(format!("{x} is above the maximum {max}"));
        }
    }
    if let Some(step) = obj.get("multipleOf").and_then(Value::as_f64) {
        if step > 0.0 && (x / step).fract() != 0.0 {
            fail(format!("{x} is not a multiple of {step}"));
        }
    }
}

/// RFC 3339 `date-time` (with the calendar and clock ranges checked).
pub fn is_date_time(s: &str) -> bool {
    let Ok(re) = Regex::new(
        r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$",
    ) else {
        return false;
    };
    let Some(c) = re.captures(s) else {
        return false;
    };
    let num = |i: usize| -> u32 { c.get(i).and_then(|m| m.as_str().parse().ok()).unwrap_or(99) };
    let (year, month, day) = (num(1), num(2), num(3));
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    let offset_ok = c.get(9).is_none() || (num(9) < 24 && num(10) < 60);
    (1..=days_in_month).contains(&day) && num(4) < 24 && num(5) < 60 && num(6) <= 60 && offset_ok
}

/// A pragmatic `email` check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_email(s: &str) -> bool {
    Regex::new(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
        .map(|re| re.is_match(s))
        .unwrap_or(false)
}

/// Resolves `#/a/b~1c` against `doc` (RFC 6901 unescaping).
pub fn resolve_pointer<'v>(doc: &'v Value, reference: &str) -> Option<&'v Value> {
    let pointer = reference.strip_prefix('#')?;
    if pointer.is_empty() {
        return Some(doc);
    }
    let mut cur = doc;
    for raw in pointer.strip_prefix('/')?.split('/') {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        cur = match cur {
            Value::Object(m) => m.get(&seg)?,
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// RFC 6901 escaping of one pointer segment.
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn path_segment(name: &str) -> String {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        name.to_owned()
    } else {
        format!("[{name:?}]")
    }
}

/// JSON equality where numbers compare by value (`42` equals `42.0`).
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
