//! Where am I in a description, for the loader: `document::walk`'s OpenAPI 3.0 positions,
//! plus what OpenAPI 3.1 and JSON Schema 2020-12 add (`webhooks`, `components/pathItems`,
//! `$defs`, `prefixItems`, `patternProperties`, `dependentSchemas`, `if`/`then`/`else`…),
//! and the `$ref` sites found by walking a value from a known position.

use serde_json::Value;

pub(crate) use crate::document::walk::{Ctx, Obj};
use crate::pointer::JsonPointer;

/// Which dialect positions follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    V30,
    V31,
}

/// The context of the child under `token`.
pub(crate) fn step(ctx: Ctx, token: &str, dialect: Dialect) -> Ctx {
    // JSON Schema files that multi-file descriptions share keep their own definitions
    // beside the schema, in either dialect.
    if let (Ctx::Obj(Obj::Schema), "$defs" | "definitions") = (ctx, token) {
        return Ctx::Map(Obj::Schema);
    }
    if dialect == Dialect::V31 {
        match (ctx, token) {
            (Ctx::Document, "webhooks") | (Ctx::Components, "pathItems") => {
                return Ctx::Map(Obj::PathItem)
            }
            (Ctx::Obj(Obj::Schema), "patternProperties" | "dependentSchemas") => {
                return Ctx::Map(Obj::Schema)
            }
            (Ctx::Obj(Obj::Schema), "prefixItems") => return Ctx::List(Obj::Schema),
            (
                Ctx::Obj(Obj::Schema),
                "if"
                | "then"
                | "else"
                | "contains"
                | "propertyNames"
                | "unevaluatedProperties"
                | "unevaluatedItems"
                | "contentSchema",
            ) => return Ctx::Obj(Obj::Schema),
            (Ctx::Obj(Obj::Schema), "examples" | "const") => return Ctx::Opaque,
            _ => {}
        }
    }
    ctx.step(token)
}

/// The context of the node at `pointer` in a document.
pub(crate) fn classify(pointer: &JsonPointer, dialect: Dialect) -> Ctx {
    pointer
        .tokens()
        .iter()
        .fold(Ctx::Document, |ctx, t| step(ctx, t, dialect))
}

/// The node at `pointer` in `root`, for writing.
pub(crate) fn get_mut<'v>(root: &'v mut Value, pointer: &JsonPointer) -> Option<&'v mut Value> {
    pointer
        .tokens()
        .iter()
        .try_fold(root, |node, token| match node {
            Value::Object(map) => map.get_mut(token),
            Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
            _ => None,
        })
}

/// A place that holds a reference: an object's `$ref` (`mapping: None`), or a value of a
/// discriminator's `mapping` (`mapping: Some(key)`, always a schema reference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Site {
    /// The object holding `$ref`, or the schema holding the discriminator.
    pub at: JsonPointer,
    /// What that object is.
    pub ctx: Ctx,
    /// The mapping key, for a mapping value.
    pub mapping: Option<String>,
    /// The reference, as written.
    pub target: String,
}

impl Site {
    /// The kind of object the reference must lead to, if its position says.
    pub(crate) fn kind(&self) -> Option<Obj> {
        match (self.ctx, &self.mapping) {
            (_, Some(_)) => Some(Obj::Schema),
            (Ctx::Obj(o), None) => Some(o),
            _ => None,
        }
    }

    /// The pointer errors about this reference name (`…/$ref`, `…/discriminator/mapping/k`).
    pub(crate) fn pointer(&self) -> JsonPointer {
        match &self.mapping {
            Some(key) => self
                .at
                .push("discriminator")
                .push("mapping")
                .push(key.as_str()),
            None => self.at.push("$ref"),
        }
    }

    /// Points the reference at `target` in `root`.
    pub(crate) fn rewrite(&self, root: &mut Value, target: &str) {
        let node = match &self.mapping {
            Some(key) => get_mut(root, &self.at)
                .and_then(|s| s.get_mut("discriminator"))
                .and_then(|d| d.get_mut("mapping"))
                .and_then(|m| m.get_mut(key.as_str())),
            None => get_mut(root, &self.at).and_then(|o| o.get_mut("$ref")),
        };
        if let Some(node) = node {
            *node = Value::String(target.to_owned());
        }
    }
}

/// Every reference in `value` (which sits at `at`, in context `ctx`), in document order.
/// Non-string `$ref`s are left for `validate` to report. The walk keeps one stack of
/// tokens and builds a pointer only where it finds a reference; its depth is bounded by
/// the loader's depth limit (files are parsed with it; bundling adds a few levels and is
/// checked again).
pub(crate) fn sites(value: &Value, at: JsonPointer, ctx: Ctx, dialect: Dialect) -> Vec<Site> {
    let mut found = Vec::new();
    let mut path: Vec<String> = at.tokens().to_vec();
    visit(value, ctx, dialect, &mut path, &mut found);
    found
}

