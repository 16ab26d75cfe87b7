//! Strict validation of JSON values against the schemas of one OpenAPI 3.0 document, by
//! the `jsonschema` crate.
//!
//! Input: the whole document as a `serde_json::Value`, a value and the JSON pointer of the
//! schema it must satisfy. Output: every violation, each naming the JSON path in the value
//! (`$.connections[0].type`), the schema location that rejected it and what is wrong, in
//! words the tests look for (`unknown property`, `not one of the enum values`…).
//!
//! The document's schemas are rewritten as JSON Schema 2020-12 (components under
//! `$defs`), with OpenAPI 3.0's meaning and a strictness meant for hand-transcribed
//! examples made explicit, so a typo cannot pass:
//! - objects are closed (`unevaluatedProperties: false`) unless `additionalProperties` says
//!   otherwise; a component used as an `allOf` member is referenced in an open form, so an
//!   `allOf` is closed once, over all its members' properties;
//! - `nullable: true` admits `null`; without it `null` is rejected, typed or not;
//! - `readOnly` properties are errors in request values and `writeOnly` ones in response
//!   values, and `required` then applies only in the other direction (OpenAPI 3.0);
//! - `oneOf` + `discriminator` dispatches on the tag (explicit `mapping`, else the schema
//!   name) and an unknown tag is an error; without a tag, exactly one variant must match;
//! - integers are written without a fraction (`1`, not `1.0`) and fit their `format`;
//! - a schema keyword, type or format the rewrite does not know is an error, never
//!   silently ignored (OpenAPI's `$ref` siblings are ignored, as 3.0 says).
//!
//! As in OpenAPI 3.0 validators, a schema with `oneOf`/`anyOf` is only that union, and an
//! untyped schema only checks `enum` and `null`. A required `readOnly` property must be
//! declared in the schema that requires it or in its `allOf` members.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::rc::Rc;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Keyword, ValidationError, Validator};
use serde_json::{json, Map, Value};

/// Which way the value travels: it decides what `readOnly` / `writeOnly` mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
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
    /// The schema location that rejected the value (`#/components/schemas/X/…` for a
    /// component, else the checked schema's pointer, then the JSON Schema keyword path).
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

/// Schema keywords the rewrite implements or knowingly ignores (annotations).
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

/// String formats that are documentation only (not checked).
const UNCHECKED_FORMATS: &[&str] = &["uri", "uuid", "byte", "binary", "password"];

/// The `$defs` prefix of components in their closed (`c`) and open (`o`) forms.
const CLOSED: &str = "c";
const OPEN: &str = "o";

/// A compiled validator, or why the schema could not become one.
type Built = Result<Rc<Validator>, String>;

/// Validates values against the schemas of one document.
pub struct Checker<'a> {
    doc: &'a Value,
    /// (direction, schema pointer) → the compiled validator, or why there is none.
    validators: RefCell<BTreeMap<(Direction, String), Built>>,
}

impl<'a> Checker<'a> {
    pub fn new(doc: &'a Value) -> Self {
        Checker {
            doc,
            validators: RefCell::new(BTreeMap::new()),
        }
    }

    /// Checks `value` against the schema found at `schema_pointer` (`#/...`).
    pub fn check_at(&self, value: &Value, schema_pointer: &str, dir: Direction) -> Vec<Violation> {
        match self.validator(schema_pointer, dir) {
            Ok(validator) => validator
                .iter_errors(value)
                .flat_map(|e| violations(&e, value, schema_pointer))
                .collect(),
            Err(message) => vec![Violation {
                path: "$".to_owned(),
                pointer: schema_pointer.to_owned(),
                message,
            }],
        }
    }

    fn validator(&self, pointer: &str, dir: Direction) -> Built {
        let key = (dir, pointer.to_owned());
        if let Some(done) = self.validators.borrow().get(&key) {
            return done.clone();
        }
        let built = self.build(pointer, dir).map(Rc::new);
        self.validators.borrow_mut().insert(key, built.clone());
        built
    }

