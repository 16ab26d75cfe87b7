//! Operations: one per operation in the spec, sorted by operationId (one without an
//! operationId by its route, `GET /pets/{petId}`), with the names of their method,
//! builder and version enum; path template, parameters (`params`), request body and
//! responses (`bodies`), media-type versions (`versions`) and deprecation (`deprecation`).
//!
//! Input: the operations `validate` accepted (ids unique when present, templates parsed
//! and bound to their parameters) and the type table. Output: IR operations, without
//! pagination (a later pass, once every type is final).

use std::collections::BTreeMap;

use super::bodies::{body, responses};
use super::deprecation::deprecation;
use super::naming::{BuilderNames, MethodNames};
use super::params::params;
use super::partial::Round;
use super::recurse::Recurse;
use super::schema::Schemas;
use super::security::requirements;
use super::text::text;
use super::versions::media_versions;
use crate::error::Error;
use crate::ir::{
    Docs, HttpMethod, MediaVersion, MethodName, NameOrigin, Operation, PathTemplate, TypeName,
};
use crate::skip::Item;
use crate::validate::ValidOperation;

/// The names an operation's items take, and its media-type versions (whether it has a
/// version enum is known once every operation is named).
struct Names {
    method: MethodName,
    builder: TypeName,
    origin: Option<NameOrigin>,
    version_enum: Option<TypeName>,
    media: Vec<MediaVersion>,
}

/// Every operation, sorted by label (operationId or route; labels are unique but for an
/// operationId spelled like a route, which the pointer orders). In skip mode, `round`
/// collects the problem of each instead of stopping at the first.
pub(crate) fn lower_operations<'a>(
    valid: impl Iterator<Item = &'a ValidOperation<'a>>,
    schemas: &mut Schemas<'a>,
    round: &mut Round,
) -> Result<Vec<Operation>, Error> {
    let mut ops: Vec<&'a ValidOperation<'a>> = valid.collect();
    ops.sort_by(|a, b| (&a.label, &a.at).cmp(&(&b.label, &b.at)));
    let names = name_operations(schemas, &ops, round)?;
    // Deprecation notes may name any operation's method, by its operationId.
    let methods: BTreeMap<&str, MethodName> = ops
        .iter()
        .zip(&names)
        .filter_map(|(op, n)| Some((op.id?, n.as_ref()?.method.clone())))
        .collect();
    let mut operations = Vec::with_capacity(ops.len());
    for (op, names) in ops.into_iter().zip(names) {
        let Some(names) = names else { continue };
        let item = Item::operation(&op.at);
        schemas.lowering(Some(item.clone()));
        let lowered = operation(schemas, op, names, &methods);
        operations.extend(round.item(item, lowered)?);
    }
    schemas.lowering(None);
    Ok(operations)
}

/// Method and builder names of `ops` (in their order; `None` where skip mode left the
/// operation out): those of operations with an operationId first, so that a route-named
/// one never takes a name the spec chose; then version enums: those share the builders'
/// module, and a builder keeps its name over an enum.
fn name_operations<'a>(
    schemas: &Schemas<'a>,
    ops: &[&'a ValidOperation<'a>],
    round: &mut Round,
) -> Result<Vec<Option<Names>>, Error> {
    let doc = schemas.doc();
    let mut methods = MethodNames::default();
    let mut builders = BuilderNames::default();
    let mut named: Vec<Option<Names>> = ops.iter().map(|_| None).collect();
    let (with_id, routed): (Vec<_>, Vec<_>) =
        ops.iter().enumerate().partition(|(_, op)| op.id.is_some());
    for (i, op) in with_id.into_iter().chain(routed) {
        let (claimed, route) = match op.id {
            Some(id) => (methods.operation(id), false),
            None => (methods.route(&op.label), true),
        };
        let origin = match (claimed.renamed, route) {
            (Some(renamed), false) => Some(NameOrigin::Renamed(renamed)),
            (Some(renamed), true) => Some(NameOrigin::RenamedRoute(renamed)),
            (None, true) => Some(NameOrigin::Route),
            (None, false) => None,
        };
        let builder = builders.operation(&op.label);
        let names = media_versions(doc, op).map(|media| Names {
            method: claimed.name,
            builder,
            origin,
            version_enum: None,
            media,
        });
        if let Some(names) = round.item(Item::operation(&op.at), names)? {
            if let Some(slot) = named.get_mut(i) {
                *slot = Some(names);
            }
        }
    }
    for (op, n) in ops.iter().zip(&mut named) {
        if let Some(n) = n.as_mut().filter(|n| n.media.len() > 1) {
            n.version_enum = Some(builders.version_enum(&op.label));
        }
    }
    Ok(named)
}

fn operation<'a>(
    schemas: &mut Schemas<'a>,
    op: &'a ValidOperation<'a>,
    names: Names,
    methods: &BTreeMap<&str, MethodName>,
) -> Result<Operation, Error> {
    let media = names.media;
    let preferred = media
        .iter()
        .find(|m| m.default)
        .map(|m| m.media_type.clone());
    let (params, segments) = params(schemas, op)?;
    let body = body(schemas, op, preferred.as_deref())?;
    let (ok, errors) = responses(schemas, op, preferred.as_deref())?;
    Ok(Operation {
        id: op.label.clone(),
        method_name: names.method,
        builder_name: names.builder,
        name_origin: names.origin,
        http_method: http_method(op.method),
        path: PathTemplate {
            raw: op.path.to_owned(),
            segments,
        },
        params,
        body,
        ok,
        errors,
        media,
        version_enum: names.version_enum,
        pagination: None,
        deprecated: op.op.deprecated.then(|| deprecation(op, methods)),
        docs: Docs {
            title: text(op.op.summary.as_deref()),
            description: text(op.op.description.as_deref()),
            external_url: op.op.external_docs.as_ref().map(|d| d.url.clone()),
        },
        tags: op.op.tags.clone(),
        security: requirements(schemas.doc().api(), op.op.security.as_ref()),
        source: op.at.clone(),
    })
}

fn http_method(method: &str) -> HttpMethod {
    match method {
        "put" => HttpMethod::Put,
        "post" => HttpMethod::Post,
        "delete" => HttpMethod::Delete,
        "patch" => HttpMethod::Patch,
        "head" => HttpMethod::Head,
        "options" => HttpMethod::Options,
        "trace" => HttpMethod::Trace,
        _ => HttpMethod::Get,
    }
}