fn pointer_of(path: &[String]) -> JsonPointer {
    path.iter()
        .fold(JsonPointer::root(), |p, t| p.push(t.as_str()))
}

fn visit(node: &Value, ctx: Ctx, dialect: Dialect, path: &mut Vec<String>, found: &mut Vec<Site>) {
    if ctx == Ctx::Opaque {
        return;
    }
    match node {
        Value::Object(map) => {
            let keyword_object = !matches!(ctx, Ctx::Map(_) | Ctx::List(_));
            if keyword_object {
                if let Some(Value::String(target)) = map.get("$ref") {
                    found.push(Site {
                        at: pointer_of(path),
                        ctx,
                        mapping: None,
                        target: target.clone(),
                    });
                }
            }
            if ctx == Ctx::Obj(Obj::Schema) {
                let mapping = map
                    .get("discriminator")
                    .and_then(|d| d.get("mapping"))
                    .and_then(Value::as_object);
                for (key, target) in mapping.into_iter().flatten() {
                    if let Value::String(target) = target {
                        found.push(Site {
                            at: pointer_of(path),
                            ctx,
                            mapping: Some(key.clone()),
                            target: target.clone(),
                        });
                    }
                }
            }
            for (key, child) in map {
                if !matches!(child, Value::Object(_) | Value::Array(_)) {
                    continue;
                }
                path.push(key.clone());
                visit(child, step(ctx, key, dialect), dialect, path, found);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                if !matches!(child, Value::Object(_) | Value::Array(_)) {
                    continue;
                }
                let token = i.to_string();
                let child_ctx = step(ctx, &token, dialect);
                path.push(token);
                visit(child, child_ctx, dialect, path, found);
                path.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ptr(s: &str) -> JsonPointer {
        JsonPointer::parse_ref(s).unwrap()
    }

    #[test]
    fn the_31_positions() {
        let cases = [
            ("#/webhooks/newPet", Ctx::Obj(Obj::PathItem)),
            ("#/components/pathItems/P", Ctx::Obj(Obj::PathItem)),
            ("#/components/schemas/A/$defs/B", Ctx::Obj(Obj::Schema)),
            (
                "#/components/schemas/A/prefixItems/0",
                Ctx::Obj(Obj::Schema),
            ),
            ("#/components/schemas/A/if/then", Ctx::Obj(Obj::Schema)),
            ("#/components/schemas/A/then", Ctx::Obj(Obj::Schema)),
            (
                "#/components/schemas/A/patternProperties/^x",
                Ctx::Obj(Obj::Schema),
            ),
            ("#/components/schemas/A/examples/0", Ctx::Opaque),
        ];
        for (p, want) in cases {
            assert_eq!(classify(&ptr(p), Dialect::V31), want, "{p}");
        }
        assert_eq!(
            classify(&ptr("#/components/schemas/A/$defs/B"), Dialect::V30),
            Ctx::Obj(Obj::Schema)
        );
        assert_eq!(
            classify(&ptr("#/components/schemas/A/prefixItems/0"), Dialect::V30),
            Ctx::Other
        );
    }

    #[test]
    fn finds_refs_and_mapping_values_but_not_names_or_data() {
        let doc = serde_json::json!({
            "components": {"schemas": {
                "A": {
                    "properties": {"$ref": {"$ref": "x.yaml"}},
                    "example": {"$ref": "not a ref"},
                    "discriminator": {"propertyName": "k", "mapping": {"b": "b.yaml"}}
                }
            }}
        });
        let found = sites(&doc, JsonPointer::root(), Ctx::Document, Dialect::V30);
        let got: Vec<(String, Option<Obj>, String)> = found
            .iter()
            .map(|s| (s.pointer().to_string(), s.kind(), s.target.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "#/components/schemas/A/discriminator/mapping/b".to_owned(),
                    Some(Obj::Schema),
                    "b.yaml".to_owned()
                ),
                (
                    "#/components/schemas/A/properties/$ref/$ref".to_owned(),
                    Some(Obj::Schema),
                    "x.yaml".to_owned()
                ),
            ]
        );
        let mut doc = doc;
        found[0].rewrite(&mut doc, "#/components/schemas/b");
        assert_eq!(
            doc["components"]["schemas"]["A"]["discriminator"]["mapping"]["b"],
            "#/components/schemas/b"
        );
    }
}