    /// The schema at `pointer` as JSON Schema, with the components it reaches as `$defs`.
    fn build(&self, pointer: &str, dir: Direction) -> Result<Validator, String> {
        let schema = resolve_pointer(self.doc, pointer)
            .ok_or_else(|| format!("schema pointer {pointer} does not resolve"))?;
        let rewrite = Rewrite {
            doc: self.doc,
            dir,
            reached: RefCell::new(BTreeSet::new()),
        };
        let root = rewrite.schema(schema, pointer, true)?;
        let mut defs: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
        let mut done: BTreeSet<(&str, String)> = BTreeSet::new();
        loop {
            let next = rewrite
                .reached
                .borrow()
                .iter()
                .find(|r| !done.contains(*r))
                .cloned();
            let Some((form, key)) = next else { break };
            let at = format!("#/components/schemas/{key}");
            let component = resolve_pointer(self.doc, &at)
                .ok_or_else(|| format!("$ref {at} does not resolve"))?;
            let converted = rewrite.schema(component, &at, form == CLOSED)?;
            defs.entry(form).or_default().insert(key.clone(), converted);
            done.insert((form, key));
        }
        let root = json!({ "allOf": [root], "$defs": defs });
        options()
            .build(&root)
            .map_err(|e| format!("the rewritten schema does not compile: {e}"))
    }
}

/// The validator options: draft 2020-12, formats checked, and the keywords the rewrite
/// adds for what JSON Schema does not say:
/// - `x-integer` (value: the format, or null): a number written without a fraction, within
///   `int32`/`int64`;
/// - `x-float`: a number within `f32`'s range;
/// - `x-forbidden` (value: the message): the property may not appear in this direction;
/// - `x-discriminator` (`known`: the tag values of the union, `listed`: the mapping's keys,
///   which the message names): the tag is a string the union knows.
fn options() -> jsonschema::ValidationOptions<'static> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_format("email", is_dotted_email)
        .with_keyword("x-integer", |_, value, _| {
            let format = value.as_str().map(str::to_owned);
            Ok(Rule::boxed(move |v| integer_problem(v, format.as_deref())))
        })
        .with_keyword("x-float", |_, _, _| {
            Ok(Rule::boxed(|v| {
                let x = v.as_f64()?;
                (x.abs() > f64::from(f32::MAX)).then(|| format!("{x} does not fit a float"))
            }))
        })
        .with_keyword("x-forbidden", |_, value, _| {
            let message = value.as_str().unwrap_or("not allowed").to_owned();
            Ok(Rule::boxed(move |_| Some(message.clone())))
        })
        .with_keyword("x-discriminator", |_, value, _| {
            let strings = |key: &str| -> Vec<String> {
                let list = value.get(key).and_then(Value::as_array);
                list.into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            };
            let (known, listed) = (strings("known"), strings("listed"));
            Ok(Rule::boxed(move |v| match v {
                Value::String(tag) if known.contains(tag) => None,
                Value::String(tag) => Some(format!(
                    "unknown discriminator value {tag:?}; expected one of [{}]",
                    listed.join(", ")
                )),
                other => Some(format!(
                    "discriminator value must be a string, found {other}"
                )),
            }))
        })
}

/// `format: email`, stricter than RFC 5321 on purpose: one `@`, a non-empty local part
/// and a dotted domain, no whitespace. `user@localhost` is a valid address but, in a
/// documented example, a placeholder someone forgot to finish.
fn is_dotted_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && !s.chars().any(char::is_whitespace)
        && !domain.contains('@')
        && labels.len() > 1
        && labels.iter().all(|l| !l.is_empty())
}

