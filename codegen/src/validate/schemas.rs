//! Schema checks openapiv3 lets through: `type` must be one of the six OpenAPI 3.0 types
//! (openapiv3 reads `type: strin` as "any type").

use serde_json::Value;

use super::problems::Problems;
use crate::document::walk::Facts;
use crate::error::ErrorKind;

const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

pub(super) fn check(facts: &Facts<'_>, out: &mut Problems) {
    for (at, schema) in &facts.schemas {
        // Siblings of a `$ref` are ignored in OpenAPI 3.0.
        if schema.contains_key("$ref") {
            continue;
        }
        // (A `type` that is not a string does not load.)
        if let Some(Value::String(found)) = schema.get("type") {
            if !TYPES.contains(&found.as_str()) {
                let found = found.clone();
                out.push((at.push("type"), ErrorKind::UnknownSchemaType { found }));
            }
        }
    }
}
