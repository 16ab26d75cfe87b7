//! Unions: `oneOf`/`anyOf` + `discriminator` → [`Union`]; without a discriminator →
//! [`Untagged`].
//!
//! Variants of a discriminated union, in this order:
//! 1. `discriminator.mapping` entries, in mapping order (the key is the tag value);
//! 2. `oneOf` members no mapping entry points at, in `oneOf` order, tagged with their
//!    component name (the OpenAPI rule for implicit mappings). An inline member is tagged
//!    with the single value of its own tag property's enum;
//! 3. for the "base schema carries the discriminator, children `allOf` the base" style:
//!    the children no mapping entry points at, sorted by component name (= tag value).
//!
//! After every type exists, [`Lowerer::strip_tags`] removes the tag property from each
//! variant struct and records the tag values in `Struct::tag`: the union writes the tag
//! back when it serializes. A variant struct that is also used on its own elsewhere is
//! still stripped — one Rust type per schema matters more, and the struct's `tag` tells
//! the emitter which value to write when it serializes it alone.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::ReferenceOr;

use super::naming::VariantNames;
use super::schema::Hint;
use super::shape::Shape;
use super::Lowerer;
use crate::error::{Error, ErrorKind};
use crate::ir::{
    Scalar, TagInfo, TypeKind, TypeName, TypeRef, Union, UnionVariant, Untagged, UntaggedKind,
    UntaggedVariant,
};
use crate::pointer::JsonPointer;

impl<'a> Lowerer<'a> {
    /// A discriminated union named `name` from the schema at `at`.
    pub(crate) fn discriminated(
        &mut self,
        name: &TypeName,
        shape: &Shape<'a>,
        at: &JsonPointer,
        component: Option<&'a str>,
    ) -> Result<TypeKind, Error> {
        let Some(disc) = shape.data.discriminator.as_ref() else {
            return Err(self.err(at, ErrorKind::MisplacedDiscriminator));
        };
        let property = disc.property_name.as_str();
        // (tag value, variant type, where it was declared)
        let mut found: Vec<(String, TypeName, JsonPointer)> = Vec::new();
        let mapping_at = at.push("discriminator").push("mapping");
        for (tag, target) in &disc.mapping {
            let entry_at = mapping_at.push(tag.as_str());
            let resolved = self.resolver.schema_ref(target, &entry_at)?;
            let Some(TypeRef::Named(ty)) = self.component_ref(&resolved, &entry_at).ok() else {
                return Err(self.err(
                    &entry_at,
                    ErrorKind::UnionVariantNotObject {
                        variant: resolved.pointer,
                    },
                ));
            };
            found.push((tag.clone(), ty, entry_at));
        }
        let mapped: BTreeSet<TypeName> = found.iter().map(|(_, ty, _)| ty.clone()).collect();
        let (keyword, members) = if shape.one_of.is_empty() {
            ("anyOf", shape.any_of)
        } else {
            ("oneOf", shape.one_of)
        };
        for (i, member) in members.iter().enumerate() {
            let member_at = at.push(keyword).index(i);
            match member {
                ReferenceOr::Reference { reference } => {
                    let resolved = self.resolver.schema(member, &member_at)?;
                    let TypeRef::Named(ty) = self.component_ref(&resolved, &member_at)? else {
                        return Err(self.err(
                            &member_at,
                            ErrorKind::UnionVariantNotObject {
                                variant: resolved.pointer,
                            },
                        ));
                    };
                    if mapped.contains(&ty) {
                        continue;
                    }
                    // The implicit tag is the name in the `$ref` as written.
                    let tag = JsonPointer::parse_ref(reference)
                        .and_then(|p| p.last().map(str::to_owned))
                        .unwrap_or_default();
                    found.push((tag, ty, member_at));
                }
                ReferenceOr::Item(s) => {
                    let Some(tag) = single_tag_value(&Shape::of(s), property) else {
                        return Err(self.unsupported(
                            &member_at,
                            format!("an inline union member without a one-value `{property}` enum"),
                            format!("a $ref to a component schema, or an inline object whose `{property}` is an enum with one value"),
                        ));
                    };
                    let hint = Hint::parts(&[name.as_str(), &tag]);
                    let TypeRef::Named(ty) = self.inline(s, &member_at, &hint)? else {
                        return Err(self.err(
                            &member_at,
                            ErrorKind::UnionVariantNotObject {
                                variant: member_at.clone(),
                            },
                        ));
                    };
                    found.push((tag, ty, member_at));
                }
            }
        }
        if members.is_empty() {
            for child in component
                .and_then(|k| self.children.get(k))
                .into_iter()
                .flatten()
            {
                let child_at = super::component_pointer(child);
                let ty = self.component_type(child, &child_at)?;
                if !mapped.contains(&ty) {
                    found.push(((*child).to_owned(), ty, child_at));
                }
            }
        }
        let mut names = VariantNames::default();
        let mut variants = Vec::with_capacity(found.len());
        for (tag, ty, declared_at) in found {
            let rust = names.value(&tag, &declared_at).map_err(|other| {
                self.err(
                    &declared_at,
                    ErrorKind::NameCollision {
                        name: tag.clone(),
                        other,
                    },
                )
            })?;
            variants.push(UnionVariant {
                tag_value: tag,
                rust,
                ty,
                boxed: false,
            });
        }
        Ok(TypeKind::Union(Union {
            tag: property.to_owned(),
            variants,
            fallback: true,
        }))
    }