/// What is wrong with an `x-integer` value: a fraction, or a value beyond `format`.
fn integer_problem(instance: &Value, format: Option<&str>) -> Option<String> {
    let Value::Number(n) = instance else {
        return None; // `type` reports non-numbers
    };
    let n: i128 = match (n.as_i64(), n.as_u64()) {
        (Some(i), _) => i128::from(i),
        (None, Some(u)) => i128::from(u),
        _ => return Some("expected an integer, found a number".to_owned()),
    };
    let (lo, hi) = match format {
        Some("int32") => (i128::from(i32::MIN), i128::from(i32::MAX)),
        Some(_) => (i128::from(i64::MIN), i128::from(i64::MAX)),
        None => return None,
    };
    (n < lo || n > hi).then(|| format!("{n} does not fit the integer format"))
}

/// A custom keyword: a check that says what is wrong with a value, if anything.
type Check = Box<dyn Fn(&Value) -> Option<String> + Send + Sync>;

struct Rule(Check);

impl Rule {
    fn boxed(
        check: impl Fn(&Value) -> Option<String> + Send + Sync + 'static,
    ) -> Box<dyn for<'i> Keyword<'i>> {
        Box::new(Rule(Box::new(check)))
    }
}

impl<'i> Keyword<'i> for Rule {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        match (self.0)(instance) {
            Some(message) => Err(ValidationError::custom(message)),
            None => Ok(()),
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        (self.0)(instance).is_none()
    }
}

/// The rewrite of the document's schemas as JSON Schema, for one direction.
struct Rewrite<'d> {
    doc: &'d Value,
    dir: Direction,
    /// The components referenced so far, by form (closed or open) and key.
    reached: RefCell<BTreeSet<(&'static str, String)>>,
}

