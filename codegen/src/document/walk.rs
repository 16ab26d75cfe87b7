//! Where am I in an OpenAPI 3.0 document? A small state machine over JSON-pointer tokens,
//! so `raw` can be walked knowing which keys are keywords (`$ref`, `allOf`…) and which are
//! names (`properties`, `components/schemas`…), and which subtrees are opaque data
//! (`example`, `default`, `enum`, `x-*`) that may legitimately contain a `$ref` key.
//!
//! Input: `raw` (the document as JSON). Output: the schema nodes and `$ref` sites, each
//! with its pointer, in document order.

use serde_json::{Map, Value};

use crate::pointer::JsonPointer;

/// An OpenAPI object kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Obj {
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    Header,
    MediaType,
    Encoding,
    Schema,
    Example,
    Link,
    Callback,
    SecurityScheme,
}

/// What the node at a pointer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ctx {
    Document,
    Components,
    Discriminator,
    /// An object whose keys are keywords.
    Obj(Obj),
    /// A map from names (or status codes, media types…) to objects.
    Map(Obj),
    /// A list of objects.
    List(Obj),
    /// Free-form data: examples, defaults, enum values, extensions.
    Opaque,
    /// Any other part of the document (info, servers, security…).
    Other,
}

/// What a `$ref` found in a given context may point to.
pub(crate) enum RefRule {
    /// A component in `#/components/{section}`.
    Component {
        section: &'static str,
        noun: &'static str,
        expected: &'static str,
    },
    /// OpenAPI 3.0 has no `$ref` here.
    NotAllowed { place: &'static str },
    /// A `$ref` path item: OpenAPI allows it, the generator does not.
    PathItem,
    /// Somewhere the generator does not interpret: only check the target exists.
    Unknown,
}

impl Obj {
    /// The noun used in messages: "a schema".
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Obj::PathItem => "a path item",
            Obj::Operation => "an operation",
            Obj::Parameter => "a parameter",
            Obj::RequestBody => "a request body",
            Obj::Response => "a response",
            Obj::Header => "a header",
            Obj::MediaType => "a media type",
            Obj::Encoding => "an encoding",
            Obj::Schema => "a schema",
            Obj::Example => "an example",
            Obj::Link => "a link",
            Obj::Callback => "a callback",
            Obj::SecurityScheme => "a security scheme",
        }
    }

    /// The `#/components/{section}` this kind lives in, if any.
    pub(crate) fn section(self) -> Option<&'static str> {
        Some(match self {
            Obj::Schema => "schemas",
            Obj::Parameter => "parameters",
            Obj::Response => "responses",
            Obj::RequestBody => "requestBodies",
            Obj::Header => "headers",
            Obj::Example => "examples",
            Obj::Link => "links",
            Obj::Callback => "callbacks",
            Obj::SecurityScheme => "securitySchemes",
            Obj::PathItem | Obj::Operation | Obj::MediaType | Obj::Encoding => return None,
        })
    }

    /// The kind of the components in `#/components/{section}`.
    pub(crate) fn from_section(section: &str) -> Option<Obj> {
        [
            Obj::Schema,
            Obj::Parameter,
            Obj::Response,
            Obj::RequestBody,
            Obj::Header,
            Obj::Example,
            Obj::Link,
            Obj::Callback,
            Obj::SecurityScheme,
        ]
        .into_iter()
        .find(|o| o.section() == Some(section))
    }

    fn expected(self) -> &'static str {
        match self {
            Obj::Schema => "a schema under #/components/schemas",
            Obj::Parameter => "a parameter under #/components/parameters",
            Obj::Response => "a response under #/components/responses",
            Obj::RequestBody => "a request body under #/components/requestBodies",
            Obj::Header => "a header under #/components/headers",
            Obj::Example => "an example under #/components/examples",
            Obj::Link => "a link under #/components/links",
            Obj::Callback => "a callback under #/components/callbacks",
            Obj::SecurityScheme => "a security scheme under #/components/securitySchemes",
            Obj::PathItem | Obj::Operation | Obj::MediaType | Obj::Encoding => {
                "an existing node in this document"
            }
        }
    }
}

impl Ctx {
    /// The context of the child under `token`.
    pub(crate) fn step(self, token: &str) -> Ctx {
        let ext = token.starts_with("x-");
        match self {
            Ctx::Opaque => Ctx::Opaque,
            Ctx::Other => {
                if ext {
                    Ctx::Opaque
                } else {
                    Ctx::Other
                }
            }
            // Names are names: a property called `x-foo` or `$ref` is still a property.
            // Only the paths and responses maps carry extensions.
            Ctx::Map(Obj::PathItem | Obj::Response) if ext => Ctx::Opaque,
            Ctx::Map(o) | Ctx::List(o) => Ctx::Obj(o),
            _ if ext => Ctx::Opaque,
            Ctx::Document => match token {
                "paths" => Ctx::Map(Obj::PathItem),
                "components" => Ctx::Components,
                _ => Ctx::Other,
            },
            Ctx::Components => match Obj::from_section(token) {
                Some(o) => Ctx::Map(o),
                None => Ctx::Other,
            },
            Ctx::Discriminator => match token {
                "mapping" => Ctx::Opaque,
                _ => Ctx::Other,
            },
            Ctx::Obj(o) => step_obj(o, token),
        }
    }

