//! Parameters of one operation: path-item parameters merged with the operation's (the
//! operation's win, by name and location), path parameters first in template order, then
//! the others in spec order. Dropped: parameters marked `x-codegen-omit: true` (Atlas's
//! `envelope`, which wraps the body in a shape the types do not describe) and the header
//! parameters OpenAPI says to ignore (`Accept`, `Content-Type`, `Authorization`).

use openapiv3::{Parameter, ParameterData, ParameterSchemaOrContent, QueryStyle};

use super::naming::FieldNames;
use super::operation::Found;
use super::path::Piece;
use super::schema::Hint;
use super::shape::Shape;
use super::Lowerer;
use crate::error::{Error, ErrorKind};
use crate::ir::{Docs, Param, ParamLocation, TypeKind, TypeRef};
use crate::pointer::JsonPointer;
use crate::resolve::Resolved;

/// The extension that keeps a parameter out of the generated client.
pub const OMIT_EXTENSION: &str = "x-codegen-omit";

type Entry<'a> = (Resolved<'a, Parameter>, JsonPointer);

fn location_name(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

impl<'a> Lowerer<'a> {
    /// The operation's parameters, in client order, with unique Rust names.
    pub(crate) fn params(&mut self, f: &Found<'a>, pieces: &[Piece]) -> Result<Vec<Param>, Error> {
        let mut merged: Vec<Entry<'a>> = Vec::new();
        for (i, p) in f.item.parameters.iter().enumerate() {
            let entry = f.path_at.push("parameters").index(i);
            merged.push((self.resolver.parameter(p, &entry)?, entry));
        }
        for (i, p) in f.op.parameters.iter().enumerate() {
            let entry = f.at.push("parameters").index(i);
            let resolved = self.resolver.parameter(p, &entry)?;
            let key = |r: &Resolved<'a, Parameter>| {
                (
                    r.item.parameter_data_ref().name.clone(),
                    location_name(r.item),
                )
            };
            match merged.iter_mut().find(|(r, _)| key(r) == key(&resolved)) {
                Some(slot) => *slot = (resolved, entry),
                None => merged.push((resolved, entry)),
            }
        }
        let template: Vec<&str> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Param(name) => Some(name.as_str()),
                Piece::Literal(_) => None,
            })
            .collect();
        for (r, entry) in &merged {
            let name = &r.item.parameter_data_ref().name;
            if matches!(r.item, Parameter::Path { .. }) && !template.contains(&name.as_str()) {
                return Err(self.err(entry, ErrorKind::UnusedPathParam { name: name.clone() }));
            }
        }
        let mut ordered: Vec<Entry<'a>> = Vec::with_capacity(merged.len());
        for wire in &template {
            let pos = merged.iter().position(|(r, _)| {
                matches!(r.item, Parameter::Path { .. })
                    && r.item.parameter_data_ref().name == *wire
            });
            match pos {
                Some(pos) => ordered.push(merged.remove(pos)),
                // Repeated `{name}` in the template: already placed.
                None if ordered
                    .iter()
                    .any(|(r, _)| r.item.parameter_data_ref().name == *wire) => {}
                None => {
                    return Err(self.err(
                        &f.at,
                        ErrorKind::UndeclaredPathParam {
                            name: (*wire).to_owned(),
                        },
                    ))
                }
            }
        }
        ordered.append(&mut merged);
        let mut names = FieldNames::for_params();
        let mut params = Vec::with_capacity(ordered.len());
        for entry in ordered {
            if let Some(p) = self.param(f, entry, &mut names)? {
                params.push(p);
            }
        }
        Ok(params)
    }

    fn param(
        &mut self,
        f: &Found<'a>,
        (r, entry): Entry<'a>,
        names: &mut FieldNames,
    ) -> Result<Option<Param>, Error> {
        let data: &'a ParameterData = r.item.parameter_data_ref();
        let location = match r.item {
            Parameter::Query { .. } => ParamLocation::Query,
            Parameter::Header { .. } => ParamLocation::Header,
            Parameter::Path { .. } => ParamLocation::Path,
            Parameter::Cookie { .. } => {
                return Err(self.unsupported(
                    &entry,
                    format!("cookie parameter `{}`", data.name),
                    "path, query or header parameters",
                ))
            }
        };
        if location == ParamLocation::Header
            && ["accept", "content-type", "authorization"]
                .contains(&data.name.to_ascii_lowercase().as_str())
        {
            return Ok(None);
        }
        let required = data.required || location == ParamLocation::Path;
        if data
            .extensions
            .get(OMIT_EXTENSION)
            .and_then(serde_json::Value::as_bool)
            == Some(true)
        {
            if required {
                return Err(self.err(
                    &entry,
                    ErrorKind::OmittedRequiredParam {
                        name: data.name.clone(),
                    },
                ));
            }
            return Ok(None);
        }
        let ParameterSchemaOrContent::Schema(schema) = &data.format else {
            return Err(self.unsupported(
                &entry,
                format!("parameter `{}` described by `content`", data.name),
                "a parameter described by `schema`",
            ));
        };
        let schema_at = r.pointer.push("schema");
        // A shared (component) parameter's inline enum is named after the component, so
        // every operation using it gets the same type.
        let hint = match r.component {
            Some(key) => Hint::parts(&[key]),
            None => Hint::parts(&[f.id, &data.name]),
        };
        let ty = self.schema_ref(schema, &schema_at, &hint)?;
        let ty = self.param_type(&ty, location, r.item).ok_or_else(|| {
            self.unsupported(
                &entry,
                format!("parameter `{}` of this type", data.name),
                "a string, number, integer, boolean or string enum (in query also an array of those, exploded)",
            )
        })?;
        let target = self.resolver.schema(schema, &schema_at)?;
        let rules = self.rules(&Shape::of(target.item), &target.pointer);
        Ok(Some(Param {
            wire: data.name.clone(),
            rust: names.claim(&data.name, &entry),
            location,
            ty,
            required,
            deprecated: data.deprecated.unwrap_or(false),
            docs: Docs {
                description: super::text(data.description.as_deref()),
                ..Docs::default()
            },
            rules,
            source: entry,
        }))
    }

    /// The type a parameter is passed as, if the client can send it: a scalar or enum
    /// (or an alias of one); in query also an exploded array of those (an alias of an
    /// array is replaced by the array, so emit sees the list).
    ///
    /// Also in an exploded query: a `oneOf`/`anyOf` whose variants are scalars or arrays
    /// of scalars (GitHub's `has`: one value or several); emit sends the variant it holds.
    fn param_type(&self, ty: &TypeRef, location: ParamLocation, p: &Parameter) -> Option<TypeRef> {
        let exploded = location == ParamLocation::Query
            && match p {
                Parameter::Query {
                    style: QueryStyle::Form,
                    parameter_data,
                    ..
                } => parameter_data.explode != Some(false),
                _ => false,
            };
        match self.through_aliases(ty) {
            TypeRef::List(inner) => {
                (exploded && self.is_param_scalar(&inner)).then_some(TypeRef::List(inner))
            }
            _ if self.is_param_scalar(ty) => Some(ty.clone()),
            TypeRef::Named(n) if exploded => match self.types.get(&n).map(|d| &d.kind) {
                Some(TypeKind::Untagged(u))
                    if u.variants
                        .iter()
                        .all(|v| match self.through_aliases(&v.ty) {
                            TypeRef::List(inner) => self.is_param_scalar(&inner),
                            other => self.is_param_scalar(&other),
                        }) =>
                {
                    Some(ty.clone())
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// A scalar or an enum, or a `oneOf`/`anyOf` of those (emit gives such a union a
    /// `ToParam` impl that sends the variant's text).
    fn is_param_scalar(&self, ty: &TypeRef) -> bool {
        match self.through_aliases(ty) {
            TypeRef::Scalar(_) => true,
            TypeRef::Named(n) => match self.types.get(&n).map(|d| &d.kind) {
                Some(TypeKind::Enum(_)) => true,
                Some(TypeKind::Untagged(u)) => {
                    u.variants
                        .iter()
                        .all(|v| match self.through_aliases(&v.ty) {
                            TypeRef::Scalar(_) => true,
                            TypeRef::Named(n) => {
                                matches!(
                                    self.types.get(&n).map(|d| &d.kind),
                                    Some(TypeKind::Enum(_))
                                )
                            }
                            _ => false,
                        })
                }
                _ => false,
            },
            _ => false,
        }
    }

    /// `ty` with aliases followed (bounded, so an alias loop cannot hang).
    fn through_aliases(&self, ty: &TypeRef) -> TypeRef {
        let mut current = ty.clone();
        for _ in 0..=self.types.len() {
            match &current {
                TypeRef::Named(n) => match self.types.get(n).map(|d| &d.kind) {
                    Some(TypeKind::Alias(next)) => current = next.clone(),
                    _ => return current,
                },
                _ => return current,
            }
        }
        current
    }
}