impl Rewrite<'_> {
    /// The `$defs` reference for `reference` (a component), closed or open.
    fn reference(&self, reference: &str, closed: bool) -> Result<Value, String> {
        let key = reference
            .strip_prefix("#/components/schemas/")
            .filter(|k| !k.contains('/'))
            .ok_or_else(|| format!("$ref {reference} is not a schema component"))?;
        if resolve_pointer(self.doc, reference).is_none() {
            return Err(format!("$ref {reference} does not resolve"));
        }
        if !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        {
            return Err(format!("component name {key:?} is not a plain name"));
        }
        let form = if closed { CLOSED } else { OPEN };
        self.reached.borrow_mut().insert((form, key.to_owned()));
        Ok(json!({ "$ref": format!("#/$defs/{form}/{key}") }))
    }

    /// Schema `node` (written at `at`) as JSON Schema; `closed` closes an object at its top.
    fn schema(&self, node: &Value, at: &str, closed: bool) -> Result<Value, String> {
        let Some(obj) = node.as_object() else {
            return match node {
                Value::Bool(true) => Ok(Value::Bool(true)),
                _ => Err(format!("{at}: schema is not an object: {node}")),
            };
        };
        // `$ref`: in OpenAPI 3.0 its siblings are ignored, so only the target counts.
        if let Some(reference) = obj.get("$ref") {
            let reference = reference
                .as_str()
                .ok_or_else(|| format!("{at}: $ref is not a string"))?;
            return self.reference(reference, closed);
        }
        for key in obj.keys() {
            if !key.starts_with("x-") && !KNOWN_KEYWORDS.contains(&key.as_str()) {
                return Err(format!("{at}: unsupported schema keyword `{key}`"));
            }
        }
        let core = if let Some(variants) = obj.get("oneOf") {
            self.one_of(obj, variants, at)?
        } else if let Some(variants) = obj.get("anyOf") {
            json!({ "anyOf": self.list(variants, &format!("{at}/anyOf"), true)? })
        } else {
            Value::Object(self.typed(obj, at, closed)?)
        };
        if obj.get("nullable").and_then(Value::as_bool) == Some(true) {
            Ok(json!({ "anyOf": [{ "type": "null" }, core] }))
        } else {
            Ok(json!({ "allOf": [{ "not": { "type": "null" } }, core] }))
        }
    }

    fn list(&self, list: &Value, at: &str, closed: bool) -> Result<Vec<Value>, String> {
        let list = list
            .as_array()
            .ok_or_else(|| format!("{at} is not an array"))?;
        list.iter()
            .enumerate()
            .map(|(i, s)| self.schema(s, &format!("{at}/{i}"), closed))
            .collect()
    }

    /// `oneOf`, dispatched on the discriminator's tag when there is one.
    fn one_of(
        &self,
        obj: &Map<String, Value>,
        variants: &Value,
        at: &str,
    ) -> Result<Value, String> {
        let plain = json!({ "oneOf": self.list(variants, &format!("{at}/oneOf"), true)? });
        let Some(disc) = obj.get("discriminator") else {
            return Ok(plain);
        };
        let tag = disc
            .get("propertyName")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{at}: discriminator has no propertyName"))?;
        let mapping = disc.get("mapping").and_then(Value::as_object);
        let listed: Vec<String> = mapping
            .into_iter()
            .flatten()
            .map(|(k, _)| k.clone())
            .collect();
        // tag value → variant: the mapping, then (OpenAPI's implicit mapping) the
        // component name of each `oneOf` member.
        let mut targets: Vec<(String, String)> = Vec::new();
        for (value, target) in mapping.into_iter().flatten() {
            let target = target
                .as_str()
                .ok_or_else(|| format!("{at}: mapping {value} is not a string"))?;
            targets.push((value.clone(), target.to_owned()));
        }
        for member in variants.as_array().into_iter().flatten() {
            if let Some(r) = member.get("$ref").and_then(Value::as_str) {
                let name = r.rsplit('/').next().unwrap_or(r);
                if !targets.iter().any(|(value, _)| value == name) {
                    targets.push((name.to_owned(), r.to_owned()));
                }
            }
        }
        let mut dispatch = Vec::new();
        for (value, target) in &targets {
            dispatch.push(json!({
                "if": { "properties": { tag: { "const": value } } },
                "then": self.reference(target, true)?,
            }));
        }
        let known: Vec<&String> = targets.iter().map(|(value, _)| value).collect();
        Ok(json!({
            "type": "object",
            "if": { "required": [tag] },
            "then": {
                "properties": { tag: { "x-discriminator": { "known": known, "listed": listed } } },
                "allOf": dispatch,
            },
            "else": plain,
        }))
    }

    /// A schema that is not a union: its type's keywords.
    fn typed(
        &self,
        obj: &Map<String, Value>,
        at: &str,
        closed: bool,
    ) -> Result<Map<String, Value>, String> {
        let mut out = Map::new();
        let mut all = Vec::new();
        if let Some(parts) = obj.get("allOf") {
            // Members open: the closing happens once, here, over every member's properties.
            all.extend(self.list(parts, &format!("{at}/allOf"), false)?);
        }
        if let Some(values) = obj.get("enum") {
            out.insert("enum".to_owned(), values.clone());
        }
        let implied = if obj.contains_key("properties") || obj.contains_key("additionalProperties")
        {
            Some("object")
        } else if obj.contains_key("items") {
            Some("array")
        } else {
            None
        };
        let declared = match obj.get("type") {
            Some(Value::String(t)) => Some(t.as_str()),
            Some(other) => return Err(format!("{at}: type is not a string: {other}")),
            None => None,
        };
        // An `allOf` is an object when one of its members is: it is closed here, once.
        let merged = obj
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|part| self.is_object(part))
            .then_some("object");
        let Some(ty) = declared.or(implied).or(merged) else {
            // No type and nothing that implies one: any value (but `enum`, and `null`).
            if !all.is_empty() {
                out.insert("allOf".to_owned(), Value::Array(all));
            }
            return Ok(out);
        };
        out.insert("type".to_owned(), json!(ty));
        let copy = |out: &mut Map<String, Value>, keys: &[&str]| {
            for key in keys {
                if let Some(v) = obj.get(*key) {
                    out.insert((*key).to_owned(), v.clone());
                }
            }
        };
        match ty {
            "string" => {
                copy(&mut out, &["minLength", "maxLength", "pattern"]);
                match obj.get("format").and_then(Value::as_str) {
                    Some(f @ ("date-time" | "email")) => {
                        out.insert("format".to_owned(), json!(f));
                    }
                    Some(f) if UNCHECKED_FORMATS.contains(&f) => {}
                    Some(other) => {
                        return Err(format!("{at}: unsupported string format `{other}`"))
                    }
                    None => {}
                }
            }
            "integer" | "number" => {
                copy(&mut out, &["multipleOf"]);
                for (bound, exclusive) in [
                    ("minimum", "exclusiveMinimum"),
                    ("maximum", "exclusiveMaximum"),
                ] {
                    if let Some(limit) = obj.get(bound) {
                        let key = if obj.get(exclusive).and_then(Value::as_bool) == Some(true) {
                            exclusive
                        } else {
                            bound
                        };
                        out.insert(key.to_owned(), limit.clone());
                    }
                }
                let format = obj.get("format").and_then(Value::as_str);
                match (ty, format) {
                    ("integer", None | Some("int32" | "int64")) => {
                        out.insert("x-integer".to_owned(), json!(format));
                    }
                    ("number", None | Some("double")) => {}
                    ("number", Some("float")) => {
                        out.insert("x-float".to_owned(), json!(true));
                    }
                    (_, Some(other)) => {
                        return Err(format!("{at}: unsupported {ty} format `{other}`"))
                    }
                    _ => {}
                }
            }
            "boolean" => {}
            "array" => {
                copy(&mut out, &["minItems", "maxItems", "uniqueItems"]);
                let items = obj
                    .get("items")
                    .ok_or_else(|| format!("{at}: array schema without `items`"))?;
                out.insert(
                    "items".to_owned(),
                    self.schema(items, &format!("{at}/items"), true)?,
                );
            }
            "object" => self.object(obj, at, closed, &mut out)?,
            other => return Err(format!("{at}: unknown type `{other}`")),
        }
        if !all.is_empty() {
            out.insert("allOf".to_owned(), Value::Array(all));
        }
        Ok(out)
    }

    fn object(
        &self,
        obj: &Map<String, Value>,
        at: &str,
        closed: bool,
        out: &mut Map<String, Value>,
    ) -> Result<(), String> {
        for key in ["minProperties", "maxProperties"] {
            if let Some(v) = obj.get(key) {
                out.insert(key.to_owned(), v.clone());
            }
        }
        let empty = Map::new();
        let props = obj
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let mut properties = Map::new();
        for (name, schema) in props {
            let prop_at = format!("{at}/properties/{}", escape_pointer(name));
            let converted = match self.forbidden(&self.access_flags(schema), name) {
                Some(message) => json!({ "x-forbidden": message }),
                None => self.schema(schema, &prop_at, true)?,
            };
            properties.insert(name.clone(), converted);
        }
        if !properties.is_empty() {
            out.insert("properties".to_owned(), Value::Object(properties));
        }
        if let Some(required) = obj.get("required").and_then(Value::as_array) {
            // OpenAPI 3.0: a required readOnly property is required in responses only, a
            // required writeOnly one in requests only.
            let kept: Vec<&Value> = required
                .iter()
                .filter(|name| {
                    let name = name.as_str().unwrap_or_default();
                    let flags = self.declared_flags(obj, name);
                    self.forbidden(&flags, name).is_none()
                })
                .collect();
            if !kept.is_empty() {
                out.insert("required".to_owned(), json!(kept));
            }
        }
        match obj.get("additionalProperties") {
            Some(Value::Bool(true)) => {}
            None | Some(Value::Bool(false)) => {
                if closed {
                    out.insert("unevaluatedProperties".to_owned(), json!(false));
                }
            }
            Some(extra) => {
                let extra = self.schema(extra, &format!("{at}/additionalProperties"), true)?;
                out.insert("additionalProperties".to_owned(), extra);
            }
        }
        Ok(())
    }

    /// Whether a schema (through a `$ref`, and its own `allOf` members) is an object schema.
    fn is_object(&self, schema: &Value) -> bool {
        self.is_object_within(schema, 32)
    }

    /// [`Self::is_object`], following at most `depth` more `allOf` levels (a loop ends).
    fn is_object_within(&self, schema: &Value, depth: usize) -> bool {
        let Some(depth) = depth.checked_sub(1) else {
            return false;
        };
        let schema = match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => resolve_pointer(self.doc, r),
            None => Some(schema),
        };
        let Some(obj) = schema.and_then(Value::as_object) else {
            return false;
        };
        obj.get("type").and_then(Value::as_str) == Some("object")
            || obj.contains_key("properties")
            || obj.contains_key("additionalProperties")
            || obj
                .get("allOf")
                .and_then(Value::as_array)
                .is_some_and(|parts| parts.iter().any(|p| self.is_object_within(p, depth)))
    }

    /// Why a property with these flags may not appear in this direction, if it may not.
    fn forbidden(&self, flags: &AccessFlags, name: &str) -> Option<String> {
        match self.dir {
            Direction::Request if flags.read_only => {
                Some(format!("readOnly property `{name}` in a request value"))
            }
            Direction::Response if flags.write_only => {
                Some(format!("writeOnly property `{name}` in a response value"))
            }
            _ => None,
        }
    }

    /// readOnly / writeOnly of property `name` as `obj` or its `allOf` members declare it.
    fn declared_flags(&self, obj: &Map<String, Value>, name: &str) -> AccessFlags {
        if let Some(prop) = obj.get("properties").and_then(|p| p.get(name)) {
            return self.access_flags(prop);
        }
        let parts = obj.get("allOf").and_then(Value::as_array);
        for part in parts.into_iter().flatten() {
            let part = match part.get("$ref").and_then(Value::as_str) {
                Some(r) => resolve_pointer(self.doc, r),
                None => Some(part),
            };
            if let Some(part) = part.and_then(Value::as_object) {
                let flags = self.declared_flags(part, name);
                if flags.read_only || flags.write_only {
                    return flags;
                }
            }
        }
        AccessFlags::default()
    }

    /// readOnly / writeOnly of a property schema, looking through a `$ref`.
    fn access_flags(&self, schema: &Value) -> AccessFlags {
        let own = AccessFlags::of(schema);
        let target = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| resolve_pointer(self.doc, r))
            .map(AccessFlags::of)
            .unwrap_or_default();
        AccessFlags {
            read_only: own.read_only || target.read_only,
            write_only: own.write_only || target.write_only,
        }
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

