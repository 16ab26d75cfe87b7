//! JSON → `openapiv3::OpenAPI`, with shape errors (wrong type, missing field, unknown
//! variant) at the deepest JSON pointer we can find, whatever openapiv3's serde layout hides.

use serde::de::Error as _;
use serde::Deserialize;
use serde_json::Value;

use super::problem::Problem;
use crate::document::walk::{classify, lookup, Ctx, Obj};
use crate::error::ErrorKind;
use crate::pointer::JsonPointer;

/// Stack for the openapiv3 pass. serde's buffering of untagged and flattened types costs
/// ~30 KiB per nested schema in debug builds, so [`super::MAX_DEPTH`] levels would not fit in a
/// 2 MiB test thread; the pass runs on its own thread with room to spare.
const OPENAPI_STACK: usize = 16 << 20;

/// JSON → `openapiv3::OpenAPI`, on a thread with a known stack (see [`OPENAPI_STACK`]).
pub(super) fn to_openapi(raw: &Value) -> Result<openapiv3::OpenAPI, Problem> {
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("codegen-load".into())
            .stack_size(OPENAPI_STACK)
            .spawn_scoped(scope, || to_openapi_here(raw));
        match spawned {
            // openapiv3 `expect`s that a failed parse fails again (reference.rs); should it
            // ever not, report it rather than unwind through the caller.
            Ok(thread) => thread.join().unwrap_or_else(|_| {
                let message = "the openapiv3 parser failed on this document".to_owned();
                let source = serde_json::Error::custom(&message);
                Err((JsonPointer::root(), ErrorKind::Shape { message, source }))
            }),
            // No thread to be had: the depth limit still keeps this within a main thread.
            Err(_) => to_openapi_here(raw),
        }
    })
}

/// JSON → `openapiv3::OpenAPI`, with shape errors at the deepest pointer we can find.
fn to_openapi_here(raw: &Value) -> Result<openapiv3::OpenAPI, Problem> {
    match deserialize_at::<openapiv3::OpenAPI>(raw) {
        Ok(doc) => Ok(doc),
        Err((pointer, source)) => {
            let (pointer, source) = deepest(raw, pointer, source);
            let mut message = humanize(&source.to_string());
            if pointer.last() == Some("additionalProperties") {
                // Tried as a schema; a boolean is fine too.
                message = message.replace(
                    "expected a Schema object",
                    "expected `true`, `false` or a schema",
                );
            }
            if pointer.last() == Some("in")
                && ["`body`", "`formData`"].iter().any(|v| message.contains(v))
            {
                message.push_str(
                    " (in OpenAPI 3.0, bodies and forms go in the operation's requestBody)",
                );
            }
            if pointer.last() == Some("type") && message.starts_with("invalid type: sequence") {
                message.push_str(" (type lists are OpenAPI 3.1; in 3.0, add `nullable: true`)");
            }
            Err((pointer, ErrorKind::Shape { message, source }))
        }
    }
}

/// openapiv3 parses `ReferenceOr<T>` and flattened schema parts from a buffer, so serde's
/// path stops at such a node, often far above the problem. Narrow it down: parse the node
/// again as the type its position calls for (which may name a field inside it), else find
/// a nested OpenAPI object that fails on its own. Each round goes deeper, so this ends.
fn deepest(
    raw: &Value,
    mut pointer: JsonPointer,
    mut source: serde_json::Error,
) -> (JsonPointer, serde_json::Error) {
    while let Some(node) = lookup(raw, &pointer) {
        match reparse(classify(&pointer), node) {
            Some(Err((sub, e))) if !sub.tokens().is_empty() => {
                pointer = join(pointer, &sub);
                source = e;
                continue;
            }
            Some(Err((_, e))) => source = e,
            _ => {}
        }
        let nested = objects_below(&pointer, node)
            .into_iter()
            .find_map(|(at, ctx, child)| match reparse(ctx, child) {
                Some(Err((sub, e))) => Some((join(at, &sub), e)),
                _ => None,
            });
        if let Some((at, e)) = nested {
            pointer = at;
            source = e;
            continue;
        }
        // Flattened fields leave no path at all: find the one field without which the
        // object parses (`required: name` in a schema), and point at it.
        match culprit_field(classify(&pointer), node) {
            Some(key) => pointer = pointer.push(key),
            None => break,
        }
    }
    (pointer, source)
}

/// The field of `node` whose removal makes it parse as `ctx` calls for, if exactly that.
fn culprit_field(ctx: Ctx, node: &Value) -> Option<String> {
    let Value::Object(map) = node else {
        return None;
    };
    map.keys().find_map(|key| {
        let mut without = map.clone();
        without.shift_remove(key);
        matches!(reparse(ctx, &Value::Object(without)), Some(Ok(()))).then(|| key.clone())
    })
}