    /// What a `$ref` in an object of this context may point to.
    pub(crate) fn ref_rule(self) -> RefRule {
        match self {
            Ctx::Obj(Obj::PathItem) => RefRule::PathItem,
            Ctx::Obj(o) => match o.section() {
                Some(section) => RefRule::Component {
                    section,
                    noun: o.noun(),
                    expected: o.expected(),
                },
                None => RefRule::NotAllowed { place: o.noun() },
            },
            Ctx::Document => RefRule::NotAllowed {
                place: "the document root",
            },
            Ctx::Components => RefRule::NotAllowed {
                place: "the components object",
            },
            Ctx::Discriminator => RefRule::NotAllowed {
                place: "a discriminator",
            },
            Ctx::Other | Ctx::Map(_) | Ctx::List(_) | Ctx::Opaque => RefRule::Unknown,
        }
    }

    /// Whether a `$ref` key in an object of this context is a reference (rather than a name
    /// or data).
    fn has_refs(self) -> bool {
        !matches!(self, Ctx::Map(_) | Ctx::List(_) | Ctx::Opaque)
    }
}

fn step_obj(o: Obj, token: &str) -> Ctx {
    match (o, token) {
        (
            Obj::PathItem,
            "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace",
        ) => Ctx::Obj(Obj::Operation),
        (Obj::PathItem | Obj::Operation, "parameters") => Ctx::List(Obj::Parameter),
        (Obj::Operation, "requestBody") => Ctx::Obj(Obj::RequestBody),
        (Obj::Operation, "responses") => Ctx::Map(Obj::Response),
        (Obj::Operation, "callbacks") => Ctx::Map(Obj::Callback),
        (Obj::Parameter | Obj::Header | Obj::MediaType, "schema") => Ctx::Obj(Obj::Schema),
        (Obj::Parameter | Obj::Header | Obj::MediaType, "examples") => Ctx::Map(Obj::Example),
        (Obj::Parameter | Obj::Header | Obj::MediaType | Obj::Schema, "example") => Ctx::Opaque,
        (Obj::Parameter | Obj::Header | Obj::RequestBody | Obj::Response, "content") => {
            Ctx::Map(Obj::MediaType)
        }
        (Obj::Response | Obj::Encoding, "headers") => Ctx::Map(Obj::Header),
        (Obj::Response, "links") => Ctx::Map(Obj::Link),
        (Obj::MediaType, "encoding") => Ctx::Map(Obj::Encoding),
        (Obj::Schema, "properties") => Ctx::Map(Obj::Schema),
        (Obj::Schema, "items" | "additionalProperties" | "not") => Ctx::Obj(Obj::Schema),
        (Obj::Schema, "allOf" | "oneOf" | "anyOf") => Ctx::List(Obj::Schema),
        (Obj::Schema, "discriminator") => Ctx::Discriminator,
        (Obj::Schema, "default" | "enum") | (Obj::Example, "value") | (Obj::Link, _) => Ctx::Opaque,
        // A callback maps runtime expressions to path items.
        (Obj::Callback, "$ref") => Ctx::Other,
        (Obj::Callback, _) => Ctx::Obj(Obj::PathItem),
        _ => Ctx::Other,
    }
}

/// The context of the node at `pointer`.
pub(crate) fn classify(pointer: &JsonPointer) -> Ctx {
    pointer
        .tokens()
        .iter()
        .fold(Ctx::Document, |ctx, t| ctx.step(t))
}

/// The node at `pointer` in `root`, if any.
pub(crate) fn lookup<'v>(root: &'v Value, pointer: &JsonPointer) -> Option<&'v Value> {
    pointer
        .tokens()
        .iter()
        .try_fold(root, |node, token| match node {
            Value::Object(map) => map.get(token),
            Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        })
}

/// A `$ref` key, and the context of the object holding it.
pub(crate) struct RefSite<'v> {
    /// The object holding the `$ref`.
    pub at: JsonPointer,
    pub ctx: Ctx,
    /// The value of `$ref` (normally a string).
    pub value: &'v Value,
}

