//! Parameters of one operation, in client order: the path parameters in template order
//! (building the path's segments on the way), then the others in spec order (`validate`
//! merged the path item's and the operation's lists). Dropped: parameters marked
//! `x-codegen-omit: true` (Atlas's `envelope`, which wraps the body in a shape the types do
//! not describe) and the header parameters OpenAPI says to ignore (`Accept`,
//! `Content-Type`, `Authorization`).
//!
//! Also decided here, once: how each parameter is serialized (`style`, `explode`,
//! `allowReserved` with OpenAPI's defaults, and the shape of its value, [`shape`]), and
//! which untagged unions are sent by their variant's text ([`mark_param_unions`]).

use std::collections::BTreeMap;

use openapiv3::{Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle};

use super::hint::Hint;
use super::keywords::Keywords;
use super::media::pick_json;
use super::naming::FieldNames;
use super::recurse::Recurse;
use super::rules::rules;
use super::schema::Schemas;
use super::text::text;
use crate::error::{Error, ErrorKind};
use crate::ir::{
    Constraints, Docs, Param, ParamEncoding, ParamLocation, ParamStyle, ParamValue, Scalar,
    Segment, TypeDef, TypeKind, TypeName, TypeRef,
};
use crate::validate::{ParamSite, TemplatePiece, ValidOperation};

/// The extension that keeps a parameter out of the generated client.
const OMIT_EXTENSION: &str = "x-codegen-omit";

/// The operation's parameters, in client order with unique Rust names, and the segments
/// of its path.
pub(crate) fn params<'a>(
    schemas: &mut Schemas<'a>,
    op: &'a ValidOperation<'a>,
) -> Result<(Vec<Param>, Vec<Segment>), Error> {
    let mut names = FieldNames::for_params();
    let mut params = Vec::with_capacity(op.params.len() + op.template.len());
    let mut segments = Vec::with_capacity(op.template.len());
    for piece in &op.template {
        match piece {
            TemplatePiece::Literal(text) => segments.push(Segment::Literal(text.clone())),
            TemplatePiece::Param { name, param } => {
                // Path parameters are required, so an omitted one is an error, never dropped.
                omitted(schemas, param, true)?;
                let p = param_of(schemas, op, param, ParamLocation::Path, &mut names)?;
                segments.push(Segment::Param {
                    rust: p.rust.clone(),
                    wire: name.clone(),
                });
                params.push(p);
            }
        }
    }
    for site in &op.params {
        let location = match site.param {
            Parameter::Query { .. } => ParamLocation::Query,
            Parameter::Header { .. } => ParamLocation::Header,
            Parameter::Path { .. } => ParamLocation::Path,
            Parameter::Cookie { .. } => ParamLocation::Cookie,
        };
        let name = site.param.parameter_data_ref().name.to_ascii_lowercase();
        if location == ParamLocation::Header
            && ["accept", "content-type", "authorization"].contains(&name.as_str())
        {
            continue;
        }
        let required = site.param.parameter_data_ref().required || location == ParamLocation::Path;
        if omitted(schemas, site, required)? {
            continue;
        }
        params.push(param_of(schemas, op, site, location, &mut names)?);
    }
    Ok((params, segments))
}

/// Whether the parameter is marked `x-codegen-omit: true`; an error if it is `required`.
fn omitted(schemas: &Schemas<'_>, site: &ParamSite<'_>, required: bool) -> Result<bool, Error> {
    let data = site.param.parameter_data_ref();
    let omit = data
        .extensions
        .get(OMIT_EXTENSION)
        .and_then(serde_json::Value::as_bool)
        == Some(true);
    if omit && required {
        return Err(schemas.doc().error(
            &site.site,
            ErrorKind::OmittedRequiredParam {
                name: data.name.clone(),
            },
        ));
    }
    Ok(omit)
}

/// One parameter the client offers.
fn param_of<'a>(
    schemas: &mut Schemas<'a>,
    op: &ValidOperation<'a>,
    site: &'a ParamSite<'a>,
    location: ParamLocation,
    names: &mut FieldNames,
) -> Result<Param, Error> {
    let doc = schemas.doc();
    let data = site.param.parameter_data_ref();
    // A shared (component) parameter's inline types are named after the component, so
    // every operation using it gets the same type.
    let hint = match site.component {
        Some(key) => Hint::parts(&[key]),
        None => Hint::parts(&[&op.label, &data.name]),
    };
    let (style, allow_reserved) = style_of(site.param);
    let (ty, value, rules) = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => {
            let schema_at = site.def.push("schema");
            let ty = schemas.schema_ref(schema, &schema_at, &hint)?;
            let (ty, value) = shape(schemas.types(), &ty);
            let target = doc.resolver().schema(schema, &schema_at)?;
            let rules = rules(doc, &Keywords::of(target.item), &target.pointer);
            (ty, value, rules)
        }
        ParameterSchemaOrContent::Content(content) => content_param(schemas, site, content, &hint)?,
    };
    let explode = data.explode.unwrap_or(style == ParamStyle::Form);
    Ok(Param {
        wire: data.name.clone(),
        rust: names.claim(&data.name),
        location,
        ty,
        encoding: ParamEncoding {
            style,
            explode,
            allow_reserved,
            value,
        },
        required: data.required || location == ParamLocation::Path,
        deprecated: data.deprecated.unwrap_or(false),
        docs: Docs {
            description: text(data.description.as_deref()),
            ..Docs::default()
        },
        rules,
        source: site.site.clone(),
    })
}

