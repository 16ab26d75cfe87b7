//! OpenAPI 3.1 → the OpenAPI 3.0 shape the rest of the pipeline reads, on the JSON value,
//! before `openapiv3`. Runs only on 3.1 documents: a 3.0 document is never touched.
//!
//! Document level:
//! - `openapi` becomes `3.0.3` (the version the description was written in is kept in
//!   [`super::Loaded::version`]);
//! - `webhooks` are dropped: they are requests the API *sends*, which a client does not
//!   make (a server stub would need them);
//! - `jsonSchemaDialect` must be the OpenAPI 3.1 dialect or a JSON Schema draft from 04 to
//!   2020-12 (a custom dialect is `Unsupported`), and is then dropped;
//! - `paths` may be absent (`{}`), an operation may lack `responses` (`{}`: lowering then
//!   says the operation has no success response);
//! - `components/pathItems` is dropped once `hoist` has written every reference to it out;
//! - `mutualTLS` security schemes are dropped, and so are their names in security
//!   requirements (a requirement of only such schemes needs nothing in the request): TLS
//!   client certificates are the HTTP client's configuration, not a credential the
//!   generated code sends;
//! - `info.summary` and `license.identifier` are read (and ignored) as they are.
//!
//! Every schema object is rewritten by [`super::schema31`]; boolean schemas become `{}`
//! (`true`) or `{not: {}}` (`false`, which lowering rejects with a pointer), except where
//! OpenAPI 3.0 accepts a boolean (`additionalProperties`) and `false` properties, which are
//! dropped (the property must be absent: there is nothing to send or read).

use serde_json::{Map, Value};

use super::position::{step, Ctx, Dialect, Obj};
use super::problem::Problem;
use super::schema31;
use crate::error::ErrorKind;
use crate::pointer::JsonPointer;

/// `jsonSchemaDialect` values read (after `http(s)://`): the OpenAPI 3.1 dialects, JSON
/// Schema 2020-12 and 2019-09, and drafts 04 to 07 (whose differences from 2020-12 the
/// schema rules read too: boolean exclusive bounds, `items: [A, B]`, `definitions`).
const DIALECTS: &[&str] = &[
    "spec.openapis.org/oas/3.1/dialect/",
    "json-schema.org/draft/2020-12/schema",
    "json-schema.org/draft/2019-09/schema",
    "json-schema.org/draft-07/schema",
    "json-schema.org/draft-06/schema",
    "json-schema.org/draft-05/schema",
    "json-schema.org/draft-04/schema",
];

fn known_dialect(uri: &str) -> bool {
    let rest = uri
        .strip_prefix("https://")
        .or_else(|| uri.strip_prefix("http://"))
        .unwrap_or_default();
    DIALECTS.iter().any(|d| rest.starts_with(d))
}

/// Normalises a 3.1 document in place (see the module docs).
pub(crate) fn normalise(doc: &mut Value) -> Result<(), Problem> {
    let Value::Object(root) = doc else {
        return Ok(());
    };
    if let Some(dialect) = root.get("jsonSchemaDialect") {
        let known = dialect.as_str().is_some_and(known_dialect);
        if !known {
            return Err((
                JsonPointer::root().push("jsonSchemaDialect"),
                ErrorKind::Unsupported {
                    construct: format!("jsonSchemaDialect {dialect}"),
                    expected:
                        "the OpenAPI 3.1 dialect (https://spec.openapis.org/oas/3.1/dialect/base), \
                         a JSON Schema draft (04 to 2020-12), or no jsonSchemaDialect"
                            .into(),
                },
            ));
        }
    }
    root.shift_remove("jsonSchemaDialect");
    root.shift_remove("webhooks");
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    root.entry("paths")
        .or_insert_with(|| Value::Object(Map::new()));
    let mut mutual_tls = Vec::new();
    if let Some(Value::Object(components)) = root.get_mut("components") {
        components.shift_remove("pathItems");
        if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
            schemes.retain(|name, s| {
                let keep = s.get("type").and_then(Value::as_str) != Some("mutualTLS");
                if !keep {
                    mutual_tls.push(name.clone());
                }
                keep
            });
        }
    }
    forget_schemes(root, &mutual_tls);
    walk(doc, &JsonPointer::root(), Ctx::Document)
}