/// A validator error as violations, in this module's words; the errors inside a failed
/// `oneOf`/`anyOf` follow it, as the reasons each variant gave.
fn violations(e: &ValidationError<'_>, root: &Value, checked: &str) -> Vec<Violation> {
    let pointer = schema_location(&e.schema_path().to_string(), checked);
    let instance_path = e.instance_path().to_string();
    let path = json_path(root, &instance_path);
    let instance = e.instance();
    let one = |message: String| {
        vec![Violation {
            path: path.clone(),
            pointer: pointer.clone(),
            message,
        }]
    };
    match e.kind() {
        ValidationErrorKind::UnevaluatedProperties { unexpected }
        | ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|name| Violation {
                path: format!("{path}{}", path_segment(name)),
                pointer: pointer.clone(),
                message: format!("unknown property `{name}`"),
            })
            .collect(),
        ValidationErrorKind::Required { property } => one(format!(
            "required property `{}` is missing",
            property.as_str().unwrap_or_default()
        )),
        ValidationErrorKind::Enum { options } => one(format!(
            "{instance} is not one of the enum values {options}"
        )),
        ValidationErrorKind::Type { .. } | ValidationErrorKind::Not { .. }
            if instance.is_null() =>
        {
            one("null is not allowed here (the schema is not nullable)".to_owned())
        }
        ValidationErrorKind::Format { format } if format == "date-time" => {
            one(format!("{instance} is not an RFC 3339 date-time"))
        }
        ValidationErrorKind::Format { format } if format == "email" => {
            one(format!("{instance} is not an email address"))
        }
        ValidationErrorKind::MinLength { limit } => one(format!(
            "length {} is below minLength {limit}",
            char_count(instance)
        )),
        ValidationErrorKind::MaxLength { limit } => one(format!(
            "length {} is above maxLength {limit}",
            char_count(instance)
        )),
        ValidationErrorKind::Pattern { pattern } => {
            one(format!("{instance} does not match pattern {pattern:?}"))
        }
        ValidationErrorKind::MinItems { limit } => one(format!(
            "{} items, below minItems {limit}",
            item_count(instance)
        )),
        ValidationErrorKind::MaxItems { limit } => one(format!(
            "{} items, above maxItems {limit}",
            item_count(instance)
        )),
        ValidationErrorKind::UniqueItems => one("an item is repeated (uniqueItems)".to_owned()),
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit } => {
            one(format!("{instance} is below the minimum {limit}"))
        }
        ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => {
            one(format!("{instance} is above the maximum {limit}"))
        }
        ValidationErrorKind::MultipleOf { multiple_of } => {
            one(format!("{instance} is not a multiple of {multiple_of}"))
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            one("matches several of the oneOf schemas; exactly one expected".to_owned())
        }
        ValidationErrorKind::OneOfNotValid { context } => {
            let mut out = one("matches none of the oneOf schemas".to_owned());
            out.extend(
                context
                    .iter()
                    .flatten()
                    .flat_map(|e| violations(e, root, checked)),
            );
            out
        }
        ValidationErrorKind::AnyOf { context } => {
            let mut out = one("matches none of the anyOf schemas".to_owned());
            out.extend(
                context
                    .iter()
                    .flatten()
                    .flat_map(|e| violations(e, root, checked)),
            );
            out
        }
        ValidationErrorKind::Custom { message, .. } => one(message.clone()),
        _ => one(e.to_string()),
    }
}

