//! Schemas → type references and named type definitions: scalars and formats, arrays,
//! maps and free-form objects, and the dispatch to structs (`fields`), `allOf` merging
//! (`compose`), unions (`union`) and enums (`enums`).

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::naming;
use super::shape::{Shape, Ty};
use super::{docs, Lowerer};
use crate::error::Error;
use crate::ir::{Scalar, TypeDef, TypeKind, TypeName, TypeRef};
use crate::pointer::JsonPointer;
use crate::resolve::Resolved;

/// How to name the types an inline schema needs: its own name, and the name of its array
/// items if it is an array.
#[derive(Debug, Clone)]
pub(crate) struct Hint {
    base: String,
    item: Option<String>,
}

impl Hint {
    /// Named `base` (already UpperCamel), items `{base}Item`.
    pub fn new(base: String) -> Self {
        Self { base, item: None }
    }

    /// For property `wire` of `owner`: `{Owner}{Wire}`; items of an inline array
    /// `{Owner}{singular(wire)}` or `{Owner}{Wire}Item`.
    pub fn property(owner: &TypeName, wire: &str) -> Self {
        let item = match naming::singular(wire) {
            Some(one) => naming::derived(&[owner.as_str(), &one]),
            None => naming::derived(&[owner.as_str(), wire, "Item"]),
        };
        Self {
            base: naming::derived(&[owner.as_str(), wire]),
            item: Some(item),
        }
    }

    /// The name parts joined: `{part}{part}…`.
    pub fn parts(parts: &[&str]) -> Self {
        Self::new(naming::derived(parts))
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    fn items(&self) -> Self {
        Self::new(
            self.item
                .clone()
                .unwrap_or_else(|| naming::derived(&[&self.base, "Item"])),
        )
    }

    fn values(&self) -> Self {
        Self::new(naming::derived(&[&self.base, "Value"]))
    }
}

/// What a schema lowers to: a named type of some kind, or a plain type reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `oneOf`/`anyOf` + `discriminator`, or a discriminator base with `allOf` children.
    Union,
    /// `oneOf`/`anyOf` with several members and no discriminator.
    Untagged,
    /// `allOf` that is more than one `$ref` with docs.
    Merged,
    /// A string enum.
    Enum,
    /// An object with properties.
    Struct,
    /// A scalar, array, map, free-form value, or the one member of a wrapper.
    Plain,
}

impl<'a> Lowerer<'a> {
    /// The type of a schema written at `at`.
    pub(crate) fn schema_ref(
        &mut self,
        r: &'a ReferenceOr<Schema>,
        at: &JsonPointer,
        hint: &Hint,
    ) -> Result<TypeRef, Error> {
        match r {
            ReferenceOr::Reference { .. } => {
                let target = self.resolver.schema(r, at)?;
                self.component_ref(&target, at)
            }
            ReferenceOr::Item(s) => self.inline(s, at, hint),
        }
    }

    /// [`Self::schema_ref`] for the boxed schemas of properties and items.
    pub(crate) fn boxed_ref(
        &mut self,
        r: &'a ReferenceOr<Box<Schema>>,
        at: &JsonPointer,
        hint: &Hint,
    ) -> Result<TypeRef, Error> {
        match r {
            ReferenceOr::Reference { .. } => {
                let target = self.resolver.boxed_schema(r, at)?;
                self.component_ref(&target, at)
            }
            ReferenceOr::Item(s) => self.inline(s, at, hint),
        }
    }

    /// The named type of a resolved component schema.
    pub(crate) fn component_ref(
        &self,
        target: &Resolved<'a, Schema>,
        at: &JsonPointer,
    ) -> Result<TypeRef, Error> {
        match target.component {
            Some(key) => self.component_type(key, at).map(TypeRef::Named),
            None => Err(self.unsupported(
                at,
                "a $ref that is not a schema component",
                "#/components/schemas/Name",
            )),
        }
    }

    /// An inline schema: a named type when it needs one (`hint` names it), a structural
    /// type reference otherwise. Memoized by pointer.
    pub(crate) fn inline(
        &mut self,
        s: &'a Schema,
        at: &JsonPointer,
        hint: &Hint,
    ) -> Result<TypeRef, Error> {
        if let Some(done) = self.inline_cache.get(at) {
            return Ok(done.clone());
        }
        let shape = Shape::of(s);
        let r = if self.form(&shape, None) != Form::Plain {
            let name = self.type_names.derived(hint.base(), at);
            self.derived.insert(name.clone());
            self.define(name.clone(), s, at, None)?;
            TypeRef::Named(name)
        } else {
            self.plain(&shape, at, hint)?
        };
        self.inline_cache.insert(at.clone(), r.clone());
        Ok(r)
    }

    /// What a schema becomes (checked in this order).
    fn form(&self, shape: &Shape<'a>, component: Option<&str>) -> Form {
        let has_children = component.is_some_and(|k| self.children.contains_key(k));
        if shape.data.discriminator.is_some()
            && (!shape.one_of.is_empty() || !shape.any_of.is_empty() || has_children)
            && !self.has_non_object_member(shape)
        {
            Form::Union
        } else if shape.one_of.len() > 1 || shape.any_of.len() > 1 {
            Form::Untagged
        } else if !shape.all_of.is_empty() && self.alias_member(shape).is_none() {
            Form::Merged
        } else if self.is_string_enum(shape) {
            Form::Enum
        } else if shape.has_properties() && shape.one_of.is_empty() && shape.any_of.is_empty() {
            Form::Struct
        } else {
            Form::Plain
        }
    }

