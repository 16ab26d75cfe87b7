//! Schema `$ref`s that name the object carrying a schema instead of the schema itself →
//! that schema. Real descriptions write `schema: {$ref: '#/components/responses/Status'}`
//! or `items: {$ref: '#/paths/~1vehicles/get/parameters/1'}` where they mean the schema of
//! that response or parameter; when that object has exactly one schema (a parameter's or
//! header's `schema`; the schemas of its `content` media types, all alike), the reference
//! is pointed at it, and `hoist` then moves it into the components as usual. Anything else
//! (no schema, several different ones, a chain that loops) is left as written: `validate`
//! reports the reference, naming what it found.
//!
//! Input: one document (bundled) and its `$ref` sites. Output: the same document, those
//! references rewritten.

use serde_json::Value;

use super::position::{classify, Ctx, Dialect, Obj, Site};
use super::reference::RefTarget;
use crate::document::walk::lookup;
use crate::pointer::JsonPointer;

/// How many `$ref`s to `$ref`s are followed to reach the object carrying the schema.
const MAX_HOPS: usize = 16;

/// Rewrites the schema references of `sites` that lead to a response, request body,
/// parameter or header with one schema (see the module docs); updates those sites.
pub(super) fn schema_refs_to_carriers(root: &mut Value, dialect: Dialect, sites: &mut [Site]) {
    for site in sites.iter_mut() {
        if site.mapping.is_some() || site.kind() != Some(Obj::Schema) {
            continue;
        }
        let Ok(RefTarget::Local(target)) = RefTarget::parse(&site.target) else {
            continue;
        };
        let Some(schema) = carried_schema(root, target, dialect) else {
            continue;
        };
        let new = schema.to_string();
        site.rewrite(root, &new);
        site.target = new;
    }
}

/// The schema carried by the object at `at` (through `$ref`s), when `at` is not a schema
/// and the object carries exactly one.
fn carried_schema(root: &Value, mut at: JsonPointer, dialect: Dialect) -> Option<JsonPointer> {
    for _ in 0..MAX_HOPS {
        let Ctx::Obj(kind) = classify(&at, dialect) else {
            return None;
        };
        if !matches!(
            kind,
            Obj::Parameter | Obj::Header | Obj::Response | Obj::RequestBody
        ) {
            return None;
        }
        let node = lookup(root, &at)?;
        if let Some(next) = node.get("$ref").and_then(Value::as_str) {
            match RefTarget::parse(next) {
                Ok(RefTarget::Local(next)) => {
                    at = next;
                    continue;
                }
                _ => return None,
            }
        }
        if matches!(kind, Obj::Parameter | Obj::Header) && node.get("schema").is_some() {
            return Some(at.push("schema"));
        }
        return one_content_schema(node, &at);
    }
    None
}

/// The pointer to the schema of `node`'s `content`, when every media type there has the
/// same one.
fn one_content_schema(node: &Value, at: &JsonPointer) -> Option<JsonPointer> {
    let content = node.get("content")?.as_object()?;
    let mut schemas = content
        .iter()
        .map(|(media, m)| m.get("schema").map(|s| (media, s)));
    let (media, first) = schemas.next()??;
    for other in schemas {
        if other?.1 != first {
            return None;
        }
    }
    Some(at.push("content").push(media.as_str()).push("schema"))
}