/// The `style` (OpenAPI's default filled in) and `allowReserved` of a parameter.
fn style_of(param: &Parameter) -> (ParamStyle, bool) {
    match param {
        Parameter::Query {
            style,
            allow_reserved,
            ..
        } => (
            match style {
                QueryStyle::Form => ParamStyle::Form,
                QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                QueryStyle::DeepObject => ParamStyle::DeepObject,
            },
            *allow_reserved,
        ),
        Parameter::Path { style, .. } => (
            match style {
                PathStyle::Simple => ParamStyle::Simple,
                PathStyle::Label => ParamStyle::Label,
                PathStyle::Matrix => ParamStyle::Matrix,
            },
            false,
        ),
        Parameter::Header { .. } => (ParamStyle::Simple, false),
        Parameter::Cookie { .. } => (ParamStyle::Form, false),
    }
}

/// A parameter described by `content`: with a JSON media type, the schema's type sent as
/// its JSON text; with any other, a string the caller gives as it is sent.
fn content_param<'a>(
    schemas: &mut Schemas<'a>,
    site: &'a ParamSite<'a>,
    content: &'a indexmap::IndexMap<String, openapiv3::MediaType>,
    hint: &Hint,
) -> Result<(TypeRef, ParamValue, Constraints), Error> {
    let Some((media, mt)) = pick_json(content, None) else {
        return Ok((
            TypeRef::Scalar(Scalar::String),
            ParamValue::Text,
            Constraints::default(),
        ));
    };
    let ty = match &mt.schema {
        Some(schema) => {
            let at = site.def.push("content").push(media).push("schema");
            schemas.schema_ref(schema, &at, hint)?
        }
        None => TypeRef::Json,
    };
    Ok((ty, ParamValue::JsonText, Constraints::default()))
}

/// The type a parameter is passed as and the shape of its value: a scalar or enum (or an
/// alias of one), or an untagged union of those, is one text; an array of those is a list
/// (an alias of an array is replaced by the array, so emit sees the list); anything else
/// (objects, maps, arrays of objects, other unions, free-form values) goes by its JSON
/// form.
fn shape(types: &BTreeMap<TypeName, TypeDef>, ty: &TypeRef) -> (TypeRef, ParamValue) {
    match through_aliases(types, ty) {
        TypeRef::List(inner) if is_param_value(types, &inner) => {
            (TypeRef::List(inner), ParamValue::List)
        }
        _ if is_param_value(types, ty) => (ty.clone(), ParamValue::Text),
        _ => (ty.clone(), ParamValue::Json),
    }
}

/// A scalar or an enum, or an untagged union of those (sent as its variant's text).
fn is_param_value(types: &BTreeMap<TypeName, TypeDef>, ty: &TypeRef) -> bool {
    match through_aliases(types, ty) {
        TypeRef::Named(n) => match types.get(&n).map(|d| &d.kind) {
            Some(TypeKind::Untagged(u)) => u.variants.iter().all(|v| is_text(types, &v.ty)),
            _ => is_text(types, ty),
        },
        other => is_text(types, &other),
    }
}

/// A scalar or an open enum (through aliases): a value with a parameter text of its own.
fn is_text(types: &BTreeMap<TypeName, TypeDef>, ty: &TypeRef) -> bool {
    match through_aliases(types, ty) {
        TypeRef::Scalar(_) => true,
        TypeRef::Named(n) => matches!(types.get(&n).map(|d| &d.kind), Some(TypeKind::Enum(_))),
        _ => false,
    }
}

/// Pass: marks the untagged unions whose variants are all scalars or open enums
/// (`Untagged::to_param`); emit gives those a parameter text.
pub(crate) fn mark_param_unions(types: &mut BTreeMap<TypeName, TypeDef>) {
    let marked: Vec<TypeName> = types
        .values()
        .filter(|d| match &d.kind {
            TypeKind::Untagged(u) => u.variants.iter().all(|v| is_text(types, &v.ty)),
            _ => false,
        })
        .map(|d| d.name.clone())
        .collect();
    for name in marked {
        if let Some(TypeKind::Untagged(u)) = types.get_mut(&name).map(|d| &mut d.kind) {
            u.to_param = true;
        }
    }
}

/// `ty` with aliases followed (bounded, so an alias loop cannot hang).
fn through_aliases(types: &BTreeMap<TypeName, TypeDef>, ty: &TypeRef) -> TypeRef {
    let mut current = ty.clone();
    for _ in 0..=types.len() {
        match &current {
            TypeRef::Named(n) => match types.get(n).map(|d| &d.kind) {
                Some(TypeKind::Alias(next)) => current = next.clone(),
                _ => return current,
            },
            _ => return current,
        }
    }
    current
}