    /// An untagged union: variants in spec order, tried in that order when decoding.
    /// Variant names come from the member's type name, its `title`, its scalar kind, or
    /// its position (`V1`, `V2`…).
    pub(crate) fn untagged(
        &mut self,
        name: &TypeName,
        shape: &Shape<'a>,
        at: &JsonPointer,
    ) -> Result<TypeKind, Error> {
        let (kind, keyword, members) = if shape.one_of.len() > 1 {
            (UntaggedKind::OneOf, "oneOf", shape.one_of)
        } else {
            (UntaggedKind::AnyOf, "anyOf", shape.any_of)
        };
        let mut names = VariantNames::default();
        let mut variants = Vec::with_capacity(members.len());
        for (i, member) in members.iter().enumerate() {
            let member_at = at.push(keyword).index(i);
            let position = format!("V{}", i + 1);
            let title = member.as_item().and_then(|s| s.schema_data.title.clone());
            let label = title.clone().unwrap_or_else(|| position.clone());
            let ty = self.schema_ref(member, &member_at, &Hint::parts(&[name.as_str(), &label]))?;
            let base = match (&ty, member, title) {
                (_, ReferenceOr::Item(_), Some(title)) => title,
                (TypeRef::Named(n), ReferenceOr::Reference { .. }, _) => n.as_str().to_owned(),
                (TypeRef::Named(_), ReferenceOr::Item(_), None) => position,
                (other, _, _) => structural_label(other),
            };
            let rust = names.derived(&base, &member_at);
            variants.push(UntaggedVariant { rust, ty });
        }
        Ok(TypeKind::Untagged(Untagged {
            kind,
            variants,
            unusable_discriminator: shape
                .data
                .discriminator
                .as_ref()
                .map(|d| d.property_name.clone()),
        }))
    }

    /// Pass 4: removes each union's tag property from its variant structs and records the
    /// values in `Struct::tag` (several values when one struct is mapped several times).
    pub(crate) fn strip_tags(&mut self) -> Result<(), Error> {
        // variant struct → (tag property, values, the union that first claimed it)
        let mut tags: BTreeMap<TypeName, (String, Vec<String>, JsonPointer)> = BTreeMap::new();
        for def in self.types.values() {
            let TypeKind::Union(u) = &def.kind else {
                continue;
            };
            for v in &u.variants {
                let target = self.struct_behind(&v.ty).ok_or_else(|| {
                    let variant = self
                        .types
                        .get(&v.ty)
                        .map(|d| d.source.clone())
                        .unwrap_or_default();
                    self.err(&def.source, ErrorKind::UnionVariantNotObject { variant })
                })?;
                let entry = tags
                    .entry(target)
                    .or_insert_with(|| (u.tag.clone(), Vec::new(), def.source.clone()));
                if entry.0 != u.tag {
                    return Err(self.unsupported(
                        &def.source,
                        format!(
                            "variant {} tagged by `{}` here and by `{}` in {}",
                            v.ty, u.tag, entry.0, entry.2
                        ),
                        "one discriminator property per variant schema",
                    ));
                }
                if !entry.1.contains(&v.tag_value) {
                    entry.1.push(v.tag_value.clone());
                }
            }
        }
        for (name, (wire, values, _)) in tags {
            if let Some(TypeKind::Struct(s)) = self.types.get_mut(&name).map(|d| &mut d.kind) {
                s.fields.retain(|f| f.wire != wire);
                s.tag = Some(TagInfo { wire, values });
            }
        }
        Ok(())
    }

    /// The struct a union variant holds, through aliases.
    fn struct_behind(&self, ty: &TypeName) -> Option<TypeName> {
        let mut current = ty.clone();
        for _ in 0..=self.types.len() {
            match &self.types.get(&current)?.kind {
                TypeKind::Struct(_) => return Some(current),
                TypeKind::Alias(TypeRef::Named(next)) => current = next.clone(),
                _ => return None,
            }
        }
        None
    }
}

/// The one value of an inline variant's tag property enum.
fn single_tag_value(shape: &Shape<'_>, property: &str) -> Option<String> {
    let prop = shape.properties?.get(property)?.as_item()?;
    match Shape::of(prop).enum_values.as_slice() {
        [serde_json::Value::String(only)] => Some(only.clone()),
        _ => None,
    }
}

/// A variant name for a member that is not a named type.
fn structural_label(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(n) => n.as_str().to_owned(),
        TypeRef::Scalar(s) => match s {
            Scalar::String => "String",
            Scalar::Bool => "Bool",
            Scalar::I32 => "I32",
            Scalar::I64 => "I64",
            Scalar::F32 => "F32",
            Scalar::F64 => "F64",
            Scalar::DateTime => "DateTime",
            Scalar::Date => "Date",
            Scalar::Bytes => "Bytes",
        }
        .to_owned(),
        TypeRef::List(inner) => format!("{}List", structural_label(inner)),
        TypeRef::Map(inner) => format!("{}Map", structural_label(inner)),
        TypeRef::Json => "Json".to_owned(),
        TypeRef::JsonObject => "Object".to_owned(),
    }
}