/// Everything `validate` needs from one pass over `raw`.
#[derive(Default)]
pub(crate) struct Facts<'v> {
    /// Every schema object (`Obj(Schema)` context), in document order.
    pub schemas: Vec<(JsonPointer, &'v Map<String, Value>)>,
    /// Every `$ref`, in document order.
    pub refs: Vec<RefSite<'v>>,
}

/// Walks `raw` once, iteratively (the depth of `raw` is not trusted here).
pub(crate) fn collect(raw: &Value) -> Facts<'_> {
    let mut facts = Facts::default();
    let mut stack = vec![(JsonPointer::root(), Ctx::Document, raw)];
    while let Some((at, ctx, node)) = stack.pop() {
        if ctx == Ctx::Opaque {
            continue;
        }
        match node {
            Value::Object(map) => {
                if ctx == Ctx::Obj(Obj::Schema) {
                    facts.schemas.push((at.clone(), map));
                }
                if ctx.has_refs() {
                    if let Some(value) = map.get("$ref") {
                        facts.refs.push(RefSite {
                            at: at.clone(),
                            ctx,
                            value,
                        });
                    }
                }
                for (key, child) in map.iter().rev() {
                    stack.push((at.push(key.as_str()), ctx.step(key), child));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate().rev() {
                    stack.push((at.index(i), ctx.step(&i.to_string()), child));
                }
            }
            _ => {}
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ptr(s: &str) -> JsonPointer {
        JsonPointer::parse_ref(s).unwrap()
    }

    #[test]
    fn classifies_positions() {
        let cases = [
            ("#", Ctx::Document),
            ("#/components/schemas/A", Ctx::Obj(Obj::Schema)),
            (
                "#/components/schemas/A/properties/$ref",
                Ctx::Obj(Obj::Schema),
            ),
            (
                "#/components/schemas/A/properties/properties/items",
                Ctx::Obj(Obj::Schema),
            ),
            (
                "#/components/schemas/A/allOf/1/properties/x",
                Ctx::Obj(Obj::Schema),
            ),
            ("#/components/schemas/A/example/$ref", Ctx::Opaque),
            ("#/components/schemas/A/x-ext/$ref", Ctx::Opaque),
            ("#/components/schemas/x-name", Ctx::Obj(Obj::Schema)),
            ("#/components/parameters/P", Ctx::Obj(Obj::Parameter)),
            ("#/paths/~1a", Ctx::Obj(Obj::PathItem)),
            ("#/paths/x-ext", Ctx::Opaque),
            ("#/paths/~1a/parameters/0", Ctx::Obj(Obj::Parameter)),
            ("#/paths/~1a/get", Ctx::Obj(Obj::Operation)),
            ("#/paths/~1a/get/responses/200", Ctx::Obj(Obj::Response)),
            (
                "#/paths/~1a/get/responses/200/content/application~1json/schema",
                Ctx::Obj(Obj::Schema),
            ),
            (
                "#/paths/~1a/get/requestBody/content/a~1b/examples/e/value",
                Ctx::Opaque,
            ),
            (
                "#/paths/~1a/get/callbacks/cb/{$url}/post",
                Ctx::Obj(Obj::Operation),
            ),
            ("#/components/schemas/A/discriminator/mapping", Ctx::Opaque),
            ("#/info/title", Ctx::Other),
        ];
        for (p, want) in cases {
            assert_eq!(classify(&ptr(p)), want, "{p}");
        }
    }

    #[test]
    fn collects_refs_but_not_names_or_data() {
        let raw = serde_json::json!({
            "components": {"schemas": {
                "A": {"properties": {
                    "$ref": {"type": "string"},
                    "b": {"$ref": "#/components/schemas/B"}
                }, "example": {"$ref": "not a ref"}},
                "B": {"type": "object", "x-data": {"$ref": "nope"}}
            }}
        });
        let facts = collect(&raw);
        let refs: Vec<String> = facts.refs.iter().map(|r| r.at.to_string()).collect();
        assert_eq!(refs, ["#/components/schemas/A/properties/b"]);
        let schemas: Vec<String> = facts.schemas.iter().map(|s| s.0.to_string()).collect();
        assert_eq!(
            schemas,
            [
                "#/components/schemas/A",
                "#/components/schemas/A/properties/$ref",
                "#/components/schemas/A/properties/b",
                "#/components/schemas/B",
            ]
        );
    }

    #[test]
    fn lookup_follows_objects_and_arrays() {
        let raw = serde_json::json!({"a": [{"b/c": 1}]});
        assert_eq!(
            lookup(&raw, &ptr("#/a/0/b~1c")),
            Some(&serde_json::json!(1))
        );
        assert_eq!(lookup(&raw, &ptr("#/a/1")), None);
        assert_eq!(lookup(&raw, &ptr("#/a/x")), None);
    }
}