    /// Whether a `oneOf`/`anyOf` member is declared as something other than an object
    /// (`type: array`, a scalar): it cannot carry a discriminator property, so the
    /// `discriminator` cannot select it. Such a union is lowered untagged instead (members
    /// tried in order) and its docs say why — a degradation, but the only honest reading
    /// of a discriminator the spec cannot satisfy (GitHub's `content-directory`, an array
    /// mapped to `type: array`).
    pub(crate) fn has_non_object_member(&self, shape: &Shape<'a>) -> bool {
        shape.one_of.iter().chain(shape.any_of).any(|m| {
            self.resolver
                .schema(m, &JsonPointer::root())
                .ok()
                .and_then(|t| Shape::of(t.item).ty)
                .is_some_and(|ty| ty != Ty::Object)
        })
    }

    /// The member of `allOf: [{$ref}]` (plus only metadata) when the schema is just that
    /// type. Not when the member is a union base: a child that adds nothing to its base is
    /// still a variant struct (the base's properties minus the tag), not the union itself.
    pub(crate) fn alias_member(&self, shape: &Shape<'a>) -> Option<&'a ReferenceOr<Schema>> {
        let only = shape.single_ref_all_of()?;
        let target = self.resolver.schema(only, &JsonPointer::root()).ok()?;
        target
            .item
            .schema_data
            .discriminator
            .is_none()
            .then_some(only)
    }

    /// Defines type `name` from schema `s` at `at` (`component` is its key, if any).
    pub(crate) fn define(
        &mut self,
        name: TypeName,
        s: &'a Schema,
        at: &JsonPointer,
        component: Option<&'a str>,
    ) -> Result<(), Error> {
        let shape = Shape::of(s);
        let mut type_docs = docs(shape.data);
        let kind = match self.form(&shape, component) {
            Form::Union => self.discriminated(&name, &shape, at, component)?,
            Form::Untagged => self.untagged(&name, &shape, at)?,
            Form::Merged => TypeKind::Struct(self.merged_struct(&name, s, at)?),
            Form::Enum => TypeKind::Enum(self.open_enum(&shape, at)?),
            Form::Struct => TypeKind::Struct(self.object_struct(&name, &shape, at)?),
            Form::Plain => {
                // A component that is a scalar, array, map or free-form value.
                self.allowed_values_doc(&shape, &mut type_docs);
                let hint = Hint::new(name.as_str().to_owned());
                match self.plain(&shape, at, &hint)? {
                    TypeRef::Map(inner) => TypeKind::Map(*inner),
                    other => TypeKind::Alias(other),
                }
            }
        };
        let def = TypeDef {
            name: name.clone(),
            docs: type_docs,
            deprecated: shape.data.deprecated,
            kind,
            source: at.clone(),
        };
        self.types.insert(name, def);
        Ok(())
    }

    /// A schema that needs no name of its own.
    fn plain(
        &mut self,
        shape: &Shape<'a>,
        at: &JsonPointer,
        hint: &Hint,
    ) -> Result<TypeRef, Error> {
        if shape.not {
            return Err(self.unsupported(at, "`not`", "a schema without `not`"));
        }
        if let [only] = shape.one_of {
            return self.schema_ref(only, &at.push("oneOf").index(0), hint);
        }
        if let [only] = shape.any_of {
            return self.schema_ref(only, &at.push("anyOf").index(0), hint);
        }
        if let Some(only) = self.alias_member(shape) {
            return self.schema_ref(only, &at.push("allOf").index(0), hint);
        }
        match shape.ty {
            Some(Ty::String) => Ok(TypeRef::Scalar(match shape.format.as_deref() {
                Some("date-time") => Scalar::DateTime,
                Some("date") => Scalar::Date,
                _ => Scalar::String,
            })),
            Some(Ty::Integer) => Ok(TypeRef::Scalar(match shape.format.as_deref() {
                Some("int32") => Scalar::I32,
                _ => Scalar::I64,
            })),
            Some(Ty::Number) => Ok(TypeRef::Scalar(match shape.format.as_deref() {
                Some("float") => Scalar::F32,
                _ => Scalar::F64,
            })),
            Some(Ty::Boolean) => Ok(TypeRef::Scalar(Scalar::Bool)),
            Some(Ty::Array) => {
                let item = match shape.items {
                    Some(items) => self.boxed_ref(items, &at.push("items"), &hint.items())?,
                    None => TypeRef::Json,
                };
                Ok(TypeRef::List(Box::new(item)))
            }
            Some(Ty::Object) | None => match shape.additional {
                Some(AdditionalProperties::Schema(value)) => {
                    let value_at = at.push("additionalProperties");
                    if self.is_free_form(value, &value_at)? {
                        return Ok(TypeRef::JsonObject);
                    }
                    let value = self.schema_ref(value, &value_at, &hint.values())?;
                    Ok(TypeRef::Map(Box::new(value)))
                }
                Some(AdditionalProperties::Any(_)) => Ok(TypeRef::JsonObject),
                None if shape.ty.is_some() => Ok(TypeRef::JsonObject),
                None => Ok(TypeRef::Json),
            },
            Some(Ty::Other(t)) => Err(self.unsupported(
                at,
                format!("`type: {t}`"),
                "one of string, number, integer, boolean, object, array",
            )),
        }
    }

    /// Whether an `additionalProperties` schema allows any value (`{}`).
    pub(crate) fn is_free_form(
        &self,
        r: &'a ReferenceOr<Schema>,
        at: &JsonPointer,
    ) -> Result<bool, Error> {
        Ok(match r {
            ReferenceOr::Item(s) => Shape::of(s).is_unconstrained(),
            ReferenceOr::Reference { .. } => {
                Shape::of(self.resolver.schema(r, at)?.item).is_unconstrained()
            }
        })
    }
}