/// A location in the rewritten schema, as a pointer into the document where it can be:
/// `/$defs/c/X/properties/a` → `#/components/schemas/X/properties/a`.
fn schema_location(path: &str, checked: &str) -> String {
    for form in [CLOSED, OPEN] {
        if let Some(rest) = path.strip_prefix(&format!("/$defs/{form}/")) {
            return format!("#/components/schemas/{rest}");
        }
    }
    format!("{checked}{path}")
}

/// A JSON pointer into `root` as `$.a.b[0]`.
fn json_path(root: &Value, pointer: &str) -> String {
    let mut path = "$".to_owned();
    let mut node = Some(root);
    for raw in pointer.split('/').skip(1) {
        let token = raw.replace("~1", "/").replace("~0", "~");
        match node {
            Some(Value::Array(items)) => {
                path.push_str(&format!("[{token}]"));
                node = token.parse::<usize>().ok().and_then(|i| items.get(i));
            }
            _ => {
                path.push_str(&path_segment(&token));
                node = node.and_then(|n| n.get(&token));
            }
        }
    }
    path
}

fn char_count(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

fn item_count(v: &Value) -> usize {
    v.as_array().map_or(0, Vec::len)
}

/// `.name`, or `["odd name"]`.
fn path_segment(name: &str) -> String {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!(".{name}")
    } else {
        format!("[{name:?}]")
    }
}

/// Whether `s` passes the validator's check of string format `format` (`date-time`,
/// `email`): the checks the examples are held to.
pub fn is_format(format: &str, s: &str) -> bool {
    options()
        .build(&json!({ "type": "string", "format": format }))
        .is_ok_and(|v| v.is_valid(&json!(s)))
}

/// Resolves `#/a/b~1c` against `doc` (RFC 6901 unescaping).
pub fn resolve_pointer<'v>(doc: &'v Value, reference: &str) -> Option<&'v Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

/// RFC 6901 escaping of one pointer segment.
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
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
