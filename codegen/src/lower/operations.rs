//! Operations: one per operationId, sorted by it, with the names of their method, builder
//! and version enum; path template, parameters (`params`), request body and responses
//! (`bodies`), media-type versions (`versions`) and deprecation (`deprecation`).
//!
//! Input: the operations `validate` accepted (ids unique, templates parsed and bound to
//! their parameters) and the type table. Output: IR operations, without pagination (a
//! later pass, once every type is final).

use std::collections::BTreeMap;

use super::bodies::{body, responses};
use super::deprecation::deprecation;
use super::naming::{BuilderNames, MethodNames};
use super::params::params;
use super::recurse::Recurse;
use super::schema::Schemas;
use super::security::requirements;
use super::text::text;
use super::versions::media_versions;
use crate::error::{Error, ErrorKind};
use crate::ir::{Docs, HttpMethod, MediaVersion, MethodName, Operation, PathTemplate, TypeName};
use crate::validate::ValidOperation;

/// The names an operation's items take, and its media-type versions (whether it has a
/// version enum depends on them).
struct Names {
    method: MethodName,
    builder: TypeName,
    version_enum: Option<TypeName>,
    media: Vec<MediaVersion>,
}

/// Every operation, sorted by operationId.
pub(crate) fn lower_operations<'a>(
    valid: &'a [ValidOperation<'a>],
    schemas: &mut Schemas<'a>,
) -> Result<Vec<Operation>, Error> {
    let mut ops: Vec<&'a ValidOperation<'a>> = valid.iter().collect();
    ops.sort_by(|a, b| a.id.cmp(b.id));
    let mut names = name_operations(schemas, &ops)?;
    // Deprecation notes may name any operation's method.
    let methods: BTreeMap<&str, MethodName> = names
        .iter()
        .map(|(id, n)| (*id, n.method.clone()))
        .collect();
    let mut operations = Vec::with_capacity(ops.len());
    for op in ops {
        if let Some(names) = names.remove(op.id) {
            operations.push(operation(schemas, op, names, &methods)?);
        }
    }
    Ok(operations)
}

/// Method and builder names (the spec's, so two alike are an error), then version enums:
/// those share the builders' module, and a builder keeps its name over an enum.
fn name_operations<'a>(
    schemas: &Schemas<'a>,
    ops: &[&'a ValidOperation<'a>],
) -> Result<BTreeMap<&'a str, Names>, Error> {
    let doc = schemas.doc();
    let mut methods = MethodNames::default();
    let mut builders = BuilderNames::default();
    let mut names = BTreeMap::new();
    for op in ops {
        let collision = |other| {
            doc.error(
                &op.at,
                ErrorKind::NameCollision {
                    name: op.id.to_owned(),
                    other,
                },
            )
        };
        let method = methods.operation(op.id, &op.at).map_err(collision)?;
        let builder = builders.operation(op.id, &op.at).map_err(collision)?;
        names.insert(
            op.id,
            Names {
                method,
                builder,
                version_enum: None,
                media: media_versions(doc, op)?,
            },
        );
    }
    for op in ops {
        if let Some(n) = names.get_mut(op.id).filter(|n| n.media.len() > 1) {
            n.version_enum = Some(builders.version_enum(op.id, &op.at));
        }
    }
    Ok(names)
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
        id: op.id.to_owned(),
        method_name: names.method,
        builder_name: names.builder,
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