fn join(base: JsonPointer, sub: &JsonPointer) -> JsonPointer {
    sub.tokens().iter().fold(base, |p, t| p.push(t.as_str()))
}

/// The nearest OpenAPI objects below `node` (not `$ref`s), in document order.
fn objects_below<'v>(at: &JsonPointer, node: &'v Value) -> Vec<(JsonPointer, Ctx, &'v Value)> {
    let mut found = Vec::new();
    let mut stack = vec![(at.clone(), classify(at), node, true)];
    while let Some((at, ctx, node, top)) = stack.pop() {
        if !top {
            if let Ctx::Obj(_) = ctx {
                if !node.get("$ref").is_some_and(Value::is_string) {
                    found.push((at, ctx, node));
                }
                continue;
            }
        }
        if ctx == Ctx::Opaque {
            continue;
        }
        // A list where a map belongs (or the reverse) is the problem itself: its entries
        // are not objects of the kind the position calls for.
        let children: Vec<(String, &Value)> = match (ctx, node) {
            (Ctx::List(_), Value::Object(_)) | (Ctx::Map(_), Value::Array(_)) => Vec::new(),
            (_, Value::Object(map)) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
            (_, Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            _ => Vec::new(),
        };
        for (token, child) in children.into_iter().rev() {
            let next = ctx.step(&token);
            stack.push((at.push(token), next, child, false));
        }
    }
    found
}

type Shaped<T> = Result<T, (JsonPointer, serde_json::Error)>;

fn deserialize_at<T: for<'de> Deserialize<'de>>(node: &Value) -> Shaped<T> {
    serde_path_to_error::deserialize::<_, T>(node)
        .map_err(|e| (to_pointer(e.path()), e.into_inner()))
}

fn reparse(ctx: Ctx, node: &Value) -> Option<Shaped<()>> {
    fn go<T: for<'de> Deserialize<'de>>(node: &Value) -> Option<Shaped<()>> {
        Some(deserialize_at::<T>(node).map(drop))
    }
    match ctx {
        Ctx::Obj(Obj::Schema) => go::<openapiv3::Schema>(node),
        Ctx::Obj(Obj::Parameter) => go::<openapiv3::Parameter>(node),
        Ctx::Obj(Obj::RequestBody) => go::<openapiv3::RequestBody>(node),
        Ctx::Obj(Obj::Response) => go::<openapiv3::Response>(node),
        Ctx::Obj(Obj::Header) => go::<openapiv3::Header>(node),
        Ctx::Obj(Obj::Example) => go::<openapiv3::Example>(node),
        Ctx::Obj(Obj::Link) => go::<openapiv3::Link>(node),
        Ctx::Obj(Obj::Callback) => go::<openapiv3::Callback>(node),
        Ctx::Obj(Obj::SecurityScheme) => go::<openapiv3::SecurityScheme>(node),
        Ctx::Obj(Obj::PathItem) => go::<openapiv3::PathItem>(node),
        _ => None,
    }
}

fn to_pointer(path: &serde_path_to_error::Path) -> JsonPointer {
    use serde_path_to_error::Segment;
    path.iter()
        .fold(JsonPointer::root(), |p, segment| match segment {
            Segment::Seq { index } => p.index(*index),
            Segment::Map { key } => p.push(key.as_str()),
            Segment::Enum { .. } | Segment::Unknown => p,
        })
}

/// serde's `invalid type: sequence, expected a map` → `…; expected a map` (house style),
/// and the untagged-enum non-message → what would be valid.
fn humanize(message: &str) -> String {
    if let Some(name) = message.strip_prefix("data did not match any variant of untagged enum ") {
        let expected = match name {
            "AdditionalProperties" => "`true`, `false` or a schema",
            "ReferenceOr" => "a `$ref` or an object",
            _ => "a value of one of the allowed forms",
        };
        return format!("invalid value; expected {expected}");
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return format!("required field {field} is missing; expected {field} here");
    }
    let message = message.replacen(", expected ", "; expected ", 1);
    // An enum's "variant" is a value to a spec author.
    let message = match message.strip_prefix("unknown variant ") {
        Some(rest) => format!("unknown value {rest}"),
        None => message,
    };
    // `expected struct Info` → `expected an Info object`
    match message.split_once("; expected struct ") {
        Some((head, name)) => {
            let article = if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
                "an"
            } else {
                "a"
            };
            format!("{head}; expected {article} {name} object")
        }
        None => message,
    }
}
