//! Discriminator checks: there is something to discriminate (`oneOf`/`anyOf`, or child
//! schemas that extend this one with `allOf`), every `mapping` value is a schema component,
//! and every variant has the discriminator property (directly or through `allOf`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::problems::Problems;
use super::refs::Resolved;
use crate::document::walk::{lookup, Facts, Obj};
use crate::error::ErrorKind;
use crate::pointer::JsonPointer;

const EXPECTED: &str = "a schema under #/components/schemas";

pub(super) fn check(raw: &Value, facts: &Facts<'_>, resolved: &Resolved, out: &mut Problems) {
    // schema → the schemas whose `allOf` has a `$ref` to it (its children)
    let mut children: BTreeMap<&JsonPointer, Vec<JsonPointer>> = BTreeMap::new();
    for (at, schema) in &facts.schemas {
        let Some(Value::Array(parts)) = schema.get("allOf") else {
            continue;
        };
        for i in 0..parts.len() {
            if let Some(target) = resolved.get(&at.push("allOf").index(i)) {
                children.entry(target).or_default().push(at.clone());
            }
        }
    }
    for (at, schema) in &facts.schemas {
        let Some(Value::Object(disc)) = schema.get("discriminator") else {
            continue;
        };
        let Some(property) = disc.get("propertyName").and_then(Value::as_str) else {
            continue;
        };
        let disc_at = at.push("discriminator");

        // (where the variant is listed, the variant schema)
        let mut variants: Vec<(JsonPointer, JsonPointer)> = Vec::new();
        let members = ["oneOf", "anyOf"]
            .into_iter()
            .find_map(|k| match schema.get(k) {
                Some(Value::Array(items)) => Some((k, items)),
                _ => None,
            });
        if let Some((key, items)) = members {
            for (i, item) in items.iter().enumerate() {
                let listed = at.push(key).index(i);
                match resolved.get(&listed) {
                    Some(target) => variants.push((listed, target.clone())),
                    // A broken `$ref` is reported by the reference checks.
                    None if is_ref(item) => {}
                    None => variants.push((listed.clone(), listed)),
                }
            }
        }
        let mut mapped = false;
        if let Some(Value::Object(mapping)) = disc.get("mapping") {
            mapped = !mapping.is_empty();
            variants.extend(mapping_targets(raw, &disc_at.push("mapping"), mapping, out));
        }
        if members.is_none() {
            match children.get(at) {
                Some(kids) => variants.extend(kids.iter().map(|k| (k.clone(), k.clone()))),
                // Only a mapping: lowering makes a union of its targets.
                None if mapped => {}
                // Nothing to discriminate: an object is a plain struct (the discriminator
                // only names a property), anything else has no property to name.
                None => {
                    if is_non_object(raw, at) {
                        out.push((disc_at, ErrorKind::MisplacedDiscriminator));
                    }
                    continue;
                }
            }
        }

        let mut checked = BTreeSet::new();
        for (listed, variant) in variants {
            // A variant that is not an object cannot carry the property at all: lowering
            // treats such a union as untagged (see `lower::schema`), so it is not an error.
            if checked.insert(variant.clone())
                && !is_non_object(raw, &variant)
                && !has_property(raw, &variant, property)
            {
                out.push((
                    listed,
                    ErrorKind::MissingDiscriminatorProperty {
                        property: property.to_owned(),
                        variant,
                    },
                ));
            }
        }
    }
}

fn is_ref(v: &Value) -> bool {
    v.as_object().is_some_and(|o| o.contains_key("$ref"))
}

/// Resolves `mapping` values: `#/components/schemas/Name`, or a bare schema name (OpenAPI
/// allows both). Reports the ones that are external, dangling or not schemas.
fn mapping_targets(
    raw: &Value,
    mapping_at: &JsonPointer,
    mapping: &Map<String, Value>,
    out: &mut Problems,
) -> Vec<(JsonPointer, JsonPointer)> {
    let mut targets = Vec::new();
    for (key, value) in mapping {
        let at = mapping_at.push(key.as_str());
        let Some(target) = value.as_str() else {
            continue;
        };
        let pointer = if target.starts_with('#') {
            JsonPointer::parse_ref(target)
        } else if is_schema_name(target) {
            Some(
                JsonPointer::root()
                    .push("components")
                    .push("schemas")
                    .push(target),
            )
        } else {
            out.push((
                at,
                ErrorKind::ExternalRef {
                    target: target.to_owned(),
                },
            ));
            continue;
        };
        let Some(pointer) = pointer else {
            let reason = "not a JSON pointer (a local $ref starts with `#/`)";
            out.push((
                at,
                ErrorKind::InvalidRef {
                    target: target.to_owned(),
                    reason,
                },
            ));
            continue;
        };
        if lookup(raw, &pointer).is_none() {
            out.push((
                at,
                ErrorKind::UnresolvedRef {
                    target: target.to_owned(),
                    expected: EXPECTED,
                },
            ));
            continue;
        }
        match pointer.tokens() {
            [c, s, _] if c == "components" && s == "schemas" => targets.push((at, pointer)),
            tokens => {
                let found = match tokens {
                    [c, s, _] if c == "components" => {
                        Obj::from_section(s).map_or("not a component", Obj::noun)
                    }
                    _ => "not a component",
                };
                let kind = ErrorKind::RefKindMismatch {
                    target: target.to_owned(),
                    found,
                    expected: EXPECTED,
                };
                out.push((at, kind));
            }
        }
    }
    targets
}

/// A component name as OpenAPI allows it (`^[a-zA-Z0-9.\-_]+$`).
fn is_schema_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// Whether the schema at `at` (through `$ref`s) declares a `type` other than `object`.
fn is_non_object(raw: &Value, at: &JsonPointer) -> bool {
    let mut at = at.clone();
    for _ in 0..16 {
        let Some(Value::Object(schema)) = lookup(raw, &at) else {
            return false;
        };
        match schema.get("$ref").and_then(Value::as_str) {
            Some(target) => match JsonPointer::parse_ref(target) {
                Some(next) => at = next,
                None => return false,
            },
            None => {
                return schema
                    .get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t != "object")
            }
        }
    }
    false
}

/// Whether the schema at `start` declares `property`, directly, through `$ref`, or through
/// `allOf` (recursively; loops are cut).
fn has_property(raw: &Value, start: &JsonPointer, property: &str) -> bool {
    let mut stack = vec![start.clone()];
    let mut seen = BTreeSet::new();
    while let Some(at) = stack.pop() {
        if !seen.insert(at.clone()) {
            continue;
        }
        let Some(Value::Object(schema)) = lookup(raw, &at) else {
            continue;
        };
        if let Some(target) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(JsonPointer::parse_ref)
        {
            stack.push(target);
        }
        if schema
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| p.contains_key(property))
        {
            return true;
        }
        if let Some(Value::Array(parts)) = schema.get("allOf") {
            stack.extend((0..parts.len()).map(|i| at.push("allOf").index(i)));
        }
    }
    false
}