/// Removes the dropped `mutualTLS` schemes from every security requirement (the
/// document's and each operation's): the request itself carries nothing for them (the TLS
/// client certificate is the HTTP client's configuration), so a requirement naming only
/// such a scheme becomes `{}`, one that needs no credentials in the request.
fn forget_schemes(root: &mut Map<String, Value>, names: &[String]) {
    if names.is_empty() {
        return;
    }
    let forget = |list: Option<&mut Value>| {
        if let Some(Value::Array(requirements)) = list {
            for requirement in requirements.iter_mut() {
                if let Value::Object(schemes) = requirement {
                    schemes.retain(|name, _| !names.contains(name));
                }
            }
        }
    };
    forget(root.get_mut("security"));
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for item in paths.values_mut() {
            if let Value::Object(item) = item {
                for op in item.values_mut() {
                    forget(op.get_mut("security"));
                }
            }
        }
    }
}

/// Keywords under which a schema may be a boolean in OpenAPI 3.0 too, or that the schema
/// rules handle themselves.
const BOOLEAN_OK: &[&str] = &[
    "additionalProperties",
    "unevaluatedProperties",
    "items",
    "unevaluatedItems",
];

/// Post-order: every child first, then the node (so a schema sees normalised children).
fn walk(node: &mut Value, at: &JsonPointer, ctx: Ctx) -> Result<(), Problem> {
    if ctx == Ctx::Opaque {
        return Ok(());
    }
    match node {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let child_ctx = step(ctx, key, Dialect::V31);
                let parent_keyword =
                    ctx == Ctx::Obj(Obj::Schema) && BOOLEAN_OK.contains(&key.as_str());
                if child_ctx == Ctx::Obj(Obj::Schema) && !parent_keyword {
                    schema31::boolean_schema(child);
                }
                walk(child, &at.push(key.as_str()), child_ctx)?;
            }
            match ctx {
                Ctx::Obj(Obj::Schema) => schema31::schema(map, at)?,
                Ctx::Obj(Obj::Operation) => {
                    map.entry("responses")
                        .or_insert_with(|| Value::Object(Map::new()));
                }
                _ => {}
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                // A list where a schema belongs is the draft-04 tuple `items: [A, B]`.
                let child_ctx = match ctx {
                    Ctx::Obj(Obj::Schema) => ctx,
                    _ => step(ctx, &i.to_string(), Dialect::V31),
                };
                if child_ctx == Ctx::Obj(Obj::Schema) {
                    schema31::boolean_schema(child);
                }
                walk(child, &at.index(i), child_ctx)?;
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn document_level() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "info": {"title": "t", "version": "1", "summary": "s", "license": {"name": "MIT", "identifier": "MIT"}},
            "webhooks": {"newPet": {"post": {"responses": {"200": {"description": "ok"}}}}},
            "components": {
                "pathItems": {"P": {}},
                "securitySchemes": {
                    "mtls": {"type": "mutualTLS"},
                    "key": {"type": "apiKey", "in": "header", "name": "X-Key"}
                },
                "schemas": {"Yes": true, "No": false}
            }
        });
        normalise(&mut doc).unwrap();
        assert_eq!(
            doc,
            json!({
                "openapi": "3.0.3",
                "info": {"title": "t", "version": "1", "summary": "s", "license": {"name": "MIT", "identifier": "MIT"}},
                "components": {
                    "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
                    "schemas": {"Yes": {}, "No": {"not": {}}}
                },
                "paths": {}
            })
        );
    }

    #[test]
    fn operations_get_responses_and_unknown_dialects_are_refused() {
        let mut doc = json!({"openapi": "3.1.0", "paths": {"/a": {"get": {"operationId": "a"}}}});
        normalise(&mut doc).unwrap();
        assert_eq!(doc["paths"]["/a"]["get"]["responses"], json!({}));
        let mut doc =
            json!({"openapi": "3.1.0", "jsonSchemaDialect": "https://example.com/strict"});
        let (at, kind) = normalise(&mut doc).unwrap_err();
        assert_eq!(at.to_string(), "#/jsonSchemaDialect");
        assert!(kind
            .to_string()
            .starts_with("jsonSchemaDialect \"https://example.com/strict\" is not supported"));
        for ok in [
            "http://json-schema.org/draft-04/schema#",
            "https://json-schema.org/draft/2020-12/schema",
        ] {
            assert!(known_dialect(ok), "{ok}");
        }
    }
}
