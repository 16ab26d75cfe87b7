//! Discriminator checks: there is something to discriminate (`oneOf`/`anyOf`, child
//! schemas that extend this one with `allOf`, or a `mapping`), and every `mapping` value is
//! a schema component.
//!
//! A variant need not declare the discriminator property: real descriptions leave it out
//! (Linode's `PaymentMethod.data`, GeoJSON's `GeoJsonObject` children), and the union reads
//! and writes the tag on the wire whatever the variant's schema lists (see `lower::tags`).

use std::collections::BTreeMap;

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
        if disc.get("propertyName").and_then(Value::as_str).is_none() {
            continue;
        }
        let disc_at = at.push("discriminator");

        let members = ["oneOf", "anyOf"]
            .into_iter()
            .any(|k| matches!(schema.get(k), Some(Value::Array(_))));
        let mut mapped = false;
        if let Some(Value::Object(mapping)) = disc.get("mapping") {
            mapped = !mapping.is_empty();
            mapping_targets(raw, &disc_at.push("mapping"), mapping, out);
        }
        // Nothing to discriminate (no members, no children, no mapping, of which lowering
        // makes a union of its targets): an object is a plain struct (the discriminator
        // only names a property), anything else has no property to name.
        if !members && !mapped && !children.contains_key(at) && is_non_object(raw, at) {
            out.push((disc_at, ErrorKind::MisplacedDiscriminator));
        }
    }
}

/// Resolves `mapping` values: `#/components/schemas/Name`, or a bare schema name (OpenAPI
/// allows both). Reports the ones that are external, dangling or not schemas.
fn mapping_targets(
    raw: &Value,
    mapping_at: &JsonPointer,
    mapping: &Map<String, Value>,
    out: &mut Problems,
) {
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
            [c, s, _] if c == "components" && s == "schemas" => {}
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
